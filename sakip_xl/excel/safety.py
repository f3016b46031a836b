"""Opening a workbook file safely: what it is, whether it is sane, before anything parses it.

A workbook from an OPD is untrusted input.  :func:`open_package` reads the file once into memory
(so the file on disk is never opened for writing, and read-only files work) and checks, cheaply:

* what the bytes are: empty, an encrypted OOXML (an OLE compound file holding
  ``EncryptedPackage``: password-protected), an old ``.xls``, a PDF, text/CSV, an OpenDocument
  spreadsheet, a Word/PowerPoint file, a ``.xlsb``, a truncated or broken zip;
* zip bombs: the number of members, each member's and the total uncompressed size, the
  compression ratio, and (because a zip can lie about sizes) every read is capped;
* XML with a ``DOCTYPE``/``ENTITY`` declaration (entity expansion, external entities): OOXML never
  has one, so any is refused before a parser sees it; parts parsed here use :mod:`defusedxml`;
* macros (``xl/vbaProject.bin``): noted, never run (nothing in a workbook is ever executed);
* what would steer an add-in (:func:`check_untrusted_settings`): a sheet named like an add-in
  configuration (``*.conf``, such as ``xlwings.conf`` or ``sakip.conf``, any visibility) or embedded
  add-in code (``*.py``), and a VBA project inside an ``.xlsx``-named file (Excel never saves one
  there): refused as ``BERBAHAYA`` at that sheet.

Each problem is one exception of the :class:`~sakip_xl.errors.WorkbookReadError` family with an
Indonesian message saying what was found and a hint.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NotSakipWorkbook, UnsafeWorkbook, WorkbookReadError
from ..fmt import angka, mib
from ..oserr import explain

__all__ = [
    "Limits",
    "LIMITS",
    "EncryptedWorkbook",
    "UnsupportedFormat",
    "DuplicateMember",
    "Package",
    "open_package",
    "check_xml",
    "AddinSettingsInWorkbook",
    "check_untrusted_settings",
    "addin_settings_sheets",
]


class EncryptedWorkbook(WorkbookReadError):
    """A password-protected workbook (encrypted OOXML in an OLE compound file)."""

    code = "TERKUNCI"


class UnsupportedFormat(WorkbookReadError):
    """A spreadsheet in a format sakip-xl does not read (.xls, .xlsb, .ods)."""

    code = "FORMAT_TIDAK_DIDUKUNG"


class DuplicateMember(UnsafeWorkbook):
    """A zip holding two members with one name (two different PK sheets in one file)."""

    code = "ZIP_BAGIAN_GANDA"


@dataclass(frozen=True)
class Limits:
    """Sizes far above any real OPD workbook (a full one is well under 1 MB) and far below harm."""

    file_bytes: int = 50 * 1024 * 1024
    members: int = 2_000
    member_bytes: int = 40 * 1024 * 1024
    total_bytes: int = 150 * 1024 * 1024
    #: compression ratio allowed for members above ``ratio_min_bytes`` uncompressed
    ratio: float = 150.0
    ratio_min_bytes: int = 1024 * 1024
    #: highest sheet row / column (1-based) a cell may have in a sheet the reader loads
    max_row: int = 20_000
    max_col: int = 78  # column BZ
    #: shared strings a workbook may declare (``<sst uniqueCount>``: python-calamine reserves them)
    strings: int = 1_000_000


LIMITS = Limits()

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)

_HINT_RESAVE = "Buka berkas di Excel lalu simpan sebagai Buku Kerja Excel (.xlsx) dari template SAKIP."


def _mib(n: int) -> str:
    return mib(n)


#: the usual start of a part: optional BOM, whitespace, an XML declaration, then the root element
_PLAIN_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^<>]*\?>)?\s*<[A-Za-z_]")


def check_xml(name: str, data: bytes) -> None:
    """Refuse an XML part carrying a DTD (entity expansion or external entities).

    A document type declaration may only stand before the root element (a parser never expands
    one placed later), so a part whose root element comes first (every part Excel or LibreOffice
    writes) needs no further look; otherwise the whole part is searched."""
    if _PLAIN_PROLOG.match(data):
        return
    first = data.find(b"<!")  # a DTD starts with "<!": one fast scan, the regex only from there
    if first >= 0 and _DTD.search(data, first):
        raise UnsafeWorkbook(
            f"bagian {name} berisi deklarasi DOCTYPE/ENTITY; workbook Excel yang sah tidak pernah "
            "memilikinya (kemungkinan serangan ekspansi entitas XML), jadi berkas tidak dibaca",
            hint=_HINT_RESAVE,
        )


@dataclass
class Package:
    """A workbook zip held in memory, with capped reads."""

    path: Path
    data: bytes
    zf: zipfile.ZipFile
    limits: Limits = LIMITS
    names: frozenset[str] = field(default_factory=frozenset)
    _read_total: int = 0
    #: parts already read (a part asked for twice is inflated, counted and checked once)
    _parts: dict[str, bytes] = field(default_factory=dict)
    _xml_checked: set[str] = field(default_factory=set)

    @property
    def has_macros(self) -> bool:
        return any(n.lower().endswith("vbaproject.bin") for n in self.names)

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str, *, xml: bool = True) -> bytes:
        """A member's bytes, never more than the limits allow (a zip may lie about sizes)."""
        data = self._parts.get(name)
        if data is None:
            data = self._parts[name] = self._inflate(name)
        if xml and name not in self._xml_checked:
            check_xml(name, data)
            self._xml_checked.add(name)
        return data

    def head(self, name: str, n: int) -> bytes:
        """The first ``n`` bytes (or fewer) of a member, inflating no more than that; the whole
        member (through :meth:`read`, with its checks) when it cannot be read that way."""
        if name in self._parts:
            return self._parts[name][:n]
        try:
            info = self.zf.getinfo(name)
            at = info.header_offset
            head = self.data[at:at + 30]
            if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1 or head[:4] != b"PK\x03\x04":
                return self.read(name)[:n]
            start = at + 30 + int.from_bytes(head[26:28], "little") + int.from_bytes(head[28:30], "little")
            out = zlib.decompressobj(-15).decompress(self.data[start:start + info.compress_size], n)
        except (KeyError, zlib.error, ValueError):
            return self.read(name)[:n]
        check_xml(name, out)
        return out

    def _direct(self, name: str, cap: int) -> bytes | None:
        """The member inflated in one zlib call from the bytes in memory (zipfile reads in small
        chunks, in Python).  None when anything is unusual (encrypted, another compression, a
        damaged header or stream, a CRC or size mismatch): then zipfile reads it and names the
        problem as before."""
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            return None
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return None
        at = info.header_offset
        head = self.data[at:at + 30]
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            return None
        start = at + 30 + int.from_bytes(head[26:28], "little") + int.from_bytes(head[28:30], "little")
        raw = self.data[start:start + info.compress_size]
        if len(raw) != info.compress_size:
            return None
        if info.compress_type == zipfile.ZIP_STORED:
            out = raw[:cap + 1]
        else:
            d = zlib.decompressobj(-15)
            try:
                out = d.decompress(raw, cap + 1)
            except zlib.error:
                return None
            if len(out) <= cap and not d.eof:
                return None
        if len(out) > cap:
            return out  # too big: refused by the caller, as from zipfile
        if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
            return None
        return out

    def _inflate(self, name: str) -> bytes:
        cap = self.limits.member_bytes
        try:
            data = self._direct(name, cap)
            if data is None:
                with self.zf.open(name) as fh:
                    data = fh.read(cap + 1)
        except KeyError:
            raise WorkbookReadError(f"bagian {name} tidak ada dalam berkas", hint=_HINT_RESAVE) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                RuntimeError, ValueError) as exc:
            raise WorkbookReadError(
                f"berkas rusak: bagian {name} tidak dapat dibuka (data terkompresi rusak, terpotong, atau "
                "cara pemampatan yang tidak dikenal)", hint=_HINT_RESAVE
            ) from exc
        if len(data) > cap:
            raise UnsafeWorkbook(
                f"bagian {name} lebih dari {_mib(cap)} setelah diekstrak (bom zip?)", hint=_HINT_RESAVE
            )
        self._read_total += len(data)
        if self._read_total > self.limits.total_bytes:
            raise UnsafeWorkbook(
                f"isi berkas lebih dari {_mib(self.limits.total_bytes)} setelah diekstrak (bom zip?)",
                hint=_HINT_RESAVE,
            )
        return data

    def close(self) -> None:
        self.zf.close()


def _sniff_non_zip(data: bytes, path: Path) -> WorkbookReadError:
    head = data[:2048]
    if not data:
        return WorkbookReadError(f"berkas {path.name} kosong (0 byte)", hint=_HINT_RESAVE)
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED_STREAM in data:
            return EncryptedWorkbook(
                f"berkas {path.name} dilindungi kata sandi (terenkripsi), sehingga isinya tidak dapat dibaca",
                hint="Buka di Excel, hapus kata sandi (File > Info > Lindungi Buku Kerja > "
                     "Enkripsi dengan Kata Sandi, kosongkan), simpan, lalu kirim ulang.",
            )
        return UnsupportedFormat(
            f"berkas {path.name} berformat Excel 97-2003 (.xls) atau dokumen Office lama, bukan .xlsx",
            hint=_HINT_RESAVE,
        )
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"%PDF"):
        what = "dokumen PDF"
    elif stripped[:5].lower() in (b"<?xml", b"<html", b"<!doc") or stripped[:1] == b"<":
        what = "berkas XML/HTML (mis. 'XML Spreadsheet 2003' atau halaman web)"
    elif b"\x00" not in head:
        what = "berkas teks (mis. CSV)"
    elif head.startswith(b"PK"):
        what = "arsip zip yang rusak"
    else:
        what = "berkas biner yang tidak dikenal"
    return WorkbookReadError(f"berkas {path.name} bukan workbook Excel (.xlsx/.xlsm): isinya {what}",
                             hint=_HINT_RESAVE)


def _check_members(zf: zipfile.ZipFile, path: Path, limits: Limits) -> None:
    infos = zf.infolist()
    if len(infos) > limits.members:
        raise UnsafeWorkbook(f"berkas {path.name} berisi {len(infos)} bagian (batas {limits.members})",
                             hint=_HINT_RESAVE)
    seen: dict[str, str] = {}
    for info in infos:  # one name, two contents: which one a reader takes is up to the reader
        key = info.filename.replace("\\", "/").casefold()
        if key in seen:
            raise DuplicateMember(
                f"berkas {path.name} memuat bagian {info.filename} dua kali (isi berbeda dapat terbaca "
                "berbeda oleh program lain), jadi berkas tidak dibaca",
                hint="Simpan ulang berkas dari Excel; berkas ini tampaknya dirakit dengan alat lain.")
        seen[key] = info.filename
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.member_bytes:
            raise UnsafeWorkbook(
                f"bagian {info.filename} berukuran {_mib(info.file_size)} setelah diekstrak "
                f"(batas {_mib(limits.member_bytes)}; bom zip atau lembar yang terlalu besar)",
                hint=_HINT_RESAVE,
            )
        if info.file_size > limits.ratio_min_bytes and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise UnsafeWorkbook(
                f"bagian {info.filename} dimampatkan {angka(info.file_size / max(info.compress_size, 1))} kali "
                "(ciri bom zip)",
                hint=_HINT_RESAVE,
            )
        if info.flag_bits & 0x1:
            raise EncryptedWorkbook(f"bagian {info.filename} terenkripsi (zip berkata sandi)",
                                    hint="Kirim berkas tanpa kata sandi.")
    if total > limits.total_bytes:
        raise UnsafeWorkbook(
            f"isi berkas {path.name} {_mib(total)} setelah diekstrak (batas {_mib(limits.total_bytes)}; bom zip?)",
            hint=_HINT_RESAVE,
        )


def _check_kind(pkg: Package) -> None:
    names = pkg.names
    if "mimetype" in names:
        mime = pkg.read("mimetype", xml=False)[:100]
        if b"opendocument.spreadsheet" in mime:
            raise UnsupportedFormat(
                f"berkas {pkg.path.name} berformat OpenDocument (.ods), bukan .xlsx",
                hint="Di LibreOffice: File > Simpan Sebagai > Excel 2007-365 (.xlsx).",
            )
    if "xl/workbook.bin" in names:
        raise UnsupportedFormat(f"berkas {pkg.path.name} berformat Excel Biner (.xlsb), bukan .xlsx",
                                hint=_HINT_RESAVE)
    if "xl/workbook.xml" not in names:
        found = ("dokumen Word" if "word/document.xml" in names
                 else "presentasi PowerPoint" if "ppt/presentation.xml" in names
                 else "arsip zip berisi " + ", ".join(sorted(names)[:5]) + ("..." if len(names) > 5 else ""))
        raise NotSakipWorkbook(f"berkas {pkg.path.name} bukan workbook Excel: isinya {found}",
                               hint=_HINT_RESAVE)


class AddinSettingsInWorkbook(UnsafeWorkbook):
    """A workbook carries what would steer an add-in: a config or code sheet, a hidden VBA project.

    ``sheet`` names the sheet (None for a VBA project in an ``.xlsx``)."""

    def __init__(self, message: str, *, sheet: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.sheet = sheet


#: sheet names an add-in reads settings or code from: xlwings' ``<project>.conf`` config sheet
#: (``xlwings.conf``, ``sakip.conf``, ``_sakip.conf`` ...) and its embedded-code ``<module>.py``
_ADDIN_SHEET = re.compile(r".*\.(?:conf|py)", re.IGNORECASE | re.DOTALL)
_SHEET_NAME = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"")


def _xml_text(raw: bytes) -> str:
    from xml.sax.saxutils import unescape

    return unescape(raw.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})


def addin_settings_sheets(workbook_xml: bytes) -> list[str]:
    """Every sheet of ``xl/workbook.xml`` (worksheet, chart or macro sheet, visible or
    (very) hidden) whose name an add-in would read settings or code from."""
    names = (_xml_text(m.group(1)).strip() for m in _SHEET_NAME.finditer(workbook_xml))
    return [n for n in names if _ADDIN_SHEET.fullmatch(n)]


def check_untrusted_settings(pkg: Package) -> None:
    """Refuse a workbook that could choose what an add-in runs (see the module docstring)."""
    found = addin_settings_sheets(pkg.read("xl/workbook.xml"))
    if found:
        shown = ", ".join(repr(n) for n in found)
        raise AddinSettingsInWorkbook(
            f"workbook memuat lembar {shown} yang dinamai seperti konfigurasi atau kode add-in Excel "
            "(xlwings); lembar semacam itu dapat membuat add-in di PC pembaca menjalankan program lain, "
            "jadi berkas tidak dibaca",
            sheet=found[0],
            hint="Hapus lembar itu (juga bila tersembunyi: klik kanan tab > Perlihatkan; lembar "
                 "'sangat tersembunyi' hanya lewat editor VBA), simpan sebagai .xlsx, lalu kirim ulang.",
        )
    if pkg.has_macros and pkg.path.suffix.lower() == ".xlsx":
        raise AddinSettingsInWorkbook(
            f"berkas {pkg.path.name} bernama .xlsx tetapi memuat proyek VBA (makro); Excel tidak pernah "
            "menyimpan makro dalam .xlsx, jadi berkas ini disamarkan dan tidak dibaca",
            hint="Buka di Excel, simpan sebagai Buku Kerja Excel (.xlsx) tanpa makro, lalu kirim ulang.",
        )


def open_package(path: str | os.PathLike[str], limits: Limits = LIMITS) -> Package:
    """Read and check a workbook file; raise a WorkbookReadError subclass if it cannot be used."""
    p = Path(path)
    try:
        if not p.exists():
            raise WorkbookReadError(f"berkas {p} tidak ditemukan", hint="Periksa nama dan folder berkas.")
        if not p.is_file():
            raise WorkbookReadError(f"{p} bukan berkas (mungkin folder)", hint="Sebutkan berkas .xlsx.")
        size = p.stat().st_size
        if size > limits.file_bytes:
            raise UnsafeWorkbook(f"berkas {p.name} berukuran {_mib(size)} (batas {_mib(limits.file_bytes)})",
                                 hint="Workbook OPD biasanya kurang dari 1 MiB; periksa isinya.")
        data = p.read_bytes()
    except OSError as exc:
        if isinstance(exc, WorkbookReadError):
            raise
        message, hint, _ = explain(exc, p)
        raise WorkbookReadError(message, hint=hint) from exc
    if not data.startswith(b"PK\x03\x04") and not data.startswith(b"PK\x05\x06"):
        raise _sniff_non_zip(data, p)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
        raise WorkbookReadError(
            f"berkas {p.name} rusak atau terpotong (arsip zip tidak utuh)",
            hint="Kirim ulang berkas aslinya; mungkin unduhan/salinan terputus.",
        ) from exc
    _check_members(zf, p, limits)
    pkg = Package(p, data, zf, limits, frozenset(zf.namelist()))
    _check_kind(pkg)
    check_untrusted_settings(pkg)
    return pkg
