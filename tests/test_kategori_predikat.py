"""A3 kategori capaian and A6 predikat (with both bound conventions)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sakip_xl
from sakip_xl.errors import InvalidInput
from sakip_xl.policy import Policy
from sakip_xl.scoring.kategori import kategori, lampu, next_predikat, predikat

# --------------------------------------------------------------------------- kategori (A3)
KATEGORI = [
    (150, "Sangat Tinggi"),
    (91, "Sangat Tinggi"),
    (90.999999, "Tinggi"),  # half-open on the unrounded value: 90.9999 is not >= 91
    (76, "Tinggi"),
    (75.99, "Sedang"),
    (66, "Sedang"),
    (65.999, "Rendah"),
    (51, "Rendah"),
    (50.99, "Sangat Rendah"),
    (0, "Sangat Rendah"),
    (-5, "Sangat Rendah"),
]


@pytest.mark.parametrize(("capaian", "label"), KATEGORI)
def test_kategori_default_scale(capaian: float, label: str) -> None:
    assert sakip_xl.kategori(capaian) == label


@pytest.mark.parametrize(
    ("capaian", "warna"),
    [(91, "hijau"), (90.99, "kuning"), (66, "kuning"), (65.99, "merah"), (10, "merah")],
)
def test_lampu_is_derived_from_the_scale(capaian: float, warna: str) -> None:
    assert lampu(capaian) == warna


def test_lampu_thresholds_of_default_policy() -> None:
    assert Policy().lampu_thresholds() == (91.0, 66.0)


def test_kategori_follows_a_city_scale() -> None:
    p = Policy(kategori=[
        {"label": "Baik", "batas_bawah": 85, "lampu": "hijau"},
        {"label": "Cukup", "batas_bawah": 60, "lampu": "kuning"},
        {"label": "Kurang", "batas_bawah": None, "lampu": "merah"},
    ])
    assert [kategori(x, p) for x in (85, 84.9, 60, 59.9)] == ["Baik", "Cukup", "Cukup", "Kurang"]
    assert lampu(84.9, p) == "kuning"


@pytest.mark.parametrize("bad", [None, float("nan"), float("inf"), "91", True])
def test_kategori_rejects_non_numbers(bad: Any) -> None:
    with pytest.raises(InvalidInput):
        kategori(bad)


# --------------------------------------------------------------------------- predikat (A6)
BOUNDS = [
    # nilai, eksklusif (default), inklusif
    (100, "AA", "AA"),
    (90.01, "AA", "AA"),
    (90, "A", "AA"),
    (80.01, "A", "A"),
    (80, "BB", "A"),
    (70.01, "BB", "BB"),
    (70, "B", "BB"),
    (60, "CC", "B"),
    (50, "C", "CC"),
    (30.01, "C", "C"),
    (30, "D", "C"),
    (29.99, "D", "D"),
    (0, "D", "D"),
]


@pytest.mark.parametrize(("nilai", "eksklusif", "inklusif"), BOUNDS)
def test_predikat_on_every_bound_under_both_conventions(nilai: float, eksklusif: str, inklusif: str) -> None:
    assert sakip_xl.predikat(nilai) == eksklusif
    assert sakip_xl.predikat(nilai, Policy(batas_predikat="inklusif")) == inklusif


@pytest.mark.parametrize("bad", [-0.01, 100.01, None, float("nan"), "80", True, [80]])
def test_predikat_rejects_out_of_range_and_non_numbers(bad: Any) -> None:
    with pytest.raises(InvalidInput):
        predikat(bad)


def test_observed_scores_match_either_convention() -> None:
    """Published scores (Part B 5.5) are consistent with the default."""
    observed = {68.59: "B", 60.41: "B", 50.19: "CC", 81.79: "A", 80.53: "A", 74.96: "BB", 70.15: "BB"}
    assert {x: predikat(x) for x in observed} == observed


# --------------------------------------------------------------------------- next predikat
@pytest.mark.parametrize(
    ("nilai", "inklusif", "expected"),
    [
        (65.0, False, ("BB", 5.01)),
        (70.0, False, ("BB", 0.01)),  # exactly on the bound: one resolution step more
        (65.0, True, ("BB", 5.0)),
        (70.0, True, ("A", 10.0)),
        (0.0, False, ("C", 30.01)),
        (95.0, False, None),
        (90.0, True, None),
    ],
)
def test_next_predikat(nilai: float, inklusif: bool, expected: tuple[str, float] | None) -> None:
    p = Policy(batas_predikat="inklusif" if inklusif else "eksklusif")
    got = next_predikat(nilai, p)
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert got[0] == expected[0]
        assert got[1] == pytest.approx(expected[1])


# --------------------------------------------------------------------------- properties
_NILAI = st.floats(0, 100, allow_nan=False)
_POLICY = st.sampled_from([Policy(), Policy(batas_predikat="inklusif")])


@given(a=_NILAI, b=_NILAI, policy=_POLICY)
def test_predikat_never_falls_when_nilai_rises(a: float, b: float, policy: Policy) -> None:
    lo, hi = sorted((a, b))
    labels = policy.predikat_labels
    assert labels.index(predikat(hi, policy)) <= labels.index(predikat(lo, policy))


@given(x=st.floats(-1e6, 1e6), y=st.floats(-1e6, 1e6))
def test_kategori_never_falls_when_capaian_rises(x: float, y: float) -> None:
    lo, hi = sorted((x, y))
    labels = Policy().kategori_labels
    assert labels.index(kategori(hi)) <= labels.index(kategori(lo))


@given(x=_NILAI, policy=_POLICY)
def test_adding_the_points_reaches_the_next_predikat(x: float, policy: Policy) -> None:
    step = next_predikat(x, policy)
    if step is None:
        assert predikat(x, policy) == policy.predikat_labels[0]
        return
    label, points = step
    assert points > 0
    assert predikat(min(100.0, x + points + 1e-9), policy) == label
