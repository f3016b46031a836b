"""The sheets of the OPD workbook: static content, tables, validation, conditional formats and
print setup.  Cell addresses come from :mod:`.layout`; formulas from :mod:`sakip_xl.rules` (scoring)
and :mod:`.links` (look-ups and copies)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, get_args

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .. import rules
from ..models import JenisPK, LevelAnggaran, StatusTL
from ..policy import POLARITAS, TIPE_AGREGASI, Policy
from ..rules import CellValue
from .contract import TABLES, TW
from .fill import Key
from .layout import (
    HEADER_ROW,
    PROFIL_FIRST_ROW,
    PROFIL_ROWS,
    Computed,
    TableLayout,
    WorkbookLayout,
    a1,
)
from .limits import (
    check_cell_text,
    check_formula,
    check_header,
    check_list_source,
    check_sheet_name,
    check_validation_text,
)
from .links import LINKS, link_formula
from .petunjuk import petunjuk_lines
from .styles import Styles

__all__ = ["Context", "write_sheets", "COLUMN_WIDTHS"]


@dataclass
class Context:
    wb: Workbook
    st: Styles
    layout: WorkbookLayout
    policy: Policy
    rumus: str
    inputs: Mapping[Key, Any]
    values: Mapping[Key, CellValue]
    computed: Mapping[Key, Computed]
    password: str | None
    opd_nama: str
    tahun: str


#: Column widths (characters) per table column.
COLUMN_WIDTHS: dict[str, dict[str, float]] = {
    "tblPK": {"Kode": 11, "Sasaran Strategis": 34, "Indikator Kinerja": 42, "Satuan": 11,
              "Polaritas": 11, "Tipe Agregasi": 12, "Target": 11, "Target Atas": 11},
    "tblRencanaAksi": {"Kode": 11, "Indikator Kinerja": 34, "Polaritas": 10, "Tipe Agregasi": 11,
                       "Target": 9, "Target Atas": 9, **{f"Target {t}": 9 for t in TW},
                       **{f"Realisasi {t}": 9 for t in TW}, "Realisasi": 10, "Capaian (%)": 10,
                       "Kategori": 13, "Faktor Pendukung": 28, "Faktor Penghambat": 28},
    "tblAnggaran": {"Kode": 18, "Uraian": 46, "Level": 13, "Induk": 18, "Pagu": 17,
                    **{f"Realisasi {t}": 16 for t in TW}, "Serapan (%)": 11},
    "tblLKE": {"Kode": 8, "Kode Sub": 7, "Komponen": 16, "Sub Komponen": 24, "Kriteria": 54,
               "Jenis Jawaban": 9, "Jawaban OPD": 10, "Jawaban Evaluator": 11, "Nilai OPD": 8,
               "Nilai Evaluator": 10, "Bukti Dukung": 30, "Catatan": 26},
    "tblTindakLanjut": {"No": 6, "Rekomendasi": 46, "Rencana Tindak Lanjut": 46, "Penanggung Jawab": 22,
                        "Batas Waktu": 13, "Status": 11},
}

#: Input columns by the kind of value they take (style + validation).
_TEXT_CENTER = {"Polaritas", "Tipe Agregasi", "Level", "Status", "Jawaban OPD", "Kode", "No"}
_NUMBER = {"Target", "Target Atas", *(f"Target {t}" for t in TW)}
_REALISASI = {f"Realisasi {t}" for t in TW}
_MONEY = {"Pagu"}
_PERSEN = {"Capaian (%)", "Serapan (%)"}

_TITLES = {
    "tblPK": ("Perjanjian Kinerja (PK)", "Satu baris per indikator. Kode harus unik; Target Atas hanya untuk target rentang."),
    "tblRencanaAksi": ("Rencana Aksi: target dan realisasi triwulan",
                       "Pilih Kode dari daftar; kolom abu-abu terisi otomatis. Triwulan yang belum berjalan dibiarkan kosong."),
    "tblAnggaran": ("Anggaran (DPA) dan realisasinya",
                    "Realisasi per triwulan (bukan kumulatif). Serapan OPD di Ringkasan memakai baris berlevel Program."),
    "tblLKE": ("Lembar Kerja Evaluasi (LKE) PermenPAN-RB 88/2021",
               "Isi Jawaban OPD (kuning). Jawaban Evaluator (biru) diisi Inspektorat."),
    "tblTindakLanjut": ("Tindak lanjut rekomendasi hasil evaluasi",
                        "Satu baris per rekomendasi LHE beserta rencana dan status tindak lanjutnya."),
}

_PROTECT = {
    "format_columns": True, "format_rows": True,
    "select_locked_cells": True, "select_unlocked_cells": True,
}


# --------------------------------------------------------------------------- helpers
def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")


def _page(ctx: Context, ws: Worksheet, *, landscape: bool, repeat_to: int | None = None,
          header: bool = True) -> None:
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.6)
    if not header:  # a letter to be signed: no application header
        return
    left = _escape_header(ctx.opd_nama or "Workbook SAKIP OPD")
    right = f"Tahun {ctx.tahun}" if ctx.tahun else ""
    ws.set_header(check_header(f"&L&8{left}&C&8&A&R&8{right}", ws.name))
    ws.set_footer("&C&8Halaman &P dari &N")
    if repeat_to is not None:
        ws.repeat_rows(0, repeat_to)


def _protect(ctx: Context, ws: Worksheet) -> None:
    ws.protect(ctx.password or "", dict(_PROTECT))


def _write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, check_cell_text(value, f"{ws.name}!{a1(row, col)}"), fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
    else:
        ws.write_number(row, col, float(value), fmt)


def formula_text(c: Computed, rumus: str, policy: Policy) -> str:
    if c.rule in LINKS:
        text = link_formula(c.rule, c.refs)
    else:
        text = rules.formula(c.rule, c.refs, rumus, policy)  # type: ignore[arg-type]
    return check_formula(text, c.where)


def _write_computed(ctx: Context, ws: Worksheet, c: Computed, fmt: Any) -> None:
    value = ctx.values[(c.sheet, c.row, c.col)]
    ws.write_formula(c.row, c.col, formula_text(c, ctx.rumus, ctx.policy), fmt, value)


def _validation(ws: Worksheet, first: str, last: str, opts: dict[str, Any]) -> None:
    where = f"{ws.name}!{first}"
    check_validation_text(opts.get("input_title", ""), opts.get("input_message", ""), where)
    check_validation_text(opts.get("error_title", ""), opts.get("error_message", ""), where)
    if opts.get("validate") == "list" and isinstance(opts.get("source"), list):
        check_list_source(opts["source"], where)
    ws.data_validation(f"{first}:{last}", {"error_type": "stop", "show_input": True, **opts})


def _list(values: list[str], title: str, message: str) -> dict[str, Any]:
    return {
        "validate": "list", "source": values, "input_title": title, "input_message": message,
        "error_title": "Pilihan tidak sah", "error_message": "Pilih salah satu: " + ", ".join(values) + ".",
    }


def _decimal(title: str, message: str, minimum: float | None = 0) -> dict[str, Any]:
    if minimum is None:
        opts: dict[str, Any] = {"validate": "decimal", "criteria": "between",
                                "minimum": -1e15, "maximum": 1e15}
        err = "Isikan angka saja (tanpa huruf atau satuan)."
    else:
        opts = {"validate": "decimal", "criteria": ">=", "value": minimum}
        err = f"Isikan angka {_num(minimum)} atau lebih (tanpa huruf, titik ribuan, atau satuan)."
    return {**opts, "input_title": title, "input_message": message,
            "error_title": "Harus angka", "error_message": err}


def _traffic_light(ctx: Context, ws: Worksheet, rng: str, top_left: str) -> None:
    hijau, kuning = ctx.policy.lampu_thresholds()
    x = top_left
    rules_: list[tuple[str, str]] = []
    if hijau != float("inf"):
        rules_.append((f"=AND(ISNUMBER({x}),{x}>={_num(hijau)})", "cf_hijau"))
        rules_.append((f"=AND(ISNUMBER({x}),{x}>={_num(kuning)},{x}<{_num(hijau)})", "cf_kuning"))
    else:
        rules_.append((f"=AND(ISNUMBER({x}),{x}>={_num(kuning)})", "cf_kuning"))
    rules_.append((f"=AND(ISNUMBER({x}),{x}<{_num(kuning)})", "cf_merah"))
    for crit, fmt in rules_:
        ws.conditional_format(rng, {"type": "formula", "criteria": crit, "format": ctx.st[fmt]})


def _kategori_colours(ctx: Context, ws: Worksheet, rng: str, top_left: str) -> None:
    for band in ctx.policy.kategori:
        label = band.label.replace('"', '""')
        ws.conditional_format(rng, {"type": "formula", "criteria": f'={top_left}="{label}"',
                                    "format": ctx.st[f"cf_{band.lampu}"]})


def _error_font(ctx: Context, ws: Worksheet, rng: str, top_left: str) -> None:
    ws.conditional_format(rng, {"type": "formula", "criteria": f'=LEFT({top_left},1)="#"',
                                "format": ctx.st["cf_galat"]})


def _title(ctx: Context, ws: Worksheet, title: str, hint: str) -> None:
    ws.set_row(0, 22)
    ws.write_string(0, 0, title, ctx.st["judul"])
    ws.write_string(1, 0, hint, ctx.st["petunjuk_kecil"])


# --------------------------------------------------------------------------- tables
def _input_style(name: str) -> str:
    if name in _MONEY:
        return "isian_uang"
    if name in _NUMBER or name in _REALISASI:
        return "isian_angka"
    if name == "Batas Waktu":
        return "isian_tanggal"
    if name == "Jawaban Evaluator":
        return "evaluator_tengah"
    if name in {"Kode", "Induk"}:
        return "isian_kode"
    if name in _TEXT_CENTER:
        return "isian_tengah"
    return "isian_teks"


def _computed_style(name: str) -> str:
    if name in _PERSEN:
        return "hitung_persen"
    if name == "Realisasi":
        return "hitung_desimal"
    if name in {"Target", "Target Atas"}:
        return "hitung_angka"
    if name in {"Polaritas", "Tipe Agregasi", "Kategori", "Nilai OPD", "Nilai Evaluator"}:
        return "hitung_tengah"
    return "hitung_teks"


def _table(ctx: Context, ws: Worksheet, t: TableLayout, *, static: set[str] | None = None,
           styles: dict[str, str] | None = None) -> None:
    static = static or set()
    widths = COLUMN_WIDTHS[t.name]
    used: dict[str, str] = {}
    columns = []
    for col in t.spec.columns:
        header = "header_eval" if "Evaluator" in col.name else "header"
        columns.append({"header": col.name, "header_format": ctx.st[header]})
        ws.set_column(t.col(col.name), t.col(col.name), widths[col.name])
    ws.add_table(t.top, t.left, t.last_row, t.last_col, {
        "name": t.name, "columns": columns, "autofilter": False, "style": "Table Style Light 1",
    })
    ws.set_row(t.top, 30)
    for col in t.spec.columns:
        c = t.col(col.name)
        if styles and col.name in styles:
            style = styles[col.name]
        elif col.kind != "input":
            style = _computed_style(col.name)
        elif col.name in static:
            style = "label"
        else:
            style = _input_style(col.name)
        if ws.name == "Anggaran" and col.name in _REALISASI:
            style = "isian_uang"
        used[col.name] = style
        fmt = ctx.st[style]
        for i in range(t.n_rows):
            r = t.row(i)
            comp = ctx.computed.get((t.sheet, r, c))
            if comp is not None:
                _write_computed(ctx, ws, comp, fmt)
            else:
                _write_value(ws, r, c, ctx.inputs.get((t.sheet, r, c)), fmt)
    ws.freeze_panes(t.first_row, 1 if t.name != "tblLKE" else 0)
    _fit_rows(ctx, ws, t, {name: widths[name] for name, style in used.items() if style in _WRAPPED})
    _page(ctx, ws, landscape=True, repeat_to=t.top)


#: Styles that wrap text (rows are heightened to show it all).
_WRAPPED = {"isian_teks", "evaluator_teks", "hitung_teks", "label", "label_tebal", "surat_sel"}
LINE_HEIGHT = 13.0


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped text of 10-point Calibri needs in a column ``width`` characters wide."""
    per_line = max(1.0, width * 1.2)
    return sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n"))


def _fit_rows(ctx: Context, ws: Worksheet, t: TableLayout, wrapped: dict[str, float]) -> None:
    """Give each data row the height its longest wrapped text needs (Excel does not on open)."""
    for i in range(t.n_rows):
        r = t.row(i)
        lines = 1
        for name, width in wrapped.items():
            key = (t.sheet, r, t.col(name))
            v = ctx.values.get(key, ctx.inputs.get(key))
            if isinstance(v, str) and v:
                lines = max(lines, lines_needed(v, width))
        if lines > 1:
            ws.set_row(r, LINE_HEIGHT * lines)


def _col_span(t: TableLayout, name: str) -> tuple[str, str]:
    c = t.col(name)
    return a1(t.first_row, c), a1(t.last_row, c)


def _pk(ctx: Context, ws: Worksheet) -> None:
    t = ctx.layout.pk
    _title(ctx, ws, *_TITLES[t.name])
    _table(ctx, ws, t)
    _validation(ws, *_col_span(t, "Polaritas"), _list(
        list(POLARITAS), "Polaritas",
        "positif: makin tinggi makin baik. negatif: makin rendah makin baik. stabil: target berupa rentang "
        "(isi Target dan Target Atas)."))
    _validation(ws, *_col_span(t, "Tipe Agregasi"), _list(
        list(TIPE_AGREGASI), "Tipe agregasi",
        "kumulatif: triwulan dijumlah (mis. jumlah dokumen). akhir: nilai triwulan terakhir (mis. persen, "
        "indeks). rata-rata: rata-rata triwulan."))
    _validation(ws, *_col_span(t, "Target"), _decimal(
        "Target tahunan", "Angka target tahunan sesuai PK. Untuk target rentang isi batas bawahnya."))
    _validation(ws, *_col_span(t, "Target Atas"), _decimal(
        "Target atas (rentang)", "Hanya untuk target rentang, mis. 2-4: Target 2, Target Atas 4. "
        "Kosongkan bila target satu angka."))
    _validation(ws, *_col_span(t, "Kode"), {
        "validate": "length", "criteria": "between", "minimum": 1, "maximum": 50,
        "input_title": "Kode indikator", "input_message": "Kode unik indikator, mis. IKU-01. Dipakai "
        "untuk memilih indikator di sheet Rencana Aksi.",
        "error_title": "Kode terlalu panjang", "error_message": "Kode paling banyak 50 karakter."})
    _protect(ctx, ws)


def _rencana_aksi(ctx: Context, ws: Worksheet) -> None:
    t, pk = ctx.layout.ra, ctx.layout.pk
    _title(ctx, ws, *_TITLES[t.name])
    _table(ctx, ws, t)
    ws.freeze_panes(t.first_row, 2)
    kode = pk.column_range("Kode").a1
    _validation(ws, *_col_span(t, "Kode"), {
        "validate": "list", "source": "=" + kode,
        "input_title": "Kode indikator", "input_message": "Pilih Kode indikator dari tabel PK.",
        "error_title": "Kode tidak dikenal", "error_message": "Kode harus salah satu Kode di sheet PK."})
    for tw in TW:
        _validation(ws, *_col_span(t, f"Target {tw}"), _decimal(
            f"Target {tw}", "Target triwulan ini (tambahan untuk indikator kumulatif). Boleh kosong."))
        _validation(ws, *_col_span(t, f"Realisasi {tw}"), _decimal(
            f"Realisasi {tw}", "Realisasi triwulan ini (tambahan untuk indikator kumulatif). Kosongkan "
            "bila triwulan belum berjalan.", minimum=None))
    cap0, cap1 = _col_span(t, "Capaian (%)")
    _traffic_light(ctx, ws, f"{cap0}:{cap1}", cap0)
    _error_font(ctx, ws, f"{cap0}:{cap1}", cap0)
    real0, real1 = _col_span(t, "Realisasi")
    _error_font(ctx, ws, f"{real0}:{real1}", real0)
    look0 = a1(t.first_row, t.col("Indikator Kinerja"))
    _error_font(ctx, ws, f"{look0}:{a1(t.last_row, t.col('Target Atas'))}", look0)
    kat0, kat1 = _col_span(t, "Kategori")
    _kategori_colours(ctx, ws, f"{kat0}:{kat1}", kat0)
    _protect(ctx, ws)


def _anggaran(ctx: Context, ws: Worksheet) -> None:
    t = ctx.layout.anggaran
    _title(ctx, ws, *_TITLES[t.name])
    _table(ctx, ws, t)
    _validation(ws, *_col_span(t, "Level"), _list(
        list(get_args(LevelAnggaran)), "Level",
        "Program, Kegiatan, atau Sub Kegiatan. Induk: kode Program (untuk Kegiatan) atau kode Kegiatan "
        "(untuk Sub Kegiatan)."))
    _validation(ws, *_col_span(t, "Pagu"), _decimal("Pagu", "Pagu anggaran (rupiah) sesuai DPA."))
    for tw in TW:
        _validation(ws, *_col_span(t, f"Realisasi {tw}"), _decimal(
            f"Realisasi {tw}", "Realisasi anggaran (rupiah) dalam triwulan ini saja, bukan kumulatif."))
    s0, s1 = _col_span(t, "Serapan (%)")
    _error_font(ctx, ws, f"{s0}:{s1}", s0)
    _protect(ctx, ws)


def _lke(ctx: Context, ws: Worksheet) -> None:
    t = ctx.layout.lke
    _title(ctx, ws, *_TITLES[t.name])
    static = {"Kode", "Kode Sub", "Komponen", "Sub Komponen", "Kriteria", "Jenis Jawaban"}
    _table(ctx, ws, t, static=static, styles={
        "Kode": "label_tengah", "Kode Sub": "label_tengah", "Jenis Jawaban": "label_tengah",
        # repeated on every row: shown clipped (the full names are on Ringkasan)
        "Komponen": "label_potong", "Sub Komponen": "label_potong"})
    # one validation per run of rows with the same answer type
    runs: list[tuple[str, int, int]] = []
    for i, k in enumerate(ctx.layout.kriteria):
        if runs and runs[-1][0] == k.jenis_jawaban and runs[-1][2] == i - 1:
            runs[-1] = (runs[-1][0], runs[-1][1], i)
        else:
            runs.append((k.jenis_jawaban, i, i))
    for jenis, first, last in runs:
        options = list(ctx.policy.nilai_jawaban.get(jenis, {}))
        values = ", ".join(f"{k}={_num(v)}" for k, v in ctx.policy.nilai_jawaban.get(jenis, {}).items())
        for col, who in (("Jawaban OPD", "OPD (penilaian mandiri)"), ("Jawaban Evaluator", "evaluator")):
            c = t.col(col)
            _validation(ws, a1(t.row(first), c), a1(t.row(last), c), _list(
                options, f"Jawaban {jenis}",
                f"Jawaban {who}: {values}. Penjelasan kriteria: arahkan penunjuk ke sel Kriteria."))
    kriteria_col = t.col("Kriteria")
    for i, k in enumerate(ctx.layout.kriteria):
        if k.penjelasan:  # the rubric, shown when the pointer rests on the criterion
            ws.write_comment(t.row(i), kriteria_col, f"Penjelasan {k.kode}:\n{k.penjelasan}", {
                "author": "sakip-xl", "x_scale": 3, "y_scale": min(6.0, 1 + len(k.penjelasan) / 180)})
    for col in ("Nilai OPD", "Nilai Evaluator"):
        n0, n1 = _col_span(t, col)
        _error_font(ctx, ws, f"{n0}:{n1}", n0)
    _protect(ctx, ws)


def _tindak_lanjut(ctx: Context, ws: Worksheet) -> None:
    t = ctx.layout.tindak_lanjut
    _title(ctx, ws, *_TITLES[t.name])
    _table(ctx, ws, t)
    _validation(ws, *_col_span(t, "Status"), _list(
        list(get_args(StatusTL)), "Status", "Belum: belum dikerjakan. Proses: sedang dikerjakan. "
        "Selesai: sudah tuntas dengan bukti."))
    _validation(ws, *_col_span(t, "Batas Waktu"), {
        "validate": "date", "criteria": "between",
        "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2100, 12, 31),
        "input_title": "Batas waktu", "input_message": "Tanggal, mis. 30/06/2025.",
        "error_title": "Harus tanggal", "error_message": "Isikan tanggal yang sah (hari/bulan/tahun)."})
    _protect(ctx, ws)


# --------------------------------------------------------------------------- Petunjuk / Profil
def _petunjuk(ctx: Context, ws: Worksheet) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 95)
    ws.hide_gridlines(2)
    for r, (style, a, b) in enumerate(petunjuk_lines(ctx.policy, ctx.rumus, ctx.layout.sizes)):
        if style == "kosong":
            continue
        if style in {"judul", "petunjuk_kecil"}:
            ws.write_string(r, 0, a, ctx.st[style])
            if style == "judul":
                ws.set_row(r, 24)
            continue
        if style == "seksi":
            ws.merge_range(r, 0, r, 1, a, ctx.st["seksi"])
            continue
        cell_style = style if style in {"isian_teks", "evaluator_teks", "hitung_teks", "label_tebal"} else "label"
        ws.write_string(r, 0, a, ctx.st[cell_style])
        ws.write_string(r, 1, b, ctx.st["label"])
        if lines_needed(b, 95) > 1:
            ws.set_row(r, LINE_HEIGHT * lines_needed(b, 95))
    _page(ctx, ws, landscape=False)
    _protect(ctx, ws)


def _profil(ctx: Context, ws: Worksheet) -> None:
    _title(ctx, ws, "Profil OPD", "Isi sel kuning. Nama dan jabatan dipakai di Pernyataan PK.")
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 48)
    ws.write_string(HEADER_ROW - 1, 0, "Data", ctx.st["header"])
    ws.write_string(HEADER_ROW - 1, 1, "Isian", ctx.st["header"])
    for i, (name, label) in enumerate(PROFIL_ROWS):
        r = PROFIL_FIRST_ROW + i
        ws.write_string(r, 0, label, ctx.st["label_tebal"])
        if name == "Versi_Template":
            style = "hitung_tengah"
        elif name in {"OPD_Kode", "Kepala_NIP"}:
            style = "isian_kode"
        elif name in {"Tahun", "Jenis_PK"}:
            style = "isian_tengah"
        else:
            style = "isian_teks"
        _write_value(ws, r, 1, ctx.inputs.get(("Profil", r, 1)), ctx.st[style])
        ctx.wb.define_name(name, "=" + ctx.layout.profil_cell(name))
    cell = ctx.layout.profil_cell
    tahun = cell("Tahun", qualify=False).replace("$", "")
    _validation(ws, tahun, tahun, {
        "validate": "integer", "criteria": "between", "minimum": ctx.policy.tahun_minimum, "maximum": 2100,
        "input_title": "Tahun", "input_message": "Tahun anggaran PK, mis. 2025.",
        "error_title": "Tahun tidak sah",
        "error_message": f"Isikan tahun {ctx.policy.tahun_minimum}-2100 (empat angka)."})
    jenis = cell("Jenis_PK", qualify=False).replace("$", "")
    _validation(ws, jenis, jenis, _list(
        list(get_args(JenisPK)), "Jenis PK",
        "Murni: PK awal tahun. Perubahan: PK yang direvisi (ganti pejabat, strategi atau anggaran)."))
    nip = cell("Kepala_NIP", qualify=False).replace("$", "")
    _validation(ws, nip, nip, {
        "validate": "length", "criteria": "<=", "value": 30,
        "input_title": "NIP", "input_message": "NIP 18 digit, boleh dengan spasi. Diketik sebagai teks.",
        "error_title": "NIP terlalu panjang", "error_message": "NIP paling banyak 30 karakter."})
    ws.set_column(1, 1, 48, ctx.st["teks"])
    _page(ctx, ws, landscape=False)
    _protect(ctx, ws)


# --------------------------------------------------------------------------- Ringkasan
def _ringkasan(ctx: Context, ws: Worksheet) -> None:
    rk, st, pol = ctx.layout.ringkasan, ctx.st, ctx.policy
    s = rk.sheet
    _title(ctx, ws, "Ringkasan Kinerja OPD", "Dihitung otomatis dari sheet lain; tidak perlu diisi.")
    for col, width in ((0, 9), (1, 58), (2, 9), (3, 16), (4, 16)):
        ws.set_column(col, col, width)
    v, e = rk.value_col, rk.eval_col

    def section(row: int, title: str, *heads: str) -> None:
        ws.merge_range(row, 0, row, 2, title, st["seksi"])
        for k, h in enumerate(heads):
            ws.write_string(row, v + k, h, st["header_eval" if "Evaluator" in h else "header"])

    def label(row: int, text: str) -> None:
        ws.merge_range(row, 0, row, 2, text, st["label"])

    def put(row: int, col: int, style: str) -> None:
        _write_computed(ctx, ws, ctx.computed[(s, row, col)], st[style])

    cap = "tanpa batas" if pol.cap_rata_rata is None else f"dibatasi {_num(pol.cap_rata_rata)} %"
    section(rk.capaian_rata - 1, "A. Capaian kinerja (Rencana Aksi)", "Nilai")
    label(rk.capaian_rata, "Rata-rata capaian indikator (%)")
    put(rk.capaian_rata, v, "hitung_besar")
    label(rk.capaian_dibatasi, f"Rata-rata capaian, tiap indikator {cap} (%)")
    put(rk.capaian_dibatasi, v, "hitung_besar")
    label(rk.kategori_rata, "Kategori rata-rata capaian (dibatasi)")
    put(rk.kategori_rata, v, "hitung_besar_teks")

    section(rk.pagu - 1, "B. Anggaran (baris berlevel Program)", "Rupiah / %")
    label(rk.pagu, "Pagu Program")
    put(rk.pagu, v, "hitung_uang")
    for k, tw in enumerate(TW):
        label(rk.realisasi_tw + k, f"Realisasi {tw}")
        put(rk.realisasi_tw + k, v, "hitung_uang")
    label(rk.serapan, "Serapan anggaran (%)")
    put(rk.serapan, v, "hitung_besar")
    label(rk.efisiensi, "Indeks efisiensi (capaian dibatasi / serapan; > 1 efisien)")
    put(rk.efisiensi, v, "hitung_besar")

    section(rk.nilai_lke - 1, "C. Evaluasi AKIP (LKE)", "OPD", "Evaluator")
    label(rk.nilai_lke, "Nilai LKE (0-100)")
    label(rk.predikat, "Predikat")
    for col in (v, e):
        put(rk.nilai_lke, col, "hitung_besar")
        put(rk.predikat, col, "hitung_besar_teks")

    _ringkasan_lke(ctx, ws, put)
    _ringkasan_finish(ctx, ws)


def _ringkasan_finish(ctx: Context, ws: Worksheet) -> None:
    rk = ctx.layout.ringkasan
    v, e = rk.value_col, rk.eval_col
    for row in (rk.capaian_rata, rk.capaian_dibatasi):
        _traffic_light(ctx, ws, a1(row, v), a1(row, v))
    _kategori_colours(ctx, ws, a1(rk.kategori_rata, v), a1(rk.kategori_rata, v))
    _error_font(ctx, ws, f"{a1(rk.capaian_rata, v)}:{a1(rk.last_row, e)}", a1(rk.capaian_rata, v))
    for name, (row, col) in {
        "Capaian_Rata": (rk.capaian_rata, v), "Capaian_Rata_Dibatasi": (rk.capaian_dibatasi, v),
        "Serapan_Anggaran": (rk.serapan, v), "Indeks_Efisiensi": (rk.efisiensi, v),
        "Nilai_LKE": (rk.nilai_lke, v), "Predikat": (rk.predikat, v),
        "Nilai_LKE_Evaluator": (rk.nilai_lke, e), "Predikat_Evaluator": (rk.predikat, e),
    }.items():
        ctx.wb.define_name(name, f"=Ringkasan!{a1(row, col, True)}")
    ws.hide_gridlines(2)
    _page(ctx, ws, landscape=False)
    _protect(ctx, ws)


def _ringkasan_lke(ctx: Context, ws: Worksheet, put: Callable[[int, int, str], None]) -> None:
    rk, st = ctx.layout.ringkasan, ctx.st
    s, v, e = rk.sheet, rk.value_col, rk.eval_col
    ws.merge_range(rk.komponen_header - 1, 0, rk.komponen_header - 1, 4, "D. Nilai LKE per komponen",
                   st["seksi"])
    for col, h in enumerate(("Kode", "Komponen", "Bobot", "Nilai OPD", "Nilai Evaluator")):
        ws.write_string(rk.komponen_header, col, h, st["header_eval" if "Evaluator" in h else "header"])
    for j, (kode, nama, bobot, _f, _l) in enumerate(rk.komponen):
        r = rk.komponen_row(j)
        ws.write_string(r, 0, kode, st["label_tengah"])
        ws.write_string(r, 1, nama, st["label_tebal"])
        ws.write_number(r, 2, bobot, st["label_tengah"])
        for col in (v, e):
            put(r, col, "hitung_persen")
    ws.merge_range(rk.sub_header - 1, 0, rk.sub_header - 1, 4, "E. Nilai LKE per sub komponen", st["seksi"])
    for col, h in enumerate(("Kode", "Sub Komponen", "Bobot", "Nilai OPD", "Nilai Evaluator")):
        ws.write_string(rk.sub_header, col, h, st["header_eval" if "Evaluator" in h else "header"])
    for i, (_kode_sub, _komp, nama, _bobot) in enumerate(rk.subs):
        r = rk.sub_row(i)
        _write_value(ws, r, 0, ctx.inputs[(s, r, 0)], st["label_tengah"])
        ws.write_string(r, 1, nama, st["label"])
        if lines_needed(nama, 58) > 1:
            ws.set_row(r, LINE_HEIGHT * lines_needed(nama, 58))
        _write_value(ws, r, 2, ctx.inputs[(s, r, 2)], st["label_tengah"])
        for col in (v, e):
            put(r, col, "hitung_persen")


# --------------------------------------------------------------------------- Pernyataan PK
PEMBUKA = ("Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan akuntabel serta "
           "berorientasi pada hasil, kami yang bertanda tangan di bawah ini:")
JANJI = ("PIHAK PERTAMA berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran perjanjian "
         "ini, dalam rangka mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam "
         "dokumen perencanaan. Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi "
         "tanggung jawab kami.")
SUPERVISI = ("PIHAK KEDUA akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi terhadap "
             "capaian kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan dalam rangka "
             "pemberian penghargaan dan sanksi.")


def _pernyataan(ctx: Context, ws: Worksheet) -> None:
    pn, st = ctx.layout.pernyataan, ctx.st
    s = pn.sheet
    for col, width in ((0, 6), (1, 30), (2, 38), (3, 16), (4, 12)):
        ws.set_column(col, col, width)
    ws.hide_gridlines(2)

    def formula(row: int, col: int, style: str, merge_to: int | None = None) -> None:
        if merge_to is not None:
            ws.merge_range(row, col, row, merge_to, "", st[style])
        _write_computed(ctx, ws, ctx.computed[(s, row, col)], st[style])

    def text(row: int, body: str, height: float | None = None) -> None:
        ws.merge_range(row, 0, row, 4, body, st["surat"])
        if height:
            ws.set_row(row, height)

    for row in (pn.judul, pn.lampiran_judul):
        formula(row, 0, "surat_judul", 4)
    for row in (pn.opd, pn.lampiran_opd):
        formula(row, 0, "surat_judul", 4)
    text(pn.pembuka, PEMBUKA, 30)
    for row, lbl in ((pn.pihak1_nama, "Nama"), (pn.pihak1_jabatan, "Jabatan"),
                     (pn.pihak2_nama, "Nama"), (pn.pihak2_jabatan, "Jabatan")):
        ws.write_string(row, 1, lbl, st["surat_label"])
        formula(row, 2, "surat_isian", 4)
    ws.merge_range(pn.pihak1_sebutan, 1, pn.pihak1_sebutan, 4, "selanjutnya disebut PIHAK PERTAMA.",
                   st["surat_label"])
    ws.merge_range(pn.pihak2_sebutan, 1, pn.pihak2_sebutan, 4,
                   "selaku atasan PIHAK PERTAMA, selanjutnya disebut PIHAK KEDUA.", st["surat_label"])
    text(pn.janji, JANJI, 44)
    text(pn.supervisi, SUPERVISI, 44)
    ws.merge_range(pn.tempat, 3, pn.tempat, 4, "............, ...................", st["surat_tengah"])
    ws.write_string(pn.ttd_sebutan, 1, "PIHAK KEDUA,", st["surat_tengah"])
    ws.merge_range(pn.ttd_sebutan, 3, pn.ttd_sebutan, 4, "PIHAK PERTAMA,", st["surat_tengah"])
    ws.set_row(pn.ttd_jabatan, 30)
    formula(pn.ttd_jabatan, 1, "surat_tengah")
    formula(pn.ttd_jabatan, 3, "surat_tengah", 4)
    formula(pn.ttd_nama, 1, "surat_nama")
    formula(pn.ttd_nama, 3, "surat_nama", 4)
    formula(pn.ttd_nip, 3, "surat_tengah", 4)
    ws.set_h_pagebreaks([pn.lampiran_judul])

    for col, h in enumerate(("No", "Sasaran Strategis", "Indikator Kinerja", "Target", "Satuan")):
        ws.write_string(pn.header, col, h, st["surat_header"])
    for i in range(pn.n_rows):
        r = pn.row(i)
        for col, style in enumerate(("surat_sel_tengah", "surat_sel", "surat_sel", "surat_sel_tengah",
                                     "surat_sel_tengah")):
            formula(r, col, style)
        lines = max(lines_needed(str(ctx.values[(s, r, c)]), w) for c, w in ((1, 30), (2, 38)))
        if lines > 1:
            ws.set_row(r, LINE_HEIGHT * lines)
    rng = f"{a1(pn.row(0), 0)}:{a1(pn.row(pn.n_rows - 1), 4)}"
    ws.conditional_format(rng, {"type": "formula", "criteria": f'=${a1(pn.row(0), 2)}<>""',
                                "format": st["cf_garis"]})
    ws.merge_range(pn.anggaran_row, 0, pn.anggaran_row, 2, "Jumlah anggaran Program (DPA):", st["surat_kiri"])
    formula(pn.anggaran_row, 3, "surat_uang")
    _page(ctx, ws, landscape=False, header=False)
    ws.print_area(0, 0, pn.last_row, 4)
    _protect(ctx, ws)


_WRITERS = {
    "Petunjuk": _petunjuk,
    "Profil": _profil,
    "PK": _pk,
    "Rencana Aksi": _rencana_aksi,
    "Anggaran": _anggaran,
    "LKE": _lke,
    "Tindak Lanjut": _tindak_lanjut,
    "Ringkasan": _ringkasan,
    "Pernyataan PK": _pernyataan,
}


def write_sheets(ctx: Context, sheet_names: tuple[str, ...]) -> None:
    assert set(_WRITERS) == set(sheet_names), "every contract sheet needs a writer"
    assert set(TABLES[n].sheet for n in TABLES) <= set(sheet_names)
    sheets = {name: ctx.wb.add_worksheet(check_sheet_name(name)) for name in sheet_names}
    for name in sheet_names:
        _WRITERS[name](ctx, sheets[name])
    sheets[sheet_names[0]].activate()
