"""The exception tree (sakip_xl.errors) and Issue records (sakip_xl.issues)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sakip_xl import errors, scoring
from sakip_xl.errors import (
    InvalidInput,
    ModelError,
    NoData,
    PolicyError,
    SakipError,
    ScoringError,
    WorkbookReadError,
)
from sakip_xl.issues import Issue, Severity, count_by_severity, has_errors, sort_issues
from sakip_xl.rules import RULES, cell_value
from sakip_xl.scoring.lke import nilai_sub_komponen

_ALL = [getattr(errors, name) for name in errors.__all__]


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize("cls", _ALL, ids=lambda c: c.__name__)
def test_every_error_derives_from_sakip_error_with_a_code(cls: type[SakipError]) -> None:
    assert issubclass(cls, SakipError)
    assert cls.code.isupper()


def test_codes_are_unique() -> None:
    codes = [cls.code for cls in _ALL]
    assert len(codes) == len(set(codes))


def test_scoring_errors_have_cell_texts() -> None:
    for cls in _ALL:
        if issubclass(cls, ScoringError):
            assert isinstance(cls.cell_text, str)
            assert cls.cell_text == "" or cls.cell_text.startswith("#")
            assert issubclass(cls, ValueError)
    assert NoData.cell_text == ""  # an empty quarter shows a blank cell, not an error


def test_builtin_second_parents() -> None:
    assert issubclass(WorkbookReadError, OSError)
    value_errors: list[type] = [PolicyError, ModelError, ScoringError, errors.SchemaMismatch,
                                errors.ExcelLimitError]
    assert all(issubclass(cls, ValueError) for cls in value_errors)
    read_errors: list[type] = [errors.UnsafeWorkbook, errors.NotSakipWorkbook,
                               errors.UnsupportedTemplateVersion]
    assert all(issubclass(cls, WorkbookReadError) for cls in read_errors)


def test_message_hint_and_str() -> None:
    e = InvalidInput("target harus berupa angka", hint="isi angka")
    assert str(e) == e.message == "target harus berupa angka"
    assert e.hint == "isi angka"
    assert PolicyError("x", key="lke.metode").key == "lke.metode"
    assert ModelError("y", field="target").field == "target"
    assert SakipError("z").hint is None


def test_callers_branch_on_type() -> None:
    with pytest.raises(ScoringError):
        raise NoData("belum ada data")
    with pytest.raises(OSError):
        raise errors.NotSakipWorkbook("bukan workbook SAKIP")


# --------------------------------------------------------------------------- issues
def _issue(**kw: object) -> Issue:
    base: dict[str, object] = {"code": "CAPAIAN_TARGET_NOL", "severity": Severity.ERROR,
                               "message": "Target 0 dengan polaritas positif"}
    return Issue.model_validate(base | kw)


@pytest.mark.parametrize(
    ("kw", "location"),
    [
        ({"file": "dinkes.xlsx", "sheet": "PK", "cell": "F7"}, "[dinkes.xlsx]PK!F7"),
        ({"sheet": "PK", "cell": "F7"}, "PK!F7"),
        ({"sheet": "PK"}, "PK"),
        ({"cell": "F7"}, "F7"),
        ({"file": "dinkes.xlsx"}, "[dinkes.xlsx]"),
        ({}, ""),
    ],
)
def test_issue_location(kw: dict[str, str], location: str) -> None:
    assert _issue(**kw).location == location


def test_issue_text_is_indonesian() -> None:
    i = _issue(file="dinkes.xlsx", sheet="PK", cell="F7", hint="Isi target lebih dari 0")
    assert str(i) == ("Galat CAPAIAN_TARGET_NOL [dinkes.xlsx]PK!F7: Target 0 dengan polaritas positif"
                      " (Saran: Isi target lebih dari 0)")
    assert str(_issue(severity=Severity.WARNING)).startswith("Peringatan CAPAIAN_TARGET_NOL: ")
    assert Severity.INFO.label == "Info"


def test_issue_is_frozen_data() -> None:
    i = _issue()
    with pytest.raises(ValidationError):
        i.code = "LAIN"  # type: ignore[misc]
    assert i.with_file("a.xlsx").file == "a.xlsx" and i.file is None
    assert i.model_dump(mode="json") == {
        "code": "CAPAIAN_TARGET_NOL", "severity": "error", "message": "Target 0 dengan polaritas positif",
        "file": None, "sheet": None, "cell": None, "hint": None,
    }


def test_issue_helpers() -> None:
    issues = [
        _issue(severity=Severity.INFO, sheet="PK", cell="A10"),
        _issue(severity=Severity.WARNING, sheet="PK", cell="B2"),
        _issue(severity=Severity.ERROR, sheet="PK", cell="AA2", file="b.xlsx"),
        _issue(severity=Severity.ERROR, sheet="PK", cell="C2"),
        _issue(severity=Severity.ERROR, sheet="PK", cell="B10"),
    ]
    assert has_errors(issues) and not has_errors(issues[:2]) and not has_errors([])
    assert count_by_severity(issues) == {Severity.ERROR: 3, Severity.WARNING: 1, Severity.INFO: 1}
    ordered = [(i.file, i.severity.value, i.cell) for i in sort_issues(issues)]
    # by file, then severity, then cell in row-major order (C2 before B10)
    assert ordered == [
        (None, "error", "C2"), (None, "error", "B10"), (None, "warning", "B2"), (None, "info", "A10"),
        ("b.xlsx", "error", "AA2"),
    ]


# --------------------------------------------------------------------------- totality (error contract)
_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(), st.text(max_size=6),
    st.sampled_from(["positif", "negatif", "stabil", "kumulatif", "akhir", "rata-rata", "Y", "A",
                     "Y/T", "A-E", "1.a", "Program", "AA", "BB", ""]),
)
_ANY = st.one_of(_SCALAR, st.lists(_SCALAR, max_size=6), st.tuples(_SCALAR, _SCALAR))

_SCORING: dict[str, Callable[..., Any]] = {
    "capaian": scoring.capaian,
    "ytd": scoring.ytd,
    "capaian_tw": scoring.capaian_tw,
    "kategori": scoring.kategori,
    "lampu": scoring.lampu,
    "predikat": scoring.predikat,
    "next_predikat": scoring.next_predikat,
    "serapan": scoring.serapan,
    "realisasi_anggaran": scoring.realisasi_anggaran,
    "efisiensi": scoring.efisiensi,
    "nilai_jawaban": scoring.nilai_jawaban,
    "nilai_sub_komponen": nilai_sub_komponen,
    "rata_capaian": scoring.rata_capaian,
    "share_at_or_above": scoring.share_at_or_above,
}
# argument kinds: "a" any cell-like value (scalar, list or pair), "l" a list (a sequence
# parameter: passing None there is a programming error, not an input value)
_KINDS = {"capaian": "aaa", "ytd": "laa", "capaian_tw": "llaaaa", "kategori": "a", "lampu": "a",
          "predikat": "a", "next_predikat": "a", "serapan": "aa", "realisasi_anggaran": "la",
          "efisiensi": "aa", "nilai_jawaban": "aa", "nilai_sub_komponen": "la", "rata_capaian": "la",
          "share_at_or_above": "la"}


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, list[Any]]:
    name = draw(st.sampled_from(sorted(_SCORING)))
    args = [draw(_ANY if k == "a" else st.lists(_SCALAR, max_size=6)) for k in _KINDS[name]]
    return name, args


@settings(max_examples=400, deadline=None)
@given(call=calls())
def test_scoring_functions_are_total(call: tuple[str, list[Any]]) -> None:
    """Any input gives a finite number (or a label/None where documented) or a ScoringError."""
    name, args = call
    try:
        out = _SCORING[name](*args)
    except ScoringError:
        return
    if isinstance(out, float):
        assert math.isfinite(out)
    else:
        assert out is None or isinstance(out, (str, tuple))


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(sorted(RULES)), args=st.lists(_ANY, min_size=6, max_size=6))
def test_cell_values_never_raise(key: str, args: list[Any]) -> None:
    """What a worksheet cell shows is always a finite number or a text, whatever the inputs."""
    rule = RULES[key]
    out = cell_value(key, *args[: len(rule.params)])
    assert isinstance(out, str) or (isinstance(out, float) and math.isfinite(out))
