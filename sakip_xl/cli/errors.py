"""Operating-system and library errors, translated once, at the CLI boundary, into Indonesian.

:func:`translate_error` turns an exception that is not a :class:`~sakip_xl.errors.SakipError` (an
``OSError`` with its errno, ``zipfile.BadZipFile``, ``MemoryError``, a text that is not UTF-8) into
one sentence naming the file and a Saran; :func:`explain_os_error` gives the same sentence for code
that reports instead of raising (the reader, the output checks).
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass

from ..errors import SakipError
from ..oserr import explain
from .status import ExitStatus

__all__ = ["USAGE_CODES", "is_usage_error", "Translated", "translate_error", "explain_os_error", "default_hint"]

#: codes of mistakes in what was asked (a source or output path, the policy, the list of OPDs, last
#: year's summary, the executor): exit status USAGE (2) in every command.  By code, so that the CLI
#: start-up imports none of the modules that raise them.
USAGE_CODES = frozenset({"SUMBER", "KELUARAN", "TAHUN_TIDAK_ADA", "DAFTAR_OPD", "REKAP_LALU", "EKSEKUTOR",
                         "KEBIJAKAN", "PEMAKAIAN"})


def is_usage_error(exc: SakipError) -> bool:
    return exc.code in USAGE_CODES


@dataclass(frozen=True)
class Translated:
    code: str
    message: str
    hint: str
    status: ExitStatus


def explain_os_error(exc: OSError, path: str | os.PathLike[str] | None = None) -> Translated:
    """One Indonesian sentence for an OSError (see :func:`sakip_xl.oserr.explain`)."""
    message, hint, usage = explain(exc, path)
    return Translated(code="OS", message=message, hint=hint, status=ExitStatus.USAGE if usage else ExitStatus.ERROR)


def translate_error(exc: BaseException) -> Translated | None:
    """The Indonesian sentence for a library or OS error; None for a genuine bug."""
    if isinstance(exc, zipfile.BadZipFile):
        return Translated("BACA", "berkas bukan arsip .xlsx yang utuh (bukan berkas zip, atau terpotong)",
                          "Simpan ulang dari Excel sebagai .xlsx, atau kirim ulang berkas aslinya.",
                          ExitStatus.USAGE)
    if isinstance(exc, MemoryError):
        return Translated("MEMORI", "memori komputer tidak cukup untuk pekerjaan ini",
                          "Tutup program lain, atau jalankan dengan --jobs lebih kecil.", ExitStatus.ERROR)
    if isinstance(exc, UnicodeDecodeError):
        return Translated("TEKS", "berkas teks tidak berformat UTF-8",
                          "Simpan ulang berkas sebagai teks UTF-8 (mis. CSV UTF-8 dari Excel).", ExitStatus.USAGE)
    if isinstance(exc, OSError):
        return explain_os_error(exc)
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, OSError):  # e.g. XlsxWriter's FileCreateError wraps the OSError
        return explain_os_error(cause)
    return None


def default_hint(exc: SakipError) -> str:
    """A Saran for an error raised without one."""
    if exc.code == "SUMBER":
        return "Periksa nama folder atau berkas yang disebut."
    return "Periksa masukan yang disebut dalam pesan, lalu ulangi."
