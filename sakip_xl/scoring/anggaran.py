"""A4: budget. serapan (absorption) and indeks efisiensi."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import InvalidInput, NoData, PaguNol, SerapanNol
from ._num import finite, finite_result, optional_finite

__all__ = ["realisasi_anggaran", "serapan", "efisiensi", "flag_efisiensi", "level_serapan", "LEVEL_SERAPAN"]

#: Budget levels from the top down (the OPD's serapan counts the top level present).
LEVEL_SERAPAN = ("Program", "Kegiatan", "Sub Kegiatan")


def realisasi_anggaran(realisasi_tw: Sequence[Any], sampai_tw: int = 4) -> float:
    """Budget realisation to date: the sum of the non-empty quarters (amounts are increments)."""
    if isinstance(sampai_tw, bool) or not isinstance(sampai_tw, int) or not 1 <= sampai_tw <= 4:
        raise InvalidInput(f"sampai_tw harus 1, 2, 3 atau 4, bukan {sampai_tw!r}")
    vals = [optional_finite(v, "realisasi anggaran") for v in list(realisasi_tw)[:sampai_tw]]
    present = [v for v in vals if v is not None]
    if not present:
        raise NoData("belum ada realisasi anggaran")
    if any(v < 0 for v in present):
        raise InvalidInput("realisasi anggaran tidak boleh negatif")
    return float(sum(present))


def serapan(pagu: Any, realisasi: Any) -> float:
    """Serapan = realisasi / pagu x 100.  ``realisasi`` is an amount or quarterly amounts.

    Pagu 0 with realisasi 0 is "not applicable" (:class:`NoData`: a blank cell, no error); realisasi
    above 0 on pagu 0 is :class:`PaguNol` (an error).
    """
    if isinstance(realisasi, (list, tuple)):
        r = realisasi_anggaran(realisasi)
    else:
        r = finite(realisasi, "realisasi anggaran")
    pg = finite(pagu, "pagu")
    if pg < 0 or r < 0:
        raise InvalidInput("pagu dan realisasi anggaran tidak boleh negatif")
    if pg == 0:
        if r == 0:  # decision A9 "zero pagu": a line cut in the DPA Perubahan is not applicable
            raise NoData("pagu 0 dan realisasi 0: serapan tidak berlaku")
        raise PaguNol("pagu 0 padahal ada realisasi: serapan tidak terdefinisi")
    return finite_result(r / pg * 100, "serapan")


def level_serapan(lines: Sequence[tuple[str | None, float | None]]) -> str | None:
    """The budget level the OPD's serapan counts (decision A9 "OPD serapan"): ``(level, pagu)`` pairs.

    Program when any Program line has a pagu; otherwise Kegiatan; otherwise Sub Kegiatan; None when
    no line has a pagu.  One level only: adding a Program to its own Kegiatan would count the money
    twice.  Level text compares case-insensitively (as COUNTIFS in the workbook's formula).
    """
    present = {str(lv).lower() for lv, pagu in lines if lv is not None and pagu is not None}
    return next((lv for lv in LEVEL_SERAPAN if lv.lower() in present), None)


def efisiensi(capaian: Any, serapan_persen: Any) -> float:
    """Indeks efisiensi = capaian kinerja / serapan anggaran (> 1 means efficient)."""
    c = finite(capaian, "capaian")
    s = finite(serapan_persen, "serapan")
    if s < 0 or c < 0:
        raise InvalidInput("capaian dan serapan tidak boleh negatif")
    if s == 0:
        raise SerapanNol("serapan 0: indeks efisiensi tidak terdefinisi")
    return finite_result(c / s, "indeks efisiensi")


def flag_efisiensi(capaian: float, serapan_persen: float, ambang: float = 95.0) -> bool:
    """True for the A4 warning "capaian < 100 while serapan >= ambang"."""
    return capaian < 100 and serapan_persen >= ambang
