"""Excel's hard limits, checked while generating a workbook.

A generated template must open in Excel without a repair prompt, so every limit that Excel enforces
silently (or by refusing the file) is checked here and *raises* :class:`ExcelLimitError` with a
message naming the limit and the fix.  The numbers are Excel's documented specifications.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import ExcelLimitError

__all__ = [
    "MAX_SHEET_NAME",
    "MAX_ROWS",
    "MAX_FORMULA_CHARS",
    "MAX_LIST_SOURCE",
    "MAX_VALIDATION_TITLE",
    "MAX_VALIDATION_MESSAGE",
    "MAX_CELL_TEXT",
    "MAX_HEADER_FOOTER",
    "check_sheet_name",
    "check_defined_name",
    "check_formula",
    "check_list_source",
    "check_validation_text",
    "check_cell_text",
    "check_rows",
    "check_header",
]

MAX_SHEET_NAME = 31
MAX_ROWS = 1_048_576
MAX_FORMULA_CHARS = 8_192
MAX_LIST_SOURCE = 255  # a literal list ("Y,T") in a data validation
MAX_VALIDATION_TITLE = 32
MAX_VALIDATION_MESSAGE = 255
MAX_CELL_TEXT = 32_767
MAX_HEADER_FOOTER = 255

_BAD_SHEET_CHARS = set('[]:*?/\\')
_NAME = re.compile(r"^[A-Za-z_\\][A-Za-z0-9_.]*$")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}[0-9]+|[RrCc][0-9]*)$")


def check_sheet_name(name: str) -> str:
    if not name or len(name) > MAX_SHEET_NAME:
        raise ExcelLimitError(
            f"Nama sheet {name!r} harus 1-{MAX_SHEET_NAME} karakter (batas Excel); persingkat namanya."
        )
    bad = sorted(set(name) & _BAD_SHEET_CHARS)
    if bad or name.startswith("'") or name.endswith("'"):
        raise ExcelLimitError(
            f"Nama sheet {name!r} memuat karakter yang dilarang Excel ({''.join(bad) or chr(39)}); "
            "hapus karakter []:*?/\\ dan tanda petik di awal/akhir."
        )
    return name


def check_defined_name(name: str) -> str:
    if not _NAME.match(name) or _CELL_LIKE.match(name) or len(name) > 255:
        raise ExcelLimitError(
            f"Nama terdefinisi {name!r} tidak sah di Excel: mulai dengan huruf atau garis bawah, "
            "tanpa spasi, dan tidak boleh menyerupai alamat sel (mis. A1, R1C1)."
        )
    return name


def check_formula(formula: str, where: str) -> str:
    if len(formula) > MAX_FORMULA_CHARS:
        raise ExcelLimitError(
            f"Rumus di {where} sepanjang {len(formula)} karakter melebihi batas Excel "
            f"{MAX_FORMULA_CHARS}; pecah rumus menjadi beberapa sel."
        )
    return formula


def check_list_source(values: Iterable[str], where: str) -> list[str]:
    items = list(values)
    joined = ",".join(items)
    if len(joined) > MAX_LIST_SOURCE:
        raise ExcelLimitError(
            f"Daftar pilihan validasi di {where} sepanjang {len(joined)} karakter melebihi batas Excel "
            f"{MAX_LIST_SOURCE}; gunakan rentang sel sebagai sumber daftar."
        )
    if any("," in v for v in items):
        raise ExcelLimitError(f"Pilihan validasi di {where} tidak boleh memuat koma: {items!r}")
    return items


def check_validation_text(title: str, message: str, where: str) -> None:
    if len(title) > MAX_VALIDATION_TITLE:
        raise ExcelLimitError(
            f"Judul pesan validasi di {where} ({len(title)} karakter) melebihi batas Excel "
            f"{MAX_VALIDATION_TITLE}; persingkat judulnya."
        )
    if len(message) > MAX_VALIDATION_MESSAGE:
        raise ExcelLimitError(
            f"Pesan validasi di {where} ({len(message)} karakter) melebihi batas Excel "
            f"{MAX_VALIDATION_MESSAGE}; persingkat pesannya."
        )


def check_cell_text(text: str, where: str) -> str:
    if len(text) > MAX_CELL_TEXT:
        raise ExcelLimitError(
            f"Teks di {where} ({len(text)} karakter) melebihi batas sel Excel {MAX_CELL_TEXT}."
        )
    return text


def check_rows(last_row: int, where: str) -> int:
    if last_row >= MAX_ROWS:
        raise ExcelLimitError(
            f"Tabel {where} melewati baris terakhir Excel ({MAX_ROWS}); kurangi jumlah baris."
        )
    return last_row


def check_header(text: str, where: str) -> str:
    if len(text) > MAX_HEADER_FOOTER:
        raise ExcelLimitError(
            f"Header/footer cetak {where} ({len(text)} karakter) melebihi batas Excel "
            f"{MAX_HEADER_FOOTER}; persingkat nama OPD."
        )
    return text
