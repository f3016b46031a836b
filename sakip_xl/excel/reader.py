"""Reading a filled OPD workbook back into the core's models.

Public API::

    read_workbook(path, policy=None) -> (OPDWorkbook, list[Issue])
    check_workbook(path, policy=None) -> (OPDWorkbook | None, list[Issue])

:func:`read_workbook` raises a :class:`~sakip_xl.errors.WorkbookReadError` subclass when the file
cannot be read at all (missing, not a workbook, password-protected, hostile, not a SAKIP template,
unsupported template version); anything wrong *inside* a readable workbook is an
:class:`~sakip_xl.issues.Issue` with its sheet and cell.  :func:`check_workbook` never raises a
:class:`~sakip_xl.errors.SakipError`: an unreadable file gives ``(None, [one error Issue])``.

How it reads (see ``shared/perf-notes.md``): python-calamine for cell values, only of the sheets
that hold the contract's tables and names; the small XML parts (``xl/workbook.xml``, rels,
``xl/tables/*.xml``) through zipfile + defusedxml for sheets, defined names and tables; and a scan
of the sheet XML for formula cells in the computed columns only.  No cached value of a computed cell
is used as data.  The input file is only ever read (once, into memory).

Every model gets ``lokasi`` (field -> ``"Sheet!A1"``, sheet names unquoted) and the workbook gets
``sumber`` (the path as given), so a consolidator can show where each number came from.  Keys:

* ``Indikator``: ``kode sasaran nama satuan polaritas tipe_agregasi target target_atas`` (PK);
  ``kode_rencana_aksi target_tw.0..3 realisasi_tw.0..3 faktor_pendukung faktor_penghambat`` and
  the computed ``realisasi capaian kategori`` (Rencana Aksi);
* ``AnggaranLine``: ``kode uraian level induk pagu realisasi_tw.0..3 serapan``;
* ``LKEJawaban``: ``kode jawaban_opd jawaban_evaluator bukti_dukung catatan nilai_opd nilai_evaluator``
  (only criteria with an answer, evidence or a note are in the model);
* ``TindakLanjut``: ``no rekomendasi rencana_tindak_lanjut penanggung_jawab batas_waktu status``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import python_calamine as pc

from ..errors import (
    NotSakipWorkbook,
    PolicyError,
    SakipError,
    UnsupportedTemplateVersion,
    WorkbookReadError,
)
from ..issues import Issue, Severity, sort_issues
from ..models import OPDWorkbook, Profil
from ..policy import Policy, default_policy
from ..scoring.lke import Kriteria, load_kriteria
from ..scoring.ringkasan import Ringkasan, ringkasan
from .codes import make_issue
from .contract import (
    PROFIL_NAMES,
    PROFIL_OPTIONAL,
    RINGKASAN_NAMES,
    SUPPORTED_VERSIONS,
    TABLES,
    TEMPLATE_VERSION,
    TableSpec,
)
from .convert import normalize_choice, normalize_integer, normalize_text
from .drift import (
    input_positions,
    normalize_code,
    pernyataan_overwritten,
    risky_formulas,
    risky_issue,
    structure_issues,
)
from .read_ringkasan import check_ringkasan
from .read_tables import (
    CellValues,
    Grid,
    TableReader,
    check_outside,
    read_anggaran,
    read_lke,
    read_pk,
    read_rencana_aksi,
    read_tindak_lanjut,
)
from .safety import Package, open_package
from .validate import validate
from .xlsxparts import (
    Layout,
    TableLoc,
    a1,
    check_counts,
    check_extent,
    compact_sheet,
    percent_styles,
    read_layout,
    scan_cells,
    strip_comments,
)

__all__ = ["read_workbook", "check_workbook", "check_workbook_full", "ReadResult"]

_REQUIRED_PROFIL = ("OPD_Kode", "OPD_Nama", "Tahun", "Kepala_Nama")
_RINGKASAN_NAMES = tuple(RINGKASAN_NAMES)
#: cells whose content needed reading as something else: the cached Ringkasan values are not compared
_TYPED_TEXT = frozenset({"NILAI_DINORMALKAN", "NILAI_TEKS_DI_SEL_ANGKA", "NILAI_PERSEN_SEL"})


@dataclass
class ReadResult:
    workbook: OPDWorkbook
    issues: list[Issue] = field(default_factory=list)
    #: where the validator finds Profil fields and Ringkasan names: key -> "Sheet!A1"
    cells: dict[str, str] = field(default_factory=dict)
    #: the OPD roll-up of the inputs read (full year), computed once for the checks and the consolidator
    ringkasan: Ringkasan | None = None


def _identify(layout: Layout, path: str) -> None:
    found_tables = [t for t in TABLES if layout.table(t) is not None]
    found_names = [n for n in (*PROFIL_NAMES, "Versi_Template") if layout.name(n) is not None]
    if not found_tables and not found_names:
        sheets = ", ".join(list(layout.sheets)[:8]) or "(tidak ada)"
        tables = ", ".join(t.name for t in layout.tables.values()) or "tidak ada"
        raise NotSakipWorkbook(
            f"{os.path.basename(path)} bukan template SAKIP: ditemukan lembar {sheets} dan tabel {tables}, "
            f"tetapi tidak ada tabel {', '.join(TABLES)} maupun nama Versi_Template",
            hint="Gunakan template resmi (sakip-xl template) dan salin isinya ke sana.",
        )


def _version_key(v: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in v.split("."))
    except ValueError:
        return (-1,)


def _check_version(raw: Any, where: str | None, issues: list[Issue]) -> str:
    text = normalize_text(raw).value or ""
    sheet, _, cell = (where or "").rpartition("!")
    if not text:
        issues.append(make_issue("VERSI_KOSONG", "versi template tidak tercatat (nama Versi_Template kosong "
                                 f"atau tidak ada); dibaca sebagai versi {TEMPLATE_VERSION}",
                                 sheet=sheet or None, cell=cell or None))
        return TEMPLATE_VERSION
    if text not in SUPPORTED_VERSIONS:
        newer = _version_key(text) > _version_key(TEMPLATE_VERSION)
        raise UnsupportedTemplateVersion(
            f"template versi {text} tidak didukung oleh sakip-xl ini (yang didukung: {', '.join(SUPPORTED_VERSIONS)})",
            hint="Perbarui sakip-xl." if newer else "Pindahkan isi ke template versi terbaru (sakip-xl template).",
        )
    if text != TEMPLATE_VERSION:
        issues.append(make_issue("VERSI_LAMA", f"template versi {text}; versi terbaru {TEMPLATE_VERSION}",
                                 sheet=sheet or None, cell=cell or None))
    return text


#: parts python-calamine reads besides the worksheets (it finds the sheets through these)
_BOOK_PARTS = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
               "xl/sharedStrings.xml", "xl/styles.xml")


class _Sheets:
    """Loads the sheets the reader needs.

    Each sheet's XML is extracted once (with the package's caps), compacted (:func:`compact_sheet`:
    the template's spare formula rows after the last value cut off), checked for cells beyond the
    limits, and scanned for formulas, errors and percentages.  python-calamine then reads cell
    values from a small uncompressed package holding only the compacted sheets, so it never sees a
    cell the limits refuse and does not inflate or parse the spare rows again.
    """

    def __init__(self, pkg: Package, layout: Layout, wanted: Sequence[str] = ()) -> None:
        self.pkg = pkg
        self.layout = layout
        self.grids: dict[str, Grid] = {}
        self.parts: dict[str, bytes] = {}  # book parts, as read (and checked)
        for name in _BOOK_PARTS:
            if pkg.has(name):
                # size caps and DTD check before python-calamine parses them
                self.parts[name] = pkg.read(name)
        if "xl/sharedStrings.xml" in self.parts:  # python-calamine reserves what the part declares
            check_counts("xl/sharedStrings.xml", self.parts["xl/sharedStrings.xml"], pkg.limits.strings)
        self.percent = percent_styles(pkg)  # reads (and checks) xl/styles.xml
        self.xml: dict[str, bytes] = {}  # sheet name -> its XML as stored
        self.compact: dict[str, bytes] = {}  # sheet name -> what python-calamine reads
        self.book: pc.CalamineWorkbook | None = None
        self.issues: list[Issue] = []  # input cells read as empty (drift.risky_formulas)
        for sheet in dict.fromkeys(wanted):
            self._load(sheet)

    def _load(self, sheet: str) -> None:
        part = self.layout.sheets.get(sheet)
        if part is None or not self.pkg.has(part):
            raise WorkbookReadError(f"lembar {sheet} disebut di workbook tetapi isinya tidak ada",
                                    hint="Simpan ulang berkas dari Excel.")
        data = strip_comments(self.pkg.read(part))
        small = compact_sheet(data)
        check_extent(sheet, small, self.pkg.limits)  # before python-calamine allocates the sheet's grid
        self.xml[sheet] = data
        self.compact[sheet] = small
        self.book = None

    def _calamine(self) -> pc.CalamineWorkbook:
        if self.book is None:
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
                for name, data in self.parts.items():
                    zf.writestr(name, data)
                for sheet, data in self.compact.items():
                    zf.writestr(self.layout.sheets[sheet], data)
            try:
                self.book = pc.CalamineWorkbook.from_filelike(io.BytesIO(buf.getvalue()))
            except Exception as exc:  # python-calamine raises its own tree (ZipError, XmlError ...)
                raise WorkbookReadError("workbook tidak dapat dibuka: pustaka pembaca menolak isinya "
                                        f"({type(exc).__name__})",
                                        hint="Simpan ulang berkas dari Excel sebagai .xlsx.") from exc
        return self.book

    def computed_cols(self, sheet: str) -> list[int]:
        cols: list[int] = []
        for spec in TABLES.values():
            loc = self.layout.table(spec.name)
            if loc is None or loc.sheet != sheet:
                continue
            for c in spec.columns:
                if c.kind != "input":
                    idx = loc.column_index(c.name)
                    if idx is not None:
                        cols.append(idx)
        return cols

    def grid(self, sheet: str, extra_cols: Sequence[int] = ()) -> Grid:
        """Values of ``sheet``; formula cells are scanned in its tables' computed columns and in
        ``extra_cols`` (given on the first call for a sheet)."""
        if sheet in self.grids:
            return self.grids[sheet]
        if sheet not in self.xml:
            self._load(sheet)
        cols = [*self.computed_cols(sheet), *extra_cols]
        book = self._calamine()
        try:
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except BaseException as exc:  # pyo3 panics derive from BaseException
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            raise WorkbookReadError(f"lembar {sheet} tidak dapat dibaca: pustaka pembaca menolak isinya "
                                    f"({type(exc).__name__})",
                                    hint="Simpan ulang berkas dari Excel.") from exc
        self._drop_risky(sheet, rows)
        scan = scan_cells(self.xml[sheet], cols, self.percent, n_rows=len(rows))
        g = Grid(sheet, rows, scan.errors, scan.cells, scan.percent)
        self.grids[sheet] = g
        return g


    def _drop_risky(self, sheet: str, rows: list[list[Any]]) -> None:
        """Input cells holding an external-link or volatile formula: read as empty, reported."""
        # the compacted sheet: what python-calamine reads (a cell with a cached value is never cut)
        found = risky_formulas(self.compact[sheet])
        if not found:
            return
        inputs = input_positions(self.layout, sheet)
        for (r, c), formula in found:
            if inputs is not None and (r, c) in inputs:
                if r < len(rows) and c < len(rows[r]):
                    rows[r][c] = ""
                self.issues.append(risky_issue(sheet, (r, c), formula))


def _wanted_sheets(layout: Layout) -> list[str]:
    """The sheets the reader will look at: those of the contract's tables and defined names."""
    out: list[str] = []
    for name in TABLES:
        loc = layout.table(name)
        out.append(loc.sheet if loc is not None else TABLES[name].sheet)
    for name in (*PROFIL_NAMES, "Versi_Template", *_RINGKASAN_NAMES):
        dn = layout.name(name)
        if dn is not None and dn.sheet is not None:
            out.append(dn.sheet)
    return [s for s in dict.fromkeys(out) if s in layout.sheets]


def _name_cell(layout: Layout, sheets: _Sheets, name: str) -> tuple[Any, str | None]:
    dn = layout.name(name)
    if dn is None or dn.sheet is None or dn.cell is None or dn.sheet not in layout.sheets:
        return None, None
    g = sheets.grid(dn.sheet)
    return g.raw(*dn.cell), g.where(*dn.cell)


def _read_profil(layout: Layout, sheets: _Sheets, res: ReadResult) -> Profil:
    values: dict[str, Any] = {}
    for name, fieldname in PROFIL_NAMES.items():
        if name == "Versi_Template":
            continue
        raw, where = _name_cell(layout, sheets, name)
        if where is None:
            if name not in PROFIL_OPTIONAL:
                res.issues.append(make_issue("NAMA_HILANG", f"nama {name} (isian Profil) tidak ada di workbook"))
            continue
        res.cells[f"profil.{fieldname}"] = where
        sheet, _, cell = where.rpartition("!")
        if name == "Tahun":
            conv: Any = normalize_integer(raw)
        elif name == "Jenis_PK":
            conv = normalize_choice(raw, ("Murni", "Perubahan"), what="jenis PK")
        elif name == "Status_Evaluasi":
            conv = normalize_choice(raw, ("Draf", "Final"), {"draft": "Draf"}, what="status evaluasi")
        else:
            conv = normalize_text(raw)
        if name == "OPD_Kode" and isinstance(raw, str) and conv.value:
            kode = normalize_code(conv.value)[0]
            if normalize_code(raw)[0] != raw.strip():  # invisible characters or compatibility forms
                shown = raw.strip().encode("ascii", "backslashreplace").decode()
                res.issues.append(make_issue(
                    "KODE_DINORMALKAN", f"kode OPD '{shown}' memuat karakter tak terlihat atau bentuk lain "
                    f"(mis. angka lebar penuh); dibaca '{kode}'", sheet=sheet, cell=cell))
                conv = conv._replace(value=kode, note=None, code=None)
        if conv.error:
            code = "PROFIL_JENIS_PK" if name == "Jenis_PK" else (conv.code or "NILAI_BUKAN_ANGKA")
            res.issues.append(make_issue(code, f"{name}: {conv.error}", sheet=sheet, cell=cell, hint=conv.hint))
            continue
        if conv.note:
            res.issues.append(make_issue("NILAI_DINORMALKAN", f"{name}: {conv.note}", sheet=sheet, cell=cell))
        if conv.value is not None and conv.value != "":
            values[fieldname] = conv.value
    return Profil(**values)


def _check_pernyataan(pkg: Package, layout: Layout, sheets: _Sheets, profil: Profil, issues: list[Issue]) -> None:
    """The printed Pernyataan PK takes title, OPD and signatories from Profil; a cell typed over
    with other text is reported (one byte scan of the sheet's head; values read only then)."""
    from .layout import PernyataanLayout

    pn = PernyataanLayout(n_rows=0)
    part = layout.sheets.get(pn.sheet)
    if part is None or not pkg.has(part):
        return
    expect: dict[tuple[int, int], tuple[str, str]] = {
        (pn.judul, 0): ("tahun", str(profil.tahun or "")),
        (pn.opd, 0): ("nama OPD", profil.opd_nama or ""),
        (pn.pihak1_nama, 2): ("nama kepala", profil.kepala_nama or ""),
        (pn.pihak2_nama, 2): ("nama atasan", profil.atasan_nama or ""),
        (pn.ttd_nama, 3): ("nama kepala", profil.kepala_nama or ""),
        (pn.ttd_nama, 1): ("nama atasan", profil.atasan_nama or ""),
    }
    head = pkg.head(part, 16 * 1024)  # the statement's head rows come first in the sheet
    typed = pernyataan_overwritten(strip_comments(head), pn.sheet, {k: v[0] for k, v in expect.items()})
    if not typed:
        return
    grid = sheets.grid(pn.sheet)
    for pos in typed:
        what, want = expect[pos]
        got = normalize_text(grid.raw(*pos)).value or ""
        if want and " ".join(want.casefold().split()) in " ".join(got.casefold().split()):
            continue
        issues.append(make_issue(
            "PERNYATAAN_BEDA", f"Pernyataan PK diketik ulang: “{got[:80]}” tidak memuat {what} di Profil "
            f"(“{want[:80]}”); yang dicetak berbeda dari yang direkap", sheet=pn.sheet, cell=a1(*pos)))


def _norm(v: Any) -> str:
    return " ".join(v.split()).casefold() if isinstance(v, str) else ""


def _by_headers(spec: TableSpec, grid: Grid) -> TableLoc | None:
    """The table's range found from its header row (when a tool dropped the Excel Table part)."""
    want = {_norm(c.name) for c in spec.columns if c.kind == "input"}
    for r, row in enumerate(grid.rows[:40]):
        headers = [_norm(v) for v in row]
        if not want <= set(headers):
            continue
        known = {_norm(c.name) for c in spec.columns}
        left = min(i for i, h in enumerate(headers) if h in known)
        right = left
        while right + 1 < len(headers) and headers[right + 1]:
            right += 1
        inputs = [i for i in range(left, right + 1) if headers[i] in want]
        last = r
        for rr in range(r + 1, len(grid.rows)):
            vals = grid.rows[rr]
            if any(i < len(vals) and vals[i] != "" for i in inputs):
                last = rr
        return TableLoc(name=spec.name, sheet=grid.sheet, top=(r, left), bottom=(max(last, r + 1), right),
                        columns=tuple(str(v) for v in grid.rows[r][left:right + 1]))
    return None


def _table(layout: Layout, sheets: _Sheets, name: str, issues: list[Issue]) -> TableReader | None:
    loc = layout.table(name)
    spec = TABLES[name]
    if loc is None:
        found = _by_headers(spec, sheets.grid(spec.sheet)) if spec.sheet in layout.sheets else None
        if found is None:
            issues.append(make_issue("TABEL_HILANG", f"tabel {name} (lembar {spec.sheet}) tidak ditemukan; isinya "
                                     "tidak dibaca", sheet=spec.sheet if spec.sheet in layout.sheets else None))
            return None
        issues.append(make_issue("TABEL_DARI_JUDUL", f"tabel Excel {name} tidak ada (mungkin dihapus oleh program "
                                 f"lain); dibaca dari baris judulnya, {found.ref}",
                                 sheet=found.sheet, cell=a1(*found.top)))
        reader = TableReader.open(spec, found, sheets.grid(spec.sheet), issues)
        if reader is not None:
            reader.formulas_known = False  # the sheet was not scanned for this table's formulas
        return reader
    if loc.sheet not in layout.sheets:
        return None
    return TableReader.open(spec, loc, sheets.grid(loc.sheet), issues)


def _uncomputed_note(readers: list[TableReader], more: list[str], issues: list[Issue]) -> None:
    cells = [c for r in readers for c in r.uncomputed] + more
    if cells:
        sheet, _, cell = cells[0].rpartition("!")
        issues.append(make_issue(
            "RUMUS_TIDAK_DIHITUNG",
            f"{len(cells)} sel hitungan menyimpan #NAME? (mis. {cells[0]}): fungsi SAKIP_* tidak dikenal oleh "
            "program yang terakhir menyimpan workbook; semua angka dihitung ulang dari isian",
            sheet=sheet, cell=cell))


def _carried_policy(layout: Layout, policy: Policy, issues: list[Issue]) -> None:
    """The policy the workbook carries is data: compared with the one in use, never obeyed."""
    from .policy_names import POLICY_NAME, policy_differences, policy_from_names

    key = POLICY_NAME.casefold()
    texts = {n.name: n.text for k, n in layout.names.items() if k == key or k.startswith(key + "_")}
    if not texts:
        return
    try:
        carried = policy_from_names(texts)
    except PolicyError as exc:
        issues.append(make_issue("KEBIJAKAN_BERBEDA", f"kebijakan yang dibawa workbook (nama {POLICY_NAME}) tidak "
                                 f"terbaca: {exc.message}; angka dihitung dengan kebijakan yang dipakai pemeriksa"))
        return
    diff = policy_differences(carried, policy) if carried is not None else []
    if diff:
        issues.append(make_issue(
            "KEBIJAKAN_BERBEDA",
            f"workbook dibuat dengan kebijakan lain (berbeda: {', '.join(diff)}); fungsi =SAKIP_* di workbook "
            "menghitung dengan kebijakan itu, sakip-xl dengan kebijakan yang dipakai pemeriksa"))


def _read(path: str | os.PathLike[str], policy: Policy, kriteria: list[Kriteria] | None,
          today: dt.date | None) -> ReadResult:
    shown = os.fspath(path)
    pkg = open_package(path)
    try:
        layout = read_layout(pkg)
        _identify(layout, shown)
        sheets = _Sheets(pkg, layout, _wanted_sheets(layout))
        res = ReadResult(OPDWorkbook(sumber=shown))
        res.issues.extend(structure_issues(layout))
        raw_v, where_v = _name_cell(layout, sheets, "Versi_Template")
        versi = _check_version(raw_v, where_v, res.issues)
        _carried_policy(layout, policy, res.issues)
        if pkg.has_macros:
            res.issues.append(make_issue("MAKRO_DIABAIKAN", "workbook berisi makro VBA; makro tidak dijalankan dan "
                                         "tidak dibaca, hanya nilai sel"))
        profil = _read_profil(layout, sheets, res)
        profil.versi_template = versi
        _check_pernyataan(pkg, layout, sheets, profil, res.issues)
        for key in _RINGKASAN_NAMES:
            dn = layout.name(key)
            if dn is not None and dn.sheet is not None and dn.cell is not None:
                res.cells[f"ringkasan.{key}"] = f"{dn.sheet}!{a1(*dn.cell)}"
        ks = kriteria if kriteria is not None else load_kriteria(policy)
        wb = res.workbook
        wb.profil = profil
        readers: list[TableReader] = []
        cv = CellValues(policy)  # every recomputed cell value, once per distinct rule and arguments
        if (t := _table(layout, sheets, "tblPK", res.issues)) is not None:
            pk = read_pk(t)
            readers.append(t)
            if (ra := _table(layout, sheets, "tblRencanaAksi", res.issues)) is not None:
                read_rencana_aksi(ra, pk, policy, cv)
                readers.append(ra)
            wb.indikator = pk.indikator
        if (t := _table(layout, sheets, "tblAnggaran", res.issues)) is not None:
            wb.anggaran = read_anggaran(t, policy, cv)
            readers.append(t)
        if (t := _table(layout, sheets, "tblLKE", res.issues)) is not None:
            wb.lke = read_lke(t, ks, policy, cv)
            readers.append(t)
        if (t := _table(layout, sheets, "tblTindakLanjut", res.issues)) is not None:
            wb.tindak_lanjut = read_tindak_lanjut(t)
            readers.append(t)
        tables = [t.loc for t in readers]
        for t in readers:  # an indicator typed in the row below the table is never dropped silently
            check_outside(t, [o for o in tables if o is not t.loc and o.sheet == t.loc.sheet])
        # Excel computed the summary from the cells as typed: compare cached values only when
        # nothing needed normalising or was refused
        clean = not any(i.severity is Severity.ERROR or i.code in _TYPED_TEXT for i in res.issues)
        more: list[str] = []
        # the roll-up, once: the Ringkasan check, the validator and the consolidator all use it
        rk = res.ringkasan = ringkasan(wb, policy, kriteria=ks, values=cv)
        res.issues.extend(check_ringkasan(layout, sheets.grid, rk, compare=clean, uncomputed=more))
        _uncomputed_note(readers, more, res.issues)
        res.issues.extend(sheets.issues)
        invalid = {f"{i.sheet}!{i.cell}" for i in res.issues if i.severity is Severity.ERROR and i.cell}
        res.issues.extend(validate(wb, policy, kriteria=ks, today=today, cells=res.cells,
                                   required_profil=_REQUIRED_PROFIL, invalid_cells=invalid, ringkasan=rk))
        return res
    finally:
        pkg.close()


def read_workbook(path: str | os.PathLike[str], policy: Policy | None = None, *,
                  kriteria: list[Kriteria] | None = None,
                  today: dt.date | None = None) -> tuple[OPDWorkbook, list[Issue]]:
    """Read and check one OPD workbook.

    Returns the workbook's inputs as an :class:`OPDWorkbook` and every Issue found (sorted, each
    with ``file`` set to the path as given).  Raises a :class:`WorkbookReadError` subclass when the
    file cannot be read at all.  ``today`` (default: the current date) decides overdue follow-ups.
    """
    res = _read(path, policy or default_policy(), kriteria, today)
    shown = os.fspath(path)
    return res.workbook, sort_issues(i.with_file(shown) for i in res.issues)


def check_workbook_full(path: str | os.PathLike[str], policy: Policy | None = None, *,
                        kriteria: list[Kriteria] | None = None,
                        today: dt.date | None = None) -> tuple[OPDWorkbook | None, list[Issue], Ringkasan | None]:
    """:func:`check_workbook` plus the workbook's :class:`~sakip_xl.scoring.ringkasan.Ringkasan` (the
    roll-up the checks used; None when the file could not be read)."""
    from .codes import issue_from_error

    shown = os.fspath(path)
    try:
        res = _read(path, policy or default_policy(), kriteria, today)
    except SakipError as exc:
        return None, [issue_from_error(exc, shown)], None
    except Exception as exc:  # a bug must not stop a batch: one INTERNAL issue for this file
        return None, [make_issue("INTERNAL", f"galat internal saat membaca berkas ({type(exc).__name__}: {exc})",
                                 file=shown)], None
    return res.workbook, sort_issues(i.with_file(shown) for i in res.issues), res.ringkasan


def check_workbook(path: str | os.PathLike[str], policy: Policy | None = None, *,
                   kriteria: list[Kriteria] | None = None,
                   today: dt.date | None = None) -> tuple[OPDWorkbook | None, list[Issue]]:
    """Like :func:`read_workbook`, but never raises a SakipError: an unreadable file gives
    ``(None, [one error Issue])``.  Unexpected internal errors become one ``INTERNAL`` Issue too,
    so a batch (consolidation, ``sakip-xl periksa``) always goes on with the next file."""
    from .codes import issue_from_error

    shown = os.fspath(path)
    try:
        return read_workbook(path, policy, kriteria=kriteria, today=today)
    except SakipError as exc:
        return None, [issue_from_error(exc, shown)]
    except Exception as exc:  # a bug must not stop a batch: one INTERNAL issue for this file
        return None, [make_issue("INTERNAL", f"galat internal sakip-xl saat membaca berkas ({type(exc).__name__})",
                                 file=shown)]
