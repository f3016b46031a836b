"""A1: capaian of one indicator (sakip_xl.capaian / sakip_xl.scoring.capaian)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import sakip_xl
from sakip_xl.errors import (
    InvalidInput,
    InvalidRange,
    ScoringError,
    TargetNegatif,
    TargetNol,
    UnknownPolaritas,
)
from sakip_xl.models import Rentang
from sakip_xl.scoring.capaian import capaian, check_polaritas, normalise_target

# --------------------------------------------------------------------------- worked checks (Part A)
WORKED = [
    # target, realisasi, polaritas, expected (2 decimals, as printed)
    (75, 104.7, "negatif", 60.40),
    ((80, 90), 70, "positif", 87.5),
    ((7, 8), 6.5, "negatif", 107.14),
    ((7, 8), 9, "negatif", 87.5),
]


@pytest.mark.parametrize(("target", "realisasi", "polaritas", "expected"), WORKED)
def test_worked_checks_of_part_a(target: Any, realisasi: float, polaritas: str, expected: float) -> None:
    assert round(sakip_xl.capaian(target, realisasi, polaritas), 2) == expected


def test_result_is_unrounded() -> None:
    assert sakip_xl.capaian((7, 8), 6.5, "negatif") == pytest.approx(750 / 7, rel=1e-12)
    assert sakip_xl.capaian(3, 1) == pytest.approx(100 / 3, rel=1e-12)


# --------------------------------------------------------------------------- table of every branch
TABLE = [
    # positif: R / T x 100, no cap
    (100, 80, "positif", 80.0),
    (100, 150, "positif", 150.0),
    (60, 100, "positif", 100 / 60 * 100),  # 166.67 as printed in LKjIP
    (100, 0, "positif", 0.0),
    (100, -20, "positif", 0.0),  # negative realisasi allowed, floored at 0
    # negatif: (2T - R) / T x 100, floored at 0
    (10, 5, "negatif", 150.0),
    (10, 10, "negatif", 100.0),
    (10, 15, "negatif", 50.0),
    (10, 20, "negatif", 0.0),  # R = 2T
    (10, 35, "negatif", 0.0),  # R > 2T: floored
    (10, -10, "negatif", 300.0),
    # negatif with target 0 (lead's decision): R <= 0 -> 100, R > 0 -> 0
    (0, 0, "negatif", 100.0),
    (0, -1, "negatif", 100.0),
    (0, 0.001, "negatif", 0.0),
    # stabil with a point target = the range [T, T]
    (4, 4, "stabil", 100.0),
    (4, 2, "stabil", 50.0),
    (4, 6, "stabil", 50.0),
    (4, 8, "stabil", 0.0),
    (4, 9, "stabil", 0.0),
    (0, 0, "stabil", 100.0),
    (0, 1, "stabil", 0.0),
    (0, -1, "stabil", 0.0),
    # stabil range (inflation 2-4 %)
    ((2, 4), 3, "stabil", 100.0),
    ((2, 4), 2, "stabil", 100.0),
    ((2, 4), 4, "stabil", 100.0),
    ((2, 4), 1, "stabil", 50.0),
    ((2, 4), 5, "stabil", 75.0),
    ((2, 4), 8, "stabil", 0.0),
    ((2, 4), 12, "stabil", 0.0),
    # positif range: inside 100, else nearer bound as T
    ((80, 90), 85, "positif", 100.0),
    ((80, 90), 80, "positif", 100.0),
    ((80, 90), 99, "positif", 110.0),
    ((80, 90), 40, "positif", 50.0),
    # negatif range
    ((7, 8), 7.5, "negatif", 100.0),
    ((7, 8), 16, "negatif", 0.0),
    ((7, 8), 20, "negatif", 0.0),
    # range with low bound 0
    ((0, 5), 0, "positif", 100.0),
    ((0, 5), -1, "positif", 0.0),
    ((0, 5), -1, "negatif", 100.0),
    ((0, 5), -1, "stabil", 0.0),
    ((0, 5), 10, "positif", 200.0),
    # polaritas text is normalised (case, surrounding spaces)
    (100, 80, " Positif ", 80.0),
    (10, 15, "NEGATIF", 50.0),
]


@pytest.mark.parametrize(("target", "realisasi", "polaritas", "expected"), TABLE)
def test_capaian_table(target: Any, realisasi: float, polaritas: str, expected: float) -> None:
    assert capaian(target, realisasi, polaritas) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_default_polaritas_is_positif() -> None:
    assert sakip_xl.capaian(50, 25) == 50.0


def test_target_as_list_and_rentang_model() -> None:
    assert capaian([80, 90], 70, "positif") == 87.5
    assert capaian(Rentang(bawah=80, atas=90), 70, "positif") == 87.5


def test_r_at_twice_t_is_zero_for_negatif_and_double_for_positif() -> None:
    assert capaian(50, 100, "negatif") == 0.0
    assert capaian(50, 100, "positif") == 200.0


# --------------------------------------------------------------------------- errors
ERRORS = [
    (0, 5, "positif", TargetNol),
    (0, 0, "positif", TargetNol),
    ((0, 0), 0, "positif", InvalidRange),  # [0, 0] is not a range
    (-5, 3, "positif", TargetNegatif),
    ((-1, 4), 3, "stabil", TargetNegatif),
    ((5, 5), 5, "stabil", InvalidRange),
    ((6, 5), 5, "stabil", InvalidRange),
    ((1, 2, 3), 5, "stabil", InvalidRange),
    ((1,), 5, "stabil", InvalidRange),
    (10, 5, "naik", UnknownPolaritas),
    (10, 5, "", UnknownPolaritas),
    (10, 5, None, UnknownPolaritas),
    (10, 5, 1, UnknownPolaritas),
    (None, 5, "positif", InvalidInput),
    (10, None, "positif", InvalidInput),
    (float("nan"), 5, "positif", InvalidInput),
    (10, float("nan"), "positif", InvalidInput),
    (10, float("inf"), "positif", InvalidInput),
    (float("inf"), 5, "negatif", InvalidInput),
    ("10", 5, "positif", InvalidInput),  # text is never parsed here: the reader converts cells
    (10, "lima", "positif", InvalidInput),
    (10, True, "positif", InvalidInput),
    (True, 1, "positif", InvalidInput),
    ((80, "90"), 85, "positif", InvalidInput),
    ((None, 90), 85, "positif", InvalidInput),
    (1e-310, 1.0, "positif", InvalidInput),  # R / T overflows to inf
]


@pytest.mark.parametrize(("target", "realisasi", "polaritas", "error"), ERRORS)
def test_capaian_errors(target: Any, realisasi: Any, polaritas: Any, error: type[ScoringError]) -> None:
    with pytest.raises(error) as info:
        capaian(target, realisasi, polaritas)
    assert isinstance(info.value, sakip_xl.SakipError)
    assert isinstance(info.value, ValueError)
    assert info.value.message  # an Indonesian message, never empty


def test_error_messages_are_indonesian_and_name_the_choice() -> None:
    with pytest.raises(UnknownPolaritas, match="pilihan: positif, negatif, stabil"):
        capaian(1, 1, "naik")
    with pytest.raises(TargetNol, match="target 0"):
        capaian(0, 1, "positif")
    with pytest.raises(InvalidInput, match="realisasi harus berupa angka"):
        capaian(1, "x", "positif")


def test_check_polaritas_and_normalise_target() -> None:
    assert check_polaritas(" Stabil") == "stabil"
    assert normalise_target(5) == (5.0, 5.0, False)
    assert normalise_target((2, 4)) == (2.0, 4.0, True)


# --------------------------------------------------------------------------- properties
_T = st.floats(0.01, 1e6, allow_nan=False)
_R = st.floats(-1e6, 1e6, allow_nan=False)
_POL = st.sampled_from(["positif", "negatif", "stabil"])


@st.composite
def targets(draw: st.DrawFn) -> Any:
    lo = draw(_T)
    if draw(st.booleans()):
        return lo
    return (lo, lo + draw(st.floats(0.01, 1e6)))


@given(t=targets(), r1=_R, r2=_R)
def test_positif_rises_with_realisasi(t: Any, r1: float, r2: float) -> None:
    lo, hi = sorted((r1, r2))
    assert capaian(t, lo, "positif") <= capaian(t, hi, "positif")


@given(t=targets(), r1=_R, r2=_R)
def test_negatif_falls_with_realisasi(t: Any, r1: float, r2: float) -> None:
    lo, hi = sorted((r1, r2))
    assert capaian(t, lo, "negatif") >= capaian(t, hi, "negatif")


@given(t=targets(), r=_R, pol=_POL)
def test_capaian_is_finite_and_never_negative(t: Any, r: float, pol: str) -> None:
    c = capaian(t, r, pol)
    assert math.isfinite(c) and c >= 0


@given(t=targets(), r=_R)
def test_stabil_is_at_most_100_and_100_inside(t: Any, r: float) -> None:
    c = capaian(t, r, "stabil")
    assert c <= 100
    lo, hi = (t, t) if not isinstance(t, tuple) else t
    if lo <= r <= hi:
        assert c == 100


@given(t=_T, r=_R, pol=st.sampled_from(["positif", "negatif"]))
def test_point_target_formulas(t: float, r: float, pol: str) -> None:
    expected = r / t * 100 if pol == "positif" else (2 * t - r) / t * 100
    assume(math.isfinite(expected))
    assert capaian(t, r, pol) == pytest.approx(max(0.0, expected), rel=1e-12, abs=1e-9)


@given(lo=_T, width=st.floats(0.01, 1e6), r=_R, pol=_POL)
def test_range_uses_nearer_bound_outside(lo: float, width: float, r: float, pol: str) -> None:
    hi = lo + width
    got = capaian((lo, hi), r, pol)
    if r < lo:
        # below the range: the low bound acts as a point target (stabil behaves as positif there)
        assert got == capaian(lo, r, "positif" if pol == "stabil" else pol)
    elif r > hi:
        assert got == capaian(hi, r, "negatif" if pol == "stabil" else pol)
    else:
        assert got == 100.0
