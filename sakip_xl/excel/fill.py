"""Input cells from an :class:`~sakip_xl.models.OPDWorkbook`, and the cached values of every
computed cell, evaluated through the rule registry (:func:`sakip_xl.rules.cell_value`).

Cached values make a generated workbook look like one saved by Excel to value readers such as
python-calamine.  Nothing reads them back as truth: readers recompute from the inputs.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from xlsxwriter.utility import xl_cell_to_rowcol

from ..errors import TemplateError
from ..models import OPDWorkbook, Rentang
from ..policy import Policy
from ..rules import RULES, CellRange, CellValue, Ref, cell_value
from ..scoring.lke import Kriteria
from .contract import PROFIL_NAMES, TEMPLATE_VERSION, TW
from .layout import PROFIL_FIRST_ROW, PROFIL_ROWS, Computed, TableLayout, WorkbookLayout
from .links import LINKS, link_value

__all__ = ["Key", "InputValue", "input_cells", "evaluate", "parse_ref", "lke_static"]

Key = tuple[str, int, int]
InputValue = str | float | dt.date
#: Columns of tblLKE that the template prefills from the criteria list (locked).
LKE_STATIC = ("Kode", "Kode Sub", "Komponen", "Sub Komponen", "Kriteria", "Jenis Jawaban")


def parse_ref(ref: str, sheet: str) -> tuple[str, str]:
    """``"'Rencana Aksi'!$P$5"`` -> ``("Rencana Aksi", "$P$5")``; unqualified refs get ``sheet``."""
    if "!" in ref:
        s, cell = ref.rsplit("!", 1)
        if s.startswith("'") and s.endswith("'"):
            s = s[1:-1].replace("''", "'")
        return s, cell
    return sheet, ref


def lke_static(k: Kriteria) -> dict[str, str]:
    return {
        "Kode": k.kode, "Kode Sub": k.kode_sub, "Komponen": k.komponen,
        "Sub Komponen": k.sub_komponen, "Kriteria": k.kriteria, "Jenis Jawaban": k.jenis_jawaban,
    }


def _put(out: dict[Key, InputValue], sheet: str, row: int, col: int, v: Any) -> None:
    if v is None or (isinstance(v, str) and v == ""):
        return
    if isinstance(v, bool):
        raise TemplateError(f"nilai boolean tidak didukung di {sheet}")
    if isinstance(v, int):
        v = float(v)
    out[(sheet, row, col)] = v


def _tw(out: dict[Key, InputValue], sheet: str, row: int, cols: Iterable[int], values: list[Any]) -> None:
    for c, v in zip(cols, values, strict=False):
        _put(out, sheet, row, c, v)


def _profil(out: dict[Key, InputValue], data: OPDWorkbook) -> None:
    prof = data.profil.model_dump()
    for i, (name, _label) in enumerate(PROFIL_ROWS):
        value = TEMPLATE_VERSION if name == "Versi_Template" else prof[PROFIL_NAMES[name]]
        _put(out, "Profil", PROFIL_FIRST_ROW + i, 1, value)


def _check_rows(n: int, t: TableLayout, what: str) -> None:
    if n > t.n_rows:
        raise TemplateError(f"{n} {what} melebihi {t.n_rows} baris tabel {t.name}")


def _indikator(out: dict[Key, InputValue], layout: WorkbookLayout, data: OPDWorkbook) -> None:
    pk, ra = layout.pk, layout.ra
    _check_rows(len(data.indikator), pk, "indikator")
    for i, ind in enumerate(data.indikator):
        lo: float | None
        hi: float | None
        if isinstance(ind.target, Rentang):
            lo, hi = ind.target.bawah, ind.target.atas
        else:
            lo, hi = ind.target, None
        for col, v in (("Kode", ind.kode), ("Sasaran Strategis", ind.sasaran), ("Indikator Kinerja", ind.nama),
                       ("Satuan", ind.satuan), ("Polaritas", ind.polaritas),
                       ("Tipe Agregasi", ind.tipe_agregasi), ("Target", lo), ("Target Atas", hi)):
            _put(out, pk.sheet, pk.row(i), pk.col(col), v)
        _put(out, ra.sheet, ra.row(i), ra.col("Kode"), ind.kode)
        _tw(out, ra.sheet, ra.row(i), [ra.col(f"Target {t}") for t in TW], ind.target_tw)
        _tw(out, ra.sheet, ra.row(i), [ra.col(f"Realisasi {t}") for t in TW], ind.realisasi_tw)
        _put(out, ra.sheet, ra.row(i), ra.col("Faktor Pendukung"), ind.faktor_pendukung)
        _put(out, ra.sheet, ra.row(i), ra.col("Faktor Penghambat"), ind.faktor_penghambat)


def _anggaran(out: dict[Key, InputValue], layout: WorkbookLayout, data: OPDWorkbook) -> None:
    ag = layout.anggaran
    _check_rows(len(data.anggaran), ag, "baris anggaran")
    for i, line in enumerate(data.anggaran):
        for col, v in (("Kode", line.kode), ("Uraian", line.uraian), ("Level", line.level),
                       ("Induk", line.induk), ("Pagu", line.pagu)):
            _put(out, ag.sheet, ag.row(i), ag.col(col), v)
        _tw(out, ag.sheet, ag.row(i), [ag.col(f"Realisasi {t}") for t in TW], line.realisasi_tw)


def _lke(out: dict[Key, InputValue], layout: WorkbookLayout, data: OPDWorkbook) -> None:
    lk = layout.lke
    answers = {j.kode: j for j in data.lke}
    unknown = sorted(set(answers) - {k.kode for k in layout.kriteria})
    if unknown:
        raise TemplateError(f"jawaban LKE untuk kriteria yang tidak ada: {', '.join(unknown)}")
    for i, k in enumerate(layout.kriteria):
        for col, v in lke_static(k).items():
            _put(out, lk.sheet, lk.row(i), lk.col(col), v)
        j = answers.get(k.kode)
        if j is not None:
            for col, answer in (("Jawaban OPD", j.jawaban_opd), ("Jawaban Evaluator", j.jawaban_evaluator),
                                ("Bukti Dukung", j.bukti_dukung), ("Catatan", j.catatan)):
                _put(out, lk.sheet, lk.row(i), lk.col(col), answer)
    rk = layout.ringkasan
    for i, (kode_sub, _komponen, _nama, bobot) in enumerate(rk.subs):
        _put(out, rk.sheet, rk.sub_row(i), 0, kode_sub)
        _put(out, rk.sheet, rk.sub_row(i), 2, bobot)


def _tindak_lanjut(out: dict[Key, InputValue], layout: WorkbookLayout, data: OPDWorkbook) -> None:
    tl = layout.tindak_lanjut
    _check_rows(len(data.tindak_lanjut), tl, "tindak lanjut")
    for i, t in enumerate(data.tindak_lanjut):
        row: tuple[tuple[str, Any], ...] = (
            ("No", t.no), ("Rekomendasi", t.rekomendasi), ("Rencana Tindak Lanjut", t.rencana_tindak_lanjut),
            ("Penanggung Jawab", t.penanggung_jawab), ("Batas Waktu", t.batas_waktu), ("Status", t.status),
        )
        for col, v in row:
            _put(out, tl.sheet, tl.row(i), tl.col(col), v)


def input_cells(layout: WorkbookLayout, data: OPDWorkbook | None) -> dict[Key, InputValue]:
    """Every non-empty input (and prefilled label) cell: ``(sheet, row, col) -> value``."""
    d = data or OPDWorkbook()
    out: dict[Key, InputValue] = {}
    _profil(out, d)
    _indikator(out, layout, d)
    _anggaran(out, layout, d)
    _lke(out, layout, d)
    _tindak_lanjut(out, layout, d)
    return out


@functools.lru_cache(maxsize=65536)
def _key(ref: str, sheet: str) -> Key:
    s, cell = parse_ref(ref, sheet)
    r, c = xl_cell_to_rowcol(cell.replace("$", ""))
    return (s, r, c)


class _Cells:
    """Cell values by address, as a worksheet function sees them (empty cell -> None)."""

    def __init__(self, values: Mapping[Key, Any]) -> None:
        self.values = dict(values)
        self._ranges: dict[tuple[str, str], list[Key]] = {}

    def one(self, ref: str, sheet: str) -> Any:
        return self.values.get(_key(ref, sheet))

    def get(self, ref: Ref, sheet: str) -> Any:
        if ref is None:
            return None
        if isinstance(ref, CellRange):
            keys = self._ranges.get((ref.a1, sheet))
            if keys is None:
                keys = self._ranges[(ref.a1, sheet)] = [_key(x, sheet) for x in ref.cells]
            return [self.values.get(k) for k in keys]
        if isinstance(ref, (int, float)):
            return float(ref)
        if ref.startswith('"') and ref.endswith('"'):
            return ref[1:-1].replace('""', '"')
        return self.one(ref, sheet)


def evaluate(computed: list[Computed], inputs: Mapping[Key, Any], policy: Policy) -> dict[Key, CellValue]:
    """The value of every computed cell (in list order, so dependencies come first)."""
    cells = _Cells(inputs)
    out: dict[Key, CellValue] = {}
    for c in computed:
        if c.rule in RULES:
            args = [cells.get(c.refs.get(p.name), c.sheet) for p in RULES[c.rule].params]
            v = cell_value(c.rule, *args, policy=policy)
        elif c.rule in LINKS:
            v = link_value(c.rule, c.refs, functools.partial(cells.get, sheet=c.sheet))
        else:  # pragma: no cover - layout only emits known kinds
            raise TemplateError(f"aturan sel {c.rule!r} tidak dikenal di {c.where}")
        key = (c.sheet, c.row, c.col)
        cells.values[key] = v
        out[key] = v
    return out
