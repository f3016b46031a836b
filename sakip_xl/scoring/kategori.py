"""A3 kategori capaian and A6 predikat: banded labels from the policy."""

from __future__ import annotations

import math
from typing import Any

from ..errors import InvalidInput
from ..policy import Policy, default_policy
from ._num import finite

__all__ = ["kategori", "predikat", "lampu", "next_predikat", "nilai_terbit"]


def kategori(capaian: Any, policy: Policy | None = None) -> str:
    """Kategori label of a capaian (half-open bands on the unrounded value)."""
    p = policy or default_policy()
    x = finite(capaian, "capaian")
    for band in p.kategori:
        if band.batas_bawah is None or x >= band.batas_bawah:
            return band.label
    raise AssertionError("unreachable: the last kategori band has no lower bound")


def lampu(capaian: Any, policy: Policy | None = None) -> str:
    """Traffic light (hijau / kuning / merah) of a capaian, derived from the kategori bands."""
    p = policy or default_policy()
    label = kategori(capaian, p)
    return next(b.lampu for b in p.kategori if b.label == label)


def _nilai(nilai: Any) -> float:
    x = finite(nilai, "nilai")
    if not 0 <= x <= 100:
        raise InvalidInput(f"nilai harus di antara 0 dan 100, bukan {x:g}")
    return x


def nilai_terbit(nilai: Any, policy: Policy | None = None) -> float:
    """Nilai rounded to the policy's resolution (0.01): the number that is printed and published.

    Half away from zero, as Excel's ROUND (the native formula rounds the same way:
    ``ROUND(x*100,0)/100``), so 70,004 is 70,00 and 70,005 is 70,01.
    """
    p = policy or default_policy()
    x = _nilai(nilai)
    k = 1.0 / p.resolusi_nilai
    # round(.., 9) first: 70.005 * 100 is 7000.499999999999 in binary, 7000.5 as Excel and LibreOffice see it
    return math.floor(round(x * k, 9) + 0.5) / k


def predikat(nilai: Any, policy: Policy | None = None) -> str:
    """Predikat (AA ... D) of an LKE nilai 0-100, decided on the published (rounded) nilai.

    Decision A9 "predikat on the published number": nilai is first rounded to
    ``policy.resolusi_nilai`` (:func:`nilai_terbit`), so 70,004 prints as 70,00 and is B, as the
    printed number says.

    With the default ``batas_predikat = "eksklusif"`` a band needs nilai *above* its lower bound
    (70.00 -> B, 70.01 -> BB); ``"inklusif"`` uses ``>=`` (70.00 -> BB).  The bottom band starts at 0
    inclusive in both conventions.
    """
    p = policy or default_policy()
    x = nilai_terbit(nilai, p)
    inclusive = p.batas_predikat == "inklusif"
    for band in p.predikat[:-1]:
        if x > band.batas_bawah or (inclusive and x == band.batas_bawah):
            return band.label
    return p.predikat[-1].label


def next_predikat(nilai: Any, policy: Policy | None = None) -> tuple[str, float] | None:
    """``(label, points)``: the next predikat up and the points still needed to reach it.

    Counted from the published (rounded) nilai.  Under exclusive bounds the nilai must exceed the
    bound, so the points include one step of ``policy.resolusi_nilai`` (0.01).  None at the top
    predikat.
    """
    p = policy or default_policy()
    x = nilai_terbit(nilai, p)
    current = predikat(x, p)
    idx = p.predikat_labels.index(current)
    if idx == 0:
        return None
    band = p.predikat[idx - 1]
    gap = band.batas_bawah - x
    if p.batas_predikat == "eksklusif":
        gap += p.resolusi_nilai
    return band.label, max(gap, 0.0)
