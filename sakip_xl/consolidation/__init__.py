"""City consolidation: every OPD workbook of a city into one summary (:class:`Rekap`).

``consolidate(sources, policy=None, sampai_tw=None, executor=None) -> Rekap`` is the one entry
point (used by ``sakip-xl konsolidasi``, ``sakip-xl demo`` and the add-in).
"""

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

