"""sakip-xl: SAKIP for city and regency governments, in Excel.

Public API (stable): :func:`capaian`, :func:`predikat`, :func:`kategori`, :class:`Policy`,
:func:`load_policy`, :func:`read_workbook` / :func:`check_workbook` (loaded on first use) and
:func:`consolidate`.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

from .errors import SakipError  # noqa: E402
from .issues import Issue, Severity  # noqa: E402
from .policy import Policy, load_policy  # noqa: E402
from .scoring.capaian import capaian as _capaian_fn  # noqa: E402
from .scoring.kategori import kategori as _kategori  # noqa: E402
from .scoring.kategori import predikat as _predikat  # noqa: E402

__all__ = [
    "__version__",
    "capaian",
    "predikat",
    "kategori",
    "Policy",
    "load_policy",
    "SakipError",
    "Issue",
    "Severity",
    "consolidate",
    "Rekap",
    "read_workbook",
    "check_workbook",
]


def __getattr__(name: str) -> Any:
    """``Rekap``, ``read_workbook`` and ``check_workbook`` load on first use (pandas is heavy)."""
    if name == "Rekap":
        from .consolidation import Rekap

        return Rekap
    if name in ("read_workbook", "check_workbook"):
        from .excel import reader

        return getattr(reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def consolidate(
    sources: Any,
    policy: Policy | None = None,
    sampai_tw: int | None = None,
    executor: Any = None,
    **options: Any,
) -> Any:
    """Consolidate OPD workbooks (paths or a folder) into a city :class:`Rekap`.

    See :func:`sakip_xl.consolidation.consolidate` for the keyword options (``tahun``,
    ``daftar_opd``, ``jobs``, ``progress``, ``exclude``).  Loaded on first use.
    """
    from .consolidation import consolidate as _consolidate

    return _consolidate(sources, policy, sampai_tw, executor, **options)


def capaian(target: Any, realisasi: Any, polaritas: str = "positif") -> float:
    """Capaian (percent, unrounded).  ``target`` is a number or a ``(low, high)`` pair."""
    return _capaian_fn(target, realisasi, polaritas)


def predikat(nilai: Any, policy: Policy | None = None) -> str:
    """Predikat "AA" ... "D" of an LKE nilai 0-100."""
    return _predikat(nilai, policy)


def kategori(capaian: Any, policy: Policy | None = None) -> str:  # noqa: F811
    """Kategori capaian label (Sangat Tinggi ... Sangat Rendah)."""
    return _kategori(capaian, policy)
