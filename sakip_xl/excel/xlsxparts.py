"""The small XML parts of a workbook: sheets, defined names, Excel Tables, and formula cells.

The reader finds everything **by name** (the template contract), never by cell position:

* ``xl/workbook.xml`` gives the sheets (name -> part, through ``xl/_rels/workbook.xml.rels``)
  and the defined names (``Tahun`` -> ``Profil!$B$6``);
* each sheet's rels give its Excel Tables (``xl/tables/tableN.xml``: name, range, column
  headers), so inserted or deleted rows, a moved table and extra columns still read;
* :func:`scan_cells` looks into a sheet's XML only for what a value reader hides: which cells of
  the computed columns hold a formula (and its cached value), and which cells hold an Excel error
  value (python-calamine shows those as ``""``).  It also refuses cell addresses beyond the
  limits before python-calamine loads the sheet (a cell at XFD1048576 would make it allocate the
  whole grid).

These parts are parsed with :mod:`defusedxml`; namespaces are ignored, so the "Strict Open XML"
flavour reads like the transitional one.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ..errors import UnsafeWorkbook, WorkbookReadError
from .convert import ExcelError
from .safety import Limits, Package

__all__ = [
    "CellPos",
    "TableLoc",
    "DefinedName",
    "Layout",
    "read_layout",
    "col_index",
    "col_letter",
    "a1",
    "parse_ref",
    "FormulaCell",
    "SheetScan",
    "scan_cells",
    "percent_styles",
    "check_counts",
    "SheetTooLarge",
    "strip_comments",
]

CellPos = tuple[int, int]  # (row, col), 0-based


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letter(col: int) -> str:
    out = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def a1(row: int, col: int) -> str:
    return f"{col_letter(col)}{row + 1}"


_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _cell(ref: str) -> CellPos | None:
    m = _CELL_REF.match(ref.strip())
    if not m:
        return None
    return int(m.group(2)) - 1, col_index(m.group(1))


def parse_ref(text: str) -> tuple[str | None, CellPos, CellPos] | None:
    """``'Rencana Aksi'!$A$4:$U$104`` -> (sheet, top-left, bottom-right); None if not a plain ref."""
    s = text.strip().lstrip("=")
    sheet: str | None = None
    if "!" in s:
        sheet_part, s = s.rsplit("!", 1)
        if sheet_part.startswith("'") and sheet_part.endswith("'"):
            sheet_part = sheet_part[1:-1].replace("''", "'")
        sheet = sheet_part
    parts = s.split(":")
    if len(parts) > 2:
        return None
    first = _cell(parts[0])
    last = _cell(parts[-1])
    if first is None or last is None:
        return None
    return sheet, first, last


@dataclass(frozen=True)
class TableLoc:
    """An Excel Table as the file declares it."""

    name: str
    sheet: str
    top: CellPos
    bottom: CellPos
    columns: tuple[str, ...]
    header_rows: int = 1
    totals_rows: int = 0

    @property
    def first_data_row(self) -> int:
        return self.top[0] + self.header_rows

    @property
    def last_data_row(self) -> int:
        return self.bottom[0] - self.totals_rows

    def column_index(self, header: str) -> int | None:
        """Sheet column of the column called ``header`` (case and spaces forgiven)."""
        want = " ".join(header.split()).casefold()
        for i, name in enumerate(self.columns):
            if " ".join(name.split()).casefold() == want:
                return self.top[1] + i
        return None

    @property
    def ref(self) -> str:
        return f"{a1(*self.top)}:{a1(*self.bottom)}"


@dataclass(frozen=True)
class DefinedName:
    name: str
    text: str
    sheet: str | None
    cell: CellPos | None


@dataclass
class Layout:
    """What the workbook declares, found by name."""

    sheets: dict[str, str] = field(default_factory=dict)  # sheet name -> part path
    names: dict[str, DefinedName] = field(default_factory=dict)  # casefolded name -> name
    tables: dict[str, TableLoc] = field(default_factory=dict)  # casefolded name -> table
    date1904: bool = False
    #: sheet name -> "hidden" / "veryHidden" (visible sheets are not listed)
    hidden: dict[str, str] = field(default_factory=dict)
    #: every table of the workbook, in file order (``tables`` keeps one per name)
    all_tables: list[TableLoc] = field(default_factory=list)

    def name(self, name: str) -> DefinedName | None:
        return self.names.get(name.casefold())

    def table(self, name: str) -> TableLoc | None:
        return self.tables.get(name.casefold())


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(el: Element, local: str) -> str | None:
    for k, v in el.attrib.items():
        if _local(k) == local:
            return v
    return None


def _rel_id(el: Element) -> str | None:
    for k, v in el.attrib.items():
        if k.startswith("{") and _local(k) == "id":
            return v
    return None


_CACHE_PART_BYTES = 64 * 1024  # larger parts (never in a template's workbook) are parsed every time


def _parse_bytes(data: bytes) -> Element:
    """The parsed tree of one part's bytes.  Workbooks made from one template share most small
    parts byte for byte (styles, workbook.xml, table parts), so each distinct small content is
    parsed once; the trees are only read, never changed.  Errors are not cached (raised every time)."""
    if len(data) <= _CACHE_PART_BYTES:
        return _parse_small(data)
    root: Element = SafeET.fromstring(data)
    return root


@lru_cache(maxsize=256)
def _parse_small(data: bytes) -> Element:
    root: Element = SafeET.fromstring(data)
    return root


def _parse(pkg: Package, name: str) -> Element:
    return _parse_part(name, pkg.read(name))  # size caps and the DTD check run on every read


def _parse_part(name: str, data: bytes) -> Element:
    try:
        root = _parse_bytes(data)
    except DefusedXmlException as exc:
        raise UnsafeWorkbook(f"bagian {name} berisi konstruksi XML berbahaya ({type(exc).__name__})",
                             hint="Simpan ulang berkas dari Excel.") from exc
    except SafeET.ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        raise WorkbookReadError(f"berkas rusak: bagian {name} bukan XML yang sah (baris {line}, kolom {col})",
                                hint="Simpan ulang berkas dari Excel.") from exc
    except (LookupError, ValueError) as exc:  # e.g. an unknown encoding in the XML declaration
        raise WorkbookReadError(f"berkas rusak: bagian {name} tidak dapat diurai (pengodean teks tidak dikenal "
                                "atau isi tidak sah)",
                                hint="Simpan ulang berkas dari Excel.") from exc
    return root


def _rels(pkg: Package, part: str) -> dict[str, tuple[str, str]]:
    """Relationships of ``part``: id -> (type suffix, target part path)."""
    base, fname = posixpath.split(part)
    rels_name = posixpath.join(base, "_rels", fname + ".rels")
    if not pkg.has(rels_name):
        return {}
    out: dict[str, tuple[str, str]] = {}
    for el in _parse(pkg, rels_name):
        if _local(el.tag) != "Relationship" or (el.get("TargetMode") or "").lower() == "external":
            continue
        target = el.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out[el.get("Id") or ""] = ((el.get("Type") or "").rsplit("/", 1)[-1], path)
    return out


def _table(pkg: Package, part: str, sheet: str) -> TableLoc | None:
    root = _parse(pkg, part)
    name = root.get("displayName") or root.get("name")
    ref = parse_ref(root.get("ref") or "")
    if not name or ref is None:
        return None
    cols = next((c for c in root if _local(c.tag) == "tableColumns"), None)
    headers = tuple(
        html.unescape(c.get("name") or "").replace("_x000a_", "\n").replace("_x000d_", "")
        for c in (cols if cols is not None else [])
        if _local(c.tag) == "tableColumn"
    )

    def _int(v: str | None, default: int) -> int:
        try:
            return int(v) if v is not None else default
        except ValueError:
            return default

    return TableLoc(
        name=name, sheet=sheet, top=ref[1], bottom=ref[2], columns=headers,
        header_rows=_int(root.get("headerRowCount"), 1), totals_rows=_int(root.get("totalsRowCount"), 0),
    )


def read_layout(pkg: Package) -> Layout:
    """Sheets, defined names and tables of the workbook in ``pkg``."""
    root = _parse(pkg, "xl/workbook.xml")
    rels = _rels(pkg, "xl/workbook.xml")
    layout = Layout()
    for el in root.iter():
        tag = _local(el.tag)
        if tag == "sheet":
            name, rid = el.get("name"), _rel_id(el)
            if name and rid and rid in rels and rels[rid][0] == "worksheet":
                layout.sheets[name] = rels[rid][1]
                state = el.get("state") or "visible"
                if state != "visible":
                    layout.hidden[name] = state
        elif tag == "workbookPr":
            layout.date1904 = (el.get("date1904") or "").lower() in ("1", "true")
    for el in root.iter():
        if _local(el.tag) != "definedName":
            continue
        name = el.get("name") or ""
        if not name or name.startswith("_xlnm."):
            continue
        text = el.text or ""
        parsed = parse_ref(text)
        scope = el.get("localSheetId")
        key = name.casefold()
        if scope is not None and key in layout.names:
            continue  # a workbook-level name wins over a sheet-level one
        layout.names[key] = DefinedName(
            name=name, text=text,
            sheet=parsed[0] if parsed else None, cell=parsed[1] if parsed else None,
        )
    _read_tables(pkg, layout)
    return layout


def _read_tables(pkg: Package, layout: Layout) -> None:
    for sheet, part in layout.sheets.items():
        if not pkg.has(part):
            continue
        for kind, target in _rels(pkg, part).values():
            if kind == "table" and pkg.has(target):
                t = _table(pkg, target, sheet)
                if t is not None:
                    layout.all_tables.append(t)
                    layout.tables.setdefault(t.name.casefold(), t)  # the first one, as Excel names are unique


# --------------------------------------------------------------------------- percent formats
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _is_percent(code: str) -> bool:
    return "%" in _QUOTED.sub("", code)


def percent_styles(pkg: Package) -> frozenset[int]:
    """Indexes of the cell formats (``s`` attribute) that show a number as a percentage."""
    if not pkg.has("xl/styles.xml"):
        return frozenset()
    data = pkg.read("xl/styles.xml")
    if len(data) <= _CACHE_PART_BYTES:
        return _percent_small(data)
    return _percent_ids(_parse_part("xl/styles.xml", data))


@lru_cache(maxsize=64)
def _percent_small(data: bytes) -> frozenset[int]:
    return _percent_ids(_parse_part("xl/styles.xml", data))


def _percent_ids(root: Element) -> frozenset[int]:
    custom: dict[str, str] = {}
    xfs: list[str] = []
    for el in root:
        tag = _local(el.tag)
        if tag == "numFmts":
            custom = {c.get("numFmtId") or "": c.get("formatCode") or "" for c in el}
        elif tag == "cellXfs":
            xfs = [c.get("numFmtId") or "0" for c in el if _local(c.tag) == "xf"]
    return frozenset(i for i, fid in enumerate(xfs) if fid in ("9", "10") or _is_percent(custom.get(fid, "")))


# --------------------------------------------------------------------------- sheet XML scan
class FormulaCell:
    """A cell of a computed column as stored: has it a formula, and what value is cached
    (``cached`` is decoded on first use: None when no value is stored, ExcelError for errors)."""

    __slots__ = ("formula", "has_value", "_attrs", "_inner")

    def __init__(self, attrs: bytes, inner: bytes) -> None:
        self._attrs = attrs
        self._inner = inner
        # the usual shape <f>...</f><v>...</v> is decided at the ends, without scanning the formula
        self.formula = inner.startswith(b"<f") or b"<f" in inner or b":f>" in inner or b":f " in inner
        self.has_value = inner.endswith(b"v>") or b"v>" in inner or b"<is>" in inner or b":is>" in inner

    @property
    def cached(self) -> Any:
        return _cached(self._attrs, self._inner) if self.has_value else None

    def __repr__(self) -> str:
        return f"FormulaCell(formula={self.formula}, cached={self.cached!r})"


@dataclass
class SheetScan:
    cells: dict[CellPos, FormulaCell] = field(default_factory=dict)  # computed columns only
    errors: dict[CellPos, ExcelError] = field(default_factory=dict)  # error values anywhere
    percent: set[CellPos] = field(default_factory=set)  # cells formatted as a percentage

    def constants(self) -> set[CellPos]:
        """Computed-column cells that hold a typed value instead of a formula."""
        return {pos for pos, fc in self.cells.items() if not fc.formula and fc.has_value}


# Patterns start with the literal ``r`` so the regex engine can skip ahead; a match must follow
# whitespace (an attribute called exactly ``r``: ``<c r=``, ``<row r=``).  Only cells carry letters in
# an ``r`` attribute (``r:id`` has no "=" right after the r).
_TOO_FAR_ROW = re.compile(rb"""r\s*=\s*["']\s*\$?[A-Za-z]{0,3}\$?0*(?:[2-9]\d{4}|[1-9]\d{5,})\s*["']""")
_TOO_FAR_COL = re.compile(rb"""r\s*=\s*["']\s*\$?(?:[A-Za-z]{3,}|[C-Zc-z][A-Za-z])\$?\d""")
# both in one pass, any spelling (quotes, whitespace): a cheap first look; only when it finds
# something are the two patterns above run to tell an attribute from text that merely ends in r
# (possessive quantifiers: a candidate fails without backtracking; zeros and letters given back never
# make a match, so this finds everything the two patterns find)
_TOO_FAR_ANY = re.compile(
    rb"""r\s*+=\s*+["']\s*+\$?+(?:[A-Za-z]{3,}+\$?\d|[C-Zc-z][A-Za-z]\$?\d|[A-Za-z]{0,2}+\$?+0*+(?:[2-9]\d{4}|[1-9]\d{5,})\s*["'])"""
)
# the content stops at the next cell tag: a cell left open (e.g. in a comment) fails at once, so the
# scan stays linear whatever the sheet holds
_ERROR_CELL = re.compile(
    rb"""<(?:\w+:)?c\s[^>]*?\bt\s*=\s*["']e["'][^>]*+>((?:[^<]++|<(?!/?(?:\w+:)?c[\s/>]))*+)</(?:\w+:)?c>"""
)
_R_ATTR = re.compile(rb"""\br\s*=\s*["']\$?([A-Za-z]{1,3})\$?(\d{1,7})["']""")
_V = re.compile(rb"<(?:\w+:)?v>([^<]*+)</(?:\w+:)?v>")
_T_ATTR = re.compile(rb"""\bt\s*=\s*["'](\w+)["']""")
_HAS_ERROR = re.compile(rb"""t=["']e["']""")  # a gate only (one pass instead of two substring scans)


def _attr_match(pattern: re.Pattern[bytes], data: bytes) -> re.Match[bytes] | None:
    # an attribute follows whitespace, or (malformed, yet python-calamine reads it) a quote
    for m in pattern.finditer(data):
        if m.start() > 0 and data[m.start() - 1] in b" \t\r\n\"'":
            return m
    return None


#: a row or cell start tag in any spelling (namespace prefix, no attribute, no whitespace before r)
_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*+)>")
_R_IN_TAG = re.compile(rb"""(?:^|[\s"'])r\s*+=\s*+["']\s*+([^"']*+)["']""")
_REF_PARTS = re.compile(rb"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
#: a cell or row tag that does not start with its address, and a namespace-prefixed one (``<x:c``):
#: three regex passes with literal prefixes (a fifth of the time of counting and comparing)
_ODD_CELL = re.compile(rb'<c(?! r=")[\s/>]')
_ODD_ROW = re.compile(rb'<row(?! r=")[\s/>]')
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")


def _usual_spelling(data: bytes) -> bool:
    """Every cell and row written ``<c r="..."`` / ``<row r="..."`` (Excel, LibreOffice, XlsxWriter,
    openpyxl): then the ``r`` attributes alone decide where python-calamine puts each cell."""
    return (_ODD_CELL.search(data) is None and _ODD_ROW.search(data) is None
            and _PREFIXED.search(data) is None)


class SheetTooLarge(UnsafeWorkbook):
    """A sheet with a cell beyond the row/column limits (``sheet`` names it)."""

    code = "LEMBAR_TERLALU_BESAR"

    def __init__(self, message: str, *, sheet: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.sheet = sheet


def _too_far(name: str, what: str, where: str, limits: Limits) -> UnsafeWorkbook:
    if what == "row":
        return SheetTooLarge(
            f"lembar {name} memuat baris di luar batas ({where}; batas {limits.max_row:_} baris); "
            "workbook OPD tidak sebesar itu".replace("_", "."),
            sheet=name, hint="Hapus baris kosong berlebih di bawah tabel, simpan, lalu kirim ulang.",
        )
    return SheetTooLarge(
        f"lembar {name} memuat sel di luar batas kolom ({where}; batas kolom {col_letter(limits.max_col - 1)})",
        sheet=name, hint="Hapus kolom kosong berlebih di kanan tabel, simpan, lalu kirim ulang.",
    )


def _exact_extent(name: str, data: bytes, limits: Limits) -> None:
    """Where a grid reader puts each cell, followed as python-calamine does (a row without ``r`` is
    the next row, a cell without ``r`` the next column); one linear pass over the start tags."""
    row = 0
    col = 0
    for m in _ROW_OR_CELL.finditer(data):
        tag, attrs = m.group(1), m.group(2)
        r = _R_IN_TAG.search(attrs)
        if tag == b"row":
            value = r.group(1).strip() if r else b""
            if r is None:
                row += 1
            elif value.isdigit() and len(value) <= 8:
                row = int(value)
            else:
                raise _too_far(name, "row", f"baris {value.decode(errors='replace')[:20]!r}", limits)
            col = 0
            if row > limits.max_row:
                raise _too_far(name, "row", f"baris {row:_}".replace("_", "."), limits)
            continue
        if r is None:
            col += 1
            cell_row = row
        else:
            ref = _REF_PARTS.fullmatch(r.group(1).strip())
            if ref is None:
                raise _too_far(name, "col", f"alamat sel {r.group(1).decode(errors='replace')[:20]!r}", limits)
            col = col_index(ref.group(1).decode()) + 1
            cell_row = int(ref.group(2))
        if cell_row > limits.max_row:
            raise _too_far(name, "row", f"baris {cell_row:_}".replace("_", "."), limits)
        if col > limits.max_col:
            raise _too_far(name, "col", f"kolom ke-{col:_}".replace("_", "."), limits)


def check_extent(name: str, data: bytes, limits: Limits) -> None:
    """Refuse a sheet with a cell beyond the row/column limits (before a grid reader sees it).

    In the usual spelling the ``r`` attributes are searched for a far address (a regex pass that
    finds nothing in an ordinary sheet); in any other spelling every row and cell tag is followed
    (:func:`_exact_extent`), because a grid reader also places cells that carry no address."""
    if not _usual_spelling(data):
        _exact_extent(name, data, limits)
    if _TOO_FAR_ANY.search(data) is None:
        return
    too_far_row, too_far_col = _TOO_FAR_ROW, _TOO_FAR_COL
    if m := _attr_match(too_far_row, data):
        raise SheetTooLarge(
            f"lembar {name} memuat baris di luar batas ({m.group(0).decode(errors='replace').strip()}; "
            f"batas {limits.max_row:_} baris); workbook OPD tidak sebesar itu".replace("_", "."),
            sheet=name, hint="Hapus baris kosong berlebih di bawah tabel, simpan, lalu kirim ulang.",
        )
    if m := _attr_match(too_far_col, data):
        ref = _R_ATTR.search(m.group(0))
        where = ref.group(0).decode(errors="replace") if ref else "?"
        raise SheetTooLarge(
            f"lembar {name} memuat sel di luar batas kolom ({where}; batas kolom "
            f"{col_letter(limits.max_col - 1)})",
            sheet=name, hint="Hapus kolom kosong berlebih di kanan tabel, simpan, lalu kirim ulang.",
        )


_COUNT_ATTR = re.compile(rb"""\b(?:unique)?[cC]ount\s*+=\s*+["']\s*+(\d++)""")


def check_counts(name: str, data: bytes, limit: int) -> None:
    """Refuse a part whose root element declares more items than ``limit`` (``<sst uniqueCount=...>``:
    python-calamine reserves memory for that many strings before reading one)."""
    start = data.find(b"<sst")
    if start < 0:
        return
    end = data.find(b">", start)
    head = data[start:end if end >= 0 else start + 4096]
    for m in _COUNT_ATTR.finditer(head):
        if len(m.group(1)) > 12 or int(m.group(1)) > limit:
            raise UnsafeWorkbook(
                f"bagian {name} menyatakan {int(m.group(1)):_} teks ".replace("_", ".")
                + f"(batas {limit:_}); workbook OPD tidak sebesar itu".replace("_", "."),
                hint="Simpan ulang berkas dari Excel; berkas ini tampaknya diubah dengan alat lain.",
            )


def _cached(attrs: bytes, inner: bytes) -> Any:
    i = inner.find(b"<v>")
    if i >= 0 and b":v>" not in inner:  # the usual spelling: what _V would find, without the regex
        j = inner.find(b"</v>", i + 3)
        if j < 0:
            return None
        value = inner[i + 3:j]
    else:
        m = _V.search(inner)
        if m is None:
            return None
        value = m.group(1)
    t = _T_ATTR.search(attrs) if b"t" in attrs else None
    return _decode_cached(t.group(1) if t else b"n", value)


@lru_cache(maxsize=4096)
def _decode_cached(kind_b: bytes, value: bytes) -> Any:
    """A cached value as stored (``kind`` is the cell's ``t``); the same few values recur in a workbook."""
    raw = html.unescape(value.decode("utf-8", errors="replace"))
    kind = kind_b.decode()
    if kind == "e":
        return ExcelError(raw)
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind in ("str", "inlineStr", "s"):
        return raw if kind != "s" else None  # a shared string is never a formula's cache
    if raw.strip() == "":
        return None
    try:
        return float(raw)
    except ValueError:
        return raw


def _cells_in_columns(data: bytes, letters: Iterable[str]) -> re.Pattern[bytes]:
    alts = b"|".join(re.escape(x.encode()) for x in sorted(set(letters), key=len, reverse=True))
    if b"<c " in data:  # the usual spelling: a literal prefix lets the regex engine skip ahead
        # the content is matched as an unrolled loop ([^<]* runs), three times faster than .*?
        return re.compile(rb'<c r="(' + alts + rb')(\d+)"([^>]*?)(?:/>|>([^<]*+(?:<(?!/c>|c[\s/>])[^<]*+)*+)</c>)')
    return re.compile(  # namespace prefixes (<x:c>) or single quotes; content stops at the next cell tag
        rb"<(?:\w+:)?c\s+r\s*=\s*[\"'](" + alts + rb")(\d+)[\"']([^>]*?)"
        rb"(?:/>|>((?:[^<]++|<(?!/?(?:\w+:)?c[\s/>]))*+)</(?:\w+:)?c>)"
    )


#: the SpreadsheetML namespace (transitional and strict), as it ends in a namespace declaration
_MAIN_NAMESPACES = (b"spreadsheetml/2006/main", b"ooxml/spreadsheetml/main")


def strip_comments(data: bytes) -> bytes:
    """``data`` without XML comments (a parser skips them; so must every scan of the raw bytes).
    One pass with ``find``: an unclosed comment runs to the end, as a parser would read it."""
    if b"<!--" not in data:
        return data
    out: list[bytes] = []
    at = 0
    while (i := data.find(b"<!--", at)) >= 0:
        out.append(data[at:i])
        j = data.find(b"-->", i + 4)
        if j < 0:
            at = len(data)
            break
        at = j + 3
    out.append(data[at:])
    return b"".join(out)


def compact_sheet(data: bytes) -> bytes:
    """The part of a sheet's XML a grid reader needs: rows after the last stored value are cut off and
    empty cached values (``<v></v>``, which read as empty cells anyway) dropped.

    A template carries formulas in a hundred spare rows; cutting them saves python-calamine most of
    its work.  Nothing with a value is ever cut: a value's ``</v>`` or ``</is>`` is at or before the
    cut by construction, and a ``v`` or ``is`` element in another spelling needs a prefix bound to the
    spreadsheet namespace, which needs that namespace named twice; then, as when the sheet is not in
    the usual spelling, the sheet is returned whole (less the empty values)."""
    start = data.find(b"<sheetData>")
    if start < 0 or sum(data.count(uri) for uri in _MAIN_NAMESPACES) > 1:
        return data
    d = data.replace(b"<v></v>", b"")
    last = max(d.rfind(b"</v>"), d.rfind(b"</is>"))
    if last < 0:
        cut = start + len(b"<sheetData>")  # "<v></v>" only occurs after it: same position in d
    else:
        end = d.find(b"</row>", last)
        if end < 0:
            return d
        cut = end + len(b"</row>")
    if d.find(b"</sheetData>", cut) < 0:
        return d
    return d[:cut] + b"</sheetData></worksheet>"


def used_part(data: bytes, n_rows: int | None) -> bytes:
    """``data`` up to the first row element below the first ``n_rows`` rows (the whole of it when that
    row is not found).  Rows are stored in order, so every cell of the first ``n_rows`` rows lies in
    the part returned; a file with rows out of order loses only formula information for cells a grid
    reader sees as empty anyway (or, at worst, has a formula cell reported as a typed value)."""
    if n_rows is None:
        return data
    at = data.find(b'<row r="%d"' % (n_rows + 1))
    return data if at < 0 else data[:at]


def scan_cells(data: bytes, computed_cols: Iterable[int], percent_styles: frozenset[int] = frozenset(),
               *, n_rows: int | None = None) -> SheetScan:
    """Formula presence and cached values in ``computed_cols``; error values and cells formatted as
    percentages anywhere.  With ``n_rows`` (the rows a grid reader found: its last non-empty row),
    only those rows are scanned: below them every cell is empty, so there is nothing to compare and
    no typed value to catch.  (A regex scan allocates nothing per row: the limits are checked, with
    :func:`check_extent`, on what a grid reader will see.)"""
    data = used_part(data, n_rows)
    scan = SheetScan()
    if percent_styles:
        ids = b"|".join(str(i).encode() for i in sorted(percent_styles))
        styled = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*?\ss="(?:' + ids + rb')"')
        scan.percent = {(int(row) - 1, col_index(letters.decode())) for letters, row in styled.findall(data)}
    cols = list(computed_cols)
    if cols:
        pattern = _cells_in_columns(data, [col_letter(c) for c in cols])
        index = {col_letter(c).encode(): c for c in cols}
        scan.cells = {(int(row) - 1, index[letters]): FormulaCell(attrs, inner)
                      for letters, row, attrs, inner in pattern.findall(data)}
    # an error value is a value: with ``n_rows`` it lies in the rows a grid reader found
    if _HAS_ERROR.search(data):
        for m in _ERROR_CELL.finditer(data):
            r = _R_ATTR.search(m.group(0)[: m.group(0).find(b">")])
            v = _V.search(m.group(1))
            if r and v:
                pos = (int(r.group(2)) - 1, col_index(r.group(1).decode()))
                scan.errors[pos] = ExcelError(html.unescape(v.group(1).decode("utf-8", errors="replace")))
    return scan
