"""The manual smoke test's expected results are what the UDFs give (executable docs).

Section B of docs/addin-uji-manual.md lists formulas and the values a tester must see in Excel.
Here each formula is parsed (Indonesian notation: ``;`` between arguments, decimal comma), its
ranges are filled from the sheet set-up the page describes, and the UDF's answer must equal the
value printed on the page.  A rule change that alters an answer fails here, not on a PC.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from sakip_xl.addin import udfs

DOC = Path(__file__).resolve().parents[1] / "docs" / "addin-uji-manual.md"
GUIDE = Path(__file__).resolve().parents[1] / "docs" / "addin-instalasi.md"


def _num(text: str) -> float | None:
    """A number in Indonesian notation (``1.234,5``), else None (``0.1.0`` is text)."""
    if not re.fullmatch(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?", text):
        return None
    return float(text.replace(".", "").replace(",", "."))


def _setup(text: str) -> dict[str, Any]:
    """Cell values from 'Isi dulu: A1:D1 = `1`, `2` ...' lines."""
    cells: dict[str, Any] = {}
    block = text.split("Isi dulu:", 1)[1].split("|", 1)[0]
    for rng, vals in re.findall(r"([A-Z]\d+:[A-Z]\d+) = ((?:`[^`]*`,?\s*)+)", block):
        values = re.findall(r"`([^`]*)`", vals)
        for addr, raw in zip(_expand(rng), values, strict=True):
            n = _num(raw)
            cells[addr] = n if n is not None else raw
    return cells


def _expand(rng: str) -> list[str]:
    (c1, r1), (c2, r2) = [re.fullmatch(r"([A-Z])(\d+)", p).groups() for p in rng.split(":")]  # type: ignore[union-attr]
    return [f"{chr(c)}{r}" for r in range(int(r1), int(r2) + 1) for c in range(ord(c1), ord(c2) + 1)]


def _grid(rng: str, cells: dict[str, Any]) -> list[list[Any]]:
    (c1, r1), (c2, r2) = [re.fullmatch(r"([A-Z])(\d+)", p).groups() for p in rng.split(":")]  # type: ignore[union-attr]
    return [[cells.get(f"{chr(c)}{r}") for c in range(ord(c1), ord(c2) + 1)] for r in range(int(r1), int(r2) + 1)]


def _arg(raw: str, cells: dict[str, Any]) -> Any:
    raw = raw.strip()
    if raw.startswith('"'):
        return [[raw.strip('"')]]
    if re.fullmatch(r"[A-Z]\d+:[A-Z]\d+", raw):
        return _grid(raw, cells)
    n = _num(raw)
    assert n is not None, raw
    return [[n]]


def _evaluate(formula: str, cells: dict[str, Any]) -> Any:
    m = re.fullmatch(r"=(SAKIP_\w+)\((.*)\)", formula)
    assert m, formula
    args = [_arg(a, cells) for a in m.group(2).split(";")] if m.group(2) else []
    return getattr(udfs, m.group(1))(*args)


def _expected(raw: str) -> float | str:
    n = _num(raw)
    return n if n is not None else raw


def _rows(text: str) -> list[tuple[str, list[str], list[str]]]:
    section = text.split("## B.", 1)[1].split("## C.", 1)[0]
    out = []
    for line in section.splitlines():
        cols = [c.strip() for c in line.split("|")]
        if len(cols) < 5 or not re.fullmatch(r"B\d+", cols[1]):
            continue
        formulas = re.findall(r"`(=SAKIP_[^`]*)`", cols[2])
        results = re.findall(r"`([^`]*)`", cols[3])
        if formulas:
            out.append((cols[1], formulas, results))
    return out


ROWS = _rows(DOC.read_text(encoding="utf-8"))


def test_the_page_covers_every_udf() -> None:
    used = {re.match(r"=(SAKIP_\w+)", f).group(1) for _n, fs, _r in ROWS for f in fs}  # type: ignore[union-attr]
    assert used == set(udfs.UDF_NAMES)


@pytest.mark.parametrize(("nomor", "formulas", "results"), ROWS, ids=[r[0] for r in ROWS])
def test_each_expected_value_is_what_the_udf_gives(nomor: str, formulas: list[str], results: list[str]) -> None:
    cells = _setup(DOC.read_text(encoding="utf-8"))
    got = [_evaluate(f, cells) for f in formulas]
    if len(formulas) == 1 and len(results) > 1:  # one array formula, several cells
        got = [c for row in got[0] for c in row]
    want = [_expected(r) for r in results]
    assert len(got) == len(want), nomor
    for g, w in zip(got, want, strict=True):
        if isinstance(w, float):
            assert isinstance(g, float) and g == pytest.approx(w, abs=1e-9), (nomor, g, w)
        else:
            assert g == w, (nomor, g, w)


def test_install_guide_names_the_pinned_xlwings_version() -> None:
    import xlwings

    text = GUIDE.read_text(encoding="utf-8")
    assert f"xlwings=={xlwings.__version__}" in text
    assert f"xlwings64-{xlwings.__version__}.dll" in text
