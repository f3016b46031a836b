"""Large tables written into XlsxWriter worksheets in one pass, a row of XML at a time.

XlsxWriter keeps every cell as an object and writes it at close with several method calls, about
4 µs a cell; the summary workbook's detail sheets have a few hundred cells per OPD, so that per-cell
path was most of the time spent writing it.  :class:`FastSheet` is an XlsxWriter ``Worksheet`` that
takes a table as columns of values and renders its ``<row>``/``<c>`` elements straight away:

* text goes to the workbook's shared-string table exactly as ``write_string`` does (XlsxWriter
  escapes it, control characters included, when it writes ``sharedStrings.xml``), so the sheet XML
  holds only cell references, style numbers, numbers and string indices, nothing that needs
  escaping; text is always text, never a formula;
* numbers are written as XlsxWriter writes them (``%.16G``), dates as Excel serial numbers;
* style numbers are the formats' XF indices, fixed when the block is written;
* the row ``spans`` hint and the sheet's ``<dimension>`` cover these cells as if written one by one.

Everything else on the sheet (headers, Excel Tables, conditional formats, charts, panes, print
setup) stays with XlsxWriter.  The output is byte-for-byte what XlsxWriter writes for the same cells
written one by one; ``reference=True`` does exactly that (the tests compare the two).

Values, per cell: ``None``, NaN, ``pd.NA``, ``NaT`` and ``""`` leave the cell unwritten; a finite
``int``/``float`` is a number; an infinite number is a blank cell carrying the format; ``bool`` is
the text ``"Ya"`` or an empty text; ``datetime``/``date`` is a date in ``date_format``; a numpy
scalar is taken by its ``.item()``; anything else is written as its ``str()``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from xlsxwriter.exceptions import OverlappingRange
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_range
from xlsxwriter.worksheet import Worksheet

__all__ = ["FastSheet", "XLSX_MAX_STRING"]

#: Excel's longest cell text, in UTF-16 code units (XlsxWriter truncates to this).
XLSX_MAX_STRING = 32_767
_SKIP, _TEXT, _NUMBER, _BLANK, _DATE = range(5)


def _utf16_truncate(text: str) -> str:
    """``text`` cut to Excel's limit in UTF-16 units, never splitting a character above U+FFFF."""
    if len(text.encode("utf-16-le", "surrogatepass")) // 2 <= XLSX_MAX_STRING:
        return text
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > XLSX_MAX_STRING:
            return text[:i]
    return text


def classify(value: Any) -> tuple[int, Any]:
    """How one value is written: (kind, payload); see the module docstring."""
    t = type(value)
    if t is str:
        return (_TEXT, value) if value else (_SKIP, None)
    if value is None or value is pd.NA or value is pd.NaT:
        return _SKIP, None
    if isinstance(value, bool):
        return _TEXT, "Ya" if value else ""
    if isinstance(value, (int, float)):
        if math.isfinite(value):
            return _NUMBER, value
        return (_SKIP, None) if math.isnan(value) else (_BLANK, None)
    if isinstance(value, dt.datetime):
        return _DATE, value
    if isinstance(value, dt.date):
        return _DATE, dt.datetime(value.year, value.month, value.day)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return classify(value.item())
    return _TEXT, str(value)


@dataclass
class _Block:
    first_row: int  # zero-based, first data row
    last_row: int
    first_col: int
    columns: Sequence[Sequence[Any]]  # the values, kept for charts' cached data
    rows: list[tuple[int, str]] = field(default_factory=list)  # (zero-based row, cells XML)
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # 16-row group -> (min, max) col
    _written: set[int] | None = None

    def xml(self, spans: dict[int, str]) -> str:
        return "".join([f'<row r="{r + 1}" spans="{spans[r >> 4]}">{cells}</row>' for r, cells in self.rows])

    def has_row(self, row: int) -> bool:
        if self._written is None:
            self._written = {r for r, _ in self.rows}
        return row in self._written

    def value(self, row: int, col: int) -> Any:
        j = col - self.first_col
        return self.columns[j][row - self.first_row] if 0 <= j < len(self.columns) else None


def _merge_span(spans: dict[int, tuple[int, int]], group: int, lo: int, hi: int) -> None:
    old = spans.get(group)
    spans[group] = (lo, hi) if old is None else (min(old[0], lo), max(old[1], hi))


class FastSheet(Worksheet):
    """An XlsxWriter worksheet with :meth:`write_columns` for large tables."""

    def __init__(self) -> None:
        super().__init__()
        self._blocks: list[_Block] = []
        self._spans_ready = False
        self._table_boxes: list[tuple[int, int, int, int]] = []

    # ------------------------------------------------------------------ writing
    def write_columns(self, first_row: int, first_col: int, columns: Sequence[Sequence[Any]],
                      formats: Sequence[Format], date_format: Format, *, reference: bool = False) -> int:
        """Write ``columns`` (equal-length sequences of values) from ``(first_row, first_col)`` down.

        ``formats[j]`` is column j's cell format (dates use ``date_format``).  Returns the number of
        rows.  The rows must hold no other cells, row formats or comments.
        """
        if len(formats) != len(columns):
            raise ValueError("one format per column")
        n = len(columns[0]) if columns else 0
        if any(len(c) != n for c in columns):
            raise ValueError("columns of unequal length")
        if n == 0:
            return 0
        if first_row < 0 or first_col < 0 or first_row + n > self.xls_rowmax or first_col + len(columns) > self.xls_colmax:
            raise ValueError(f"{n} rows x {len(columns)} columns from row {first_row + 1} do not fit on a sheet")
        ids = [f._get_xf_index() for f in formats]  # fixed now, in the same order for both paths
        date_id = date_format._get_xf_index()
        if reference:
            self._write_cell_by_cell(first_row, first_col, columns, formats, date_format)
        else:
            self._check_free(first_row, first_row + n - 1)
            self._render(first_row, first_col, columns, ids, date_id)
        return n

    def _write_cell_by_cell(self, first_row: int, first_col: int, columns: Sequence[Sequence[Any]],
                            formats: Sequence[Format], date_format: Format) -> None:
        """The same cells through XlsxWriter's public per-cell methods (the reference path)."""
        for i, values in enumerate(zip(*columns, strict=True), start=first_row):
            for j, value in enumerate(values):
                kind, payload = classify(value)
                if kind == _TEXT:
                    self.write_string(i, first_col + j, payload, formats[j])
                elif kind == _NUMBER:
                    self.write_number(i, first_col + j, payload, formats[j])
                elif kind == _BLANK:
                    self.write_blank(i, first_col + j, None, formats[j])
                elif kind == _DATE:
                    self.write_datetime(i, first_col + j, payload, date_format)

    def _check_free(self, first: int, last: int) -> None:
        if self.default_row_height != self.original_row_height or self.excel_version != 2007:
            raise ValueError("write_columns needs XlsxWriter's default row height and Excel 2007 XML")
        if self._taken(first, last) is not None or any(
                b.first_row <= last and first <= b.last_row for b in self._blocks):
            raise ValueError(f"rows {first + 1}-{last + 1} already hold cells, a row format or comments")

    def _render(self, first_row: int, first_col: int, columns: Sequence[Sequence[Any]],
                ids: Sequence[int], date_id: int) -> None:
        ncol = len(columns)
        letters = [xl_col_to_name(first_col + j) for j in range(ncol)]
        opens = ['<c r="' + letter for letter in letters]
        text_mid = [f'" s="{s}" t="s"><v>' for s in ids]
        num_mid = [f'" s="{s}"><v>' for s in ids]
        blank_end = [f'" s="{s}"/>' for s in ids]
        date_mid = f'" s="{date_id}"><v>'
        sst = self.str_table._get_shared_string_index
        half = XLSX_MAX_STRING // 2  # shorter text cannot exceed the limit
        block = _Block(first_row, first_row + len(columns[0]) - 1, first_col, columns)
        out = block.rows
        spans = block.spans
        lo_row = hi_row = -1
        for r, values in enumerate(zip(*columns, strict=True), start=first_row):
            rs = str(r + 1)
            parts = []
            lo = hi = -1
            for j, v in enumerate(values):
                t = type(v)
                if t is str:
                    if not v:
                        continue
                    cell = f"{opens[j]}{rs}{text_mid[j]}{sst(v if len(v) <= half else _utf16_truncate(v))}</v></c>"
                elif (t is float or t is int) and v - v == 0:  # finite
                    cell = f"{opens[j]}{rs}{num_mid[j]}{v:.16G}</v></c>"
                elif v is None or (t is float and v != v):  # None, NaN: empty
                    continue
                else:
                    kind, payload = classify(v)
                    if kind == _SKIP:
                        continue
                    cell = opens[j] + rs + (
                        f"{text_mid[j]}{sst(_utf16_truncate(payload))}</v></c>" if kind == _TEXT
                        else f"{num_mid[j]}{payload:.16G}</v></c>" if kind == _NUMBER
                        else blank_end[j] if kind == _BLANK
                        else f"{date_mid}{self._convert_date_time(payload):.16G}</v></c>")
                parts.append(cell)
                if lo < 0:
                    lo = j
                hi = j
            if parts:
                out.append((r, "".join(parts)))
                _merge_span(spans, r >> 4, first_col + lo, first_col + hi)
                if lo_row < 0:
                    lo_row = r
                hi_row = r
        if not out:
            return
        cmin = min(s[0] for s in spans.values())
        cmax = max(s[1] for s in spans.values())
        self._check_dimensions(lo_row, cmin)
        self._check_dimensions(hi_row, cmax)
        self._blocks.append(block)

    # ------------------------------------------------------------------ tables
    def add_table(self, first_row: int, first_col: int, last_row: int, last_col: int,
                  options: dict[str, Any] | None = None) -> Any:
        """XlsxWriter's ``add_table``, checking overlaps by rectangle instead of cell by cell.

        XlsxWriter records every cell of a table's range to detect overlaps (about 0.5 µs a cell).
        A plain table (header row, no total row, no data or column formulas given here) is added
        over its header and first row, then given its full range; overlaps with this sheet's other
        tables raise ``OverlappingRange`` as before.  Anything else goes to XlsxWriter unchanged.
        """
        opts = options or {}
        plain = (opts.get("header_row", True) and not opts.get("total_row") and "data" not in opts
                 and not any(c.get("formula") for c in opts.get("columns", []) if c)
                 and first_row + 1 < last_row and first_col <= last_col and not self.merged_cells)
        box = (min(first_row, last_row), min(first_col, last_col), max(first_row, last_row),
               max(first_col, last_col))
        for r0, c0, r1, c1 in self._table_boxes:
            if box[0] <= r1 and r0 <= box[2] and box[1] <= c1 and c0 <= box[3]:
                raise OverlappingRange(f"Table range '{xl_range(*box)}' overlaps previous table range "
                                       f"'{xl_range(r0, c0, r1, c1)}'.")
        if not plain:
            result = super().add_table(first_row, first_col, last_row, last_col, options)
        elif self._check_dimensions(last_row, last_col, True, True):
            return -1
        else:
            result = super().add_table(first_row, first_col, first_row + 1, last_col, options)
            if result == 0:
                table = self.tables[-1]
                table["range"] = table["a_range"] = xl_range(first_row, first_col, last_row, last_col)
                if "autofilter" in table:
                    table["autofilter"] = table["a_range"]
        if result == 0:
            self._table_boxes.append(box)
        return result

    # ------------------------------------------------------------------ charts' cached data
    def _get_range_data(self, row_start: int, col_start: int, row_end: int, col_end: int) -> list[Any]:
        """As XlsxWriter's: a chart's cached values, here also from blocks (None: no cell)."""
        data: list[Any] = []
        for row in range(row_start, row_end + 1):
            block = next((b for b in self._blocks if b.first_row <= row <= b.last_row), None)
            if block is None:
                data.extend(super()._get_range_data(row, col_start, row, col_end))
            elif not block.has_row(row):
                data.append(None)
            else:
                data.extend(self._datum(block.value(row, col)) for col in range(col_start, col_end + 1))
        return data

    def _datum(self, value: Any) -> Any:
        kind, payload = classify(value)
        if kind == _TEXT:
            return _utf16_truncate(payload) if len(payload) > XLSX_MAX_STRING // 2 else payload
        if kind == _NUMBER:
            return f"{payload:.16g}"
        if kind == _DATE:
            return f"{self._convert_date_time(payload):.16g}"
        return "" if kind == _BLANK else None

    # ------------------------------------------------------------------ XML at close
    def _calculate_spans(self) -> None:
        if not self._spans_ready:
            super()._calculate_spans()

    def _write_rows(self) -> None:
        if not self._blocks:
            super()._write_rows()
            return
        super()._calculate_spans()  # cells written one by one
        merged: dict[int, tuple[int, int]] = {}
        base: dict[int, str] = self.row_spans  # type: ignore[has-type]
        for group, text in base.items():  # "1:30", one-based
            a, b = text.split(":")
            merged[group] = (int(a) - 1, int(b) - 1)
        for block in self._blocks:
            for group, (lo, hi) in block.spans.items():
                _merge_span(merged, group, lo, hi)
        self.row_spans = {g: f"{lo + 1}:{hi + 1}" for g, (lo, hi) in merged.items()}
        first: int | None = self.dim_rowmin  # type: ignore[has-type]
        last: int | None = self.dim_rowmax  # type: ignore[has-type]
        assert first is not None and last is not None
        self._spans_ready = True
        try:
            start = first
            for block in sorted(self._blocks, key=lambda b: b.first_row):
                self._check_free_at_close(block)
                if start < block.first_row:
                    self._write_rows_between(start, block.first_row - 1)
                self.fh.write(block.xml(self.row_spans))
                start = block.last_row + 1
            if start <= last:
                self._write_rows_between(start, last)
        finally:
            self._spans_ready = False
            self.dim_rowmin, self.dim_rowmax = first, last

    def _write_rows_between(self, first: int, last: int) -> None:
        """XlsxWriter's own row writer over rows ``first..last`` (cells written one by one)."""
        self.dim_rowmin, self.dim_rowmax = first, last
        super()._write_rows()

    def _check_free_at_close(self, block: _Block) -> None:
        taken = self._taken(block.first_row, block.last_row)
        if taken is not None:
            raise ValueError(f"row {taken + 1} holds a block from write_columns and other cells or row settings")

    def _taken(self, first: int, last: int) -> int | None:
        """A row in ``first..last`` with cells written one by one, a row format or a comment."""
        for r, cells in self.table.items():
            if cells and first <= r <= last:
                return int(r)
        for r in (*self.row_info, *self.comments):
            if first <= r <= last:
                return int(r)
        return None
