"""A2: quarters (Rencana Aksi, TW I-IV).

``tipe_agregasi`` decides how quarterly values roll up to year-to-date (YTD):

* ``kumulatif`` (flows: documents, km, people): quarters are increments, YTD = sum so far;
* ``akhir`` (stocks: %, index, rate): YTD = latest non-empty quarter so far;
* ``rata-rata`` (averages): YTD = mean of the non-empty quarters so far.

Empty quarters are ``None``.  When every quarter up to ``sampai_tw`` is empty there is nothing to
report: :class:`~sakip_xl.errors.NoData` (cells show blank).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import InvalidInput, NoData, UnknownTipeAgregasi
from ..policy import TIPE_AGREGASI
from ._num import finite
from .capaian import capaian

__all__ = ["ytd", "check_tipe", "capaian_tw", "capaian_per_tw", "tw_terakhir", "TW_LABELS"]

TW_LABELS = ("TW I", "TW II", "TW III", "TW IV")
_TW_NAMES = tuple(f"nilai {label}" for label in TW_LABELS)


_TIPE = frozenset(TIPE_AGREGASI)


def check_tipe(tipe: Any) -> str:
    if type(tipe) is str and tipe in _TIPE:  # already as written in the policy (the usual case)
        return tipe
    if not isinstance(tipe, str) or tipe.strip().lower() not in TIPE_AGREGASI:
        raise UnknownTipeAgregasi(
            f"tipe agregasi {tipe!r} tidak dikenal; pilihan: {', '.join(TIPE_AGREGASI)}"
        )
    return tipe.strip().lower()


def _check_tw(sampai_tw: Any, n: int) -> int:
    if isinstance(sampai_tw, bool) or not isinstance(sampai_tw, int) or not 1 <= sampai_tw <= 4:
        raise InvalidInput(f"sampai_tw harus 1, 2, 3 atau 4, bukan {sampai_tw!r}")
    if n > 4:
        raise InvalidInput(f"paling banyak 4 triwulan, bukan {n}")
    return sampai_tw


def tw_terakhir(values: Sequence[Any]) -> int:
    """The last quarter (1-4) with a reported value (a number), 0 before any report (A9 mid-year)."""
    last = 0
    for i, v in enumerate(list(values)[:4]):
        if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and abs(v) != float("inf"):
            last = i + 1
    return last


def ytd(values: Sequence[Any], tipe: str, sampai_tw: int = 4) -> float:
    """Year-to-date value of quarterly ``values`` (None = empty) up to and including ``sampai_tw``."""
    t = check_tipe(tipe)
    n = _check_tw(sampai_tw, len(values))
    present = [finite(v, _TW_NAMES[i]) for i, v in enumerate(list(values)[:n]) if v is not None]
    if not present:
        raise NoData(f"belum ada nilai triwulan sampai {TW_LABELS[n - 1]}")
    if t == "kumulatif":
        return float(sum(present))
    if t == "akhir":
        return present[-1]
    return sum(present) / len(present)


def capaian_tw(
    target_tw: Sequence[Any],
    realisasi_tw: Sequence[Any],
    tw: int,
    tipe: str,
    polaritas: str,
    target_tahunan: Any = None,
) -> float:
    """Capaian at quarter ``tw``: YTD realisasi against the YTD target of the same type.

    When the quarterly targets are all empty, ``akhir`` and ``rata-rata`` indicators use the annual
    target (a stock or average target holds all year); ``kumulatif`` ones cannot be judged
    (:class:`NoData`).  A quarter whose realisation was never reported has no capaian
    (:class:`NoData`, decision A9): nothing is carried forward from an earlier quarter.
    """
    t = check_tipe(tipe)
    _check_tw(tw, len(realisasi_tw))
    if len(realisasi_tw) < tw or realisasi_tw[tw - 1] is None:
        raise NoData(f"realisasi {TW_LABELS[tw - 1]} belum dilaporkan")
    r = ytd(realisasi_tw, t, tw)
    try:
        target: Any = ytd(target_tw, t, tw)
    except NoData:
        if t == "kumulatif" or target_tahunan is None:
            raise
        target = target_tahunan
    return capaian(target, r, polaritas)


def capaian_per_tw(
    target_tw: Sequence[Any],
    realisasi_tw: Sequence[Any],
    tipe: str,
    polaritas: str,
    target_tahunan: Any = None,
    sampai_tw: int = 4,
) -> list[float | None]:
    """Capaian for TW I..``sampai_tw``; None where a quarter cannot be judged (no data)."""
    out: list[float | None] = []
    for tw in range(1, sampai_tw + 1):
        try:
            out.append(capaian_tw(target_tw, realisasi_tw, tw, tipe, polaritas, target_tahunan))
        except NoData:
            out.append(None)
    return out
