"""Result cache of the consolidation: a file already read is not read again (issue 18).

A Bagian Organisasi re-consolidates after every resubmission, a national evaluator every day as
files arrive: only the files that changed need reading.  The per-file result
(:class:`~sakip_xl.consolidation.engine.FileResult`) is stored under a key of

* the file's **SHA-256** and its display name (issues name the file),
* the **sakip-xl version** and a fingerprint of the installed package's files (code, criteria
  lists, templates: a changed rule is a changed version even before the version number moves),
* the **policy's hash** (every setting, plus the bytes of a city's own criteria CSV) and
  ``sampai_tw``,

and is valid for a range of dates: the checks that depend on the current date (a follow-up past its
deadline, a year too far ahead) give the same answer from the day it was read up to the first
follow-up deadline still ahead (and the end of that year).  Outside that range, or under any other
key, the file is read afresh, so the cache never yields a summary different from a fresh read.

**Why SQLite** (``sqlite3`` from the standard library): one file, no server, no new dependency;
transactions, so a run killed while writing leaves the previous contents intact; its own locking,
so two runs (a ribbon click and a batch) can share one cache; an index on the key, so a lookup is
one B-tree search, not a directory scan of 20 000 small files.  A shelve/dbm file has no
transactions and differs per platform; diskcache and LMDB would add a dependency for nothing
SQLite lacks here.

Values are pickled (exact: floats, dates and every Issue field come back as they were) and
compressed; they are unpickled with an allow-list of the few classes a result holds, so a cache
file that someone else wrote cannot run code.  A corrupt or unreadable cache never breaks a run:
it is moved aside (``*.rusak``), a fresh one is started, and the run goes on (at worst reading
every file).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle
import sqlite3
import sys
import time
import zlib
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..policy import Policy

if TYPE_CHECKING:
    from .engine import FileResult

__all__ = ["ResultCache", "default_cache_path", "code_version", "policy_hash", "valid_range", "CacheKey"]

#: Bumped when the table layout or the stored value changes shape.
SCHEMA = 1
#: Entries not used for this many days are dropped when a run ends.
KEEP_DAYS = 120

CacheKey = tuple[str, str]  # (sha256, display name)

_ALLOWED: frozenset[tuple[str, str]] = frozenset({
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    # a read-only dict (policy tables inside the roll-up model): rebuilt from a plain dict, no code
    ("sakip_xl.frozen", "FrozenDict"),
})


def _is_data_class(obj: Any) -> bool:
    """A plain data type: a dataclass, a pydantic model, an Enum or a NamedTuple (no behaviour on
    unpickling beyond setting fields)."""
    import dataclasses
    import enum

    from pydantic import BaseModel

    if not isinstance(obj, type):
        return False
    if dataclasses.is_dataclass(obj) or issubclass(obj, (BaseModel, enum.Enum)):
        return True
    return issubclass(obj, tuple) and hasattr(obj, "_fields")


class _Unpickler(pickle.Unpickler):
    """Only data types of sakip-xl itself and a few standard value types (see the pickle docs,
    "Restricting Globals"): a cache file written by someone else cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if module == "sakip_xl" or module.startswith("sakip_xl."):
            obj = super().find_class(module, name)
            if _is_data_class(obj):
                return obj
        raise pickle.UnpicklingError(f"kelas {module}.{name} tidak diizinkan di cache")


def _dumps(res: FileResult) -> bytes:
    return zlib.compress(pickle.dumps(res, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _loads(blob: bytes) -> FileResult:
    from .engine import FileResult

    obj = _Unpickler(io.BytesIO(zlib.decompress(blob))).load()
    if not isinstance(obj, FileResult):
        raise pickle.UnpicklingError("bukan FileResult")
    return obj


def default_cache_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$SAKIP_CACHE_DIR/hasil.sqlite3``, else the user's cache folder (``%LOCALAPPDATA%`` on
    Windows, ``$XDG_CACHE_HOME`` or ``~/.cache`` elsewhere) ``/sakip-xl/hasil.sqlite3``."""
    env = os.environ if environ is None else environ
    if env.get("SAKIP_CACHE_DIR"):
        return Path(env["SAKIP_CACHE_DIR"]) / "hasil.sqlite3"
    if sys.platform == "win32" and env.get("LOCALAPPDATA"):
        base = Path(env["LOCALAPPDATA"]) / "sakip-xl" / "cache"
    else:
        base = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sakip-xl"
    return base / "hasil.sqlite3"


@lru_cache(maxsize=1)
def code_version() -> str:
    """The sakip-xl version plus a SHA-256 over every file of the installed package (sorted
    relative paths and contents; ``__pycache__`` left out): about 3 ms, once per process."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode())
    try:
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for p in files:
            h.update(p.relative_to(root).as_posix().encode() + b"\0")
            h.update(p.read_bytes())
    except OSError:  # a package we cannot list (zip import ...): the version number alone
        return __version__
    return f"{__version__}+{h.hexdigest()[:16]}"


def policy_hash(policy: Policy) -> str:
    """SHA-256 of every policy setting and, for a city's own criteria list, of that file's bytes."""
    h = hashlib.sha256(policy.model_dump_json().encode())
    varian = policy.lke.varian
    if varian != "88/2021":
        try:
            h.update(Path(varian).read_bytes())
        except OSError:
            h.update(b"\0tidak-terbaca")
    return h.hexdigest()


def valid_range(res: FileResult, today: dt.date) -> tuple[dt.date, dt.date]:
    """The dates for which a result read on ``today`` stays what a fresh read gives.

    The date-dependent checks are the follow-up deadline (overdue once ``batas_waktu`` is past)
    and the Profil year (at most next year): both give the same answer until the first deadline
    not yet passed and until the year ends.  A file that could not be read is valid that day only.
    """
    if res.opd is None:
        return today, today
    until = dt.date(today.year, 12, 31)
    for row in res.opd.tindak_lanjut:
        d = row.get("batas_waktu")
        if isinstance(d, dt.datetime):
            d = d.date()
        if isinstance(d, dt.date) and d >= today:
            until = min(until, d)
    return today, until


class ResultCache:
    """The result cache in one SQLite file (see the module docstring).

    ``get`` and ``put`` never raise: any storage problem turns the cache off for the rest of the
    run (``note`` says why) and the run reads the files instead.
    """

    def __init__(self, path: str | Path, policy: Policy, sampai_tw: int | None = None,
                 today: dt.date | None = None) -> None:
        self.path = Path(path)
        self.versi = code_version()
        self.kebijakan = policy_hash(policy)
        self.sampai_tw = sampai_tw or 0
        self.today = today or dt.date.today()
        self.hits = 0
        self.misses = 0
        self.stored = 0
        self.note: str | None = None
        self._db: sqlite3.Connection | None = None
        self._open()

    # ------------------------------------------------------------------ storage
    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=NORMAL")
            row = db.execute("PRAGMA user_version").fetchone()
            if row[0] not in (0, SCHEMA):  # another layout: start again
                db.execute("DROP TABLE IF EXISTS hasil")
            db.execute(
                "CREATE TABLE IF NOT EXISTS hasil ("
                " sha256 TEXT NOT NULL, nama TEXT NOT NULL, versi TEXT NOT NULL,"
                " kebijakan TEXT NOT NULL, sampai_tw INTEGER NOT NULL,"
                " berlaku_dari TEXT NOT NULL, berlaku_sampai TEXT NOT NULL,"
                " dipakai REAL NOT NULL, data BLOB NOT NULL,"
                " PRIMARY KEY (sha256, nama, versi, kebijakan, sampai_tw))"
            )
            db.execute(f"PRAGMA user_version={SCHEMA}")
            db.execute("PRAGMA quick_check(1)").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _open(self) -> None:
        try:
            self._db = self._connect()
        except (sqlite3.Error, OSError) as exc:
            self._db = None
            self._problem(exc)

    def _problem(self, exc: BaseException) -> None:
        """A damaged file is set aside and replaced; anything else (locked, read-only, no space)
        turns the cache off for this run."""
        self._rollback()
        if _is_corrupt(exc):
            self._set_aside(exc)
        else:
            self._fail(exc)

    def _set_aside(self, exc: BaseException) -> None:
        """A damaged cache file: move it aside and start a fresh one (or run without a cache)."""
        try:
            if self.path.exists():
                os.replace(self.path, self.path.with_name(self.path.name + ".rusak"))
            for extra in ("-journal", "-wal", "-shm"):
                Path(str(self.path) + extra).unlink(missing_ok=True)
            self._db = self._connect()
            self.note = f"cache {self.path} rusak ({exc}); disisihkan sebagai .rusak, cache baru dibuat"
        except (sqlite3.Error, OSError) as exc2:
            self._db = None
            self.note = f"cache {self.path} tidak dapat dipakai ({exc2}); semua berkas dibaca"

    def _fail(self, exc: BaseException) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None
        self.note = f"cache {self.path} tidak dapat dipakai ({type(exc).__name__}: {exc}); semua berkas dibaca"

    @property
    def active(self) -> bool:
        return self._db is not None

    # ------------------------------------------------------------------ use
    def get_many(self, keys: Sequence[CacheKey]) -> dict[CacheKey, FileResult]:
        """The cached results of those ``keys`` that have one valid today."""
        found: dict[CacheKey, FileResult] = {}
        if self._db is None:
            self.misses += len(keys)
            return found
        day = self.today.isoformat()
        try:
            used: list[tuple[float, str, str]] = []
            now = time.time()
            for key in keys:
                row = self._db.execute(
                    "SELECT data FROM hasil WHERE sha256=? AND nama=? AND versi=? AND kebijakan=? AND "
                    "sampai_tw=? AND berlaku_dari<=? AND berlaku_sampai>=?",
                    (key[0], key[1], self.versi, self.kebijakan, self.sampai_tw, day, day)).fetchone()
                if row is None:
                    continue
                try:
                    res = _loads(row[0])
                except Exception:  # noqa: BLE001  (a damaged or foreign entry is a miss; put replaces it)
                    continue
                if res.sha256 != key[0] or res.nama != key[1]:
                    continue
                found[key] = res
                used.append((now, key[0], key[1]))
            if used:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("UPDATE hasil SET dipakai=? WHERE sha256=? AND nama=?", used)
                self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._problem(exc)
            found.clear()
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, results: Iterable[FileResult]) -> None:
        """Store fresh results (not those of a failure that may not repeat: a crash, an OS error)."""
        if self._db is None:
            return
        rows = []
        now = time.time()
        for res in results:
            if res.sha256 is None or any(i.code in _UNSTABLE for i in res.issues):
                continue
            dari, sampai = valid_range(res, self.today)
            rows.append((res.sha256, res.nama, self.versi, self.kebijakan, self.sampai_tw,
                         dari.isoformat(), sampai.isoformat(), now, _dumps(res)))
        if not rows:
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO hasil VALUES (?,?,?,?,?,?,?,?,?)", rows)
            self._db.execute("COMMIT")
            self.stored += len(rows)
        except sqlite3.Error as exc:
            self._problem(exc)

    def _rollback(self) -> None:
        try:
            if self._db is not None and self._db.in_transaction:
                self._db.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def close(self) -> None:
        """Drop entries unused for :data:`KEEP_DAYS` days, then close the file."""
        if self._db is None:
            return
        try:
            self._db.execute("DELETE FROM hasil WHERE dipakai < ?", (time.time() - KEEP_DAYS * 86400,))
        except sqlite3.Error:
            pass
        try:
            self._db.close()
        except sqlite3.Error:
            pass
        self._db = None

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stats(self) -> dict[str, Any]:
        """What the run did with the cache (for ``Rekap.meta`` and the CLI)."""
        return {"cache": str(self.path), "cache_terpakai": self.hits, "cache_dibaca": self.misses,
                "cache_disimpan": self.stored, "cache_catatan": self.note}


def _is_corrupt(exc: BaseException) -> bool:
    """SQLITE_CORRUPT or SQLITE_NOTADB (the primary result code, Python 3.11+ ``sqlite_errorcode``)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (11, 26)
    return type(exc) is sqlite3.DatabaseError  # the class sqlite3 raises for those two


#: Issue codes of failures that may not repeat (a worker crash, an internal error, an OS error):
#: such results are never stored.
_UNSTABLE = frozenset({"REKAP_PROSES_GAGAL", "REKAP_INTERNAL", "BACA"})
