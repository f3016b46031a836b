"""A7: OPD and city roll-up."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sakip_xl.errors import InvalidInput, NoData
from sakip_xl.policy import Policy
from sakip_xl.scoring.kategori import kategori
from sakip_xl.scoring.lke import Kriteria, nilai_lke
from sakip_xl.scoring.rollup import peluang_lke, rata_capaian, rollup_opd, share_at_or_above


# --------------------------------------------------------------------------- mean capaian
@pytest.mark.parametrize(
    ("values", "cap", "expected"),
    [
        ([100, 50], None, 75.0),
        ([150, 50], None, 100.0),
        ([150, 50], 120, 85.0),  # one over-achiever cannot hide a failure
        ([150, 50], 100, 75.0),
        ([105, 50], 110, 77.5),
        ([None, 80, None], None, 80.0),  # unscored indicators are skipped
        ([0, 0], 120, 0.0),
    ],
)
def test_rata_capaian(values: list[Any], cap: float | None, expected: float) -> None:
    assert rata_capaian(values, cap) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("values", "cap", "error"),
    [
        ([], None, NoData),
        ([None, None], 120, NoData),
        ([80, "90"], None, InvalidInput),
        ([80, float("nan")], None, InvalidInput),
        ([80], 0, InvalidInput),
    ],
)
def test_rata_capaian_errors(values: list[Any], cap: float | None, error: type[Exception]) -> None:
    with pytest.raises(error):
        rata_capaian(values, cap)


# --------------------------------------------------------------------------- one OPD
def test_rollup_opd_counts_means_and_efficiency() -> None:
    r = rollup_opd([150.0, 95.0, 80.0, 70.0, 40.0, None], serapan=90.0)
    assert r.n_indikator == 6 and r.n_dinilai == 5
    assert r.capaian_rata == pytest.approx((150 + 95 + 80 + 70 + 40) / 5)
    assert r.capaian_rata_dibatasi == pytest.approx((120 + 95 + 80 + 70 + 40) / 5)
    assert r.jumlah_kategori == {"Sangat Tinggi": 2, "Tinggi": 1, "Sedang": 1, "Rendah": 0,
                                 "Sangat Rendah": 1}
    assert r.persen_kategori["Sangat Tinggi"] == pytest.approx(40.0)
    assert sum(r.persen_kategori.values()) == pytest.approx(100.0)
    # efisiensi uses the capped mean
    assert r.capaian_rata_dibatasi is not None
    assert r.indeks_efisiensi == pytest.approx(r.capaian_rata_dibatasi / 90.0)
    assert r.nilai_lke is None and r.predikat is None and r.peluang_lke == []


def test_rollup_without_scored_indicators() -> None:
    r = rollup_opd([None, None], serapan=50.0)
    assert r.capaian_rata is None and r.capaian_rata_dibatasi is None
    assert r.indeks_efisiensi is None
    assert set(r.persen_kategori.values()) == {0.0}


def test_rollup_without_serapan_or_with_zero_serapan() -> None:
    assert rollup_opd([100.0]).indeks_efisiensi is None
    assert rollup_opd([100.0], serapan=0.0).indeks_efisiensi is None


def test_rollup_respects_the_policy_cap() -> None:
    p = Policy(cap_rata_rata="tidak")
    assert rollup_opd([150.0, 50.0], policy=p).capaian_rata_dibatasi == 100.0
    assert rollup_opd([150.0, 50.0], policy=Policy(cap_rata_rata=100)).capaian_rata_dibatasi == 75.0


def test_rollup_with_lke_gives_predikat_gap_and_cheapest_places(kriteria_88: list[Kriteria]) -> None:
    # Everything best except sub-components 1.c (15) and 2.c (15) left empty: nilai 70 -> B.
    answers = {k.kode: ("Y" if k.jenis_jawaban == "Y/T" else "A") for k in kriteria_88
               if k.kode_sub not in ("1.c", "2.c")}
    lke = nilai_lke(answers)
    assert lke.total == pytest.approx(70.0)
    r = rollup_opd([100.0], lke=lke)
    assert r.nilai_lke == pytest.approx(70.0)
    assert r.predikat == "B"  # 70.00 is B under exclusive bounds
    assert r.predikat_berikut == "BB"
    assert r.poin_ke_predikat_berikut == pytest.approx(0.01)
    # the two empty sub-components have all the headroom; 1.c has fewer criteria: more per criterion
    assert [p.kode for p in r.peluang_lke][:2] == ["1.c", "2.c"]
    assert r.peluang_lke[0].ruang == pytest.approx(15.0)
    assert r.peluang_lke[0].poin_per_kriteria == pytest.approx(15 / 8)

    inclusive = rollup_opd([100.0], lke=lke, policy=Policy(batas_predikat="inklusif"))
    assert inclusive.predikat == "BB" and inclusive.predikat_berikut == "A"
    assert inclusive.poin_ke_predikat_berikut == pytest.approx(10.0)


def test_peluang_lke_is_empty_when_everything_is_full(kriteria_88: list[Kriteria]) -> None:
    full = nilai_lke({k.kode: ("Y" if k.jenis_jawaban == "Y/T" else "A") for k in kriteria_88})
    assert peluang_lke(full) == []
    r = rollup_opd([100.0], lke=full)
    assert r.predikat == "AA" and r.predikat_berikut is None and r.poin_ke_predikat_berikut is None


def test_peluang_lke_ranks_by_headroom_and_limits_to_top(kriteria_88: list[Kriteria]) -> None:
    ranked = peluang_lke(nilai_lke({}), top=12)
    assert len(ranked) == 12
    rooms = [p.ruang for p in ranked]
    assert rooms == sorted(rooms, reverse=True)
    assert ranked[0].ruang == pytest.approx(15.0)
    assert len(peluang_lke(nilai_lke({}))) == 3


# --------------------------------------------------------------------------- city
@pytest.mark.parametrize(
    ("predikats", "target", "expected"),
    [
        (["A", "BB", "B", "CC"], "BB", 50.0),
        (["A", "BB", "B", None], "BB", 200 / 3),  # OPDs without predikat are left out
        (["AA", "D"], "D", 100.0),
        (["B", "B"], None, 0.0),  # policy default target BB
    ],
)
def test_share_at_or_above(predikats: list[str | None], target: str | None, expected: float) -> None:
    assert share_at_or_above(predikats, target) == pytest.approx(expected)


def test_share_at_or_above_errors() -> None:
    with pytest.raises(InvalidInput, match="pilihan"):
        share_at_or_above(["A"], "Z")
    with pytest.raises(NoData):
        share_at_or_above([None, None])
    with pytest.raises(InvalidInput, match="predikat 'E' tidak dikenal"):
        share_at_or_above(["A", "E"])


# --------------------------------------------------------------------------- properties
_CAPAIAN = st.floats(-50, 1e4, allow_nan=False)


@given(c=_CAPAIAN, cap=st.sampled_from(["tidak", 100, 110, 120]))
def test_rollup_of_one_indicator_equals_that_indicator(c: float, cap: Any) -> None:
    p = Policy(cap_rata_rata=cap)
    r = rollup_opd([c], policy=p)
    assert r.capaian_rata == c
    assert r.capaian_rata_dibatasi == (c if p.cap_rata_rata is None else min(c, p.cap_rata_rata))
    assert r.jumlah_kategori[kategori(c, p)] == 1
    assert sum(r.jumlah_kategori.values()) == 1
    assert r.persen_kategori[kategori(c, p)] == 100.0


@given(values=st.lists(st.one_of(st.none(), _CAPAIAN), min_size=1, max_size=30))
def test_capped_mean_never_exceeds_raw_mean_or_cap(values: list[float | None]) -> None:
    r = rollup_opd(values)
    if r.capaian_rata is None:
        assert all(v is None for v in values)
        return
    assert r.capaian_rata_dibatasi is not None
    assert r.capaian_rata_dibatasi <= r.capaian_rata + 1e-9
    assert r.capaian_rata_dibatasi <= 120 + 1e-9
    assert sum(r.jumlah_kategori.values()) == r.n_dinilai
