"""The summary workbook opens in LibreOffice headless without errors and renders real content."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from sakip_xl.consolidation import consolidate
from sakip_xl.demo import generate_city, write_city, write_daftar

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def soffice(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    profile = f"file:///tmp/sakip-lo-{uuid.uuid4().hex}"  # own profile: parallel runs never collide
    try:
        return subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore", *args],
                              capture_output=True, text=True, cwd=cwd, timeout=240)
    finally:
        shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)


def pgm_levels(path: Path) -> int:
    """Number of distinct grey levels in a binary PGM (P5) image: a blank page has one."""
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5"
    return len(set(parts[4]))


@pytest.fixture(scope="module")
def rekap_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("render")
    kota = generate_city(10, seed=41)
    write_city(kota, base / "opd", jobs=1)
    rk = consolidate(base / "opd", daftar_opd=write_daftar(kota, base / "daftar.csv"), jobs=1)
    return rk.to_excel(base / "rekap_kota.xlsx")


def test_libreoffice_opens_and_renders_every_sheet(rekap_file: Path) -> None:
    out = rekap_file.parent
    r = soffice("--convert-to", "pdf", "--outdir", str(out), str(rekap_file), cwd=out)
    pdf = out / "rekap_kota.pdf"
    assert r.returncode == 0 and pdf.exists(), r.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          timeout=60).stdout
    for needle in ("Rekap Kinerja dan Akuntabilitas", "Distribusi kategori capaian", "Sangat Tinggi",
                   "OPD yang belum mengirim", "Badan Arsip dan Dokumentasi", "SHA-256", "Gagal dibaca",
                   "REKAP_DUPLIKAT"):
        assert needle in text, needle
    assert "#VALUE" not in text and "Err:" not in text and "#NAME" not in text
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", str(pdf), str(out / "hal")],
                   check=True, timeout=60)
    page = next(out.glob("hal*.pgm"))
    assert pgm_levels(page) > 20  # text, tables, traffic lights and charts, not a blank page


def test_libreoffice_round_trip_keeps_values(rekap_file: Path, tmp_path: Path) -> None:
    """Re-saved by LibreOffice, the summary still holds the same numbers (nothing to recalculate)."""
    from python_calamine import CalamineWorkbook

    r = soffice("--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path), str(rekap_file),
                cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    before = CalamineWorkbook.from_path(str(rekap_file))
    after = CalamineWorkbook.from_path(str(tmp_path / "rekap_kota.xlsx"))
    assert before.sheet_names == after.sheet_names
    a = before.get_sheet_by_name("Per OPD").to_python()
    b = after.get_sheet_by_name("Per OPD").to_python()
    assert len(a) == len(b)
    for ra, rb in zip(a, b, strict=True):
        for x, y in zip(ra, rb, strict=False):
            if isinstance(x, float) and isinstance(y, float):
                assert abs(x - y) <= 1e-9 * max(1.0, abs(x))
            elif x not in ("", None) or y not in ("", None):
                assert str(x) == str(y)
