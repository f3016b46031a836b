"""Benchmark: a national-scale consolidation on a Dask LocalCluster, and the model for a bigger cluster.

    python3 benchmarks/bench_dask.py --n 20000 --workers 2            # typical city workbooks
    python3 benchmarks/bench_dask.py --n 2000 --workers 2 --besar      # 80-indicator workbooks
    python3 benchmarks/bench_dask.py --n 20000 --model 16              # model a 16-worker cluster

Workbooks: ``bench_consolidate``'s generated city (100 distinct OPDs written from the template),
copied with a new OPD code each (no two duplicates) up to N, in parallel; ``--besar`` copies its
80-indicator workbook instead.  Every part is measured in the same run:

* ``tugas kosong``: the scheduler's cost of one task (an empty batch, submitted 400 times through
  the same executor): wall clock per task and worker;
* ``pekerja``: CPU seconds used by each Dask worker process during the run (``Client.run`` +
  ``getrusage``), and per workbook;
* ``klien``: CPU of this process (the client, plus the LocalCluster's scheduler, which runs in it)
  during the run, while the workers read; then the serial tail after the last batch:
  ``build_rekap`` (inside ``consolidate``) and writing ``rekap.xlsx``; peak memory (``ru_maxrss``);
* wall clock, workbooks per second, per worker.

The model for ``--model W`` workers: every worker reads N/W workbooks at the measured CPU per
workbook plus the measured scheduler cost per task; the client's serial tail (measured at this N)
comes after.  Nothing is scaled that was not measured at the same N.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_consolidate import prepare, prepare_besar  # noqa: E402

from sakip_xl.consolidation import consolidate, dask_executor  # noqa: E402
from sakip_xl.consolidation.engine import process_batch  # noqa: E402
from sakip_xl.consolidation.executors import batch_size  # noqa: E402


def _clone_many(args: tuple[list[tuple[str, str, str, str]]]) -> int:
    """Copies with another OPD code (zlib level 1: the copies are made fast, read as usual)."""
    (jobs,) = args
    for src, dst, old, new in jobs:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "xl/sharedStrings.xml":
                    data = data.replace(f"<t>{old}</t>".encode(), f"<t>{new}</t>".encode(), 1)
                zout.writestr(item, data)
    return len(jobs)


def folder_of(data: Path, n: int, besar: bool) -> Path:
    """``n`` workbooks with distinct OPD codes (made once per data folder)."""
    folder = data / (f"dask_besar{n}" if besar else f"dask{n}")
    if folder.exists() and len(list(folder.glob("*.xlsx"))) == n:
        return folder
    if besar:
        base = prepare_besar(data, 1)
        sources = sorted(base.glob("*.xlsx"))
        codes = ["9.00000"]
    else:
        base = prepare(data, 100)
        sources = sorted(base.glob("*.xlsx"))
        codes = [p.name.split("_", 1)[0] for p in sources]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    jobs = []
    for i in range(n):
        src, old = sources[i % len(sources)], codes[i % len(sources)]
        new = f"7.{i // 1000:03d}.{i % 1000:03d}"
        jobs.append((str(src), str(folder / f"{new}.xlsx"), old, new))
    print(f"menyalin {n} workbook ke {folder} ...", file=sys.stderr, flush=True)
    chunks = [jobs[i:i + 200] for i in range(0, len(jobs), 200)]
    with ProcessPoolExecutor(2) as pool:
        sum(pool.map(_clone_many, [(c,) for c in chunks]))
    return folder


def _worker_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _my_cpu() -> float:
    return time.process_time()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--model", type=int, nargs="+", default=[16])
    ap.add_argument("--besar", action="store_true")
    ap.add_argument("--data", type=Path, default=Path("/tmp/sakip-bench"))
    ap.add_argument("--folder", type=Path, help="a folder of N workbooks already made (e.g. bench_consolidate's)")
    ns = ap.parse_args()
    ns.data.mkdir(parents=True, exist_ok=True)
    folder = ns.folder or folder_of(ns.data, ns.n, ns.besar)
    out = ns.data / "rekap_dask.xlsx"
    t_start = time.perf_counter()
    with dask_executor(n_workers=ns.workers) as ex:
        client = ex.client
        started = time.perf_counter() - t_start
        warm = sorted(folder.glob("*.xlsx"))[:2]
        consolidate(warm, executor=ex).to_excel(ns.data / "pemanasan.xlsx")
        # Scheduler cost per task: empty batches through the same path as real ones.
        e0, m0, t0 = client.run(_worker_cpu), _my_cpu(), time.perf_counter()
        for fut in [ex.submit(process_batch, [], None, None) for _ in range(400)]:
            fut.result()
        per_task_wall = (time.perf_counter() - t0) * ns.workers / 400
        e1, m1 = client.run(_worker_cpu), _my_cpu()
        # CPU of one task, on the workers and in the scheduler + client (load-independent).
        per_task = (sum(e1[k] - e0[k] for k in e1) + (m1 - m0)) / 400
        # The cluster's own background work in this process (scheduler and client heartbeats,
        # event loops): CPU per second of wall clock while idle, so it can be told from the
        # client's work, which does not grow with a slow machine's longer wall clock.
        i0, iw = _my_cpu(), time.perf_counter()
        time.sleep(5.0)
        idle_rate = (_my_cpu() - i0) / (time.perf_counter() - iw)
        cpu0 = client.run(_worker_cpu)
        my0, w0 = _my_cpu(), time.perf_counter()
        timing: dict[str, float] = {}

        def progress(done: int, total: int, _label: str) -> None:
            if done == total:
                timing["baca"] = time.perf_counter() - w0
                timing["cpu_baca"] = _my_cpu() - my0

        rk = consolidate(folder, executor=ex, progress=progress, cache=False)
        w1, my1 = time.perf_counter(), _my_cpu()
        rk.to_excel(out)
        w2, my2 = time.perf_counter(), _my_cpu()
        cpu1 = client.run(_worker_cpu)
        n_tasks = -(-ns.n // batch_size(ns.n, ns.workers))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = ns.n
    assert rk.kota["n_dikonsolidasi"] == n, rk.kota
    worker_cpu = sum(cpu1[k] - cpu0[k] for k in cpu1)
    per_wb = worker_cpu / n
    tail_build = (my1 - my0) - timing["cpu_baca"]
    tail_write = my2 - my1
    wall = w2 - w0
    print(f"{'besar (80 indikator)' if ns.besar else 'kota contoh'}: N = {n}, {ns.workers} pekerja Dask "
          f"(proses, 1 thread), klaster dinyalakan dalam {started:.1f} s")
    print(f"  jam dinding: baca {timing['baca']:.1f} s, sampai rekap {w1 - w0:.1f} s, + rekap.xlsx {wall:.1f} s "
          f"= {n / wall:.0f} wb/s ({n / wall / ns.workers:.0f} wb/s per pekerja; "
          f"selama baca {n / timing['baca'] / ns.workers:.0f} wb/s per pekerja)")
    print(f"  pekerja: {worker_cpu:.1f} s CPU = {per_wb * 1000:.2f} ms CPU per workbook; "
          f"{n_tasks} tugas ({-(-n // n_tasks)} berkas per tugas)")
    print(f"  penjadwal: tugas kosong {per_task * 1000:.2f} ms CPU (pekerja + penjadwal + klien), "
          f"{per_task_wall * 1000:.2f} ms jam dinding per pekerja; "
          f"{per_task / (per_wb * -(-n // n_tasks)) * 100:.2f} % dari kerja satu tugas")
    print(f"  klien: {timing['cpu_baca']:.1f} s CPU selama baca (termasuk penjadwal LocalCluster), "
          f"ekor serial: rekap {tail_build:.1f} s + tulis rekap.xlsx {tail_write:.1f} s CPU; "
          f"puncak memori {peak:.0f} MiB")
    client_read = max(0.0, timing["cpu_baca"] - idle_rate * timing["baca"])
    print(f"  klien selama baca tanpa latar klaster ({idle_rate * 1000:.0f} ms CPU per detik saat diam): "
          f"{client_read:.1f} s CPU = {client_read / n * 1000:.2f} ms per workbook")
    for w in ns.model:
        # The client takes the batches as they come: the read phase lasts as long as the slower
        # of the workers and the client's own work per batch.
        read = max(n * per_wb / w + n_tasks * per_task / w, client_read)
        total = read + tail_build + tail_write
        print(f"  model {w} pekerja: baca {read:.1f} s + ekor klien {tail_build + tail_write:.1f} s "
              f"= {total:.1f} s; memori klien {peak:.0f} MiB (tidak bergantung pada jumlah pekerja)")


if __name__ == "__main__":
    main()
