"""The ribbon handlers' pure layer, on real .xlsx workbooks written by the template generator.

What Periksa writes to the Validasi sheet and which cell it selects, what Hitung Ulang reports,
what Konsolidasi Folder writes and opens, what Template Baru creates: all through the core, with
the xlwings shells (which only apply these plans to the open workbook) left to the manual test.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from sakip_xl.addin import ribbon
from sakip_xl.consolidation.opd import score_opd
from sakip_xl.demo import generate_city
from sakip_xl.excel.reader import read_workbook
from sakip_xl.excel.template import write_workbook
from sakip_xl.issues import Issue, Severity
from sakip_xl.models import OPDWorkbook
from sakip_xl.policy import Policy
from sakip_xl.rules import RULES

pytestmark = pytest.mark.usefixtures("national_policy")


@pytest.fixture(scope="module")
def city() -> list[OPDWorkbook]:
    return generate_city(3, seed=7, kesalahan=False).opd


@pytest.fixture(scope="module")
def clean_book(tmp_path_factory: pytest.TempPathFactory, city: list[OPDWorkbook]) -> Path:
    return write_workbook(tmp_path_factory.mktemp("bersih") / "opd.xlsx", city[0])


@pytest.fixture(scope="module")
def target_nol(tmp_path_factory: pytest.TempPathFactory, city: list[OPDWorkbook]) -> tuple[Path, str]:
    """A workbook whose first positive indicator has target 0 (capaian undefined)."""
    wb = city[1].model_copy(deep=True)
    ind = next(i for i in wb.indikator if i.polaritas == "positif")
    ind.target = 0.0
    return write_workbook(tmp_path_factory.mktemp("salah") / "opd_salah.xlsx", wb), ind.kode


# --------------------------------------------------------------------------- Periksa
def test_validasi_rows_have_the_header_and_one_row_per_issue() -> None:
    issues = [
        Issue(code="B", severity=Severity.WARNING, message="peringatan", sheet="PK", cell="H7"),
        Issue(code="A", severity=Severity.ERROR, message="galat", sheet="PK", cell="G9", hint="isi angka"),
    ]
    rows = ribbon.validasi_rows(issues)
    assert rows[0] == list(ribbon.VALIDASI_HEADER)
    assert rows[1] == [1, "Galat", "A", "PK", "G9", "galat", "isi angka"]
    assert rows[2] == [2, "Peringatan", "B", "PK", "H7", "peringatan", ""]


def test_periksa_on_a_clean_workbook_selects_nothing(clean_book: Path) -> None:
    plan = ribbon.plan_periksa(clean_book)
    assert plan.counts[Severity.ERROR] == 0
    assert plan.first_error is None
    assert len(plan.rows) == 1 + sum(plan.counts.values())


def test_periksa_finds_target_zero_and_selects_its_cell(target_nol: tuple[Path, str]) -> None:
    path, kode = target_nol
    _wb, issues = read_workbook(path)
    plan = ribbon.plan_periksa(path)
    # the Validasi rows say what the reader says, errors first
    assert {r[2] for r in plan.rows[1:]} == {i.code for i in issues}
    assert plan.counts[Severity.ERROR] == sum(i.severity is Severity.ERROR for i in issues) > 0
    first = plan.rows[1]
    assert first[1] == "Galat" and kode in first[5]
    # the selected cell is that error's cell, and it holds the offending target in the file
    assert plan.first_error == (first[3], first[4])
    sheet, cell = plan.first_error
    assert openpyxl.load_workbook(path)[sheet][cell].value == 0
    assert "1 galat" in plan.message and ribbon.VALIDASI_SHEET in plan.message


def test_periksa_ignores_an_old_validasi_sheet_and_limits_selection_to_existing_sheets(
        target_nol: tuple[Path, str]) -> None:
    path, _kode = target_nol
    plan = ribbon.plan_periksa(path, sheets=["Petunjuk"])
    assert plan.first_error is None
    assert plan.counts[Severity.ERROR] > 0


def test_periksa_on_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"bukan zip")
    plan = ribbon.plan_periksa(bad)
    assert plan.counts[Severity.ERROR] == 1 and len(plan.rows) == 2


# --------------------------------------------------------------------------- Hitung Ulang
def test_hitung_ulang_reports_the_core_summary(clean_book: Path) -> None:
    plan = ribbon.plan_hitung_ulang(clean_book)
    wb, _issues = read_workbook(clean_book)
    expected = score_opd(wb, Policy(), file=str(clean_book)).ringkas
    assert plan.ringkas == expected
    assert plan.n_galat == 0
    if expected["predikat"]:
        assert f"({expected['predikat']})" in plan.message
    assert plan.message.startswith("Capaian rata-rata ")


def test_hitung_ulang_counts_errors(target_nol: tuple[Path, str]) -> None:
    plan = ribbon.plan_hitung_ulang(target_nol[0])
    assert plan.n_galat > 0 and "Periksa Workbook" in plan.message


def test_hitung_ulang_on_an_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"bukan zip")
    plan = ribbon.plan_hitung_ulang(bad)
    assert plan.ringkas == {} and plan.n_galat == 1


# --------------------------------------------------------------------------- Konsolidasi
@pytest.mark.slow
def test_konsolidasi_writes_the_summary_into_the_folder_and_never_reads_it_back(
        tmp_path: Path, city: list[OPDWorkbook]) -> None:
    for i, wb in enumerate(city):
        write_workbook(tmp_path / f"opd_{i}.xlsx", wb)
    plan = ribbon.run_konsolidasi(tmp_path)
    assert plan.path == tmp_path / ribbon.REKAP_NAMA and plan.path.is_file()
    assert plan.n_workbook == len(city) and plan.n_galat == 0
    assert openpyxl.load_workbook(plan.path, read_only=True).sheetnames
    again = ribbon.run_konsolidasi(tmp_path)
    assert again.n_workbook == len(city)
    assert str(plan.path) in again.message


# --------------------------------------------------------------------------- Template Baru
@pytest.mark.parametrize("rumus", ["udf", "native"])
def test_template_baru_writes_the_profil_and_the_chosen_formulas(tmp_path: Path, rumus: str) -> None:
    out = ribbon.buat_template(tmp_path / "SAKIP Dinas Kesehatan", " 1.02.01 ", "Dinas Kesehatan", 2025,
                               rumus=rumus)
    assert out == tmp_path / "SAKIP Dinas Kesehatan.xlsx" and out.is_file()
    wb, _issues = read_workbook(out)
    assert (wb.profil.opd_kode, wb.profil.opd_nama, wb.profil.tahun) == ("1.02.01", "Dinas Kesehatan", 2025)
    with zipfile.ZipFile(out) as z:
        sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert ("SAKIP_CAPAIAN(" in sheets) is (rumus == "udf")


# --------------------------------------------------------------------------- Bantuan
def test_bantuan_lists_every_function_with_its_description() -> None:
    text = ribbon.teks_bantuan()
    for rule in RULES.values():
        assert f"={rule.udf}(" in text and rule.doc in text


# --------------------------------------------------------------------------- the handlers
def test_periksa_uses_only_api_of_the_pinned_xlwings() -> None:
    """Periksa's handler writes the Validasi sheet through xlwings (no Excel here): what it calls
    exists in xlwings 0.37.8.  The other handlers take their answers as arguments (run for real in
    tests/test_addin_ribbon_vba.py) and need no xlwings."""
    import inspect

    import xlwings as xw

    assert list(inspect.signature(xw.main.Sheets.add).parameters)[:4] == ["self", "name", "before", "after"]
    for cls, names in ((xw.Sheet, ("clear", "autofit", "activate", "name")),
                       (xw.Range, ("select", "expand", "font", "value")),
                       (xw.Book, ("caller", "fullname", "sheets"))):
        for name in names:
            assert hasattr(cls, name), f"{cls.__name__}.{name}"
    expected = {"periksa": ["book"], "hitung_ulang": ["berkas"],
                "konsolidasi_folder": ["folder", "tahun", "sampai_tw", "daftar_opd", "rekap_lalu"],
                "template_baru": ["berkas", "kode", "nama", "tahun", "rumus"],
                "ubah_varian": ["sumber", "tujuan", "rumus"], "bantuan": []}
    for handler, params in expected.items():
        inner = inspect.signature(getattr(ribbon, handler).__wrapped__)
        assert list(inner.parameters) == params, handler
        assert "hasil" in inspect.signature(getattr(ribbon, handler), follow_wrapped=False).parameters


def test_konsolidasi_in_excel_leaves_a_core_for_excel() -> None:
    import os

    n = ribbon.jobs_in_excel()
    assert 1 <= n <= 4 and n <= max(1, (os.cpu_count() or 2) - 1)
