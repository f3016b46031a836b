"""The policy travels inside the workbook (issue 11): the UDFs compute with it, the checker only
compares it with the city policy and warns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers_lo import contoh_opd

from sakip_xl.addin import udfs
from sakip_xl.excel.policy_names import POLICY_NAME, policy_from_names, policy_names
from sakip_xl.excel.reader import read_workbook
from sakip_xl.excel.template import write_workbook
from sakip_xl.policy import LKESettings, Policy, default_policy
from sakip_xl.rules import RULES

INKLUSIF = Policy(batas_predikat="inklusif")


def _names(path: Path) -> dict[str, str]:
    """The workbook's defined names as Excel (and xlwings' ``Name.refers_to``) gives them."""
    wb = openpyxl.load_workbook(path)
    return {n: "=" + dn.attr_text for n, dn in wb.defined_names.items() if n.startswith(POLICY_NAME)}


@pytest.mark.parametrize("rumus", ["native", "udf"])
def test_the_template_carries_the_policy_it_was_made_with(tmp_path: Path, rumus: str) -> None:
    path = write_workbook(tmp_path / "opd.xlsx", contoh_opd(), rumus=rumus, policy=INKLUSIF)  # type: ignore[arg-type]
    names = _names(path)
    assert len(names) > 1 and all(len(v) < 255 + 64 for v in names.values())
    assert policy_from_names(names) == INKLUSIF
    assert policy_from_names({}) is None


def test_the_checker_compares_and_warns_but_never_obeys(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "opd.xlsx", contoh_opd(), policy=INKLUSIF)
    _wb, same = read_workbook(path, INKLUSIF)
    assert "KEBIJAKAN_BERBEDA" not in {i.code for i in same}
    wb, issues = read_workbook(path, default_policy())
    (warn,) = [i for i in issues if i.code == "KEBIJAKAN_BERBEDA"]
    assert warn.severity.name == "WARNING" and "batas_predikat" in warn.message
    # computed with the checker's policy: the same model and numbers as a workbook made with it
    other = write_workbook(tmp_path / "nasional.xlsx", contoh_opd(), policy=default_policy())
    wb2, _ = read_workbook(other, default_policy())
    assert wb.model_dump(exclude={"sumber"}) == wb2.model_dump(exclude={"sumber"})


def test_a_damaged_carried_policy_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
    from xlsxedit import Book

    path = write_workbook(tmp_path / "opd.xlsx", contoh_opd())
    book = Book(path)
    xml = book.text("xl/workbook.xml")
    damaged = xml.replace('<definedName name="SAKIP_Kebijakan">"{', '<definedName name="SAKIP_Kebijakan">"{rusak')
    assert damaged != xml
    book.put("xl/workbook.xml", damaged)
    bad = book.save(tmp_path / "rusak.xlsx")
    wb, issues = read_workbook(bad)
    assert wb is not None
    assert [i.code for i in issues if i.code == "KEBIJAKAN_BERBEDA"] == ["KEBIJAKAN_BERBEDA"]


class _Name:
    def __init__(self, name: str, refers_to: str) -> None:
        self.name, self.refers_to = name, refers_to


class _Book:
    """What xlwings' Book offers the UDFs (fullname, names): a double, there is no Excel here."""

    def __init__(self, fullname: str, names: dict[str, str]) -> None:
        self.fullname = fullname
        self.names = [_Name(k, v) for k, v in names.items()]
        self.reads = 0

    def __getattribute__(self, item: str) -> Any:
        if item == "names":
            object.__setattr__(self, "reads", object.__getattribute__(self, "reads") + 1)
        return object.__getattribute__(self, item)


def test_udfs_compute_with_the_policy_the_calling_workbook_carries(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_workbook(tmp_path / "opd.xlsx", contoh_opd(), rumus="udf", policy=INKLUSIF)
    book = _Book(str(path), _names(path))
    monkeypatch.setattr(udfs, "_IN_EXCEL", True)
    monkeypatch.setattr(udfs.xw.Book, "caller", staticmethod(lambda: book))
    udfs.forget_policy()
    try:
        got = [udfs.SAKIP_PREDIKAT([[70.0]]) for _ in range(50)]  # type: ignore[attr-defined]
    finally:
        udfs.forget_policy()
    assert set(got) == {RULES["predikat"].cell(70.0, policy=INKLUSIF)}
    assert got[0] != RULES["predikat"].cell(70.0, policy=default_policy())  # not this PC's policy
    assert book.reads == 1  # the names are read once per workbook


def test_a_carried_policy_naming_a_file_of_this_pc_is_not_obeyed(tmp_path: Path) -> None:
    city = Policy(batas_predikat="inklusif", lke=LKESettings(varian=str(tmp_path / "kriteria_kota.csv")))
    names = {n: f[1:] if f.startswith("=") else f for n, f in policy_names(city)}
    udfs.forget_policy()
    assert udfs.book_policy(_Book("x.xlsx", names)) is None
    portable = {n: f for n, f in policy_names(INKLUSIF)}
    assert udfs.book_policy(_Book("y.xlsx", portable)) == INKLUSIF
    udfs.forget_policy()
