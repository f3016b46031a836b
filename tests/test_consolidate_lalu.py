"""Year-over-year change (``rekap_lalu`` / ``--rekap-lalu``) on real generated cities and files."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from sakip_xl.consolidation import Rekap, consolidate
from sakip_xl.consolidation.lalu import RekapLaluError, read_rekap_lalu
from sakip_xl.demo import file_name, generate_city, write_city


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "sakip_xl.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Last year (2024, one OPD missing) and this year (2025, other seed: other answers)."""
    base = tmp_path_factory.mktemp("antartahun")
    lalu_kota = generate_city(6, seed=41, tahun=2024, kesalahan=False)
    write_city(lalu_kota, base / "lalu", jobs=1, rusak=False)
    baru = lalu_kota.opd[-1].profil.opd_kode
    (base / "lalu" / file_name(lalu_kota.opd[-1])).unlink()  # a new OPD this year
    lalu = consolidate(base / "lalu", jobs=1)
    lalu.to_excel(base / "rekap_2024.xlsx")
    lalu.to_parquet(base / "parquet_2024")
    lalu.to_csv(base / "csv_2024")
    kini_kota = generate_city(6, seed=42, tahun=2025, kesalahan=False)
    write_city(kini_kota, base / "kini", jobs=1, rusak=False)
    return {"base": base, "lalu": lalu, "baru": baru}


def _by_kode(rk: Rekap) -> dict[str, dict[Any, Any]]:
    return {r["opd_kode"]: r for r in rk.opd.to_dict("records")}


def _blank(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _check(kini: Rekap, lalu: Rekap, baru: str) -> None:
    now, before = _by_kode(kini), _by_kode(lalu)
    assert set(now) == set(before) | {baru}
    changed = 0
    for kode, row in now.items():
        if kode == baru:
            for col in ("nilai_lke_lalu", "perubahan_nilai_lke", "capaian_rata_dibatasi_lalu",
                        "perubahan_capaian", "predikat_lalu"):
                assert _blank(row[col]), (kode, col)
            continue
        b = before[kode]
        assert row["nilai_lke_lalu"] == pytest.approx(b["nilai_lke"], rel=1e-12, abs=1e-12)
        assert row["perubahan_nilai_lke"] == pytest.approx(row["nilai_lke"] - b["nilai_lke"], abs=1e-9)
        assert row["capaian_rata_dibatasi_lalu"] == pytest.approx(b["capaian_rata_dibatasi"], rel=1e-12)
        assert row["perubahan_capaian"] == pytest.approx(
            row["capaian_rata_dibatasi"] - b["capaian_rata_dibatasi"], abs=1e-9)
        assert row["predikat_lalu"] == b["predikat"]
        changed += row["perubahan_nilai_lke"] != 0
    assert changed > 0  # the other seed really changed the LKE answers
    k, kl = kini.kota, lalu.kota
    assert k["tahun_lalu"] == 2024 and k["n_opd_dibanding"] == len(before)
    for key in ("nilai_lke_rata", "capaian_rata_dibatasi", "persen_opd_target"):
        assert k[f"{key}_lalu"] == pytest.approx(kl[key], rel=1e-12)
    assert k["perubahan_nilai_lke_rata"] == pytest.approx(k["nilai_lke_rata"] - kl["nilai_lke_rata"], abs=1e-9)
    assert k["perubahan_capaian_rata_dibatasi"] == pytest.approx(
        k["capaian_rata_dibatasi"] - kl["capaian_rata_dibatasi"], abs=1e-9)
    assert k["perubahan_persen_opd_target"] == pytest.approx(
        k["persen_opd_target"] - kl["persen_opd_target"], abs=1e-9)


def test_change_from_last_years_summary_workbook(years: dict[str, Any]) -> None:
    base = years["base"]
    kini = consolidate(base / "kini", jobs=1, rekap_lalu=base / "rekap_2024.xlsx")
    _check(kini, years["lalu"], years["baru"])
    out = base / "rekap_2025.xlsx"
    kini.to_excel(out)
    wb = CalamineWorkbook.from_path(str(out))
    table = wb.get_sheet_by_name("Per OPD").to_python()
    header = table[0]
    for h in ("Nilai LKE Tahun Lalu", "Perubahan Nilai LKE", "Predikat Tahun Lalu",
              "Capaian Dibatasi Tahun Lalu (%)", "Perubahan Capaian (poin %)"):
        assert h in header
    rows = {r[header.index("Kode OPD")]: r for r in table[1:]}
    j = header.index("Perubahan Nilai LKE")
    for kode, row in _by_kode(kini).items():
        if kode == years["baru"]:
            assert rows[kode][j] == ""
        else:
            assert rows[kode][j] == pytest.approx(row["perubahan_nilai_lke"], abs=1e-9)
    labels = [r[0] for r in wb.get_sheet_by_name("Ringkasan Kota").to_python()]
    assert "Perubahan nilai LKE rata-rata" in labels
    assert "Perubahan dari tahun 2024" in kini.ringkasan_teks()
    # this year's summary is itself a valid "last year" for next year
    assert read_rekap_lalu(out).tahun == 2025


def test_change_from_parquet_and_csv_folders(years: dict[str, Any]) -> None:
    base = years["base"]
    for folder in ("parquet_2024", "csv_2024"):
        kini = consolidate(base / "kini", jobs=1, rekap_lalu=base / folder)
        _check(kini, years["lalu"], years["baru"])


def test_without_last_year_nothing_changes(years: dict[str, Any], tmp_path: Path) -> None:
    kini = consolidate(years["base"] / "kini", jobs=1)
    assert not any("lalu" in c or "perubahan" in c for c in kini.opd.columns)
    assert not any("lalu" in k or "perubahan" in k for k in kini.kota)
    kini.to_excel(tmp_path / "r.xlsx")
    header = CalamineWorkbook.from_path(str(tmp_path / "r.xlsx")).get_sheet_by_name("Per OPD").to_python()[0]
    assert not any("Tahun Lalu" in str(h) or "Perubahan" in str(h) for h in header)


def test_bad_last_year_inputs_are_usage_errors(years: dict[str, Any], tmp_path: Path) -> None:
    base = years["base"]
    opd_wb = next((base / "kini").glob("*.xlsx"))
    rusak = tmp_path / "rusak.xlsx"
    rusak.write_bytes(b"PK\x03\x04 bukan zip")
    empty = tmp_path / "kosong"
    empty.mkdir()
    for path, text in ((opd_wb, "bukan rekap kota sakip-xl"), (rusak, "tidak dapat dibaca"),
                       (empty, "tidak berisi opd.parquet"), (tmp_path / "tidak_ada.xlsx", "tidak ditemukan")):
        with pytest.raises(RekapLaluError, match=text):
            read_rekap_lalu(path)
    foreign = tmp_path / "asing"
    shutil.copytree(base / "csv_2024", foreign)
    (foreign / "opd.csv").write_text("kode,nama\n1,a\n", encoding="utf-8")
    with pytest.raises(RekapLaluError, match="bukan rekap buatan sakip-xl"):
        read_rekap_lalu(foreign)


def test_cli_rekap_lalu(years: dict[str, Any], tmp_path: Path) -> None:
    base = years["base"]
    out = tmp_path / "rekap.xlsx"
    r = run("konsolidasi", str(base / "kini"), "-o", str(out), "--jobs", "1",
            "--rekap-lalu", str(base / "rekap_2024.xlsx"))
    assert r.returncode == 0, r.stderr
    assert "Perubahan dari tahun 2024: nilai LKE rata-rata" in r.stdout
    rusak = tmp_path / "rusak.xlsx"
    rusak.write_bytes(b"bukan workbook")
    opd_wb = next((base / "kini").glob("*.xlsx"))
    for bad, text in ((rusak, "tidak dapat dibaca"), (opd_wb, "bukan rekap kota sakip-xl")):
        r = run("konsolidasi", str(base / "kini"), "-o", str(tmp_path / "x.xlsx"), "--jobs", "1",
                "--rekap-lalu", str(bad))
        assert r.returncode == 2, (r.stdout, r.stderr)
        assert text in r.stderr and "Saran:" in r.stderr
        assert "Traceback" not in r.stderr
        assert not (tmp_path / "x.xlsx").exists()
