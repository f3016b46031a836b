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


# --------------------------------------------------------------------------- compact sheets
_ROWS = {
    "kosong": lambda r: f'<row r="{r}"><c r="A{r}" s="1"/><c r="B{r}" s="1"/></row>',
    "rumus_kosong": lambda r: f'<row r="{r}"><c r="A{r}"><f>IF(B{r}="","",1)</f><v></v></c>'
                              f'<c r="B{r}" t="str"><f>""</f><v></v></c></row>',
    "angka": lambda r: f'<row r="{r}"><c r="A{r}"><v>{r}.5</v></c><c r="C{r}" s="1"/></row>',
    "teks": lambda r: f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t>baris {r}</t></is></c></row>',
    "rumus_nilai": lambda r: f'<row r="{r}"><c r="C{r}"><f>1+1</f><v>2</v></c></row>',
    "awalan": lambda r: f'<row r="{r}"><c r="A{r}"><x:v xmlns:x="{_NS}">7</x:v></c></row>',
}
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _one_sheet_book(sheet_xml: bytes) -> bytes:
    import io
    import zipfile

    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_NS}" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="PK" sheetId="1" r:id="rId1"/>'
        '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


def _cells(sheet_xml: bytes) -> dict[tuple[int, int], object]:
    """The non-empty cells python-calamine reads (an empty cached text reads as "" either way)."""
    import io

    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(_one_sheet_book(sheet_xml)))
    rows = book.get_sheet_by_name("PK").to_python(skip_empty_area=False)
    return {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""}


def _sheet(kinds: list[str]) -> bytes:
    rows = "".join(_ROWS[k](i + 1) for i, k in enumerate(kinds))
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}"><dimension ref="A1:C{len(kinds) or 1}"/>'
            f'<sheetData>{rows}</sheetData><pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" '
            'header="0.3" footer="0.3"/></worksheet>').encode()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(sorted(_ROWS)), max_size=40))
def test_compact_sheet_reads_the_same_cells(kinds: list[str]) -> None:
    """What python-calamine reads from a compacted sheet equals what it reads from the sheet as stored:
    spare rows are cut only after the last value, whatever the mix of rows."""
    from sakip_xl.excel.xlsxparts import compact_sheet

    xml = _sheet(kinds)
    small = compact_sheet(xml)
    assert _cells(small) == _cells(xml)
    if "awalan" not in kinds and kinds:
        values = [i for i, k in enumerate(kinds) if k in ("angka", "teks", "rumus_nilai")]
        kept = small.count(b"<row ")
        assert kept == (values[-1] + 1 if values else 0)  # everything after the last value is cut


def test_compact_sheet_keeps_a_far_cell_that_holds_a_value(base: Path, tmp_path: Path) -> None:
    """A far cell with a value is refused as before; an empty far cell after the last value is cut off
    with the spare rows (python-calamine never sees it, and nothing is lost)."""
    from sakip_xl.excel.xlsxparts import compact_sheet

    empty_far = _sheet(["angka", "kosong"]).replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="1"/>'
                                                     b"</row></sheetData>")
    check_extent("PK", compact_sheet(empty_far), Limits())
    assert b"XFD" not in compact_sheet(empty_far)
    with_value = empty_far.replace(b'<c r="XFD1048576" s="1"/>', b'<c r="XFD1048576"><v>1</v></c>')
    with pytest.raises(UnsafeWorkbook, match="batas"):
        check_extent("PK", compact_sheet(with_value), Limits())
    b = Book(base)
    part = "xl/worksheets/sheet3.xml"
    b.put(part, b.text(part).replace("</sheetData>", '<row r="900000"><c r="A900000"><v>5</v></c></row></sheetData>'))
    with pytest.raises(UnsafeWorkbook, match="batas"):
        read_workbook(b.save(tmp_path / "jauh.xlsx"), today=bc.TODAY)


def test_direct_inflate_equals_zipfile_and_hands_damage_to_zipfile(base: Path, tmp_path: Path) -> None:
    """The one-call inflate gives zipfile's bytes for every part; a damaged stream or CRC is left to
    zipfile, which names the problem (the file is refused, never half read)."""
    import zipfile

    from sakip_xl.excel.safety import open_package

    pkg = open_package(base)
    try:
        with zipfile.ZipFile(base) as zf:
            for info in zf.infolist():
                assert pkg._direct(info.filename, 50_000_000) == zf.read(info.filename), info.filename
    finally:
        pkg.close()
    data = bytearray(base.read_bytes())
    with zipfile.ZipFile(base) as zf:
        info = zf.getinfo("xl/worksheets/sheet3.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF  # one flipped byte inside the PK sheet's stream
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(bytes(data))
    pkg = open_package(bad)
    try:
        assert pkg._direct("xl/worksheets/sheet3.xml", 50_000_000) is None
    finally:
        pkg.close()
    with pytest.raises(WorkbookReadError, match="rusak|sheet3"):
        read_workbook(bad, today=bc.TODAY)
