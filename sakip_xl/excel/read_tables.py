"""Rows of the template's Excel Tables -> model objects, with an Issue for every problem.

Each table is found by name and each column by its header (see :mod:`.xlsxparts`), so rows may be
inserted or deleted, tables moved and columns added.  Every input cell goes through the one
conversion module (:mod:`.convert`); what it changed becomes an info Issue with the cell, what it
refused an error Issue.  Computed columns are never read as data: the formula cell's cached value is
only compared with the value recomputed through the rule registry (:func:`sakip_xl.rules.cell_value`),
which is how a capaian typed over by hand, or a stale file, is caught.

Rules that a model cannot even hold (an unknown polaritas, a range whose low bound is not below its
high one, a Rencana Aksi Kode missing from the PK) are reported here; every other rule runs on the
models in :mod:`.validate`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..issues import Issue
from ..models import AnggaranLine, Indikator, LKEJawaban, Rentang, TindakLanjut
from ..policy import POLARITAS, TIPE_AGREGASI, Policy
from ..rules import cell_value
from ..scoring.lke import Kriteria
from .codes import make_issue
from .contract import TABLES, TW, TableSpec
from .convert import (
    MAX_MAGNITUDE,
    Converted,
    ExcelError,
    PercentNumber,
    is_blank,
    normalize_answer,
    normalize_choice,
    normalize_date,
    normalize_number,
    normalize_target,
    normalize_text,
)
from .xlsxparts import FormulaCell, TableLoc, a1

__all__ = ["Grid", "TableReader", "CellValues", "check_outside", "read_pk", "read_rencana_aksi", "read_anggaran", "read_lke",
           "read_tindak_lanjut", "LEVELS", "STATUS"]

LEVELS = ("Program", "Kegiatan", "Sub Kegiatan")
STATUS = ("Belum", "Proses", "Selesai")
_LEVEL_ALIASES = {"subkegiatan": "Sub Kegiatan", "sub-kegiatan": "Sub Kegiatan"}
_TIPE_ALIASES = {"rata rata": "rata-rata", "ratarata": "rata-rata", "rata2": "rata-rata"}
_STATUS_ALIASES = {"sudah": "Selesai", "selesai 100%": "Selesai", "dalam proses": "Proses",
                   "belum ditindaklanjuti": "Belum"}


@dataclass
class Grid:
    """One sheet's values (python-calamine, from A1) plus what only the XML shows."""

    sheet: str
    rows: list[list[Any]]
    errors: dict[tuple[int, int], ExcelError] = field(default_factory=dict)
    formulas: dict[tuple[int, int], FormulaCell] = field(default_factory=dict)
    percent: set[tuple[int, int]] = field(default_factory=set)

    def raw(self, row: int, col: int) -> Any:
        if self.errors:
            err = self.errors.get((row, col))
            if err is not None:
                return err
        if row < len(self.rows):
            r = self.rows[row]
            if col < len(r):
                v = r[col]
                if v == "":
                    return None
                if self.percent and type(v) is float and (row, col) in self.percent:
                    return PercentNumber(v)
                return v
        return None

    def where(self, row: int, col: int) -> str:
        return f"{self.sheet}!{_letter(col)}{row + 1}"

    def constants(self) -> set[tuple[int, int]]:
        """Computed-column cells holding a typed value (no formula)."""
        return {pos for pos, fc in self.formulas.items() if not fc.formula and fc.has_value}


@lru_cache(maxsize=256)
def _letter(col: int) -> str:
    return a1(0, col)[:-1]


class CellValues:
    """:func:`sakip_xl.rules.cell_value` for one read, remembered by rule and arguments.

    The rules are pure functions of their arguments and the policy, and one workbook asks for the
    same value many times (the score of "Y" for a Y/T criterion; an indicator's capaian for its
    Rencana Aksi row and again for the Ringkasan), so each distinct call is computed once.  Scalar
    arguments are keyed with their type (``1`` and ``1.0`` and ``True`` hash alike).
    """

    __slots__ = ("policy", "memo")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.memo: dict[tuple[Any, ...], Any] = {}

    def __call__(self, key: str, *args: Any) -> Any:
        k: tuple[Any, ...] = (key, *args, *map(type, args))  # n arguments: 2n + 1 items, no clash
        try:
            return self.memo[k]
        except KeyError:
            pass
        except TypeError:  # a list argument (a range): keyed by its items
            k = (key, *[tuple(a) if type(a) is list else a for a in args], *map(type, args))
            try:
                return self.memo[k]
            except KeyError:
                pass
            except TypeError:  # still unhashable: no memo
                return cell_value(key, *args, policy=self.policy)
        v = self.memo[k] = cell_value(key, *args, policy=self.policy)
        return v


@dataclass
class TableReader:
    """Reads one table's rows; collects Issues with the cell of each problem."""

    spec: TableSpec
    loc: TableLoc
    grid: Grid
    issues: list[Issue]
    cols: dict[str, int] = field(default_factory=dict)
    #: computed cells whose cached value is #NAME? (saved where the add-in's functions were unknown)
    uncomputed: list[str] = field(default_factory=list)
    _const: set[tuple[int, int]] | None = None
    _prefix: dict[str, str] | None = None
    #: False when the table was found from its headers (its formula cells were not scanned)
    formulas_known: bool = True
    _inputs: list[int] | None = None
    _loc_pairs: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def open(cls, spec: TableSpec, loc: TableLoc, grid: Grid, issues: list[Issue]) -> TableReader | None:
        """None (with a KOLOM_HILANG issue) when an input column is missing."""
        cols: dict[str, int] = {}
        missing: list[str] = []
        for c in spec.columns:
            idx = loc.column_index(c.name)
            if idx is None:
                if c.kind == "input":
                    missing.append(c.name)
                continue
            cols[c.name] = idx
        if missing:
            issues.append(make_issue(
                "KOLOM_HILANG",
                f"tabel {loc.name} tidak punya kolom {', '.join(missing)}; tabel ini tidak dibaca "
                f"(kolom yang ada: {', '.join(loc.columns)})",
                sheet=loc.sheet, cell=a1(*loc.top),
            ))
            return None
        return cls(spec, loc, grid, issues, cols)

    # ------------------------------------------------------------------ cells
    def rows(self) -> range:
        last = min(self.loc.last_data_row, max(len(self.grid.rows) - 1, self.loc.first_data_row - 1))
        return range(self.loc.first_data_row, last + 1)

    def raw(self, row: int, col: str) -> Any:
        c = self.cols.get(col)
        if c is None:
            return None
        g = self.grid
        if not g.errors and not g.percent and row < len(g.rows):  # Grid.raw's common case, inlined
            r = g.rows[row]
            if c < len(r):
                v = r[c]
                return None if v == "" else v
            return None
        return g.raw(row, c)

    def values(self, row: int, names: Sequence[str]) -> list[Any]:
        """:meth:`raw` of several columns of one row (the plain case without a per-cell lookup)."""
        g = self.grid
        if g.errors or g.percent or row >= len(g.rows):
            return [self.raw(row, name) for name in names]
        r = g.rows[row]
        n = len(r)
        out: list[Any] = []
        for name in names:
            c = self.cols.get(name)
            v = r[c] if c is not None and c < n else None
            out.append(None if v == "" else v)
        return out

    def text_of(self, raw: Any, row: int, col: str) -> str:
        """:meth:`text` of a value already fetched with :meth:`raw` or :meth:`values`."""
        if raw is None:
            return ""
        if type(raw) is str and raw.isascii() and raw.isprintable() and raw.strip() == raw:
            return raw  # what normalize_text gives plain text, without building a Converted
        return self.take(normalize_text(raw), row, col) or ""

    def cell(self, row: int, col: str) -> str:
        return f"{_letter(self.cols[col])}{row + 1}"

    def where(self, row: int, col: str) -> str:
        return self.grid.where(row, self.cols[col])

    def blank_row(self, row: int) -> bool:
        inputs = self._inputs
        if inputs is None:
            inputs = self._inputs = [self.cols[c.name] for c in self.spec.columns
                                     if c.kind == "input" and c.name in self.cols]
        errors = self.grid.errors
        if row < len(self.grid.rows):
            values = self.grid.rows[row]
            n = len(values)
            unsure = False  # text of spaces or unprintable characters: is_blank decides below
            for c in inputs:
                v = values[c] if c < n else ""
                if v != "":
                    if type(v) is not str or (v.isprintable() and v.strip()):
                        return False
                    unsure = True
            if not unsure and (not errors or not any((row, c) in errors for c in inputs)):
                return True
        elif not errors or not any((row, c) in errors for c in inputs):
            return True
        return all(is_blank(self.grid.raw(row, c)) for c in inputs)

    def check_blank_row(self, row: int, cols: Sequence[str]) -> None:
        """A blank row's computed cells: only a typed value (no formula) is worth a word."""
        if not self.formulas_known:
            return
        constants = self._constants()
        for col in cols:
            c = self.cols.get(col)
            if c is not None and (row, c) in constants:
                self.check_computed(row, col, None)

    def prefixes(self) -> dict[str, str]:
        """``"Sheet!L"`` of each column (lokasi strings are built for every field of every row)."""
        if self._prefix is None:
            self._prefix = {name: f"{self.grid.sheet}!{_letter(c)}" for name, c in self.cols.items()}
        return self._prefix

    def _constants(self) -> set[tuple[int, int]]:
        if self._const is None:
            self._const = self.grid.constants()
        return self._const

    def issue(self, code: str, message: str, row: int, col: str, hint: str | None = None) -> None:
        self.issues.append(make_issue(code, message, sheet=self.grid.sheet, cell=self.cell(row, col), hint=hint))

    def take(self, conv: Converted[Any], row: int, col: str, error_code: str | None = None) -> Any:
        """The converted value; a note becomes an info Issue, an error an error Issue (value None)."""
        if conv.error is not None:
            code = conv.code or "NILAI_BUKAN_ANGKA"
            if error_code and code == "PILIHAN_TIDAK_DIKENAL":
                code = error_code
            self.issue(code, f"{col}: {conv.error}", row, col, conv.hint)
            return None
        if conv.note:
            self.issue("NILAI_DINORMALKAN", f"{col}: {conv.note}", row, col)
        return conv.value

    def text(self, row: int, col: str) -> str:
        return self.text_of(self.raw(row, col), row, col)

    def number(self, row: int, col: str, *, amount: bool = False,
               sel: dict[str, str] | None = None, field_name: str = "") -> float | None:
        """A number cell.  Text there ("60%" pasted as text) is read, but the workbook's formulas
        cannot compute with it: ``sel[field_name]`` gets the text (the roll-up then computes what the
        workbook shows) and the OPD a warning at the cell.  A number in a percent-formatted cell is
        what Excel stores (60% typed is 0.6): used as stored, with a warning."""
        raw = self.raw(row, col)
        if raw is None:
            return None
        if type(raw) is float and -MAX_MAGNITUDE <= raw <= MAX_MAGNITUDE:
            return raw  # a plain number needs no normalising (PercentNumber is a subclass: not here)
        if isinstance(raw, PercentNumber):
            self.issue("NILAI_PERSEN_SEL", f"{col}: sel berformat persen; Excel menyimpan {_show(raw * 100)}% "
                       f"sebagai {_show(float(raw))}, dan angka itulah yang dihitung workbook dan sakip-xl", row, col)
            return float(raw)
        if isinstance(raw, str) and not isinstance(raw, ExcelError) and sel is not None and not is_blank(raw):
            sel[field_name] = raw
            conv = normalize_number(raw, context="amount" if amount else "number")
            if conv.error is not None:
                self.take(conv, row, col)
                return None
            self.issue("NILAI_TEKS_DI_SEL_ANGKA", f"{col}: berisi teks {_show(raw)} (terbaca {_show(conv.value)}), "
                       "tetapi rumus workbook tidak menghitung teks; angka ini tidak dihitung di Ringkasan, "
                       "periksa, maupun rekap", row, col)
            return None if conv.value is None else float(conv.value)
        v = self.take(normalize_number(raw, context="amount" if amount else "number"), row, col)
        return None if v is None else float(v)

    def noted(self, row: int, cols: Sequence[str]) -> bool:
        """Did any of these cells need normalising (or fail)?  Then cached values are not compared."""
        for c in cols:
            v = self.raw(row, c)
            if isinstance(v, (str, bool, dt.date, PercentNumber)):
                return True
        return False

    # ------------------------------------------------------------------ computed cells
    def check_computed(self, row: int, col: str, expected: Callable[[], Any] | None,
                       *, typed_code: str = "RUMUS_DITIMPA", typed_message: str | None = None) -> None:
        """Typed-over and stale checks for one cell of a computed column.

        ``expected`` gives the recomputed value (None: do not compare cached values, e.g. when the
        inputs needed normalising and Excel itself saw text there).
        """
        c = self.cols.get(col)
        if c is None or not self.formulas_known:
            return
        fc = self.grid.formulas.get((row, c))
        if fc is None or not fc.formula:
            value = self.grid.raw(row, c)
            if value is None or is_blank(value):
                return
            self.issue(typed_code, typed_message or (
                f"{col}: sel hitungan berisi nilai ketikan {_show(value)}, bukan rumus; nilai ini "
                "diabaikan dan dihitung ulang dari isian"), row, col)
            return
        if expected is None:
            return
        cached = fc.cached
        if cached is None:
            return
        if isinstance(cached, ExcelError) and cached.upper() == "#NAME?":
            self.uncomputed.append(self.where(row, col))
            return
        want = expected()
        if not _same(cached, want):
            self.issue("NILAI_TERSIMPAN_BEDA",
                       f"{col}: nilai tersimpan {_show(cached)} berbeda dari hasil hitung ulang "
                       f"{_show(want)}; yang dipakai hasil hitung ulang", row, col)


def check_outside(r: TableReader, others: Sequence[TableLoc] = (), limit: int = 20) -> None:
    """Data typed below or beside the table is not read: a warning at its cell (one per row).

    Below: any value in the rows under the table; beside: values right of the table's last column in
    its rows.  Cells inside another table on the same sheet are not "outside".
    """
    loc, g = r.loc, r.grid
    left, right = loc.top[1], loc.bottom[1]
    first, last = loc.top[0], loc.last_data_row
    found: list[tuple[int, int]] = []
    for row in range(first, len(g.rows)):
        vals = g.rows[row]
        cols = range(left, len(vals)) if row > last else range(right + 1, len(vals))
        for c in cols:
            v = vals[c]
            if v == "" or (type(v) is str and is_blank(v)):
                continue
            if any(o.top[0] <= row <= o.bottom[0] and o.top[1] <= c <= o.bottom[1] for o in others):
                continue
            found.append((row, c))
            break
    for row, c in found[:limit]:
        where = "di bawah" if row > last else "di samping"
        r.issues.append(make_issue("DATA_DI_LUAR_TABEL", f"{_letter(c)}{row + 1} {where} tabel {loc.name} berisi "
                                   f"{_show(g.rows[row][c])}: data di luar tabel tidak dibaca",
                                   sheet=g.sheet, cell=f"{_letter(c)}{row + 1}"))
    if len(found) > limit:
        r.issues.append(make_issue("DATA_DI_LUAR_TABEL", f"dan {len(found) - limit} baris lain di luar tabel "
                                   f"{loc.name}", sheet=g.sheet, cell=f"{_letter(found[limit][1])}{found[limit][0] + 1}"))


def _show(v: Any) -> str:
    if v is None or v == "":
        return "(kosong)"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return f"{int(v):,}".replace(",", ".")
    if isinstance(v, float):
        return f"{v:.6g}".replace(".", ",")
    return f"“{v}”"


def _same(cached: Any, want: Any) -> bool:
    if type(cached) is type(want) and cached == want:
        return True
    if isinstance(cached, bool) or isinstance(want, bool):
        return cached == want
    if isinstance(cached, (int, float)) and isinstance(want, (int, float)):
        return math.isclose(float(cached), float(want), rel_tol=1e-9, abs_tol=1e-9)
    c = "" if cached is None else str(cached).strip()
    w = "" if want is None else str(want).strip()
    return c == w


def _loc(r: TableReader, row: int, fields: dict[str, str]) -> dict[str, str]:
    n = str(row + 1)
    pairs = r._loc_pairs.get(id(fields))
    if pairs is None:  # (field, "Sheet!L") of the columns this table has, once per table and field map
        prefix = r.prefixes()
        pairs = r._loc_pairs[id(fields)] = [(f, prefix[col]) for f, col in fields.items() if col in prefix]
    return {f: p + n for f, p in pairs}


# --------------------------------------------------------------------------- PK
@dataclass
class PKResult:
    indikator: list[Indikator] = field(default_factory=list)
    #: every Kode seen in the PK (also of rows left out for errors), casefolded
    seen: set[str] = field(default_factory=set)
    #: Kodes whose Target/Polaritas/Tipe needed normalising: Excel saw text there, so the cached
    #: values of their Rencana Aksi row are not compared
    noisy: set[str] = field(default_factory=set)


_PK_FIELDS = {"kode": "Kode", "sasaran": "Sasaran Strategis", "nama": "Indikator Kinerja",
              "satuan": "Satuan", "polaritas": "Polaritas", "tipe_agregasi": "Tipe Agregasi",
              "target": "Target", "target_atas": "Target Atas"}


def _pk_target(r: TableReader, row: int, sel: dict[str, str]) -> float | Rentang | None:
    raw_t, raw_hi = r.raw(row, "Target"), r.raw(row, "Target Atas")
    if isinstance(raw_t, PercentNumber):
        t: Any = r.number(row, "Target")
    elif isinstance(raw_t, str) and not isinstance(raw_t, ExcelError) and not is_blank(raw_t):
        sel["target"] = raw_t  # text (or a range typed as text): the workbook's formula shows #INPUT?
        conv = normalize_target(raw_t)
        t = r.take(conv, row, "Target") if conv.error is not None else conv.value
        if t is not None:
            shown = f"{_show(t[0])} s.d. {_show(t[1])}" if isinstance(t, tuple) else _show(t)
            r.issue("NILAI_TEKS_DI_SEL_ANGKA", f"Target: berisi teks {_show(raw_t)} (terbaca {shown}), tetapi "
                    "rumus workbook tidak menghitung teks; indikator ini tidak dinilai di Ringkasan, periksa, "
                    "maupun rekap", row, "Target")
    else:
        t = r.take(normalize_target(raw_t), row, "Target")
    hi = r.number(row, "Target Atas", sel=sel, field_name="target_atas")
    if isinstance(t, tuple):
        if hi is not None:
            r.issue("PK_RENTANG_GANDA", f"Target {_show(raw_t)} berupa rentang padahal Target Atas juga diisi "
                    f"({_show(raw_hi)})", row, "Target")
            return None
        lo, hi = t
    else:
        lo = t
    if lo is None:
        return None
    if hi is None:
        return lo
    if not lo < hi:
        r.issue("PK_RENTANG_TERBALIK", f"batas bawah rentang ({_show(lo)}) harus lebih kecil dari batas atas "
                f"({_show(hi)})", row, "Target")
        return None
    if lo < 0:
        r.issue("PK_TARGET_TIDAK_DAPAT_DINILAI", f"target rentang {_show(lo)} s.d. {_show(hi)} negatif", row, "Target")
        return None
    return Rentang(bawah=lo, atas=hi)


def read_pk(r: TableReader) -> PKResult:
    out = PKResult()
    first: dict[str, int] = {}
    for row in r.rows():
        if r.blank_row(row):
            continue
        n_issues = len(r.issues)
        kode = r.text(row, "Kode")
        nama = r.text(row, "Indikator Kinerja")
        pol = r.take(normalize_choice(r.raw(row, "Polaritas"), POLARITAS, what="polaritas"), row, "Polaritas", "PK_POLARITAS")
        tipe = r.take(normalize_choice(r.raw(row, "Tipe Agregasi"), TIPE_AGREGASI, _TIPE_ALIASES, what="tipe agregasi"),
                      row, "Tipe Agregasi", "PK_TIPE_AGREGASI")
        sel: dict[str, str] = {}
        target = _pk_target(r, row, sel)
        ok = True
        if not kode:
            r.issue("PK_KODE_KOSONG", "baris PK berisi data tetapi Kode kosong; baris ini tidak dibaca", row, "Kode")
            ok = False
        else:
            key = kode.casefold()
            out.seen.add(key)
            if key in first:
                r.issue("PK_KODE_GANDA", f"Kode {kode} sudah dipakai di baris {first[key] + 1}; baris ini tidak dibaca",
                        row, "Kode")
                ok = False
            else:
                first[key] = row
        if not nama:
            r.issue("PK_INDIKATOR_KOSONG", f"Indikator Kinerja untuk Kode {kode or '(kosong)'} kosong", row, "Indikator Kinerja")
            ok = False
        for value, col, code, choices in ((pol, "Polaritas", "PK_POLARITAS", POLARITAS),
                                          (tipe, "Tipe Agregasi", "PK_TIPE_AGREGASI", TIPE_AGREGASI)):
            if value is None:
                ok = False
                if is_blank(r.raw(row, col)):
                    r.issue(code, f"{col} kosong; pilihan: {', '.join(choices)}", row, col)
        if not ok:
            continue
        if len(r.issues) > n_issues or r.noted(row, ["Target", "Target Atas"]):
            out.noisy.add(kode.casefold())
        out.indikator.append(Indikator(
            kode=kode, sasaran=r.text(row, "Sasaran Strategis"), nama=nama, satuan=r.text(row, "Satuan"),
            polaritas=pol, tipe_agregasi=tipe, target=target, lokasi=_loc(r, row, _PK_FIELDS), sel=sel,
        ))
    return out


# --------------------------------------------------------------------------- Rencana Aksi
def _tw_fields(prefix: str, field_name: str) -> dict[str, str]:
    return {f"{field_name}.{i}": f"{prefix} {tw}" for i, tw in enumerate(TW)}


_RA_FIELDS = {
    "kode_rencana_aksi": "Kode", **_tw_fields("Target", "target_tw"), **_tw_fields("Realisasi", "realisasi_tw"),
    "faktor_pendukung": "Faktor Pendukung", "faktor_penghambat": "Faktor Penghambat",
    "realisasi": "Realisasi", "capaian": "Capaian (%)", "kategori": "Kategori",
    "tw_terakhir": "TW Terakhir", "target_sd_tw": "Target s.d. TW", "capaian_sd_tw": "Capaian s.d. TW (%)",
}
_SD_COLS = ("TW Terakhir", "Target s.d. TW", "Capaian s.d. TW (%)")
_LOOKUP_COLS = ("Indikator Kinerja", "Polaritas", "Tipe Agregasi", "Target", "Target Atas")
_TARGET_COLS = tuple(f"Target {tw}" for tw in TW)
_REAL_COLS = tuple(f"Realisasi {tw}" for tw in TW)
_PAGU_REAL_COLS = ("Pagu", *_REAL_COLS)


def read_rencana_aksi(r: TableReader, pk: PKResult, policy: Policy, values: CellValues | None = None) -> None:
    """Fill each PK indicator's quarters from its Rencana Aksi row (matched by Kode)."""
    cv = values if values is not None else CellValues(policy)
    index = {i.kode.casefold(): n for n, i in enumerate(pk.indikator)}
    done: dict[str, int] = {}
    for row in r.rows():
        if r.blank_row(row):
            r.check_blank_row(row, (*_LOOKUP_COLS, "Realisasi", "Capaian (%)", "Kategori", *_SD_COLS))
            continue
        kode = r.text(row, "Kode")
        sel: dict[str, str] = {}
        targets = [r.number(row, c, sel=sel, field_name=f"target_tw.{i}") for i, c in enumerate(_TARGET_COLS)]
        reals = [r.number(row, c, sel=sel, field_name=f"realisasi_tw.{i}") for i, c in enumerate(_REAL_COLS)]
        key = kode.casefold()
        if not kode:
            r.issue("RA_KODE_KOSONG", "baris Rencana Aksi berisi data tetapi Kode kosong; baris ini tidak dibaca",
                    row, "Kode")
            continue
        if key in done:
            r.issue("RA_KODE_GANDA", f"Kode {kode} sudah punya baris Rencana Aksi di baris {done[key] + 1}; "
                    "baris ini tidak dibaca", row, "Kode")
            continue
        done[key] = row
        n = index.get(key)
        if n is None:
            if key not in pk.seen:
                r.issue("RA_KODE_TIDAK_ADA", f"Kode {kode} tidak ada di tabel PK", row, "Kode")
            continue
        pk_ind = pk.indikator[n]
        # one validated model with the PK's fields and this row's (cheaper than five validated assignments)
        ind = pk.indikator[n] = Indikator(**{
            **pk_ind.__dict__, "target_tw": targets, "realisasi_tw": reals,
            "faktor_pendukung": r.text(row, "Faktor Pendukung"), "faktor_penghambat": r.text(row, "Faktor Penghambat"),
            "lokasi": {**pk_ind.lokasi, **_loc(r, row, _RA_FIELDS)}, "sel": {**pk_ind.sel, **sel},
        })
        _check_ra_computed(r, row, ind, cv, key in pk.noisy)
    for ind in pk.indikator:
        if ind.kode.casefold() not in done:
            where = ind.lokasi.get("kode", "")
            sheet, _, cell = where.rpartition("!")
            r.issues.append(make_issue("RA_TANPA_RENCANA_AKSI",
                                       f"indikator {ind.kode} tidak punya baris di lembar Rencana Aksi",
                                       sheet=sheet or None, cell=cell or None))


def _check_ra_computed(r: TableReader, row: int, ind: Indikator, cv: CellValues, pk_noisy: bool) -> None:
    formulas = r.grid.formulas if r.formulas_known else None
    for col in _LOOKUP_COLS:
        if formulas is not None and (c := r.cols.get(col)) is not None:
            fc = formulas.get((row, c))
            if fc is not None and fc.formula:
                continue  # a formula, as it should be: nothing to say (no cached value is compared here)
        r.check_computed(row, col, None)
    noisy = pk_noisy or r.noted(row, _REAL_COLS)
    target_lo: Any
    target_hi: Any = None
    if isinstance(ind.target, Rentang):
        target_lo, target_hi = ind.target.bawah, ind.target.atas
    else:
        target_lo = ind.target

    def ytd() -> Any:
        return cv("ytd", tuple(ind.realisasi_tw), ind.tipe_agregasi)

    def cap() -> Any:
        return cv("capaian", target_lo, ytd(), ind.polaritas, target_hi)

    def kat() -> Any:
        return cv("kategori", cap())

    targets, reals = tuple(ind.target_tw), tuple(ind.realisasi_tw)

    def tw_terakhir() -> Any:
        return cv("tw_terakhir", reals)

    def target_sd() -> Any:
        return cv("target_sd_tw", targets, reals, ind.tipe_agregasi, target_lo)

    def cap_sd() -> Any:
        return cv("capaian_sd_tw", target_sd(), ytd(), ind.polaritas, target_hi, targets, reals)

    noisy_t = noisy or r.noted(row, _TARGET_COLS)
    r.check_computed(row, "Realisasi", None if noisy else ytd)
    r.check_computed(row, "Capaian (%)", None if noisy else cap)
    r.check_computed(row, "Kategori", None if noisy else kat)
    r.check_computed(row, "TW Terakhir", None if noisy else tw_terakhir)
    r.check_computed(row, "Target s.d. TW", None if noisy_t else target_sd)
    r.check_computed(row, "Capaian s.d. TW (%)", None if noisy_t else cap_sd)


# --------------------------------------------------------------------------- Anggaran
_AG_FIELDS = {"kode": "Kode", "uraian": "Uraian", "level": "Level", "induk": "Induk", "pagu": "Pagu",
              **_tw_fields("Realisasi", "realisasi_tw"), "serapan": "Serapan (%)"}


def read_anggaran(r: TableReader, policy: Policy, values: CellValues | None = None) -> list[AnggaranLine]:
    cv = values if values is not None else CellValues(policy)
    out: list[AnggaranLine] = []
    first: dict[str, int] = {}
    for row in r.rows():
        if r.blank_row(row):
            r.check_blank_row(row, ("Serapan (%)",))
            continue
        kode = r.text(row, "Kode")
        level = r.take(normalize_choice(r.raw(row, "Level"), LEVELS, _LEVEL_ALIASES, what="level"), row, "Level", "AGG_LEVEL")
        induk = r.text(row, "Induk") or None
        sel: dict[str, str] = {}
        pagu = r.number(row, "Pagu", amount=True, sel=sel, field_name="pagu")
        real = [r.number(row, c, amount=True, sel=sel, field_name=f"realisasi_tw.{i}")
                for i, c in enumerate(_REAL_COLS)]
        noisy = r.noted(row, _PAGU_REAL_COLS)

        def serapan(p: float | None = pagu, q: list[float | None] = real) -> Any:
            return cv("serapan", p, tuple(q))

        r.check_computed(row, "Serapan (%)", None if noisy else serapan)
        if not kode:
            r.issue("AGG_KODE_KOSONG", "baris anggaran berisi data tetapi Kode kosong; baris ini tidak dibaca", row, "Kode")
            continue
        if level is None:
            if is_blank(r.raw(row, "Level")):
                r.issue("AGG_LEVEL", f"Level untuk Kode {kode} kosong; pilihan: {', '.join(LEVELS)}", row, "Level")
            continue
        if kode.casefold() in first:
            r.issue("AGG_KODE_GANDA", f"Kode {kode} sudah dipakai di baris {first[kode.casefold()] + 1}; "
                    "baris ini tidak dibaca", row, "Kode")
            continue
        first[kode.casefold()] = row
        out.append(AnggaranLine(kode=kode, uraian=r.text(row, "Uraian"), level=level, induk=induk, pagu=pagu,
                                realisasi_tw=real, lokasi=_loc(r, row, _AG_FIELDS), sel=sel))
    return out


# --------------------------------------------------------------------------- LKE
_LKE_COLS = ("Kode", "Jawaban OPD", "Jawaban Evaluator", "Jenis Jawaban", "Bukti Dukung", "Catatan")
_LKE_FIELDS = {"kode": "Kode", "jawaban_opd": "Jawaban OPD", "jawaban_evaluator": "Jawaban Evaluator",
               "bukti_dukung": "Bukti Dukung", "catatan": "Catatan", "nilai_opd": "Nilai OPD",
               "nilai_evaluator": "Nilai Evaluator"}


def read_lke(r: TableReader, kriteria: Sequence[Kriteria], policy: Policy,
             values: CellValues | None = None) -> list[LKEJawaban]:
    """Rows with an answer, evidence or a note (unanswered criteria are simply absent)."""
    cv = values if values is not None else CellValues(policy)
    by_kode = {k.kode: k for k in kriteria}
    seen: set[str] = set()
    out: list[LKEJawaban] = []
    for row in r.rows():
        if r.blank_row(row):
            continue
        raw_kode, raw_opd, raw_ev, raw_jenis, raw_bukti, raw_catatan = r.values(row, _LKE_COLS)
        kode = r.text_of(raw_kode, row, "Kode")
        k = by_kode.get(kode)
        jenis_sheet = r.text_of(raw_jenis, row, "Jenis Jawaban")
        answers: dict[str, str | None] = {}
        for col, field_name, nilai, raw in (("Jawaban OPD", "jawaban_opd", "Nilai OPD", raw_opd),
                                            ("Jawaban Evaluator", "jawaban_evaluator", "Nilai Evaluator", raw_ev)):
            ans = None if raw is None else r.take(normalize_answer(raw), row, col)
            answers[field_name] = ans
            # Excel saw text it could not score when the cell needed normalising ("ya" -> "Y")
            noisy = raw != ans and isinstance(raw, (str, bool, dt.date, PercentNumber))
            jenis = k.jenis_jawaban if k else jenis_sheet

            def score(a: str | None = ans, j: str = jenis) -> Any:
                return cv("score", a, j)

            r.check_computed(
                row, nilai,
                None if noisy else score,
                typed_code="LKE_NILAI_TANPA_JAWABAN" if ans is None else "RUMUS_DITIMPA",
                typed_message=(f"{nilai} diketik ({_show(r.raw(row, nilai))}) padahal {col} kosong; "
                               "nilai dihitung dari jawaban") if ans is None else None,
            )
        bukti, catatan = r.text_of(raw_bukti, row, "Bukti Dukung"), r.text_of(raw_catatan, row, "Catatan")
        if not kode:
            if any(answers.values()):
                r.issue("LKE_KODE_TIDAK_DIKENAL", "baris LKE berisi jawaban tetapi Kode kosong; baris ini tidak dibaca",
                        row, "Kode")
            continue
        if k is None:
            r.issue("LKE_KODE_TIDAK_DIKENAL", f"kriteria {kode} tidak ada dalam daftar kriteria LKE kebijakan; "
                    "baris ini tidak dibaca", row, "Kode")
            continue
        seen.add(kode)
        if jenis_sheet and jenis_sheet != k.jenis_jawaban:
            r.issue("LKE_JENIS_BEDA", f"Jenis Jawaban kriteria {kode} di lembar {jenis_sheet}, menurut daftar "
                    f"kriteria {k.jenis_jawaban}", row, "Jenis Jawaban")
        if any(answers.values()) or bukti or catatan:
            out.append(LKEJawaban(kode=kode, jawaban_opd=answers["jawaban_opd"],
                                  jawaban_evaluator=answers["jawaban_evaluator"], bukti_dukung=bukti,
                                  catatan=catatan, lokasi=_loc(r, row, _LKE_FIELDS)))
    missing = [k.kode for k in kriteria if k.kode not in seen]
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        r.issues.append(make_issue("LKE_KRITERIA_HILANG",
                                   f"{len(missing)} kriteria tidak ada di lembar LKE ({shown}); dihitung belum dijawab",
                                   sheet=r.grid.sheet, cell=a1(*r.loc.top)))
    return out


# --------------------------------------------------------------------------- Tindak Lanjut
_TL_FIELDS = {"no": "No", "rekomendasi": "Rekomendasi", "rencana_tindak_lanjut": "Rencana Tindak Lanjut",
              "penanggung_jawab": "Penanggung Jawab", "batas_waktu": "Batas Waktu", "status": "Status"}


def _tl_no(r: TableReader, row: int) -> int | str | None:
    raw = r.raw(row, "No")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
        return int(raw)
    text = r.text(row, "No")
    if text.isdigit():
        return int(text)
    return text or None


def read_tindak_lanjut(r: TableReader) -> list[TindakLanjut]:
    out: list[TindakLanjut] = []
    for row in r.rows():
        if r.blank_row(row):
            continue
        no = _tl_no(r, row)
        batas = r.take(normalize_date(r.raw(row, "Batas Waktu")), row, "Batas Waktu")
        status = r.take(normalize_choice(r.raw(row, "Status"), STATUS, _STATUS_ALIASES, what="status"),
                        row, "Status", "TL_STATUS")
        if no is None:
            r.issue("TL_KOSONG", "baris tindak lanjut berisi data tetapi No kosong; baris ini tidak dibaca", row, "No")
            continue
        if status is None and not is_blank(r.raw(row, "Status")):
            continue
        out.append(TindakLanjut(
            no=no, rekomendasi=r.text(row, "Rekomendasi"), rencana_tindak_lanjut=r.text(row, "Rencana Tindak Lanjut"),
            penanggung_jawab=r.text(row, "Penanggung Jawab"), batas_waktu=batas, status=status or "Belum",
            lokasi=_loc(r, row, _TL_FIELDS),
        ))
    return out


def spec(name: str) -> TableSpec:
    return TABLES[name]
