"""The one atomic file writer: an output appears whole, or not at all.

``with atomic_path(out) as tmp:`` hands a path to write to; when the block ends without an
exception the content replaces ``out`` in one rename, otherwise it is discarded.

* On Linux the content goes to an **unnamed** file in the target's folder (``O_TMPFILE``): a process
  killed mid-write (even by SIGKILL) leaves nothing behind, and no folder scan ever sees a partial
  file.  The file is given a name only when complete (``linkat``), then renamed over ``out``.
* Elsewhere (or on a file system without ``O_TMPFILE``) a hidden temporary file
  ``.NAME.XXXX.tmp`` beside ``out`` is used and removed on every failure path; discovery skips
  hidden and ``.tmp`` files, so it is never read as an input.
* The result has the usual file mode: an existing ``out`` keeps its mode; a new one gets
  ``0666`` less the umask (like any program's output; colleagues on a shared server can read it).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from types import TracebackType

__all__ = ["atomic_path", "default_mode", "probe_writable"]


def default_mode() -> int:
    """``0o666`` less the process umask (read without changing it where /proc tells it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


class atomic_path:  # noqa: N801  (used like a function: ``with atomic_path(p) as tmp``)
    """Write to a temporary file beside ``path``, then rename over it (never half-written)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.tmp: Path | None = None
        self._fd: int | None = None

    def _mode(self) -> int:
        try:
            return self.path.stat().st_mode & 0o7777
        except OSError:
            return default_mode()

    def __enter__(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        flag = getattr(os, "O_TMPFILE", None)
        if flag is not None and os.path.isdir("/proc/self/fd"):
            try:
                self._fd = os.open(self.path.parent, flag | os.O_RDWR, self._mode())
            except OSError:
                self._fd = None
        if self._fd is not None:
            os.fchmod(self._fd, self._mode())  # exactly, whatever the umask
            return Path(f"/proc/self/fd/{self._fd}")
        fd, name = tempfile.mkstemp(prefix=f".{self.path.stem}.", suffix=self.path.suffix + ".tmp",
                                    dir=self.path.parent)
        os.close(fd)
        self.tmp = Path(name)
        os.chmod(self.tmp, self._mode())
        return self.tmp

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            try:
                if exc_type is None:
                    os.fsync(fd)
                    self._publish(fd)
            finally:
                os.close(fd)  # an unnamed file that was not published vanishes here
            return
        assert self.tmp is not None
        try:
            if exc_type is None:
                os.replace(self.tmp, self.path)
        finally:
            self.tmp.unlink(missing_ok=True)  # already gone after a successful rename

    def _publish(self, fd: int) -> None:
        # linkat(AT_SYMLINK_FOLLOW) through /proc gives the unnamed file a name (open(2), O_TMPFILE);
        # os.link uses linkat only when a dir_fd is given
        proc = os.open("/proc/self/fd", os.O_RDONLY)
        try:
            try:
                os.link(str(fd), self.path, src_dir_fd=proc, follow_symlinks=True)  # appears complete
                return
            except FileExistsError:
                pass
            named = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
            os.link(str(fd), named, src_dir_fd=proc, follow_symlinks=True)
        finally:
            os.close(proc)
        try:
            os.replace(named, self.path)
        except BaseException:
            named.unlink(missing_ok=True)
            raise


def probe_writable(folder: str | os.PathLike[str]) -> None:
    """Raise the OSError that writing a file in ``folder`` would raise (nothing is left behind).
    A folder that does not exist yet is checked at its nearest existing parent."""
    p = Path(folder)
    while not p.exists():
        if p.parent == p:
            break
        p = p.parent
    if not p.is_dir():
        import errno

        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(p))
    flag = getattr(os, "O_TMPFILE", None)
    if flag is not None:
        try:
            os.close(os.open(p, flag | os.O_RDWR, 0o600))
            return
        except IsADirectoryError:
            pass  # a file system without O_TMPFILE: try a named file
        except OSError as exc:
            if exc.errno not in (95, 22):  # EOPNOTSUPP / EINVAL: not supported here
                raise
    fd, name = tempfile.mkstemp(prefix=".sakip-xl.", suffix=".tmp", dir=p)
    os.close(fd)
    os.unlink(name)
