"""``sakip-xl periksa`` as a user runs it: a subprocess, its exit code, its output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

import build_corpus as bc  # noqa: E402

TODAY = bc.TODAY.isoformat()


def periksa(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sakip_xl.cli", "periksa", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("periksa")
    base = bc.build_base(out)
    made = {n: bc.CASES[n].build(out, base) for n in ("opd_bersih", "opd_pk_kode_ganda", "opd_koma_desimal_dan_satuan",
                                                       "opd_isian_dirapikan", "terkunci_kata_sandi")}
    sampah = out / "sampah.xlsx"
    sampah.write_bytes(bytes(range(256)) * 40)
    made["sampah"] = sampah
    return made


def test_clean_workbook_exits_0(files: dict[str, Path]) -> None:
    r = periksa(files["opd_bersih"], "--tanggal", TODAY)
    assert r.returncode == 0, r.stderr
    assert "bersih, tidak ada masalah" in r.stdout
    assert "Dinas Kesehatan 2025" in r.stdout


def test_errors_exit_3_with_cells(files: dict[str, Path]) -> None:
    r = periksa(files["opd_pk_kode_ganda"], "--tanggal", TODAY)
    assert r.returncode == 3
    assert "PK_KODE_GANDA" in r.stdout and bc.at("tblPK", "Kode", 1) in r.stdout
    assert "Galat" in r.stdout and "Saran:" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_info_only_is_not_an_error_and_can_be_hidden(files: dict[str, Path]) -> None:
    # text in number cells is a warning now (the workbook's formulas cannot use it, issue 10); the
    # info-only workbook tidies letter case and an answer word the workbook's formula reads too
    r = periksa(files["opd_isian_dirapikan"], "--tanggal", TODAY)
    assert r.returncode == 0 and "NILAI_DINORMALKAN" in r.stdout and "dibaca" in r.stdout
    r = periksa(files["opd_isian_dirapikan"], "--tanggal", TODAY, "--tanpa-info")
    assert r.returncode == 0 and "NILAI_DINORMALKAN" not in r.stdout
    r = periksa(files["opd_koma_desimal_dan_satuan"], "--tanggal", TODAY)
    assert r.returncode == 0 and "NILAI_TEKS_DI_SEL_ANGKA" in r.stdout  # a warning: no error exit


def test_json(files: dict[str, Path]) -> None:
    r = periksa(files["opd_bersih"], files["opd_pk_kode_ganda"], files["terkunci_kata_sandi"], "--json",
                "--tanggal", TODAY)
    assert r.returncode == 3
    data = json.loads(r.stdout)
    assert data["ada_galat"] is True
    bersih, ganda, kunci = data["berkas"]
    assert bersih["ada_galat"] is False and bersih["masalah"] == [] and bersih["opd_nama"] == "Dinas Kesehatan"
    assert {(m["code"], m["sheet"], m["cell"]) for m in ganda["masalah"]} >= {
        ("PK_KODE_GANDA", "PK", bc.cell("tblPK", "Kode", 1)[1])}
    assert kunci["dapat_dibaca"] is False and [m["code"] for m in kunci["masalah"]] == ["TERKUNCI"]


def test_unreadable_files_never_give_a_traceback(files: dict[str, Path], tmp_path: Path) -> None:
    r = periksa(files["sampah"], files["terkunci_kata_sandi"])
    assert r.returncode == 3
    assert "Traceback" not in r.stdout + r.stderr
    assert "TIDAK DAPAT DIBACA" in r.stdout and "kata sandi" in r.stdout
    assert "2 workbook diperiksa: 2 bergalat" in r.stdout


def test_a_missing_path_is_a_usage_error_as_in_konsolidasi(files: dict[str, Path], tmp_path: Path) -> None:
    """The same mistake gives the same exit status in every command (2), before anything is read."""
    r = periksa(files["sampah"], tmp_path / "tidak_ada.xlsx")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip().splitlines() == [r.stderr.strip()]  # one line
    assert "tidak_ada.xlsx" in r.stderr and "tidak ditemukan" in r.stderr and "Saran:" in r.stderr


def test_folder_is_expanded(files: dict[str, Path]) -> None:
    folder = files["opd_bersih"].parent
    r = periksa(folder, "--json", "--tanggal", TODAY)
    names = {Path(b["berkas"]).name for b in json.loads(r.stdout)["berkas"]}
    assert {"opd_bersih.xlsx", "opd_pk_kode_ganda.xlsx", "sampah.xlsx"} <= names


@pytest.mark.parametrize("args", [[], ["--tidak-ada"], ["x.xlsx", "--tanggal", "kemarin"],
                                  ["x.xlsx", "--kebijakan", "/tidak/ada.toml"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    r = periksa(*args)
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr


def test_policy_file_is_used(files: dict[str, Path], tmp_path: Path) -> None:
    kebijakan = tmp_path / "kebijakan.toml"
    kebijakan.write_text("tahun_minimum = 2026\n", encoding="utf-8")
    r = periksa(files["opd_bersih"], "--kebijakan", kebijakan, "--tanggal", TODAY)
    assert r.returncode == 3 and "TAHUN_TIDAK_WAJAR" in r.stdout
