"""The rule checks over models (no files): each rule, its code, its cell, and its edges."""

from __future__ import annotations

import datetime as dt

import pytest

from sakip_xl.excel.validate import validate
from sakip_xl.issues import Issue, Severity
from sakip_xl.models import (
    AnggaranLine,
    Indikator,
    LKEJawaban,
    OPDWorkbook,
    Profil,
    Rentang,
    TindakLanjut,
)
from sakip_xl.policy import Policy

TODAY = dt.date(2025, 7, 1)
PROFIL = Profil(opd_kode="1", opd_nama="Dinas", tahun=2025, kepala_nama="A")


def run(wb: OPDWorkbook, policy: Policy | None = None) -> list[Issue]:
    return validate(wb, policy, today=TODAY)


def codes(issues: list[Issue]) -> list[tuple[str, str | None]]:
    return sorted(((i.code, f"{i.sheet}!{i.cell}" if i.cell else None) for i in issues), key=str)


def ind(**kw: object) -> Indikator:
    base: dict[str, object] = {"kode": "IK1", "nama": "Indikator", "polaritas": "positif", "tipe_agregasi": "akhir",
                               "target": 100.0, "lokasi": {"target": "PK!G5", "kode": "PK!A5",
                                                           **{f"target_tw.{i}": f"RA!{'GHIJ'[i]}5" for i in range(4)},
                                                           **{f"realisasi_tw.{i}": f"RA!{'KLMN'[i]}5" for i in range(4)}}}
    base.update(kw)
    return Indikator.model_validate(base)


def test_clean_model_has_no_issues() -> None:
    assert run(OPDWorkbook(profil=PROFIL, indikator=[ind(target_tw=[100, 100, 100, 100],
                                                         realisasi_tw=[90, 95, 97, 99])])) == []


def test_mid_year_indicator_in_a_full_year_check_is_labelled_and_warned() -> None:
    # decision A9 "mid-year": TW I-II filled is never silently scored as the year
    got = run(OPDWorkbook(profil=PROFIL, indikator=[ind(target_tw=[100, 100, 100, 100], realisasi_tw=[90, 95])]))
    assert [(i.code, i.severity, i.cell) for i in got] == [("CAPAIAN_BELUM_SETAHUN", Severity.WARNING, "A5")]
    assert "s.d. TW II" in got[0].message


def test_profil_required_and_year() -> None:
    wb = OPDWorkbook(profil=Profil(tahun=1990))
    got = codes(validate(wb, today=TODAY, cells={"profil.tahun": "Profil!B6", "profil.opd_kode": "Profil!B4"}))
    assert ("TAHUN_TIDAK_WAJAR", "Profil!B6") in got
    assert ("PROFIL_WAJIB", "Profil!B4") in got
    assert sum(1 for c, _ in got if c == "PROFIL_WAJIB") == 3  # kode, nama, kepala (tahun is filled)
    assert codes(run(OPDWorkbook(profil=PROFIL.model_copy(update={"tahun": 2026})))) == []
    assert [c for c, _ in codes(run(OPDWorkbook(profil=PROFIL.model_copy(update={"tahun": 2027}))))] == ["TAHUN_TIDAK_WAJAR"]


@pytest.mark.parametrize(("target", "polaritas", "code"), [
    (0.0, "positif", "PK_TARGET_TIDAK_DAPAT_DINILAI"),
    (-5.0, "negatif", "PK_TARGET_TIDAK_DAPAT_DINILAI"),
    (None, "positif", "PK_TARGET_KOSONG"),
    (0.0, "negatif", None),  # negatif with target 0 is scored (R = 0 -> 100)
    (Rentang(bawah=0, atas=2), "stabil", None),
])
def test_target_rule(target: object, polaritas: str, code: str | None) -> None:
    got = codes(run(OPDWorkbook(profil=PROFIL, indikator=[ind(target=target, polaritas=polaritas)])))
    assert got == ([(code, "PK!G5")] if code else [])


def test_duplicate_kode_in_models() -> None:
    got = codes(run(OPDWorkbook(profil=PROFIL, indikator=[ind(), ind(kode="ik1 ", nama="Lain")])))
    assert got == [("PK_KODE_GANDA", "PK!A5")]


@pytest.mark.parametrize(("tipe", "tw", "ok"), [
    ("kumulatif", [33.33, 33.33, 33.34, 0], True),  # sums to 100
    ("kumulatif", [33.3, 33.3, 33.3, 0], True),  # 99.9: inside 0.5 %
    ("kumulatif", [30, 30, 30, 0], False),
    ("akhir", [10, 50, 80, 100], True),
    ("akhir", [10, 50, 80, 99], False),
    ("rata-rata", [90, 100, 100, 110], True),
    ("rata-rata", [100, 100, 100, 120], False),
    ("akhir", [10, None, 80, 100], True),  # not all filled: not compared (TW_LONCAT instead)
])
def test_quarterly_targets_against_annual(tipe: str, tw: list[float | None], ok: bool) -> None:
    got = [c for c, _ in codes(run(OPDWorkbook(profil=PROFIL, indikator=[ind(tipe_agregasi=tipe, target_tw=tw)])))]
    assert ("RA_TARGET_TW_TIDAK_SESUAI" not in got) is ok


def test_running_totals_typed_for_kumulatif_get_a_specific_hint() -> None:
    issues = run(OPDWorkbook(profil=PROFIL, indikator=[ind(tipe_agregasi="kumulatif", target_tw=[25, 50, 75, 100])]))
    assert [i.code for i in issues] == ["RA_TARGET_TW_TIDAK_SESUAI"]
    assert "s.d. triwulan" in (issues[0].hint or "") and issues[0].cell == "J5"


def test_range_target_quarters() -> None:
    i = ind(polaritas="stabil", tipe_agregasi="rata-rata", target=Rentang(bawah=2, atas=4), target_tw=[3, 3, 3, 3])
    assert run(OPDWorkbook(profil=PROFIL, indikator=[i])) == []
    i = ind(polaritas="stabil", tipe_agregasi="rata-rata", target=Rentang(bawah=2, atas=4), target_tw=[5, 5, 5, 5])
    assert [x.code for x in run(OPDWorkbook(profil=PROFIL, indikator=[i]))] == ["RA_TARGET_TW_TIDAK_SESUAI"]


def test_quarter_order_and_kumulatif_sign() -> None:
    got = codes(run(OPDWorkbook(profil=PROFIL, indikator=[
        ind(tipe_agregasi="kumulatif", target=None, realisasi_tw=[None, 5, -1, None])])))
    assert got == [("PK_TARGET_KOSONG", "PK!G5"), ("RA_KUMULATIF_NEGATIF", "RA!M5"), ("RA_TW_LONCAT", "RA!L5")]
    # a negative value is fine for other types (a growth rate may fall below zero)
    assert run(OPDWorkbook(profil=PROFIL, indikator=[ind(realisasi_tw=[-2, -1, -1, -1])])) == []


def _ag(kode: str, level: str, induk: str | None, pagu: float | None, real: list[float | None]) -> AnggaranLine:
    return AnggaranLine(kode=kode, level=level, induk=induk, pagu=pagu, realisasi_tw=real,  # type: ignore[arg-type]
                        lokasi={"pagu": f"AG!E{kode}", "induk": f"AG!D{kode}", "serapan": f"AG!J{kode}",
                                **{f"realisasi_tw.{i}": f"AG!{'FGHI'[i]}{kode}" for i in range(4)}})


def test_anggaran_hierarchy() -> None:
    lines = [
        _ag("1", "Program", None, 100, [10]),
        _ag("2", "Kegiatan", "1", 60, [10]),
        _ag("3", "Kegiatan", "1", 30, [10]),  # 60 + 30 != 100
        _ag("4", "Sub Kegiatan", "1", 60, [70]),  # parent must be a Kegiatan; above pagu
        _ag("5", "Sub Kegiatan", None, 5, [-1]),
        _ag("6", "Program", "1", 5, []),
    ]
    got = codes(run(OPDWorkbook(profil=PROFIL, anggaran=lines)))
    assert got == sorted([
        ("AGG_PAGU_TIDAK_SESUAI", "AG!E1"), ("AGG_INDUK_LEVEL", "AG!D4"), ("AGG_REALISASI_MELEBIHI_PAGU", "AG!J4"),
        ("AGG_INDUK_KOSONG", "AG!D5"), ("AGG_NEGATIF", "AG!F5"), ("AGG_INDUK_LEVEL", "AG!D6"),
    ])


def test_lke_answers_checked_for_opd_and_evaluator_separately() -> None:
    lke = [LKEJawaban(kode="1.a.2", jawaban_opd="T", jawaban_evaluator="Y", lokasi={"jawaban_opd": "LKE!G6"}),
           LKEJawaban(kode="1.a.3", jawaban_opd="Y", jawaban_evaluator="Y",
                      lokasi={"jawaban_opd": "LKE!G7", "jawaban_evaluator": "LKE!H7"}),
           LKEJawaban(kode="1.a.1", jawaban_opd="B", lokasi={"jawaban_opd": "LKE!G5"})]
    got = codes(run(OPDWorkbook(profil=PROFIL, lke=lke)))
    # the evaluator answered 2 of 79 criteria (Draf): the OPD's nilai is used, with a warning (decision A9)
    assert got == [("LKE_EVALUASI_BELUM_FINAL", None), ("LKE_JAWABAN_TIDAK_SAH", "LKE!G5"),
                   ("LKE_KERANGKA_LOGIS", "LKE!G7")]


def test_tindak_lanjut_deadline() -> None:
    tl = [TindakLanjut(no=1, batas_waktu=dt.date(2025, 6, 30), status="Proses", lokasi={"status": "TL!F5"}),
          TindakLanjut(no=2, batas_waktu=dt.date(2025, 6, 30), status="Selesai"),
          TindakLanjut(no=3, batas_waktu=TODAY, status="Belum")]
    issues = run(OPDWorkbook(profil=PROFIL, tindak_lanjut=tl))
    assert codes(issues) == [("TL_LEWAT_BATAS", "TL!F5")]
    assert issues[0].severity is Severity.WARNING


@pytest.mark.parametrize(("real", "flag"), [([95], True), ([94.9], False), ([100], True)])
def test_a4_flag_at_the_threshold(real: list[float], flag: bool) -> None:
    wb = OPDWorkbook(profil=PROFIL, indikator=[ind(realisasi_tw=[80, 80, 80, 80])],
                     anggaran=[AnggaranLine(kode="P", level="Program", pagu=100, realisasi_tw=real)])
    got = [i.code for i in validate(wb, today=TODAY, cells={"ringkasan.Serapan_Anggaran": "Ringkasan!D15"})]
    assert ("SERAPAN_TINGGI_CAPAIAN_RENDAH" in got) is flag
    assert [i.code for i in validate(wb, Policy(ambang_serapan_tinggi=99), today=TODAY)] == (
        ["SERAPAN_TINGGI_CAPAIAN_RENDAH"] if real == [100] else [])
