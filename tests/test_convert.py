"""The one conversion module: examples pinned, plus properties (hypothesis)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sakip_xl.errors import InvalidInput, SakipError
from sakip_xl.excel import convert as cv
from sakip_xl.excel.convert import (
    ExcelError,
    normalize_answer,
    normalize_choice,
    normalize_date,
    normalize_integer,
    normalize_number,
    normalize_target,
    normalize_text,
    to_number,
    to_numbers,
    to_target,
)


@pytest.mark.parametrize(
    ("raw", "value", "noted"),
    [
        (85, 85.0, False),
        (85.5, 85.5, False),
        ("85,5", 85.5, True),
        ("1.234,5", 1234.5, True),
        ("1.234.567,89", 1234567.89, True),
        ("1,234.5", 1234.5, True),
        ("1.234.567", 1234567.0, True),
        ("0,123", 0.123, True),
        ("85%", 85.0, True),
        ("55 %", 55.0, True),
        ("12 dokumen", 12.0, True),
        ("Rp 1.500.000", 1500000.0, True),
        ("\u00a085\u00a0", 85.0, True),
        ("-5", -5.0, True),
        ("\u22125", -5.0, True),
        ("  ", None, False),
        (None, None, False),
        ("", None, False),
    ],
)
def test_numbers(raw: object, value: float | None, noted: bool) -> None:
    res = normalize_number(raw)
    assert res.ok, res.error
    assert res.value == pytest.approx(value) if value is not None else res.value is None
    assert (res.note is not None) is noted
    if noted:
        assert res.code == cv.NOTE


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1.234", cv.AMBIGUOUS),
        ("1,234", cv.AMBIGUOUS),
        ("#DIV/0!", cv.EXCEL_ERROR),
        ("#n/a", cv.EXCEL_ERROR),
        (ExcelError("#N/A"), cv.EXCEL_ERROR),
        (True, cv.BOOL_IN_NUMBER),
        (dt.date(2025, 5, 1), cv.DATE_IN_NUMBER),
        (dt.datetime(2025, 5, 1, 0, 0), cv.DATE_IN_NUMBER),
        ("31/12/2025", cv.DATE_IN_NUMBER),
        ("80-90", cv.RANGE_NOT_ALLOWED),
        ("abc", cv.NOT_A_NUMBER),
        ("12 dari 15", cv.NOT_A_NUMBER),
        ("12.34,5", cv.NOT_A_NUMBER),
        ("85.", cv.NOT_A_NUMBER),
        (float("nan"), cv.NOT_A_NUMBER),
        (float("inf"), cv.NOT_A_NUMBER),
    ],
)
def test_number_errors(raw: object, code: str) -> None:
    res = normalize_number(raw)
    assert not res.ok and res.value is None
    assert res.code == code
    assert res.error


def test_percent_formatted_cells() -> None:
    res = normalize_number(cv.PercentNumber(0.845))
    assert res.value == 84.5 and res.note and "persen" in res.note
    assert normalize_number(cv.PercentNumber(1.2)).value == 120.0


def test_context_decides_ambiguous_dot() -> None:
    assert normalize_number("1.234", context="amount").value == 1234.0
    assert normalize_integer("2.025").value == 2025
    assert normalize_number("1,234", context="amount").code == cv.AMBIGUOUS
    assert normalize_integer(2025.0).value == 2025
    assert normalize_integer(2025.5).code == cv.NOT_A_NUMBER


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("80-90", (80.0, 90.0)),
        ("80 – 90", (80.0, 90.0)),
        ("80 — 90", (80.0, 90.0)),
        ("80 s.d. 90", (80.0, 90.0)),
        ("80 s/d 90", (80.0, 90.0)),
        ("80 sampai dengan 90", (80.0, 90.0)),
        ("2,5 - 3,5 %", (2.5, 3.5)),
        ("90-80", (90.0, 80.0)),  # order is a rule's business, not the converter's
        ("85", 85.0),
        (85, 85.0),
        ("-5", -5.0),
    ],
)
def test_targets(raw: object, value: object) -> None:
    res = normalize_target(raw)
    assert res.ok, res.error
    assert res.value == value


def test_target_errors() -> None:
    assert normalize_target("80-abc").code == cv.NOT_A_NUMBER
    assert normalize_target("1.234-2.345").code == cv.AMBIGUOUS


def test_text() -> None:
    assert normalize_text(None).value == ""
    assert normalize_text(5.0).value == "5"
    assert normalize_text(1.5).value == "1.5"
    r = normalize_text(" Dinas\u00a0Kesehatan ")
    assert r.value == "Dinas Kesehatan" and r.note
    assert normalize_text("#N/A").value == "#N/A"  # typed text stays text
    assert normalize_text(ExcelError("#N/A")).code == cv.EXCEL_ERROR


def test_choice_and_answer() -> None:
    pol = ["positif", "negatif", "stabil"]
    assert normalize_choice("Positif", pol).value == "positif"
    assert normalize_choice("positif", pol).note is None
    assert normalize_choice("rata rata", ["kumulatif", "akhir", "rata-rata"]).value == "rata-rata"
    assert normalize_choice("naik", pol).code == cv.BAD_CHOICE
    assert normalize_choice("", pol).blank
    assert normalize_answer(" ya ").value == "Y"
    assert normalize_answer("b").value == "B"
    assert normalize_answer("Y").note is None
    assert normalize_answer(None).blank


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (dt.date(2025, 12, 31), dt.date(2025, 12, 31)),
        (dt.datetime(2025, 12, 31, 8, 0), dt.date(2025, 12, 31)),
        ("31/12/2025", dt.date(2025, 12, 31)),
        ("31-12-2025", dt.date(2025, 12, 31)),
        ("2025-12-31", dt.date(2025, 12, 31)),
        ("31 Desember 2025", dt.date(2025, 12, 31)),
        ("1 Agustus 2025", dt.date(2025, 8, 1)),
        (45657, dt.date(2024, 12, 31)),
    ],
)
def test_dates(raw: object, value: dt.date) -> None:
    assert normalize_date(raw).value == value


@pytest.mark.parametrize("raw", ["12/31/2025", "besok", True, 1.5, -3, "30 Februari 2025"])
def test_date_errors(raw: object) -> None:
    assert normalize_date(raw).code == cv.BAD_DATE


def test_udf_api() -> None:
    assert to_number(None) is None
    assert to_number("") is None
    assert to_number(" ") is None
    assert to_number(3) == 3.0
    assert to_number("85,5") == 85.5
    assert to_number("1.234,5") == 1234.5
    assert to_number("85%") == 85.0
    assert to_number([[7.0]]) == 7.0
    assert to_number([]) is None
    assert to_numbers([[1, "2,5"], [None, "3%"]]) == [1.0, 2.5, None, 3.0]
    assert to_target("80 - 90") == (80.0, 90.0)
    assert to_target(None) is None
    for bad in ("1.234", "abc", True, "#DIV/0!", [[1, 2]], dt.date(2025, 1, 1)):
        with pytest.raises(InvalidInput):
            to_number(bad)


# --------------------------------------------------------------------------- properties
def _indonesian(x: float, decimals: int) -> str:
    text = f"{abs(x):,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if x < 0 else "") + text


# three decimals are left out on purpose: "1,234" alone is ambiguous (see test_number_errors)
@given(st.integers(min_value=-10**12, max_value=10**12), st.sampled_from([1, 2, 4]))
def test_indonesian_decimals_roundtrip(n: int, decimals: int) -> None:
    x = n / 10**decimals
    res = normalize_number(_indonesian(x, decimals))
    assert res.ok, (x, res.error)
    assert res.value == pytest.approx(x, rel=1e-12, abs=1e-9)


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False))
def test_numbers_pass_through(x: float) -> None:
    res = normalize_number(x)
    assert res.value == x and res.note is None


@given(st.one_of(st.floats(min_value=1e15, exclude_min=True), st.floats(max_value=-1e15, exclude_max=True)))
def test_numbers_beyond_10_to_15_are_refused(x: float) -> None:
    """Issue 13: two pagu of 1e308 summed to infinity and stopped the consolidation."""
    res = normalize_number(x)
    assert res.value is None and res.code in ("NILAI_TERLALU_BESAR", "NILAI_BUKAN_ANGKA")
    assert normalize_number("1" * 310).code == "NILAI_BUKAN_ANGKA"  # too long to be a number
    assert normalize_number("2" + "0" * 20).code == "NILAI_TERLALU_BESAR"


@given(st.one_of(st.text(), st.floats(), st.integers(), st.booleans(), st.none(), st.dates(),
                 st.lists(st.text(max_size=5), max_size=3)))
def test_never_raises_and_udf_only_invalid_input(raw: object) -> None:
    for fn in (normalize_number, normalize_target, normalize_text, normalize_date, normalize_answer,
               normalize_integer):
        res = fn(raw)
        assert res.ok or (res.error and res.code and res.value is None)
    try:
        out = to_number(raw)
    except SakipError as exc:
        assert isinstance(exc, InvalidInput)
    else:
        assert out is None or math.isfinite(out)


@given(st.text(alphabet="0123456789.,% -s/d", max_size=12))
def test_number_like_text_is_never_guessed(text: str) -> None:
    """A value comes out only for a reading that is unambiguous."""
    res = normalize_number(text)
    if res.ok and res.value is not None:
        core = text.replace("%", "").strip()
        assert not cv._GROUPED_DOT.match(core.lstrip("-").strip())
        assert not cv._GROUPED_COMMA.match(core.lstrip("-").strip())
