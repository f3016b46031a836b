"""The sheets of the OPD workbook, in contract order.  Cell addresses come from :mod:`.layout`;
formulas from :mod:`sakip_xl.rules` (scoring) and :mod:`.links` (look-ups and copies); the table
sheets are in :mod:`.sheets_data`, the others in :mod:`.sheets_pages`."""

from __future__ import annotations

from collections.abc import Callable

from xlsxwriter.worksheet import Worksheet

from .contract import TABLES
from .limits import check_sheet_name
from .sheetkit import Context, formula_text
from .sheets_data import (
    COLUMN_WIDTHS,
    write_anggaran,
    write_lke,
    write_pk,
    write_rencana_aksi,
    write_tindak_lanjut,
)
from .sheets_pages import write_pernyataan, write_petunjuk, write_profil, write_ringkasan

__all__ = ["Context", "write_sheets", "formula_text", "COLUMN_WIDTHS"]

_WRITERS: dict[str, Callable[[Context, Worksheet], None]] = {
    "Petunjuk": write_petunjuk,
    "Profil": write_profil,
    "PK": write_pk,
    "Rencana Aksi": write_rencana_aksi,
    "Anggaran": write_anggaran,
    "LKE": write_lke,
    "Tindak Lanjut": write_tindak_lanjut,
    "Ringkasan": write_ringkasan,
    "Pernyataan PK": write_pernyataan,
}


def write_sheets(ctx: Context, sheet_names: tuple[str, ...]) -> None:
    assert set(_WRITERS) == set(sheet_names), "every contract sheet needs a writer"
    assert set(TABLES[n].sheet for n in TABLES) <= set(sheet_names)
    sheets = {name: ctx.wb.add_worksheet(check_sheet_name(name)) for name in sheet_names}
    for name in sheet_names:
        _WRITERS[name](ctx, sheets[name])
    sheets[sheet_names[0]].activate()
