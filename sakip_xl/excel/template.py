"""The standard OPD workbook (template), generated from the rule registry and the policy.

Public API::

    write_workbook(path, data=None, *, policy=None, rumus="udf", password=None) -> Path
    computed_cells(source=None, *, policy=None) -> list[Computed]
    computed_values(data=None, *, policy=None, sizes=None) -> dict[(sheet, cell), value]
    table_sizes(path) -> Sizes

``rumus="udf"`` writes ``=SAKIP_*`` add-in functions in the computed cells; ``"native"`` writes the
registry's plain Excel formulas for PCs without the add-in.  When ``data`` is given the input cells
are filled from the model and every formula cell carries the cached value the core computes, so
value readers (python-calamine) see what Excel would have saved.  The same inputs give the same
bytes: timestamps are fixed, and sheets, names, formats and validations are written in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path
from typing import Any, Literal

from defusedxml import ElementTree
from xlsxwriter.exceptions import XlsxWriterException
from xlsxwriter.workbook import Workbook

from .. import __version__
from ..atomic import atomic_path
from ..errors import TemplateError
from ..models import OPDWorkbook
from ..oserr import explain
from ..policy import Policy, default_policy
from ..rules import CellValue
from ..scoring.lke import load_kriteria
from .contract import SHEETS, TEMPLATE_VERSION
from .fill import evaluate, input_cells
from .layout import Computed, Sizes, WorkbookLayout
from .policy_names import policy_names
from .sheets import Context, formula_text, write_sheets
from .styles import make_styles

__all__ = [
    "CREATED",
    "write_workbook",
    "build_layout",
    "computed_cells",
    "computed_values",
    "table_sizes",
    "formula_text",
    "Computed",
    "Sizes",
]

#: Fixed creation date written to the workbook properties (deterministic bytes).
CREATED = dt.datetime(2025, 1, 1, 0, 0, 0)

Rumus = Literal["udf", "native"]


def build_layout(data: OPDWorkbook | None = None, policy: Policy | None = None,
                 sizes: Sizes | None = None) -> WorkbookLayout:
    """The layout for ``data``: tables have ``sizes`` rows (default :class:`Sizes`) and grow when
    the data needs more."""
    p = policy or default_policy()
    p.require_per_kriteria("template")
    d = data or OPDWorkbook()
    base = sizes or Sizes()
    grown = Sizes(max(base.pk, len(d.indikator)), max(base.anggaran, len(d.anggaran)),
                  max(base.tindak_lanjut, len(d.tindak_lanjut)))
    if min(grown.pk, grown.anggaran, grown.tindak_lanjut) < 1:
        raise TemplateError("setiap tabel harus punya sedikitnya 1 baris")
    return WorkbookLayout(grown, tuple(load_kriteria(p)))


def _check_rumus(rumus: str) -> None:
    if rumus not in ("udf", "native"):
        raise TemplateError(f"rumus harus 'udf' atau 'native', bukan {rumus!r}")


def write_workbook(path: str | os.PathLike[str], data: OPDWorkbook | None = None, *,
                   policy: Policy | None = None, rumus: Rumus = "udf",
                   password: str | None = None, sizes: Sizes | None = None) -> Path:
    """Write the OPD workbook to ``path`` (atomically) and return the path.

    ``sizes`` sets the pre-sized table rows (default :class:`Sizes`: PK and Rencana Aksi 100,
    Anggaran 200, Tindak Lanjut 50); tables always grow to hold ``data``.
    """
    _check_rumus(rumus)
    p = policy or default_policy()
    layout = build_layout(data, p, sizes)
    inputs = input_cells(layout, data)
    computed = layout.computed(p)
    values = evaluate(computed, inputs, p)
    profil = (data or OPDWorkbook()).profil

    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TemplateError(f"Folder {target.parent} tidak dapat dibuat: {exc.strerror or exc}",
                            hint="Periksa path berkas keluaran (-o).") from exc
    try:
        with atomic_path(target) as tmp:  # the one atomic writer: whole or nothing, usual file mode
            _write(tmp, layout, p, rumus, inputs, values, computed, password, profil)
    except OSError as exc:
        message, hint, _ = explain(exc, target)
        raise TemplateError(f"Berkas {target} tidak dapat ditulis: {message}", hint=hint) from exc
    except XlsxWriterException as exc:
        raise TemplateError(f"Berkas {target} tidak dapat ditulis ({type(exc).__name__})",
                            hint="Periksa izin folder dan apakah berkas sedang dibuka di Excel.") from exc
    return target


def _write(tmp: Path, layout: WorkbookLayout, p: Policy, rumus: str, inputs: Any, values: Any,
           computed: list[Computed], password: str | None, profil: Any) -> None:
    wb = Workbook(str(tmp), {"in_memory": True, "strings_to_formulas": False,
                             "strings_to_numbers": False, "strings_to_urls": False})
    wb.set_properties({
        "title": "Workbook SAKIP OPD",
        "subject": "Perjanjian Kinerja, Rencana Aksi, Anggaran, LKE dan Tindak Lanjut",
        "author": "sakip-xl",
        "company": profil.opd_nama or "",
        "keywords": "SAKIP, PK, LKE",
        "comments": f"Template {TEMPLATE_VERSION}, sakip-xl {__version__}, rumus {rumus}",
        "created": CREATED,
    })
    ctx = Context(
        wb=wb, st=make_styles(wb), layout=layout, policy=p, rumus=rumus, inputs=inputs,
        values=values, computed={(c.sheet, c.row, c.col): c for c in computed},
        password=password, opd_nama=profil.opd_nama,
        tahun="" if profil.tahun is None else str(profil.tahun),
    )
    write_sheets(ctx, SHEETS)
    for name, formula in policy_names(p):  # the policy travels with the workbook, as data
        wb.define_name(name, formula)
    wb.close()


# --------------------------------------------------------------------------- introspection
def _table_rows(path: Path) -> dict[str, int]:
    """Data rows of each Excel Table in a workbook (from ``xl/tables/*.xml``)."""
    from xlsxwriter.utility import xl_cell_to_rowcol

    out: dict[str, int] = {}
    try:
        with zipfile.ZipFile(path) as z:
            for name in sorted(z.namelist()):
                if name.startswith("xl/tables/") and name.endswith(".xml"):
                    root = ElementTree.fromstring(z.read(name))
                    first, last = root.get("ref", "").split(":")
                    out[root.get("name", "")] = xl_cell_to_rowcol(last)[0] - xl_cell_to_rowcol(first)[0]
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise TemplateError(f"{path}: tabel workbook tidak dapat dibaca ({exc})") from exc
    return out


def table_sizes(path: str | os.PathLike[str]) -> Sizes:
    """The pre-sized table rows of a workbook written by :func:`write_workbook`."""
    rows = _table_rows(Path(path))
    try:
        return Sizes(pk=rows["tblPK"], anggaran=rows["tblAnggaran"], tindak_lanjut=rows["tblTindakLanjut"])
    except KeyError as exc:
        raise TemplateError(f"{path}: tabel {exc.args[0]} tidak ada") from exc


def computed_cells(source: str | os.PathLike[str] | OPDWorkbook | None = None, *,
                   policy: Policy | None = None) -> list[Computed]:
    """Every computed cell of a workbook: sheet, row/col (``.cell`` gives A1), rule key and refs.

    ``source`` is a workbook written by :func:`write_workbook` (table sizes are read from it), the
    :class:`OPDWorkbook` it was written from, or None for the blank template.  The list is in
    evaluation order.  ``rule`` is a key of :data:`sakip_xl.rules.RULES` or a link kind of
    :mod:`sakip_xl.excel.links`; use :func:`formula_text` for a cell's formula.
    """
    p = policy or default_policy()
    if source is None or isinstance(source, OPDWorkbook):
        return build_layout(source, p).computed(p)
    layout = build_layout(None, p, table_sizes(source))
    n_lke = _table_rows(Path(source)).get("tblLKE")
    if n_lke != len(layout.kriteria):
        raise TemplateError(
            f"{source}: tblLKE memuat {n_lke} kriteria, kebijakan memuat {len(layout.kriteria)}"
        )
    return layout.computed(p)


def computed_values(data: OPDWorkbook | None = None, *, policy: Policy | None = None,
                    sizes: Sizes | None = None) -> dict[tuple[str, str], CellValue]:
    """What every computed cell should show for these inputs: ``(sheet, "A1") -> value``.

    ``sizes`` (e.g. :func:`table_sizes` of the file) covers the empty pre-sized rows too; without
    it the default sizes are used (rows beyond them are blank formulas anyway).
    """
    p = policy or default_policy()
    layout = build_layout(data, p, sizes)
    computed = layout.computed(p)
    values = evaluate(computed, input_cells(layout, data), p)
    return {(c.sheet, c.cell): values[(c.sheet, c.row, c.col)] for c in computed}
