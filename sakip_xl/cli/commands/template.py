"""``sakip-xl template``: write the standard OPD workbook (template) to a file."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...excel.layout import Sizes
from ...excel.template import write_workbook
from ...models import OPDWorkbook, Profil
from ...policy import Policy, default_policy, load_policy
from ..env import Environment
from ..status import ExitStatus


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser(
        "template",
        help="buat workbook SAKIP OPD standar (template) untuk diisi OPD",
        description=(
            "Buat workbook SAKIP OPD standar: Petunjuk, Profil, PK, Rencana Aksi, Anggaran, LKE, "
            "Tindak Lanjut, Ringkasan dan Pernyataan PK. Profil dapat diisi lebih dulu dengan "
            "--tahun, --opd-kode dan --opd-nama. Dengan --dari, workbook yang sudah diisi dibawa ke "
            "template baru (varian --rumus, versi template terbaru) dengan semua isiannya; kode "
            "keluar 3 bila ada isian yang tidak dapat dibawa (didaftar)."
        ),
    )
    p.add_argument("-o", "--output", required=True, metavar="BERKAS", help="berkas .xlsx yang dibuat")
    p.add_argument("--dari", metavar="WORKBOOK",
                   help="bawa semua isian workbook OPD yang sudah diisi ke template baru versi ini "
                        "(mis. ubah varian: --dari dinkes.xlsx --rumus udf); isian yang tidak dapat "
                        "dibawa didaftar, tidak pernah dibuang diam-diam")
    p.add_argument("--tahun", type=int, metavar="N", help="tahun PK, mis. 2025")
    p.add_argument("--opd-kode", metavar="K", default="", help="kode OPD")
    p.add_argument("--opd-nama", metavar="NAMA", default="", help="nama OPD")
    p.add_argument(
        "--rumus", choices=("native", "udf"), default="native",
        help="native: rumus Excel biasa, menghitung di PC mana pun tanpa add-in (bawaan); "
             "udf: fungsi =SAKIP_* yang membutuhkan add-in SAKIP",
    )
    p.add_argument("--kebijakan", metavar="BERKAS", help="berkas kebijakan.toml kota (bawaan: nasional)")
    p.add_argument("--sandi", metavar="SANDI", help="kata sandi proteksi sheet (bawaan: tanpa sandi)")
    d = Sizes()
    p.add_argument("--baris-indikator", type=int, default=d.pk, metavar="N",
                   help=f"baris tabel PK dan Rencana Aksi (bawaan {d.pk})")
    p.add_argument("--baris-anggaran", type=int, default=d.anggaran, metavar="N",
                   help=f"baris tabel Anggaran (bawaan {d.anggaran})")
    p.add_argument("--baris-tindak-lanjut", type=int, default=d.tindak_lanjut, metavar="N",
                   help=f"baris tabel Tindak Lanjut (bawaan {d.tindak_lanjut})")
    p.set_defaults(func=run)


def run_dari(ns: argparse.Namespace, env: Environment, policy: Policy) -> ExitStatus:
    from ...excel.carry import carry_forward

    if ns.tahun is not None or ns.opd_kode or ns.opd_nama:
        env.err("sakip-xl: galat: --dari membawa Profil dari workbooknya; --tahun/--opd-kode/--opd-nama tidak dipakai.")
        return ExitStatus.USAGE
    if not Path(ns.dari).is_file():
        env.err(f"sakip-xl: galat: workbook --dari tidak ditemukan: {ns.dari}")
        return ExitStatus.USAGE
    # without --kebijakan the new workbook keeps the policy the old one carries
    res = carry_forward(ns.dari, ns.output, rumus=ns.rumus, policy=policy if ns.kebijakan else None)
    env.err(res.summary())
    return ExitStatus.OK if res.complete else ExitStatus.INVALID_INPUT


def run(ns: argparse.Namespace, env: Environment) -> ExitStatus:
    policy = load_policy(ns.kebijakan) if ns.kebijakan else default_policy()
    if ns.dari:
        return run_dari(ns, env, policy)
    if ns.tahun is not None and not policy.tahun_minimum <= ns.tahun <= 2100:
        env.err(f"sakip-xl: galat: --tahun harus {policy.tahun_minimum}-2100, bukan {ns.tahun}.")
        return ExitStatus.USAGE
    rows = (ns.baris_indikator, ns.baris_anggaran, ns.baris_tindak_lanjut)
    if not all(1 <= n <= 10_000 for n in rows):
        env.err("sakip-xl: galat: jumlah baris tabel harus 1-10000.")
        return ExitStatus.USAGE
    data = OPDWorkbook(profil=Profil(opd_kode=ns.opd_kode, opd_nama=ns.opd_nama, tahun=ns.tahun))
    path = write_workbook(ns.output, data, policy=policy, rumus=ns.rumus, password=ns.sandi,
                          sizes=Sizes(*rows))
    env.err(f"Template ({'fungsi add-in' if ns.rumus == 'udf' else 'rumus Excel biasa'}) ditulis ke {path}.")
    return ExitStatus.OK
