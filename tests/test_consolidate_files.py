"""Consolidation of real workbook files: a generated city with broken, duplicate, foreign and
hostile files, traced back to the cells it came from, deterministic and read-only."""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from sakip_xl.consolidation import consolidate
from sakip_xl.consolidation.rekap import Rekap, atomic_path
from sakip_xl.consolidation.summary_xlsx import SHEETS
from sakip_xl.demo import Kota, file_name, generate_city, write_city
from sakip_xl.errors import ScoringError
from sakip_xl.models import OPDWorkbook
from sakip_xl.scoring import capaian, nilai_lke, realisasi_anggaran, rollup_opd, serapan, ytd


def _rezip(src: Path, dst: Path, replace: dict[str, bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, replace.get(item.filename, zin.read(item.filename)))


def add_hostile_files(folder: Path, good: Path) -> None:
    """A zip bomb, an XML entity bomb, a CSV, an Excel lock file and a name that is a formula."""
    _rezip(good, folder / "bom_zip.xlsx", {"xl/worksheets/sheet1.xml": b"<x>" + b" " * (8 << 20) + b"</x>"})
    with zipfile.ZipFile(good) as z:
        wbxml = z.read("xl/workbook.xml")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    _rezip(good, folder / "entitas_xml.xlsx", {"xl/workbook.xml": laughs + wbxml.split(b"?>", 1)[1]})
    (folder / "lampiran.csv").write_text("kode,nilai\n1,2\n", "utf-8")  # not collected
    (folder / "dinas_lama.ods").write_bytes(b"PK\x03\x04 bukan xlsx")
    (folder / "~$1.01.01_dinas_pendidikan.xlsx").write_bytes(b"lock")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Kota]:
    base = tmp_path_factory.mktemp("kota")
    kota = generate_city(10, seed=5)
    write_city(kota, base / "opd", jobs=1)
    add_hostile_files(base / "opd", base / "opd" / file_name(kota.opd[0]))
    return base / "opd", kota


@pytest.fixture(scope="module")
def rekap(city: tuple[Path, Kota]) -> Rekap:
    return consolidate(city[0], jobs=2)


def _direct(wb: OPDWorkbook) -> dict[str, float | None]:
    caps: list[float | None] = []
    for ind in wb.indikator:
        try:
            caps.append(capaian(ind.target_value, ytd(ind.realisasi_tw, ind.tipe_agregasi), ind.polaritas))
        except ScoringError:
            caps.append(None)
    progs = [a for a in wb.anggaran if a.level == "Program"]
    ser = serapan(sum(a.pagu or 0 for a in progs), sum(realisasi_anggaran(a.realisasi_tw) for a in progs))
    ev = wb.jawaban_evaluator()
    lke = nilai_lke(ev if any(ev.values()) else wb.jawaban_opd())
    r = rollup_opd(caps, ser, lke)
    return {"capaian_rata": r.capaian_rata, "capaian_rata_dibatasi": r.capaian_rata_dibatasi,
            "serapan": ser, "nilai_lke": r.nilai_lke, "indeks_efisiensi": r.indeks_efisiensi,
            "poin_ke_predikat_berikut": r.poin_ke_predikat_berikut}


def test_city_from_files_equals_the_core_on_the_models(city: tuple[Path, Kota], rekap: Rekap) -> None:
    _, kota = city
    duplicated = kota.opd[1].profil.opd_kode  # write_city copies the second workbook
    rows = {r["opd_kode"]: r for r in rekap.opd.to_dict("records")}
    assert set(rows) == {wb.profil.opd_kode for wb in kota.opd} - {duplicated}
    for wb in kota.opd:
        if wb.profil.opd_kode == duplicated:
            continue
        got = rows[wb.profil.opd_kode]
        for key, want in _direct(wb).items():
            assert want is not None and math.isclose(got[key], want, rel_tol=1e-9), (wb.profil.opd_kode, key)


def test_bad_files_are_listed_and_the_good_ones_consolidated(rekap: Rekap) -> None:
    src = {r["berkas"]: r for r in rekap.sumber.to_dict("records")}
    assert not any(name.startswith("~$") for name in src)
    assert src["kiriman_email_rusak.xlsx"]["status_baca"] == "Gagal dibaca"
    assert src["catatan_rapat.xlsx"]["status_baca"] == "Gagal dibaca"
    assert src["bom_zip.xlsx"]["status_baca"] == "Gagal dibaca"
    assert src["entitas_xml.xlsx"]["status_baca"] == "Gagal dibaca"
    assert src["dinas_lama.ods"]["status_baca"] == "Format tidak didukung"
    assert "lampiran.csv" not in src
    dup = [n for n, r in src.items() if r["status_rekap"].startswith("Duplikat")]
    assert len(dup) == 2 and any(n.endswith("_revisi.xlsx") for n in dup)
    codes = {(i.file, i.code) for i in rekap.issues}
    assert ("catatan_rapat.xlsx", "BUKAN_SAKIP") in codes
    assert ("bom_zip.xlsx", "BERBAHAYA") in codes
    assert ("entitas_xml.xlsx", "BERBAHAYA") in codes
    assert ("dinas_lama.ods", "REKAP_FORMAT") in codes
    for r in src.values():
        if r["status_baca"] != "Format tidak didukung":
            assert r["sha256"] and len(r["sha256"]) == 64 and r["ukuran_byte"] > 0
    assert rekap.kota["n_dikonsolidasi"] == 9 and not rekap.bersih


def test_inputs_are_never_modified(city: tuple[Path, Kota]) -> None:
    folder, _ = city

    def snapshot() -> dict[str, tuple[str, int]]:
        return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
                for p in sorted(folder.iterdir())}

    before = snapshot()
    consolidate(folder, jobs=1).to_excel(folder.parent / "rekap_sekali.xlsx")
    assert snapshot() == before


def test_same_inputs_same_summary(city: tuple[Path, Kota], rekap: Rekap, tmp_path: Path) -> None:
    again = consolidate(city[0], jobs=1)
    for name in ("opd", "indikator", "triwulan", "anggaran", "lke", "lke_komponen", "tindak_lanjut",
                 "masalah", "sumber"):
        assert getattr(rekap, name).equals(getattr(again, name)), name
    assert rekap.kota == again.kota
    a, b = rekap.to_excel(tmp_path / "a.xlsx"), again.to_excel(tmp_path / "b.xlsx")
    assert a.read_bytes() == b.read_bytes()


def _sheet_values(path: Path) -> dict[str, list[list[object]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def test_summary_workbook_structure(rekap: Rekap, tmp_path: Path) -> None:
    out = rekap.to_excel(tmp_path / "rekap.xlsx")
    wb = openpyxl.load_workbook(out)
    assert tuple(wb.sheetnames) == SHEETS
    pages = ("Ringkasan Kota", "Rencana Peningkatan", "Rincian Kota")  # printed pages, several tables each
    for name in SHEETS:
        if name in pages:
            continue
        ws = wb[name]
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2"), name
        assert len(ws.tables) == 1, name
    assert "tblRekapRingkasan" in wb["Ringkasan Kota"].tables
    assert {"tblRekapKategori", "tblRekapPredikat", "tblRekapTerlemah"} <= set(wb["Rincian Kota"].tables)
    assert {"tblRencanaKota", "tblRencanaTerdekat", "tblRencanaLangkah"} <= set(wb["Rencana Peningkatan"].tables)
    per_opd = wb["Per OPD"]
    header = [c.value for c in per_opd[1]]
    col = header.index("Capaian Dibatasi (%)")
    for i, row in enumerate(rekap.opd.to_dict("records"), start=2):
        assert per_opd.cell(i, 3).value == row["opd_nama"]
        assert math.isclose(per_opd.cell(i, col + 1).value, row["capaian_rata_dibatasi"])
    assert per_opd.conditional_formatting  # traffic lights
    assert wb["Ringkasan Kota"]._charts


def test_user_text_is_never_a_formula(rekap: Rekap, tmp_path: Path) -> None:
    out = rekap.to_excel(tmp_path / "rekap.xlsx")
    ws = openpyxl.load_workbook(out)["Detail Indikator"]
    header = [c.value for c in ws[1]]
    col = header.index("Faktor Penghambat") + 1
    cells = [ws.cell(r, col) for r in range(2, ws.max_row + 1)]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert hostile, "the demo city has a faktor penghambat starting with '='"
    assert all(c.data_type == "s" for c in hostile)
    with zipfile.ZipFile(out) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in z.read(n) for n in sheets)  # no formula anywhere


def test_every_capaian_traces_to_its_cell(rekap: Rekap, city: tuple[Path, Kota]) -> None:
    """Detail Indikator names file, sheet and cell; the template wrote the core's value there."""
    folder, _ = city
    books: dict[str, dict[str, list[list[object]]]] = {}
    checked = 0
    for row in rekap.indikator.to_dict("records"):
        if row["capaian"] is None or (isinstance(row["capaian"], float) and math.isnan(row["capaian"])):
            continue
        vals = books.setdefault(row["berkas"], _sheet_values(folder / row["berkas"]))
        cell = openpyxl.utils.cell.coordinate_from_string(row["sel"])
        col = openpyxl.utils.cell.column_index_from_string(cell[0])
        assert math.isclose(float(vals[row["lembar"]][cell[1] - 1][col - 1]), row["capaian"], rel_tol=1e-9)
        checked += 1
    assert checked > 20


def test_output_is_written_atomically(rekap: Rekap, tmp_path: Path) -> None:
    out = tmp_path / "rekap.xlsx"
    out.write_bytes(b"versi lama")
    with pytest.raises(RuntimeError), atomic_path(out) as tmp:
        tmp.write_bytes(b"setengah")
        raise RuntimeError("gagal di tengah jalan")
    assert out.read_bytes() == b"versi lama"
    assert sorted(os.listdir(tmp_path)) == ["rekap.xlsx"]
    rekap.to_excel(out)
    assert zipfile.is_zipfile(out) and sorted(os.listdir(tmp_path)) == ["rekap.xlsx"]


def test_csv_and_parquet_exports(rekap: Rekap, tmp_path: Path) -> None:
    import pandas as pd

    csvs = rekap.to_csv(tmp_path / "csv")
    parquets = rekap.to_parquet(tmp_path / "pq")
    assert {p.stem for p in csvs} == {p.stem for p in parquets} >= {"opd", "indikator", "sumber", "ringkasan_kota"}
    back = pd.read_parquet(tmp_path / "pq" / "indikator.parquet")
    assert len(back) == len(rekap.indikator)
    assert list(pd.read_csv(tmp_path / "csv" / "opd.csv")["opd_kode"].astype(str)) == list(rekap.opd["opd_kode"])


def test_a_previous_summary_in_the_folder_is_skipped(rekap: Rekap, city: tuple[Path, Kota],
                                                     tmp_path: Path) -> None:
    folder, kota = city
    mixed = tmp_path / "campur"
    mixed.mkdir()
    for wb in kota.opd[2:5]:
        shutil.copy(folder / file_name(wb), mixed)
    rekap.to_excel(mixed / "rekap_bulan_lalu.xlsx")
    rk = consolidate(mixed, jobs=1)
    row = rk.sumber[rk.sumber["berkas"] == "rekap_bulan_lalu.xlsx"].iloc[0]
    assert row["status_baca"] == "Dilewati: rekap kota" and row["n_galat"] == 0
    assert len(rk.opd) == 3
    assert any(i.code == "REKAP_BERKAS_REKAP" and i.severity.value == "info" for i in rk.issues)


def test_single_files_and_folders_mix(city: tuple[Path, Kota], tmp_path: Path) -> None:
    folder, kota = city
    one = tmp_path / "satu"
    one.mkdir()
    shutil.copy(folder / file_name(kota.opd[3]), one)
    rk = consolidate([one, folder / file_name(kota.opd[4])], jobs=1)
    assert sorted(rk.opd["opd_kode"]) == sorted([kota.opd[3].profil.opd_kode, kota.opd[4].profil.opd_kode])
    assert rk.bersih or all(i.code != "REKAP_DUPLIKAT" for i in rk.issues)


def test_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    from sakip_xl.consolidation.sources import SumberError

    with pytest.raises(SumberError, match="Tidak ada workbook"):
        consolidate(tmp_path)
    with pytest.raises(SumberError, match="tidak ditemukan"):
        consolidate(tmp_path / "tidak_ada")


def test_a_killed_worker_does_not_stop_the_batch(city: tuple[Path, Kota], rekap: Rekap) -> None:
    """A worker killed mid-run (as the OOM killer would) breaks the pool: its files are retried alone."""
    import signal
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=2)
    killed: list[int] = []

    def progress(done: int, total: int, label: str) -> None:
        if not killed:
            pid = next(iter(pool._processes))  # a real worker process of this pool
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    try:
        rk = consolidate(city[0], executor=pool, progress=progress)
    finally:
        pool.shutdown()
    assert killed
    assert rk.opd.equals(rekap.opd) and rk.sumber.equals(rekap.sumber)


def test_opd_figures_equal_the_opd_workbooks_own_ringkasan(rekap: Rekap, city: tuple[Path, Kota]) -> None:
    """Per OPD numbers are the ones each OPD sees on its own Ringkasan sheet (written by the template)."""
    folder, _ = city
    mine = {"Capaian_Rata": "capaian_rata", "Capaian_Rata_Dibatasi": "capaian_rata_dibatasi",
            "Serapan_Anggaran": "serapan", "Indeks_Efisiensi": "indeks_efisiensi", "Nilai_LKE": "nilai_lke_opd",
            "Predikat": "predikat_opd", "Nilai_LKE_Evaluator": "nilai_lke_evaluator",
            "Predikat_Evaluator": "predikat_evaluator"}
    checked = 0
    for row in rekap.opd.to_dict("records"):
        wb = openpyxl.load_workbook(folder / row["berkas"], data_only=True)
        for name, col in mine.items():
            ((sheet, ref),) = list(wb.defined_names[name].destinations)
            theirs = wb[sheet][ref.replace("$", "")].value
            ours = row[col]
            if ours is None or (isinstance(ours, float) and math.isnan(ours)):
                # no evaluator answer yet: the summary leaves it blank, the OPD sheet shows 0 / D
                assert name.endswith("Evaluator") and theirs in (0, "D", None, ""), (row["berkas"], name)
            elif isinstance(ours, str):
                assert theirs == ours, (row["berkas"], name)
            else:
                assert math.isclose(theirs, ours, rel_tol=1e-9), (row["berkas"], name, theirs, ours)
            checked += 1
    assert checked == 8 * len(rekap.opd)


def test_nothing_readable_still_gives_a_summary(city: tuple[Path, Kota], tmp_path: Path) -> None:
    folder, kota = city
    src = tmp_path / "masuk"
    src.mkdir()
    (src / "rusak.xlsx").write_bytes((folder / file_name(kota.opd[0])).read_bytes()[:3000])
    rk = consolidate(src, jobs=1)
    assert rk.opd.empty and rk.kota["n_gagal"] == 1 and not rk.bersih
    assert rk.kota["capaian_rata"] is None and "0 OPD dikonsolidasi" in rk.ringkasan_teks()
    wb = openpyxl.load_workbook(rk.to_excel(tmp_path / "rekap.xlsx"))
    assert tuple(wb.sheetnames) == SHEETS
    assert wb["Sumber"]["I2"].value == "Gagal dibaca"
