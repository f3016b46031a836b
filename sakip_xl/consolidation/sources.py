"""Which files to consolidate, and the list of OPDs the city expects (``--daftar-opd``)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import SakipError, SumberError

__all__ = [
    "WORKBOOK_SUFFIXES",
    "OTHER_SPREADSHEETS",
    "DaftarOPDError",
    "SumberError",
    "KeluaranError",
    "TahunError",
    "check_output",
    "refuse_inputs_as_output",
    "OPDHarapan",
    "discover",
    "read_daftar_opd",
]

#: Files the reader can open (Office Open XML workbooks).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
#: Spreadsheet formats an OPD might save its workbook in by mistake: listed as errors, not read.
#: (CSV files are not collected at all: a folder often holds the daftar OPD beside the workbooks.)
OTHER_SPREADSHEETS = (".xls", ".xlsb", ".ods")


class KeluaranError(SumberError):
    """The output path cannot be used: an input workbook, not writable, or the wrong kind."""

    code = "KELUARAN"


class TahunError(SumberError):
    """The year asked for (``--tahun``) matches none of the workbooks."""

    code = "TAHUN_TIDAK_ADA"


class DaftarOPDError(SakipError, ValueError):
    """The list of expected OPDs cannot be read."""

    code = "DAFTAR_OPD"


@dataclass(frozen=True)
class OPDHarapan:
    kode: str
    nama: str = ""


def _is_candidate(p: Path) -> bool:
    name = p.name
    if name.startswith(("~$", ".")):  # Excel lock files, hidden files
        return False
    return p.suffix.lower() in WORKBOOK_SUFFIXES + OTHER_SPREADSHEETS


def discover(sources: str | Path | Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Files to consolidate, in a stable order.

    A folder is searched recursively for workbooks (and other spreadsheets, which are listed as
    unsupported); a file is taken as given.  Duplicated paths are kept once.
    """
    items: Sequence[str | Path] = [sources] if isinstance(sources, (str, Path)) else list(sources)
    skip = {p.resolve() for p in exclude}
    seen: set[Path] = set()
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = sorted((f for f in p.rglob("*") if f.is_file() and _is_candidate(f)),
                           key=lambda f: f.relative_to(p).as_posix().lower())
        elif p.is_file():
            found = [p]
        else:
            raise SumberError(f"Sumber {p} tidak ditemukan.",
                              hint="Periksa nama folder atau berkas workbook OPD.")
        for f in found:
            r = f.resolve()
            if r in skip or r in seen:
                continue
            seen.add(r)
            out.append(f)
    return out


_SPLIT = re.compile(r"\s*[;\t,|]\s*|\s+-\s+")


def _rows_from_text(text: str, name: str) -> list[list[str]]:
    if name.lower().endswith(".csv"):
        sample = text[:2048]
        delim = ";" if sample.count(";") > sample.count(",") else ","
        return [row for row in csv.reader(io.StringIO(text), delimiter=delim)]
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = _SPLIT.split(line, maxsplit=1)
        if len(parts) == 1:
            parts = line.split(None, 1)
        rows.append(parts)
    return rows


def _rows_from_xlsx(path: Path) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        data = wb.get_sheet_by_index(0).to_python()
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise DaftarOPDError(f"Daftar OPD {path.name} tidak dapat dibaca sebagai workbook ({type(exc).__name__})",
                             hint="Simpan daftar OPD sebagai .xlsx, CSV atau TXT (kode, nama).") from exc
    out = []
    for row in data:
        cells = ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
                 for v in row]
        out.append(cells)
    return out


_HEADER_WORDS = {"kode", "kode opd", "kode_opd", "opd_kode", "no", "nama", "nama opd"}


def read_daftar_opd(path: str | Path) -> list[OPDHarapan]:
    """Expected OPDs from a CSV, XLSX or TXT file: first column kode, second (optional) nama."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _rows_from_xlsx(p)
    else:
        try:
            text = p.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise DaftarOPDError(f"Daftar OPD {p} tidak dapat dibaca: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise DaftarOPDError(f"Daftar OPD {p.name} bukan teks UTF-8.") from exc
        rows = _rows_from_text(text, p.name)
    out: list[OPDHarapan] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        cells = [c.strip() for c in row]
        if not cells or not cells[0]:
            continue
        if i == 0 and cells[0].lower() in _HEADER_WORDS:
            continue
        kode = cells[0]
        if kode in seen:
            raise DaftarOPDError(f"Daftar OPD {p.name}: kode {kode!r} tercantum dua kali.")
        seen.add(kode)
        out.append(OPDHarapan(kode=kode, nama=cells[1] if len(cells) > 1 else ""))
    if not out:
        raise DaftarOPDError(f"Daftar OPD {p.name} kosong.",
                             hint="Satu OPD per baris: kode, lalu nama (CSV, XLSX atau TXT).")
    return out


def check_output(out: str | Path, suffixes: Sequence[str] = (".xlsx",), *, folder: bool = False) -> Path:
    """Refuse an output path before anything is read: the wrong extension, a folder where a file is
    meant (or a file where a folder is), a place that cannot be written.  Writability is tried for
    real (a temporary file is created and dropped), so permissions, read-only media and missing
    drives are all found now, not after every workbook has been read."""
    from ..atomic import probe_writable
    from ..oserr import explain

    p = Path(out)
    if not folder and suffixes and p.suffix.lower() not in suffixes:
        raise KeluaranError(
            f"berkas keluaran {p} harus berakhiran {' atau '.join(suffixes)}, bukan {p.suffix or '(tanpa akhiran)'}",
            hint=f"Pakai nama seperti {p.with_suffix(suffixes[0]).name}; rekap selalu ditulis sebagai Excel (.xlsx).")
    if not folder and p.is_dir():
        raise KeluaranError(f"keluaran {p} adalah folder, bukan berkas",
                            hint=f"Sebutkan nama berkas, mis. {p / 'rekap_kota.xlsx'}.")
    if folder and p.exists() and not p.is_dir():
        raise KeluaranError(f"keluaran {p} adalah berkas, bukan folder", hint="Sebutkan folder untuk --csv/--parquet.")
    try:
        probe_writable(p if folder else p.parent)
    except OSError as exc:
        message, hint, _ = explain(exc)
        raise KeluaranError(f"keluaran {p} tidak dapat ditulis: {message}", hint=hint) from exc
    return p


def _is_summary(path: Path) -> bool:
    """A city summary written by sakip-xl (its sheets), found without a native reader."""
    from ..excel.safety import open_package
    from ..excel.xlsxparts import read_layout

    try:
        pkg = open_package(path)
    except (SakipError, OSError):
        return False
    try:
        return {"Ringkasan Kota", "Per OPD", "Sumber"} <= set(read_layout(pkg).sheets)
    except (SakipError, OSError):
        return False
    finally:
        pkg.close()


def refuse_inputs_as_output(out: str | Path, found: Iterable[Path]) -> None:
    """Refuse an output path that is one of the inputs (named, or found in a source folder), unless
    it is a summary sakip-xl wrote before (that one is replaced, and never read as an input)."""
    target = Path(out).resolve()
    for f in found:
        if f.resolve() == target and not _is_summary(f):
            raise KeluaranError(
                f"berkas keluaran {out} adalah salah satu workbook masukan; menulis rekap ke sana akan "
                "menimpa workbook OPD itu, jadi tidak ada yang dibaca atau ditulis",
                hint="Tulis rekap ke nama lain, mis. -o rekap_kota.xlsx di luar folder workbook OPD.")
