"""The improvement plan in the city summary: Rencana Peningkatan, Per OPD in words, and the
Ringkasan Kota page for the Wali Kota (one A4 landscape page in LibreOffice)."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sakip_xl.consolidation import consolidate
from sakip_xl.consolidation.rekap import Rekap
from sakip_xl.demo import Kota, generate_city, write_city, write_daftar
from sakip_xl.excel.reader import read_workbook
from sakip_xl.policy import LaporanSettings, Policy
from sakip_xl.scoring.kategori import predikat
from sakip_xl.scoring.lke import load_kriteria, nilai_lke
from sakip_xl.scoring.rencana import nilai_terbit

sys.path.insert(0, str(Path(__file__).resolve().parent))

POLICY = Policy(laporan=LaporanSettings(nama_pemda="Kota Sukamaju", tempat="Sukamaju",
                                        penandatangan_nama="Drs. Bambang Sutrisno, M.Si.",
                                        penandatangan_nip="19700101 199503 1 001"))


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Kota]:
    base = tmp_path_factory.mktemp("rencana_kota")
    kota = generate_city(12, seed=16)
    write_city(kota, base / "opd", jobs=1)
    write_daftar(kota, base / "daftar.csv")
    return base, kota


@pytest.fixture(scope="module")
def rekap(city: tuple[Path, Kota]) -> Rekap:
    base, _ = city
    rk = consolidate(base / "opd", POLICY, daftar_opd=base / "daftar.csv", jobs=1)
    rk.meta["tanggal_data"] = "2026-01-31"
    return rk


@pytest.fixture(scope="module")
def summary(rekap: Rekap, city: tuple[Path, Kota]) -> Path:
    return rekap.to_excel(city[0] / "rekap_kota.xlsx")


def test_every_plan_applied_to_its_workbook_reaches_the_promised_predikat(rekap: Rekap,
                                                                         city: tuple[Path, Kota]) -> None:
    base, _ = city
    ks = load_kriteria(POLICY)
    labels = POLICY.predikat_labels
    files = {}
    for f in sorted((base / "opd").glob("*.xlsx")):
        try:
            wb, _ = read_workbook(f, POLICY)
        except Exception:  # the demo's broken and foreign files
            continue
        files[wb.profil.opd_kode] = wb
    assert rekap.rencana, "the demo city has LKE answers"
    for p in rekap.rencana:
        wb = files[p["opd_kode"]]
        answers = wb.jawaban_evaluator() if p["dievaluasi"] else wb.jawaban_opd()
        assert p["nilai"] == nilai_terbit(nilai_lke({k: v for k, v in answers.items()}, ks, POLICY).total) or \
            any(v not in (None, "") and v.strip().upper() not in ("Y", "T", "A", "B", "C", "D", "E")
                for v in answers.values() if isinstance(v, str))
        for plan in (p["berikut"], p["target"]):
            if not plan or not plan["tercapai"]:
                continue
            new = dict(answers)
            for step in plan["langkah"]:
                assert (answers.get(step["kode"]) or None) == step["jawaban_sekarang"]
                new[step["kode"]] = step["jawaban"]
            try:
                after = predikat(nilai_terbit(nilai_lke(new, ks, POLICY).total), POLICY)
            except Exception:  # an invalid answer elsewhere (the demo's deliberate mistakes)
                continue
            assert labels.index(after) <= labels.index(plan["predikat_tujuan"])


def test_city_plan_count_equals_a_direct_computation(rekap: Rekap) -> None:
    kota = rekap.rencana_kota
    assert kota is not None
    labels = POLICY.predikat_labels
    t = labels.index(POLICY.target_predikat)
    for g in kota["kelompok"]:
        group = [p for p in rekap.rencana if p["dievaluasi"] == (g["kelompok"] == "dievaluasi")]
        at = sum(1 for p in group if labels.index(p["predikat"]) <= t)
        need = math.ceil(2 * len(group) / 3) if group else 0
        assert (g["n_opd"], g["n_di_target"], g["n_diperlukan"]) == (len(group), at, need)
        assert g["n_kurang"] == max(need - at, 0)
        below = sorted(p["target"]["poin_diperlukan"] for p in group if p["target"] and p["target"]["tercapai"])
        assert [c["poin"] for c in g["kandidat"]] == below[: g["n_kurang"]]
    assert kota["kalimat"].startswith(("Perlu ", "Target tercapai", "Belum ada"))


def test_rencana_sheet_names_criteria_and_sub_components(summary: Path, rekap: Rekap) -> None:
    wb = openpyxl.load_workbook(summary)
    ws = wb["Rencana Peningkatan"]
    assert ws["A5"].value == rekap.rencana_kota["kalimat"]  # type: ignore[index]
    tbl = ws.tables["tblRencanaLangkah"]
    rows = list(ws[tbl.ref])
    header = [c.value for c in rows[0]]
    assert {"Nama OPD", "Sub komponen", "Kriteria", "Jawaban sekarang", "Jawaban tujuan", "Tambahan poin"} <= set(header)
    ks = {k.kriteria for k in load_kriteria(POLICY)}
    subs = {k.sub_komponen for k in load_kriteria(POLICY)}
    crit = [r[header.index("Kriteria")].value for r in rows[1:]]
    sub = [r[header.index("Sub komponen")].value for r in rows[1:] if r[header.index("Sub komponen")].value]
    assert crit and all(c in ks or str(c).startswith("Sudah di predikat tertinggi") for c in crit)
    assert sub and all(s in subs for s in sub)
    n_steps = sum(len(p[k]["langkah"]) for p in rekap.rencana for k in ("berikut", "target")
                  if p[k] and (k == "berikut" or p["target"]["predikat_tujuan"] != p["berikut"]["predikat_tujuan"]))
    assert sum(1 for r in rows[1:] if r[header.index("Kode kriteria")].value) == n_steps


def test_per_opd_opportunities_in_words(summary: Path) -> None:
    df = pd.read_excel(summary, sheet_name="Per OPD", engine="openpyxl")
    col = next(c for c in df.columns if str(c).startswith("Peluang LKE"))
    texts = [t for t in df[col].dropna()]
    assert texts
    for t in texts:
        assert not re.search(r"\b\d\.[a-z] \(ruang", t), t  # no bare codes any more
        assert "ruang terbesar:" in t or t.startswith("Ke ")
        assert len(t) <= 130  # one line in its column
        assert any(w in t for w in ("Pemenuhan", "Kualitas", "Pemanfaatan", "Ke "))


def test_ringkasan_kota_page_in_plain_words(summary: Path, rekap: Rekap) -> None:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(summary)).get_sheet_by_name("Ringkasan Kota").to_python()
    text = "\n".join(" ".join(str(c) for c in r if c not in ("", None)) for r in rows)
    assert rows[0][0] == "Kota Sukamaju: Ringkasan Kinerja dan Akuntabilitas Perangkat Daerah, Tahun 2025"
    assert "Keadaan data per 31 Januari 2026" in text
    assert rekap.rencana_kota["kalimat"] in text  # type: ignore[index]
    assert "Drs. Bambang Sutrisno, M.Si." in text and "NIP 19700101 199503 1 001" in text
    assert "Kepala Bagian Organisasi" in text
    assert "--" not in text and "daftar-opd" not in text and "rekap-lalu" not in text
    assert "Badan Arsip dan Dokumentasi" in text  # the OPD on the list that sent nothing
    labels = [str(r[0]) for r in rows]
    assert "Nilai LKE rata-rata" in labels  # what next year's comparison reads
    wb = openpyxl.load_workbook(summary)
    assert len(wb["Ringkasan Kota"]._charts) == 2


def test_moved_predikat_from_last_years_summary(city: tuple[Path, Kota], rekap: Rekap, tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    base, _ = city
    lalu = tmp_path / "lalu"
    rekap.to_csv(lalu)
    opd = pd.read_csv(lalu / "opd.csv", dtype={"opd_kode": str})
    scored = opd[opd["predikat"].notna()].reset_index(drop=True)
    up_kode, down_kode = scored.loc[0, "opd_kode"], scored.loc[1, "opd_kode"]
    labels = POLICY.predikat_labels
    now_up, now_down = scored.loc[0, "predikat"], scored.loc[1, "predikat"]
    before_up = labels[min(labels.index(now_up) + 1, len(labels) - 1)]
    before_down = labels[max(labels.index(now_down) - 1, 0)]
    opd.loc[opd["opd_kode"] == up_kode, "predikat"] = before_up
    opd.loc[opd["opd_kode"] == down_kode, "predikat"] = before_down
    opd["tahun"] = 2024
    opd.to_csv(lalu / "opd.csv", index=False)
    kota = pd.read_csv(lalu / "ringkasan_kota.csv", dtype=str, keep_default_na=False)
    kota.loc[kota["kunci"] == "tahun", "nilai"] = "2024"  # last year's summary is of an earlier year
    kota.to_csv(lalu / "ringkasan_kota.csv", index=False)
    rk = consolidate(base / "opd", POLICY, daftar_opd=base / "daftar.csv", jobs=1, rekap_lalu=lalu)
    out = rk.to_excel(tmp_path / "rekap.xlsx")
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Ringkasan Kota").to_python()
    text = "\n".join(" ".join(str(c) for c in r if c not in ("", None)) for r in rows)
    name_up = scored.loc[0, "opd_nama"]
    name_down = scored.loc[1, "opd_nama"]
    if before_up != now_up:
        assert f"{name_up} ({before_up} → {now_up})" in text
    if before_down != now_down:
        assert f"{name_down} ({before_down} → {now_down})" in text


@pytest.mark.slow
@pytest.mark.libreoffice
def test_ringkasan_kota_prints_on_one_a4_landscape_page(summary: Path, tmp_path: Path) -> None:
    from helpers_lo import lo_profile, soffice_convert

    assert shutil.which("pdftotext") and shutil.which("pdfinfo")
    pdf = soffice_convert([summary], tmp_path, lo_profile(tmp_path), target="pdf")[0]

    def page_text(n: int) -> str:
        return subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout

    first, second = page_text(1), page_text(2)
    assert "Kota Sukamaju: Ringkasan Kinerja" in first and "Angka utama" in first
    assert "NIP 19700101 199503 1 001" in first  # the sign-off block made it onto the same page
    assert second.lstrip().startswith("Rencana Peningkatan Predikat SAKIP")  # the page is exactly one
    size = subprocess.run(["pdfinfo", "-f", "1", "-l", "1", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    w, h = map(float, re.search(r"Page\s+1 size:\s+([\d.]+) x ([\d.]+)", size).groups())  # type: ignore[union-attr]
    assert w > h and abs(w - 842) < 3 and abs(h - 595) < 3  # A4 landscape in points
    png = tmp_path / "halaman"
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf), str(png)],
                   check=True)
    assert png.with_suffix(".png").stat().st_size > 20_000  # charts and tables, not a blank page
