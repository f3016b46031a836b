"""A4: budget: realisasi, serapan, indeks efisiensi and the efficiency flag."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sakip_xl.errors import InvalidInput, NoData, PaguNol, SerapanNol
from sakip_xl.scoring.anggaran import efisiensi, flag_efisiensi, realisasi_anggaran, serapan


@pytest.mark.parametrize(
    ("quarters", "sampai", "expected"),
    [
        ([100, 200, 300, 400], 4, 1000.0),
        ([100, 200, 300, 400], 2, 300.0),
        ([100, None, 300, None], 4, 400.0),
        ([0, 0, None, None], 4, 0.0),
    ],
)
def test_realisasi_anggaran_sums_quarters(quarters: list[Any], sampai: int, expected: float) -> None:
    assert realisasi_anggaran(quarters, sampai) == expected


@pytest.mark.parametrize(
    ("quarters", "sampai", "error"),
    [
        ([None] * 4, 4, NoData),
        ([], 4, NoData),
        ([None, 5, None, None], 1, NoData),
        ([100, -1, None, None], 4, InvalidInput),
        ([100, "x", None, None], 4, InvalidInput),
        ([100], 0, InvalidInput),
        ([100], 5, InvalidInput),
        ([100], True, InvalidInput),
    ],
)
def test_realisasi_anggaran_errors(quarters: list[Any], sampai: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        realisasi_anggaran(quarters, sampai)


@pytest.mark.parametrize(
    ("pagu", "realisasi", "expected"),
    [
        (1_000_000, 950_000, 95.0),
        (1_000_000, [250_000, 250_000, None, 500_000], 100.0),
        (1_000_000, 1_100_000, 110.0),  # over the pagu: a number (flagged by validators)
        (500, 0, 0.0),
        (3, 1, 100 / 3),
    ],
)
def test_serapan(pagu: float, realisasi: Any, expected: float) -> None:
    assert serapan(pagu, realisasi) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("pagu", "realisasi", "error"),
    [
        (0, 100, PaguNol),
        (0, 0, NoData),  # decision A9: pagu 0 with realisasi 0 is not applicable, not an error
        (-1, 100, InvalidInput),
        (100, -1, InvalidInput),
        (None, 100, InvalidInput),
        ("100", 10, InvalidInput),
        (100, float("nan"), InvalidInput),
        (100, [None, None], NoData),
        (1e-310, 1e10, InvalidInput),  # overflow to inf
    ],
)
def test_serapan_errors(pagu: Any, realisasi: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        serapan(pagu, realisasi)


@pytest.mark.parametrize(
    ("capaian", "serapan_persen", "expected"),
    [(100, 100, 1.0), (110, 100, 1.1), (90, 95, 90 / 95), (0, 50, 0.0), (150, 75, 2.0)],
)
def test_efisiensi(capaian: float, serapan_persen: float, expected: float) -> None:
    assert efisiensi(capaian, serapan_persen) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("capaian", "serapan_persen", "error"),
    [
        (100, 0, SerapanNol),
        (-1, 50, InvalidInput),
        (50, -1, InvalidInput),
        (None, 50, InvalidInput),
        (50, "95", InvalidInput),
        (1e300, 1e-300, InvalidInput),  # overflow to inf
    ],
)
def test_efisiensi_errors(capaian: Any, serapan_persen: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        efisiensi(capaian, serapan_persen)


@pytest.mark.parametrize(
    ("capaian", "serapan_persen", "ambang", "flag"),
    [
        (99.99, 95, 95, True),
        (99.99, 94.99, 95, False),
        (100, 99, 95, False),
        (80, 90, 90, True),
    ],
)
def test_flag_capaian_below_100_with_high_serapan(capaian: float, serapan_persen: float,
                                                  ambang: float, flag: bool) -> None:
    assert flag_efisiensi(capaian, serapan_persen, ambang) is flag


@given(
    pagu=st.floats(1, 1e12),
    quarters=st.lists(st.one_of(st.none(), st.floats(0, 1e11)), min_size=1, max_size=4).filter(
        lambda q: any(v is not None for v in q)),
)
def test_serapan_is_the_sum_over_pagu(pagu: float, quarters: list[float | None]) -> None:
    total = sum(v for v in quarters if v is not None)
    assert serapan(pagu, quarters) == pytest.approx(total / pagu * 100, rel=1e-12)
    assert serapan(pagu, quarters) >= 0
