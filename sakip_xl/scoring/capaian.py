"""A1: capaian (achievement, percent) of one indicator.

T = target, R = realisasi; results are raw, unrounded percentages.

=========  ===========================================  =============================
polaritas  point target T                               range target [lo, hi]
=========  ===========================================  =============================
positif    R / T x 100 (T = 0: error)                   inside 100; else nearer bound
negatif    (2T - R) / T x 100, floored at 0              inside 100; else nearer bound
           (T = 0: R <= 0 -> 100, R > 0 -> 0)
stabil     as the range [T, T]                          inside 100; R < lo: R / lo x 100;
                                                        R > hi: (2hi - R) / hi x 100, floored 0
=========  ===========================================  =============================

Decisions where Part A is silent (documented in docs/aturan/capaian.md):

* targets must be >= 0 (a negative target inverts the ratio's meaning): :class:`TargetNegatif`;
* a negative realisasi is allowed (growth rates can fall below zero) and every result is floored
  at 0, so one disaster cannot drag an average below "nothing achieved";
* positif with a zero point target (or a [0, 0] range) is :class:`TargetNol`; below a range whose
  low bound is 0 (only possible with R < 0) positif and stabil give 0 and negatif gives 100.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidRange, TargetNegatif, TargetNol, UnknownPolaritas
from ..policy import POLARITAS
from ._num import finite, finite_result

__all__ = ["capaian", "normalise_target", "check_polaritas"]


_POLARITAS = frozenset(POLARITAS)


def check_polaritas(polaritas: Any) -> str:
    if type(polaritas) is str and polaritas in _POLARITAS:  # already as written in the policy (the usual case)
        return polaritas
    if not isinstance(polaritas, str) or polaritas.strip().lower() not in POLARITAS:
        raise UnknownPolaritas(
            f"polaritas {polaritas!r} tidak dikenal; pilihan: {', '.join(POLARITAS)}"
        )
    return polaritas.strip().lower()


def normalise_target(target: Any) -> tuple[float, float, bool]:
    """``(lo, hi, is_range)`` from a number or a ``(low, high)`` pair (or Rentang model)."""
    if hasattr(target, "bawah") and hasattr(target, "atas"):
        target = (target.bawah, target.atas)
    if isinstance(target, (tuple, list)):
        if len(target) != 2:
            raise InvalidRange(f"target rentang harus dua angka (bawah, atas), bukan {target!r}")
        lo = finite(target[0], "target bawah")
        hi = finite(target[1], "target atas")
        if lo < 0 or hi < 0:
            raise TargetNegatif(f"target tidak boleh negatif ({lo:g}-{hi:g})")
        if not lo < hi:
            raise InvalidRange(f"batas bawah rentang ({lo:g}) harus lebih kecil dari batas atas ({hi:g})")
        return lo, hi, True
    t = finite(target, "target")
    if t < 0:
        raise TargetNegatif(f"target tidak boleh negatif ({t:g})")
    return t, t, False


def _below(pol: str, r: float, lo: float) -> float:
    """R < lo (lo >= 0)."""
    if lo == 0:  # only reachable with R < 0
        return 100.0 if pol == "negatif" else 0.0
    if pol == "negatif":
        return (2 * lo - r) / lo * 100
    return max(0.0, r / lo * 100)  # positif and stabil


def _above(pol: str, r: float, hi: float) -> float:
    """R > hi (hi >= 0; hi > 0 for positif, guaranteed by the caller)."""
    if pol == "positif":
        return r / hi * 100
    if hi == 0:
        return 0.0
    return max(0.0, (2 * hi - r) / hi * 100)  # negatif and stabil


def capaian(target: Any, realisasi: Any, polaritas: str = "positif") -> float:
    """Capaian (percent, unrounded) of realisasi against target.

    ``target`` is a number or a ``(low, high)`` pair.  Raises a
    :class:`~sakip_xl.errors.ScoringError` subclass when no number can be given.
    """
    pol = check_polaritas(polaritas)
    lo, hi, _ = normalise_target(target)
    r = finite(realisasi, "realisasi")
    if pol == "positif" and hi == 0:
        raise TargetNol("target 0 tidak dapat dinilai dengan polaritas positif (R/T tidak terdefinisi)")
    if r < lo:
        return finite_result(_below(pol, r, lo), "capaian")
    if r > hi:
        return finite_result(_above(pol, r, hi), "capaian")
    return 100.0
