"""The one OPD roll-up (sakip_xl.scoring.ringkasan): the decisions of issue 10 / domain A9, on models.

The workbook side of the same rules (native formulas recalculated by LibreOffice) is proven equal in
test_ringkasan_libreoffice.py; here each decision is pinned on the model, and the consumers (the
validator, the consolidator) are shown to take their numbers from it.
"""

from __future__ import annotations

import pickle

import pytest
from pydantic import ValidationError

from sakip_xl.consolidation.opd import score_opd
from sakip_xl.excel.validate import validate
from sakip_xl.models import AnggaranLine, Indikator, LKEJawaban, OPDWorkbook, Profil
from sakip_xl.policy import LKESettings, Policy
from sakip_xl.scoring import ringkasan
from sakip_xl.scoring.lke import _ANSWER_TABLES, load_kriteria, nilai_jawaban

KS = load_kriteria()


def _full_self_assessment() -> list[LKEJawaban]:
    return [LKEJawaban(kode=k.kode, jawaban_opd="Y" if k.jenis_jawaban == "Y/T" else "A") for k in KS]


def _codes(rk: object) -> list[str]:
    return [m.code for m in rk.masalah]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- the model
def test_the_model_is_frozen_all_the_way_down() -> None:
    rk = ringkasan(OPDWorkbook(indikator=[Indikator(kode="A", nama="a", target=100, realisasi_tw=[90])]))
    with pytest.raises(ValidationError):
        rk.capaian_rata = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        rk.jumlah_kategori["Tinggi"] = 9  # type: ignore[index]
    with pytest.raises(TypeError):
        rk.sel["Capaian_Rata"] = 1.0  # type: ignore[index]
    assert pickle.loads(pickle.dumps(rk)) == rk  # travels back from the worker processes


def test_the_consolidator_takes_every_number_from_the_model() -> None:
    wb = OPDWorkbook(
        profil=Profil(opd_kode="1", opd_nama="Dinas"),
        indikator=[Indikator(kode="A", nama="a", target=100, realisasi_tw=[90, 95, 97, 99]),
                   Indikator(kode="B", nama="b", polaritas="negatif", target=5, realisasi_tw=[6, 6, 6, 6])],
        anggaran=[AnggaranLine(kode="K", level="Kegiatan", pagu=1000, realisasi_tw=[200, 200, 200, 300])],
        lke=_full_self_assessment())
    rk = ringkasan(wb)
    got = score_opd(wb, ringkasan_tahunan=rk, checked=True)
    assert got.ringkasan is rk
    r = got.ringkas
    assert (r["capaian_rata"], r["capaian_rata_dibatasi"], r["serapan"], r["indeks_efisiensi"]) == (
        rk.capaian_rata, rk.capaian_rata_dibatasi, rk.serapan, rk.indeks_efisiensi)
    assert (r["nilai_lke"], r["predikat"], r["sumber_nilai"]) == (rk.nilai_lke, rk.predikat, rk.sumber_nilai)
    assert [row["capaian"] for row in got.indikator] == [i.capaian for i in rk.indikator]


# --------------------------------------------------------------------------- 1. evaluator vs self-assessment
def test_one_evaluator_answer_does_not_replace_a_complete_self_assessment() -> None:
    lke = _full_self_assessment()
    lke[0] = lke[0].model_copy(update={"jawaban_evaluator": "T"})
    rk = ringkasan(OPDWorkbook(lke=lke))
    assert rk.nilai_lke == pytest.approx(100.0) and rk.predikat == "AA" and rk.sumber_nilai == "Mandiri (OPD)"
    assert not rk.dievaluasi
    assert rk.lke_evaluator.n_dijawab == 1 and not rk.lke_evaluator.lengkap
    assert rk.lke_evaluator.nilai is not None and rk.lke_evaluator.nilai < 5  # kept beside, not used
    warn = [m for m in rk.masalah if m.code == "LKE_EVALUASI_BELUM_FINAL"]
    assert len(warn) == 1 and "1 dari 79" in warn[0].message


def test_final_status_or_a_complete_column_makes_the_evaluator_count() -> None:
    lke = _full_self_assessment()
    lke[0] = lke[0].model_copy(update={"jawaban_evaluator": "T"})
    final = ringkasan(OPDWorkbook(lke=lke, profil=Profil(status_evaluasi="Final")))
    assert final.sumber_nilai == "Evaluator" and final.dievaluasi
    assert final.nilai_lke == final.lke_evaluator.nilai
    complete = [j.model_copy(update={"jawaban_evaluator": j.jawaban_opd}) for j in _full_self_assessment()]
    rk = ringkasan(OPDWorkbook(lke=complete))
    assert rk.sumber_nilai == "Evaluator" and rk.lke_evaluator.lengkap and "LKE_EVALUASI_BELUM_FINAL" not in _codes(rk)


# --------------------------------------------------------------------------- 2 and 3. mid-year, unreported quarters
def test_mid_year_kumulatif_indicator_has_its_capaian_to_date_and_is_labelled() -> None:
    ind = Indikator(kode="K", nama="k", polaritas="positif", tipe_agregasi="kumulatif", target=120,
                    target_tw=[30, 30, 30, 30], realisasi_tw=[30, 30, None, None])
    rk = ringkasan(OPDWorkbook(indikator=[ind]))
    r = rk.indikator[0]
    assert r.capaian == 50.0 and r.tw_terakhir == 2 and r.target_sd_tw == 60 and r.capaian_sd_tw == 100.0
    assert r.capaian_tw == (100.0, 100.0, None, None)  # nothing carried forward to TW III / IV
    m = [m for m in rk.masalah if m.code == "CAPAIAN_BELUM_SETAHUN"]
    assert len(m) == 1 and "s.d. TW II" in m[0].message
    # a run to TW II scores the capaian to date, with no warning
    tw2 = ringkasan(OPDWorkbook(indikator=[ind]), sampai_tw=2)
    assert tw2.indikator[0].dinilai == 100.0 and "CAPAIAN_BELUM_SETAHUN" not in _codes(tw2)
    assert [t.n_dinilai for t in ringkasan(OPDWorkbook(indikator=[ind])).triwulan] == [1, 1, 0, 0]


# --------------------------------------------------------------------------- 5. predikat on the published number
@pytest.mark.parametrize(("nilai", "shown", "predikat"), [(70.004, 70.0, "B"), (70.005, 70.01, "BB"),
                                                          (69.996, 70.0, "B"), (80.0049, 80.0, "BB")])
def test_predikat_is_decided_on_the_rounded_nilai(nilai: float, shown: float, predikat: str) -> None:
    from sakip_xl.scoring.kategori import nilai_terbit
    from sakip_xl.scoring.kategori import predikat as pred

    assert nilai_terbit(nilai) == shown and pred(nilai) == predikat == pred(shown)


# --------------------------------------------------------------------------- 6. implausible values
def test_implausible_values_are_warned_about() -> None:
    inds = [Indikator(kode="N0", nama="n", polaritas="negatif", target=0, realisasi_tw=[None, None, None, 3]),
            Indikator(kode="BIG", nama="b", target=0.6, realisasi_tw=[None, None, None, 58]),
            Indikator(kode="NEG", nama="g", polaritas="negatif", target=5, realisasi_tw=[None, None, None, -1])]
    rk = ringkasan(OPDWorkbook(indikator=inds))
    # a negative realisation on a negatif indicator is always above 200 % too: (2T - R) / T > 2
    assert sorted(_codes(rk)) == ["CAPAIAN_TARGET_NOL", "CAPAIAN_TIDAK_WAJAR", "CAPAIAN_TIDAK_WAJAR",
                                  "REALISASI_NEGATIF"]
    assert rk.indikator[0].capaian == 0.0


# --------------------------------------------------------------------------- 7 and 8. budget
def test_zero_pagu_is_not_applicable_unless_money_was_spent() -> None:
    lines = [AnggaranLine(kode="P", level="Program", pagu=1000, realisasi_tw=[500]),
             AnggaranLine(kode="K0", level="Kegiatan", induk="P", pagu=0, realisasi_tw=[0]),
             AnggaranLine(kode="K1", level="Kegiatan", induk="P", pagu=0, realisasi_tw=[5], lokasi={"pagu": "Anggaran!E7"})]
    rk = ringkasan(OPDWorkbook(anggaran=lines))
    assert [(a.serapan, a.teks) for a in rk.anggaran] == [(50.0, ""), (None, ""), (None, "#PAGU0")]
    assert [(m.code, m.lokasi) for m in rk.masalah] == [("AGG_PAGU_NOL", "Anggaran!E7")]
    # periksa and the consolidator give the same code and severity
    wb = OPDWorkbook(anggaran=lines)
    a = {(i.code, i.severity, i.cell) for i in validate(wb) if i.code == "AGG_PAGU_NOL"}
    b = {(i.code, i.severity, i.cell) for i in score_opd(wb).issues if i.code == "AGG_PAGU_NOL"}
    assert a == b and len(a) == 1


def test_the_opd_serapan_counts_one_budget_level() -> None:
    kegiatan = [AnggaranLine(kode="K1", level="Kegiatan", pagu=600, realisasi_tw=[300, 240]),
                AnggaranLine(kode="K2", level="Kegiatan", pagu=400, realisasi_tw=[100, 260])]
    rk = ringkasan(OPDWorkbook(anggaran=kegiatan))
    assert (rk.level_anggaran, rk.pagu, rk.serapan) == ("Kegiatan", 1000.0, 90.0)
    with_program = [AnggaranLine(kode="P", level="Program", pagu=2000, realisasi_tw=[1000]), *kegiatan]
    rk = ringkasan(OPDWorkbook(anggaran=with_program))
    assert (rk.level_anggaran, rk.pagu, rk.serapan) == ("Program", 2000.0, 50.0)


# --------------------------------------------------------------------------- 4. kerangka logis
def test_kerangka_logis_with_a_blank_prerequisite_on_both_sides() -> None:
    lke = [LKEJawaban(kode="1.a.3", jawaban_opd="Y", jawaban_evaluator="Y")]
    rk = ringkasan(OPDWorkbook(lke=lke))
    assert [(v.kode, v.acuan, v.batas) for v in rk.lke_opd.kerangka_logis] == [("1.a.3", "1.a.2", 0.0)]
    assert [v.kode for v in rk.lke_evaluator.kerangka_logis] == ["1.a.3"]
    loose = ringkasan(OPDWorkbook(lke=lke), Policy(lke=LKESettings(kosong_bernilai_nol=False)))
    assert loose.lke_opd.kerangka_logis == ()


# --------------------------------------------------------------------------- one value for one cell
def test_answer_words_count_in_the_workbook_and_the_summary_alike() -> None:
    lke = [j.model_copy(update={"jawaban_opd": "ya" if j.jawaban_opd == "Y" else j.jawaban_opd})
           for j in _full_self_assessment()]
    rk = ringkasan(OPDWorkbook(lke=lke))
    assert rk.lke_opd.nilai == pytest.approx(100.0) and rk.sel["Predikat"] == "AA"


def test_an_invalid_answer_leaves_the_column_without_nilai_as_the_workbook_does() -> None:
    lke = _full_self_assessment()
    lke[0] = lke[0].model_copy(update={"jawaban_opd": "X"})
    rk = ringkasan(OPDWorkbook(lke=lke))
    assert rk.lke_opd.nilai is None and rk.lke_opd.teks == "#JAWABAN?" and rk.nilai_lke is None


# --------------------------------------------------------------------------- Policy immutable for real
def test_policy_nested_tables_cannot_change_and_caches_are_keyed_by_value() -> None:
    p = Policy()
    with pytest.raises(TypeError):
        p.nilai_jawaban["Y/T"]["Y"] = 0.5  # type: ignore[index]
    with pytest.raises(TypeError):
        p.lke.nilai_predikat_sub["AA"] = 1.0  # type: ignore[index]
    with pytest.raises(AttributeError):
        p.kategori.append(p.kategori[0])  # type: ignore[attr-defined]
    assert hash(p) == hash(Policy()) and p == Policy()
    # a cache keyed by value: an equal policy built elsewhere finds the same table
    nilai_jawaban("Y", "Y/T", p)
    assert p.nilai_jawaban in _ANSWER_TABLES and Policy().nilai_jawaban in _ANSWER_TABLES
    other = Policy(nilai_jawaban={"Y/T": {"Y": 0.5, "T": 0.0}, "A-E": {"A": 1, "B": 0.75, "C": 0.5, "D": 0.25, "E": 0}})
    assert nilai_jawaban("Y", "Y/T", other) == 0.5 and nilai_jawaban("Y", "Y/T", p) == 1.0
    assert pickle.loads(pickle.dumps(p)) == p
