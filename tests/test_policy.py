"""The policy (kebijakan): national defaults, TOML loading, errors naming the key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import sakip_xl
from sakip_xl.errors import PolicyError, SakipError
from sakip_xl.policy import Policy, default_policy, load_policy, policy_from_dict


# --------------------------------------------------------------------------- defaults (Part A)
def test_national_defaults() -> None:
    p = Policy()
    assert [(b.label, b.batas_bawah, b.lampu) for b in p.kategori] == [
        ("Sangat Tinggi", 91, "hijau"), ("Tinggi", 76, "kuning"), ("Sedang", 66, "kuning"),
        ("Rendah", 51, "merah"), ("Sangat Rendah", None, "merah"),
    ]
    assert [(b.label, b.batas_bawah) for b in p.predikat] == [
        ("AA", 90), ("A", 80), ("BB", 70), ("B", 60), ("CC", 50), ("C", 30), ("D", 0),
    ]
    assert p.batas_predikat == "eksklusif"
    assert p.cap_rata_rata == 120
    assert p.nilai_jawaban == {"Y/T": {"Y": 1, "T": 0}, "A-E": {"A": 1, "B": 0.75, "C": 0.5, "D": 0.25, "E": 0}}
    assert p.lke.varian == "88/2021" and p.lke.metode == "per_kriteria" and p.lke.kosong_bernilai_nol
    assert p.target_predikat == "BB"
    assert p.ambang_serapan_tinggi == 95


def test_default_policy_is_shared_and_frozen() -> None:
    assert default_policy() is default_policy()
    assert default_policy() == Policy()
    with pytest.raises(ValidationError):
        default_policy().batas_predikat = "inklusif"  # type: ignore[misc]


def test_public_api_exports() -> None:
    assert sakip_xl.Policy is Policy
    assert sakip_xl.load_policy is load_policy


@pytest.mark.parametrize(("given", "stored"), [("tidak", None), ("Tidak", None), (None, None), ("", None),
                                               (100, 100.0), (110, 110.0), (120.0, 120.0)])
def test_cap_rata_rata_choices(given: Any, stored: float | None) -> None:
    assert Policy(cap_rata_rata=given).cap_rata_rata == stored


# --------------------------------------------------------------------------- loading TOML
CONTOH = """
batas_predikat = "inklusif"
cap_rata_rata = "tidak"
target_predikat = "A"

[lke]
kosong_bernilai_nol = false

[[kategori]]
label = "Baik"
batas_bawah = 85
lampu = "hijau"

[[kategori]]
label = "Kurang"
lampu = "merah"
"""


def test_load_policy_reads_toml_and_keeps_defaults(tulis_kebijakan: Callable[..., Path]) -> None:
    p = load_policy(tulis_kebijakan(CONTOH))
    assert p.batas_predikat == "inklusif"
    assert p.cap_rata_rata is None
    assert p.target_predikat == "A"
    assert p.lke.kosong_bernilai_nol is False and p.lke.metode == "per_kriteria"
    assert p.kategori_labels == ["Baik", "Kurang"]
    assert p.predikat_labels == Policy().predikat_labels  # not in the file: national default
    assert sakip_xl.predikat(70, p) == "BB"
    assert sakip_xl.kategori(85, p) == "Baik"


def test_empty_file_is_the_national_policy(tulis_kebijakan: Callable[..., Path]) -> None:
    assert load_policy(tulis_kebijakan("")) == Policy()


def test_utf8_bom_is_accepted(tulis_kebijakan: Callable[..., Path], tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes('\ufeffbatas_predikat = "inklusif"\n'.encode())
    assert load_policy(path).batas_predikat == "inklusif"
    assert load_policy(str(path)).batas_predikat == "inklusif"


# --------------------------------------------------------------------------- errors naming the key
BAD = [
    # toml text, key, words the message must contain
    ('batas_predikat = "kadang"', "batas_predikat", ["'eksklusif'", "'inklusif'"]),
    ("cap_rata_rata = 130", "cap_rata_rata", ['"tidak"', "100", "110", "120"]),
    ("cap_rata_rata = true", "cap_rata_rata", ['"tidak"', "120"]),
    ('kunci_asing = 1', "kunci_asing", ["tidak dikenal", "batas_predikat", "cap_rata_rata"]),
    ('[lke]\nmetode = "rata"', "lke.metode", ["'per_kriteria'", "'per_sub_komponen'"]),
    ('[lke]\nbaru = 1', "lke.baru", ["tidak dikenal"]),
    ('[lke]\nkosong_bernilai_nol = "ya"', "lke.kosong_bernilai_nol", ["true/false"]),
    ("[lke.nilai_predikat_sub]\nAA = 120", "lke.nilai_predikat_sub.AA", ["<= 100"]),
    ("ambang_serapan_tinggi = 120", "ambang_serapan_tinggi", ["<= 100"]),
    ('ambang_serapan_tinggi = "tinggi"', "ambang_serapan_tinggi", ["angka"]),
    ("resolusi_nilai = 0", "resolusi_nilai", ["> 0"]),
    ("tahun_minimum = 1990", "tahun_minimum", [">= 2000"]),
    ('target_predikat = "Z"', "target_predikat", ["AA, A, BB, B, CC, C, D"]),
    ('kategori = "x"', "kategori", ["daftar"]),
    ('[[kategori]]\nlabel = "A"\nbatas_bawah = 50\nlampu = "biru"\n[[kategori]]\nlabel = "B"\nlampu = "merah"',
     "kategori.0.lampu", ["'hijau'", "'kuning'", "'merah'"]),
    ('[[kategori]]\nlabel = "A"\nbatas_bawah = 50\nlampu = "hijau"\n'
     '[[kategori]]\nlabel = "B"\nbatas_bawah = 60\nlampu = "merah"\n'
     '[[kategori]]\nlabel = "C"\nlampu = "merah"', "kategori", ["menurun"]),
    ('[[kategori]]\nlabel = "A"\nbatas_bawah = 50\nlampu = "hijau"\n'
     '[[kategori]]\nlabel = "B"\nbatas_bawah = 10\nlampu = "merah"', "kategori", ["terakhir"]),
    ('[[kategori]]\nlabel = "A"\nlampu = "hijau"', "kategori", ["minimal dua"]),
    ('[[predikat]]\nlabel = "ISTIMEWA"\nbatas_bawah = 0', "predikat.0.label", ["paling banyak 4 huruf"]),
    ('[[kategori]]\nlabel = ""\nlampu = "hijau"', "kategori.0.label", ["minimal 1 huruf"]),
    ('[[kategori]]\nlabel = "A"\nbatas_bawah = nan\nlampu = "hijau"\n[[kategori]]\nlabel = "B"\nlampu = "merah"',
     "kategori.0.batas_bawah", ["nan"]),
    ('[[predikat]]\nlabel = "X"\nbatas_bawah = 50\n[[predikat]]\nlabel = "Y"\nbatas_bawah = 10',
     "predikat", ["berbatas bawah 0"]),
    ('[[predikat]]\nlabel = "X"\nbatas_bawah = 50\n[[predikat]]\nlabel = "Y"\nbatas_bawah = 0',
     "target_predikat", ["'BB'", "X, Y"]),  # the default target must exist in the city's scale
    ('[[predikat]]\nlabel = "X"\nbatas_bawah = 0\n[[predikat]]\nlabel = "Y"\nbatas_bawah = 0',
     "predikat", ["menurun"]),
    ('[nilai_jawaban."Y/T"]\nY = 2\nT = 0', "nilai_jawaban", ["antara 0 dan 1"]),
    ('[nilai_jawaban."Y/T"]\nY = 1\nT = 0', "nilai_jawaban", ["'A-E'", "wajib"]),
]


@pytest.mark.parametrize(("text", "key", "words"), BAD)
def test_bad_policy_file_names_the_key_and_allowed_values(
    tulis_kebijakan: Callable[..., Path], text: str, key: str, words: list[str]
) -> None:
    path = tulis_kebijakan(text)
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    err = info.value
    assert err.key == key
    assert f"'{key}'" in str(err)
    assert str(err).startswith("kebijakan.toml: kunci")
    for w in words:
        assert w in str(err)
    assert isinstance(err, SakipError) and isinstance(err, ValueError)
    assert err.hint
    assert isinstance(err.__cause__, ValidationError)


def test_not_toml(tulis_kebijakan: Callable[..., Path]) -> None:
    with pytest.raises(PolicyError, match="bukan TOML yang sah"):
        load_policy(tulis_kebijakan("batas_predikat = inklusif"))


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('target_predikat = "Ã©"\n'.encode("latin-1") + b"\xff")
    with pytest.raises(PolicyError, match="bukan TOML yang sah"):
        load_policy(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="tidak dapat dibaca"):
        load_policy(tmp_path / "tidak_ada.toml")


def test_policy_from_dict_names_its_source() -> None:
    with pytest.raises(PolicyError, match="^perwal-2025: kunci 'batas_predikat'"):
        policy_from_dict({"batas_predikat": 1}, source="perwal-2025")


def test_every_key_has_a_description_or_is_structured() -> None:
    """docs/kebijakan.md documents every key; the model carries the same keys."""
    assert set(Policy.model_fields) == {
        "kategori", "predikat", "batas_predikat", "cap_rata_rata", "nilai_jawaban", "lke",
        "target_predikat", "ambang_serapan_tinggi", "resolusi_nilai", "tahun_minimum",
        "target_proporsi_opd", "target_rata_nilai", "laporan",
    }


# --------------------------------------------------------------------------- any bad input: Indonesian
_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-300, 300), st.floats(), st.text(max_size=50),
              st.sampled_from(["eksklusif", "tidak", "hijau", "AA", "Y/T"])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["label", "batas_bawah", "lampu", "interpretasi", "Y", "A",
                                         "varian", "metode", "AA"]), inner, max_size=3),
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(st.sampled_from(sorted(Policy.model_fields)), _VALUE, min_size=1, max_size=2))
def test_any_bad_policy_gets_an_indonesian_message_naming_a_key(data: dict[str, Any]) -> None:
    try:
        policy_from_dict(data)
    except PolicyError as err:
        assert err.key and f"'{err.key}'" in str(err)
        assert err.key.split(".")[0] in Policy.model_fields
        assert "should" not in str(err) and "Input" not in str(err), str(err)  # no pydantic English


def test_per_sub_komponen_policy_is_refused_by_workbook_flows(tmp_path: Path) -> None:
    """The workbook flow scores per criterion; a per-sub-component policy fails loudly there."""
    from sakip_xl.consolidation import consolidate
    from sakip_xl.errors import PolicyError
    from sakip_xl.excel.template import write_workbook

    p = Policy.model_validate({"lke": {"metode": "per_sub_komponen"}})
    with pytest.raises(PolicyError, match="lke.metode") as exc:
        write_workbook(tmp_path / "t.xlsx", policy=p)
    assert exc.value.key == "lke.metode"
    assert not (tmp_path / "t.xlsx").exists()
    with pytest.raises(PolicyError, match="konsolidasi: lke.metode"):
        consolidate(tmp_path, policy=p)
