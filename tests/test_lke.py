"""A5: the evaluation sheet (LKE, PermenPAN-RB 88/2021) for Perangkat Daerah."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sakip_xl.errors import InvalidAnswer, NoData, PolicyError
from sakip_xl.policy import LKESettings, Policy
from sakip_xl.scoring.lke import (
    Kriteria,
    kerangka_logis,
    load_kriteria,
    nilai_jawaban,
    nilai_lke,
    nilai_lke_per_sub,
    nilai_sub_komponen,
    sub_komponen_list,
)


# --------------------------------------------------------------------------- the shipped list
def test_shipped_list_has_79_criteria_in_12_sub_components(kriteria_88: list[Kriteria]) -> None:
    assert len(kriteria_88) == 79
    subs = sub_komponen_list(kriteria_88)
    assert [s[0] for s in subs] == [f"{c}.{x}" for c in "1234" for x in "abc"]


def test_component_weights_and_the_20_30_50_split(kriteria_88: list[Kriteria]) -> None:
    komponen = {k.kode_komponen: (k.komponen, k.bobot_komponen) for k in kriteria_88}
    assert komponen == {
        "1": ("Perencanaan Kinerja", 30.0),
        "2": ("Pengukuran Kinerja", 30.0),
        "3": ("Pelaporan Kinerja", 15.0),
        "4": ("Evaluasi Akuntabilitas Kinerja Internal", 25.0),
    }
    for kode_sub, _komp, nama, bobot in sub_komponen_list(kriteria_88):
        share = {"a": 0.2, "b": 0.3, "c": 0.5}[kode_sub[-1]]
        assert bobot == pytest.approx(komponen[kode_sub[0]][1] * share)
        assert nama.split(":")[0] in {"Pemenuhan", "Kualitas", "Pemanfaatan"}


def test_answer_types_and_dependencies_are_well_formed(kriteria_88: list[Kriteria]) -> None:
    kodes = [k.kode for k in kriteria_88]
    subs = {k.kode_sub for k in kriteria_88}
    for k in kriteria_88:
        assert k.jenis_jawaban in {"Y/T", "A-E"}
        assert k.kriteria
        for dep in k.tergantung_pada:
            if dep.startswith("avg("):
                assert dep[4:-1] in subs and dep[4:-1] < k.kode_sub
            else:
                # kerangka logis points backwards: no cycles possible
                assert dep in kodes and kodes.index(dep) < kodes.index(k.kode)


# --------------------------------------------------------------------------- answer values
@pytest.mark.parametrize(
    ("jawaban", "jenis", "value"),
    [
        ("Y", "Y/T", 1.0), ("T", "Y/T", 0.0), ("y", "Y/T", 1.0), (" t ", "Y/T", 0.0),
        ("A", "A-E", 1.0), ("B", "A-E", 0.75), ("C", "A-E", 0.5), ("D", "A-E", 0.25),
        ("E", "A-E", 0.0), ("c", " A-E ", 0.5),
    ],
)
def test_nilai_jawaban(jawaban: str, jenis: str, value: float) -> None:
    assert nilai_jawaban(jawaban, jenis) == value


def test_answer_words_are_read_as_the_workbook_reads_them() -> None:
    # decision "one value for one cell": "ya"/"tidak" are Y/T answers in the workbook's formula too
    assert nilai_jawaban("ya", "Y/T") == 1.0 and nilai_jawaban(" Tidak ", "Y/T") == 0.0
    assert nilai_jawaban("YA", "Y/T") == 1.0


@pytest.mark.parametrize(
    ("jawaban", "jenis", "error"),
    [
        ("A", "Y/T", InvalidAnswer), ("Y", "A-E", InvalidAnswer), ("F", "A-E", InvalidAnswer),
        (1, "Y/T", InvalidAnswer), (True, "Y/T", InvalidAnswer), ("YA", "A-E", InvalidAnswer),
        ("A", "A-D", InvalidAnswer), (None, "Y/T", NoData), ("", "A-E", NoData), ("  ", "A-E", NoData),
    ],
)
def test_nilai_jawaban_errors(jawaban: Any, jenis: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        nilai_jawaban(jawaban, jenis)


def test_a_city_answer_scale_is_a_policy_setting() -> None:
    """Trenggalek's A-D (1, 0.66, 0.33, 0) beside the national scales."""
    p = Policy(nilai_jawaban={
        "Y/T": {"Y": 1.0, "T": 0.0},
        "A-E": {"A": 1.0, "B": 0.75, "C": 0.5, "D": 0.25, "E": 0.0},
        "A-D": {"A": 1.0, "B": 0.66, "C": 0.33, "D": 0.0},
    })
    assert nilai_jawaban("B", "A-D", p) == 0.66
    assert nilai_jawaban("b", "a-d", p) == 0.66  # compared as a worksheet does: case-insensitive
    lower = Policy(nilai_jawaban=p.nilai_jawaban | {"Skala": {"ya": 1.0, "tidak": 0.0}})
    assert nilai_jawaban("YA", "skala", lower) == 1.0


# --------------------------------------------------------------------------- nilai
def test_sub_component_is_mean_times_weight() -> None:
    assert nilai_sub_komponen([1.0, 1.0, 0.0, 1.0, None], 6) == pytest.approx(3.6)
    assert nilai_sub_komponen([1.0, 1.0, 0.0, 1.0, None], 6, kosong_bernilai_nol=False) == pytest.approx(4.5)
    assert nilai_sub_komponen([None, None], 6, kosong_bernilai_nol=False) == 0.0
    assert nilai_sub_komponen([], 6) == 0.0


def _all(kriteria: list[Kriteria], best: bool) -> dict[str, str]:
    pick = {"Y/T": ("Y", "T"), "A-E": ("A", "E")}
    return {k.kode: pick[k.jenis_jawaban][0 if best else 1] for k in kriteria}


def test_best_answers_give_100_and_worst_give_0(kriteria_88: list[Kriteria]) -> None:
    best = nilai_lke(_all(kriteria_88, True))
    assert best.total == pytest.approx(100.0)
    assert [k.nilai for k in best.komponen] == pytest.approx([30, 30, 15, 25])
    assert best.n_dijawab == best.n_kriteria == 79
    assert nilai_lke(_all(kriteria_88, False)).total == 0.0


def test_unanswered_criteria_count_zero_by_default(kriteria_88: list[Kriteria]) -> None:
    answers = {"1.a.1": "Y"}  # one of five criteria of 1.a (weight 6)
    nilai = nilai_lke(answers)
    assert nilai.total == pytest.approx(6 / 5)
    assert nilai.n_dijawab == 1
    assert nilai.sub_komponen[0].rata == pytest.approx(0.2)
    assert nilai_lke({}).total == 0.0


def test_unanswered_criteria_left_out_when_policy_says_so(kriteria_88: list[Kriteria]) -> None:
    p = Policy(lke={"kosong_bernilai_nol": False})
    assert nilai_lke({"1.a.1": "Y"}, policy=p).total == pytest.approx(6.0)
    assert nilai_lke({"1.a.1": "Y", "2.c.1": "C"}, policy=p).total == pytest.approx(6.0 + 7.5)


def test_worked_example_sub_component_1b(kriteria_88: list[Kriteria]) -> None:
    members = [k for k in kriteria_88 if k.kode_sub == "1.b"]
    answers = {}
    values = []
    for k, a in zip(members, "ABCDEABCDEA", strict=False):
        answers[k.kode] = a if k.jenis_jawaban == "A-E" else ("Y" if a in "AB" else "T")
        values.append(nilai_jawaban(answers[k.kode], k.jenis_jawaban))
    sub = next(s for s in nilai_lke(answers).sub_komponen if s.kode == "1.b")
    assert sub.nilai == pytest.approx(sum(values) / len(members) * 9)
    assert sub.n_kriteria == len(members) == 11


def test_invalid_answer_raises(kriteria_88: list[Kriteria]) -> None:
    with pytest.raises(InvalidAnswer, match="1.a.1|pilihan"):
        nilai_lke({"1.a.1": "B"})


def test_answers_for_unknown_codes_are_ignored() -> None:
    assert nilai_lke({"9.z.9": "Y"}).total == 0.0


_ANSWER = {"Y/T": st.sampled_from(["Y", "T", "y", None, ""]),
           "A-E": st.sampled_from(["A", "B", "C", "D", "E", "b", None])}


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    ks = load_kriteria(Policy())
    return {k.kode: draw(_ANSWER[k.jenis_jawaban]) for k in ks}


@settings(max_examples=60, deadline=None)
@given(answers=answer_sets(), kosong_nol=st.booleans())
def test_nilai_in_0_100_and_equal_to_sum_of_components(answers: dict[str, Any], kosong_nol: bool) -> None:
    p = Policy(lke={"kosong_bernilai_nol": kosong_nol})
    nilai = nilai_lke(answers, policy=p)
    assert 0.0 <= nilai.total <= 100.0 + 1e-9
    assert nilai.total == pytest.approx(sum(k.nilai for k in nilai.komponen), abs=1e-9)
    for komp in nilai.komponen:
        subs = [s for s in nilai.sub_komponen if s.kode.startswith(komp.kode + ".")]
        assert komp.nilai == pytest.approx(sum(s.nilai for s in subs), abs=1e-9)
        assert 0.0 <= komp.nilai <= komp.bobot + 1e-9
    for s in nilai.sub_komponen:
        assert s.nilai == pytest.approx(s.rata * s.bobot, abs=1e-9)
        assert s.ruang >= -1e-9


# --------------------------------------------------------------------------- per sub-component grading
def test_per_sub_component_grading() -> None:
    all_aa = nilai_lke_per_sub({f"{c}.{x}": "AA" for c in "1234" for x in "abc"})
    assert all_aa.total == pytest.approx(100.0)
    all_b = nilai_lke_per_sub({f"{c}.{x}": "b" for c in "1234" for x in "abc"})
    assert all_b.total == pytest.approx(70.0)
    one = nilai_lke_per_sub({"1.c": "A"})  # 90 % of 15
    assert one.total == pytest.approx(13.5)
    assert one.n_dijawab == 8
    with pytest.raises(InvalidAnswer, match="pilihan"):
        nilai_lke_per_sub({"1.a": "Z"})


@given(grades=st.dictionaries(st.sampled_from([f"{c}.{x}" for c in "1234" for x in "abc"]),
                              st.sampled_from(["AA", "A", "BB", "B", "CC", "C", "D", "E", "", None])))
def test_per_sub_nilai_in_0_100_and_sum_of_components(grades: dict[str, Any]) -> None:
    nilai = nilai_lke_per_sub(grades)
    assert 0.0 <= nilai.total <= 100.0 + 1e-9
    assert nilai.total == pytest.approx(sum(k.nilai for k in nilai.komponen), abs=1e-9)


# --------------------------------------------------------------------------- kerangka logis
def test_kerangka_logis_answer_may_not_exceed_its_reference() -> None:
    violations = kerangka_logis({"1.a.2": "T", "1.a.3": "Y"})
    assert [(v.kode, v.acuan, v.nilai, v.batas) for v in violations] == [("1.a.3", "1.a.2", 1.0, 0.0)]
    assert violations[0].message.startswith("Kerangka logis: nilai kriteria 1.a.3 (1) melebihi")


_TANPA_NOL = Policy(lke=LKESettings(kosong_bernilai_nol=False))


def test_kerangka_logis_against_a_sub_component_average() -> None:
    # blanks left out (kosong_bernilai_nol = False): the answered 1.b criteria (1.b.3 A-E, 1.b.9 A-E)
    # average 0.5; unanswered ones are left out
    answers = {"1.b.3": "B", "1.b.9": "D", "1.a.3": "Y", "1.c.1": "A"}
    v = [x for x in kerangka_logis(answers, policy=_TANPA_NOL) if x.kode == "1.c.1"]
    assert [(x.acuan, x.batas) for x in v] == [("avg(1.b)", 0.5)]
    assert "rata-rata sub komponen 1.b" in v[0].message
    # blanks score 0 (the default, decision A9): the mean includes the unanswered 1.b criteria as 0
    n_1b = sum(1 for k in load_kriteria() if k.kode_sub == "1.b")
    v = [x for x in kerangka_logis(answers) if x.kode == "1.c.1"]
    assert [(x.acuan, x.batas) for x in v] == [("avg(1.b)", 1.0 / n_1b)]


def test_kerangka_logis_skips_unanswered_and_invalid() -> None:
    # blanks left out: an unanswered or invalid prerequisite sets no limit
    assert kerangka_logis({"1.a.3": "Y"}, policy=_TANPA_NOL) == []  # 1.a.2 unanswered
    assert kerangka_logis({"1.a.2": "X", "1.a.3": "Y"}, policy=_TANPA_NOL) == []
    assert kerangka_logis({"1.a.2": "Y", "1.a.3": "Y"}) == []
    # blanks score 0 (default): a blank or invalid prerequisite counts 0, so Y above it is a violation
    for answers in ({"1.a.3": "Y"}, {"1.a.2": "X", "1.a.3": "Y"}):
        v = [(x.kode, x.acuan, x.batas) for x in kerangka_logis(answers)]
        assert ("1.a.3", "1.a.2", 0.0) in v
    # an unanswered criterion is not judged itself
    assert all(x.kode != "1.a.2" for x in kerangka_logis({"1.a.3": "Y"}))


def test_kerangka_logis_reports_the_whole_chain_at_once() -> None:
    # 1.a.3 depends on 1.a.2, which is blank; every dependent criterion answered above its
    # prerequisite is reported in one pass, not only the first
    ks = load_kriteria()
    answers = {k.kode: ("Y" if k.jenis_jawaban == "Y/T" else "A") for k in ks if k.tergantung_pada}
    v = kerangka_logis(answers)
    subs: dict[str, set[str]] = {}
    for k in ks:
        subs.setdefault(k.kode_sub, set()).add(k.kode)
    expected = {k.kode for k in ks if any(
        (kind == "kode" and ref not in answers) or (kind == "sub" and not subs[ref] <= set(answers))
        for _dep, kind, ref in k.acuan)}
    assert len(expected) > 5 and {x.kode for x in v} == expected


# --------------------------------------------------------------------------- a city's own variant
_HEADER = ["kode", "komponen", "bobot_komponen", "sub_komponen", "bobot_sub_komponen", "no",
           "kriteria", "jenis_jawaban", "penjelasan", "tergantung_pada"]


def _csv(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(_HEADER)
    w.writerows(rows)
    return buf.getvalue()


def _variant_rows() -> list[list[Any]]:
    """Two components, the second with a 4th sub-component (as Trenggalek's 'Capaian')."""
    return [
        ["1.a.1", "Perencanaan", 40, "Pemenuhan", 40, 1, "Ada Renstra", "Y/T", "", ""],
        ["2.a.1", "Evaluasi", 60, "Pemenuhan", 20, 1, "Ada evaluasi", "Y/T", "", ""],
        ["2.b.1", "Evaluasi", 60, "Kualitas", 20, 1, "Evaluasi bermutu", "A-E", "", "2.a.1"],
        ["2.d.1", "Evaluasi", 60, "Capaian", 20, 1, "Capaian kinerja", "A-E", "", "avg(2.b)"],
    ]


def test_city_variant_loads_and_scores(tmp_path: Path) -> None:
    path = tmp_path / "lke_kota.csv"
    path.write_text(_csv(_variant_rows()), encoding="utf-8")
    p = Policy(lke={"varian": str(path)})
    ks = load_kriteria(p)
    assert [k.kode for k in ks] == ["1.a.1", "2.a.1", "2.b.1", "2.d.1"]
    nilai = nilai_lke({"1.a.1": "Y", "2.a.1": "Y", "2.b.1": "B", "2.d.1": "C"}, policy=p)
    assert nilai.total == pytest.approx(40 + 20 + 15 + 10)
    assert [v.kode for v in kerangka_logis({"2.a.1": "T", "2.b.1": "A"}, policy=p)] == ["2.b.1"]


@pytest.mark.parametrize(
    ("mutate", "match"),
    [
        (lambda rows: rows + [rows[0]], "ganda"),
        (lambda rows: [r[:2] + ["tiga puluh"] + r[3:] if i == 0 else r for i, r in enumerate(rows)], "baris 2"),
        (lambda rows: [r[:9] + ["1.a"] if i == 0 else r for i, r in enumerate(rows)], "tergantung_pada"),
        (lambda rows: [r[:4] + [30] + r[5:] if i == 0 else r for i, r in enumerate(rows)], "bobot sub komponen 1"),
        (lambda rows: [r[:2] + [50] + r[3:] if i == 1 else r for i, r in enumerate(rows)], "bobot kriteria 2.b.1"),
        (lambda rows: rows[1:], "bukan 100"),
    ],
)
def test_bad_city_variant_is_a_policy_error(tmp_path: Path, mutate: Any, match: str) -> None:
    path = tmp_path / "lke_rusak.csv"
    path.write_text(_csv(mutate(_variant_rows())), encoding="utf-8")
    with pytest.raises(PolicyError, match=match):
        load_kriteria(Policy(lke={"varian": str(path)}))


def test_missing_column_is_a_policy_error(tmp_path: Path) -> None:
    path = tmp_path / "lke_kolom.csv"
    path.write_text("kode,komponen\n1.a.1,Perencanaan\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="lke_kolom.csv baris 2"):
        load_kriteria(Policy(lke={"varian": str(path)}))


def test_unreadable_variant_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as info:
        load_kriteria(Policy(lke={"varian": str(tmp_path / "tidak_ada.csv")}))
    assert info.value.key == "lke.varian"
