"""Shared pieces of the sheet writers: the writing context, cell writing, validation rules,
conditional formats, print setup and protection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import rules
from ..policy import Policy
from ..rules import CellValue
from .fill import Key
from .layout import Computed, WorkbookLayout, a1
from .limits import (
    check_cell_text,
    check_formula,
    check_header,
    check_list_source,
    check_validation_text,
)
from .links import LINKS, link_formula
from .styles import Styles

__all__ = [
    "Context", "LINE_HEIGHT", "lines_needed", "num", "page", "protect", "write_value", "formula_text",
    "write_computed", "validation", "list_rule", "decimal_rule", "traffic_light", "kategori_colours",
    "error_font", "title",
]


@dataclass
class Context:
    wb: Workbook
    st: Styles
    layout: WorkbookLayout
    policy: Policy
    rumus: str
    inputs: Mapping[Key, Any]
    values: Mapping[Key, CellValue]
    computed: Mapping[Key, Computed]
    password: str | None
    opd_nama: str
    tahun: str


PROTECT = {
    "format_columns": True, "format_rows": True,
    "select_locked_cells": True, "select_unlocked_cells": True,
}


# --------------------------------------------------------------------------- helpers
def num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")


def page(ctx: Context, ws: Worksheet, *, landscape: bool, repeat_to: int | None = None,
          header: bool = True) -> None:
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.6)
    if not header:  # a letter to be signed: no application header
        return
    left = _escape_header(ctx.opd_nama or "Workbook SAKIP OPD")
    right = f"Tahun {ctx.tahun}" if ctx.tahun else ""
    ws.set_header(check_header(f"&L&8{left}&C&8&A&R&8{right}", ws.name))
    ws.set_footer("&C&8Halaman &P dari &N")
    if repeat_to is not None:
        ws.repeat_rows(0, repeat_to)


def protect(ctx: Context, ws: Worksheet) -> None:
    ws.protect(ctx.password or "", dict(PROTECT))


def write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, check_cell_text(value, f"{ws.name}!{a1(row, col)}"), fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def formula_text(c: Computed, rumus: str, policy: Policy) -> str:
    if c.rule in LINKS:
        text = link_formula(c.rule, c.refs)
    else:
        text = rules.formula(c.rule, c.refs, rumus, policy)  # type: ignore[arg-type]
    return check_formula(text, c.where)


def write_computed(ctx: Context, ws: Worksheet, c: Computed, fmt: Any) -> None:
    value = ctx.values[(c.sheet, c.row, c.col)]
    ws.write_formula(c.row, c.col, formula_text(c, ctx.rumus, ctx.policy), fmt, value)


def validation(ws: Worksheet, first: str, last: str, opts: dict[str, Any]) -> None:
    where = f"{ws.name}!{first}"
    check_validation_text(opts.get("input_title", ""), opts.get("input_message", ""), where)
    check_validation_text(opts.get("error_title", ""), opts.get("error_message", ""), where)
    if opts.get("validate") == "list" and isinstance(opts.get("source"), list):
        check_list_source(opts["source"], where)
    ws.data_validation(f"{first}:{last}", {"error_type": "stop", "show_input": True, **opts})


def list_rule(values: list[str], title: str, message: str) -> dict[str, Any]:
    return {
        "validate": "list", "source": values, "input_title": title, "input_message": message,
        "error_title": "Pilihan tidak sah", "error_message": "Pilih salah satu: " + ", ".join(values) + ".",
    }


def decimal_rule(title: str, message: str, minimum: float | None = 0) -> dict[str, Any]:
    if minimum is None:
        opts: dict[str, Any] = {"validate": "decimal", "criteria": "between",
                                "minimum": -1e15, "maximum": 1e15}
        err = "Isikan angka saja (tanpa huruf atau satuan)."
    else:
        opts = {"validate": "decimal", "criteria": ">=", "value": minimum}
        err = f"Isikan angka {num(minimum)} atau lebih (tanpa huruf, titik ribuan, atau satuan)."
    return {**opts, "input_title": title, "input_message": message,
            "error_title": "Harus angka", "error_message": err}


def traffic_light(ctx: Context, ws: Worksheet, rng: str, top_left: str) -> None:
    hijau, kuning = ctx.policy.lampu_thresholds()
    x = top_left
    rules_: list[tuple[str, str]] = []
    if hijau != float("inf"):
        rules_.append((f"=AND(ISNUMBER({x}),{x}>={num(hijau)})", "cf_hijau"))
        rules_.append((f"=AND(ISNUMBER({x}),{x}>={num(kuning)},{x}<{num(hijau)})", "cf_kuning"))
    else:
        rules_.append((f"=AND(ISNUMBER({x}),{x}>={num(kuning)})", "cf_kuning"))
    rules_.append((f"=AND(ISNUMBER({x}),{x}<{num(kuning)})", "cf_merah"))
    for crit, fmt in rules_:
        ws.conditional_format(rng, {"type": "formula", "criteria": crit, "format": ctx.st[fmt]})


def kategori_colours(ctx: Context, ws: Worksheet, rng: str, top_left: str) -> None:
    for band in ctx.policy.kategori:
        label = band.label.replace('"', '""')
        ws.conditional_format(rng, {"type": "formula", "criteria": f'={top_left}="{label}"',
                                    "format": ctx.st[f"cf_{band.lampu}"]})


def error_font(ctx: Context, ws: Worksheet, rng: str, top_left: str) -> None:
    ws.conditional_format(rng, {"type": "formula", "criteria": f'=LEFT({top_left},1)="#"',
                                "format": ctx.st["cf_galat"]})


def title(ctx: Context, ws: Worksheet, title: str, hint: str) -> None:
    ws.set_row(0, 22)
    ws.write_string(0, 0, title, ctx.st["judul"])
    ws.write_string(1, 0, hint, ctx.st["petunjuk_kecil"])


LINE_HEIGHT = 13.0


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped text of 10-point Calibri needs in a column ``width`` characters wide."""
    per_line = max(1.0, width * 1.2)
    return sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n"))

