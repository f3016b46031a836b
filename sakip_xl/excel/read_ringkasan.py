"""The Ringkasan sheet's computed names (Capaian_Rata, Nilai_LKE, Predikat ...): caught if typed over.

Nothing on Ringkasan is data: every value comes from the one roll-up,
:func:`sakip_xl.scoring.ringkasan.ringkasan` (its ``sel``: each cell as the template's formulas
compute it through the rule registry).  A defined name whose cell holds a typed value instead of a formula gives
``RUMUS_DITIMPA``; a cached value that differs from the recomputed one gives
``NILAI_TERSIMPAN_BEDA`` (a predikat "A" typed into the summary is caught here).
"""

from __future__ import annotations

from collections.abc import Callable

from ..issues import Issue
from ..scoring.ringkasan import Ringkasan
from .codes import make_issue
from .contract import RINGKASAN_NAMES
from .convert import ExcelError, is_blank
from .read_tables import Grid, _same, _show
from .xlsxparts import Layout, a1

__all__ = ["check_ringkasan"]


def check_ringkasan(layout: Layout, grid_for: Callable[[str, list[int]], Grid], rk: Ringkasan, *, compare: bool,
                    uncomputed: list[str]) -> list[Issue]:
    """Typed-over and stale checks of the Ringkasan names against the roll-up ``rk``; ``compare=False``
    only checks for typed values (when inputs needed normalising, Excel computed from text and
    differs for that reason)."""
    wanted = rk.sel
    located = [(n, layout.name(n)) for n in RINGKASAN_NAMES]
    names = [(n, d) for n, d in located if d is not None and d.sheet in layout.sheets and d.cell is not None]
    if not names:
        return []
    out: list[Issue] = []
    by_sheet: dict[str, list[int]] = {}
    for _n, d in names:
        assert d.sheet is not None and d.cell is not None
        by_sheet.setdefault(d.sheet, []).append(d.cell[1])
    grids = {s: grid_for(s, cols) for s, cols in by_sheet.items()}
    for name, d in names:
        assert d.sheet is not None and d.cell is not None
        g = grids[d.sheet]
        fc = g.formulas.get(d.cell)
        cell = a1(*d.cell)
        if fc is None or not fc.formula:
            value = g.raw(*d.cell)
            if value is not None and not is_blank(value):
                out.append(make_issue("RUMUS_DITIMPA", f"{name}: sel ringkasan berisi nilai ketikan {_show(value)}, "
                                      "bukan rumus; nilai ini diabaikan dan dihitung ulang dari isian",
                                      sheet=d.sheet, cell=cell))
            continue
        cached = fc.cached
        if not compare or cached is None:
            continue
        if isinstance(cached, ExcelError) and cached.upper() == "#NAME?":
            uncomputed.append(f"{d.sheet}!{cell}")
            continue
        want = wanted.get(name, "")
        if not _same(cached, want):
            out.append(make_issue("NILAI_TERSIMPAN_BEDA", f"{name}: nilai tersimpan {_show(cached)} berbeda dari "
                                  f"hasil hitung ulang {_show(want)}; yang dipakai hasil hitung ulang",
                                  sheet=d.sheet, cell=cell))
    return out
