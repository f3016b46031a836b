"""Safety checks of :mod:`sakip_xl.excel.safety` and the sheet-extent guard, on real files."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

import build_corpus as bc  # noqa: E402
from xlsxedit import Book  # noqa: E402

from sakip_xl import check_workbook, read_workbook  # noqa: E402
from sakip_xl.errors import (  # noqa: E402
    NotSakipWorkbook,
    SakipError,
    UnsafeWorkbook,
    UnsupportedTemplateVersion,
    WorkbookReadError,
)
from sakip_xl.excel.safety import Limits, open_package  # noqa: E402
from sakip_xl.excel.xlsxparts import check_extent, scan_cells  # noqa: E402


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bc.build_base(tmp_path_factory.mktemp("safety"))


def test_reads_are_capped_whatever_the_zip_declares(base: Path) -> None:
    pkg = open_package(base)
    pkg.limits = Limits(member_bytes=1000)  # as if the zip had declared a small size
    with pytest.raises(UnsafeWorkbook, match="bom zip"):
        pkg.read("xl/worksheets/sheet4.xml")
    pkg = open_package(base)
    pkg.limits = Limits(total_bytes=150_000)
    with pytest.raises(UnsafeWorkbook, match="bom zip"):
        for name in sorted(pkg.names):
            pkg.read(name, xml=False)
    with pytest.raises(UnsafeWorkbook):
        open_package(base, Limits(total_bytes=10_000))


def test_member_count_and_file_size(base: Path) -> None:
    with pytest.raises(UnsafeWorkbook, match="bagian"):
        open_package(base, Limits(members=3))
    with pytest.raises(UnsafeWorkbook, match="berukuran"):
        open_package(base, Limits(file_bytes=1000))


@pytest.mark.parametrize("xml", [
    b'<sheetData><row r="20000"><c r="A20000"><v>1</v></c></row></sheetData>',
    b"<sheetData><row r='5'><c r='CA5'><v>1</v></c></row></sheetData>",
    b'<sheetData><row r="1048576" spans="1:1"><c t="n"><v>1</v></c></row></sheetData>',
    b'<sheetData><row r="5"><c r="xfd5"><v>1</v></c></row></sheetData>',
])
def test_cells_beyond_the_limits_are_refused(xml: bytes) -> None:
    with pytest.raises(UnsafeWorkbook, match="batas"):
        check_extent("PK", xml, Limits())


def test_ordinary_attributes_ending_in_r_are_not_cells() -> None:
    xml = (b'<worksheet><sheetData><row r="19999"><c r="BZ19999"><v>1</v></c></row></sheetData>'
           b'<dataValidations><dataValidation operator="greaterThanOrEqual" error="ABC123"/></dataValidations>'
           b'<headerFooter><oddHeader>x</oddHeader></headerFooter><pageMargins header="0.3" footer="99999"/>'
           b"</worksheet>")
    check_extent("PK", xml, Limits())
    scan = scan_cells(xml, [77])
    assert scan.cells[(19998, 77)].cached == 1.0 and not scan.cells[(19998, 77)].formula


def test_not_a_file_and_not_ours(base: Path, tmp_path: Path) -> None:
    with pytest.raises(WorkbookReadError, match="bukan berkas"):
        open_package(tmp_path)
    p = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("data.csv", "a,b\n")
    with pytest.raises(NotSakipWorkbook, match="data.csv"):
        read_workbook(p)


def test_older_unknown_template_version_is_not_supported(base: Path, tmp_path: Path) -> None:
    b = Book(base)
    b.set(*bc.profil("Versi_Template"), "0.9")
    with pytest.raises(UnsupportedTemplateVersion, match="0.9") as info:
        read_workbook(b.save(tmp_path / "lama.xlsx"))
    assert "terbaru" in (info.value.hint or "")


def test_table_pointing_outside_the_data_reads_as_blank(base: Path, tmp_path: Path) -> None:
    """A table ref far beyond the rows present (deleted rows) is clamped, not an error."""
    b = Book(base)
    for part in b.table_parts("Tindak Lanjut"):
        b.put(part, b.text(part).replace('ref="A4:F54"', 'ref="A4:F15000"'))
    wb, issues = read_workbook(b.save(tmp_path / "tabel_panjang.xlsx"), today=bc.TODAY)
    assert len(wb.tindak_lanjut) == 2 and issues == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_corrupted_bytes_give_one_clear_error_or_issues(base: Path, tmp_path: Path, data: st.DataObject) -> None:
    """Flip bytes of a real workbook, or of one of its XML parts: never anything but a SakipError."""
    raw = bytearray(base.read_bytes())
    if data.draw(st.booleans(), label="inside an XML part"):
        b = Book(base)
        name = data.draw(st.sampled_from(sorted(n for n in b.parts if n.endswith((".xml", ".rels")))), label="part")
        part = bytearray(b.parts[name])
        for _ in range(data.draw(st.integers(1, 5), label="flips")):
            i = data.draw(st.integers(0, len(part) - 1))
            part[i] = data.draw(st.sampled_from(b'<>"/=&;! x0\x00\xff'))
        b.put(name, bytes(part))
        path = b.save(tmp_path / "rusak.xlsx")
    else:
        for _ in range(data.draw(st.integers(1, 20), label="flips")):
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
        path = tmp_path / "rusak.xlsx"
        path.write_bytes(bytes(raw))
    try:
        read_workbook(path, today=bc.TODAY)
    except SakipError:
        pass
    wb, issues = check_workbook(path, today=bc.TODAY)
    assert all(i.code != "INTERNAL" for i in issues), [str(i) for i in issues]
    if wb is None:
        assert len(issues) == 1


def test_unknown_xml_encoding_is_a_read_error(base: Path, tmp_path: Path) -> None:
    """Regression (found by the corrupted-bytes property): an XML declaration naming an unknown
    encoding raised LookupError out of the reader instead of one clear error."""
    bad = tmp_path / "encoding_tidak_dikenal.xlsx"
    with zipfile.ZipFile(base) as zi, zipfile.ZipFile(bad, "w") as zo:
        for item in zi.infolist():
            raw = zi.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                raw = raw.replace(b"UTF-8", b"xTF-8", 1)
            zo.writestr(item, raw)
    with pytest.raises(WorkbookReadError, match="tidak dapat diurai"):
        read_workbook(bad)
    model, issues = check_workbook(bad)
    assert model is None and [i.code for i in issues] == ["BACA"]
