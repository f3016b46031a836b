"""Where the per-file work runs: worker processes end with their parent, Dask workers are counted
by processes, and a batch whose worker died is retried on the cluster (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from sakip_xl.consolidation import consolidate
from sakip_xl.consolidation.engine import FileResult, process_batch, run_files
from sakip_xl.consolidation.executors import DaskExecutor, ProcessPool, local_executor, worker_count
from sakip_xl.demo import generate_city, write_city
from sakip_xl.policy import Policy

_ORPHAN = """
import multiprocessing, os, signal, sys, time
from sakip_xl.consolidation.executors import local_executor

if __name__ == "__main__":
    ex = local_executor(2)
    futures = [ex.submit(time.sleep, 60) for _ in range(2)]
    time.sleep(1.0)
    print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            state = next(line for line in f if line.startswith("State:"))
    except (FileNotFoundError, StopIteration, ProcessLookupError):
        return False
    return "Z" not in state.split()[1]  # a zombie has ended


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_pool_workers_end_with_their_parent() -> None:
    r = subprocess.run([sys.executable, "-c", _ORPHAN], capture_output=True, text=True, timeout=60)
    pids = [int(x) for x in r.stdout.split()]
    assert len(pids) == 2, (r.stdout, r.stderr)
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in pids if _alive(p)], "pekerja masih hidup setelah induknya mati"


def test_local_executor_counts_its_processes() -> None:
    ex = local_executor(3)
    try:
        assert isinstance(ex, ProcessPool) and worker_count(ex) == 3
        assert ex.submit(pow, 2, 5).result() == 32
    finally:
        ex.shutdown()


# --------------------------------------------------------------------------- Dask
@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("exec")
    write_city(generate_city(8, seed=41, kesalahan=False), base, jobs=1, rusak=False)
    return base


def crash_on_pendidikan(items: Sequence[tuple[int, str, str]], policy: Policy | None,
                        sampai_tw: int | None) -> list[FileResult]:
    """A batch function that kills its worker process on one file (as a hostile file or the OOM
    killer would)."""
    if any("pendidikan" in path for _i, path, _n in items):
        os._exit(1)
    return process_batch(items, policy, sampai_tw)


@pytest.mark.slow
def test_dask_counts_worker_processes_not_threads() -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        ex = DaskExecutor(client)
        assert worker_count(ex) == 2
        assert sum(client.nthreads().values()) == 4


@pytest.mark.slow
def test_dask_retries_a_failed_batch_on_the_cluster(folder: Path) -> None:
    """A batch whose worker died is split into files and run again on the cluster's other
    workers; only the file that kills a worker again is recorded as failed."""
    distributed = pytest.importorskip("distributed")
    import cloudpickle
    import dask

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import tests/
    paths = sorted(folder.glob("*.xlsx"))
    items = [(i, str(p), p.name) for i, p in enumerate(paths)]
    killer = next(i for i, p in enumerate(paths) if "pendidikan" in p.name)
    fresh = {r.index: r for r in run_files(items, Policy(), None, local_executor(1))}
    # No rescheduling by Dask itself: the first worker death fails the batch (KilledWorker).
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        ex = DaskExecutor(client)
        results = run_files(items, Policy(), None, ex, fn=crash_on_pendidikan)
    assert [r.index for r in results] == list(range(len(items)))
    for r in results:
        if r.index == killer:
            assert r.opd is None and [i.code for i in r.issues] == ["REKAP_PROSES_GAGAL"]
        else:
            assert r.opd is not None and r.opd.ringkas == fresh[r.index].opd.ringkas  # type: ignore[union-attr]


def test_a_broken_local_pool_still_retries_locally(folder: Path) -> None:
    """On a local pool the worker death breaks the pool: the files go to a fresh local process."""
    paths = sorted(folder.glob("*.xlsx"))
    items = [(i, str(p), p.name) for i, p in enumerate(paths)]
    with ProcessPool(2) as pool:
        results = run_files(items, Policy(), None, pool, fn=crash_on_pendidikan)
    bad = [r for r in results if r.opd is None]
    # The retry runs process_file itself, so even the crashing file is read in the end.
    assert not bad and len(results) == len(items)
    assert consolidate(folder, jobs=1).kota["n_dikonsolidasi"] == len(items)
