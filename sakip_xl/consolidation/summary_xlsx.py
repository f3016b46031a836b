"""The city summary workbook (rekap kota), written with XlsxWriter, in Bahasa Indonesia.

Every sheet holds an Excel Table with a frozen header and filters; capaian cells carry the traffic
light derived from the policy's kategori bands.  All values are written with explicit types:
user text always as text (a name beginning with ``=``, ``+``, ``-`` or ``@`` never becomes a
formula), numbers as numbers, so the file needs no recalculation and every reader sees the same.
Only numbers computed by the scoring functions (through :mod:`sakip_xl.consolidate`) appear here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from .. import __version__
from ..scoring import TW_LABELS
from .fastsheet import FastSheet
from .halaman_kota import write_halaman
from .rencana_xlsx import write_rencana

if TYPE_CHECKING:
    from .rekap import Rekap

__all__ = ["write_summary", "SHEETS", "EXCEL_MAX_ROWS"]

SHEETS = ("Ringkasan Kota", "Rencana Peningkatan", "Rincian Kota", "Per OPD", "Detail Indikator", "Triwulan", "Anggaran", "LKE",
          "Tindak Lanjut", "Masalah", "Sumber")
EXCEL_MAX_ROWS = 1_048_576
RINCIAN = "Rincian Kota"
_LAMPU = {"hijau": "#C6EFCE", "kuning": "#FFEB9C", "merah": "#FFC7CE"}
_LAMPU_FONT = {"hijau": "#006100", "kuning": "#9C5700", "merah": "#9C0006"}

@dataclass(frozen=True)
class Col:
    header: str
    key: str
    kind: str = "text"  # text, pct, ratio, money, int, num, date
    width: float = 12
    lampu: bool = False  # traffic light on a capaian column
    kategori: bool = False  # colour a kategori label column


Rows = pd.DataFrame | Sequence[dict[str, Any]]


def _columns(data: Rows, keys: Sequence[str]) -> list[list[Any]]:
    """The values of ``keys`` as columns (a missing key is an empty column)."""
    if isinstance(data, pd.DataFrame):
        n = len(data)
        return [data[k].tolist() if k in data.columns else [None] * n for k in keys]
    return [[row.get(k) for row in data] for k in keys]


class _Writer:
    def __init__(self, rk: Rekap, path: Path, *, reference: bool = False) -> None:
        self.rk = rk
        self.reference = reference
        self.wb = xlsxwriter.Workbook(str(path), {
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "nan_inf_to_errors": True, "in_memory": True,
        })
        self.wb.set_properties({
            "title": f"Rekap SAKIP Kota {rk.tahun or ''}".strip(),
            "subject": "Rekap kinerja dan akuntabilitas OPD", "author": "sakip-xl",
            "comments": f"Dibuat oleh sakip-xl {__version__}",
            "created": dt.datetime(2000, 1, 1),
        })
        w = self.wb
        self.f: dict[str, Format] = {
            "title": w.add_format({"bold": True, "font_size": 16, "font_color": "#1F3864"}),
            "subtitle": w.add_format({"italic": True, "font_color": "#595959"}),
            "section": w.add_format({"bold": True, "font_size": 12, "font_color": "#1F3864"}),
            "note": w.add_format({"italic": True, "font_color": "#595959", "text_wrap": False}),
            "header": w.add_format({"bold": True, "text_wrap": True, "valign": "top", "font_color": "#FFFFFF",
                                    "bg_color": "#2F5597", "border": 1, "border_color": "#BFBFBF"}),
        }
        cell = {"valign": "top", "border": 1, "border_color": "#D9D9D9"}
        for kind, num_format in (("text", None), ("pct", "#,##0.00"), ("ratio", "0.00"), ("money", "#,##0"),
                                 ("int", "0"), ("num", "#,##0.##"), ("date", "dd/mm/yyyy"),
                                 ("delta", "+#,##0.00;-#,##0.00;0.00")):
            self.f[kind] = w.add_format({**cell, **({"num_format": num_format} if num_format else {})})
        self.f["wrap"] = w.add_format({**cell, "text_wrap": True})
        self.lampu = {k: w.add_format({"bg_color": v, "font_color": _LAMPU_FONT[k]}) for k, v in _LAMPU.items()}
        self.tables = 0

    # ------------------------------------------------------------------ cells
    def cell(self, ws: Worksheet, r: int, c: int, value: Any, kind: str) -> None:
        fmt = self.f.get(kind, self.f["text"])
        if value is None or (isinstance(value, float) and math.isnan(value)):
            ws.write_blank(r, c, None, fmt)
        elif isinstance(value, bool):
            ws.write_string(r, c, "Ya" if value else "", fmt)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            if math.isfinite(value):
                ws.write_number(r, c, value, fmt)
            else:
                ws.write_blank(r, c, None, fmt)
        elif isinstance(value, dt.datetime):
            ws.write_datetime(r, c, value, self.f["date"])
        elif isinstance(value, dt.date):
            ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), self.f["date"])
        elif hasattr(value, "item"):  # numpy scalar
            self.cell(ws, r, c, value.item(), kind)
        else:
            ws.write_string(r, c, str(value), fmt)

    def table(self, ws: FastSheet, name: str, row: int, col: int, cols: Sequence[Col],
              rows: Rows, *, autofilter: bool = True) -> int:
        """Write ``rows`` (a DataFrame or dicts) and an Excel Table over them; returns the last row used.

        Cell values follow :mod:`.fastsheet`: empty values stay unwritten, text stays text."""
        for j, c in enumerate(cols):
            ws.set_column(col + j, col + j, c.width)
        ws.write_columns(row + 1, col, _columns(rows, [c.key for c in cols]),
                         [self.f.get(c.kind, self.f["text"]) for c in cols], self.f["date"],
                         reference=self.reference)
        last = row + max(1, len(rows))
        self.tables += 1
        ws.add_table(row, col, last, col + len(cols) - 1, {
            "name": name, "style": "Table Style Medium 2", "autofilter": autofilter,
            "columns": [{"header": c.header, "header_format": self.f["header"]} for c in cols],
        })
        if len(rows):
            for j, c in enumerate(cols):
                if c.lampu:
                    self.traffic(ws, row + 1, col + j, last)
                if c.kategori:
                    self.kategori_colors(ws, row + 1, col + j, last)
        return last

    def traffic(self, ws: Worksheet, first: int, col: int, last: int) -> None:
        hijau, kuning = self.rk.policy.lampu_thresholds()
        ref = xlsxwriter.utility.xl_rowcol_to_cell(first, col)
        rng = (first, col, last, col)
        rules = []
        if math.isfinite(hijau):
            rules.append((f"=AND(ISNUMBER({ref}),{ref}>={hijau:g})", "hijau"))
        if math.isfinite(kuning) and kuning < hijau:
            rules.append((f"=AND(ISNUMBER({ref}),{ref}>={kuning:g})", "kuning"))
        rules.append((f"=ISNUMBER({ref})", "merah"))
        for formula, lamp in rules:
            ws.conditional_format(*rng, {"type": "formula", "criteria": formula,
                                         "format": self.lampu[lamp], "stop_if_true": True})

    def kategori_colors(self, ws: Worksheet, first: int, col: int, last: int) -> None:
        for band in self.rk.policy.kategori:
            ws.conditional_format(first, col, last, col, {
                "type": "cell", "criteria": "==", "value": '"' + band.label.replace('"', '""') + '"',
                "format": self.lampu[band.lampu]})

    def sheet(self, name: str, freeze: tuple[int, int] = (1, 0), *, paper: int = 9,
              fit_width: bool = False) -> FastSheet:
        """A landscape sheet (A4 = 9, A3 = 8) with frozen panes; ``fit_width`` prints one page wide."""
        ws = self.wb.add_worksheet(name, worksheet_class=FastSheet)
        assert isinstance(ws, FastSheet)
        ws.freeze_panes(*freeze)
        ws.set_landscape()
        ws.set_paper(paper)
        if fit_width:
            ws.fit_to_pages(1, 0)
        ws.hide_gridlines(2)
        return ws

    def big_table(self, name: str, table: str, cols: Sequence[Col], rows: pd.DataFrame,
                  freeze: tuple[int, int] = (1, 0)) -> None:
        """A detail table on its own sheet, split over several sheets beyond Excel's row limit."""
        per = EXCEL_MAX_ROWS - 1
        chunks = [rows.iloc[i:i + per] for i in range(0, len(rows), per)] or [rows]
        for n, chunk in enumerate(chunks, start=1):
            suffix = "" if n == 1 else f" ({n})"
            ws = self.sheet(name + suffix, freeze)
            ws.repeat_rows(0)
            self.table(ws, table + ("" if n == 1 else str(n)), 0, 0, cols, chunk)

    def close(self) -> None:
        self.wb.close()


# ====================================================================== sheets
def _rows(df: pd.DataFrame, *cols: str) -> list[tuple[Any, ...]]:
    """The rows of ``cols`` as tuples, NaN and pd.NA as None (no rows: an empty list)."""
    if len(df) == 0:
        return []
    lists = []
    for col in cols:
        s = df[col]
        lists.append(s.astype(object).where(s.notna(), None).tolist() if s.hasnans else s.tolist())
    return list(zip(*lists, strict=True))


def _pct_cols(policy_labels: Sequence[str]) -> list[Col]:
    return [Col(f"Jumlah {label}", f"jumlah_{label}", "int", 10) for label in policy_labels]


def _ringkasan(w: _Writer) -> None:
    rk, k = w.rk, w.rk.kota
    # the Ringkasan Kota page is halaman_kota.write_halaman; the city's tables and charts in detail here
    ws = w.sheet(RINCIAN, freeze=(3, 0), fit_width=True)
    ws.set_column(0, 0, 44)
    ws.write_string(0, 0, f"Rekap Kinerja dan Akuntabilitas Perangkat Daerah, Tahun {k['tahun'] or '-'}",
                    w.f["title"])
    cap = k["cap_rata_rata"]
    ws.write_string(1, 0, (
        f"Data s.d. {k['sampai_tw']}. Predikat sasaran kota: {k['target_predikat']}. "
        f"Rata-rata dibatasi {f'{cap:g} %' if cap else 'tanpa batas'} per indikator. "
        f"Dibuat oleh sakip-xl {__version__}; asal setiap angka: lembar Sumber dan Detail Indikator."
    ), w.f["subtitle"])
    diterima = (f"{k['n_diterima']} dari {k['n_diharapkan']}" if k["n_diharapkan"] is not None
                else f"{k['n_dikonsolidasi']} (tanpa daftar OPD)")
    head = [
        ("OPD diterima / diharapkan", diterima, "text", "Menurut daftar OPD yang diharapkan"),
        ("OPD dikonsolidasi", k["n_dikonsolidasi"], "int",
         f"{k['n_berkas']} berkas; {k['n_gagal']} gagal dibaca, {k['n_duplikat']} duplikat, "
         f"{k['n_tahun_lain']} tahun lain"),
        ("Capaian kinerja rata-rata (%)", k["capaian_rata"], "pct", "Rata-rata capaian OPD, tanpa batas"),
        (f"Capaian kinerja rata-rata, dibatasi {cap:g} % (%)" if cap else "Capaian rata-rata (dibatasi) (%)",
         k["capaian_rata_dibatasi"], "pct", "Tiap indikator dibatasi sebelum dirata-rata"),
        ("OPD sudah dievaluasi", k["n_opd_dievaluasi"], "int",
         "Nilai evaluator dipakai (kolom lengkap atau Status Evaluasi Final); hanya mereka yang diperingkat"),
        ("OPD belum dievaluasi", k["n_opd_belum_dievaluasi"], "int",
         "Nilai mandiri OPD; didaftar terpisah, tidak diperingkat dan tidak dihitung di bawah"),
        (f"OPD berpredikat {k['target_predikat']} atau lebih (%)", k["persen_opd_target"], "pct",
         f"{k['n_opd_target']} dari {k['n_opd_berpredikat']} OPD yang sudah dievaluasi (lihat catatan)"),
        ("Nilai LKE rata-rata (hasil evaluasi)", k["nilai_lke_rata"], "pct", "Hanya OPD yang sudah dievaluasi"),
        ("Nilai LKE rata-rata (mandiri, belum dievaluasi)", k["nilai_lke_rata_mandiri"], "pct",
         "Penilaian mandiri OPD yang belum dievaluasi"),
        ("Pagu anggaran program (Rp)", k["pagu"], "money", ""),
        ("Realisasi anggaran program (Rp)", k["realisasi_anggaran"], "money", ""),
        ("Serapan anggaran (%)", k["serapan"], "pct", ""),
        ("Indeks efisiensi", k["indeks_efisiensi"], "ratio", "Capaian (dibatasi) / serapan; > 1 efisien"),
        ("Indikator dinilai", k["n_indikator_dinilai"], "int", f"dari {k['n_indikator']} indikator"),
        ("Galat / peringatan", f"{k['n_galat']} / {k['n_peringatan']}", "text", "Rinciannya di lembar Masalah"),
        *_perubahan_kota(k),
    ]
    rows = [{"u": a, "n": b, "kind": kind, "k": c} for a, b, kind, c in head]
    ws.write_string(3, 0, "Angka utama", w.f["section"])
    ws.set_column(1, 1, 18)
    ws.set_column(2, 2, 60)
    for i, row in enumerate(rows, start=5):
        ws.write_string(i, 0, row["u"], w.f["text"])
        w.cell(ws, i, 1, row["n"], row["kind"])
        ws.write_string(i, 2, row["k"], w.f["text"])
    w.tables += 1
    ws.add_table(4, 0, 4 + len(rows), 2, {
        "name": "tblRekapRincian", "style": "Table Style Medium 2", "autofilter": False,
        "columns": [{"header": h, "header_format": w.f["header"]} for h in ("Ukuran", "Nilai", "Keterangan")]})
    for i, row in enumerate(rows, start=5):
        if "Capaian" in row["u"] and row["n"] is not None:
            w.traffic(ws, i, 1, i)
    r = 5 + len(rows)
    ws.write_string(r, 0, "Catatan: kota yang menargetkan predikat BB membutuhkan sekitar dua pertiga OPD "
                    "berpredikat BB atau lebih.", w.f["note"])
    r += 2
    ws.write_string(r, 0, "Distribusi kategori capaian indikator", w.f["section"])
    total = sum(k["distribusi_kategori"].values())
    kat_rows = [{"kategori": a, "n": b, "p": (b / total * 100 if total else None)}
                for a, b in k["distribusi_kategori"].items()]
    last = w.table(ws, "tblRekapKategori", r + 1, 0, [
        Col("Kategori", "kategori", "text", 44, kategori=True), Col("Jumlah Indikator", "n", "int", 18),
        Col("Persen (%)", "p", "pct", 60)], kat_rows, autofilter=False)
    r = last + 2
    ws.write_string(r, 0, "Distribusi predikat OPD", w.f["section"])
    interp = {b.label: b.interpretasi for b in rk.policy.predikat}
    pred_rows = [{"p": a, "n": b, "i": interp.get(a, "")} for a, b in k["distribusi_predikat"].items()]
    pred_first = r + 2
    last = w.table(ws, "tblRekapPredikat", r + 1, 0, [
        Col("Predikat", "p", "text", 44), Col("Jumlah OPD", "n", "int", 18),
        Col("Interpretasi", "i", "text", 60)], pred_rows, autofilter=False)
    chart = w.wb.add_chart({"type": "column"})
    chart.add_series({
        "name": "Jumlah OPD", "categories": [RINCIAN, pred_first, 0, last, 0],
        "values": [RINCIAN, pred_first, 1, last, 1], "fill": {"color": "#2F5597"},
        "data_labels": {"value": True},
    })
    chart.set_title({"name": "Distribusi predikat OPD"})
    chart.set_legend({"none": True})
    chart.set_y_axis({"name": "Jumlah OPD", "major_gridlines": {"visible": True}})
    ws.insert_chart(3, 5, chart, {"x_scale": 1.3, "y_scale": 1.1})
    r = last + 2
    ws.write_string(r, 0, "Sepuluh indikator dengan capaian terendah", w.f["section"])
    weak = rk.indikator_terlemah
    last = w.table(ws, "tblRekapTerlemah", r + 1, 0, [
        Col("Indikator", "indikator", "text", 44), Col("Capaian (%)", "capaian", "pct", 18, lampu=True),
        Col("OPD", "opd_nama", "text", 60), Col("Kategori", "kategori", "text", 16, kategori=True)],
        weak, autofilter=False)
    if k["opd_belum_dievaluasi"]:
        r = last + 2
        ws.write_string(r, 0, "OPD yang belum dievaluasi (nilai mandiri, tidak diperingkat)", w.f["section"])
        mandiri = [{"kode": a, "nama": b} for a, b in k["opd_belum_dievaluasi"]]
        last = w.table(ws, "tblRekapBelumDievaluasi", r + 1, 0, [
            Col("Kode OPD", "kode", "text", 44), Col("Nama OPD", "nama", "text", 18)], mandiri,
            autofilter=False)
    if k["n_diharapkan"] is not None:
        r = last + 2
        ws.write_string(r, 0, "OPD yang belum mengirim workbook", w.f["section"])
        belum = [{"kode": a, "nama": b} for a, b in k["opd_belum"]]
        last = w.table(ws, "tblRekapBelumMengirim", r + 1, 0, [
            Col("Kode OPD", "kode", "text", 44), Col("Nama OPD", "nama", "text", 18)], belum,
            autofilter=False)
    _capaian_chart(w, ws)


def _capaian_chart(w: _Writer, ws: Worksheet) -> None:
    n = len(w.rk.opd)
    if n == 0:
        return
    shown = min(n, 60)
    chart = w.wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": "Capaian rata-rata dibatasi (%)",
        "categories": ["Per OPD", 1, 2, shown, 2],
        "values": ["Per OPD", 1, 6, shown, 6],
        "fill": {"color": "#2F5597"},
    })
    title = "Capaian kinerja per OPD (%)" + ("" if shown == n else f", {shown} OPD teratas")
    chart.set_title({"name": title})
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})
    chart.set_x_axis({"min": 0, "major_gridlines": {"visible": True}})
    chart.set_size({"width": 760, "height": max(320, 18 * shown + 80)})
    ws.insert_chart(22, 5, chart)


def _perubahan_kota(k: dict[str, Any]) -> list[tuple[str, Any, str, str]]:
    """Rows of year-over-year change (only when last year's summary was given)."""
    if "perubahan_nilai_lke_rata" not in k:
        return []
    lalu = f"tahun {k['tahun_lalu']}" if k.get("tahun_lalu") else "tahun lalu"
    note = f"Tahun ini dikurangi {lalu}; {k['n_opd_dibanding']} OPD ada di rekap {lalu}"
    return [
        ("Perubahan nilai LKE rata-rata", k["perubahan_nilai_lke_rata"], "delta",
         f"{lalu.capitalize()}: {_angka(k['nilai_lke_rata_lalu'])}. {note}"),
        ("Perubahan capaian rata-rata dibatasi (poin %)", k["perubahan_capaian_rata_dibatasi"], "delta",
         f"{lalu.capitalize()}: {_angka(k['capaian_rata_dibatasi_lalu'])} %"),
        (f"Perubahan OPD berpredikat {k['target_predikat']} atau lebih (poin %)",
         k["perubahan_persen_opd_target"], "delta",
         f"{lalu.capitalize()}: {_angka(k['persen_opd_target_lalu'])} %"),
    ]


def _angka(x: Any) -> str:
    from .rekap import angka

    return angka(x)


def _per_opd(w: _Writer) -> None:
    p = w.rk.policy
    cols = [
        Col("Peringkat", "peringkat", "int", 10), Col("Kode OPD", "opd_kode", "text", 12),
        Col("Nama OPD", "opd_nama", "text", 38), Col("Jumlah Indikator", "n_indikator", "int", 10),
        Col("Indikator Dinilai", "n_dinilai", "int", 10),
        Col("Capaian Rata-rata (%)", "capaian_rata", "pct", 12, lampu=True),
        Col("Capaian Dibatasi (%)", "capaian_rata_dibatasi", "pct", 12, lampu=True),
        *_pct_cols(p.kategori_labels),
        Col("Serapan Anggaran (%)", "serapan", "pct", 12),
        Col("Indeks Efisiensi", "indeks_efisiensi", "ratio", 10),
        Col("Perlu Perhatian Efisiensi", "flag_efisiensi", "text", 12),
        Col("Nilai LKE OPD", "nilai_lke_opd", "pct", 10), Col("Predikat OPD", "predikat_opd", "text", 9),
        Col("Nilai LKE Evaluator", "nilai_lke_evaluator", "pct", 10),
        Col("Predikat Evaluator", "predikat_evaluator", "text", 9),
        Col("Nilai LKE", "nilai_lke", "pct", 10), Col("Predikat", "predikat", "text", 9),
        Col("Sumber Nilai", "sumber_nilai", "text", 14),
        Col("Status Nilai", "status_nilai", "text", 14),
        Col("Kriteria Dijawab Evaluator", "dijawab_evaluator", "int", 11),
        Col("Predikat Berikut", "predikat_berikut", "text", 9),
        Col("Poin ke Predikat Berikut", "poin_ke_predikat_berikut", "pct", 11),
        *_perubahan_cols(w.rk.opd.columns),
        Col("Peluang LKE (rencana ke predikat berikut, rinciannya di Rencana Peningkatan)", "peluang_lke",
            "text", 95),
        Col("Rekomendasi Belum Selesai", "tl_terbuka", "int", 11),
        Col("Galat", "n_galat", "int", 8), Col("Peringatan", "n_peringatan", "int", 10),
        Col("Berkas", "berkas", "text", 30),
    ]
    ws = w.sheet("Per OPD", freeze=(1, 3), paper=8)
    ws.set_row(0, 45)
    ws.repeat_rows(0)
    # readable on paper: three A3 pages wide at about full size, name columns on every page
    ws.fit_to_pages(3, 0)
    ws.repeat_columns(0, 2)
    last = w.table(ws, "tblRekapPerOPD", 0, 0, cols, w.rk.opd)
    galat = [c.header for c in cols].index("Galat")
    if len(w.rk.opd):
        ws.conditional_format(1, galat, last, galat, {"type": "cell", "criteria": ">", "value": 0,
                                                      "format": w.lampu["merah"]})


def _perubahan_cols(columns: Any) -> list[Col]:
    """Last year's values and the change, when the summary was built with ``rekap_lalu``."""
    if "perubahan_nilai_lke" not in columns:
        return []
    return [
        Col("Nilai LKE Tahun Lalu", "nilai_lke_lalu", "pct", 10),
        Col("Perubahan Nilai LKE", "perubahan_nilai_lke", "delta", 10),
        Col("Predikat Tahun Lalu", "predikat_lalu", "text", 9),
        Col("Capaian Dibatasi Tahun Lalu (%)", "capaian_rata_dibatasi_lalu", "pct", 12),
        Col("Perubahan Capaian (poin %)", "perubahan_capaian", "delta", 11),
    ]


def _detail(w: _Writer) -> None:
    tw = w.rk.sampai_tw or 4
    cols = [
        Col("Kode OPD", "opd_kode", "text", 10), Col("Nama OPD", "opd_nama", "text", 28),
        Col("Kode", "kode", "text", 10), Col("Sasaran", "sasaran", "text", 30),
        Col("Indikator", "indikator", "text", 40), Col("Satuan", "satuan", "text", 10),
        Col("Polaritas", "polaritas", "text", 10), Col("Tipe Agregasi", "tipe_agregasi", "text", 12),
        Col("Target", "target", "num", 10), Col("Target Atas", "target_atas", "num", 10),
        *(Col(f"Target {TW_LABELS[i]}", f"target_tw{i + 1}", "num", 10) for i in range(4)),
        *(Col(f"Realisasi {TW_LABELS[i]}", f"realisasi_tw{i + 1}", "num", 10) for i in range(4)),
        Col(f"Realisasi s.d. {TW_LABELS[tw - 1]}", "realisasi", "num", 11),
        Col("Capaian (%)", "capaian", "pct", 10, lampu=True),
        Col("Kategori", "kategori", "text", 13, kategori=True),
        # decision A9 "mid-year": the quarter the capaian stands for, and the capaian to date
        Col("Dinilai s.d.", "tw_terakhir", "text", 9),
        Col("Capaian s.d. TW (%)", "capaian_sd_tw", "pct", 10, lampu=True),
        *(Col(f"Capaian {TW_LABELS[i]} (%)", f"capaian_tw{i + 1}", "pct", 10, lampu=True) for i in range(tw)),
        Col("Aturan", "aturan", "text", 40), Col("Berkas", "berkas", "text", 28),
        Col("Lembar", "lembar", "text", 12), Col("Sel", "sel", "text", 8),
        Col("Lokasi Input", "lokasi_input", "text", 40),
        Col("Faktor Penghambat", "faktor_penghambat", "text", 30),
    ]
    w.big_table("Detail Indikator", "tblRekapIndikator", cols, w.rk.indikator, freeze=(1, 5))


def _triwulan(w: _Writer) -> None:
    tw = w.rk.sampai_tw or 4
    by_opd: dict[str, dict[str, Any]] = {}
    for kode, nama, i, capped, raw in _rows(w.rk.triwulan, "opd_kode", "opd_nama", "tw",
                                            "capaian_rata_dibatasi", "capaian_rata"):
        d = by_opd.setdefault(kode, {"opd_kode": kode, "opd_nama": nama})
        d[f"tw{i}"] = capped
        d[f"raw{i}"] = raw
    cols = [Col("Kode OPD", "opd_kode", "text", 10), Col("Nama OPD", "opd_nama", "text", 38),
            *(Col(f"Capaian {TW_LABELS[i]} (%)", f"tw{i + 1}", "pct", 14, lampu=True) for i in range(tw)),
            *(Col(f"Capaian {TW_LABELS[i]} tanpa batas (%)", f"raw{i + 1}", "pct", 14) for i in range(tw))]
    ws = w.sheet("Triwulan", freeze=(1, 2), fit_width=True)
    ws.set_row(0, 30)
    w.table(ws, "tblRekapTriwulan", 0, 0, cols, list(by_opd.values()))


def _anggaran(w: _Writer) -> None:
    tw = w.rk.sampai_tw or 4
    cols = [
        Col("Kode OPD", "opd_kode", "text", 10), Col("Nama OPD", "opd_nama", "text", 28),
        Col("Kode", "kode", "text", 16), Col("Uraian", "uraian", "text", 40),
        Col("Level", "level", "text", 12), Col("Induk", "induk", "text", 14),
        Col("Pagu (Rp)", "pagu", "money", 16),
        *(Col(f"Realisasi {TW_LABELS[i]} (Rp)", f"realisasi_tw{i + 1}", "money", 15) for i in range(4)),
        Col(f"Realisasi s.d. {TW_LABELS[tw - 1]} (Rp)", "realisasi", "money", 16),
        Col("Serapan (%)", "serapan", "pct", 10), Col("Melebihi Pagu", "melebihi_pagu", "text", 10),
        Col("Berkas", "berkas", "text", 28), Col("Lembar", "lembar", "text", 10), Col("Sel", "sel", "text", 8),
    ]
    w.big_table("Anggaran", "tblRekapAnggaran", cols, w.rk.anggaran, freeze=(1, 4))


def _lke(w: _Writer) -> None:
    opd = _rows(w.rk.opd, "opd_kode", "opd_nama", "sumber_nilai", "nilai_lke", "predikat", "nilai_lke_opd",
                "nilai_lke_evaluator")
    subs: dict[str, dict[str, tuple[Any, Any]]] = {}  # OPD -> sub-component -> (nilai OPD, evaluator)
    sub_codes: list[str] = []
    names: dict[str, str] = {}
    for opd_kode, kode, bobot, nilai_opd, nilai_ev in _rows(w.rk.lke, "opd_kode", "kode_sub", "bobot",
                                                            "nilai_opd", "nilai_evaluator"):
        subs.setdefault(opd_kode, {})[kode] = (nilai_opd, nilai_ev)
        if kode not in names:
            sub_codes.append(kode)
            names[kode] = f"{kode} (bobot {bobot:g})"
    komp: dict[str, str] = {}
    out = []
    used: dict[str, bool] = {}
    for opd_kode, opd_nama, sumber, nilai, predikat, nilai_opd, nilai_ev in opd:
        evaluator = used[opd_kode] = sumber == "Evaluator"
        d = {"opd_kode": opd_kode, "opd_nama": opd_nama, "sumber": sumber, "nilai": nilai,
             "predikat": predikat, "opd": nilai_opd, "ev": nilai_ev}
        for kode, (sub_opd, sub_ev) in subs.get(opd_kode, {}).items():
            d[f"s_{kode}"] = sub_ev if evaluator else sub_opd
        out.append(d)
    by_opd = {d["opd_kode"]: d for d in out}
    for opd_kode, kode, komponen, bobot, nilai_opd, nilai_ev in _rows(
            w.rk.lke_komponen, "opd_kode", "kode", "komponen", "bobot", "nilai_opd", "nilai_evaluator"):
        komp.setdefault(kode, f"{komponen} ({bobot:g})")
        by_opd[opd_kode][f"k_{kode}"] = nilai_ev if used[opd_kode] else nilai_opd
    cols = [Col("Kode OPD", "opd_kode", "text", 10), Col("Nama OPD", "opd_nama", "text", 34),
            Col("Sumber Nilai", "sumber", "text", 14),
            *(Col(komp[k], f"k_{k}", "pct", 14) for k in sorted(komp)),
            Col("Nilai LKE", "nilai", "pct", 10), Col("Predikat", "predikat", "text", 9),
            Col("Nilai LKE OPD", "opd", "pct", 10), Col("Nilai LKE Evaluator", "ev", "pct", 10),
            *(Col(names[k], f"s_{k}", "pct", 10) for k in sub_codes)]
    ws = w.sheet("LKE", freeze=(1, 2), paper=8, fit_width=True)
    ws.set_row(0, 45)
    w.table(ws, "tblRekapLKE", 0, 0, cols, out)


def _tindak_lanjut(w: _Writer) -> None:
    df = w.rk.tindak_lanjut
    rows = df[[status != "Selesai" for (status,) in _rows(df, "status")]] if len(df) else df
    cols = [Col("Kode OPD", "opd_kode", "text", 10), Col("Nama OPD", "opd_nama", "text", 28),
            Col("No", "no", "text", 6), Col("Rekomendasi", "rekomendasi", "text", 50),
            Col("Rencana Tindak Lanjut", "rencana_tindak_lanjut", "text", 40),
            Col("Penanggung Jawab", "penanggung_jawab", "text", 20),
            Col("Batas Waktu", "batas_waktu", "date", 12), Col("Status", "status", "text", 10)]
    ws = w.sheet("Tindak Lanjut", freeze=(1, 2), fit_width=True)
    w.table(ws, "tblRekapTindakLanjut", 0, 0, cols, rows)


def _masalah(w: _Writer) -> None:
    cols = [Col("Berkas", "berkas", "text", 42), Col("Lembar", "lembar", "text", 14),
            Col("Sel", "sel", "text", 8), Col("Kode", "kode", "text", 34), Col("Tingkat", "tingkat", "text", 11),
            Col("Pesan", "pesan", "text", 70), Col("Saran", "saran", "text", 50)]
    ws = w.sheet("Masalah", freeze=(1, 1), paper=8, fit_width=True)
    last = w.table(ws, "tblRekapMasalah", 0, 0, cols, w.rk.masalah)
    if len(w.rk.masalah):
        ws.conditional_format(1, 4, last, 4, {"type": "cell", "criteria": "==", "value": '"Galat"',
                                              "format": w.lampu["merah"]})
        ws.conditional_format(1, 4, last, 4, {"type": "cell", "criteria": "==", "value": '"Peringatan"',
                                              "format": w.lampu["kuning"]})


def _sumber(w: _Writer) -> None:
    cols = [Col("No", "no", "int", 6), Col("Berkas", "berkas", "text", 34), Col("SHA-256", "sha256", "text", 66),
            Col("Ukuran (byte)", "ukuran_byte", "money", 12), Col("Versi Template", "versi_template", "text", 10),
            Col("Kode OPD", "opd_kode", "text", 10), Col("Nama OPD", "opd_nama", "text", 30),
            Col("Tahun", "tahun", "int", 8), Col("Status Baca", "status_baca", "text", 16),
            Col("Status Rekap", "status_rekap", "text", 30), Col("Galat", "n_galat", "int", 8),
            Col("Peringatan", "n_peringatan", "int", 10)]
    ws = w.sheet("Sumber", freeze=(1, 2), paper=8, fit_width=True)
    w.table(ws, "tblRekapSumber", 0, 0, cols, w.rk.sumber)


def write_summary(rk: Rekap, path: str | Path, *, reference: bool = False) -> Path:
    """Write the summary workbook to ``path`` (callers go through :meth:`Rekap.to_excel`).

    ``reference=True`` writes the tables cell by cell through XlsxWriter's own API: the same bytes,
    several times slower (the tests compare the two)."""
    w = _Writer(rk, Path(path), reference=reference)
    try:
        write_halaman(w)
        write_rencana(w)
        _ringkasan(w)
        _per_opd(w)
        _detail(w)
        _triwulan(w)
        _anggaran(w)
        _lke(w)
        _tindak_lanjut(w)
        _masalah(w)
        _sumber(w)
    finally:
        w.close()
    return Path(path)
