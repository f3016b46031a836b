"""The Panduan Pengisian page shows every sheet, and its worked examples are the core's numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sakip_xl.excel.contract import SHEETS
from sakip_xl.excel.petunjuk import ERROR_TEXTS, petunjuk_lines
from sakip_xl.policy import Policy
from sakip_xl.scoring.capaian import capaian
from sakip_xl.scoring.triwulan import ytd

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGE = DOCS / "panduan-pengisian.md"


def _slug(sheet: str) -> str:
    return sheet.lower().replace(" ", "-")


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_sheet_has_a_section_and_a_screenshot(sheet: str) -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert f"### {sheet}" in text
    image = f"img/template-{_slug(sheet)}.png"
    assert f"]({image})" in text
    png = DOCS / image
    assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_images_referenced_exist() -> None:
    for ref in re.findall(r"\]\((img/[^)]+)\)", PAGE.read_text(encoding="utf-8")):
        assert (DOCS / ref).exists(), ref


def _id(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def test_worked_examples_are_the_core_values() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for target, real, pol in [(80, 90, "positif"), (75, 104.7, "negatif"), ((2, 4), 5, "stabil"),
                              ((80, 90), 70, "positif")]:
        assert f"→ {_id(capaian(target, real, pol))} %" in text, (target, real, pol)
    row = {t: ytd([10, 20, None, 30], t) for t in ("kumulatif", "akhir", "rata-rata")}
    for tipe, value in row.items():
        assert re.search(rf"\| {tipe} \|.*\| {value:g} \|", text), tipe


def test_error_texts_match_the_petunjuk_sheet() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for code, _ in ERROR_TEXTS:
        assert f"`{code}`" in text
    sheet_text = " ".join(b for _, _, b in petunjuk_lines(Policy(), "native"))
    assert "112,50" in sheet_text and "60,40" in sheet_text
