"""The add-in's Periksa Workbook shows the OPD's improvement plan (pure layer of addin/ribbon.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sakip_xl.addin import ribbon
from sakip_xl.demo import generate_city
from sakip_xl.excel.reader import read_workbook
from sakip_xl.excel.template import write_workbook
from sakip_xl.models import LKEJawaban
from sakip_xl.policy import Policy
from sakip_xl.scoring.rencana import rencana_workbook

pytestmark = pytest.mark.usefixtures("national_policy")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wb = generate_city(3, seed=11, kesalahan=False).opd[0]
    return write_workbook(tmp_path_factory.mktemp("rencana_addin") / "opd.xlsx", wb)


def test_periksa_lists_the_plan_below_the_findings(book: Path) -> None:
    plan = ribbon.plan_periksa(book)
    wb, _ = read_workbook(book)
    r, sumber = rencana_workbook(wb, Policy())
    assert plan.rencana[0][0].startswith("Rencana peningkatan: nilai LKE")
    assert sumber in plan.rencana[0][0]
    steps = [row for row in plan.rencana[2:] if len(row) == 7]
    expected = [(s.kode, s.jawaban) for p in (r.berikut, r.target) if p is not None for s in p.langkah]
    if r.berikut is not None and r.target is not None and r.target.predikat_tujuan == r.berikut.predikat_tujuan:
        expected = [(s.kode, s.jawaban) for s in r.berikut.langkah]
    assert [(row[2], row[5]) for row in steps] == expected
    if r.berikut is not None:
        assert f"ke {r.berikut.predikat_tujuan}: {r.berikut.n_kriteria} kriteria" in plan.message
        assert ribbon.VALIDASI_SHEET in plan.message


def test_no_lke_answers_no_plan(tmp_path: Path) -> None:
    wb = generate_city(3, seed=11, kesalahan=False).opd[0].model_copy(deep=True)
    wb.lke = [LKEJawaban(kode=j.kode) for j in wb.lke]
    path = write_workbook(tmp_path / "kosong.xlsx", wb)
    plan = ribbon.plan_periksa(path)
    assert plan.rencana == [] and "Rencana" not in plan.message
