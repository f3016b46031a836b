"""Carry a filled OPD workbook forward: read it, write a fresh template of the current version with
the same inputs.

One mechanism for every move of a filled workbook to a new file:

* between the two variants (native formulas / ``=SAKIP_*`` add-in functions): ``sakip-xl template
  --dari``, the ribbon's *Ubah Varian*;
* to a newer template version (the fresh file is always the current :data:`TEMPLATE_VERSION`);
* to next year's workbook (issue 14): the same call with an ``adjust`` step that changes the model
  (new year, realisation cleared ...) before it is written.

Public API::

    carry_forward(source, target, *, rumus="native", policy=None, adjust=None, sizes=None) -> Carried
    not_carried(source, target, issues=()) -> list[NotCarried]

Nothing is lost silently: every value typed in the source that the new file does not hold (a cell
the reader refused, text outside the template's input areas, a sheet the template does not have)
is listed in :attr:`Carried.not_carried` with its sheet, cell and the reason.  The source is only
read; the target is written atomically (:func:`~sakip_xl.excel.template.write_workbook`) and read
back: what it holds must be the model that was written.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import TemplateError
from ..issues import Issue, Severity
from ..models import OPDWorkbook
from ..policy import Policy, default_policy
from .contract import TEMPLATE_VERSION
from .layout import Sizes

__all__ = ["Carried", "NotCarried", "carry_forward", "not_carried"]

Rumus = Literal["udf", "native"]
Adjust = Callable[[OPDWorkbook], OPDWorkbook]


@dataclass(frozen=True)
class NotCarried:
    """One value of the source that the new workbook does not hold."""

    sheet: str
    cell: str
    value: Any
    reason: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell} = {self.value!r}: {self.reason}"


@dataclass(frozen=True)
class Carried:
    """What :func:`carry_forward` wrote."""

    source: Path
    target: Path
    rumus: Rumus
    versi_sumber: str | None
    workbook: OPDWorkbook
    issues: list[Issue] = field(default_factory=list)  #: the reader's findings on the source
    not_carried: list[NotCarried] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.not_carried

    def summary(self) -> str:
        """A short Indonesian report (what a message box or the CLI shows)."""
        wb = self.workbook
        varian = "rumus Excel biasa" if self.rumus == "native" else "fungsi add-in =SAKIP_*"
        lines = [
            f"{self.target.name} ditulis (template {TEMPLATE_VERSION}, {varian}) dari {self.source.name}"
            + (f" (template {self.versi_sumber})" if self.versi_sumber else "") + ".",
            f"Dibawa: Profil, {len(wb.indikator)} indikator, {len(wb.anggaran)} baris anggaran, "
            f"{sum(1 for j in wb.lke if j.jawaban_opd or j.jawaban_evaluator)} jawaban LKE, "
            f"{len(wb.tindak_lanjut)} tindak lanjut.",
        ]
        if self.not_carried:
            lines.append(f"{len(self.not_carried)} isian TIDAK dapat dibawa (salin manual):")
            lines += [f"  {n}" for n in self.not_carried[:15]]
            if len(self.not_carried) > 15:
                lines.append(f"  ... dan {len(self.not_carried) - 15} lainnya")
        else:
            lines.append("Semua isian terbawa.")
        return "\n".join(lines)


# --------------------------------------------------------------------------- comparing values
def _canon(value: Any) -> Any:
    """A value as typed, in a form that compares equal across the two files (None for empty)."""
    from .convert import to_number

    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return round(float(value), 9)
    text = " ".join(str(value).split())
    if not text:
        return None
    if re.search(r"\d", text):
        try:
            number = to_number(text)
        except Exception:  # noqa: BLE001  (not a number: compared as text)
            number = None
        if number is not None:
            return round(float(number), 9)
    return text.casefold()


_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3}\d{1,7})\"[^>]*?(?<!/)>(?:(?!</(?:\w+:)?c>).)*?<(?:\w+:)?f[\s>/]",
    re.S,
)


def _formula_cells(path: Path) -> dict[str, set[str]]:
    """Cells holding a formula, per sheet name (from the sheet XML)."""
    from defusedxml import ElementTree

    out: dict[str, set[str]] = {}
    with zipfile.ZipFile(path) as z:
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        root = ElementTree.fromstring(z.read("xl/workbook.xml"))
        for el in root.iter():
            if el.tag.rsplit("}", 1)[-1] != "sheet":
                continue
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            part = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if part in z.namelist():
                out[el.get("name", "")] = {m.decode() for m in _FORMULA_CELL.findall(z.read(part))}
    return out


def _grids(path: Path) -> dict[str, list[list[Any]]]:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    try:
        return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    finally:
        close = getattr(wb, "close", None)
        if close is not None:
            close()


def _a1(row: int, col: int) -> str:
    from .xlsxparts import a1

    return a1(row, col)


def _value(grid: list[list[Any]], row: int, col: int) -> Any:
    if 0 <= row < len(grid) and 0 <= col < len(grid[row]):
        v = grid[row][col]
        return None if v == "" else v
    return None


@dataclass
class _Book:
    path: Path
    grids: dict[str, list[list[Any]]]
    formulas: dict[str, set[str]]
    tables: dict[str, Any]  # casefolded name -> TableLoc
    names: dict[str, Any]  # casefolded name -> DefinedName

    @classmethod
    def open(cls, path: Path) -> _Book:
        from .safety import open_package
        from .xlsxparts import read_layout

        pkg = open_package(path)
        try:
            layout = read_layout(pkg)
        finally:
            pkg.close()
        return cls(path, _grids(path), _formula_cells(path), dict(layout.tables), dict(layout.names))

    def typed(self, sheet: str, row: int, col: int) -> Any:
        """The value typed at a cell (None for empty or a formula)."""
        if _a1(row, col) in self.formulas.get(sheet, set()):
            return None
        return _value(self.grids.get(sheet, []), row, col)

    def table_cells(self) -> set[tuple[str, int, int]]:
        out = set()
        for t in self.tables.values():
            for r in range(t.top[0], t.bottom[0] + 1):
                for c in range(t.top[1], t.bottom[1] + 1):
                    out.add((t.sheet, r, c))
        return out


def _table_columns(src: _Book, dst: _Book) -> Iterable[tuple[Any, int, str, Any | None, int | None]]:
    """(source table, source column, header, target table, target column) for every source column."""
    for key, t in src.tables.items():
        u = dst.tables.get(key)
        for i, header in enumerate(t.columns):
            col = t.top[1] + i
            yield t, col, header, u, (u.column_index(header) if u is not None else None)


class _Found:
    """The values found missing, each cell once."""

    def __init__(self) -> None:
        self.items: list[NotCarried] = []
        self._cells: set[tuple[str, str]] = set()

    def add(self, sheet: str, cell: str, value: Any, reason: str) -> None:
        if (sheet, cell) not in self._cells:
            self._cells.add((sheet, cell))
            self.items.append(NotCarried(sheet, cell, value, reason))


def _refused(src: _Book, issues: Sequence[Issue], found: _Found) -> None:
    from .xlsxparts import col_index

    for i in issues:
        if i.severity is not Severity.ERROR or not i.sheet or not i.cell:
            continue
        m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", i.cell)
        if m is None:
            continue
        v = src.typed(i.sheet, int(m.group(2)) - 1, col_index(m.group(1)))
        if v is not None:
            found.add(i.sheet, i.cell.replace("$", ""), v, f"{i.code}: {i.message}")


def _tables(src: _Book, dst: _Book, found: _Found) -> None:
    for t, col, header, u, ucol in _table_columns(src, dst):
        typed = [(r, src.typed(t.sheet, r, col)) for r in range(t.first_data_row, t.last_data_row + 1)]
        typed = [(r, v) for r, v in typed if _canon(v) is not None]
        if not typed:
            continue
        if u is None or ucol is None:
            for r, v in typed:
                found.add(t.sheet, _a1(r, col), v, f"kolom '{header}' tabel {t.name} tidak ada di template baru")
            continue
        held = Counter(_canon(dst.typed(u.sheet, r, ucol)) for r in range(u.first_data_row, u.last_data_row + 1))
        for r, v in typed:
            k = _canon(v)
            if held[k] > 0:
                held[k] -= 1
            else:
                found.add(t.sheet, _a1(r, col), v, f"nilai kolom '{header}' tabel {t.name} tidak terbawa")


def _names(src: _Book, dst: _Book, found: _Found) -> set[tuple[str, int, int]]:
    covered: set[tuple[str, int, int]] = set()
    for key, n in src.names.items():
        if n.sheet is None or n.cell is None:
            continue
        covered.add((n.sheet, *n.cell))
        v = src.typed(n.sheet, *n.cell)
        if _canon(v) is None or key == "versi_template":
            continue
        m = dst.names.get(key)
        w = dst.typed(m.sheet, *m.cell) if m is not None and m.sheet and m.cell else None
        if _canon(v) != _canon(w):
            found.add(n.sheet, _a1(*n.cell), v, f"isian '{n.name}' tidak terbawa")
    return covered


def _other_cells(src: _Book, dst: _Book, blanks: Sequence[_Book], covered: set[tuple[str, int, int]],
                 found: _Found) -> None:
    for sheet, grid in src.grids.items():
        cells = [(r, c) for r, row in enumerate(grid) for c in range(len(row))
                 if (sheet, r, c) not in covered and _canon(src.typed(sheet, r, c)) is not None]
        if sheet not in dst.grids:
            if cells:
                found.add(sheet, "A1", None, "lembar tambahan ini tidak ada di template baru")
            continue
        for r, c in cells:
            k = _canon(src.typed(sheet, r, c))
            if k == _canon(dst.typed(sheet, r, c)) or any(k == _canon(b.typed(sheet, r, c)) for b in blanks):
                continue  # carried, or the template text of the other variant
            found.add(sheet, _a1(r, c), src.typed(sheet, r, c), "di luar area isian template")


def not_carried(source: str | os.PathLike[str], target: str | os.PathLike[str],
                issues: Sequence[Issue] = (), *,
                templates: Sequence[str | os.PathLike[str]] = ()) -> list[NotCarried]:
    """Every value typed in ``source`` that ``target`` does not hold, with the reason.

    * a cell the reader refused (an error Issue at the cell) is listed with the Issue's message;
    * each column of each Excel Table: a typed value found in the source column but not in the
      target's column of the same table and header (rows may move: compared as multisets);
    * each named Profil cell: compared with the target's cell of the same name;
    * any other typed cell of a sheet both have: compared with the target's cell at the same address
      and with the blank ``templates`` (e.g. both variants: their labels differ); a sheet the target
      lacks is listed whole.
    """
    src, dst = _Book.open(Path(source)), _Book.open(Path(target))
    blanks = [_Book.open(Path(t)) for t in templates]
    found = _Found()
    _refused(src, issues, found)
    _tables(src, dst, found)
    covered = src.table_cells() | _names(src, dst, found)
    _other_cells(src, dst, blanks, covered, found)
    return found.items


# --------------------------------------------------------------------------- carrying
def _comparable(wb: OPDWorkbook) -> dict[str, Any]:
    # inputs only: where a value sits (lokasi) is provenance, and a newer template adds cells
    # (an upgrade from template 1.0 reads back more lokasi keys than the source had)
    data = wb.model_dump(mode="json", exclude={"sumber": True, "profil": {"versi_template"},
                                              **{k: {"__all__": {"lokasi"}} for k in
                                                 ("indikator", "anggaran", "lke", "tindak_lanjut")}})
    return data


def _carried_policy(path: Path) -> Policy | None:
    """The policy the source carries (when it names no file of this PC): a conversion keeps it."""
    from ..errors import SakipError
    from .policy_names import POLICY_NAME, is_portable, policy_from_names
    from .safety import open_package
    from .xlsxparts import read_layout

    try:
        pkg = open_package(path)
        try:
            layout = read_layout(pkg)
        finally:
            pkg.close()
        key = POLICY_NAME.casefold()
        carried = policy_from_names({n.name: n.text for k, n in layout.names.items()
                                     if k == key or k.startswith(key + "_")})
    except SakipError:
        return None  # unreadable: read_workbook says why; a damaged policy: the default is used
    return carried if carried is not None and is_portable(carried) else None


def carry_forward(source: str | os.PathLike[str], target: str | os.PathLike[str], *,
                  rumus: Rumus = "native", policy: Policy | None = None, adjust: Adjust | None = None,
                  sizes: Sizes | None = None) -> Carried:
    """Write ``target``: a fresh template of the current version holding ``source``'s inputs.

    ``policy`` is the policy the new workbook carries and is checked with: by default the one the
    source carries (a variant change keeps it), else the national default.
    ``adjust`` changes the model before it is written (next year's workbook: what it changes on
    purpose is listed in ``not_carried`` too, for the caller to filter); ``sizes`` the
    pre-sized table rows (default: at least the source's).  Raises a
    :class:`~sakip_xl.errors.WorkbookReadError` when the source cannot be read at all, and
    :class:`~sakip_xl.errors.TemplateError` when the target is the source itself.
    """
    from .reader import read_workbook
    from .template import table_sizes, write_workbook

    src, dst = Path(source), Path(target)
    if dst.exists() and src.exists() and os.path.samefile(src, dst):
        raise TemplateError(f"Berkas tujuan {dst} sama dengan sumbernya: sumber tidak pernah ditimpa.",
                            hint="Sebutkan nama berkas baru dengan -o.")
    source_policy = _carried_policy(src)
    p = policy or source_policy or default_policy()
    wb, issues = read_workbook(src, p)
    versi = wb.profil.versi_template
    model = adjust(wb.model_copy(deep=True)) if adjust else wb.model_copy(deep=True)
    model.sumber = None
    if sizes is None:
        try:
            found = table_sizes(src)
            base = Sizes()
            sizes = Sizes(max(found.pk, base.pk), max(found.anggaran, base.anggaran),
                          max(found.tindak_lanjut, base.tindak_lanjut))
        except TemplateError:
            sizes = None
    write_workbook(dst, model, policy=p, rumus=rumus, sizes=sizes)
    back, _ = read_workbook(dst, p)
    if _comparable(back) != _comparable(model):
        raise TemplateError(f"{dst.name}: isi yang dibaca kembali berbeda dari yang ditulis",
                            hint="Laporkan ke tim sakip-xl beserta berkas sumbernya.")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="sakip-bawa-") as tmp:
        blank_sizes = table_sizes(dst)
        # template text of both variants, with both policies (the Petunjuk states the policy)
        policies = [p] + ([source_policy] if source_policy is not None and source_policy != p else [])
        blanks = [write_workbook(Path(tmp) / f"kosong_{r}_{i}.xlsx", None, policy=q, rumus=r, sizes=blank_sizes)
                  for i, q in enumerate(policies) for r in ("native", "udf")]
        missing = not_carried(src, dst, issues, templates=blanks)
    return Carried(source=src, target=dst, rumus=rumus, versi_sumber=versi, workbook=model,
                   issues=list(issues), not_carried=missing)
