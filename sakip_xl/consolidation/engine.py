"""The consolidation engine: read every OPD workbook (in parallel), score it, roll the city up.

:func:`consolidate` is the one entry point used by the library, the CLI and the add-in.  The
per-file work (:func:`process_file`) takes a path and returns a small picklable
:class:`FileResult`; it never raises, so one bad or hostile workbook never stops the batch.  Files
are sent to the executor in batches and the results are put back in input order, so the same
inputs give the same summary whatever the executor.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SakipError
from ..guard import MEMORY_PER_FILE, Crash, cpu_budget, run_isolated
from ..issues import Issue, Severity
from ..oserr import explain
from ..policy import Policy, default_policy
from .cache import ResultCache, default_cache_path
from .executors import InlineExecutor, batch_size, local_executor, worker_count
from .lalu import add_perubahan, read_rekap_lalu
from .opd import OPDResult, score_opd
from .progress import Progress
from .rekap import Rekap, build_rekap
from .sources import (
    OTHER_SPREADSHEETS,
    OPDHarapan,
    SumberError,
    TahunError,
    check_output,
    discover,
    read_daftar_opd,
    refuse_inputs_as_output,
)

__all__ = ["FileResult", "process_file", "process_batch", "consolidate", "file_facts"]

#: Read status of one input file (shown in the "Sumber" sheet).
STATUS_DIBACA = "Dibaca"
STATUS_GAGAL = "Gagal dibaca"
STATUS_TIDAK_DIDUKUNG = "Format tidak didukung"
STATUS_REKAP = "Dilewati: rekap kota"
#: Sheets that mark a city summary written by sakip-xl (found in the input folder: skipped).
_REKAP_SHEETS = {"Ringkasan Kota", "Per OPD", "Sumber"}


@dataclass
class FileResult:
    """What one worker learned from one file (picklable: plain values, Issues and rows)."""

    index: int
    path: str
    nama: str
    sha256: str | None = None
    ukuran: int | None = None
    status: str = STATUS_GAGAL
    versi_template: str | None = None
    opd: OPDResult | None = None
    issues: list[Issue] = field(default_factory=list)
    detik: float = 0.0


def file_facts(path: str | Path) -> tuple[str, int]:
    """SHA-256 (hex) and size in bytes of a file, read once in 1 MiB blocks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def _fail(res: FileResult, code: str, message: str, hint: str | None = None) -> FileResult:
    res.issues.append(Issue(code=code, severity=Severity.ERROR, file=res.nama, message=message, hint=hint))
    return res


def process_file(index: int, path: str, nama: str, policy: Policy | None = None,
                 sampai_tw: int | None = None) -> FileResult:
    """Read, check and score one file.  Never raises: every failure becomes an Issue."""
    start = time.perf_counter()
    res = FileResult(index=index, path=path, nama=nama)
    try:
        with cpu_budget(_size(path)):  # in a guarded worker: ended by the kernel when over budget
            _process(res, policy or default_policy(), sampai_tw)
    except MemoryError:
        res.opd = None
        res.status = STATUS_GAGAL
        _fail(res, "REKAP_PROSES_GAGAL", f"Berkas memerlukan memori melebihi batas per berkas "
              f"({MEMORY_PER_FILE // (1024 * 1024)} MiB).",
              "Berkas mungkin rusak atau berbahaya; minta OPD mengirim ulang dari template.")
    except Exception as exc:  # the batch boundary: a hostile file must not stop the others
        res.opd = None
        res.status = STATUS_GAGAL
        _fail(res, "REKAP_INTERNAL", f"Berkas tidak dapat diproses: galat internal sakip-xl ({type(exc).__name__}).",
              "Laporkan berkas ini ke tim sakip-xl.")
    res.detik = time.perf_counter() - start
    return res


def _size(path: str) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


def _process(res: FileResult, policy: Policy, sampai_tw: int | None) -> None:
    from ..excel.reader import check_workbook_full

    try:
        res.sha256, res.ukuran = file_facts(res.path)
    except OSError as exc:
        message, hint, _ = explain(exc, res.nama)
        _fail(res, "BACA", message[:1].upper() + message[1:] + ".", hint)
        return
    if Path(res.path).suffix.lower() in OTHER_SPREADSHEETS:
        res.status = STATUS_TIDAK_DIDUKUNG
        _fail(res, "REKAP_FORMAT", f"Format {Path(res.path).suffix} tidak didukung; workbook OPD harus .xlsx.",
              "Simpan ulang dari template sakip-xl sebagai Excel Workbook (.xlsx).")
        return
    rk = None
    try:
        wb, issues, rk = check_workbook_full(res.path, policy)
    except SakipError as exc:  # check_workbook reports instead of raising; be safe anyway
        wb, issues = None, [Issue(code=exc.code, severity=Severity.ERROR, message=exc.message, hint=exc.hint)]
    if wb is None and any(i.code == "BUKAN_SAKIP" for i in issues) and _is_rekap(res.path):
        res.status = STATUS_REKAP
        res.issues.append(Issue(code="REKAP_BERKAS_REKAP", severity=Severity.INFO, file=res.nama,
                                message="Berkas ini rekap kota buatan sakip-xl, bukan workbook OPD; dilewati."))
        return
    if sampai_tw not in (None, 4):  # the full-year label does not apply: the run to TW n labels its own
        issues = [i for i in issues if i.code != "CAPAIAN_BELUM_SETAHUN"]
    res.issues.extend(i.with_file(res.nama) for i in issues)
    if wb is None:
        res.status = STATUS_GAGAL
        if not any(i.severity is Severity.ERROR for i in res.issues):
            _fail(res, "BACA", "Workbook tidak dapat dibaca.")
        return
    res.status = STATUS_DIBACA
    res.versi_template = wb.profil.versi_template or None
    # the reader's roll-up is reused (computed once per workbook); its checks are already in the issues
    res.opd = score_opd(wb, policy, sampai_tw, file=res.nama, ringkasan_tahunan=rk, checked=True)
    res.issues.extend(res.opd.issues)
    res.opd.issues = []


def _is_rekap(path: str) -> bool:
    from python_calamine import CalamineWorkbook

    try:
        return _REKAP_SHEETS <= set(CalamineWorkbook.from_path(path).sheet_names)
    except Exception:  # unreadable: not a summary we wrote
        return False


def process_batch(items: Sequence[tuple[int, str, str]], policy: Policy | None = None,
                  sampai_tw: int | None = None) -> list[FileResult]:
    """:func:`process_file` over a batch of ``(index, path, nama)`` (one task per batch)."""
    return [process_file(i, p, n, policy, sampai_tw) for i, p, n in items]


#: The per-batch work: ``(items, policy, sampai_tw) -> results`` (a module-level function: it is
#: pickled by reference to the workers).
BatchFn = Callable[[Sequence[tuple[int, str, str]], "Policy | None", "int | None"], "list[FileResult]"]


def _failed(item: tuple[int, str, str], reason: str) -> FileResult:
    idx, path, nama = item
    res = FileResult(index=idx, path=path, nama=nama)
    try:
        res.sha256, res.ukuran = file_facts(path)
    except OSError:
        pass
    return _fail(res, "REKAP_PROSES_GAGAL", f"Berkas tidak dapat dibaca: {reason}.",
                 "Berkas mungkin rusak atau berbahaya; minta OPD mengirim ulang dari template.")


def _retry(items: Sequence[tuple[int, str, str]], policy: Policy, sampai_tw: int | None) -> list[FileResult]:
    """Files of batches whose worker died, each alone in a fresh guarded process: a file that
    ends that process too is recorded as failed, with the reason (time or memory limit, native
    abort), and the others are read as usual."""
    out: list[FileResult] = []
    for item in items:
        try:
            got = run_isolated(process_file, *item, policy, sampai_tw)
        except Exception as exc:  # process_file never raises; pickling might
            out.append(_failed(item, f"galat internal sakip-xl ({type(exc).__name__})"))
            continue
        out.append(_failed(item, got.reason) if isinstance(got, Crash) else got)
    return out


def _retry_on(executor: Executor, items: Sequence[tuple[int, str, str]], policy: Policy,
              sampai_tw: int | None, fn: BatchFn) -> tuple[list[FileResult], list[tuple[int, str, str]]]:
    """Files of failed batches, each as its own task on the same executor (a Dask cluster
    reschedules them on live workers).

    First all at once; the files whose task failed again then one at a time (a file that kills a
    worker also takes the tasks running beside it), and a file that fails alone is recorded as
    failed.  Returns the results and the files the executor could not take (a broken local pool:
    retried in a fresh local process).
    """
    out: list[FileResult] = []
    local: list[tuple[int, str, str]] = []

    def submit(group: Sequence[tuple[int, str, str]]) -> list[tuple[tuple[int, str, str], BaseException]]:
        futures: dict[Future[list[FileResult]], tuple[int, str, str]] = {}
        for item in group:
            try:
                futures[executor.submit(fn, [item], policy, sampai_tw)] = item
            except Exception:  # noqa: BLE001  (a broken or shut-down pool: retried locally)
                local.append(item)
        failed: list[tuple[tuple[int, str, str], BaseException]] = []
        for fut in as_completed(futures):
            item = futures[fut]
            try:
                out.extend(fut.result())
            except BrokenProcessPool:
                local.append(item)
            except Exception as exc:  # noqa: BLE001  (the worker died while running this file)
                failed.append((item, exc))
        return failed

    again = submit(items)
    for item, _exc in sorted(again):
        for _item, exc in submit([item]):
            out.append(_failed(item, f"proses pembaca berhenti ({type(exc).__name__})"))
    return out, local


def _display_names(paths: Sequence[Path], sources: Sequence[Path]) -> list[str]:
    """Paths relative to the folder given (or the file name), with forward slashes."""
    dirs = [s.resolve() for s in sources if s.is_dir()]
    out = []
    for p in paths:
        r = p.resolve()
        name = p.name
        for d in dirs:
            if r.is_relative_to(d):
                name = r.relative_to(d).as_posix()
                break
        out.append(name)
    return out


def run_files(items: Sequence[tuple[int, str, str]], policy: Policy, sampai_tw: int | None,
              executor: Executor, progress: Progress | None = None,
              fn: BatchFn = process_batch) -> list[FileResult]:
    """Process ``items`` on ``executor`` in batches; results in input order.

    A batch whose worker died is split into single files and retried on the same executor (on a
    Dask cluster: other workers); only what a broken local pool cannot take runs in a fresh
    local process, one file at a time.
    """
    size = batch_size(len(items), worker_count(executor))
    batches = [list(items[i:i + size]) for i in range(0, len(items), size)]
    futures: dict[Future[list[FileResult]], list[tuple[int, str, str]]] = {
        executor.submit(fn, b, policy, sampai_tw): b for b in batches
    }
    results: list[FileResult] = []
    retry: list[tuple[int, str, str]] = []
    done = 0
    for fut in as_completed(futures):
        batch = futures[fut]
        try:
            results.extend(fut.result())
        except Exception:  # a worker died (hostile file, out of memory): retry its files alone
            retry.extend(batch)
        done += len(batch)
        if progress is not None:
            progress(done, len(items), batch[-1][2])
    if retry:
        again, local = _retry_on(executor, sorted(retry), policy, sampai_tw, fn)
        results.extend(again)
        results.extend(_retry(sorted(local), policy, sampai_tw))
    results.sort(key=lambda r: r.index)
    return results


def _check_year(results: Sequence[FileResult], tahun: int) -> None:
    """One clear error when ``--tahun`` matches none of the workbooks read (instead of a summary
    with an error for every file)."""
    from collections import Counter

    from ..fmt import angka

    years = Counter(r.opd.tahun for r in results if r.opd is not None)
    if not years or tahun in years:
        return
    found = "; ".join(f"{angka(n)} workbook bertahun {y if y is not None else '(kosong)'}"
                      for y, n in sorted(years.items(), key=lambda kv: (-kv[1], str(kv[0]))))
    best = max((y for y in years if y is not None), key=lambda y: (years[y], y), default=None)
    raise TahunError(f"tidak ada workbook {tahun}; {found}",
                     hint=f"pakai --tahun {best}" if best is not None else "Isi Tahun pada lembar Profil.")


def _hash_all(paths: Sequence[str]) -> list[str | None]:
    """SHA-256 of every file (threads: hashlib and file reads release the GIL); None when unreadable."""
    from concurrent.futures import ThreadPoolExecutor

    def one(path: str) -> str | None:
        try:
            return file_facts(path)[0]
        except OSError:
            return None

    if len(paths) < 8:
        return [one(x) for x in paths]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(one, paths, chunksize=64))


def _run_cached(items: Sequence[tuple[int, str, str]], policy: Policy, sampai_tw: int | None,
                executor: Executor, progress: Progress | None, store: ResultCache | None) -> list[FileResult]:
    """:func:`run_files` for the files the cache does not hold; cached results for the others."""
    if store is None or not store.active:
        return run_files(items, policy, sampai_tw, executor, progress)
    shas = _hash_all([path for _i, path, _n in items])
    keys = [(sha, nama) for sha, (_i, _p, nama) in zip(shas, items, strict=True) if sha is not None]
    found = store.get_many(keys)
    hits: list[FileResult] = []
    todo: list[tuple[int, str, str]] = []
    for sha, item in zip(shas, items, strict=True):
        res = found.get((sha, item[2])) if sha is not None else None
        if res is None:
            todo.append(item)
        else:
            res.index, res.path = item[0], item[1]
            hits.append(res)
    fresh = run_files(todo, policy, sampai_tw, executor, progress) if todo else []
    store.put_many(fresh)
    if progress is not None and not todo:
        progress(len(items), len(items), items[-1][2])
    return sorted([*hits, *fresh], key=lambda r: r.index)


def _open_cache(cache: str | Path | ResultCache | bool | None, policy: Policy,
                sampai_tw: int | None) -> ResultCache | None:
    if isinstance(cache, ResultCache):
        return cache
    if cache is None or cache is False:
        return None
    return ResultCache(default_cache_path() if cache is True else Path(cache), policy, sampai_tw)


def consolidate(
    sources: str | Path | Iterable[str | Path],
    policy: Policy | None = None,
    sampai_tw: int | None = None,
    executor: Executor | None = None,
    *,
    tahun: int | None = None,
    daftar_opd: str | Path | Sequence[OPDHarapan] | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    exclude: Iterable[str | Path] = (),
    rekap_lalu: str | Path | None = None,
    output: str | Path | None = None,
    cache: str | Path | ResultCache | bool | None = None,
) -> Rekap:
    """Consolidate every OPD workbook in ``sources`` (files and/or folders) into a :class:`Rekap`.

    ``sampai_tw`` (1-4) limits the quarters used (None: the whole year, against the annual PK
    target).  ``executor`` is any :class:`concurrent.futures.Executor` (a local process pool with
    ``jobs`` workers when None).  ``tahun`` picks the year (default: the year most workbooks
    declare); ``daftar_opd`` is the list of expected OPDs (a file or :class:`OPDHarapan` items).
    ``rekap_lalu`` is last year's summary (a ``rekap_kota.xlsx`` or a folder written by
    :meth:`Rekap.to_parquet` / :meth:`Rekap.to_csv`): the per-OPD table and the city figures then
    also hold last year's values and the change (this year minus last year).
    ``output`` is where the summary will be written: it is checked before any workbook is read
    (refused when it is one of the inputs, unless it is a summary sakip-xl wrote; refused when it
    cannot be written), and it is never read as an input.
    ``cache`` is the result cache (:mod:`.cache`): a path to its SQLite file, an open
    :class:`ResultCache`, ``True`` for the user's default cache file, or None/False for none.  Only
    files whose content (or the policy, or sakip-xl) changed are read again; the summary is the
    same as without a cache.  ``Rekap.meta`` says how many results came from it.
    Inputs are only read, never modified.
    """
    p = policy or default_policy()
    p.require_per_kriteria("konsolidasi")
    if sampai_tw is not None and (isinstance(sampai_tw, bool) or sampai_tw not in (1, 2, 3, 4)):
        raise SumberError(f"sampai_tw harus 1, 2, 3 atau 4, bukan {sampai_tw!r}")
    expected: list[OPDHarapan] | None
    if daftar_opd is None:
        expected = None
    elif isinstance(daftar_opd, (str, Path)):
        expected = read_daftar_opd(daftar_opd)
    else:
        expected = list(daftar_opd)
    lalu = read_rekap_lalu(rekap_lalu) if rekap_lalu is not None else None
    src_list = [Path(s) for s in ([sources] if isinstance(sources, (str, Path)) else list(sources))]
    skip = [Path(e) for e in exclude] + ([Path(rekap_lalu)] if rekap_lalu is not None else [])
    if output is not None:
        check_output(output)
    paths = discover(src_list, exclude=skip)
    if output is not None:
        refuse_inputs_as_output(output, paths)
        target = Path(output).resolve()
        paths = [f for f in paths if f.resolve() != target]
    if not paths:
        raise SumberError("Tidak ada workbook (.xlsx) di sumber yang diberikan.",
                          hint="Arahkan ke folder berisi workbook OPD yang sudah diisi.")
    names = _display_names(paths, src_list)
    items = [(i, str(path), name) for i, (path, name) in enumerate(zip(paths, names, strict=True))]
    start = time.perf_counter()
    own = executor is None
    if executor is None:
        executor = local_executor(1 if len(items) < 4 else jobs)
    store = _open_cache(cache, p, sampai_tw)
    try:
        results = _run_cached(items, p, sampai_tw, executor, progress, store)
    finally:
        if own:
            executor.shutdown(wait=True)
        if store is not None and store is not cache:
            store.close()
    if tahun is not None:
        _check_year(results, tahun)
    rekap = build_rekap(results, p, sampai_tw=sampai_tw, tahun=tahun, expected=expected)
    if lalu is not None:
        add_perubahan(rekap, lalu)
    if store is not None:
        rekap.meta.update(store.stats())
    rekap.meta["detik_baca"] = time.perf_counter() - start
    rekap.meta["eksekutor"] = type(executor).__name__
    rekap.meta["pekerja"] = worker_count(executor) if not isinstance(executor, InlineExecutor) else 1
    return rekap
