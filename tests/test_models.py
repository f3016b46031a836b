"""Pydantic models of one OPD's SAKIP year, and build() errors naming the field."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sakip_xl
from sakip_xl.errors import InvalidInput, ModelError, SakipError
from sakip_xl.models import (
    AnggaranLine,
    Indikator,
    LKEJawaban,
    OPDWorkbook,
    Profil,
    Rentang,
    TindakLanjut,
    build,
)
from sakip_xl.scoring.triwulan import capaian_tw


# --------------------------------------------------------------------------- Rentang
def test_rentang() -> None:
    r = Rentang(bawah=2, atas=4)
    assert r.as_tuple() == (2.0, 4.0)
    assert str(r) == "2–4"
    assert str(Rentang(bawah=80, atas=92.5)) == "80–92.5"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"bawah": 4, "atas": 2}, ""),
        ({"bawah": 4, "atas": 4}, ""),
        ({"bawah": -1, "atas": 4}, "bawah"),
        ({"bawah": 1, "atas": float("inf")}, "atas"),
        ({"bawah": float("nan"), "atas": 4}, "bawah"),
        ({"bawah": 1}, "atas"),
    ],
)
def test_rentang_errors_name_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ModelError) as info:
        build(Rentang, data)
    assert info.value.field == field
    assert str(info.value).startswith(f"Rentang.{field}")


def test_rentang_order_message_is_indonesian() -> None:
    with pytest.raises(ModelError, match=r"batas bawah \(4\) harus lebih kecil dari batas atas \(2\)"):
        build(Rentang, {"bawah": 4, "atas": 2})


# --------------------------------------------------------------------------- Indikator
def test_indikator_defaults_and_quarters_padding() -> None:
    ind = Indikator(kode="IKU-1", nama="Indeks Kepuasan Masyarakat", target=80,
                    realisasi_tw=[70, 75])
    assert ind.polaritas == "positif" and ind.tipe_agregasi == "akhir"
    assert ind.realisasi_tw == [70, 75, None, None]
    assert ind.target_tw == [None] * 4
    assert ind.target_value == 80
    assert Indikator(kode="x", nama="y", target_tw=None).target_tw == [None] * 4


def test_indikator_range_target_from_a_pair() -> None:
    ind = Indikator(kode="IKU-2", nama="Inflasi", polaritas="stabil", target=(2, 4))
    assert isinstance(ind.target, Rentang)
    assert ind.target_value == (2.0, 4.0)
    assert sakip_xl.capaian(ind.target_value, 5, ind.polaritas) == 75.0
    assert Indikator(kode="k", nama="n", target=[80, 90]).target_value == (80.0, 90.0)


def test_indikator_feeds_the_quarter_rules() -> None:
    ind = Indikator(kode="IKU-3", nama="Dokumen", tipe_agregasi="kumulatif",
                    target_tw=[5, 5, 5, 5], realisasi_tw=[4, 6, None, None], target=20)
    assert capaian_tw(ind.target_tw, ind.realisasi_tw, 2, ind.tipe_agregasi, ind.polaritas,
                      ind.target_value) == 100.0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kode": "", "nama": "n"}, "kode"),
        ({"kode": "k", "nama": ""}, "nama"),
        ({"nama": "n"}, "kode"),
        ({"kode": "k", "nama": "n", "polaritas": "naik"}, "polaritas"),
        ({"kode": "k", "nama": "n", "tipe_agregasi": "total"}, "tipe_agregasi"),
        ({"kode": "k", "nama": "n", "realisasi_tw": [1, 2, 3, 4, 5]}, "realisasi_tw"),
        ({"kode": "k", "nama": "n", "realisasi_tw": 5}, "realisasi_tw"),  # a number, not four quarters
        ({"kode": "k", "nama": "n", "target_tw": "1234"}, "target_tw"),
        ({"kode": "k", "nama": "n", "target_tw": [1, "dua"]}, "target_tw.1"),
        ({"kode": "k", "nama": "n", "target": (5, 2)}, "target"),
        ({"kode": "k", "nama": "n", "target": "delapan"}, "target"),
        ({"kode": "k", "nama": "n", "warna": "merah"}, "warna"),  # extra keys are refused
    ],
)
def test_indikator_errors_name_the_field(data: dict[str, Any], field: str) -> None:
    with pytest.raises(ModelError) as info:
        build(Indikator, data)
    assert info.value.field is not None
    assert info.value.field.startswith(field)
    assert isinstance(info.value, SakipError) and isinstance(info.value, ValueError)


def test_union_target_error_names_the_field_and_the_real_problem() -> None:
    with pytest.raises(ModelError) as info:
        build(Indikator, {"kode": "k", "nama": "n", "target": (5, 2)})
    assert info.value.field == "target"
    assert str(info.value) == "Indikator.target: batas bawah (5) harus lebih kecil dari batas atas (2)"
    with pytest.raises(ModelError) as info:
        build(Indikator, {"kode": "k", "nama": "n", "target_tw": [1, "x", 3, "y"]})
    assert info.value.field == "target_tw.1"  # list positions are kept


def test_assignment_is_validated() -> None:
    ind = Indikator(kode="k", nama="n")
    with pytest.raises(ValueError):
        ind.polaritas = "naik"  # type: ignore[assignment]


def test_nan_target_passes_the_model_and_is_refused_by_scoring() -> None:
    """The model stores what the reader found; scoring decides (InvalidInput, cell #INPUT?)."""
    ind = Indikator(kode="k", nama="n", target=float("nan"))
    assert ind.target_value is not None and math.isnan(ind.target_value)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        sakip_xl.capaian(ind.target_value, 5)


# --------------------------------------------------------------------------- the other models
def test_anggaran_line() -> None:
    line = AnggaranLine(kode="1.01", level="Program", pagu=1e9, realisasi_tw=[1e8])
    assert line.realisasi_tw == [1e8, None, None, None]
    with pytest.raises(ModelError) as info:
        build(AnggaranLine, {"kode": "1.01", "level": "Urusan"})
    assert info.value.field == "level"
    with pytest.raises(ModelError) as info:
        build(AnggaranLine, {"kode": "1.01", "level": "Kegiatan", "pagu": float("inf")})
    assert info.value.field == "pagu"


def test_tindak_lanjut_and_profil() -> None:
    tl = TindakLanjut(no=1, batas_waktu="2025-06-30", status="Proses")
    assert tl.batas_waktu == dt.date(2025, 6, 30)
    with pytest.raises(ModelError) as info:
        build(TindakLanjut, {"no": 1, "status": "Batal"})
    assert info.value.field == "status"
    assert Profil().jenis_pk == "Murni"
    with pytest.raises(ModelError):
        build(Profil, {"jenis_pk": "Revisi"})


def test_opd_workbook_answer_maps() -> None:
    wb = OPDWorkbook(lke=[
        LKEJawaban(kode="1.a.1", jawaban_opd="Y", jawaban_evaluator="T"),
        LKEJawaban(kode="1.a.2", jawaban_opd="Y"),
    ])
    assert wb.jawaban_opd() == {"1.a.1": "Y", "1.a.2": "Y"}
    assert wb.jawaban_evaluator() == {"1.a.1": "T", "1.a.2": None}
    assert OPDWorkbook().indikator == [] and OPDWorkbook().sumber is None


def test_build_returns_the_model() -> None:
    ind = build(Indikator, {"kode": "k", "nama": "n", "target": 5})
    assert isinstance(ind, Indikator) and ind.target == 5


@pytest.mark.parametrize(
    ("model", "data", "text"),
    [
        (Indikator, {"kode": "k", "nama": "n", "target_tw": [1, "dua"]},
         "Indikator.target_tw.1: bernilai 'dua'; harus berupa angka"),
        (Indikator, {"kode": "k", "nama": "n", "polaritas": "naik"},
         "Indikator.polaritas: bernilai 'naik'; nilai yang diizinkan: 'positif', 'negatif', 'stabil'"),
        (Indikator, {"nama": "n"}, "Indikator.kode: wajib diisi"),
        (Indikator, {"kode": "k", "nama": "n", "warna": 1}, "Indikator.warna: kunci tidak dikenal"),
        (TindakLanjut, {"no": 1, "batas_waktu": "besok"},
         "TindakLanjut.batas_waktu: bernilai 'besok'; harus berupa tanggal (TTTT-BB-HH)"),
    ],
)
def test_model_errors_are_indonesian(model: type[Any], data: dict[str, Any], text: str) -> None:
    with pytest.raises(ModelError) as info:
        build(model, data)
    assert str(info.value) == text


_JUNK = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5),
                  st.lists(st.one_of(st.none(), st.floats(), st.text(max_size=3)), max_size=6),
                  st.tuples(st.floats(), st.floats()))


@settings(max_examples=200, deadline=None)
@given(data=st.fixed_dictionaries({}, optional={k: _JUNK for k in Indikator.model_fields}))
def test_any_bad_indikator_gets_an_indonesian_message(data: dict[str, Any]) -> None:
    try:
        build(Indikator, data)
    except ModelError as err:
        assert err.field is not None and err.field.split(".")[0] in Indikator.model_fields
        assert "should" not in str(err) and "Input" not in str(err), str(err)
