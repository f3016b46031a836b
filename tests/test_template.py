"""The standard OPD workbook: contract, formulas from the registry, protection, validation,
conditional formats, print setup, determinism and the committed templates (issue 3)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers_lo import contoh_opd, mismatches, opd_workbooks, read_cells
from hypothesis import HealthCheck, given, settings
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook

from sakip_xl import rules
from sakip_xl.errors import ExcelLimitError, TemplateError
from sakip_xl.excel import limits
from sakip_xl.excel.contract import PROFIL_NAMES, RINGKASAN_NAMES, SHEETS, TABLES, TEMPLATE_VERSION
from sakip_xl.excel.layout import Sizes
from sakip_xl.excel.links import LINKS
from sakip_xl.excel.template import (
    computed_cells,
    computed_values,
    formula_text,
    table_sizes,
    write_workbook,
)
from sakip_xl.models import Indikator, LKEJawaban, OPDWorkbook, Profil
from sakip_xl.policy import KategoriBand, Policy
from sakip_xl.scoring.lke import load_kriteria

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "workbook_templates"


# --------------------------------------------------------------------------- the contract check
def contract_problems(wb: OpenpyxlWorkbook) -> list[str]:
    """Every way ``wb`` breaks the template contract (sheets, tables, columns, defined names)."""
    problems: list[str] = []
    if tuple(wb.sheetnames) != SHEETS:
        problems.append(f"sheet {wb.sheetnames} != {list(SHEETS)}")
    tables = {t.name: (ws, t) for ws in wb.worksheets for t in ws.tables.values()}
    for spec in TABLES.values():
        if spec.name not in tables:
            problems.append(f"tabel {spec.name} tidak ada")
            continue
        ws, t = tables[spec.name]
        if ws.title != spec.sheet:
            problems.append(f"tabel {spec.name} di sheet {ws.title}, bukan {spec.sheet}")
        columns = [c.name for c in t.tableColumns]
        missing = [c for c in spec.column_names if c not in columns]
        if missing:
            problems.append(f"tabel {spec.name}: kolom {missing} tidak ada")
        first = openpyxl.utils.cell.range_boundaries(t.ref)
        header = [ws.cell(first[1], c).value for c in range(first[0], first[2] + 1)]
        if header != columns:
            problems.append(f"tabel {spec.name}: header sel {header} != kolom tabel {columns}")
    for name, sheet in [*((n, "Profil") for n in PROFIL_NAMES), *((n, "Ringkasan") for n in RINGKASAN_NAMES)]:
        dn = wb.defined_names.get(name)
        if dn is None:
            problems.append(f"nama {name} tidak ada")
            continue
        dests = list(dn.destinations)
        if len(dests) != 1 or dests[0][0] != sheet or ":" in dests[0][1]:
            problems.append(f"nama {name} menunjuk {dn.attr_text}, bukan satu sel di {sheet}")
    return problems


@pytest.fixture(scope="module")
def contoh_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("contoh")
    return {r: write_workbook(work / f"contoh_{r}.xlsx", contoh_opd(), rumus=r) for r in ("udf", "native")}


@pytest.fixture(scope="module")
def contoh_native(contoh_files: dict[str, Path]) -> OpenpyxlWorkbook:
    return openpyxl.load_workbook(contoh_files["native"])


@pytest.mark.parametrize("name", ["template_opd_udf.xlsx", "template_opd_native.xlsx"])
def test_committed_templates_keep_the_contract(name: str) -> None:
    assert contract_problems(openpyxl.load_workbook(TEMPLATES / name)) == []


def test_contract_check_catches_renamed_column_table_and_name(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(TEMPLATES / "template_opd_native.xlsx")
    ws = wb["Rencana Aksi"]
    t = ws.tables["tblRencanaAksi"]
    col = next(c for c in t.tableColumns if c.name == "Capaian (%)")
    col.name = "Capaian"
    ws.cell(4, list(TABLES["tblRencanaAksi"].column_names).index("Capaian (%)") + 1).value = "Capaian"
    wb["Anggaran"].tables["tblAnggaran"].name = "tblBelanja"
    del wb.defined_names["Nilai_LKE"]
    wb.save(tmp_path / "rusak.xlsx")
    problems = contract_problems(openpyxl.load_workbook(tmp_path / "rusak.xlsx"))
    assert any("tblRencanaAksi: kolom ['Capaian (%)']" in p for p in problems), problems
    assert any("tabel tblAnggaran tidak ada" in p for p in problems), problems
    assert any("nama Nilai_LKE tidak ada" in p for p in problems), problems


# --------------------------------------------------------------------------- determinism
@pytest.mark.parametrize("rumus", ["udf", "native"])
def test_committed_templates_equal_a_fresh_generation(tmp_path: Path, rumus: str) -> None:
    fresh = write_workbook(tmp_path / "baru.xlsx", rumus=rumus)  # type: ignore[arg-type]
    committed = TEMPLATES / f"template_opd_{rumus}.xlsx"
    assert fresh.read_bytes() == committed.read_bytes(), (
        f"{committed.name} kedaluwarsa: jalankan sakip-xl template -o {committed} --rumus {rumus}"
    )


def test_same_inputs_give_same_bytes(tmp_path: Path) -> None:
    a = write_workbook(tmp_path / "a.xlsx", contoh_opd(), rumus="native")
    b = write_workbook(tmp_path / "sub" / "b.xlsx", contoh_opd(), rumus="native")
    assert a.read_bytes() == b.read_bytes()
    c = write_workbook(tmp_path / "c.xlsx", contoh_opd(), rumus="udf")
    assert c.read_bytes() != a.read_bytes()


def test_write_is_atomic_and_leaves_nothing_on_error(tmp_path: Path) -> None:
    target = tmp_path / "opd.xlsx"
    target.write_bytes(b"lama")
    bad = OPDWorkbook(lke=[LKEJawaban(kode="9.z.9", jawaban_opd="Y")])
    with pytest.raises(TemplateError, match="9.z.9"):
        write_workbook(target, bad)
    assert target.read_bytes() == b"lama"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opd.xlsx"]


# --------------------------------------------------------------------------- formulas & values
@pytest.mark.parametrize("rumus", ["udf", "native"])
def test_every_computed_cell_holds_the_registry_formula(contoh_files: dict[str, Path], rumus: str) -> None:
    wb = openpyxl.load_workbook(contoh_files[rumus])
    policy = Policy()
    cells = computed_cells(contoh_files[rumus], policy=policy)
    assert len({(c.sheet, c.cell) for c in cells}) == len(cells)
    for c in cells:
        text = wb[c.sheet][c.cell].value
        assert text == formula_text(c, rumus, policy), c.where
        if c.rule in rules.RULES:
            udf = rules.RULES[c.rule].udf
            assert (f"{udf}(" in text) == (rumus == "udf"), c.where
        else:
            assert c.rule in LINKS and "SAKIP_" not in text
    if rumus == "native":
        assert not any("SAKIP_" in cell.value for ws in wb for row in ws.iter_rows() for cell in row
                       if isinstance(cell.value, str) and cell.value.startswith("="))


def test_computed_columns_of_the_contract_have_a_formula_in_every_row() -> None:
    cells = {(c.sheet, c.cell): c for c in computed_cells()}
    from sakip_xl.excel.layout import WorkbookLayout

    layout = WorkbookLayout(Sizes(), tuple(load_kriteria()))
    for name, spec in TABLES.items():
        t = layout.tables[name]
        for col in spec.columns:
            for i in range(t.n_rows):
                c = cells.get((t.sheet, t.a1(col.name, i)))
                if col.kind == "computed":
                    assert c is not None and c.rule == col.rule, (name, col.name, i)
                elif col.kind == "lookup":
                    assert c is not None and c.rule == "lookup"
                else:
                    assert c is None, (name, col.name, i)
    ringkasan = {c.rule for c in cells.values() if c.sheet == "Ringkasan"}
    assert ringkasan == {"rata", "kategori", "jumlah_level", "serapan", "efisiensi", "lke_sub",
                         "jumlah", "predikat", "predikat_berikut", "poin_predikat",
                         # issue 10: the budget level, the answered count and the nilai used with its source
                         "level_anggaran", "jumlah_dijawab", "nilai_dipakai", "sumber_nilai"}


def test_cached_values_equal_the_core(contoh_files: dict[str, Path]) -> None:
    expected = computed_values(contoh_opd())
    for path in contoh_files.values():
        assert mismatches(expected, read_cells(path, expected)) == []
    names = read_cells(contoh_files["native"], [("Ringkasan", "D5"), ("Rencana Aksi", "P5")])
    assert math.isclose(names[("Rencana Aksi", "P5")], 60.4)  # negatif 75 -> 104.7 (domain A1)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(opd_workbooks())
def test_cached_values_of_random_opds(tmp_path_factory: pytest.TempPathFactory, data: OPDWorkbook) -> None:
    path = write_workbook(tmp_path_factory.mktemp("acak") / "opd.xlsx", data, rumus="native")
    expected = computed_values(data)
    assert mismatches(expected, read_cells(path, expected)) == []


def test_lke_is_prefilled_with_every_criterion(contoh_native: OpenpyxlWorkbook) -> None:
    ws = contoh_native["LKE"]
    t = ws.tables["tblLKE"]
    kriteria = load_kriteria()
    assert len(kriteria) == 79
    first_col, first_row, _, last_row = openpyxl.utils.cell.range_boundaries(t.ref)
    assert last_row - first_row == len(kriteria)
    cols = TABLES["tblLKE"].column_names
    for i, k in enumerate(kriteria):
        row = [ws.cell(first_row + 1 + i, first_col + j).value for j in range(len(cols))]
        got = dict(zip(cols, row, strict=True))
        assert (got["Kode"], got["Kode Sub"], got["Kriteria"], got["Jenis Jawaban"]) == (
            k.kode, k.kode_sub, k.kriteria, k.jenis_jawaban)
        comment = ws.cell(first_row + 1 + i, first_col + cols.index("Kriteria")).comment
        assert (comment is not None) == bool(k.penjelasan)
        if comment is not None:
            assert k.penjelasan in comment.text


def test_profil_and_pernyataan(contoh_native: OpenpyxlWorkbook, contoh_files: dict[str, Path]) -> None:
    wb = contoh_native
    values = {n: wb[dest[0]][dest[1].replace("$", "")].value
              for n in PROFIL_NAMES for dest in wb.defined_names[n].destinations}
    assert values["OPD_Nama"] == "Dinas Kesehatan" and values["Tahun"] == 2025
    assert values["Versi_Template"] == TEMPLATE_VERSION and values["Jenis_PK"] == "Murni"
    grid = read_cells(contoh_files["native"], [("Pernyataan PK", f"{c}{r}") for c in "ABCDE"
                                                for r in range(1, 40)])
    shown = {v for v in grid.values() if v not in ("", None)}
    assert "PERJANJIAN KINERJA TAHUN 2025" in shown and "DINAS KESEHATAN" in shown
    assert "80 – 90" in shown  # range target (IKU-03)
    assert "dr. Siti Rahmawati, M.Kes" in shown and "NIP. 19750312 200212 2 004" in shown


def test_pk_perubahan_says_so_in_the_title() -> None:
    data = contoh_opd()
    data.profil.jenis_pk = "Perubahan"
    values = computed_values(data)
    assert values[("Pernyataan PK", "A1")] == "PERJANJIAN KINERJA PERUBAHAN TAHUN 2025"
    assert computed_values(contoh_opd())[("Pernyataan PK", "A1")] == "PERJANJIAN KINERJA TAHUN 2025"


def test_tables_grow_for_large_opds(tmp_path: Path) -> None:
    data = OPDWorkbook(indikator=[Indikator(kode=f"K{i}", nama="x", target=1) for i in range(130)])
    path = write_workbook(tmp_path / "besar.xlsx", data, rumus="native")
    wb = openpyxl.load_workbook(path)
    assert wb["PK"].tables["tblPK"].ref == "A4:H134"
    assert wb["Rencana Aksi"].tables["tblRencanaAksi"].ref.endswith("134")
    assert [c.where for c in computed_cells(path)] == [c.where for c in computed_cells(data)]
    assert contract_problems(wb) == []


# --------------------------------------------------------------------------- made for people
def test_inputs_unlocked_computed_locked_sheets_protected(contoh_native: OpenpyxlWorkbook) -> None:
    wb = contoh_native
    assert all(ws.protection.sheet for ws in wb.worksheets)
    assert all(not ws.protection.password for ws in wb.worksheets)
    computed = {(c.sheet, c.cell) for c in computed_cells(contoh_opd())}
    for key in computed:
        assert wb[key[0]][key[1]].protection.locked, key
    for name, spec in TABLES.items():
        ws = wb[spec.sheet]
        t = ws.tables[name]
        c0, r0, _, _ = openpyxl.utils.cell.range_boundaries(t.ref)
        for j, col in enumerate(spec.columns):
            cell = ws.cell(r0 + 1, c0 + j)
            prefilled = name == "tblLKE" and col.name in {"Kode", "Kode Sub", "Komponen", "Sub Komponen",
                                                           "Kriteria", "Jenis Jawaban"}
            assert cell.protection.locked == (col.kind != "input" or prefilled), (name, col.name)
            if not cell.protection.locked:
                assert cell.fill.fgColor.rgb in {"FFFFF2CC", "FFDDEBF7"}, (name, col.name)
    for n in PROFIL_NAMES:
        sheet, ref = next(iter(wb.defined_names[n].destinations))
        assert wb[sheet][ref.replace("$", "")].protection.locked == (n == "Versi_Template")
    # codes and NIP are text cells, so "1.02" typed by a user stays "1.02"
    for sheet, cell in [("Profil", "B4"), ("Profil", "B9"), ("PK", "A5"), ("Rencana Aksi", "A50"),
                        ("Anggaran", "A5"), ("Anggaran", "D200")]:
        assert wb[sheet][cell].number_format == "@", (sheet, cell)


def _validations(ws: Any) -> list[Any]:
    return list(ws.data_validations.dataValidation)


def _validation_for(ws: Any, cell: str) -> Any:
    hits = [dv for dv in _validations(ws) if cell in dv.sqref]
    assert len(hits) == 1, (ws.title, cell, hits)
    return hits[0]


def test_validation_lists_and_numbers(contoh_native: OpenpyxlWorkbook) -> None:
    wb = contoh_native
    cases = {
        ("PK", "E5"): '"positif,negatif,stabil"', ("PK", "F104"): '"kumulatif,akhir,rata-rata"',
        ("Anggaran", "C5"): '"Program,Kegiatan,Sub Kegiatan"', ("Profil", "B7"): '"Murni,Perubahan"',
        ("Tindak Lanjut", "F5"): '"Belum,Proses,Selesai"', ("LKE", "G5"): '"Y,T"',
        ("LKE", "H12"): '"A,B,C,D,E"', ("Rencana Aksi", "A5"): "PK!$A$5:$A$104",
    }
    for (sheet, cell), source in cases.items():
        dv = _validation_for(wb[sheet], cell)
        assert dv.type == "list" and dv.formula1 == source, (sheet, cell, dv.formula1)
        assert dv.showErrorMessage and dv.errorStyle in (None, "stop") and dv.prompt
    for sheet, cell in [("PK", "G5"), ("PK", "H5"), ("Rencana Aksi", "G5"), ("Rencana Aksi", "N104"),
                        ("Anggaran", "E5"), ("Anggaran", "I204")]:
        dv = _validation_for(wb[sheet], cell)
        assert dv.type == "decimal" and dv.showErrorMessage, (sheet, cell)
    for ws in wb:
        for dv in _validations(ws):
            assert len(dv.prompt or "") <= 255 and len(dv.error or "") <= 255
            assert len(dv.promptTitle or "") <= 32 and len(dv.errorTitle or "") <= 32


def test_validations_never_overlap(contoh_native: OpenpyxlWorkbook) -> None:
    """Excel repairs (drops) a file whose data validations overlap."""
    for ws in contoh_native:
        seen: dict[tuple[int, int], str] = {}
        for dv in _validations(ws):
            for rng in dv.sqref.ranges:
                c0, r0, c1, r1 = rng.bounds
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        assert (r, c) not in seen, (ws.title, r, c, seen.get((r, c)), dv.sqref)
                        seen[(r, c)] = str(dv.sqref)


def _cf_formulas(ws: Any) -> list[str]:
    return [f for cf in ws.conditional_formatting for rule in cf.rules for f in rule.formula]


def test_traffic_lights_follow_the_policy(tmp_path: Path) -> None:
    bands = [KategoriBand(label="Baik", batas_bawah=85, lampu="hijau"),
             KategoriBand(label="Cukup", batas_bawah=60, lampu="kuning"),
             KategoriBand(label="Kurang", batas_bawah=None, lampu="merah")]
    path = write_workbook(tmp_path / "kota.xlsx", policy=Policy(kategori=bands), rumus="native")
    formulas = _cf_formulas(openpyxl.load_workbook(path)["Rencana Aksi"])
    assert "AND(ISNUMBER(P5),P5>=85)" in formulas and "AND(ISNUMBER(P5),P5<60)" in formulas
    assert 'Q5="Cukup"' in formulas
    default = _cf_formulas(openpyxl.load_workbook(TEMPLATES / "template_opd_native.xlsx")["Rencana Aksi"])
    assert "AND(ISNUMBER(P5),P5>=91)" in default and "AND(ISNUMBER(P5),P5<66)" in default


def test_print_setup_and_frozen_headers(contoh_native: OpenpyxlWorkbook) -> None:
    for ws in contoh_native:
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)
        if ws.title != "Pernyataan PK":  # the signed letter carries no application header
            assert "Dinas Kesehatan" in ws.oddHeader.left.text and "2025" in ws.oddHeader.right.text
    for spec in TABLES.values():
        ws = contoh_native[spec.sheet]
        assert ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows == "$1:$4" and ws.freeze_panes is not None
    assert contoh_native["Pernyataan PK"].page_setup.orientation == "portrait"
    assert contoh_native["Pernyataan PK"].oddHeader.left.text is None


def test_password_is_optional(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "sandi.xlsx", rumus="native", password="rahasia")
    wb = openpyxl.load_workbook(path)
    assert all(ws.protection.sheet and ws.protection.password for ws in wb.worksheets)


def test_rumus_must_be_udf_or_native(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="udf"):
        write_workbook(tmp_path / "x.xlsx", rumus="excel")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- Excel limits
def test_limits_raise_with_the_limit_named() -> None:
    with pytest.raises(ExcelLimitError, match="31"):
        limits.check_sheet_name("Rencana Aksi dan Realisasi Triwulanan")
    with pytest.raises(ExcelLimitError, match="dilarang"):
        limits.check_sheet_name("PK/2025")
    with pytest.raises(ExcelLimitError, match="255"):
        limits.check_list_source(["pilihan panjang sekali"] * 20, "X!A1")
    with pytest.raises(ExcelLimitError, match="32"):
        limits.check_validation_text("judul yang terlalu panjang untuk Excel", "", "X!A1")
    with pytest.raises(ExcelLimitError, match="8192"):
        limits.check_formula("=" + "1+" * 5000 + "1", "X!A1")
    with pytest.raises(ExcelLimitError, match="alamat sel"):
        limits.check_defined_name("A1")
    assert limits.check_defined_name("Nilai_LKE") == "Nilai_LKE"


# --------------------------------------------------------------------------- CLI
def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sakip_xl.cli", *args], capture_output=True, text=True,
                          check=False, cwd=ROOT)


def test_cli_writes_a_prefilled_template(tmp_path: Path) -> None:
    out = tmp_path / "dinkes.xlsx"
    proc = _cli("template", "-o", str(out), "--tahun", "2025", "--opd-kode", "1.02",
                "--opd-nama", "Dinas Kesehatan", "--rumus", "native")
    assert proc.returncode == 0, proc.stderr
    assert "ditulis" in proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb["Profil"]["B5"].value == "Dinas Kesehatan" and wb["Profil"]["B6"].value == 2025
    assert "SAKIP_" not in str(wb["Rencana Aksi"]["P5"].value)
    direct = write_workbook(tmp_path / "langsung.xlsx", OPDWorkbook(
        profil=Profil(opd_kode="1.02", opd_nama="Dinas Kesehatan", tahun=2025)), rumus="native")
    assert out.read_bytes() == direct.read_bytes()


def test_cli_blank_template_equals_committed_one(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    assert _cli("template", "-o", str(out)).returncode == 0
    # the default is the native variant: it computes on any PC, without Python or the add-in
    assert out.read_bytes() == (TEMPLATES / "template_opd_native.xlsx").read_bytes()


def test_cli_unwritable_output_is_one_indonesian_line(tmp_path: Path) -> None:
    blocker = tmp_path / "berkas.txt"
    blocker.write_text("bukan folder", encoding="utf-8")
    proc = _cli("template", "-o", str(blocker / "opd.xlsx"))
    assert proc.returncode == 1
    assert "tidak dapat dibuat" in proc.stderr and "Traceback" not in proc.stderr


def test_computed_cells_of_a_file_that_is_no_template(tmp_path: Path) -> None:
    bad = tmp_path / "bukan.xlsx"
    bad.write_bytes(b"bukan zip")
    with pytest.raises(TemplateError):
        computed_cells(bad)
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "kosong.xlsx")
    with pytest.raises(TemplateError, match="tblPK"):
        computed_cells(tmp_path / "kosong.xlsx")


def test_cli_table_sizes(tmp_path: Path) -> None:
    out = tmp_path / "kecil.xlsx"
    proc = _cli("template", "-o", str(out), "--baris-indikator", "10", "--baris-anggaran", "300",
                "--baris-tindak-lanjut", "5", "--rumus", "native")
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb["PK"].tables["tblPK"].ref == "A4:H14"
    assert wb["Anggaran"].tables["tblAnggaran"].ref == "A4:J304"
    assert wb["Tindak Lanjut"].tables["tblTindakLanjut"].ref == "A4:F9"
    assert table_sizes(out) == Sizes(10, 300, 5)
    assert len(computed_values(sizes=table_sizes(out))) == len(computed_cells(out))
    ra = [c for c in computed_cells(out) if c.sheet == "Rencana Aksi"]
    assert len(ra) == 10 * 11 and max(c.row for c in ra) == 13  # 8 + TW Terakhir, Target / Capaian s.d. TW
    assert contract_problems(wb) == []
    assert _cli("template", "-o", str(out), "--baris-indikator", "0").returncode == 2


def test_cli_policy_and_password(tmp_path: Path) -> None:
    kebijakan = tmp_path / "kebijakan.toml"
    kebijakan.write_text("cap_rata_rata = \"tidak\"\n", encoding="utf-8")
    out = tmp_path / "k.xlsx"
    proc = _cli("template", "-o", str(out), "--kebijakan", str(kebijakan), "--sandi", "s3cret",
                "--rumus", "native")
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert "SUMIF" not in wb["Ringkasan"]["D6"].value  # no cap: a plain average
    assert wb["PK"].protection.password


@pytest.mark.parametrize(("args", "needle"), [
    (["--rumus", "excel"], "pilihan tidak sah"),
    (["--tahun", "1800"], "--tahun"),
    (["--kebijakan", "tidak_ada.toml"], "kebijakan"),
])
def test_cli_usage_errors_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    proc = _cli("template", "-o", str(tmp_path / "x.xlsx"), *args)
    assert proc.returncode == 2, proc.stderr
    assert needle in proc.stderr
    assert not (tmp_path / "x.xlsx").exists()
