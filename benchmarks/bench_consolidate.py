"""Benchmark: consolidating N generated OPD workbooks against merely reading them (run by hand).

    python3 benchmarks/bench_consolidate.py                  # N = 50, 500, 5000; jobs 1 and 2
    python3 benchmarks/bench_consolidate.py --n 50 500 --jobs 2 --data /tmp/sakip-bench
    python3 benchmarks/bench_consolidate.py --n 100 --besar      # 80-indicator workbooks (stress case)

For each N and number of jobs it prints, in the same run:

* ``baca``: python-calamine reading every sheet of every file into Python lists (the reading floor),
  with the same number of processes;
* ``pembaca``: :func:`sakip_xl.excel.reader.check_workbook` alone (read + validate, no scoring);
* ``konsolidasi``: :func:`sakip_xl.consolidate` (read, check, score, roll up);
* ``+ rekap.xlsx``: the same plus writing the summary workbook (end to end);

as workbooks per second (wall clock) and as the ratio to the floor (target: end to end at most 3x,
and the rate flat in N).  Every path is run once on two files before timing (imports and other
one-off costs of a process are not costs of a workbook).  On a shared machine wall-clock rates swing with the load, so the CPU time
per workbook (this process and its worker processes, from ``getrusage``) is printed too: its ratios
are the stable ones.  Workbooks are generated once per data folder: ``BASE`` distinct OPDs written from the
template, then copies with a new OPD code (so no two are duplicates) up to N.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from python_calamine import CalamineWorkbook

from sakip_xl.consolidation import consolidate
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


def prepare_besar(data: Path, n: int) -> Path:
    """A folder with ``n`` copies (distinct OPD codes) of ``bench_reader``'s big workbook: 80
    indicators, 40 budget lines, the whole LKE (a stress case: the sample catalogue has 3-6
    indicators per OPD)."""
    folder = data / f"besar{n}"
    if folder.exists() and len(list(folder.glob("*.xlsx"))) == n:
        return folder
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_reader import typical_workbook

    from sakip_xl.excel.template import write_workbook

    src = data / "besar.xlsx"
    wb = typical_workbook()
    write_workbook(src, wb, rumus="native")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(n):
        _clone(src, folder / f"op{i:05d}.xlsx", wb.profil.opd_kode, f"9.{i:05d}")
    return folder


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


def cpu() -> float:
    """CPU seconds used so far by this process and its finished worker processes."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(folder: Path, jobs: int, fn: Callable[[list[str]], int]) -> tuple[float, float]:
    """Run ``fn`` over the files in batches on ``jobs`` processes (as the engine does): (wall, cpu)."""
    paths = sorted(str(p) for p in folder.glob("*.xlsx"))
    start, c0 = time.perf_counter(), cpu()
    if jobs == 1:
        fn(paths)
    else:
        size = max(1, min(64, len(paths) // (jobs * 4) or 1))
        chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(fn, chunks))
    return time.perf_counter() - start, cpu() - c0


def run(folder: Path, jobs: int, out: Path) -> tuple[float, float, float, float]:
    """consolidate() and then to_excel(): (wall, cpu) of the first and of both."""
    start, c0 = time.perf_counter(), cpu()
    rk = consolidate(folder, jobs=jobs)
    mid, c1 = time.perf_counter(), cpu()
    rk.to_excel(out)
    end, c2 = time.perf_counter(), cpu()
    assert rk.kota["n_dikonsolidasi"] == len(list(folder.glob("*.xlsx"))), rk.kota
    return mid - start, c1 - c0, end - start, c2 - c0


def warm_up(folder: Path, out: Path) -> None:
    """Run every measured path once on two files, untimed: module imports, compiled patterns and the
    criteria list are one-off costs of a process (like starting Python), not of a workbook."""
    paths = sorted(str(p) for p in folder.glob("*.xlsx"))[:2]
    _read_all(paths)
    _check_all(paths)
    consolidate(paths, jobs=1).to_excel(out)


def _cell(n: int, wall: float, cpu_s: float, floor_cpu: float | None) -> str:
    text = f"{n / wall:>6.0f} {cpu_s / n * 1000:>7.1f}"
    return text + (f" {cpu_s / floor_cpu:>6.2f}" if floor_cpu else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[50, 500, 5000])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--data", type=Path, default=Path("/tmp/sakip-bench"))
    ap.add_argument("--ulang", type=int, default=1, help="repeat each measurement and keep the median")
    ap.add_argument("--besar", action="store_true",
                    help="workbook besar (80 indikator, 40 baris anggaran) alih-alih kota contoh")
    ns = ap.parse_args()
    ns.data.mkdir(parents=True, exist_ok=True)
    print("wb/s = workbook per detik (jam dinding); ms CPU = waktu CPU per workbook; x = rasio terhadap baca")
    print(f"{'N':>5} {'jobs':>4} | {'baca':>15} | {'pembaca':>22} | {'konsolidasi':>22} | {'+ rekap.xlsx':>22}")
    print(f"{'':>5} {'':>4} | {'wb/s':>6} {'ms CPU':>7} | {'wb/s':>6} {'ms CPU':>7} {'x':>6} | "
          f"{'wb/s':>6} {'ms CPU':>7} {'x':>6} | {'wb/s':>6} {'ms CPU':>7} {'x':>6}")
    for n in ns.n:
        folder = prepare_besar(ns.data, n) if ns.besar else prepare(ns.data, n)
        warm_up(folder, ns.data / "pemanasan.xlsx")
        for jobs in ns.jobs:
            rows: list[tuple[float, ...]] = []
            for _ in range(ns.ulang):
                fw, fc = timed(folder, jobs, _read_all)
                rw, rc = timed(folder, jobs, _check_all)
                rows.append((fw, fc, rw, rc, *run(folder, jobs, ns.data / f"rekap_{n}_{jobs}.xlsx")))
            fw, fc, rw, rc, cw, cc, tw, tc = (statistics.median(col) for col in zip(*rows, strict=True))

            cells = [_cell(n, w, c, fc if i else None) for i, (w, c) in enumerate(((fw, fc), (rw, rc), (cw, cc), (tw, tc)))]
            print(f"{n:>5} {jobs:>4} | " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
