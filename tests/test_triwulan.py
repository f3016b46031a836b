"""A2: quarters (Rencana Aksi TW I-IV): year-to-date values and capaian per TW."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sakip_xl.errors import InvalidInput, NoData, TargetNol, UnknownTipeAgregasi
from sakip_xl.scoring.triwulan import TW_LABELS, capaian_per_tw, capaian_tw, check_tipe, ytd

# --------------------------------------------------------------------------- ytd
YTD = [
    # values, tipe, sampai_tw, expected
    ([10, 20, 30, 40], "kumulatif", 4, 100.0),
    ([10, 20, 30, 40], "kumulatif", 2, 30.0),
    ([10, None, 30, None], "kumulatif", 4, 40.0),
    ([None, None, 5, None], "kumulatif", 4, 5.0),
    ([60, 65, 70, 72], "akhir", 4, 72.0),
    ([60, 65, 70, 72], "akhir", 3, 70.0),
    ([60, 65, None, None], "akhir", 4, 65.0),  # latest non-empty quarter
    ([60, None, 70, None], "akhir", 4, 70.0),
    ([None, 65, None, None], "akhir", 1, None),  # nothing in TW I -> NoData
    ([2.0, 4.0, 6.0, 8.0], "rata-rata", 4, 5.0),
    ([2.0, None, 6.0, None], "rata-rata", 4, 4.0),  # mean of non-empty quarters
    ([2.0, 4.0, 6.0, 8.0], "rata-rata", 2, 3.0),
    ([1, 2], "kumulatif", 2, 3.0),  # shorter lists are the first quarters
    ([0, 0, 0, 0], "kumulatif", 4, 0.0),  # zeros are data, not blanks
    ([-3, 1, None, None], "kumulatif", 4, -2.0),
    ([5, 5, 5, 5], " Kumulatif ", 4, 20.0),
]


@pytest.mark.parametrize(("values", "tipe", "sampai", "expected"), YTD)
def test_ytd_table(values: list[Any], tipe: str, sampai: int, expected: float | None) -> None:
    if expected is None:
        with pytest.raises(NoData):
            ytd(values, tipe, sampai)
    else:
        assert ytd(values, tipe, sampai) == pytest.approx(expected)


@pytest.mark.parametrize("tipe", ["kumulatif", "akhir", "rata-rata"])
def test_every_quarter_empty_is_nodata(tipe: str) -> None:
    with pytest.raises(NoData, match="TW IV"):
        ytd([None, None, None, None], tipe)
    with pytest.raises(NoData):
        ytd([], tipe)


@pytest.mark.parametrize(
    ("values", "tipe", "sampai", "error"),
    [
        ([1, 2, 3, 4], "total", 4, UnknownTipeAgregasi),
        ([1, 2, 3, 4], None, 4, UnknownTipeAgregasi),
        ([1, 2, 3, 4], "kumulatif", 0, InvalidInput),
        ([1, 2, 3, 4], "kumulatif", 5, InvalidInput),
        ([1, 2, 3, 4], "kumulatif", 2.0, InvalidInput),
        ([1, 2, 3, 4], "kumulatif", True, InvalidInput),
        ([1, 2, 3, 4, 5], "kumulatif", 4, InvalidInput),
        ([1, "dua", 3, 4], "kumulatif", 4, InvalidInput),
        ([1, float("nan"), 3, 4], "akhir", 4, InvalidInput),
        ([1, 2, 3, float("inf")], "rata-rata", 4, InvalidInput),
    ],
)
def test_ytd_errors(values: list[Any], tipe: Any, sampai: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        ytd(values, tipe, sampai)


def test_text_in_a_later_quarter_is_ignored_before_that_quarter() -> None:
    """Only quarters up to sampai_tw are read."""
    assert ytd([1, 2, "x", None], "kumulatif", 2) == 3.0


def test_check_tipe_and_labels() -> None:
    assert check_tipe("Rata-Rata") == "rata-rata"
    assert TW_LABELS == ("TW I", "TW II", "TW III", "TW IV")


# --------------------------------------------------------------------------- capaian per TW
def test_kumulatif_uses_ytd_target() -> None:
    # targets 25 per quarter (annual 100); realisasi 20, 30 -> YTD 50 against 50
    assert capaian_tw([25, 25, 25, 25], [20, 30, None, None], 2, "kumulatif", "positif") == 100.0
    assert capaian_tw([25, 25, 25, 25], [20, 30, None, None], 1, "kumulatif", "positif") == 80.0


def test_akhir_uses_latest_target_and_realisasi() -> None:
    assert capaian_tw([70, 72, 74, 76], [71, 73, None, None], 2, "akhir", "positif") == \
        pytest.approx(73 / 72 * 100)


def test_rata_rata_negatif() -> None:
    # average of targets 10,10 = 10; average realisasi 8,14 = 11 -> (20 - 11) / 10 = 90
    assert capaian_tw([10, 10, 10, 10], [8, 14], 2, "rata-rata", "negatif") == pytest.approx(90.0)


@pytest.mark.parametrize("tipe", ["akhir", "rata-rata"])
def test_empty_quarterly_targets_fall_back_to_annual_target(tipe: str) -> None:
    assert capaian_tw([None] * 4, [40, None, None, None], 1, tipe, "positif", target_tahunan=80) == 50.0
    assert capaian_tw([None] * 4, [40], 1, tipe, "positif", target_tahunan=(80, 90)) == 50.0


def test_kumulatif_has_no_fallback() -> None:
    with pytest.raises(NoData):
        capaian_tw([None] * 4, [40, None, None, None], 1, "kumulatif", "positif", target_tahunan=80)


def test_no_fallback_without_annual_target() -> None:
    with pytest.raises(NoData):
        capaian_tw([None] * 4, [40], 1, "akhir", "positif")


def test_no_realisasi_is_nodata_even_with_targets() -> None:
    with pytest.raises(NoData):
        capaian_tw([1, 1, 1, 1], [None] * 4, 4, "kumulatif", "positif")


def test_capaian_tw_passes_scoring_errors_through() -> None:
    with pytest.raises(TargetNol):
        capaian_tw([0, 0, 0, 0], [1, 1, 1, 1], 4, "kumulatif", "positif")


def test_capaian_per_tw_gives_none_for_quarters_without_data() -> None:
    got = capaian_per_tw([25, 25, 25, 25], [None, 50, None, 25], "kumulatif", "positif")
    # decision A9: TW III was never reported, so it has no capaian (nothing carried forward)
    assert got == [None, 100.0, None, 75.0]
    assert capaian_per_tw([25] * 4, [25] * 4, "kumulatif", "positif", sampai_tw=2) == [100.0, 100.0]


# --------------------------------------------------------------------------- properties
_Q = st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))


@given(vals=st.lists(_Q, min_size=4, max_size=4), tipe=st.sampled_from(["kumulatif", "akhir", "rata-rata"]),
       sampai=st.integers(1, 4))
def test_ytd_definitions(vals: list[float | None], tipe: str, sampai: int) -> None:
    present = [v for v in vals[:sampai] if v is not None]
    if not present:
        with pytest.raises(NoData):
            ytd(vals, tipe, sampai)
        return
    got = ytd(vals, tipe, sampai)
    if tipe == "kumulatif":
        assert got == pytest.approx(sum(present))
    elif tipe == "akhir":
        assert got == present[-1]
    else:
        assert min(present) - 1e-6 <= got <= max(present) + 1e-6


@given(vals=st.lists(st.floats(0, 1e6), min_size=4, max_size=4))
def test_kumulatif_ytd_never_falls_for_non_negative_quarters(vals: list[float]) -> None:
    seq = [ytd(vals, "kumulatif", tw) for tw in range(1, 5)]
    assert seq == sorted(seq)
