"""``sakip-xl konsolidasi`` as a user runs it: subprocess, exit codes, stdout and stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sakip_xl.demo import generate_city, write_city, write_daftar


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "sakip_xl.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bersih")
    kota = generate_city(8, seed=21, kesalahan=False)
    write_city(kota, folder / "opd", jobs=1, rusak=False)
    write_daftar(kota, folder / "daftar.csv")
    return folder


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kotor")
    write_city(generate_city(8, seed=22), folder / "opd", jobs=1)
    return folder


def test_clean_folder_exits_0(clean: Path) -> None:
    out = clean / "rekap.xlsx"
    r = run("konsolidasi", str(clean / "opd"), "-o", str(out), "--jobs", "2")
    assert r.returncode == 0, r.stderr
    assert out.exists()
    assert "Capaian kinerja rata-rata" in r.stdout and "8 OPD dikonsolidasi" in r.stdout
    # not a terminal: plain progress lines on stderr, ending with the total
    assert r.stderr.strip().splitlines()[-1] == "Membaca workbook: 8/8"


def test_missing_opd_is_a_warning_not_an_error(clean: Path) -> None:
    r = run("konsolidasi", str(clean / "opd"), "-o", str(clean / "r2.xlsx"), "--daftar-opd",
            str(clean / "daftar.csv"), "--jobs", "1")
    assert r.returncode == 0, r.stderr
    assert "OPD diterima: 8 dari 9" in r.stdout and "9.01.01" in r.stdout


def test_folder_with_bad_files_exits_3_and_lists_them(messy: Path) -> None:
    out = messy / "rekap.xlsx"
    r = run("konsolidasi", str(messy / "opd"), "-o", str(out))
    assert r.returncode == 3, r.stderr
    assert out.exists()
    assert "Berkas bergalat:" in r.stdout
    assert "kiriman_email_rusak.xlsx" in r.stdout and "catatan_rapat.xlsx" in r.stdout


def test_json_output(messy: Path) -> None:
    r = run("konsolidasi", str(messy / "opd"), "-o", str(messy / "r.xlsx"), "--json", "--sampai-tw", "2")
    assert r.returncode == 3
    data = json.loads(r.stdout)
    assert data["kode_keluar"] == 3 and data["kota"]["sampai_tw"] == "TW II"
    assert len(data["opd"]) == data["kota"]["n_dikonsolidasi"] == 7
    assert data["masalah"]["galat"] > 0
    assert {b["status_baca"] for b in data["berkas"]} >= {"Dibaca", "Gagal dibaca"}


def test_csv_and_parquet_options(clean: Path, tmp_path: Path) -> None:
    r = run("konsolidasi", str(clean / "opd"), "-o", str(tmp_path / "r.xlsx"), "--csv", str(tmp_path / "csv"),
            "--parquet", str(tmp_path / "pq"), "-j", "1")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "csv" / "indikator.csv").exists() and (tmp_path / "pq" / "sumber.parquet").exists()


@pytest.mark.parametrize("args, needle", [
    (["konsolidasi", "/tidak/ada/folder"], "tidak ditemukan"),
    (["konsolidasi", ".", "--sampai-tw", "5"], "--sampai-tw"),
    (["konsolidasi", ".", "--jobs", "0"], "harus >= 1"),
    (["konsolidasi", ".", "--scheduler", "tcp://127.0.0.1:1"], "--executor dask"),
    (["konsolidasi"], "FOLDER"),
])
def test_usage_errors_exit_2(args: list[str], needle: str, tmp_path: Path) -> None:
    r = run(*args, cwd=tmp_path)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert needle in r.stderr


def test_bad_lists_and_policies_exit_2(clean: Path, tmp_path: Path) -> None:
    (tmp_path / "daftar.txt").write_text("\n", "utf-8")
    r = run("konsolidasi", str(clean / "opd"), "-o", str(tmp_path / "r.xlsx"), "--daftar-opd",
            str(tmp_path / "daftar.txt"))
    assert r.returncode == 2 and "kosong" in r.stderr
    (tmp_path / "k.toml").write_text('target_predikat = "ZZ"\n', "utf-8")
    r = run("konsolidasi", str(clean / "opd"), "-o", str(tmp_path / "r.xlsx"), "--kebijakan", str(tmp_path / "k.toml"))
    assert r.returncode == 2 and "target_predikat" in r.stderr
    assert not (tmp_path / "r.xlsx").exists()


def test_policy_changes_the_target(clean: Path, tmp_path: Path) -> None:
    (tmp_path / "k.toml").write_text('target_predikat = "B"\n', "utf-8")
    r = run("konsolidasi", str(clean / "opd"), "-o", str(tmp_path / "r.xlsx"), "--kebijakan",
            str(tmp_path / "k.toml"), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["kota"]["target_predikat"] == "B"


def test_unwritable_output_is_a_usage_error_found_before_reading(clean: Path, tmp_path: Path) -> None:
    (tmp_path / "folder.xlsx").mkdir()
    r = run("konsolidasi", str(clean / "opd"), "-o", str(tmp_path / "folder.xlsx"))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "adalah folder" in r.stderr and "Saran:" in r.stderr
    assert "Membaca" not in r.stderr  # refused before any workbook was read
    assert [p.name for p in tmp_path.iterdir()] == ["folder.xlsx"]  # no temporary file left behind
