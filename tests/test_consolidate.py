"""Consolidation from models: the city roll-up equals what the core computes directly.

These tests build the per-file results from models (no files), so they check the aggregation
itself; tests/test_consolidate_files.py runs the same path through real workbooks.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sakip_xl.consolidation.engine import STATUS_DIBACA, FileResult
from sakip_xl.consolidation.opd import score_opd
from sakip_xl.consolidation.rekap import build_rekap
from sakip_xl.consolidation.sources import DaftarOPDError, OPDHarapan, read_daftar_opd
from sakip_xl.demo import generate_city
from sakip_xl.errors import NoData, ScoringError
from sakip_xl.issues import Severity
from sakip_xl.models import OPDWorkbook
from sakip_xl.policy import Policy
from sakip_xl.scoring import (
    capaian,
    capaian_tw,
    nilai_lke,
    rata_capaian,
    realisasi_anggaran,
    rollup_opd,
    serapan,
    share_at_or_above,
    ytd,
)

POLICY = Policy()


def results_from(models: list[OPDWorkbook], policy: Policy = POLICY, sampai_tw: int | None = None) -> list[FileResult]:
    out = []
    for i, wb in enumerate(models):
        name = f"opd_{i:03d}.xlsx"
        o = score_opd(wb, policy, sampai_tw, file=name)
        out.append(FileResult(index=i, path=f"/data/{name}", nama=name, sha256="0" * 64, ukuran=1,
                              status=STATUS_DIBACA, opd=o, issues=list(o.issues)))
    return out


def direct_capaian(wb: OPDWorkbook) -> list[float | None]:
    """The annual capaian of each indicator straight from the core functions."""
    out: list[float | None] = []
    for ind in wb.indikator:
        try:
            out.append(capaian(ind.target_value, ytd(ind.realisasi_tw, ind.tipe_agregasi), ind.polaritas))
        except ScoringError:
            out.append(None)
    return out


def direct_serapan(wb: OPDWorkbook) -> float:
    progs = [a for a in wb.anggaran if a.level == "Program"]
    return serapan(sum(a.pagu or 0 for a in progs), sum(realisasi_anggaran(a.realisasi_tw) for a in progs))


@pytest.fixture(scope="module")
def city() -> list[OPDWorkbook]:
    return generate_city(14, seed=11, kesalahan=False).opd


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)):
        return (a is None or math.isnan(a)) and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)


def test_each_opd_matches_the_core(city: list[OPDWorkbook]) -> None:
    rk = build_rekap(results_from(city), POLICY)
    assert len(rk.opd) == len(city)
    by_kode = {row["opd_kode"]: row for row in rk.opd.to_dict("records")}
    for wb in city:
        caps = direct_capaian(wb)
        ser = direct_serapan(wb)
        answers = wb.jawaban_evaluator() if any(wb.jawaban_evaluator().values()) else wb.jawaban_opd()
        lke = nilai_lke(answers, policy=POLICY)
        want = rollup_opd(caps, ser, lke, POLICY)
        got = by_kode[wb.profil.opd_kode]
        assert close(got["capaian_rata"], want.capaian_rata)
        assert close(got["capaian_rata_dibatasi"], want.capaian_rata_dibatasi)
        assert close(got["serapan"], ser)
        assert close(got["indeks_efisiensi"], want.indeks_efisiensi)
        assert close(got["nilai_lke"], want.nilai_lke)
        assert got["predikat"] == want.predikat
        assert close(got["poin_ke_predikat_berikut"], want.poin_ke_predikat_berikut)
        for label, n in want.jumlah_kategori.items():
            assert got[f"jumlah_{label}"] == n
        assert close(got["nilai_lke_opd"], nilai_lke(wb.jawaban_opd(), policy=POLICY).total)


def test_city_figures_match_the_core(city: list[OPDWorkbook]) -> None:
    rk = build_rekap(results_from(city), POLICY)
    rows = rk.opd.to_dict("records")
    k = rk.kota
    assert close(k["capaian_rata"], rata_capaian([r["capaian_rata"] for r in rows]))
    progs = [a for wb in city for a in wb.anggaran if a.level == "Program"]
    assert close(k["serapan"], serapan(sum(a.pagu or 0 for a in progs),
                                       sum(realisasi_anggaran(a.realisasi_tw) for a in progs)))
    assert sum(k["distribusi_predikat"].values()) + sum(k["distribusi_predikat_mandiri"].values()) == len(city)
    assert sum(k["distribusi_kategori"].values()) == k["n_indikator_dinilai"]
    assert k["n_indikator"] == sum(len(wb.indikator) for wb in city)
    # ranking: by nilai LKE, best first, evaluated OPDs only (decision A9); self-assessed ones follow unranked
    evaluated = [r for r in rows if r["status_nilai"] == "Dievaluasi"]
    assert 0 < len(evaluated) < len(rows) and rows[:len(evaluated)] == evaluated
    nilai = [r["nilai_lke"] for r in evaluated]
    assert nilai == sorted(nilai, reverse=True)
    assert [r["peringkat"] for r in evaluated] == list(range(1, len(evaluated) + 1))
    assert all(r["peringkat"] is None or math.isnan(r["peringkat"]) for r in rows[len(evaluated):])
    assert k["n_opd_dievaluasi"] == len(evaluated) and k["n_opd_belum_dievaluasi"] == len(rows) - len(evaluated)
    assert close(k["nilai_lke_rata"], sum(nilai) / len(nilai))
    assert close(k["persen_opd_target"], share_at_or_above([r["predikat"] for r in evaluated], "BB", POLICY))


def test_detail_rows_carry_the_rule_and_the_core_values(city: list[OPDWorkbook]) -> None:
    rk = build_rekap(results_from(city), POLICY)
    detail = rk.indikator
    assert len(detail) == sum(len(wb.indikator) for wb in city)
    for wb in city:
        rows = detail[detail["opd_kode"] == wb.profil.opd_kode].to_dict("records")
        for ind, row, want in zip(wb.indikator, rows, direct_capaian(wb), strict=True):
            assert row["kode"] == ind.kode
            assert close(row["capaian"], want)
            assert ind.polaritas in row["aturan"].lower() and row["berkas"].startswith("opd_")


def test_sampai_tw_uses_the_quarter_rule(city: list[OPDWorkbook]) -> None:
    rk = build_rekap(results_from(city, sampai_tw=2), POLICY, sampai_tw=2)
    assert rk.kota["sampai_tw"] == "TW II"
    rows = rk.indikator.to_dict("records")
    for wb in city:
        for ind in wb.indikator:
            row = next(r for r in rows if r["opd_kode"] == wb.profil.opd_kode and r["kode"] == ind.kode)
            try:
                want: float | None = capaian_tw(ind.target_tw, ind.realisasi_tw, 2, ind.tipe_agregasi,
                                                ind.polaritas, ind.target_value)
            except NoData:
                want = None
            assert close(row["capaian"], want)
            assert close(row["realisasi"], ytd(ind.realisasi_tw, ind.tipe_agregasi, 2))
    tw = rk.triwulan
    assert set(tw["tw"]) == {1, 2}


def test_scoring_error_is_an_issue_and_leaves_the_mean(city: list[OPDWorkbook]) -> None:
    wb = city[0].model_copy(deep=True)
    ind = next(i for i in wb.indikator if i.polaritas == "positif")
    ind.target = 0.0
    ind.lokasi = {"target": "PK!G7"}
    rk = build_rekap(results_from([wb]), POLICY)
    row = rk.indikator[rk.indikator["kode"] == ind.kode].iloc[0]
    assert row["kategori"] == "#TARGET0" and (row["capaian"] is None or math.isnan(row["capaian"]))
    # the code and severity `sakip-xl periksa` gives for the same cell (decision A9: one code everywhere)
    issue = next(i for i in rk.issues if i.code == "PK_TARGET_TIDAK_DAPAT_DINILAI")
    assert issue.severity is Severity.ERROR
    assert (issue.sheet, issue.cell, issue.file) == ("PK", "G7", "opd_000.xlsx")
    assert rk.opd.iloc[0]["n_dinilai"] == len(wb.indikator) - 1
    assert not rk.bersih


def test_duplicates_are_reported_never_merged(city: list[OPDWorkbook]) -> None:
    models = [city[0], city[1], city[1].model_copy(deep=True)]
    rk = build_rekap(results_from(models), POLICY)
    assert list(rk.opd["opd_kode"]) == [city[0].profil.opd_kode]
    dup = [i for i in rk.issues if i.code == "REKAP_DUPLIKAT"]
    assert sorted(i.file for i in dup) == ["opd_001.xlsx", "opd_002.xlsx"]
    assert "opd_002.xlsx" in next(i.message for i in dup if i.file == "opd_001.xlsx")
    assert list(rk.sumber["status_rekap"]).count("Duplikat: tidak dikonsolidasi") == 2
    assert rk.kota["n_duplikat"] == 2


def test_year_defaults_to_the_most_common_and_others_are_listed(city: list[OPDWorkbook]) -> None:
    old = city[2].model_copy(deep=True)
    old.profil.tahun = 2024
    old.profil.opd_kode = "X.99"
    rk = build_rekap(results_from([city[0], city[1], old]), POLICY)
    assert rk.tahun == 2025 and len(rk.opd) == 2
    assert any(i.code == "REKAP_TAHUN_LAIN" and i.file == "opd_002.xlsx" for i in rk.issues)
    rk24 = build_rekap(results_from([city[0], city[1], old]), POLICY, tahun=2024)
    assert list(rk24.opd["opd_kode"]) == ["X.99"]


def test_expected_list(city: list[OPDWorkbook], tmp_path: object) -> None:
    expected = [OPDHarapan(wb.profil.opd_kode, wb.profil.opd_nama) for wb in city[:3]]
    expected.append(OPDHarapan("9.99", "Badan Fiktif"))
    rk = build_rekap(results_from(city[:2] + [city[5]]), POLICY, expected=expected)
    k = rk.kota
    assert (k["n_diharapkan"], k["n_diterima"]) == (4, 2)
    assert [kode for kode, _ in k["opd_belum"]] == [city[2].profil.opd_kode, "9.99"]
    assert [kode for kode, _ in k["opd_tidak_terdaftar"]] == [city[5].profil.opd_kode]
    codes = {i.code for i in rk.issues}
    assert {"REKAP_OPD_BELUM_ADA", "REKAP_OPD_TIDAK_TERDAFTAR"} <= codes
    assert rk.bersih  # missing or unlisted OPDs are warnings, not errors
    assert "belum: " in rk.ringkasan_teks()


def test_read_daftar_opd_formats(tmp_path: object) -> None:
    from pathlib import Path

    import xlsxwriter

    base = Path(str(tmp_path))
    (base / "a.csv").write_text("kode;nama\n1.01;Dinas Pendidikan\n1.02;Dinas Kesehatan\n", "utf-8")
    (base / "b.txt").write_text("# daftar\n1.01 - Dinas Pendidikan\n1.02\tDinas Kesehatan\n\n", "utf-8")
    wb = xlsxwriter.Workbook(str(base / "c.xlsx"))
    ws = wb.add_worksheet()
    for r, row in enumerate([("Kode OPD", "Nama OPD"), ("1.01", "Dinas Pendidikan"), ("1.02", "Dinas Kesehatan")]):
        ws.write_string(r, 0, row[0])
        ws.write_string(r, 1, row[1])
    wb.close()
    want = [OPDHarapan("1.01", "Dinas Pendidikan"), OPDHarapan("1.02", "Dinas Kesehatan")]
    for name in ("a.csv", "b.txt", "c.xlsx"):
        assert read_daftar_opd(base / name) == want, name
    (base / "dup.csv").write_text("1.01,A\n1.01,B\n", "utf-8")
    with pytest.raises(DaftarOPDError, match="dua kali"):
        read_daftar_opd(base / "dup.csv")
    (base / "empty.txt").write_text("\n", "utf-8")
    with pytest.raises(DaftarOPDError, match="kosong"):
        read_daftar_opd(base / "empty.txt")


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(8, 16), shuffle=st.integers(0, 10_000))
def test_summary_does_not_depend_on_file_order(seed: int, n: int, shuffle: int) -> None:
    models = generate_city(n, seed=seed, kesalahan=False).opd
    a = build_rekap(results_from(models), POLICY)
    mixed = models[:]
    random.Random(shuffle).shuffle(mixed)
    b = build_rekap(results_from(mixed), POLICY)
    cols = [c for c in a.opd.columns if c != "berkas"]
    assert a.opd[cols].equals(b.opd[cols])
    assert a.kota == b.kota
    assert 0 <= a.kota["persen_opd_target"] <= 100
    assert a.kota["n_opd_target"] <= a.kota["n_opd_berpredikat"] == a.kota["n_opd_dievaluasi"]
    assert a.kota["n_opd_dievaluasi"] + a.kota["n_opd_belum_dievaluasi"] == n


def test_progress_bar_and_plain_lines() -> None:
    import io

    from sakip_xl.consolidation.progress import ProgressBar, ProgressLines, make_progress

    tty = io.StringIO()
    bar = make_progress(tty, True)
    assert isinstance(bar, ProgressBar)
    for done in (3, 7, 10):
        bar(done, 10, f"opd/berkas_{done}.xlsx")
    text = tty.getvalue()
    assert text.count("\r") >= 3 and "3/10" in text and "berkas_7.xlsx" in text
    assert text.endswith("\n") and "10/10 selesai dalam" in text

    log = io.StringIO()
    lines = make_progress(log, False)
    assert isinstance(lines, ProgressLines)
    for done in range(1, 101):
        lines(done, 100, "x")
    out = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and out[-1] == "Membaca workbook: 100/100" and len(out) <= 12


def test_batches_and_inline_executor() -> None:
    from sakip_xl.consolidation.executors import (
        InlineExecutor,
        batch_size,
        local_executor,
        worker_count,
    )

    assert batch_size(40, 2) == 5 and batch_size(5000, 2) == 64 and batch_size(3, 8) == 1
    ex = local_executor(1)
    assert isinstance(ex, InlineExecutor) and worker_count(ex) == 1
    fut = ex.submit(divmod, 7, 2)
    assert fut.result() == (3, 1)
    bad = ex.submit(divmod, 1, 0)
    assert isinstance(bad.exception(), ZeroDivisionError)
    ex.shutdown()
    with pytest.raises(RuntimeError):
        ex.submit(divmod, 1, 1)
