"""``sakip-xl konsolidasi``: consolidate a folder of OPD workbooks into the city summary."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from concurrent.futures import Executor
from contextlib import ExitStack
from pathlib import Path

from ...consolidation import consolidate
from ...consolidation.executors import dask_executor, local_executor
from ...consolidation.lalu import TAHUN_CODE
from ...consolidation.progress import make_progress
from ...consolidation.rekap import Rekap
from ...consolidation.sources import SumberError, check_output
from ...policy import Policy, load_policy
from ..env import Environment
from ..status import ExitStatus

__all__ = ["register", "run", "add_common", "report"]


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat, bukan {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"harus >= 1, bukan {n}")
    return n


def add_common(p: argparse.ArgumentParser) -> None:
    """Options shared with ``sakip-xl demo``."""
    p.add_argument("--jobs", "-j", type=_positive, metavar="N",
                   help="jumlah proses pembaca paralel (bawaan: jumlah CPU)")
    p.add_argument("--json", action="store_true",
                   help="cetak ringkasan sebagai JSON di stdout (untuk skrip)")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser(
        "konsolidasi",
        help="gabungkan semua workbook OPD menjadi rekap kota (rekap.xlsx)",
        description=(
            "Baca semua workbook OPD di FOLDER, hitung ulang setiap angka, lalu tulis rekap kota "
            "(Ringkasan Kota, Per OPD, Detail Indikator, Triwulan, Anggaran, LKE, Tindak Lanjut, "
            "Masalah, Sumber). Kode keluar: 0 semua bersih, 3 ada workbook bergalat (data yang baik "
            "tetap direkap), 2 salah pemakaian (opsi, path sumber atau keluaran, kebijakan, tahun yang "
            "tidak ada), 1 galat lain (disk penuh, galat internal)."
        ),
    )
    p.add_argument("sumber", nargs="+", metavar="FOLDER",
                   help="folder berisi workbook OPD (.xlsx), atau berkas workbook satu per satu")
    p.add_argument("-o", "--output", default="rekap_kota.xlsx", metavar="REKAP.xlsx",
                   help="berkas rekap yang ditulis (bawaan: rekap_kota.xlsx)")
    p.add_argument("--tahun", type=int, metavar="N",
                   help="tahun yang direkap (bawaan: tahun yang paling banyak dipakai workbook)")
    p.add_argument("--sampai-tw", type=int, choices=(1, 2, 3, 4), metavar="N",
                   help="rekap s.d. triwulan N (1-4); bawaan: setahun penuh terhadap target PK")
    p.add_argument("--kebijakan", metavar="FILE", help="berkas kebijakan kota (kebijakan.toml)")
    p.add_argument("--daftar-opd", metavar="FILE",
                   help="daftar OPD yang diharapkan (CSV, XLSX atau TXT: kode, nama)")
    p.add_argument("--rekap-lalu", metavar="FILE",
                   help="rekap tahun lalu untuk perubahan antartahun: rekap_kota.xlsx buatan sakip-xl, "
                        "atau folder hasil --parquet / --csv (rekap tahun yang sama atau lebih baru "
                        "diberi peringatan REKAP_LALU_TAHUN)")
    p.add_argument("--tanggal-data", type=_tanggal, metavar="TTTT-BB-HH",
                   help="tanggal keadaan data yang dicetak pada halaman Ringkasan Kota (bawaan: hari ini)")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="tempat kerja: local (proses di komputer ini) atau dask (klaster Dask)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="alamat penjadwal Dask, mis. tcp://10.0.0.5:8786 (tanpa ini: klaster lokal)")
    p.add_argument("--cache", metavar="FILE",
                   help="berkas cache hasil baca (SQLite); bawaan: cache pengguna "
                        "(~/.cache/sakip-xl/hasil.sqlite3, di Windows %%LOCALAPPDATA%%\\sakip-xl\\cache)")
    p.add_argument("--tanpa-cache", action="store_true",
                   help="baca ulang semua workbook, jangan pakai atau isi cache")
    p.add_argument("--csv", metavar="FOLDER", help="tulis juga semua tabel sebagai CSV ke FOLDER")
    p.add_argument("--parquet", metavar="FOLDER", help="tulis juga semua tabel sebagai Parquet ke FOLDER")
    add_common(p)
    p.set_defaults(func=run)


def report(rk: Rekap, out: Path, env: Environment, as_json: bool) -> ExitStatus:
    """Print the one-screen summary (or JSON) and choose the exit status."""
    status = ExitStatus.OK if rk.bersih else ExitStatus.INVALID_INPUT
    if as_json:
        data = rk.to_dict()
        data["rekap"] = str(out)
        data["kode_keluar"] = int(status)
        if "cache_terpakai" in rk.meta:
            data["cache"] = {k: rk.meta[k] for k in ("cache", "cache_terpakai", "cache_dibaca", "cache_catatan")}
        env.out(json.dumps(data, ensure_ascii=False, indent=2))
        return status
    env.out(rk.ringkasan_teks())
    if "cache_terpakai" in rk.meta:
        env.out(f"Cache: {rk.meta['cache_terpakai']} workbook tidak berubah (dari cache), "
                f"{rk.meta['cache_dibaca']} dibaca")
    bad = rk.sumber[rk.sumber["n_galat"] > 0]
    if len(bad):
        env.out("Berkas bergalat:")
        for row in bad.head(10).itertuples():
            env.out(f"  {row.berkas}: {row.n_galat} galat ({row.status_rekap})")
        if len(bad) > 10:
            env.out(f"  ... dan {len(bad) - 10} berkas lain (lihat lembar Sumber dan Masalah)")
    env.out(f"Rekap ditulis ke {out}")
    return status


def _tanggal(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal harus TTTT-BB-HH, bukan {text!r}") from None


def run(ns: argparse.Namespace, env: Environment) -> ExitStatus:
    policy = load_policy(ns.kebijakan) if ns.kebijakan else Policy()
    if ns.tanpa_cache and ns.cache:
        env.err("sakip-xl konsolidasi: --cache dan --tanpa-cache tidak boleh bersama")
        return ExitStatus.USAGE
    if ns.scheduler and ns.executor != "dask":
        raise SumberError("--scheduler hanya berlaku dengan --executor dask",
                          hint="Tambahkan --executor dask, atau hapus --scheduler.")
    out = check_output(ns.output)  # before anything is read: extension, folder, writable
    for folder in (ns.csv, ns.parquet):
        if folder:
            check_output(folder, folder=True)
    progress = make_progress(env.stderr, env.is_terminal and not ns.json)
    with ExitStack() as stack:
        executor: Executor
        if ns.executor == "dask":
            executor = stack.enter_context(dask_executor(ns.scheduler, ns.jobs))
        else:
            # guarded worker processes, also for --jobs 1: a file that aborts the reader ends only its worker
            executor = local_executor(ns.jobs, isolate=True)
            stack.callback(executor.shutdown)
        rk = consolidate(ns.sumber, policy, ns.sampai_tw, executor, tahun=ns.tahun,
                         daftar_opd=ns.daftar_opd, progress=progress, output=out,
                         rekap_lalu=ns.rekap_lalu, cache=False if ns.tanpa_cache else (ns.cache or True))
    if rk.meta.get("cache_catatan"):
        env.err(f"sakip-xl konsolidasi: peringatan: {rk.meta['cache_catatan']}")
    for issue in rk.issues:
        if issue.code == TAHUN_CODE:
            env.err(f"sakip-xl konsolidasi: {issue}")
    rk.meta["tanggal_data"] = (ns.tanggal_data or dt.date.today()).isoformat()
    rk.to_excel(out)
    if ns.csv:
        rk.to_csv(ns.csv)
    if ns.parquet:
        rk.to_parquet(ns.parquet)
    return report(rk, out, env, ns.json)
