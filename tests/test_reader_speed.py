"""What the reader's speed-ups must not change: caches never skip a check, memoised values equal
the registry's, and the one-pass sheet-extent guard refuses every spelling of a far cell."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

import build_corpus as bc  # noqa: E402
from xlsxedit import Book  # noqa: E402

from sakip_xl import read_workbook  # noqa: E402
from sakip_xl.errors import UnsafeWorkbook, WorkbookReadError  # noqa: E402
from sakip_xl.excel.convert import normalize_answer, normalize_choice  # noqa: E402
from sakip_xl.excel.read_tables import CellValues  # noqa: E402
from sakip_xl.excel.safety import Limits  # noqa: E402
from sakip_xl.excel.xlsxparts import check_extent  # noqa: E402
from sakip_xl.policy import POLARITAS, default_policy  # noqa: E402
from sakip_xl.rules import cell_value  # noqa: E402


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bc.build_base(tmp_path_factory.mktemp("speed"))


def test_same_file_twice_gives_the_same_result(base: Path) -> None:
    first = read_workbook(base, today=bc.TODAY)
    second = read_workbook(base, today=bc.TODAY)  # the small parts now come from the parse cache
    assert first[0] == second[0] and first[1] == second[1]


def test_cached_parts_are_still_checked_on_every_read(base: Path, tmp_path: Path) -> None:
    read_workbook(base, today=bc.TODAY)  # styles.xml and workbook.xml are in the parse cache now
    b = Book(base)
    styles = b.text("xl/styles.xml")
    b.put("xl/styles.xml", styles.replace("<styleSheet", '<!DOCTYPE x [<!ENTITY a "b">]><styleSheet', 1))
    with pytest.raises(UnsafeWorkbook, match="DOCTYPE"):
        read_workbook(b.save(tmp_path / "dtd.xlsx"), today=bc.TODAY)
    b = Book(base)
    b.put("xl/workbook.xml", b.text("xl/workbook.xml")[:-40])  # truncated: not XML
    with pytest.raises(WorkbookReadError, match="workbook.xml"):
        read_workbook(b.save(tmp_path / "rusak.xlsx"), today=bc.TODAY)


@settings(max_examples=200, deadline=None)
@given(
    target=st.one_of(st.none(), st.just(""), st.floats(-10, 500, allow_nan=False), st.integers(0, 200),
                     st.booleans()),
    real=st.one_of(st.none(), st.floats(-10, 500, allow_nan=False), st.integers(0, 200), st.just("x")),
    pol=st.sampled_from([*POLARITAS, "lain", ""]),
    tw=st.lists(st.one_of(st.none(), st.floats(-5, 100, allow_nan=False), st.integers(0, 9)), max_size=4),
    tipe=st.sampled_from(["kumulatif", "akhir", "rata-rata", "x"]),
)
def test_memoised_cell_values_equal_the_registry(target: object, real: object, pol: str, tw: list[object],
                                                  tipe: str) -> None:
    policy = default_policy()
    cv = CellValues(policy)
    calls = [("capaian", (target, real, pol, None)), ("ytd", (tw, tipe)), ("kategori", (real,)),
             ("score", (pol.upper() or None, "Y/T"))]
    for _ in range(2):  # the second round is answered from the memo
        for key, args in calls:
            got, want = cv(key, *args), cell_value(key, *args, policy=policy)
            assert type(got) is type(want) and (got == want or got != got and want != want), (key, args)
    # 1, 1.0 and True hash alike; the memo keeps them apart
    for a in (1, 1.0, True):
        assert repr(cv("kategori", a)) == repr(cell_value("kategori", a, policy=policy))


def test_memoised_conversions_equal_fresh_ones() -> None:
    from sakip_xl.excel.convert import ExcelError, _answer, _choice

    for raw in ("positif", " Positif ", "NEGATIF", "stabil\u00a0", "lain", "", ExcelError("#N/A"), 3.0, None):
        for _ in range(2):
            assert normalize_choice(raw, POLARITAS, {"pos": "positif"}, what="polaritas") == _choice(
                raw, POLARITAS, {"pos": "positif"}, "polaritas")
            assert normalize_answer(raw) == _answer(raw)
    assert normalize_choice(ExcelError("#N/A"), POLARITAS).error is not None  # never the text's memo


@pytest.mark.parametrize("xml", [
    b'<sheetData><row r="5"><c r  =  "A20000"><v>1</v></c></row></sheetData>',
    b"<sheetData><row r='5'><c r =\t'BZZ5'><v>1</v></c></row></sheetData>",
    b'<sheetData><row r="5"><c r="A5"/><c r="XFD1048576"><v>1</v></c></row></sheetData>',
    b'<sheetData><row\nr="123456"><c t="n"><v>1</v></c></row></sheetData>',
])
def test_far_cells_in_any_spelling_are_refused(xml: bytes) -> None:
    with pytest.raises(UnsafeWorkbook, match="batas"):
        check_extent("PK", xml, Limits())
