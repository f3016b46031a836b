"""The exception tree (sakip_xl.errors) and Issue records (sakip_xl.issues)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from sakip_xl import errors
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
