"""Benchmark: consolidating N generated OPD workbooks against merely reading them (run by hand).

    python3 benchmarks/bench_consolidate.py                  # N = 50, 500, 5000; jobs 1 and 2
    python3 benchmarks/bench_consolidate.py --n 50 500 --jobs 2 --data /tmp/sakip-bench

For each N and number of jobs it prints, in the same run:

* ``baca``: python-calamine reading every sheet of every file into Python lists (the reading floor),
  with the same number of processes;
* ``pembaca``: :func:`sakip_xl.excel.reader.check_workbook` alone (read + validate, no scoring);
* ``konsolidasi``: :func:`sakip_xl.consolidate` (read, check, score, roll up);
* ``+ rekap.xlsx``: the same plus writing the summary workbook (end to end);

as workbooks per second and as the ratio to the floor (target: end to end at most 3x, and the rate
flat in N).  Workbooks are generated once per data folder: ``BASE`` distinct OPDs written from the
template, then copies with a new OPD code (so no two are duplicates) up to N.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from python_calamine import CalamineWorkbook

from sakip_xl.consolidate import consolidate
from sakip_xl.demo import file_name, generate_city, write_city

BASE = 100


def _clone(src: Path, dst: Path, old_kode: str, new_kode: str) -> None:
    """Copy a workbook, giving it another OPD code (the Profil value lives in sharedStrings)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                data = data.replace(f"<t>{old_kode}</t>".encode(), f"<t>{new_kode}</t>".encode(), 1)
            zout.writestr(item, data)


def prepare(data: Path, n: int) -> Path:
    """A folder with ``n`` distinct, valid OPD workbooks (cached between runs)."""
    folder = data / f"n{n}"
    if folder.exists() and len(list(folder.glob("*.xlsx"))) == n:
        return folder
    base = data / "base"
    kota = generate_city(BASE, seed=2025, kesalahan=False)
    if not base.exists() or len(list(base.glob("*.xlsx"))) != BASE:
        shutil.rmtree(base, ignore_errors=True)
        print(f"menulis {BASE} workbook dasar dari template ...", file=sys.stderr)
        write_city(kota, base, jobs=2, rusak=False)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(n):
        wb = kota.opd[i % BASE]
        src = base / file_name(wb)
        if i < BASE:
            shutil.copyfile(src, folder / src.name)
        else:
            kode = f"8.{i // 100:03d}.{i % 100:02d}"
            _clone(src, folder / f"{kode}_{re.sub(r'^[0-9.]+_', '', src.name)}", wb.profil.opd_kode, kode)
    return folder


def _read_all(paths: list[str]) -> int:
    cells = 0
    for p in paths:
        wb = CalamineWorkbook.from_path(p)
        for name in wb.sheet_names:
            cells += sum(len(r) for r in wb.get_sheet_by_name(name).to_python())
    return cells


def _check_all(paths: list[str]) -> int:
    from sakip_xl.excel.reader import check_workbook

    return sum(len(check_workbook(p)[1]) for p in paths)


def timed(folder: Path, jobs: int, fn: Callable[[list[str]], int]) -> float:
    """Run ``fn`` over the files in batches on ``jobs`` processes (as the engine does)."""
    paths = sorted(str(p) for p in folder.glob("*.xlsx"))
    start = time.perf_counter()
    if jobs == 1:
        fn(paths)
    else:
        size = max(1, min(64, len(paths) // (jobs * 4) or 1))
        chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(fn, chunks))
    return time.perf_counter() - start


def run(folder: Path, jobs: int, out: Path) -> tuple[float, float, int]:
    start = time.perf_counter()
    rk = consolidate(folder, jobs=jobs)
    mid = time.perf_counter()
    rk.to_excel(out)
    end = time.perf_counter()
    assert rk.kota["n_dikonsolidasi"] == len(list(folder.glob("*.xlsx"))), rk.kota
    return mid - start, end - start, rk.kota["n_dikonsolidasi"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[50, 500, 5000])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--data", type=Path, default=Path("/tmp/sakip-bench"))
    ap.add_argument("--ulang", type=int, default=1, help="repeat each measurement and keep the median")
    ns = ap.parse_args()
    ns.data.mkdir(parents=True, exist_ok=True)
    print(f"{'N':>6} {'jobs':>4} | {'baca wb/s':>9} | {'pembaca wb/s':>12} {'x baca':>6} | "
          f"{'konsolidasi wb/s':>16} {'x baca':>6} | {'+ rekap.xlsx wb/s':>17} {'x baca':>6}")
    for n in ns.n:
        folder = prepare(ns.data, n)
        for jobs in ns.jobs:
            floors, readers, cons, totals = [], [], [], []
            for _ in range(ns.ulang):
                floors.append(timed(folder, jobs, _read_all))
                readers.append(timed(folder, jobs, _check_all))
                c, t, _ = run(folder, jobs, ns.data / f"rekap_{n}_{jobs}.xlsx")
                cons.append(c)
                totals.append(t)
            f, r = statistics.median(floors), statistics.median(readers)
            c, t = statistics.median(cons), statistics.median(totals)
            print(f"{n:>6} {jobs:>4} | {n / f:>9.0f} | {n / r:>12.0f} {r / f:>6.2f} | {n / c:>16.0f} {c / f:>6.2f} | "
                  f"{n / t:>17.0f} {t / f:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
