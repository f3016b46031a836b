"""Operating-system errors in Bahasa Indonesia: what happened to which path, and what to do.

One table for every place that meets an ``OSError`` (the CLI boundary, the output checks, the
reader): "No such file or directory" never reaches a user.
"""

from __future__ import annotations

import errno
import os

__all__ = ["explain"]


#: errno -> (what happened, Saran, a usage mistake?); the path is put in front
_OS: dict[int, tuple[str, str, bool]] = {
    errno.ENOENT: ("tidak ditemukan", "Periksa nama berkas/folder dan ejaannya.", True),
    errno.ENOTDIR: ("salah satu bagian path-nya bukan folder", "Periksa path yang diketik.", True),
    errno.EISDIR: ("adalah folder, bukan berkas", "Sebutkan nama berkas, mis. FOLDER/rekap_kota.xlsx.",
                   True),
    errno.EACCES: ("tidak dapat dibuka: tidak ada izin", "Periksa izin berkas/folder, atau pilih folder lain.",
                   True),
    errno.EPERM: ("tidak dapat diubah: tidak ada izin", "Periksa izin berkas/folder, atau pilih folder lain.",
                  True),
    errno.EROFS: ("berada di media yang hanya dapat dibaca", "Tulis ke folder lain (bukan CD/flashdisk terkunci).",
                  True),
    errno.ENOSPC: ("tidak dapat ditulis: disk penuh", "Kosongkan ruang disk atau tulis ke disk lain.",
                   False),
    errno.EDQUOT: ("tidak dapat ditulis: kuota disk habis", "Kosongkan ruang disk atau tulis ke disk lain.",
                   False),
    errno.EFBIG: ("terlalu besar untuk sistem berkas ini", "Tulis ke disk lain.", False),
    errno.ENAMETOOLONG: ("namanya terlalu panjang", "Pakai nama berkas/folder yang lebih pendek.", True),
    errno.EBUSY: ("sedang dipakai program lain", "Tutup berkas di Excel atau program lain, lalu ulangi.",
                  False),
    errno.ETXTBSY: ("sedang dipakai program lain", "Tutup berkas di Excel atau program lain, lalu ulangi.",
                    False),
    errno.EEXIST: ("sudah ada", "Pilih nama lain.", True),
    errno.EMFILE: ("tidak dapat dibuka: terlalu banyak berkas terbuka", "Ulangi dengan --jobs lebih kecil.",
                   False),
    errno.EIO: ("tidak dapat dibaca/ditulis: galat perangkat (disk rusak atau dilepas)",
                "Salin berkas ke disk lain lalu ulangi.", False),
}
_LOCKED_WINERROR = {32, 33}  # sharing/lock violation (Windows): the file is open in Excel


def explain(exc: OSError, path: str | os.PathLike[str] | None = None) -> tuple[str, str, bool]:
    """(sentence, Saran, is it a usage mistake) for an OSError; the path from ``exc.filename`` or
    ``path``."""
    where = exc.filename if exc.filename is not None else path
    shown = f"{os.fspath(where)} " if where is not None else ""
    winerror = getattr(exc, "winerror", None)
    if winerror in _LOCKED_WINERROR:
        what, hint, status = _OS[errno.EBUSY]
    elif exc.errno in _OS:
        what, hint, status = _OS[exc.errno]
    else:
        what = f"tidak dapat dibuka atau ditulis (galat sistem nomor {exc.errno})"
        hint, status = "Periksa berkas/folder dan ruang disk, lalu ulangi.", False
    subject = "berkas/folder " if shown else ""
    return f"{subject}{shown}{what}".strip(), hint, status


