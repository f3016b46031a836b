"""The portable (native-formula) template, recalculated by real LibreOffice, agrees with the core.

50 random OPDs (hypothesis) are written with ``rumus="native"`` and converted in one soffice run
with a profile that forces recalculation; every computed cell LibreOffice produced must equal the
core's value (relative 1e-9).  The workbooks are written *without* trustworthy cached values (all
are set to 0 first), and a separate test proves that LibreOffice really replaces a wrong cached
value.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import pytest
from helpers_lo import (
    covers_the_cases,
    hypothesis_opds,
    lo_profile,
    mismatches,
    read_cells,
    set_cached_value,
    sheet_xml_name,
    soffice_convert,
)

from sakip_xl.excel.template import computed_cells, computed_values, write_workbook
from sakip_xl.models import Indikator, OPDWorkbook
from sakip_xl.policy import KategoriBand, LKESettings, Policy

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]

N_OPD = 50


def _zero_cached_values(path: Path) -> None:
    """Replace every cached formula value with 0, so only a recalculation can give the right values."""
    import re

    tmp = path.with_suffix(".zero")
    pat = re.compile(r"(<c [^>]*?)( t=\"(?:str|b|e)\")?(>)(<f>.*?</f>)<v>.*?</v>(</c>)")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = pat.sub(r"\1\3\4<v>0</v>\5", data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    tmp.replace(path)


def test_libreoffice_really_recalculates(tmp_path: Path) -> None:
    data = OPDWorkbook(indikator=[Indikator(kode="A", nama="x", polaritas="negatif", target=75,
                                            realisasi_tw=[None, None, 104.7, None])])
    path = write_workbook(tmp_path / "salah.xlsx", data, rumus="native")
    cell = next(c for c in computed_cells(data) if c.rule == "capaian").cell
    set_cached_value(path, sheet_xml_name(path, "Rencana Aksi"), cell, "12345")
    assert read_cells(path, [("Rencana Aksi", cell)])[("Rencana Aksi", cell)] == 12345
    out = soffice_convert([path], tmp_path / "lo", lo_profile(tmp_path))[0]
    got = read_cells(out, [("Rencana Aksi", cell)])[("Rencana Aksi", cell)]
    assert math.isclose(got, 60.4, rel_tol=1e-9), got


def test_native_template_equals_core_in_libreoffice(tmp_path: Path) -> None:
    opds = hypothesis_opds(N_OPD)
    assert len(opds) == N_OPD and covers_the_cases(opds)
    work = tmp_path
    policies = [
        Policy(),
        Policy(cap_rata_rata=None, batas_predikat="inklusif"),
        Policy(cap_rata_rata=100, lke=LKESettings(kosong_bernilai_nol=False), kategori=[
            KategoriBand(label="Baik", batas_bawah=85.5, lampu="hijau"),
            KategoriBand(label="Cukup", batas_bawah=60, lampu="kuning"),
            KategoriBand(label="Kurang", batas_bawah=None, lampu="merah")]),
    ]
    files, expected = [], []
    for i, data in enumerate(opds):
        policy = policies[i % len(policies)]
        path = write_workbook(work / f"opd_{i:02d}.xlsx", data, rumus="native", policy=policy)
        _zero_cached_values(path)
        files.append(path)
        expected.append(computed_values(data, policy=policy))
    outs = soffice_convert(files, work / "lo", lo_profile(work))
    problems: list[str] = []
    checked = 0
    for path, exp in zip(outs, expected, strict=True):
        problems += mismatches(exp, read_cells(path, exp), path.name)
        checked += len(exp)
    kinds = {type(v).__name__ for e in expected for v in e.values()}
    assert {"float", "str"} <= kinds
    assert checked > N_OPD * 1000
    assert not problems, f"{len(problems)} of {checked} cells differ:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("rumus", ["native", "udf"])
def test_both_variants_render_every_sheet(tmp_path: Path, rumus: str) -> None:
    """LibreOffice prints every sheet; the portable variant shows no formula error anywhere."""
    import subprocess

    from helpers_lo import contoh_opd, render_pngs

    from sakip_xl.excel.contract import SHEETS

    path = write_workbook(tmp_path / f"contoh_{rumus}.xlsx", contoh_opd(), rumus=rumus)  # type: ignore[arg-type]
    pngs = render_pngs(path, tmp_path, resolution=30)
    assert set(SHEETS) <= set(pngs), sorted(pngs)
    assert all(p.stat().st_size > 1000 for p in pngs.values())
    text = subprocess.run(["pdftotext", str(tmp_path / f"contoh_{rumus}.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    if rumus == "native":
        for error in ("#NAME?", "Err:", "#VALUE!", "#REF!", "#N/A", "#DIV/0!"):
            assert error not in text, error
        assert "60.40" in text and "Rendah" in text and "80 – 90" in text


def test_messy_inputs_give_the_same_messages(tmp_path: Path) -> None:
    """Text in number cells, unknown polaritas/tipe/Kode/answers: LibreOffice shows the core's texts."""
    import openpyxl
    from helpers_lo import contoh_opd
    from xlsxwriter.utility import xl_cell_to_rowcol

    from sakip_xl.excel.fill import evaluate, input_cells
    from sakip_xl.excel.template import build_layout

    data, policy = contoh_opd(), Policy()
    layout = build_layout(data, policy)
    inputs: dict[tuple[str, int, int], object] = dict(input_cells(layout, data))
    edits: dict[tuple[str, str], object] = {
        ("PK", "E5"): "naik", ("PK", "F6"): "bulanan", ("PK", "G7"): "80%", ("PK", "H8"): 3,
        ("PK", "G6"): -5, ("Rencana Aksi", "A9"): "ZZZ", ("Rencana Aksi", "K7"): "n/a",
        ("Rencana Aksi", "A10"): "iku-02", ("Anggaran", "E5"): "satu juta", ("Anggaran", "F6"): -10,
        ("LKE", "G5"): "Z", ("LKE", "H6"): "ya",
    }
    path = write_workbook(tmp_path / "kacau.xlsx", data, rumus="native", policy=policy)
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in edits.items():
        wb[sheet][cell].value = value
        r, c = xl_cell_to_rowcol(cell)
        inputs[(sheet, r, c)] = float(value) if isinstance(value, int) else value
    wb.save(path)
    computed = layout.computed(policy)
    values = evaluate(computed, inputs, policy)
    expected = {(c.sheet, c.cell): values[(c.sheet, c.row, c.col)] for c in computed}
    texts = {v for v in expected.values() if isinstance(v, str) and v.startswith("#")}
    assert {"#POLARITAS?", "#TIPE?", "#INPUT?", "#KODE?", "#JAWABAN?", "#TARGET<0",
            "#RENTANG?"} <= texts, texts
    out = soffice_convert([path], tmp_path / "lo", lo_profile(tmp_path))[0]
    problems = mismatches(expected, read_cells(out, expected), out.name)
    assert not problems, "\n".join(problems[:40])


def test_unanswered_lke_shows_no_nilai_and_no_predikat(tmp_path: Path) -> None:
    """Before any answer the Ringkasan shows no Nilai LKE and no predikat (not 0 and D), in
    LibreOffice as in the core and in the city summary; one answer gives a number again."""
    from sakip_xl import consolidate
    from sakip_xl.models import LKEJawaban, Profil

    names = ["Nilai_LKE", "Predikat", "Nilai_LKE_Evaluator", "Predikat_Evaluator"]
    kosong = OPDWorkbook(profil=Profil(opd_kode="1.01", opd_nama="Dinas A", tahun=2025, kepala_nama="X"))
    satu = kosong.model_copy(update={"profil": kosong.profil.model_copy(update={"opd_kode": "1.02"}),
                                     "lke": [LKEJawaban(kode="1.a.1", jawaban_opd="Y")]})
    files = [write_workbook(tmp_path / f"{n}.xlsx", wb, rumus="native")
             for n, wb in (("kosong", kosong), ("satu", satu))]
    for f in files:
        _zero_cached_values(f)
    outs = soffice_convert(files, tmp_path / "lo", lo_profile(tmp_path))
    from sakip_xl.excel.reader import read_workbook
    from sakip_xl.excel.safety import open_package
    from sakip_xl.excel.xlsxparts import a1, read_layout

    pkg = open_package(outs[0])
    layout = read_layout(pkg)
    pkg.close()
    cells = [("Ringkasan", a1(*layout.name(n).cell)) for n in names]  # type: ignore[union-attr,misc]
    got_kosong = read_cells(outs[0], cells)
    got_satu = read_cells(outs[1], cells)
    assert [got_kosong[c] for c in cells] == ["", "", "", ""], got_kosong
    assert [got_satu[c] for c in cells] == [1.2, "D", "", ""], got_satu  # 1.a: 1 of 5 criteria x 6
    for out in outs:  # and the reader sees no stale cached value
        _, issues = read_workbook(out)
        assert not [i for i in issues if i.code == "NILAI_TERSIMPAN_BEDA"], issues
    rk = consolidate(outs, jobs=1)
    by_kode = rk.opd.set_index("opd_kode")
    assert by_kode.loc["1.01", "nilai_lke_opd"] is None or math.isnan(by_kode.loc["1.01", "nilai_lke_opd"])
    assert math.isclose(by_kode.loc["1.02", "nilai_lke_opd"], 1.2)
