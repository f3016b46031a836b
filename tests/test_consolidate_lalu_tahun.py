"""``--rekap-lalu`` with a summary that is not of an earlier year: warning ``REKAP_LALU_TAHUN``.

Same year: warned, the change is still computed (a re-run or corrected summary of that year).
Later year: warned, no change computed (the files were swapped).  Earlier year: no warning.
Run as a user runs it (``sakip-xl konsolidasi`` in a subprocess) on generated cities.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from sakip_xl.consolidation import consolidate
from sakip_xl.consolidation.lalu import TAHUN_CODE, read_rekap_lalu, tahun_issue
from sakip_xl.demo import generate_city, write_city


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "sakip_xl.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture(scope="module")
def kota(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This year's folder (2025) and summaries of 2024, 2025 (xlsx) and 2026 (xlsx and parquet).

    ``peringatan.txt`` holds the number of warnings of this year's summary on its own.
    """
    base = tmp_path_factory.mktemp("tahun_lalu")
    for tahun, seed in ((2024, 51), (2025, 52), (2026, 53)):
        write_city(generate_city(4, seed=seed, tahun=tahun, kesalahan=False), base / f"opd_{tahun}",
                   jobs=1, rusak=False)
        rk = consolidate(base / f"opd_{tahun}", jobs=1)
        assert rk.tahun == tahun
        rk.to_excel(base / f"rekap_{tahun}.xlsx")
        if tahun == 2026:
            rk.to_parquet(base / "parquet_2026")
        if tahun == 2025:
            (base / "peringatan.txt").write_text(str(rk.n_peringatan), encoding="utf-8")
    return base


def _baseline(kota: Path) -> int:
    return int((kota / "peringatan.txt").read_text(encoding="utf-8"))


def _masalah(path: Path) -> list[dict[str, Any]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Masalah").to_python()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(v != "" for v in r)]


def _per_opd_header(path: Path) -> list[str]:
    return [str(h) for h in CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Per OPD").to_python()[0]]


def _warnings(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if TAHUN_CODE in r.values()]


def _konsolidasi(kota: Path, out: Path, lalu: Path) -> subprocess.CompletedProcess[str]:
    return run("konsolidasi", str(kota / "opd_2025"), "-o", str(out), "--jobs", "1", "--rekap-lalu", str(lalu))


def test_same_year_is_warned_and_still_compared(kota: Path, tmp_path: Path) -> None:
    out = tmp_path / "rekap.xlsx"
    r = _konsolidasi(kota, out, kota / "rekap_2025.xlsx")
    assert r.returncode == 0, r.stderr
    line = next(ln for ln in r.stderr.splitlines() if TAHUN_CODE in ln)
    assert "Peringatan" in line and "[rekap_2025.xlsx]" in line
    assert "juga untuk tahun 2025, sama dengan tahun rekap ini (2025)" in line
    assert "bukan perubahan dari tahun lalu" in line and "Saran:" in line
    assert "Perubahan dari tahun 2025" in r.stdout  # still compared: the same data, so no change
    assert f"Masalah: 0 galat, {_baseline(kota) + 1} peringatan" in r.stdout
    (row,) = _warnings(_masalah(out))
    assert row["Berkas"] == "rekap_2025.xlsx" and row["Tingkat"] == "Peringatan"
    assert "2025" in row["Pesan"] and "rekap tahun 2024" in row["Saran"]
    header = _per_opd_header(out)
    assert "Perubahan Nilai LKE" in header
    table = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Per OPD").to_python()
    changes = [r[header.index("Perubahan Nilai LKE")] for r in table[1:] if r[0] != ""]
    assert changes and all(c == pytest.approx(0, abs=1e-9) for c in changes)


@pytest.mark.parametrize("lalu", ["rekap_2026.xlsx", "parquet_2026"])
def test_later_year_is_warned_and_not_compared(kota: Path, tmp_path: Path, lalu: str) -> None:
    out = tmp_path / "rekap.xlsx"
    r = _konsolidasi(kota, out, kota / lalu)
    assert r.returncode == 0, r.stderr
    line = next(ln for ln in r.stderr.splitlines() if TAHUN_CODE in ln)
    assert f"[{lalu}]" in line and "untuk tahun 2026, lebih baru dari tahun rekap ini (2025)" in line
    assert "tidak dihitung" in line
    assert "Perubahan dari" not in r.stdout
    assert f"Masalah: 0 galat, {_baseline(kota) + 1} peringatan" in r.stdout
    (row,) = _warnings(_masalah(out))
    assert row["Berkas"] == lalu
    assert not any("Tahun Lalu" in h or "Perubahan" in h for h in _per_opd_header(out))
    labels = [str(r[0]) for r in CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Ringkasan Kota").to_python()]
    assert not any(label.startswith("Perubahan") for label in labels)


def test_earlier_year_gives_no_warning(kota: Path, tmp_path: Path) -> None:
    out = tmp_path / "rekap.xlsx"
    r = _konsolidasi(kota, out, kota / "rekap_2024.xlsx")
    assert r.returncode == 0, r.stderr
    assert TAHUN_CODE not in r.stderr
    assert f"Masalah: 0 galat, {_baseline(kota)} peringatan" in r.stdout
    assert "Perubahan dari tahun 2024" in r.stdout and not _warnings(_masalah(out))


def test_api_issue_and_counts(kota: Path) -> None:
    rk = consolidate(kota / "opd_2025", jobs=1, rekap_lalu=kota / "rekap_2026.xlsx")
    (issue,) = [i for i in rk.issues if i.code == TAHUN_CODE]
    assert issue.severity.value == "warning" and issue.file == "rekap_2026.xlsx"
    n = _baseline(kota) + 1
    assert rk.kota["n_peringatan"] == rk.n_peringatan == n and rk.to_dict()["masalah"]["peringatan"] == n
    assert list(rk.masalah["kode"]).count(TAHUN_CODE) == 1 and len(rk.masalah) == len(rk.issues)
    assert rk.issues == sorted(rk.issues, key=lambda i: i.file or "")
    assert "tahun_lalu" not in rk.kota and "nilai_lke_lalu" not in rk.opd.columns
    lalu = read_rekap_lalu(kota / "rekap_2024.xlsx")
    assert tahun_issue(2025, lalu) is None and tahun_issue(None, lalu) is None
    assert tahun_issue(2024, lalu) is not None
    lalu.tahun = None  # a summary that does not say its year: compared as before, no warning
    assert tahun_issue(2025, lalu) is None
