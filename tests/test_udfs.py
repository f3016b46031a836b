"""The =SAKIP_* UDFs, called with the argument shapes Excel (xlwings, ndim=2) sends.

Every expected value comes from the registry's own ``Rule.cell`` (the core), never from a number
typed here, so the tests check the adapter: conversion, broadcasting, error text.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sakip_xl.addin import udfs
from sakip_xl.policy import POLARITAS, Policy
from sakip_xl.rules import RULES

CAP = RULES["capaian"].cell
P = Policy()


def col(*values: object) -> list[list[object]]:
    return [[v] for v in values]


@pytest.fixture(autouse=True)
def _national_policy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No city policy from the environment or the home folder leaks into these tests."""
    monkeypatch.delenv("SAKIP_KEBIJAKAN", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))


# --------------------------------------------------------------------------- the set of UDFs
def test_udf_set_is_exactly_the_registry() -> None:
    names = {n for n in dir(udfs) if n.startswith("SAKIP_") and callable(getattr(udfs, n))}
    assert names == {r.udf for r in RULES.values()}
    assert set(udfs.UDF_NAMES) == names


@pytest.mark.parametrize("rule", list(RULES.values()), ids=lambda r: r.udf)
def test_udf_signature_is_the_registry_parameter_list(rule) -> None:  # type: ignore[no-untyped-def]
    sig = inspect.signature(getattr(udfs, rule.udf))
    assert [p.name for p in sig.parameters.values()] == [p.name for p in rule.params]
    assert [p.default is None for p in sig.parameters.values()] == [p.optional for p in rule.params]
    assert getattr(udfs, rule.udf).__doc__ == rule.doc


# --------------------------------------------------------------------------- single cells
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(t=finite, r=finite, pol=st.sampled_from([*POLARITAS, "Positif ", "naik", ""]),
       hi=st.one_of(st.none(), finite))
def test_capaian_single_cells_equal_the_core(t: float, r: float, pol: str, hi: float | None) -> None:
    got = udfs.SAKIP_CAPAIAN([[t]], [[r]], [[pol]], [[hi]])  # type: ignore[attr-defined]
    assert got == CAP(t, r, pol, hi, policy=P)


def test_whole_numbers_arrive_as_floats_and_give_the_same_answer() -> None:
    assert udfs.SAKIP_CAPAIAN([[80]], [[100]], [["positif"]]) == CAP(80.0, 100.0, "positif", policy=P)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "number"),
    [("85,5", 85.5), ("1.234,5", 1234.5), (" 90 ", 90.0), ("75,25", 75.25)],
)
def test_indonesian_decimal_text_is_read_as_the_number(text: str, number: float) -> None:
    assert udfs.SAKIP_CAPAIAN([[text]], [["80"]], [["positif"]]) == CAP(number, 80.0, "positif", policy=P)  # type: ignore[attr-defined]
    assert udfs.SAKIP_KATEGORI([[text]]) == RULES["kategori"].cell(number, policy=P)  # type: ignore[attr-defined]


def test_text_that_is_no_number_reaches_the_core_unchanged() -> None:
    got = udfs.SAKIP_CAPAIAN([["delapan"]], [[80.0]], [["positif"]])  # type: ignore[attr-defined]
    assert got == CAP("delapan", 80.0, "positif", policy=P)
    assert isinstance(got, str) and got.startswith("#")


def test_blank_cells_give_blank_and_a_missing_optional_equals_blank() -> None:
    assert udfs.SAKIP_CAPAIAN([[None]], [[80.0]], [["positif"]]) == ""  # type: ignore[attr-defined]
    assert udfs.SAKIP_CAPAIAN([["  "]], [[80.0]], [["positif"]]) == ""  # type: ignore[attr-defined]
    a = udfs.SAKIP_CAPAIAN([[80.0]], [[85.0]], [["stabil"]])  # type: ignore[attr-defined]
    b = udfs.SAKIP_CAPAIAN([[80.0]], [[85.0]], [["stabil"]], None)  # type: ignore[attr-defined]
    c = udfs.SAKIP_CAPAIAN([[80.0]], [[85.0]], [["stabil"]], [[None]])  # type: ignore[attr-defined]
    assert a == b == c == CAP(80.0, 85.0, "stabil", None, policy=P)


def test_error_cells_as_text_are_not_a_crash() -> None:
    # xlwings err_to_str: an input cell showing #N/A arrives as the text "#N/A"
    got = udfs.SAKIP_CAPAIAN([["#N/A"]], [[80.0]], [["positif"]])  # type: ignore[attr-defined]
    assert got == CAP("#N/A", 80.0, "positif", policy=P)
    assert isinstance(got, str) and got.startswith("#")


def test_error_texts_of_score_cells_pass_through_jumlah() -> None:
    nilai = col(1.0, "#JAWABAN?", 0.5)
    assert udfs.SAKIP_JUMLAH(nilai) == RULES["jumlah"].cell(nilai, policy=P) == "#JAWABAN?"  # type: ignore[attr-defined]


def test_versi_takes_no_argument() -> None:
    assert udfs.SAKIP_VERSI() == RULES["versi"].cell(policy=P)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- arrays
def test_a_column_in_gives_a_column_out_equal_to_the_core_cell_by_cell() -> None:
    targets = [100.0, 0.0, 50.0, None, 80.0, "90,5"]
    real = [85.0, 3.0, 75.0, 10.0, "#DIV/0!", "95"]
    pols = ["positif", "positif", "negatif", "positif", "positif", "stabil"]
    got = udfs.SAKIP_CAPAIAN(col(*targets), col(*real), col(*pols))  # type: ignore[attr-defined]
    conv = [udfs.to_cell_input(v) for v in targets], [udfs.to_cell_input(v) for v in real]
    assert got == [[CAP(t, r, p, None, policy=P)] for t, r, p in zip(*conv, pols, strict=True)]


def test_a_single_cell_broadcasts_over_a_column() -> None:
    got = udfs.SAKIP_CAPAIAN(col(100.0, 200.0, 50.0), [[100.0]], [["negatif"]])  # type: ignore[attr-defined]
    assert got == [[CAP(t, 100.0, "negatif", policy=P)] for t in (100.0, 200.0, 50.0)]


def test_a_row_in_gives_a_row_out() -> None:
    got = udfs.SAKIP_KATEGORI([[95.0, 80.0, 70.0, 55.0, 10.0]])  # type: ignore[attr-defined]
    assert got == [[RULES["kategori"].cell(x, policy=P) for x in (95.0, 80.0, 70.0, 55.0, 10.0)]]


def test_a_shorter_argument_leaves_size_errors_where_excel_shows_na() -> None:
    got = udfs.SAKIP_EFISIENSI(col(90.0, 80.0, 70.0), col(100.0, 50.0))  # type: ignore[attr-defined]
    assert got[:2] == [[RULES["efisiensi"].cell(90.0, 100.0, policy=P)],
                       [RULES["efisiensi"].cell(80.0, 50.0, policy=P)]]
    assert got[2] == [udfs.SIZE_ERROR]


def test_per_row_range_gives_one_ytd_per_row() -> None:
    tw = [[1.0, 2.0, 3.0, 4.0], [5.0, None, None, None], [10.0, 20.0, None, None], [None] * 4]
    tipe = ["kumulatif", "akhir", "rata-rata", "kumulatif"]
    got = udfs.SAKIP_YTD(tw, col(*tipe))  # type: ignore[attr-defined]
    assert got == [[RULES["ytd"].cell(row, k, policy=P)] for row, k in zip(tw, tipe, strict=True)]


def test_per_row_range_with_one_tipe_for_every_row() -> None:
    tw = [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, None, None]]
    got = udfs.SAKIP_YTD(tw, [["kumulatif"]])  # type: ignore[attr-defined]
    assert got == [[RULES["ytd"].cell(row, "kumulatif", policy=P)] for row in tw]


def test_a_vertical_tw_range_beside_single_cells_is_one_record() -> None:
    # the Ringkasan sheet's =SAKIP_SERAPAN(D10,D11:D14): TW I..IV stacked in one column
    tw = col(100.0, 200.0, None, 50.0)
    assert udfs.SAKIP_SERAPAN([[1000.0]], tw) == RULES["serapan"].cell(1000.0, tw, policy=P)  # type: ignore[attr-defined]
    assert udfs.SAKIP_YTD(tw, [["kumulatif"]]) == RULES["ytd"].cell(tw, "kumulatif", policy=P)  # type: ignore[attr-defined]


def test_serapan_per_row_against_a_pagu_column() -> None:
    pagu = col(1000.0, 0.0, "2.000.000")
    real = [[100.0, 200.0, None, None], [1.0, None, None, None], [500_000.0, 500_000.0, None, None]]
    got = udfs.SAKIP_SERAPAN(pagu, real)  # type: ignore[attr-defined]
    pg = [1000.0, 0.0, 2_000_000.0]
    assert got == [[RULES["serapan"].cell(p, r, policy=P)] for p, r in zip(pg, real, strict=True)]


def test_whole_range_arguments_go_whole_to_every_element() -> None:
    nilai = col(1.0, 0.0, 0.75, 1.0, None)
    kode = col("1.a", "1.a", "1.b", "1.b", "1.b")
    got = udfs.SAKIP_LKE_SUB(nilai, kode, col("1.a", "1.b", "1.c"), [[6.0]])  # type: ignore[attr-defined]
    assert got == [[RULES["lke_sub"].cell(nilai, kode, k, 6.0, policy=P)] for k in ("1.a", "1.b", "1.c")]


def test_rata_and_jumlah_level_take_whole_columns() -> None:
    cap = col(90.0, 150.0, None, "abc", 60.0)
    assert udfs.SAKIP_RATA(cap, [[120.0]]) == RULES["rata"].cell(  # type: ignore[attr-defined]
        [[90.0], [150.0], [None], ["abc"], [60.0]], 120.0, policy=P)
    lv = col("Program", "Kegiatan", "Program")
    val = col(10.0, 20.0, "1.000,5")
    got = udfs.SAKIP_JUMLAH_LEVEL(lv, val, col("Program", "Kegiatan"))  # type: ignore[attr-defined]
    conv = [[10.0], [20.0], [1000.5]]
    assert got == [[RULES["jumlah_level"].cell(lv, conv, k, policy=P)] for k in ("Program", "Kegiatan")]


def test_a_column_of_ten_thousand_is_one_call() -> None:
    # speed is measured in benchmarks/bench_udf.py (docs/kinerja.md), not timed here
    n = 10_000
    t = col(*[float(100 + i % 50) for i in range(n)])
    r = col(*[float(i % 130) for i in range(n)])
    got = udfs.SAKIP_CAPAIAN(t, r, [["positif"]])  # type: ignore[attr-defined]
    assert len(got) == n and all(len(row) == 1 for row in got)
    assert got[7][0] == CAP(107.0, 7.0, "positif", policy=P)
    assert got[n - 1][0] == CAP(float(100 + (n - 1) % 50), float((n - 1) % 130), "positif", policy=P)


# --------------------------------------------------------------------------- error contract
cell_values = st.one_of(
    st.none(), st.booleans(), finite, st.integers(-10**6, 10**6),
    st.text(max_size=12), st.sampled_from(["#N/A", "#DIV/0!", "85,5", "1.234", "positif", "A", "Y"]),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
)
grids = st.one_of(
    cell_values,
    st.lists(st.lists(cell_values, min_size=1, max_size=4), min_size=1, max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(rule=st.sampled_from(list(RULES.values())), args=st.lists(grids, max_size=5))
def test_any_input_gives_numbers_or_short_text_never_an_exception(rule, args) -> None:  # type: ignore[no-untyped-def]
    out = udfs.evaluate(rule, args[: len(rule.params)], P)
    cells = [c for row in out for c in row] if isinstance(out, list) else [out]
    for c in cells:
        assert isinstance(c, (float, str)) and not isinstance(c, bool)
        if isinstance(c, float):
            assert math.isfinite(c)
        else:
            assert "Traceback" not in c and len(c) <= 40


# --------------------------------------------------------------------------- policy
@pytest.fixture(autouse=True)
def _fresh_policy_lookup() -> Iterator[None]:
    udfs.forget_policy()  # each test is a new recalculation
    yield
    udfs.forget_policy()


def test_the_policy_is_found_once_per_recalculation(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = udfs.current_policy

    def counting() -> Policy:
        calls.append(1)
        return real()

    monkeypatch.setattr(udfs, "current_policy", counting)
    for _ in range(700):
        udfs.SAKIP_CAPAIAN([[100.0]], [[85.0]], [["positif"]])  # type: ignore[attr-defined]
    assert len(calls) == 1
    monkeypatch.setattr(udfs, "_found", (udfs.time.monotonic() - udfs.POLICY_RECHECK_S - 1, P))
    udfs.SAKIP_CAPAIAN([[100.0]], [[85.0]], [["positif"]])  # type: ignore[attr-defined]
    assert len(calls) == 2  # looked up again after the recheck interval


def test_text_arguments_are_recognised_without_an_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    from sakip_xl.excel import convert

    def refuse(value: object) -> float | None:
        raise AssertionError("to_number raised/was called for a UDF text argument")

    monkeypatch.setattr(convert, "to_number", refuse)
    udfs._text_input.cache_clear()
    assert udfs.to_cell_input("positif") == "positif"
    assert udfs.to_cell_input("1.a") == "1.a"
    assert udfs.to_cell_input("85,5") == 85.5
    assert udfs.to_cell_input("  ") is None and udfs.to_cell_input(" #TARGET0 ") == "#TARGET0"


def test_city_policy_from_the_environment(monkeypatch: pytest.MonkeyPatch, tulis_kebijakan) -> None:  # type: ignore[no-untyped-def]
    path = tulis_kebijakan('batas_predikat = "inklusif"\n')
    assert udfs.SAKIP_PREDIKAT([[70.0]]) == RULES["predikat"].cell(70.0, policy=P)  # type: ignore[attr-defined]
    monkeypatch.setenv("SAKIP_KEBIJAKAN", str(path))
    udfs.forget_policy()  # the next recalculation
    inkl = Policy(batas_predikat="inklusif")
    assert udfs.SAKIP_PREDIKAT([[70.0]]) == RULES["predikat"].cell(70.0, policy=inkl)  # type: ignore[attr-defined]
    assert RULES["predikat"].cell(70.0, policy=inkl) != RULES["predikat"].cell(70.0, policy=P)


def test_city_policy_in_the_user_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".sakip").mkdir()
    (tmp_path / ".sakip" / "kebijakan.toml").write_text('batas_predikat = "inklusif"\n', encoding="utf-8")
    assert udfs.policy_path() == tmp_path / ".sakip" / "kebijakan.toml"
    assert udfs.current_policy().batas_predikat == "inklusif"


def test_a_broken_policy_file_shows_a_short_text(monkeypatch: pytest.MonkeyPatch, tulis_kebijakan) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SAKIP_KEBIJAKAN", str(tulis_kebijakan("batas_predikat = 7\n")))
    assert udfs.SAKIP_PREDIKAT([[70.0]]) == udfs.POLICY_ERROR  # type: ignore[attr-defined]


def test_a_missing_policy_file_shows_a_short_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SAKIP_KEBIJAKAN", str(tmp_path / "tidak_ada.toml"))
    assert udfs.SAKIP_KATEGORI([[80.0]]) == udfs.POLICY_ERROR  # type: ignore[attr-defined]
