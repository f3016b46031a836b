"""sakip-xl: SAKIP for city and regency governments, in Excel.

Public API (stable): :func:`capaian`, :func:`predikat`, :func:`kategori`, :class:`Policy`,
:func:`load_policy`, :func:`read_workbook` / :func:`check_workbook` and :func:`consolidate`.

Every name loads on first use: ``import sakip_xl`` itself imports nothing but this file, so
``sakip-xl --version`` and a ribbon button start in milliseconds (see ``docs/kinerja.md``,
Waktu mulai).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .consolidation import Rekap
    from .errors import SakipError
    from .excel.reader import check_workbook, read_workbook
    from .issues import Issue, Severity
    from .policy import Policy, load_policy

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

#: Lazily loaded public names -> the module that defines them.
_LAZY = {
    "SakipError": ".errors",
    "Issue": ".issues",
    "Severity": ".issues",
    "Policy": ".policy",
    "load_policy": ".policy",
    "Rekap": ".consolidation",
    "read_workbook": ".excel.reader",
    "check_workbook": ".excel.reader",
}


def __getattr__(name: str) -> Any:
    """Public names load on first use (pydantic, the reader and pandas are not free)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def consolidate(
    sources: Any,
    policy: Policy | None = None,
    sampai_tw: int | None = None,
    executor: Any = None,
    **options: Any,
) -> Any:
    """Consolidate OPD workbooks (paths or a folder) into a city :class:`Rekap`.

    See :func:`sakip_xl.consolidation.consolidate` for the keyword options (``tahun``,
    ``daftar_opd``, ``jobs``, ``progress``, ``exclude``, ``cache``).  Loaded on first use.
    """
    from .consolidation import consolidate as _consolidate

    return _consolidate(sources, policy, sampai_tw, executor, **options)


def capaian(target: Any, realisasi: Any, polaritas: str = "positif") -> float:
    """Capaian (percent, unrounded).  ``target`` is a number or a ``(low, high)`` pair."""
    from .scoring.capaian import capaian as _capaian

    return _capaian(target, realisasi, polaritas)


def predikat(nilai: Any, policy: Policy | None = None) -> str:
    """Predikat "AA" ... "D" of an LKE nilai 0-100."""
    from .scoring.kategori import predikat as _predikat

    return _predikat(nilai, policy)


def kategori(capaian: Any, policy: Policy | None = None) -> str:
    """Kategori capaian label (Sangat Tinggi ... Sangat Rendah)."""
    from .scoring.kategori import kategori as _kategori

    return _kategori(capaian, policy)
