"""Issue 13: a mutation fuzzer over workbook parts (Hypothesis) that holds the reading contract.

Each example takes the real template, picks one XML part (a sheet, the shared strings, the workbook,
its relationships, a table, the styles) and applies one to three mutations a hostile or broken tool
produces: a numeric attribute made huge or negative, the whitespace before an attribute removed, a
cell address moved far away or dropped, an element duplicated, the part truncated, a comment or
CDATA inserted, bytes flipped.  ``check_workbook`` must answer with Issues or one error, never raise,
never abort the process (an abort ends the test worker, which fails the run), within a CPU bound.
The fast part runs in every test run; the slow part (more examples) is marked ``slow`` and runs in CI.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

import build_corpus as bc  # noqa: E402
from xlsxedit import Book  # noqa: E402

from sakip_xl import check_workbook  # noqa: E402
from sakip_xl.excel.codes import CODES  # noqa: E402

HUGE = ["4294967296", "18446744073709551616", "99999999999999999999999", "-1", "0", "2147483648", "1048577"]
FAR = ["XFD1048576", "A1048576", "ZZZ1", "A0", "", "A99999999", "$B$5"]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bc.build_base(tmp_path_factory.mktemp("fuzz"))


def _parts(b: Book) -> list[str]:
    return sorted(n for n in b.parts if n.endswith((".xml", ".rels")) and not n.startswith("docProps"))


@st.composite
def mutation(draw: st.DrawFn, text: str) -> str:
    kind = draw(st.sampled_from(["huge", "nospace", "far", "dup", "truncate", "insert", "flip"]))
    if kind == "huge" and (hits := list(re.finditer(r'(\w+)="(\d+)"', text))):
        m = draw(st.sampled_from(hits))
        return text[:m.start(2)] + draw(st.sampled_from(HUGE)) + text[m.end(2):]
    if kind == "nospace" and (hits := list(re.finditer(r' (?=\w+=")', text))):
        m = draw(st.sampled_from(hits))
        return text[:m.start()] + text[m.end():]
    if kind == "far" and (hits := list(re.finditer(r'\br="([^"]*)"', text))):
        m = draw(st.sampled_from(hits))
        new = draw(st.sampled_from(FAR))
        return text[:m.start()] + (f'r="{new}"' if new else "") + text[m.end():]
    if kind == "dup" and (hits := list(re.finditer(r"<(row|si|c|definedName|sheet|tableColumn|xf)\b.*?(?:/>|</\1>)", text, re.S))):
        m = draw(st.sampled_from(hits[:200]))
        return text[:m.end()] + m.group(0) * draw(st.integers(1, 3)) + text[m.end():]
    if kind == "truncate" and text:
        return text[: draw(st.integers(0, len(text)))]
    if kind == "insert":
        at = draw(st.integers(0, len(text)))
        piece = draw(st.sampled_from(["<!--", "-->", "<![CDATA[", "]]>", "<?pi x?>", '<c t="e">', "</c>", "<row>",
                                      "&amp;", "&#0;", "\x00", "<!DOCTYPE x>"]))
        return text[:at] + piece + text[at:]
    if text:
        chars = list(text)
        for _ in range(draw(st.integers(1, 5))):
            chars[draw(st.integers(0, len(chars) - 1))] = draw(st.sampled_from(list('<>"/=&;! x0\'')))
        return "".join(chars)
    return text


def _check(base: Path, tmp_path: Path, data: st.DataObject) -> None:
    b = Book(base)
    name = data.draw(st.sampled_from(_parts(b)), label="part")
    text = b.parts[name].decode("utf-8", errors="replace")
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        text = data.draw(mutation(text), label="mutated")
    b.put(name, text)
    path = b.save(tmp_path / "mutan.xlsx")
    start = time.process_time()
    wb, issues = check_workbook(path, today=bc.TODAY)
    assert time.process_time() - start < 20
    assert issues or wb is not None
    for i in issues:
        assert i.code in CODES and i.code != "INTERNAL", str(i)
    if wb is None:
        assert len(issues) == 1, [str(i) for i in issues]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_parts_hold_the_contract(base: Path, tmp_path: Path, data: st.DataObject) -> None:
    _check(base, tmp_path, data)


@pytest.mark.slow
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_parts_hold_the_contract_many(base: Path, tmp_path: Path, data: st.DataObject) -> None:
    _check(base, tmp_path, data)
