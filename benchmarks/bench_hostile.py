"""Benchmark: a batch with broken and hostile workbooks, consolidated end to end (issue 13; run by hand).

    python3 benchmarks/bench_hostile.py                      # 5000 files, 10 % hostile, --jobs 2
    python3 benchmarks/bench_hostile.py --n 500 --rusak 0.2 --jobs 1
    python3 benchmarks/bench_hostile.py --per-berkas          # also each hostile case alone

The good workbooks are ``bench_consolidate``'s (distinct OPDs from the template); the hostile ones
cycle through every case of ``tests/fixtures/hostile_corpus.py`` (readable ones get their own OPD
code, so they never make a good one a duplicate).  ``sakip-xl konsolidasi FOLDER -o rekap.xlsx
--json`` runs as a user runs it (a fresh process); printed: wall-clock and CPU time (the command
and all its worker processes), the peak resident memory of the largest process, and the check that
every good workbook is in the summary.  ``--per-berkas`` reads each hostile case alone in a fresh
process (``check_workbook``) and prints its CPU time and peak memory: the per-file bounds of
``docs/keamanan-berkas.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))

import bench_consolidate as bcons  # noqa: E402
import hostile_corpus as hc  # noqa: E402

BASE_KODE = "1.02.01"  # the OPD code of the corpus' base workbook


def _children() -> tuple[float, int]:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss  # maxrss: KiB, largest waited-for descendant


def _recode(src: Path, dst: Path, kode: str) -> None:
    """A readable copy with its own OPD code; bytes as they are when the zip cannot be rewritten."""
    try:
        bcons._clone(src, dst, BASE_KODE, kode)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, KeyError,
            zipfile.LargeZipFile):
        shutil.copyfile(src, dst)


def prepare(data: Path, n: int, share: float) -> tuple[Path, int, int]:
    n_bad = round(n * share)
    n_good = n - n_bad
    folder = data / f"campur{n}_{n_bad}"
    good_src = bcons.prepare(data, n_good)
    cases_dir = data / "kasus"
    if not cases_dir.exists() or len(list(cases_dir.glob("*.xlsx"))) < len(hc.CASES):
        shutil.rmtree(cases_dir, ignore_errors=True)
        print(f"membuat {len(hc.CASES)} kasus berkas rusak/berbahaya ...", file=sys.stderr)
        hc.build_all(cases_dir)
    if folder.exists() and len(list(folder.iterdir())) == n:
        return folder, n_good, n_bad
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for p in good_src.glob("*.xlsx"):
        os.link(p, folder / p.name)
    names = sorted(hc.CASES)
    for i in range(n_bad):
        name = names[i % len(names)]
        _recode(cases_dir / f"{name}.xlsx", folder / f"zz_{i:05d}_{name}.xlsx", f"7.{i:05d}")
    return folder, n_good, n_bad


def run_batch(folder: Path, out: Path, jobs: int) -> dict[str, object]:
    cpu0, _ = _children()
    start = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "sakip_xl.cli", "konsolidasi", str(folder), "-o", str(out),
                        "--jobs", str(jobs), "--json"], capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - start
    cpu1, peak = _children()
    if r.returncode not in (0, 3):
        raise SystemExit(f"konsolidasi gagal ({r.returncode}):\n{r.stderr[-3000:]}")
    data = json.loads(r.stdout)
    good = [b for b in data["berkas"] if not Path(b["berkas"]).name.startswith("zz_")]
    return {"detik": wall, "cpu": cpu1 - cpu0, "puncak_mib": peak / 1024, "kode_keluar": r.returncode,
            "dikonsolidasi": data["kota"]["n_dikonsolidasi"], "berkas": len(data["berkas"]),
            "baik_direkap": sum(1 for b in good if b["status_rekap"] == "Dikonsolidasi"),
            "gagal": sum(1 for b in data["berkas"] if b["status_baca"] != "Dibaca")}


_ONE = """
import sys, time
from sakip_xl import check_workbook
t = time.process_time()
wb, issues = check_workbook(sys.argv[1])
cpu = time.process_time() - t
hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))  # KiB, this image only
print(cpu, hwm, wb is not None, issues[0].code if issues else "-")
"""


def per_case(data: Path) -> None:
    print(f"{'kasus':34s} {'kelompok':10s} {'MiB berkas':>10s} {'CPU s':>7s} {'puncak MiB':>10s}  hasil")
    cases_dir = data / "kasus"
    for name in sorted(hc.CASES):
        p = cases_dir / f"{name}.xlsx"
        r = subprocess.run([sys.executable, "-c", _ONE, str(p)], capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
        cpu, rss, ok, code = (r.stdout.split() + ["?"] * 4)[:4] if r.returncode == 0 else ("-", "0", "-", f"rc={r.returncode}")
        print(f"{name:34s} {hc.CASES[name][0]:10s} {p.stat().st_size / 2**20:>10.2f} {cpu[:5]:>7s} "
              f"{int(rss) / 1024:>10.0f}  {'dibaca' if ok == 'True' else 'ditolak'} {code}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--rusak", type=float, default=0.10, help="bagian berkas rusak/berbahaya (bawaan 0,10)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--data", type=Path, default=Path("/tmp/sakip-bench"))
    ap.add_argument("--per-berkas", action="store_true", help="juga tiap kasus sendirian (CPU dan memori puncak)")
    ns = ap.parse_args()
    ns.data.mkdir(parents=True, exist_ok=True)
    folder, n_good, n_bad = prepare(ns.data, ns.n, ns.rusak)
    res = run_batch(folder, ns.data / "rekap_campur.xlsx", ns.jobs)
    ok = res["baik_direkap"] == n_good
    print(f"{ns.n} berkas ({n_good} baik, {n_bad} rusak/berbahaya dari {len(hc.CASES)} kasus), --jobs {ns.jobs}")
    print(f"  waktu {res['detik']:.1f} s jam dinding, {res['cpu']:.1f} s CPU "
          f"({res['detik'] / ns.n * 1000:.1f} ms per berkas); memori puncak satu proses {res['puncak_mib']:.0f} MiB")
    print(f"  {res['baik_direkap']} dari {n_good} workbook baik direkap ({'semua' if ok else 'KURANG'}); "
          f"{res['dikonsolidasi']} OPD dikonsolidasi (juga berkas bermasalah yang masih terbaca); "
          f"{res['gagal']} berkas tidak terbaca; kode keluar {res['kode_keluar']}")
    if ns.per_berkas:
        per_case(ns.data)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
