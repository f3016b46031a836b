"""Cell styles of the OPD workbook: input cells unlocked and yellow, evaluator cells blue,
computed cells grey and locked.  One place, so every sheet looks the same."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

__all__ = ["COLOURS", "Styles", "make_styles", "NUM", "MONEY", "DATE", "PERSEN"]

COLOURS = {
    "judul": "#1F3864",
    "header": "#1F4E78",
    "header_eval": "#2E75B6",
    "seksi": "#D9E1F2",
    "isian": "#FFF2CC",
    "evaluator": "#DDEBF7",
    "hitung": "#EDEDED",
    "garis": "#A6A6A6",
    "hijau": "#C6EFCE",
    "hijau_teks": "#006100",
    "kuning": "#FFEB9C",
    "kuning_teks": "#9C5700",
    "merah": "#FFC7CE",
    "merah_teks": "#9C0006",
}

NUM = "General"
MONEY = "#,##0"
DATE = "dd/mm/yyyy"
PERSEN = "0.00"

Styles = dict[str, Format]

_BASE: dict[str, Any] = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
_CELL: dict[str, Any] = {**_BASE, "border": 1, "border_color": COLOURS["garis"]}


def make_styles(wb: Workbook) -> Styles:
    """Create every format once on ``wb`` (order fixed: XlsxWriter numbers them in order)."""
    specs: dict[str, dict[str, Any]] = {
        "judul": {**_BASE, "bold": True, "font_size": 14, "font_color": COLOURS["judul"], "valign": "vcenter"},
        "petunjuk_kecil": {**_BASE, "italic": True, "font_color": "#595959"},
        "teks": {**_BASE, "text_wrap": True},
        "teks_tebal": {**_BASE, "text_wrap": True, "bold": True},
        "header": {**_CELL, "bold": True, "font_color": "#FFFFFF", "bg_color": COLOURS["header"],
                   "text_wrap": True, "align": "center", "valign": "vcenter"},
        "header_eval": {**_CELL, "bold": True, "font_color": "#FFFFFF", "bg_color": COLOURS["header_eval"],
                        "text_wrap": True, "align": "center", "valign": "vcenter"},
        "seksi": {**_CELL, "bold": True, "bg_color": COLOURS["seksi"], "valign": "vcenter"},
        "label": {**_CELL, "text_wrap": True},
        "label_tebal": {**_CELL, "text_wrap": True, "bold": True},
        "label_tengah": {**_CELL, "align": "center"},
        "label_potong": {**_CELL},
        "isian_teks": {**_CELL, "bg_color": COLOURS["isian"], "locked": False, "text_wrap": True},
        "isian_tengah": {**_CELL, "bg_color": COLOURS["isian"], "locked": False, "align": "center"},
        # codes and NIP stay text ("1.02" must not become the number 1.02)
        "isian_kode": {**_CELL, "bg_color": COLOURS["isian"], "locked": False, "align": "center",
                       "num_format": "@"},
        "isian_angka": {**_CELL, "bg_color": COLOURS["isian"], "locked": False, "num_format": NUM},
        "isian_uang": {**_CELL, "bg_color": COLOURS["isian"], "locked": False, "num_format": MONEY},
        "isian_tanggal": {**_CELL, "bg_color": COLOURS["isian"], "locked": False, "num_format": DATE,
                          "align": "center"},
        "evaluator_tengah": {**_CELL, "bg_color": COLOURS["evaluator"], "locked": False, "align": "center"},
        "evaluator_teks": {**_CELL, "bg_color": COLOURS["evaluator"], "locked": False, "text_wrap": True},
        "hitung_teks": {**_CELL, "bg_color": COLOURS["hitung"], "text_wrap": True},
        "hitung_tengah": {**_CELL, "bg_color": COLOURS["hitung"], "align": "center"},
        "hitung_angka": {**_CELL, "bg_color": COLOURS["hitung"], "num_format": NUM},
        "hitung_desimal": {**_CELL, "bg_color": COLOURS["hitung"], "num_format": "#,##0.00"},
        "hitung_persen": {**_CELL, "bg_color": COLOURS["hitung"], "num_format": PERSEN},
        "hitung_uang": {**_CELL, "bg_color": COLOURS["hitung"], "num_format": MONEY},
        "hitung_besar": {**_CELL, "bg_color": COLOURS["hitung"], "num_format": PERSEN, "bold": True,
                         "font_size": 12, "align": "center"},
        "hitung_besar_teks": {**_CELL, "bg_color": COLOURS["hitung"], "bold": True, "font_size": 12,
                              "align": "center"},
        # Pernyataan PK (a printed letter: no grid colours)
        "surat_judul": {**_BASE, "font_name": "Arial", "bold": True, "font_size": 12, "align": "center"},
        "surat": {**_BASE, "font_name": "Arial", "font_size": 11, "text_wrap": True, "align": "justify"},
        "surat_kiri": {**_BASE, "font_name": "Arial", "font_size": 11},
        "surat_label": {**_BASE, "font_name": "Arial", "font_size": 11, "indent": 2},
        # text shown after ": " (the cell keeps the plain name)
        "surat_isian": {**_BASE, "font_name": "Arial", "font_size": 11, "num_format": '": "@'},
        "surat_tengah": {**_BASE, "font_name": "Arial", "font_size": 11, "align": "center", "text_wrap": True},
        "surat_nama": {**_BASE, "font_name": "Arial", "font_size": 11, "align": "center", "bold": True,
                       "underline": 1},
        "surat_header": {**_BASE, "font_name": "Arial", "font_size": 10, "bold": True, "border": 1,
                         "align": "center", "valign": "vcenter", "text_wrap": True, "bg_color": COLOURS["seksi"]},
        "surat_sel": {**_BASE, "font_name": "Arial", "font_size": 10, "text_wrap": True},
        "surat_sel_tengah": {**_BASE, "font_name": "Arial", "font_size": 10, "align": "center"},
        "surat_uang": {**_BASE, "font_name": "Arial", "font_size": 10, "num_format": '"Rp "#,##0',
                       "bold": True},
        # conditional formats
        "cf_hijau": {"bg_color": COLOURS["hijau"], "font_color": COLOURS["hijau_teks"]},
        "cf_kuning": {"bg_color": COLOURS["kuning"], "font_color": COLOURS["kuning_teks"]},
        "cf_merah": {"bg_color": COLOURS["merah"], "font_color": COLOURS["merah_teks"]},
        "cf_galat": {"font_color": "#C00000", "bold": True},
        "cf_garis": {"border": 1},
    }
    return {name: wb.add_format(spec) for name, spec in specs.items()}
