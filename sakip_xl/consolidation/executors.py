"""Where the per-file work runs: in-process, a local process pool, or a Dask cluster.

Every variant is a :class:`concurrent.futures.Executor`; the engine only uses ``submit`` and
batches files itself (Dask's ``map`` ignores ``chunksize`` and each task costs milliseconds, as
much as reading a small workbook: see the shared performance notes).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from ..errors import SakipError

__all__ = [
    "InlineExecutor",
    "ProcessPool",
    "DaskExecutor",
    "ExecutorError",
    "local_executor",
    "dask_executor",
    "worker_count",
    "batch_size",
    "default_jobs",
]

T = TypeVar("T")


class ExecutorError(SakipError, RuntimeError):
    """The requested executor cannot be started (Dask missing, scheduler unreachable ...)."""

    code = "EKSEKUTOR"


class InlineExecutor(Executor):
    """Runs each call at once in this process (``--jobs 1``: no pool start-up, easy debugging)."""

    def __init__(self) -> None:
        self._shutdown = False

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if self._shutdown:
            raise RuntimeError("executor sudah dihentikan")
        fut: Future[T] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: B036  (delivered through the future, as a pool would)
            fut.set_exception(exc)
        return fut

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._shutdown = True


def default_jobs() -> int:
    """One worker per CPU available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


class ProcessPool(ProcessPoolExecutor):
    """A pool of guarded worker processes (:func:`sakip_xl.guard.worker_init`: a memory ceiling,
    a CPU budget per file, and they end with their parent) that says how many it has."""

    def __init__(self, max_workers: int) -> None:
        from ..guard import worker_init

        super().__init__(max_workers=max_workers, initializer=worker_init, initargs=(os.getpid(),))
        self.workers = max_workers


class DaskExecutor(Executor):
    """A :class:`concurrent.futures.Executor` over a Dask client (``pure=False``: every submit runs).

    ``workers`` is the number of Dask worker *processes* (not threads): each runs one batch at a
    time, whatever its thread count, because reading a workbook holds the GIL.
    """

    def __init__(self, client: Any) -> None:
        self.client = client
        self._inner = client.get_executor(pure=False)

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        return self._inner.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._inner.shutdown(wait=wait)

    @property
    def workers(self) -> int:
        try:
            return max(1, len(self.client.scheduler_info()["workers"]))
        except Exception:  # noqa: BLE001  (a client that lost its scheduler: one)
            return 1


def local_executor(jobs: int | None = None, *, isolate: bool = False) -> Executor:
    """``jobs`` worker processes (1: in-process, unless ``isolate``: then one worker process).

    Workers are guarded (:func:`sakip_xl.guard.worker_init`): a memory ceiling, a CPU budget per
    file, and they end with their parent."""
    n = default_jobs() if jobs is None else jobs
    if n < 1:
        raise ExecutorError(f"jumlah proses (--jobs) harus >= 1, bukan {n}")
    if n == 1 and not isolate:
        return InlineExecutor()
    return ProcessPool(n)


@contextmanager
def dask_executor(scheduler: str | None = None, n_workers: int | None = None) -> Iterator[DaskExecutor]:
    """A :class:`DaskExecutor` on ``scheduler``, or on a LocalCluster of ``n_workers`` processes
    (one thread each).  The cluster (when started here) and the client are closed on exit.
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # the optional extra is not installed
        raise ExecutorError(
            "Dask tidak terpasang.", hint="Pasang dengan: python3 -m pip install 'sakip-xl[dask]'"
        ) from exc
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(n_workers=n_workers or default_jobs(), threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ExecutorError(f"Tidak dapat terhubung ke penjadwal Dask {scheduler!r}: {exc}") from exc
    try:
        yield DaskExecutor(client)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def worker_count(executor: Executor) -> int:
    """How many batches the executor runs at once: its ``workers`` (sakip-xl's executors: worker
    processes), 1 in-process, else one per CPU here (an executor of unknown size)."""
    if isinstance(executor, InlineExecutor):
        return 1
    n = getattr(executor, "workers", None)
    if isinstance(n, int) and n > 0:
        return n
    return default_jobs()


def batch_size(n_files: int, workers: int, largest: int = 64) -> int:
    """Files per task: about four tasks per worker (for balance), never more than ``largest``."""
    if n_files <= 0:
        return 1
    return max(1, min(largest, math.ceil(n_files / (max(1, workers) * 4))))
