"""``sakip-xl peluang``: one OPD's improvement plan -- which LKE answers reach its next predikat.

Prints, for one workbook, the nilai LKE that counts (the evaluator's once the evaluation is
complete, else the OPD's own), the smallest set of steps to the next predikat and to the city's
target predikat (fewest criteria, then fewest steps; kerangka logis respected), and the criteria
with the most points still open.  ``--json`` gives the same for machines; each step has
``kode``, ``jawaban_sekarang``, ``jawaban`` and ``poin`` (the gain in nilai).

Exit status: 0 a plan was printed, 3 the workbook cannot be read, 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ...excel.reader import check_workbook
from ...issues import Severity, count_by_severity
from ...policy import Policy, load_policy
from ...scoring.rencana import PeluangKriteria, Rencana, RencanaOPD, angka_id, rencana_workbook
from ..env import Environment
from ..status import ExitStatus

__all__ = ["register", "run", "plan_json"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser(
        "peluang",
        help="rencana peningkatan satu OPD: kriteria LKE yang membawa ke predikat berikutnya",
        description=(
            "Baca satu workbook OPD dan tampilkan langkah terkecil (paling sedikit kriteria, lalu paling "
            "sedikit langkah) menuju predikat berikutnya dan predikat target kota, dengan kerangka logis "
            "dipatuhi. Kode keluar: 0 berhasil, 3 workbook tidak dapat dibaca, 2 salah pemakaian."
        ),
    )
    p.add_argument("berkas", metavar="BERKAS", help="workbook OPD (.xlsx/.xlsm)")
    p.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON (untuk mesin)")
    p.add_argument("--kebijakan", metavar="FILE", help="berkas kebijakan kota (kebijakan.toml)")
    p.add_argument("--teratas", type=int, default=5, metavar="N",
                   help="jumlah kriteria dengan ruang poin terbesar yang ditampilkan (bawaan 5)")
    p.set_defaults(func=run)


def _plan_dict(kind: str, r: Rencana) -> dict[str, Any]:
    return {
        "ke": kind,
        "predikat_tujuan": r.predikat_tujuan,
        "poin_diperlukan": round(r.poin_diperlukan, 4),
        "tercapai": r.tercapai,
        "metode": r.metode,
        "n_kriteria": r.n_kriteria,
        "n_langkah": r.n_langkah,
        "poin": round(r.poin, 4),
        "nilai_sesudah": r.nilai_sesudah,
        "predikat_sesudah": r.predikat_sesudah,
        "langkah": [
            {"kode": s.kode, "jawaban_sekarang": s.jawaban_sekarang, "jawaban": s.jawaban,
             "poin": round(s.poin, 4), "langkah": s.langkah, "kriteria": s.kriteria,
             "sub_komponen": s.sub_komponen}
            for s in r.langkah
        ],
    }


def _plans(r: RencanaOPD) -> list[tuple[str, Rencana]]:
    out: list[tuple[str, Rencana]] = []
    if r.berikut is not None:
        out.append(("berikut", r.berikut))
    if r.target is not None and r.target is not r.berikut and r.target != r.berikut:
        out.append(("target", r.target))
    return out


def _short(name: str, n: int = 60) -> str:
    """A sub-component's name up to its first clause ("Kualitas: Pengukuran Kinerja ...")."""
    return name if len(name) <= n else name[: n - 1].rsplit(" ", 1)[0] + " ..."


def _top(r: RencanaOPD, n: int) -> list[PeluangKriteria]:
    open_ = [k for k in r.kriteria if k.ruang > 1e-9]
    open_.sort(key=lambda k: (-round(k.ruang, 9), k.kode))
    return open_[:max(n, 0)]


def plan_json(r: RencanaOPD, sumber: str, target: str, top: int = 5) -> dict[str, Any]:
    return {
        "nilai": r.nilai,
        "predikat": r.predikat,
        "sumber_nilai": sumber,
        "target_predikat_kota": target,
        "rencana": [_plan_dict(kind, pl) for kind, pl in _plans(r)],
        "ruang_terbesar": [
            {"kode": k.kode, "kriteria": k.kriteria, "sub_komponen": k.sub_komponen,
             "jawaban_sekarang": k.jawaban_sekarang, "ruang": round(k.ruang, 4),
             "naik": [{"jawaban": n.jawaban, "poin": round(n.poin, 4), "diizinkan": n.diizinkan} for n in k.naik],
             "maks_diizinkan": k.maks_diizinkan,
             "diblokir_oleh": k.diblokir_oleh, "membuka": k.membuka}
            for k in _top(r, top)
        ],
        "selisih_evaluator": [
            {"kode": k.kode, "jawaban_opd": k.jawaban_sekarang, "jawaban_evaluator": k.jawaban_evaluator,
             "poin": round(k.selisih_evaluator or 0.0, 4)}
            for k in r.kriteria if k.selisih_evaluator is not None and abs(k.selisih_evaluator) > 1e-9
        ],
    }


def _text(env: Environment, r: RencanaOPD, sumber: str, target: str, top: int) -> None:
    env.out(f"Nilai LKE {angka_id(r.nilai)} ({r.predikat}), sumber nilai: {sumber.lower()}.")
    plans = _plans(r)
    if not plans:
        env.out(f"Sudah di predikat tertinggi ({r.predikat}).")
    for kind, pl in plans:
        what = "predikat berikutnya" if kind == "berikut" else "predikat target kota"
        if kind == "berikut" and pl.predikat_tujuan == target:
            what += ", juga target kota"
        env.out("")
        env.out(f"Ke {pl.predikat_tujuan} ({what}): perlu {angka_id(pl.poin_diperlukan)} poin.")
        if not pl.tercapai:
            env.out("  Tidak dapat dicapai dengan jawaban LKE yang tersedia.")
            continue
        for n, s in enumerate(pl.langkah, start=1):
            dari = s.jawaban_sekarang or "kosong"
            env.out(f"  {n}. {s.kode} {s.kriteria}")
            env.out(f"     {dari} -> {s.jawaban}, +{angka_id(s.poin)} poin  [{_short(s.sub_komponen)}]")
        kata = "terkecil" if pl.metode == "tepat" else "perkiraan, belum tentu terkecil"
        env.out(f"  Rencana {kata}: {pl.n_kriteria} kriteria, {pl.n_langkah} langkah, "
                f"+{angka_id(pl.poin)} poin -> {angka_id(pl.nilai_sesudah)} ({pl.predikat_sesudah}).")
    items = _top(r, top)
    if items:
        env.out("")
        env.out("Ruang poin terbesar per kriteria:")
        for k in items:
            blok = ""
            if k.diblokir_oleh:
                batas = (f"bisa naik sampai {k.maks_diizinkan}, di atasnya" if k.maks_diizinkan
                         else "belum bisa naik,")
                blok = f"; {batas} tertahan oleh {', '.join(k.diblokir_oleh)}"
            env.out(f"  {k.kode} {k.kriteria[:60]}: {k.jawaban_sekarang or 'kosong'}, "
                    f"ruang {angka_id(k.ruang)} poin{blok}")
    cut = [k for k in r.kriteria if k.selisih_evaluator is not None and k.selisih_evaluator < -1e-9]
    if cut:
        total = sum(k.selisih_evaluator or 0.0 for k in cut)
        env.out("")
        env.out(f"Poin dipotong evaluator: {angka_id(total)} pada {len(cut)} kriteria "
                f"({', '.join(k.kode for k in cut[:8])}{' ...' if len(cut) > 8 else ''}).")


def run(ns: argparse.Namespace, env: Environment) -> ExitStatus:
    policy = load_policy(ns.kebijakan) if ns.kebijakan else Policy()
    path = Path(ns.berkas)
    wb, issues = check_workbook(path, policy)
    if wb is None:
        msg = issues[0].message if issues else "berkas tidak dapat dibaca"
        if ns.json:
            env.out(json.dumps({"berkas": str(path), "dapat_dibaca": False, "galat": msg}, ensure_ascii=False,
                               indent=2))
        else:
            env.err(f"sakip-xl peluang: {path}: {msg}")
        return ExitStatus.INVALID_INPUT
    r, sumber = rencana_workbook(wb, policy)
    n_err = count_by_severity(issues)[Severity.ERROR]
    if ns.json:
        out = {"berkas": str(path), "dapat_dibaca": True, "opd_kode": wb.profil.opd_kode,
               "opd_nama": wb.profil.opd_nama, "tahun": wb.profil.tahun, "jumlah_galat": n_err,
               **plan_json(r, sumber, policy.target_predikat, ns.teratas)}
        env.out(json.dumps(out, ensure_ascii=False, indent=2))
        return ExitStatus.OK
    head = " ".join(x for x in (wb.profil.opd_nama, str(wb.profil.tahun or "")) if x) or str(path)
    env.out(f"{head}")
    if n_err:
        env.out(f"Perhatian: workbook masih punya {n_err} galat (jalankan sakip-xl periksa); "
                "jawaban yang tidak sah dihitung kosong.")
    _text(env, r, sumber, policy.target_predikat, ns.teratas)
    return ExitStatus.OK
