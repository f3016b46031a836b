"""Handlers of the SAKIP ribbon tab, called by the VBA callbacks through ``RunPython``.

Each button has two layers:

* a **pure** function over paths and data that does the work through the core and returns a plan
  (what to write where, what to open, what to say): :func:`plan_periksa`,
  :func:`plan_hitung_ulang`, :func:`run_konsolidasi`, :func:`buat_template`, :func:`teks_bantuan`.
  These are tested on real ``.xlsx`` files;
* a thin **xlwings shell** (:func:`periksa`, :func:`hitung_ulang`, :func:`konsolidasi_folder`,
  :func:`template_baru`, :func:`bantuan`) that reads the caller workbook's path, asks the user what
  it must ask, calls the pure function and applies the plan to the open workbook.  Only these
  touch Excel.

An expected failure (a :class:`~sakip_xl.errors.SakipError`) is shown as a short Indonesian
message box; nothing here restates a rule.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .. import __version__
from ..errors import SakipError
from ..issues import Issue, Severity, count_by_severity, sort_issues
from ..rules import RULES

__all__ = [
    "VALIDASI_SHEET",
    "VALIDASI_HEADER",
    "REKAP_NAMA",
    "ValidasiPlan",
    "HitungPlan",
    "KonsolidasiPlan",
    "validasi_rows",
    "plan_periksa",
    "plan_hitung_ulang",
    "run_konsolidasi",
    "buat_template",
    "teks_bantuan",
    "periksa",
    "hitung_ulang",
    "konsolidasi_folder",
    "template_baru",
    "bantuan",
]

log = logging.getLogger(__name__)

VALIDASI_SHEET = "Validasi"
VALIDASI_HEADER: tuple[str, ...] = ("No", "Tingkat", "Kode", "Lembar", "Sel", "Pesan", "Saran")
#: File name of the city summary written into the chosen folder.
REKAP_NAMA = "Rekap SAKIP.xlsx"
_JUDUL = "SAKIP"


# =========================================================================== pure layer
@dataclass(frozen=True)
class ValidasiPlan:
    """What Periksa Workbook writes: the Validasi sheet rows and the cell to select."""

    rows: list[list[Any]]
    first_error: tuple[str, str] | None
    counts: dict[Severity, int]

    @property
    def message(self) -> str:
        g, p, i = (self.counts[s] for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
        if g == p == i == 0:
            return "Tidak ada temuan: workbook siap dikirim."
        return f"{g} galat, {p} peringatan, {i} info. Lihat lembar {VALIDASI_SHEET}."


def validasi_rows(issues: Sequence[Issue]) -> list[list[Any]]:
    """Header plus one row per issue (sorted: severity, sheet, cell), plain text only."""
    rows: list[list[Any]] = [list(VALIDASI_HEADER)]
    for n, i in enumerate(sort_issues(issues), start=1):
        rows.append([n, i.severity.label, i.code, i.sheet or "", i.cell or "", i.message, i.hint or ""])
    return rows


def _first_error(issues: Sequence[Issue], sheets: Sequence[str] | None) -> tuple[str, str] | None:
    for i in sort_issues(issues):
        if i.severity is Severity.ERROR and i.sheet and i.cell and (sheets is None or i.sheet in sheets):
            return (i.sheet, i.cell.split(":")[0])
    return None


def plan_periksa(path: str | Path, sheets: Sequence[str] | None = None) -> ValidasiPlan:
    """Check the saved workbook at ``path`` through the reader; ``sheets`` limits the cell to select."""
    from ..excel.reader import check_workbook
    from .udfs import current_policy

    _wb, issues = check_workbook(path, current_policy())
    issues = [i for i in issues if i.sheet != VALIDASI_SHEET]
    return ValidasiPlan(
        rows=validasi_rows(issues),
        first_error=_first_error(issues, sheets),
        counts=count_by_severity(issues),
    )


def _fmt(x: Any, unit: str = "") -> str:
    if x is None:
        return "-"
    if isinstance(x, (int, float)):
        return f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".") + unit
    return str(x)


@dataclass(frozen=True)
class HitungPlan:
    """What Hitung Ulang reports after Excel recalculated: the OPD summary from the core."""

    ringkas: dict[str, Any]
    n_galat: int

    @property
    def message(self) -> str:
        r = self.ringkas
        text = (
            f"Capaian rata-rata {_fmt(r.get('capaian_rata'), ' %')} "
            f"(dibatasi {_fmt(r.get('capaian_rata_dibatasi'), ' %')}); "
            f"serapan {_fmt(r.get('serapan'), ' %')}; "
            f"nilai LKE {_fmt(r.get('nilai_lke'))} ({_fmt(r.get('predikat'))})"
            + (f", sumber {r['sumber_nilai']}" if r.get("sumber_nilai") else "") + "."
        )
        if self.n_galat:
            text += f" {self.n_galat} galat: jalankan Periksa Workbook."
        return text


def plan_hitung_ulang(path: str | Path) -> HitungPlan:
    """Recompute the OPD summary of the saved workbook from its inputs (never cached values)."""
    from ..consolidation.opd import score_opd
    from ..excel.reader import check_workbook_full
    from .udfs import current_policy

    policy = current_policy()
    wb, issues, rk = check_workbook_full(path, policy)
    if wb is None:
        n = count_by_severity(issues)[Severity.ERROR]
        return HitungPlan(ringkas={}, n_galat=max(n, 1))
    # the roll-up the reader computed: the same numbers periksa and the summary use
    res = score_opd(wb, policy, file=str(path), ringkasan_tahunan=rk, checked=True)
    n = count_by_severity(list(issues) + list(res.issues))[Severity.ERROR]
    return HitungPlan(ringkas=dict(res.ringkas), n_galat=n)


@dataclass(frozen=True)
class KonsolidasiPlan:
    path: Path
    n_workbook: int
    n_galat: int
    issues: list[Issue] = field(default_factory=list)

    @property
    def message(self) -> str:
        text = f"Rekap {self.n_workbook} workbook OPD ditulis ke {self.path}."
        if self.n_galat:
            text += f" {self.n_galat} galat ditemukan: lihat daftar masalah di rekap."
        return text


def run_konsolidasi(folder: str | Path, out: str | Path | None = None) -> KonsolidasiPlan:
    """Consolidate every OPD workbook in ``folder`` and write the summary (``out`` or
    ``folder/Rekap SAKIP.xlsx``); the summary itself is never read as an input."""
    from ..consolidation import consolidate
    from .udfs import current_policy

    folder = Path(folder)
    target = Path(out) if out else folder / REKAP_NAMA
    rekap = consolidate(folder, current_policy(), exclude=[target])
    rekap.to_excel(target)
    return KonsolidasiPlan(path=target, n_workbook=len(rekap.sumber), n_galat=rekap.n_galat,
                           issues=list(rekap.issues))


def buat_template(path: str | Path, opd_kode: str, opd_nama: str, tahun: int,
                  rumus: str = "native") -> Path:
    """Write a new OPD template at ``path`` with its Profil filled in."""
    from ..excel.template import write_workbook
    from ..models import OPDWorkbook, Profil
    from .udfs import current_policy

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_suffix(".xlsx")
    data = OPDWorkbook(profil=Profil(opd_kode=opd_kode.strip(), opd_nama=opd_nama.strip(), tahun=int(tahun)))
    return write_workbook(target, data, policy=current_policy(), rumus="udf" if rumus == "udf" else "native")


def teks_bantuan() -> str:
    """The help text: version and every =SAKIP_* function with its arguments (from the registry)."""
    lines = [f"sakip-xl {__version__}: fungsi lembar kerja SAKIP", ""]
    for rule in RULES.values():
        args = ", ".join(f"[{p.name}]" if p.optional else p.name for p in rule.params)
        lines.append(f"={rule.udf}({args})")
        lines.append(f"    {rule.doc}")
    lines += [
        "",
        "Tombol: Periksa Workbook (temuan ke lembar Validasi), Hitung Ulang, Konsolidasi Folder,",
        "Template Baru. Panduan: docs/addin-instalasi.md dan docs/addin-uji-manual.md.",
    ]
    return "\n".join(lines)


# =========================================================================== xlwings shells
F = TypeVar("F", bound=Callable[..., Any])


def _alert(book: Any, text: str, *, error: bool = False) -> None:
    book.app.alert(text, title=_JUDUL, buttons="ok", mode="critical" if error else "info")


def _boundary(fn: F) -> F:
    """Ribbon error boundary: a short Indonesian message box, never a traceback."""

    @functools.wraps(fn)
    def wrapper(book: Any = None) -> Any:
        import xlwings as xw

        book = book or xw.Book.caller()
        try:
            return fn(book)
        except SakipError as exc:
            _alert(book, str(exc) + (f"\n\nSaran: {exc.hint}" if exc.hint else ""), error=True)
        except Exception as exc:  # noqa: BLE001  (the boundary shows it, the log keeps the trace)
            log.exception("tombol SAKIP gagal")
            _alert(book, f"Galat internal ({type(exc).__name__}): {exc}", error=True)
        return None

    return wrapper  # type: ignore[return-value]


@_boundary
def periksa(book: Any) -> None:
    """Periksa Workbook: issues to the Validasi sheet, select the first error cell."""
    names = [s.name for s in book.sheets]
    plan = plan_periksa(book.fullname, sheets=names)
    if VALIDASI_SHEET in names:
        sheet = book.sheets[VALIDASI_SHEET]
        sheet.clear()
    else:
        sheet = book.sheets.add(VALIDASI_SHEET, after=book.sheets[-1])
    sheet["A1"].value = plan.rows
    sheet["A1"].expand("right").font.bold = True
    sheet.autofit("c")
    if plan.first_error:
        target = book.sheets[plan.first_error[0]]
        target.activate()
        target[plan.first_error[1]].select()
    else:
        sheet.activate()
    book.app.status_bar = plan.message
    _alert(book, plan.message)


@_boundary
def hitung_ulang(book: Any) -> None:
    """Hitung Ulang: full recalculation (every =SAKIP_* cell), then the core's OPD summary."""
    book.app.api.CalculateFull()
    plan = plan_hitung_ulang(book.fullname)
    book.app.status_bar = plan.message
    _alert(book, plan.message)


@_boundary
def konsolidasi_folder(book: Any) -> None:
    """Konsolidasi Folder: ask for a folder, consolidate it, open the summary."""
    import xlwings as xw

    dialog = book.app.api.FileDialog(4)  # msoFileDialogFolderPicker
    dialog.Title = "Pilih folder berisi workbook OPD"
    if not dialog.Show():
        return
    folder = dialog.SelectedItems(1)
    book.app.status_bar = f"Konsolidasi {folder} ..."
    plan = run_konsolidasi(folder)
    book.app.status_bar = plan.message
    xw.Book(str(plan.path))


@_boundary
def template_baru(book: Any) -> None:
    """Template Baru: ask for the OPD, write its template, open it."""
    import xlwings as xw

    api = book.app.api
    kode = api.InputBox(Prompt="Kode OPD (mis. 1.02.01):", Title="Template Baru", Type=2)
    if kode is False or not str(kode).strip():
        return
    nama = api.InputBox(Prompt="Nama OPD:", Title="Template Baru", Type=2)
    if nama is False or not str(nama).strip():
        return
    tahun = api.InputBox(Prompt="Tahun PK (mis. 2025):", Title="Template Baru", Type=1)
    if tahun is False:
        return
    path = api.GetSaveAsFilename(f"SAKIP {str(kode).strip()} {int(tahun)}.xlsx",
                                 "Workbook Excel (*.xlsx), *.xlsx")
    if path is False:
        return
    if Path(str(path)).exists():
        answer = book.app.alert(f"{path} sudah ada. Timpa?", title=_JUDUL, buttons="yes_no", mode="info")
        if answer != "yes":
            return
    out = buat_template(str(path), str(kode), str(nama), int(tahun))
    xw.Book(str(out))


@_boundary
def bantuan(book: Any) -> None:
    """Bantuan: the list of functions and the version."""
    _alert(book, teks_bantuan())
