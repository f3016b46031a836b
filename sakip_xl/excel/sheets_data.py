"""The table sheets: PK, Rencana Aksi, Anggaran, LKE and Tindak Lanjut (an Excel Table each,
pre-sized, with validation, conditional formats and print setup)."""

from __future__ import annotations

import datetime as dt
from typing import get_args

from xlsxwriter.worksheet import Worksheet

from ..models import LevelAnggaran, StatusTL
from ..policy import POLARITAS, TIPE_AGREGASI
from .contract import TW
from .layout import TableLayout, a1
from .sheetkit import (
    LINE_HEIGHT,
    Context,
    decimal_rule,
    error_font,
    kategori_colours,
    lines_needed,
    list_rule,
    num,
    page,
    protect,
    title,
    traffic_light,
    validation,
    write_computed,
    write_value,
)

__all__ = ["COLUMN_WIDTHS", "write_pk", "write_rencana_aksi", "write_anggaran", "write_lke",
           "write_tindak_lanjut"]


#: Column widths (characters) per table column.
COLUMN_WIDTHS: dict[str, dict[str, float]] = {
    "tblPK": {"Kode": 11, "Sasaran Strategis": 34, "Indikator Kinerja": 42, "Satuan": 11,
              "Polaritas": 11, "Tipe Agregasi": 12, "Target": 11, "Target Atas": 11},
    "tblRencanaAksi": {"Kode": 11, "Indikator Kinerja": 34, "Polaritas": 10, "Tipe Agregasi": 11,
                       "Target": 9, "Target Atas": 9, **{f"Target {t}": 9 for t in TW},
                       **{f"Realisasi {t}": 9 for t in TW}, "Realisasi": 10, "Capaian (%)": 10,
                       "Kategori": 13, "TW Terakhir": 9, "Target s.d. TW": 10, "Capaian s.d. TW (%)": 10,
                       "Faktor Pendukung": 28, "Faktor Penghambat": 28},
    "tblAnggaran": {"Kode": 18, "Uraian": 46, "Level": 13, "Induk": 18, "Pagu": 17,
                    **{f"Realisasi {t}": 16 for t in TW}, "Serapan (%)": 11},
    "tblLKE": {"Kode": 8, "Kode Sub": 7, "Komponen": 16, "Sub Komponen": 24, "Kriteria": 54,
               "Jenis Jawaban": 9, "Jawaban OPD": 10, "Jawaban Evaluator": 11, "Nilai OPD": 8,
               "Nilai Evaluator": 10, "Kerangka Logis OPD": 16, "Kerangka Logis Evaluator": 16,
               "Bukti Dukung": 30, "Catatan": 26},
    "tblTindakLanjut": {"No": 6, "Rekomendasi": 46, "Rencana Tindak Lanjut": 46, "Penanggung Jawab": 22,
                        "Batas Waktu": 13, "Status": 11},
}

DEFAULT_WIDTH = 14.0

#: Input columns by the kind of value they take (style + validation).
_TEXT_CENTER = {"Polaritas", "Tipe Agregasi", "Level", "Status", "Jawaban OPD", "Kode", "No"}
_NUMBER = {"Target", "Target Atas", *(f"Target {t}" for t in TW)}
_REALISASI = {f"Realisasi {t}" for t in TW}
_MONEY = {"Pagu"}
_PERSEN = {"Capaian (%)", "Serapan (%)", "Capaian s.d. TW (%)"}

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
    if name in {"Realisasi", "Target s.d. TW"}:
        return "hitung_desimal"
    if name in {"Target", "Target Atas"}:
        return "hitung_angka"
    if name in {"Polaritas", "Tipe Agregasi", "Kategori", "Nilai OPD", "Nilai Evaluator", "TW Terakhir"}:
        return "hitung_tengah"
    return "hitung_teks"


def _table(ctx: Context, ws: Worksheet, t: TableLayout, *, static: set[str] | None = None,
           styles: dict[str, str] | None = None) -> None:
    static = static or set()
    # a column added to the contract later gets a default width
    widths = {c.name: COLUMN_WIDTHS[t.name].get(c.name, DEFAULT_WIDTH) for c in t.spec.columns}
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
                write_computed(ctx, ws, comp, fmt)
            else:
                write_value(ws, r, c, ctx.inputs.get((t.sheet, r, c)), fmt)
    ws.freeze_panes(t.first_row, 1 if t.name != "tblLKE" else 0)
    _fit_rows(ctx, ws, t, {name: widths[name] for name, style in used.items() if style in _WRAPPED})
    page(ctx, ws, landscape=True, repeat_to=t.top)


#: Styles that wrap text (rows are heightened to show it all).
_WRAPPED = {"isian_teks", "evaluator_teks", "hitung_teks", "label", "label_tebal", "surat_sel"}

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


def write_pk(ctx: Context, ws: Worksheet) -> None:
    t = ctx.layout.pk
    title(ctx, ws, *_TITLES[t.name])
    _table(ctx, ws, t)
    validation(ws, *_col_span(t, "Polaritas"), list_rule(
        list(POLARITAS), "Polaritas",
        "positif: makin tinggi makin baik. negatif: makin rendah makin baik. stabil: target berupa rentang "
        "(isi Target dan Target Atas)."))
    validation(ws, *_col_span(t, "Tipe Agregasi"), list_rule(
        list(TIPE_AGREGASI), "Tipe agregasi",
        "kumulatif: triwulan dijumlah (mis. jumlah dokumen). akhir: nilai triwulan terakhir (mis. persen, "
        "indeks). rata-rata: rata-rata triwulan."))
    validation(ws, *_col_span(t, "Target"), decimal_rule(
        "Target tahunan", "Angka target tahunan sesuai PK. Untuk target rentang isi batas bawahnya."))
    validation(ws, *_col_span(t, "Target Atas"), decimal_rule(
        "Target atas (rentang)", "Hanya untuk target rentang, mis. 2-4: Target 2, Target Atas 4. "
        "Kosongkan bila target satu angka."))
    validation(ws, *_col_span(t, "Kode"), {
        "validate": "length", "criteria": "between", "minimum": 1, "maximum": 50,
        "input_title": "Kode indikator", "input_message": "Kode unik indikator, mis. IKU-01. Dipakai "
        "untuk memilih indikator di sheet Rencana Aksi.",
        "error_title": "Kode terlalu panjang", "error_message": "Kode paling banyak 50 karakter."})
    protect(ctx, ws)


def write_rencana_aksi(ctx: Context, ws: Worksheet) -> None:
    t, pk = ctx.layout.ra, ctx.layout.pk
    title(ctx, ws, *_TITLES[t.name])
    _table(ctx, ws, t)
    ws.freeze_panes(t.first_row, 2)
    kode = pk.column_range("Kode").a1
    validation(ws, *_col_span(t, "Kode"), {
        "validate": "list", "source": "=" + kode,
        "input_title": "Kode indikator", "input_message": "Pilih Kode indikator dari tabel PK.",
        "error_title": "Kode tidak dikenal", "error_message": "Kode harus salah satu Kode di sheet PK."})
    for tw in TW:
        validation(ws, *_col_span(t, f"Target {tw}"), decimal_rule(
            f"Target {tw}", "Target triwulan ini (tambahan untuk indikator kumulatif). Boleh kosong."))
        validation(ws, *_col_span(t, f"Realisasi {tw}"), decimal_rule(
            f"Realisasi {tw}", "Realisasi triwulan ini (tambahan untuk indikator kumulatif). Kosongkan "
            "bila triwulan belum berjalan.", minimum=None))
    for col in ("Capaian (%)", "Capaian s.d. TW (%)"):
        cap0, cap1 = _col_span(t, col)
        traffic_light(ctx, ws, f"{cap0}:{cap1}", cap0)
        error_font(ctx, ws, f"{cap0}:{cap1}", cap0)
    sd0, sd1 = _col_span(t, "Target s.d. TW")
    error_font(ctx, ws, f"{sd0}:{sd1}", sd0)
    real0, real1 = _col_span(t, "Realisasi")
    error_font(ctx, ws, f"{real0}:{real1}", real0)
    look0 = a1(t.first_row, t.col("Indikator Kinerja"))
    error_font(ctx, ws, f"{look0}:{a1(t.last_row, t.col('Target Atas'))}", look0)
    kat0, kat1 = _col_span(t, "Kategori")
    kategori_colours(ctx, ws, f"{kat0}:{kat1}", kat0)
    protect(ctx, ws)


def write_anggaran(ctx: Context, ws: Worksheet) -> None:
    t = ctx.layout.anggaran
    title(ctx, ws, *_TITLES[t.name])
    _table(ctx, ws, t)
    validation(ws, *_col_span(t, "Level"), list_rule(
        list(get_args(LevelAnggaran)), "Level",
        "Program, Kegiatan, atau Sub Kegiatan. Induk: kode Program (untuk Kegiatan) atau kode Kegiatan "
        "(untuk Sub Kegiatan)."))
    validation(ws, *_col_span(t, "Pagu"), decimal_rule("Pagu", "Pagu anggaran (rupiah) sesuai DPA."))
    for tw in TW:
        validation(ws, *_col_span(t, f"Realisasi {tw}"), decimal_rule(
            f"Realisasi {tw}", "Realisasi anggaran (rupiah) dalam triwulan ini saja, bukan kumulatif."))
    s0, s1 = _col_span(t, "Serapan (%)")
    error_font(ctx, ws, f"{s0}:{s1}", s0)
    protect(ctx, ws)


def write_lke(ctx: Context, ws: Worksheet) -> None:
    t = ctx.layout.lke
    title(ctx, ws, *_TITLES[t.name])
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
        values = ", ".join(f"{k}={num(v)}" for k, v in ctx.policy.nilai_jawaban.get(jenis, {}).items())
        for col, who in (("Jawaban OPD", "OPD (penilaian mandiri)"), ("Jawaban Evaluator", "evaluator")):
            c = t.col(col)
            validation(ws, a1(t.row(first), c), a1(t.row(last), c), list_rule(
                options, f"Jawaban {jenis}",
                f"Jawaban {who}: {values}. Penjelasan kriteria: arahkan penunjuk ke sel Kriteria."))
    kriteria_col = t.col("Kriteria")
    for i, k in enumerate(ctx.layout.kriteria):
        if k.penjelasan:  # the rubric, shown when the pointer rests on the criterion
            ws.write_comment(t.row(i), kriteria_col, f"Penjelasan {k.kode}:\n{k.penjelasan}", {
                "author": "sakip-xl", "x_scale": 3, "y_scale": min(6.0, 1 + len(k.penjelasan) / 180)})
    for col in ("Nilai OPD", "Nilai Evaluator"):
        n0, n1 = _col_span(t, col)
        error_font(ctx, ws, f"{n0}:{n1}", n0)
    # decision A9 "kerangka logis": the answer cell is marked where its Kerangka Logis cell names a violation
    for jawaban, kl in (("Jawaban OPD", "Kerangka Logis OPD"), ("Jawaban Evaluator", "Kerangka Logis Evaluator")):
        flag = f"=LEN(${a1(t.first_row, t.col(kl))})>0"  # column fixed, row relative
        for col in (jawaban, kl):
            c0, c1 = _col_span(t, col)
            ws.conditional_format(f"{c0}:{c1}", {"type": "formula", "criteria": flag, "format": ctx.st["cf_merah"]})
    protect(ctx, ws)


def write_tindak_lanjut(ctx: Context, ws: Worksheet) -> None:
    t = ctx.layout.tindak_lanjut
    title(ctx, ws, *_TITLES[t.name])
    _table(ctx, ws, t)
    validation(ws, *_col_span(t, "Status"), list_rule(
        list(get_args(StatusTL)), "Status", "Belum: belum dikerjakan. Proses: sedang dikerjakan. "
        "Selesai: sudah tuntas dengan bukti."))
    validation(ws, *_col_span(t, "Batas Waktu"), {
        "validate": "date", "criteria": "between",
        "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2100, 12, 31),
        "input_title": "Batas waktu", "input_message": "Tanggal, mis. 30/06/2025.",
        "error_title": "Harus tanggal", "error_message": "Isikan tanggal yang sah (hari/bulan/tahun)."})
    protect(ctx, ws)

