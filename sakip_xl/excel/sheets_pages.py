"""The page sheets: Petunjuk, Profil, Ringkasan and the printable Pernyataan PK."""

from __future__ import annotations

from collections.abc import Callable
from typing import get_args

from xlsxwriter.worksheet import Worksheet

from ..models import JenisPK
from .contract import TW
from .layout import HEADER_ROW, PROFIL_FIRST_ROW, PROFIL_ROWS, a1
from .petunjuk import petunjuk_lines
from .sheetkit import (
    LINE_HEIGHT,
    Context,
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

__all__ = ["write_petunjuk", "write_profil", "write_ringkasan", "write_pernyataan"]


# --------------------------------------------------------------------------- Petunjuk / Profil
def write_petunjuk(ctx: Context, ws: Worksheet) -> None:
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
    page(ctx, ws, landscape=False)
    protect(ctx, ws)


def write_profil(ctx: Context, ws: Worksheet) -> None:
    title(ctx, ws, "Profil OPD", "Isi sel kuning. Nama dan jabatan dipakai di Pernyataan PK.")
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
        elif name == "Status_Evaluasi":
            style = "evaluator_tengah"
        else:
            style = "isian_teks"
        write_value(ws, r, 1, ctx.inputs.get(("Profil", r, 1)), ctx.st[style])
        ctx.wb.define_name(name, "=" + ctx.layout.profil_cell(name))
    cell = ctx.layout.profil_cell
    tahun = cell("Tahun", qualify=False).replace("$", "")
    validation(ws, tahun, tahun, {
        "validate": "integer", "criteria": "between", "minimum": ctx.policy.tahun_minimum, "maximum": 2100,
        "input_title": "Tahun", "input_message": "Tahun anggaran PK, mis. 2025.",
        "error_title": "Tahun tidak sah",
        "error_message": f"Isikan tahun {ctx.policy.tahun_minimum}-2100 (empat angka)."})
    jenis = cell("Jenis_PK", qualify=False).replace("$", "")
    validation(ws, jenis, jenis, list_rule(
        list(get_args(JenisPK)), "Jenis PK",
        "Murni: PK awal tahun. Perubahan: PK yang direvisi (ganti pejabat, strategi atau anggaran)."))
    status = cell("Status_Evaluasi", qualify=False).replace("$", "")
    validation(ws, status, status, list_rule(
        ["Draf", "Final"], "Status evaluasi",
        "Diisi evaluator (Inspektorat). Final: nilai evaluator yang dipakai walau belum semua kriteria "
        "dijawab. Draf: nilai evaluator dipakai baru setelah semua kriteria dijawab; sebelumnya nilai "
        "mandiri OPD yang dipakai."))
    nip = cell("Kepala_NIP", qualify=False).replace("$", "")
    validation(ws, nip, nip, {
        "validate": "length", "criteria": "<=", "value": 30,
        "input_title": "NIP", "input_message": "NIP 18 digit, boleh dengan spasi. Diketik sebagai teks.",
        "error_title": "NIP terlalu panjang", "error_message": "NIP paling banyak 30 karakter."})
    ws.set_column(1, 1, 48, ctx.st["teks"])
    page(ctx, ws, landscape=False)
    protect(ctx, ws)


# --------------------------------------------------------------------------- Ringkasan
def write_ringkasan(ctx: Context, ws: Worksheet) -> None:
    rk, st, pol = ctx.layout.ringkasan, ctx.st, ctx.policy
    s = rk.sheet
    title(ctx, ws, "Ringkasan Kinerja OPD", "Dihitung otomatis dari sheet lain; tidak perlu diisi.")
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
        write_computed(ctx, ws, ctx.computed[(s, row, col)], st[style])

    cap = "tanpa batas" if pol.cap_rata_rata is None else f"dibatasi {num(pol.cap_rata_rata)} %"
    section(rk.capaian_rata - 1, "A. Capaian kinerja (Rencana Aksi)", "Nilai")
    label(rk.capaian_rata, "Rata-rata capaian indikator (%)")
    put(rk.capaian_rata, v, "hitung_besar")
    label(rk.capaian_dibatasi, f"Rata-rata capaian, tiap indikator {cap} (%)")
    put(rk.capaian_dibatasi, v, "hitung_besar")
    label(rk.kategori_rata, "Kategori rata-rata capaian (dibatasi)")
    put(rk.kategori_rata, v, "hitung_besar_teks")

    section(rk.level_anggaran - 1, "B. Anggaran (satu level: Program, bila tidak ada Kegiatan, lalu Sub Kegiatan)",
            "Rupiah / %")
    label(rk.level_anggaran, "Level anggaran yang dihitung")
    put(rk.level_anggaran, v, "hitung_tengah")
    label(rk.pagu, "Pagu")
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
    label(rk.dijawab, "Kriteria yang sudah dijawab")
    label(rk.predikat_berikut, "Predikat berikutnya")
    label(rk.poin_berikut, "Poin nilai LKE ke predikat berikutnya (rinciannya: sakip-xl peluang)")
    for col in (v, e):
        put(rk.nilai_lke, col, "hitung_besar")
        put(rk.predikat, col, "hitung_besar_teks")
        put(rk.dijawab, col, "hitung_tengah")
        put(rk.predikat_berikut, col, "hitung_besar_teks")
        put(rk.poin_berikut, col, "hitung_besar")
    label(rk.nilai_dipakai, "Nilai LKE yang dipakai (evaluator bila lengkap atau Final)")
    put(rk.nilai_dipakai, v, "hitung_besar")
    label(rk.sumber_nilai, "Sumber nilai")
    put(rk.sumber_nilai, v, "hitung_tengah")
    label(rk.predikat_dipakai, "Predikat (dari nilai yang dipakai, dibulatkan 2 desimal)")
    put(rk.predikat_dipakai, v, "hitung_besar_teks")

    _ringkasan_lke(ctx, ws, put)
    _ringkasan_finish(ctx, ws)


def _ringkasan_finish(ctx: Context, ws: Worksheet) -> None:
    rk = ctx.layout.ringkasan
    v, e = rk.value_col, rk.eval_col
    for row in (rk.capaian_rata, rk.capaian_dibatasi):
        traffic_light(ctx, ws, a1(row, v), a1(row, v))
    kategori_colours(ctx, ws, a1(rk.kategori_rata, v), a1(rk.kategori_rata, v))
    error_font(ctx, ws, f"{a1(rk.capaian_rata, v)}:{a1(rk.last_row, e)}", a1(rk.capaian_rata, v))
    for name, (row, col) in {
        "Capaian_Rata": (rk.capaian_rata, v), "Capaian_Rata_Dibatasi": (rk.capaian_dibatasi, v),
        "Serapan_Anggaran": (rk.serapan, v), "Indeks_Efisiensi": (rk.efisiensi, v),
        "Nilai_LKE": (rk.nilai_lke, v), "Predikat": (rk.predikat, v),
        "Nilai_LKE_Evaluator": (rk.nilai_lke, e), "Predikat_Evaluator": (rk.predikat, e),
        "Kategori_Rata": (rk.kategori_rata, v), "Level_Anggaran": (rk.level_anggaran, v),
        "Pagu_Anggaran": (rk.pagu, v), "Jumlah_Dijawab": (rk.dijawab, v), "Jumlah_Dijawab_Evaluator": (rk.dijawab, e),
        "Nilai_LKE_Dipakai": (rk.nilai_dipakai, v), "Sumber_Nilai": (rk.sumber_nilai, v),
        "Predikat_Dipakai": (rk.predikat_dipakai, v),
    }.items():
        ctx.wb.define_name(name, f"=Ringkasan!{a1(row, col, True)}")
    ws.hide_gridlines(2)
    page(ctx, ws, landscape=False)
    protect(ctx, ws)


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
        write_value(ws, r, 0, ctx.inputs[(s, r, 0)], st["label_tengah"])
        ws.write_string(r, 1, nama, st["label"])
        if lines_needed(nama, 58) > 1:
            ws.set_row(r, LINE_HEIGHT * lines_needed(nama, 58))
        write_value(ws, r, 2, ctx.inputs[(s, r, 2)], st["label_tengah"])
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


def write_pernyataan(ctx: Context, ws: Worksheet) -> None:
    pn, st = ctx.layout.pernyataan, ctx.st
    s = pn.sheet
    for col, width in ((0, 6), (1, 30), (2, 38), (3, 16), (4, 12)):
        ws.set_column(col, col, width)
    ws.hide_gridlines(2)

    def formula(row: int, col: int, style: str, merge_to: int | None = None) -> None:
        if merge_to is not None:
            ws.merge_range(row, col, row, merge_to, "", st[style])
        write_computed(ctx, ws, ctx.computed[(s, row, col)], st[style])

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
    page(ctx, ws, landscape=False, header=False)
    ws.print_area(0, 0, pn.last_row, 4)
    protect(ctx, ws)
