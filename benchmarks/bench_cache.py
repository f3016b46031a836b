"""Benchmark: re-consolidating N workbooks after one was resubmitted, with the result cache (run by hand).

    python3 benchmarks/bench_cache.py                    # N = 300, jobs 2, 3 repetitions
    python3 benchmarks/bench_cache.py --n 300 --jobs 1 2 --ulang 5 --data /tmp/sakip-bench

For each repetition, in the same run and on the same files (``bench_consolidate``'s generated
city):

* ``penuh``: :func:`sakip_xl.consolidate` without a cache, then writing ``rekap.xlsx`` (the
  reference: what every re-run cost before the cache);
* ``isi cache``: the same with an empty cache (the first run pays for storing);
* ``ulang``: nothing changed (every result from the cache);
* ``1 berubah``: one workbook rewritten with other content, then the re-run (reads one file).

Each is printed as wall clock and CPU (this process and its finished worker processes, from
``getrusage``; on a shared machine CPU is the stable figure) and as the ratio to ``penuh``, for
``konsolidasi`` alone and end to end (``+ rekap.xlsx``).  Target: ``1 berubah`` at most 0.20 of
``penuh``.  Every re-run's summary is checked to equal a fresh read of the same files.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_consolidate import _clone, cpu, prepare, warm_up  # noqa: E402

from sakip_xl.consolidation import consolidate  # noqa: E402


def once(folder: Path, jobs: int, out: Path, cache: Path | None) -> tuple[float, float, float, float, object]:
    """(wall, cpu) of consolidate() and of consolidate() + to_excel(), and the Rekap."""
    t0, c0 = time.perf_counter(), cpu()
    rk = consolidate(folder, jobs=jobs, cache=cache if cache is not None else False)
    t1, c1 = time.perf_counter(), cpu()
    rk.to_excel(out)
    t2, c2 = time.perf_counter(), cpu()
    return t1 - t0, c1 - c0, t2 - t0, c2 - c0, rk


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--jobs", type=int, nargs="+", default=[2])
    ap.add_argument("--ulang", type=int, default=3)
    ap.add_argument("--data", type=Path, default=Path("/tmp/sakip-bench"))
    ns = ap.parse_args()
    ns.data.mkdir(parents=True, exist_ok=True)
    src = prepare(ns.data, ns.n)
    folder = ns.data / f"cache{ns.n}"
    out = ns.data / "rekap_cache.xlsx"
    print(f"{'jobs':>4} {'langkah':<10} | {'konsolidasi':>26} | {'+ rekap.xlsx':>26}")
    print(f"{'':>4} {'':<10} | {'detik':>7} {'CPU s':>7} {'x CPU':>5} {'x jam':>5} | "
          f"{'detik':>7} {'CPU s':>7} {'x CPU':>5} {'x jam':>5}")
    for jobs in ns.jobs:
        rows: dict[str, list[tuple[float, float, float, float]]] = {}
        for _rep in range(ns.ulang):
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(src, folder)
            warm_up(folder, out)
            db = ns.data / "cache.sqlite3"
            db.unlink(missing_ok=True)
            full = once(folder, jobs, out, None)
            fill = once(folder, jobs, out, db)
            same = once(folder, jobs, out, db)
            victim = sorted(folder.glob("*.xlsx"))[ns.n // 2]
            sumber = same[4].sumber  # type: ignore[attr-defined]
            kode = sumber.loc[sumber["berkas"] == victim.name, "opd_kode"].iloc[0]
            tmp = victim.with_suffix(".tmp")
            _clone(victim, tmp, kode, kode + "1")  # the OPD resubmits with a corrected code
            tmp.replace(victim)
            one = once(folder, jobs, out, db)
            meta = one[4].meta  # type: ignore[attr-defined]
            assert meta["cache_dibaca"] == 1, meta
            fresh = consolidate(folder, jobs=jobs, cache=False)
            assert fresh.kota == one[4].kota and fresh.opd.equals(one[4].opd)  # type: ignore[attr-defined]
            for name, r in (("penuh", full), ("isi cache", fill), ("ulang", same), ("1 berubah", one)):
                rows.setdefault(name, []).append(r[:4])
        for name, rs in rows.items():
            # Ratios per repetition (paired: the same minute of machine load), then their median.
            xr = [statistics.median(r[i] / f[i] for r, f in zip(rs, rows["penuh"], strict=True)) for i in range(4)]
            med = [statistics.median(c) for c in zip(*rs, strict=True)]
            print(f"{jobs:>4} {name:<10} | {med[0]:7.2f} {med[1]:7.2f} {xr[1]:5.2f} {xr[0]:5.2f} | "
                  f"{med[2]:7.2f} {med[3]:7.2f} {xr[3]:5.2f} {xr[2]:5.2f}", flush=True)


if __name__ == "__main__":
    main()
