"""The summary workbook's fast table writer (consolidation.fastsheet) against XlsxWriter itself.

FastSheet renders a table's cell XML in one pass; writing the same cells one by one through
XlsxWriter's public methods (``reference=True``) must give the very same bytes, for any values.
On a real consolidated city, every cell of the summary's tables equals its Rekap DataFrame.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook
from xlsxwriter.exceptions import OverlappingRange

from sakip_xl.consolidation import Rekap, consolidate
from sakip_xl.consolidation.fastsheet import XLSX_MAX_STRING, FastSheet, classify
from sakip_xl.consolidation.summary_xlsx import write_summary
from sakip_xl.demo import generate_city, write_city

HOSTILE_TEXT = ["=1+1", "+62 21 555", "-5", "@SUM(A1)", " spasi di tepi ", "baris\nbaru\r\n", "&<>\"'",
                "\x01\x07\x1f kendali", "_x0041_", "🙂 emoji", "{0} {f1}", "", "\t"]

values = st.one_of(
    st.none(), st.text(max_size=12), st.sampled_from(HOSTILE_TEXT),
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-(2 ** 70), 2 ** 70), st.booleans(),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 1, 1)),
    st.sampled_from([pd.NA, pd.NaT, np.float64(2.5), np.int64(-7), np.float64("nan"), np.bool_(True)]),
)


def _book(path: Path, columns: list[list[Any]], *, reference: bool, first_col: int = 1, top: int = 1) -> bytes:
    """A workbook with cells above and below the block, an Excel Table (header on row ``top``) over
    it and a chart on it."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False, "in_memory": True})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    ws = wb.add_worksheet("Data", worksheet_class=FastSheet)
    assert isinstance(ws, FastSheet)
    bold = wb.add_format({"bold": True})
    formats = [wb.add_format({"num_format": fmt, "border": 1})
               for fmt in ("#,##0.00", "0", "@", "#,##0", "0.0%")][: len(columns)]
    ws.write_string(0, 0, "Judul di atas", bold)
    n = ws.write_columns(top + 1, first_col, columns, formats, wb.add_format({"num_format": "dd/mm/yyyy"}),
                         reference=reference)
    last = top + max(n, 1)
    ws.add_table(top, first_col, last, first_col + len(columns) - 1,
                 {"columns": [{"header": f"Kolom {j}", "header_format": bold} for j in range(len(columns))]})
    ws.write_number(last + 2, 0, 42, bold)
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"categories": ["Data", top + 1, first_col, last, first_col],
                      "values": ["Data", top + 1, first_col + 1, last, first_col + 1]})
    ws.insert_chart(0, first_col + len(columns) + 1, chart)
    wb.close()
    return path.read_bytes()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(2, 5).flatmap(lambda ncol: st.integers(1, 40).flatmap(
    lambda nrow: st.lists(st.one_of(st.lists(values, min_size=nrow, max_size=nrow), st.just([None] * nrow)),
                          min_size=ncol, max_size=ncol))),
    st.integers(0, 3), st.sampled_from([1, 15, 30]))
def test_fast_cells_are_byte_identical_to_xlsxwriter_cell_by_cell(tmp_path: Path, columns: list[list[Any]],
                                                                  first_col: int, top: int) -> None:
    """Any values; blank columns and a table starting on a 16-row boundary exercise the spans."""
    fast = _book(tmp_path / "cepat.xlsx", columns, reference=False, first_col=first_col, top=top)
    ref = _book(tmp_path / "acuan.xlsx", columns, reference=True, first_col=first_col, top=top)
    assert fast == ref


def test_text_stays_text_and_long_text_is_cut_like_xlsxwriter(tmp_path: Path) -> None:
    long_emoji = "a" * (XLSX_MAX_STRING - 1) + "🙂"  # 32 768 UTF-16 units: the emoji is dropped whole
    texts = [*[t for t in HOSTILE_TEXT if t], "b" * 40_000, long_emoji]
    numbers = [float(i) for i in range(len(texts))]
    fast = _book(tmp_path / "cepat.xlsx", [texts, numbers], reference=False)
    assert fast == _book(tmp_path / "acuan.xlsx", [texts, numbers], reference=True)
    ws = openpyxl.load_workbook(tmp_path / "cepat.xlsx")["Data"]
    for i, text in enumerate(texts, start=3):
        cell = ws.cell(i, 2)
        assert cell.data_type == "s", text[:20]
        if text.startswith(("=", "+", "-", "@")):
            assert cell.value == text
    assert ws.cell(3 + texts.index("b" * 40_000), 2).value == "b" * XLSX_MAX_STRING
    assert ws.cell(3 + texts.index(long_emoji), 2).value == "a" * (XLSX_MAX_STRING - 1)
    with zipfile.ZipFile(tmp_path / "cepat.xlsx") as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
        table = z.read("xl/tables/table1.xml").decode()
    assert f'ref="B2:C{2 + len(texts)}"' in table


def test_value_rules() -> None:
    assert classify("") == (0, None) and classify(None) == (0, None) and classify(float("nan"))[0] == 0
    assert classify(pd.NA)[0] == 0 and classify(pd.NaT)[0] == 0
    assert classify(True) == (1, "Ya") and classify(False) == (1, "")
    assert classify(np.int64(3)) == (2, 3) and classify(float("inf"))[0] == 3
    assert classify(dt.date(2025, 1, 2)) == (4, dt.datetime(2025, 1, 2))
    assert classify(Path("a")) == (1, "a")


def test_overlaps_and_taken_rows_are_refused(tmp_path: Path) -> None:
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    ws = wb.add_worksheet("Data", worksheet_class=FastSheet)
    assert isinstance(ws, FastSheet)
    fmt = wb.add_format()
    ws.write_columns(1, 0, [[1.0] * 10, ["a"] * 10], [fmt, fmt], fmt)
    ws.add_table(0, 0, 10, 1)
    with pytest.raises(OverlappingRange):
        ws.add_table(8, 1, 20, 3)  # overlaps the data rows, not only the header
    with pytest.raises(ValueError, match="already hold"):
        ws.write_columns(5, 3, [[1.0]], [fmt], fmt)
    ws.write_string(20, 0, "x")
    with pytest.raises(ValueError, match="already hold"):
        ws.write_columns(20, 1, [[1.0]], [fmt], fmt)
    ws.add_table(12, 0, 30, 1)  # next to it: fine
    wb.close()


# ---------------------------------------------------------------------- the summary workbook
@pytest.fixture(scope="module")
def rekap(tmp_path_factory: pytest.TempPathFactory) -> Rekap:
    base = tmp_path_factory.mktemp("kota_cepat")
    write_city(generate_city(8, seed=11), base / "opd", jobs=1)
    return consolidate(base / "opd", jobs=1)


def test_summary_is_byte_identical_to_cell_by_cell(rekap: Rekap, tmp_path: Path) -> None:
    fast = rekap.to_excel(tmp_path / "cepat.xlsx").read_bytes()
    assert fast == write_summary(rekap, tmp_path / "acuan.xlsx", reference=True).read_bytes()


def _expected(value: Any) -> Any:
    kind, payload = classify(value)
    if kind == 0:
        return ""
    if kind == 2:
        return float(payload)
    if kind == 4:
        return payload.date() if payload.time() == dt.time() else payload
    return payload


def _cell(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


SHEET_FRAMES = {"Per OPD": "opd", "Detail Indikator": "indikator", "Anggaran": "anggaran",
                "Masalah": "masalah", "Sumber": "sumber"}


@pytest.mark.parametrize("sheet", SHEET_FRAMES)
def test_every_cell_equals_the_rekap_dataframe(rekap: Rekap, tmp_path: Path, sheet: str) -> None:
    """Each column of the sheet's table is one DataFrame column, row for row, in Rekap's order."""
    out = rekap.to_excel(tmp_path / "rekap.xlsx")
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name(sheet).to_python()
    df = getattr(rekap, SHEET_FRAMES[sheet])
    assert len(df) > 0 and len(rows) == len(df) + 1
    frame_cols = {name: [_expected(v) for v in df[name].tolist()] for name in df.columns}
    sheet_cols = {header: [_cell(r[j]) for r in rows[1:]] for j, header in enumerate(rows[0])}
    for header, got in sheet_cols.items():
        assert any(_equal(got, want) for want in frame_cols.values()), f"{sheet}: {header!r} is no column"
    for name, want in frame_cols.items():  # and nothing is lost
        assert any(_equal(got, want) for got in sheet_cols.values()), f"{sheet}: {name} is not written"


def _equal(got: list[Any], want: list[Any]) -> bool:
    if len(got) != len(want):
        return False
    for a, b in zip(got, want, strict=True):
        if isinstance(a, float) and isinstance(b, float):
            if not math.isclose(a, b, rel_tol=1e-15, abs_tol=0.0):
                return False
        elif a != b:
            return False
    return True
