"""City consolidation: every OPD workbook of a city into one summary (:class:`Rekap`).

``consolidate(sources, policy=None, sampai_tw=None, executor=None) -> Rekap`` is the one entry
point (used by ``sakip-xl konsolidasi``, ``sakip-xl demo`` and the add-in).
"""

import sys
import types
from typing import Any

from .engine import FileResult, consolidate, process_file
from .executors import dask_executor, local_executor
from .opd import OPDResult, score_opd
from .rekap import Rekap, build_rekap
from .sources import OPDHarapan, read_daftar_opd

__all__ = [
    "consolidate",
    "Rekap",
    "build_rekap",
    "score_opd",
    "OPDResult",
    "FileResult",
    "process_file",
    "OPDHarapan",
    "read_daftar_opd",
    "local_executor",
    "dask_executor",
]


class _CallableModule(types.ModuleType):
    """``sakip_xl.consolidate(...)`` calls :func:`consolidate`: the package doubles as the function."""

    def __call__(self, *args: Any, **kwargs: Any) -> Rekap:
        return consolidate(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
