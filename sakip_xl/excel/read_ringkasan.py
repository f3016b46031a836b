"""The Ringkasan sheet's computed names (Capaian_Rata, Nilai_LKE, Predikat ...): caught if typed over.

Nothing on Ringkasan is data: every value is recomputed from the inputs through the rule registry,
cell by cell as the template's formulas compute it (``rata``, ``serapan``, ``lke_sub``, ``jumlah``,
``predikat`` ...).  A defined name whose cell holds a typed value instead of a formula gives
``RUMUS_DITIMPA``; a cached value that differs from the recomputed one gives
``NILAI_TERSIMPAN_BEDA`` (a predikat "A" typed into the summary is caught here).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..issues import Issue
from ..models import OPDWorkbook, Rentang
from ..policy import Policy
from ..rules import CellValue
from ..scoring.lke import Kriteria, sub_komponen_list
from .codes import make_issue
from .convert import ExcelError, is_blank
from .read_tables import CellValues, Grid, _same, _show
from .xlsxparts import Layout, a1

__all__ = ["recompute_ringkasan", "check_ringkasan"]


def _capaian_values(wb: OPDWorkbook, cell_value: CellValues) -> tuple[CellValue, ...]:
    out: list[CellValue] = []
    for ind in wb.indikator:
        lo: Any = ind.target.bawah if isinstance(ind.target, Rentang) else ind.target
        hi: Any = ind.target.atas if isinstance(ind.target, Rentang) else None
        real = cell_value("ytd", tuple(ind.realisasi_tw), ind.tipe_agregasi)
        out.append(cell_value("capaian", lo, real, ind.polaritas, hi))
    return tuple(out)


def _lke_total(answers: dict[str, str | None], ks: Sequence[Kriteria], cell_value: CellValues) -> CellValue:
    # each sub-component's criteria only: the same rule on the rows its SUMIF/COUNTIF would pick
    members: dict[str, list[CellValue]] = {}
    for k in ks:
        members.setdefault(k.kode_sub, []).append(cell_value("score", answers.get(k.kode), k.jenis_jawaban))
    komponen: dict[str, list[CellValue]] = {}
    for kode_sub, _komp, _nama, bobot in sub_komponen_list(list(ks)):
        values = members[kode_sub]
        v = cell_value("lke_sub", tuple(values), (kode_sub,) * len(values), kode_sub, bobot)
        komponen.setdefault(kode_sub.split(".")[0], []).append(v)
    return cell_value("jumlah", tuple(cell_value("jumlah", tuple(vals)) for vals in komponen.values()))


def _serapan(wb: OPDWorkbook, cell_value: CellValues) -> CellValue:
    levels = tuple(a.level for a in wb.anggaran)
    pagu = cell_value("jumlah_level", levels, tuple(a.pagu for a in wb.anggaran), "Program")
    tw = [cell_value("jumlah_level", levels, tuple(a.realisasi_tw[i] for a in wb.anggaran), "Program")
          for i in range(4)]
    return cell_value("serapan", pagu, tuple(tw))


def recompute_ringkasan(wb: OPDWorkbook, ks: Sequence[Kriteria], policy: Policy,
                        values: CellValues | None = None) -> dict[str, Callable[[], CellValue]]:
    """Defined name -> how to recompute its value (lazy: only names whose cell caches a value)."""
    memo: dict[str, CellValue] = {}
    cell_value = values if values is not None else CellValues(policy)

    def once(key: str, fn: Callable[[], CellValue]) -> Callable[[], CellValue]:
        def get() -> CellValue:
            if key not in memo:
                memo[key] = fn()
            return memo[key]
        return get

    capaian = once("capaian", lambda: _capaian_values(wb, cell_value))  # type: ignore[arg-type,return-value]
    rata = once("rata", lambda: cell_value("rata", capaian()))
    dibatasi = once("dibatasi", lambda: cell_value("rata", capaian(), policy.cap_rata_rata))
    serapan = once("serapan", lambda: _serapan(wb, cell_value))
    nilai = once("nilai", lambda: _lke_total(wb.jawaban_opd(), ks, cell_value))
    nilai_eval = once("nilai_eval", lambda: _lke_total(wb.jawaban_evaluator(), ks, cell_value))
    return {
        "Capaian_Rata": rata,
        "Capaian_Rata_Dibatasi": dibatasi,
        "Serapan_Anggaran": serapan,
        "Indeks_Efisiensi": lambda: cell_value("efisiensi", dibatasi(), serapan()),
        "Nilai_LKE": nilai,
        "Predikat": lambda: cell_value("predikat", nilai()),
        "Nilai_LKE_Evaluator": nilai_eval,
        "Predikat_Evaluator": lambda: cell_value("predikat", nilai_eval()),
    }


def check_ringkasan(layout: Layout, grid_for: Callable[[str, list[int]], Grid], wb: OPDWorkbook,
                    ks: Sequence[Kriteria], policy: Policy, *, compare: bool,
                    uncomputed: list[str], values: CellValues | None = None) -> list[Issue]:
    """Typed-over and stale checks of the Ringkasan names; ``compare=False`` only checks for typed
    values (when inputs needed normalising, Excel computed from text and differs for that reason)."""
    wanted = recompute_ringkasan(wb, ks, policy, values)
    located = [(n, layout.name(n)) for n in wanted]
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
        want = wanted[name]()
        if not _same(cached, want):
            out.append(make_issue("NILAI_TERSIMPAN_BEDA", f"{name}: nilai tersimpan {_show(cached)} berbeda dari "
                                  f"hasil hitung ulang {_show(want)}; yang dipakai hasil hitung ulang",
                                  sheet=d.sheet, cell=cell))
    return out
