"""Containment for reading untrusted workbooks in worker processes.

A file may make a native library abort the whole process (python-calamine aborts when an allocation
fails), or take far longer than any real workbook.  The reader's pre-checks
(:mod:`sakip_xl.excel.xlsxparts`) refuse every such file known, and this module contains what is
left: batch commands (``periksa``, ``konsolidasi``) read files in worker processes that

* have a **memory ceiling**: the address space is limited to what the worker had after start-up plus
  :data:`MEMORY_PER_FILE` (a bigger allocation fails: a ``MemoryError`` in Python, an abort in native
  code, which only ends that worker);
* have a **CPU-time budget per file**, linear in the file's size (:func:`cpu_budget`); a worker over
  budget is ended by the kernel (SIGXCPU), never by a wall clock, so a loaded machine is not a hang;
* **end with their parent**: a watchdog thread ends the worker when its parent process is gone (a
  killed ``sakip-xl`` never leaves readers behind).

:func:`run_isolated` runs one call in a fresh guarded process and says, in Indonesian, why it died
when it did (the engine and ``periksa`` use it to retry, alone, the files of a worker that died).
Everything here is a no-op outside a guarded worker (the library's in-process calls are never
limited).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "MEMORY_PER_FILE",
    "CPU_BASE_SECONDS",
    "CPU_SECONDS_PER_MIB",
    "worker_init",
    "guarded",
    "cpu_count",
    "map_isolated",
    "cpu_budget",
    "budget_seconds",
    "Crash",
    "run_isolated",
    "crash_reason",
]

T = TypeVar("T")

#: address space a worker may use above what it had after start-up
MEMORY_PER_FILE = 1024 * 1024 * 1024
#: CPU seconds a file may take: a base plus a part linear in its size (a real workbook takes 0,01 s)
CPU_BASE_SECONDS = 20.0
CPU_SECONDS_PER_MIB = 4.0

#: wall-clock seconds after which an isolated call that has not answered is ended
WALL_TIMEOUT = 900.0

_GUARDED = False
_WATCH_INTERVAL = 0.25


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(_WATCH_INTERVAL)
        if os.getppid() != parent:  # reparented: the parent is gone
            os._exit(70)


def _vm_size() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def worker_init(parent: int | None = None, memory: int | None = MEMORY_PER_FILE) -> None:
    """Initializer of a worker process (``ProcessPoolExecutor(initializer=worker_init, ...)``)."""
    global _GUARDED
    _GUARDED = True
    threading.Thread(target=_watch_parent, args=(parent or os.getppid(),), daemon=True,
                     name="sakip-xl-parent-watch").start()
    try:
        import resource
    except ImportError:  # not on Windows: the watchdog and the budgets are what is left
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an abort writes no core file
    except (ValueError, OSError):
        pass
    base = _vm_size()
    if memory is not None and base is not None:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        want = base + memory
        if hard == resource.RLIM_INFINITY or want < hard:
            try:
                resource.setrlimit(resource.RLIMIT_AS, (want, hard))
            except (ValueError, OSError):
                pass


def cpu_count() -> int:
    """CPUs available to this process."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on every platform
        return max(1, os.cpu_count() or 1)


def guarded() -> bool:
    """True in a guarded worker process."""
    return _GUARDED


def budget_seconds(size: int | None) -> float:
    """The CPU seconds allowed for a file of ``size`` bytes."""
    return CPU_BASE_SECONDS + CPU_SECONDS_PER_MIB * (size or 0) / (1024 * 1024)


@contextmanager
def cpu_budget(size: int | None) -> Iterator[None]:
    """Within a guarded worker, the kernel ends the process when this block uses more CPU time
    than :func:`budget_seconds` allows (SIGXCPU).  Elsewhere nothing happens."""
    if not _GUARDED:
        yield
        return
    try:
        import resource
    except ImportError:
        yield
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    now = used.ru_utime + used.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    limit = int(now + budget_seconds(size)) + 1
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))


@dataclass(frozen=True)
class Crash:
    """A worker that ended without an answer."""

    exitcode: int | None
    reason: str


def crash_reason(exitcode: int | None) -> str:
    """Why a worker ended, in Indonesian (``exitcode`` as :mod:`multiprocessing` reports it)."""
    if exitcode is None:
        return "proses pembaca tidak menjawab dan dihentikan"
    if exitcode < 0:
        sig = -exitcode
        if sig == getattr(signal, "SIGXCPU", -1):
            return "waktu baca melebihi batas (batas waktu CPU per berkas, lihat docs/keamanan-berkas.md)"
        if sig == signal.SIGABRT:
            return ("pustaka pembaca (python-calamine) berhenti mendadak, biasanya karena berkas meminta "
                    "memori di luar batas")
        if sig == signal.SIGKILL:
            return "proses pembaca dihentikan paksa (kehabisan memori, atau dihentikan dari luar)"
        if sig == signal.SIGSEGV:
            return "proses pembaca berhenti karena galat memori pustaka pembaca"
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return f"proses pembaca berhenti oleh sinyal {name}"
    return f"proses pembaca berhenti dengan kode {exitcode}"


def _child(conn: Any, parent: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    worker_init(parent)
    try:
        result = fn(*args)
    except BaseException as exc:  # noqa: B036  (sent back; the parent decides)
        conn.send((False, exc))
    else:
        conn.send((True, result))
    conn.close()


def run_isolated(fn: Callable[..., T], *args: Any, timeout: float | None = None) -> T | Crash:
    """``fn(*args)`` in a fresh guarded process; its result, or a :class:`Crash` when the process
    died (an exception raised by ``fn`` is raised here).  ``timeout`` (wall-clock seconds, default
    :data:`WALL_TIMEOUT`) is the last resort against a process that neither answers nor uses CPU
    (the CPU budget ends a busy one much sooner)."""
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, os.getpid(), fn, args), daemon=True)
    proc.start()
    send.close()
    wait = timeout if timeout is not None else WALL_TIMEOUT
    try:
        if recv.poll(wait):
            try:
                ok, value = recv.recv()
            except (EOFError, OSError):
                ok, value = None, None
        else:
            ok, value = None, None
    finally:
        recv.close()
    if ok is None:
        proc.join(1.0)
        if proc.is_alive():
            proc.kill()
            proc.join()
            return Crash(None, crash_reason(None))
        return Crash(proc.exitcode, crash_reason(proc.exitcode))
    proc.join()
    if not ok:
        raise value
    return value


def map_isolated(fn: Callable[..., T], calls: list[tuple[Any, ...]], jobs: int) -> list[T | Crash]:
    """``fn(*args)`` for every ``args`` in ``calls`` in guarded worker processes, results in order.

    When a worker dies, the calls it had not answered are run again, each alone
    (:func:`run_isolated`): a call that ends its process again gives a :class:`Crash` with the
    reason, and every other call its result."""
    from concurrent.futures import ProcessPoolExecutor

    out: list[T | Crash | None] = [None] * len(calls)
    again: list[int] = []
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(calls))), initializer=worker_init,
                             initargs=(os.getpid(),)) as pool:
        futures = [pool.submit(fn, *args) for args in calls]
        for i, fut in enumerate(futures):
            try:
                out[i] = fut.result()
            except Exception:  # noqa: BLE001  (a dead worker: BrokenProcessPool; retried alone)
                again.append(i)
    for i in again:
        out[i] = run_isolated(fn, *calls[i])
    return out  # type: ignore[return-value]
