"""Handlers of the SAKIP ribbon tab, called by the VBA callbacks through ``RunPython``.

Every question to the user (folder, files, year, quarter, OPD list, last year's summary, variant,
target file) is asked in VBA (``macros/RibbonSakip.bas``) and arrives here as an argument; nothing
here opens a dialog over COM while VBA waits.  Each button has two layers:

* a **pure** function over paths and data that does the work through the core and returns a plan
  (what to write where, what to say): :func:`plan_periksa`, :func:`plan_hitung_ulang`,
  :func:`run_konsolidasi`, :func:`buat_template`, :func:`teks_bantuan` (and
  :func:`~sakip_xl.excel.carry.carry_forward` for Ubah Varian).  These are tested on real files;
* a thin **handler** (:func:`periksa`, :func:`hitung_ulang`, :func:`konsolidasi_folder`,
  :func:`template_baru`, :func:`ubah_varian`, :func:`bantuan`) that takes the answers as
  arguments, calls the pure function and writes the outcome to the result file ``hasil`` the VBA
  names: ``OK``/``GALAT``, the file to open, the closing message.  VBA shows that message in one box
  and opens the file.  Only :func:`periksa` touches Excel (it writes the Validasi sheet).

An expected failure (a :class:`~sakip_xl.errors.SakipError`) becomes its Indonesian message and
Saran; an unexpected one a short Indonesian message, with the traceback in
``%USERPROFILE%\\.sakip\\galat-terakhir.txt`` (never in a dialog).
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import traceback
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
    "rencana_rows",
    "plan_hitung_ulang",
    "run_konsolidasi",
    "buat_template",
    "teks_bantuan",
    "periksa",
    "hitung_ulang",
    "konsolidasi_folder",
    "template_baru",
    "ubah_varian",
    "bantuan",
    "RibbonError",
    "pastikan_dapat_ditulis",
    "jobs_in_excel",
    "tulis_hasil",
    "galat_path",
]

log = logging.getLogger(__name__)

VALIDASI_SHEET = "Validasi"
VALIDASI_HEADER: tuple[str, ...] = ("No", "Tingkat", "Kode", "Lembar", "Sel", "Pesan", "Saran")
#: File name of the city summary written into the chosen folder.
REKAP_NAMA = "Rekap SAKIP.xlsx"


# =========================================================================== pure layer
@dataclass(frozen=True)
class ValidasiPlan:
    """What Periksa Workbook writes: the Validasi sheet rows and the cell to select."""

    rows: list[list[Any]]
    first_error: tuple[str, str] | None
    counts: dict[Severity, int]
    #: the improvement plan (scoring.rencana), written below the findings; empty without LKE answers
    rencana: list[list[Any]] = field(default_factory=list)
    rencana_teks: str = ""

    @property
    def message(self) -> str:
        g, p, i = (self.counts[s] for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
        plan = f" {self.rencana_teks}" if self.rencana_teks else ""
        if g == p == i == 0:
            return "Tidak ada temuan: workbook siap dikirim." + plan
        return f"{g} galat, {p} peringatan, {i} info. Lihat lembar {VALIDASI_SHEET}." + plan


def rencana_rows(wb: Any, policy: Any) -> tuple[list[list[Any]], str]:
    """The OPD's plan to its next predikat and to the city's target, as Validasi rows and one line."""
    from ..scoring.rencana import angka_id, rencana_workbook

    if not any(j.jawaban_opd or j.jawaban_evaluator for j in wb.lke) or policy.lke.metode != "per_kriteria":
        return [], ""
    r, sumber = rencana_workbook(wb, policy, teratas=5)
    rows: list[list[Any]] = [[f"Rencana peningkatan: nilai LKE {angka_id(r.nilai)} ({r.predikat}), sumber {sumber}"],
                             ["No", "Predikat tujuan", "Kode", "Kriteria", "Jawaban sekarang", "Jawaban tujuan",
                              "Tambahan poin"]]
    lines = []
    for plan in (r.berikut, r.target):
        if plan is None or (plan is r.target and r.berikut is not None
                            and plan.predikat_tujuan == r.berikut.predikat_tujuan):
            continue
        for n, s in enumerate(plan.langkah, start=1):
            rows.append([n, plan.predikat_tujuan, s.kode, s.kriteria, s.jawaban_sekarang or "(kosong)", s.jawaban,
                         round(s.poin, 2)])
        lines.append(f"ke {plan.predikat_tujuan}: {plan.n_kriteria} kriteria (+{angka_id(plan.poin)} poin)")
    if not lines:
        return rows[:1] + [[f"Sudah di predikat tertinggi ({r.predikat})."]], ""
    return rows, "Rencana peningkatan " + "; ".join(lines) + f", rinciannya di lembar {VALIDASI_SHEET}."


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

    policy = current_policy()
    wb, issues = check_workbook(path, policy)
    issues = [i for i in issues if i.sheet != VALIDASI_SHEET]
    plan, line = rencana_rows(wb, policy) if wb is not None else ([], "")
    return ValidasiPlan(
        rows=validasi_rows(issues),
        first_error=_first_error(issues, sheets),
        counts=count_by_severity(issues),
        rencana=plan, rencana_teks=line,
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
    ringkasan: str = ""  #: the one-screen summary (as ``sakip-xl konsolidasi`` prints it)

    @property
    def message(self) -> str:
        text = f"Rekap {self.n_workbook} workbook OPD ditulis ke {self.path}."
        if self.n_galat:
            text += f" {self.n_galat} galat ditemukan: lihat lembar Masalah di rekap."
        return text + ("\n\n" + self.ringkasan if self.ringkasan else "")


class RibbonError(SakipError):
    """What a ribbon button cannot do, said in Indonesian."""

    code = "PITA"


def pastikan_dapat_ditulis(target: str | Path) -> None:
    """Refuse an output that cannot be written, before any input is read.

    A file open in Excel is locked on Windows (opening it for writing fails): the user is told to
    close it, by name."""
    target = Path(target)
    if target.is_dir():
        raise RibbonError(f"{target} adalah folder, bukan berkas rekap.")
    if target.exists():
        try:
            with open(target, "r+b"):
                pass
        except PermissionError as exc:
            raise RibbonError(f"Tutup {target.name} di Excel, lalu ulangi.",
                              hint="Rekap sebelumnya masih terbuka (atau berkasnya hanya-baca).") from exc
        return
    try:
        with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".sakip-uji-", delete=True):
            pass
    except OSError as exc:
        raise RibbonError(f"Folder {target.parent} tidak dapat ditulisi ({exc.strerror or exc}).",
                          hint="Pilih folder lain, atau minta izin tulis.") from exc


def jobs_in_excel() -> int:
    """Reader processes for a consolidation started from Excel: one core stays for Excel, at most 4
    (a city's 40-80 workbooks take a few seconds; more processes only cost start-up and memory)."""
    return max(1, min(4, (os.cpu_count() or 2) - 1))


def run_konsolidasi(folder: str | Path, out: str | Path | None = None, *, tahun: int | None = None,
                    sampai_tw: int | None = None, daftar_opd: str | Path | None = None,
                    rekap_lalu: str | Path | None = None, jobs: int | None = None) -> KonsolidasiPlan:
    """Consolidate every OPD workbook in ``folder`` and write the summary (``out`` or
    ``folder/Rekap SAKIP.xlsx``); the summary itself is never read as an input.  The output is
    checked writable before any workbook is read."""
    from ..consolidation import consolidate
    from .udfs import current_policy

    folder = Path(folder)
    target = Path(out) if out else folder / REKAP_NAMA
    pastikan_dapat_ditulis(target)
    rekap = consolidate(folder, current_policy(), sampai_tw, tahun=tahun, daftar_opd=daftar_opd,
                        rekap_lalu=rekap_lalu, jobs=jobs or jobs_in_excel(), exclude=[target],
                        output=target)  # checked before reading; never an input
    rekap.to_excel(target)
    return KonsolidasiPlan(path=target, n_workbook=len(rekap.sumber), n_galat=rekap.n_galat,
                           issues=list(rekap.issues), ringkasan=rekap.ringkasan_teks())


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
        "Tombol: Periksa Workbook (temuan ke lembar Validasi), Hitung Ulang, Ubah Varian (rumus biasa",
        "atau fungsi add-in, semua isian dibawa), Konsolidasi Folder, Template Baru.",
        "Panduan: docs/addin-instalasi.md dan docs/addin-uji-manual.md.",
    ]
    return "\n".join(lines)


# =========================================================================== handlers
Outcome = tuple[str, str]  #: (file VBA opens, "" for none; the closing message)
F = TypeVar("F", bound=Callable[..., Outcome])


def galat_path() -> Path:
    """Where an unexpected failure's traceback goes (the add-in's own folder)."""
    return Path(os.environ.get("USERPROFILE") or Path.home()) / ".sakip" / "galat-terakhir.txt"


def tulis_hasil(hasil: str | Path, ok: bool, buka: str, pesan: str) -> None:
    """The result file VBA reads (ANSI, CRLF): status, file to open, message."""
    text = "\r\n".join(["OK" if ok else "GALAT", buka, *pesan.splitlines()]) + "\r\n"
    Path(hasil).write_bytes(text.encode("cp1252", errors="replace"))


def _outcome(fn: Callable[[], Outcome]) -> tuple[bool, str, str]:
    try:
        buka, pesan = fn()
        return True, buka, pesan
    except SakipError as exc:
        return False, "", str(exc) + (f"\n\nSaran: {exc.hint}" if exc.hint else "")
    except Exception as exc:  # noqa: BLE001  (the boundary says it in Indonesian, the file keeps the trace)
        log.exception("tombol SAKIP gagal")
        where = galat_path()
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            where.write_text(traceback.format_exc(), encoding="utf-8")
        except OSError:
            pass
        return False, "", (f"Galat internal sakip-xl ({type(exc).__name__}). Rincian teknis untuk "
                           f"petugas TI disimpan di {where}.")


def _handler(fn: F) -> F:
    """Ribbon boundary: the outcome goes to the result file ``hasil`` (or is returned without one)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, hasil: str | None = None, **kw: Any) -> Any:
        ok, buka, pesan = _outcome(lambda: fn(*args, **kw))
        if hasil is None:
            return ok, buka, pesan
        tulis_hasil(hasil, ok, buka, pesan)
        return None

    return wrapper  # type: ignore[return-value]


@_handler
def periksa(book: Any = None) -> Outcome:
    """Periksa Workbook: issues to the Validasi sheet, select the first error cell."""
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    names = [s.name for s in book.sheets]
    plan = plan_periksa(book.fullname, sheets=names)
    if VALIDASI_SHEET in names:
        sheet = book.sheets[VALIDASI_SHEET]
        sheet.clear()
    else:
        sheet = book.sheets.add(VALIDASI_SHEET, after=book.sheets[-1])
    sheet["A1"].value = plan.rows
    sheet["A1"].expand("right").font.bold = True
    if plan.rencana:
        at = len(plan.rows) + 2
        sheet[f"A{at}"].value = plan.rencana
        sheet[f"A{at}"].font.bold = True
    sheet.autofit("c")
    if plan.first_error:
        target = book.sheets[plan.first_error[0]]
        target.activate()
        target[plan.first_error[1]].select()
    else:
        sheet.activate()
    return "", plan.message


@_handler
def hitung_ulang(berkas: str) -> Outcome:
    """Hitung Ulang (Excel recalculated first, in VBA): the core's OPD summary of the saved file."""
    return "", plan_hitung_ulang(berkas).message


@_handler
def konsolidasi_folder(folder: str, tahun: int | None = None, sampai_tw: int | None = None,
                       daftar_opd: str | None = None, rekap_lalu: str | None = None) -> Outcome:
    """Konsolidasi Folder with the options asked in VBA; VBA opens the summary."""
    plan = run_konsolidasi(folder, tahun=tahun, sampai_tw=sampai_tw, daftar_opd=daftar_opd,
                           rekap_lalu=rekap_lalu)
    return str(plan.path), plan.message


@_handler
def template_baru(berkas: str, kode: str, nama: str, tahun: int, rumus: str = "native") -> Outcome:
    """Template Baru: write the OPD's template (native formulas unless asked otherwise)."""
    out = buat_template(berkas, kode, nama, int(tahun), rumus=rumus)
    varian = "rumus Excel biasa" if rumus != "udf" else "fungsi add-in =SAKIP_*"
    return str(out), f"Template {nama} {tahun} ({varian}) ditulis ke {out}."


@_handler
def ubah_varian(sumber: str, tujuan: str, rumus: str = "native") -> Outcome:
    """Ubah Varian: a copy of the saved workbook in the other variant, every input carried."""
    from ..excel.carry import carry_forward

    if rumus not in ("native", "udf"):
        raise RibbonError(f"Varian tidak dikenal: {rumus!r}.")
    pastikan_dapat_ditulis(tujuan)
    res = carry_forward(sumber, tujuan, rumus="udf" if rumus == "udf" else "native")
    return str(res.target), res.summary()


@_handler
def bantuan() -> Outcome:
    """Bantuan: the list of functions and the version."""
    return "", teks_bantuan()
