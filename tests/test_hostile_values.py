"""Property: whatever a person types into the input cells, reading gives Issues (or a SakipError),
never another exception; and the file is never changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

import build_corpus as bc  # noqa: E402
from xlsxedit import Book, Err  # noqa: E402

from sakip_xl import check_workbook, read_workbook  # noqa: E402
from sakip_xl.errors import SakipError  # noqa: E402
from sakip_xl.excel.codes import CODES  # noqa: E402
from sakip_xl.excel.contract import PROFIL_NAMES, TABLES  # noqa: E402
from sakip_xl.excel.convert import EXCEL_ERRORS  # noqa: E402


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bc.build_base(tmp_path_factory.mktemp("hostile"))


def _input_cells() -> list[tuple[str, str]]:
    lay = bc.layout()
    out: list[tuple[str, str]] = []
    for name, spec in TABLES.items():
        t = lay.tables[name]
        for col in spec.columns:
            for i in (0, 1, 3, 7):
                if col.kind == "input" or i == 0:  # also the odd computed cell
                    out.append((t.sheet, t.a1(col.name, i)))
    out.extend(bc.profil(n) for n in PROFIL_NAMES)
    return out


CELLS = _input_cells()
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_NUMBERY = st.from_regex(r"[-+ ]?[0-9]{1,7}([.,][0-9]{1,4}){0,2}\s?(%|dokumen|s\.d\.\s?[0-9]+)?", fullmatch=True)
VALUES = st.one_of(
    st.none(), _TEXT, _NUMBERY, st.floats(allow_nan=False, allow_infinity=False), st.integers(-10**12, 10**12),
    st.booleans(), st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.sampled_from(sorted(EXCEL_ERRORS)).map(Err),
    st.sampled_from(["positif", "Negatif ", "rata rata", "Y", "ya", "c", "Program", "Sub-Kegiatan", "Selesai",
                     "1.234", "80 – 90", "IK1", "IK99", "", "\u00a0", "=1+1", "#N/A"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(CELLS), VALUES), min_size=1, max_size=8))
def test_arbitrary_input_values_give_issues_only(base: Path, tmp_path: Path, edits: list[tuple[tuple[str, str], Any]]) -> None:
    book = Book(base)
    for (sheet, cell), value in edits:
        book.set(sheet, cell, value)
    path = book.save(tmp_path / "diisi_acak.xlsx")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        wb, issues = read_workbook(path, today=bc.TODAY)
    except SakipError:
        wb, issues = None, []
    for i in issues:
        assert i.code in CODES and i.message
    wb2, issues2 = check_workbook(path, today=bc.TODAY)
    assert (wb2 is None) == (wb is None)
    assert all(i.code in CODES for i in issues2)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
