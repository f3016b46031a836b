"""The ``Ringkasan Kota`` sheet: one A4 landscape page for the Wali Kota.

What it holds, top to bottom: the city's name and year, the data cut-off date and where the
numbers come from; the city plan's one line; headline figures in plain words (no command-line
options, no code names); a chart of nilai LKE per OPD, sorted, coloured by predikat, with the
target predikat's bound as a line; a chart of capaian per OPD, sorted, with a 100 % line; the OPDs
that moved predikat since last year's summary; the OPDs that have not sent a workbook and the
duplicate copies; a sign-off block.  The page prints on one A4 landscape sheet (the tests render
it with LibreOffice and count the pages).

Machine-readable too: the headline figures keep their label in column A and their value in column
B, which is what next year's ``--rekap-lalu`` reads (:mod:`sakip_xl.consolidation.lalu`).  The
charts' data sit to the right of the print area.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .. import __version__

if TYPE_CHECKING:
    from .summary_xlsx import _Writer

__all__ = ["SHEET", "write_halaman", "short_name", "moved_rows", "BULAN"]

SHEET = "Ringkasan Kota"
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
         "Oktober", "November", "Desember")
#: predikat colours, best to worst (green to red)
_WARNA = ("#1E7B34", "#4CAF50", "#9CCC65", "#FFD54F", "#FFA726", "#EF6C00", "#C62828")
_LAMPU = {"hijau": "#4CAF50", "kuning": "#FFD54F", "merah": "#E53935"}
_MAX_BARS = 50
_DATA_COL = 20  # column U: chart data, outside the print area


def tanggal_id(d: dt.date) -> str:
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def short_name(nama: str, n: int = 24) -> str:
    """An OPD's name for a chart axis: whole up to ``n`` characters, else cut at a word."""
    nama = " ".join(str(nama).split())
    if len(nama) <= n:
        return nama
    cut = nama[: n - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,") + "…"


def _plain(v: Any) -> Any:
    if v is None:
        return None
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v.item() if hasattr(v, "item") else v


def _opd_records(w: _Writer) -> list[dict[str, Any]]:
    df = w.rk.opd
    if df is None or not len(df):
        return []
    cols = [c for c in ("opd_kode", "opd_nama", "nilai_lke", "predikat", "capaian_rata_dibatasi", "sumber_nilai",
                        "predikat_lalu") if c in df.columns]
    return [{c: _plain(v) for c, v in zip(cols, row, strict=True)} for row in df[cols].itertuples(index=False)]


def moved_rows(records: list[dict[str, Any]], labels: list[str]) -> tuple[list[str], list[str]]:
    """OPDs whose predikat rose / fell since last year (``predikat_lalu`` from --rekap-lalu)."""
    up: list[str] = []
    down: list[str] = []
    for r in records:
        now, before = r.get("predikat"), r.get("predikat_lalu")
        if now not in labels or before not in labels or now == before:
            continue
        text = f"{r.get('opd_nama') or r.get('opd_kode')} ({before} → {now})"
        (up if labels.index(now) < labels.index(before) else down).append(text)
    return up, down


def _figures(w: _Writer, records: list[dict[str, Any]]) -> list[tuple[str, Any, str, str]]:
    from .summary_xlsx import _perubahan_kota

    rk, k = w.rk, w.rk.kota
    pol = rk.policy
    cap = k["cap_rata_rata"]
    n_ev = sum(1 for r in records if r.get("sumber_nilai") == "Evaluator" and r.get("nilai_lke") is not None)
    n_sa = sum(1 for r in records if r.get("sumber_nilai") != "Evaluator" and r.get("nilai_lke") is not None)
    if k["n_diharapkan"] is not None:
        kirim = (f"{k['n_diterima']} dari {k['n_diharapkan']}", "text",
                 f"{len(k['opd_belum'])} OPD belum mengirim (nama di bawah)" if k["opd_belum"] else "semua sudah mengirim")
    else:
        kirim = (k["n_dikonsolidasi"], "int", "daftar OPD yang diharapkan tidak diberikan")
    lain = []
    if k["n_gagal"]:
        lain.append(f"{k['n_gagal']} rusak atau bukan workbook SAKIP")
    if k["n_duplikat"]:
        lain.append(f"{k['n_duplikat']} salinan ganda")
    if k["n_tahun_lain"]:
        lain.append(f"{k['n_tahun_lain']} dari tahun lain")
    rows: list[tuple[str, Any, str, str]] = [
        ("OPD yang mengirim workbook", kirim[0], kirim[1], kirim[2]),
        ("OPD yang direkap", k["n_dikonsolidasi"], "int",
         f"dari {k['n_berkas']} berkas" + (f"; tidak direkap: {', '.join(lain)}" if lain else "")),
        ("Nilai LKE rata-rata", k["nilai_lke_rata"], "pct",
         f"{n_ev} OPD sudah dievaluasi, {n_sa} OPD masih nilai mandiri"),
        (f"OPD berpredikat {k['target_predikat']} atau lebih (%)", k["persen_opd_target"], "pct",
         f"{k['n_opd_target']} dari {k['n_opd_berpredikat']} OPD; target {pol.target_proporsi_opd} OPD"),
        (f"Capaian kinerja rata-rata, dibatasi {cap:g} % (%)" if cap else "Capaian rata-rata (dibatasi) (%)",
         k["capaian_rata_dibatasi"], "pct",
         f"tanpa batas: {_angka(k['capaian_rata'])} %" if cap else "tiap indikator tanpa batas"),
        ("Serapan anggaran program (%)", k["serapan"], "pct",
         f"realisasi Rp {_angka(k['realisasi_anggaran'], 0)} dari pagu Rp {_angka(k['pagu'], 0)}"),
        ("Indeks efisiensi", k["indeks_efisiensi"], "ratio", "capaian dibagi serapan; di atas 1 berarti efisien"),
        ("Indikator kinerja yang dinilai", k["n_indikator_dinilai"], "int", f"dari {k['n_indikator']} indikator"),
        ("Galat pada data", k["n_galat"], "int",
         f"dan {k['n_peringatan']} peringatan; rinciannya di lembar Masalah"),
    ]
    for label, value, kind, note in _perubahan_kota(k):
        rows.append((label, value, kind, note.replace("Tahun ini dikurangi", "tahun ini dikurangi")))
    return rows


def _angka(x: Any, desimal: int = 2) -> str:
    from .rekap import angka

    return angka(x, desimal)


def _chart_data(w: _Writer, ws: Any, records: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write the two charts' data right of the print area; return their row ranges."""
    pol = w.rk.policy
    labels = pol.predikat_labels
    nilai = sorted((r for r in records if isinstance(r.get("nilai_lke"), (int, float))),
                   key=lambda r: (-r["nilai_lke"], str(r.get("opd_nama"))))
    cap = sorted((r for r in records if isinstance(r.get("capaian_rata_dibatasi"), (int, float))),
                 key=lambda r: (-r["capaian_rata_dibatasi"], str(r.get("opd_nama"))))
    note_n = note_c = ""
    if len(nilai) > _MAX_BARS:
        note_n = f", {_MAX_BARS} terendah dari {len(nilai)}"
        nilai = nilai[-_MAX_BARS:]
    if len(cap) > _MAX_BARS:
        note_c = f", {_MAX_BARS} terendah dari {len(cap)}"
        cap = cap[-_MAX_BARS:]
    c0 = _DATA_COL
    head = w.f["header"]
    t_idx = labels.index(pol.target_predikat)
    bound = pol.predikat[t_idx].batas_bawah
    present = [lb for lb in labels if any(r.get("predikat") == lb for r in nilai)]
    ws.write_string(0, c0, "Data grafik nilai LKE", w.f["section"])
    ws.write_string(1, c0, "OPD", head)
    for j, lb in enumerate(present, start=1):
        ws.write_string(1, c0 + j, lb, head)
    ws.write_string(1, c0 + len(present) + 1, f"Batas {pol.target_predikat}", head)
    for i, r in enumerate(nilai, start=2):
        ws.write_string(i, c0, short_name(r.get("opd_nama") or r.get("opd_kode") or "-"))
        for j, lb in enumerate(present, start=1):
            if r.get("predikat") == lb:
                ws.write_number(i, c0 + j, float(r["nilai_lke"]))
        ws.write_number(i, c0 + len(present) + 1, float(bound))
    n_info = {"first": 2, "last": 1 + len(nilai), "series": present, "col": c0, "bound": bound, "note": note_n}
    c1 = c0 + len(present) + 3
    lampu_order = ["hijau", "kuning", "merah"]
    hijau, kuning = pol.lampu_thresholds()

    def lamp(x: float) -> str:
        return "hijau" if x >= hijau else ("kuning" if x >= kuning else "merah")

    ws.write_string(0, c1, "Data grafik capaian", w.f["section"])
    ws.write_string(1, c1, "OPD", head)
    for j, lp in enumerate(lampu_order, start=1):
        ws.write_string(1, c1 + j, lp, head)
    ws.write_string(1, c1 + 4, "100 %", head)
    for i, r in enumerate(cap, start=2):
        ws.write_string(i, c1, short_name(r.get("opd_nama") or r.get("opd_kode") or "-"))
        x = float(r["capaian_rata_dibatasi"])
        ws.write_number(i, c1 + 1 + lampu_order.index(lamp(x)), x)
        ws.write_number(i, c1 + 4, 100.0)
    c_info = {"first": 2, "last": 1 + len(cap), "col": c1, "note": note_c}
    return n_info, c_info


def _nilai_chart(w: _Writer, info: dict[str, Any]) -> Any:
    pol = w.rk.policy
    labels = pol.predikat_labels
    chart = w.wb.add_chart({"type": "column"})
    first, last, c0 = info["first"], info["last"], info["col"]
    for j, lb in enumerate(info["series"], start=1):
        chart.add_series({
            "name": f"Predikat {lb}", "categories": [SHEET, first, c0, last, c0],
            "values": [SHEET, first, c0 + j, last, c0 + j],
            "fill": {"color": _WARNA[min(labels.index(lb), len(_WARNA) - 1)]}, "border": {"none": True},
            "overlap": 100, "gap": 40,
        })
    line = w.wb.add_chart({"type": "line"})
    k = len(info["series"]) + 1
    line.add_series({
        "name": f"Batas {pol.target_predikat} ({info['bound']:g})", "categories": [SHEET, first, c0, last, c0],
        "values": [SHEET, first, c0 + k, last, c0 + k], "line": {"color": "#1F3864", "width": 1.75, "dash_type": "dash"},
        "marker": {"type": "none"},
    })
    chart.combine(line)
    chart.set_title({"name": f"Nilai LKE per OPD, urut{info['note']}", "name_font": {"size": 10, "bold": True}})
    chart.set_y_axis({"min": 0, "max": 100, "major_unit": 10, "num_font": {"size": 7},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"size": 6, "rotation": -45}})
    chart.set_legend({"position": "bottom", "font": {"size": 7}})
    chart.set_chartarea({"border": {"none": True}})
    return chart


def _capaian_chart(w: _Writer, info: dict[str, Any]) -> Any:
    chart = w.wb.add_chart({"type": "column"})
    first, last, c1 = info["first"], info["last"], info["col"]
    hijau, kuning = w.rk.policy.lampu_thresholds()
    names = {"hijau": f"≥ {hijau:g} %", "kuning": f"{kuning:g}-{hijau:g} %", "merah": f"< {kuning:g} %"}
    for j, lp in enumerate(("hijau", "kuning", "merah"), start=1):
        chart.add_series({
            "name": f"Capaian {names[lp]}", "categories": [SHEET, first, c1, last, c1],
            "values": [SHEET, first, c1 + j, last, c1 + j], "fill": {"color": _LAMPU[lp]},
            "border": {"none": True}, "overlap": 100, "gap": 40,
        })
    line = w.wb.add_chart({"type": "line"})
    line.add_series({
        "name": "Target 100 %", "categories": [SHEET, first, c1, last, c1],
        "values": [SHEET, first, c1 + 4, last, c1 + 4], "line": {"color": "#1F3864", "width": 1.75, "dash_type": "dash"},
        "marker": {"type": "none"},
    })
    chart.combine(line)
    chart.set_title({"name": f"Capaian kinerja per OPD (%), urut{info['note']}",
                     "name_font": {"size": 10, "bold": True}})
    chart.set_y_axis({"min": 0, "num_font": {"size": 7},
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"size": 6, "rotation": -45}})
    chart.set_legend({"position": "bottom", "font": {"size": 7}})
    chart.set_chartarea({"border": {"none": True}})
    return chart


def _duplicates(w: _Writer) -> list[str]:
    from .rekap import STATUS_DUPLIKAT

    df = w.rk.sumber
    if df is None or not len(df) or "status_rekap" not in df.columns:
        return []
    out = []
    for row in df.itertuples(index=False):
        if getattr(row, "status_rekap", None) == STATUS_DUPLIKAT:
            nama = _plain(getattr(row, "opd_nama", None)) or _plain(getattr(row, "opd_kode", None)) or ""
            out.append(f"{nama} ({row.berkas})".strip())
    return out


def _wrapped(ws: Any, row: int, text: str, fmt: Any) -> None:
    """A note across columns A-C, wrapped, in a row tall enough for it (8 pt: ~125 characters a line)."""
    ws.merge_range(row, 0, row, 2, text, fmt)
    ws.set_row(row, 11.5 * max(1, -(-len(text) // 125)) + 1)


def write_halaman(w: _Writer) -> None:
    rk, k = w.rk, w.rk.kota
    pol = rk.policy
    lap = pol.laporan
    wb = w.wb
    ws = w.sheet(SHEET, freeze=(0, 0))
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.45, bottom=0.45)
    ws.fit_to_pages(1, 1)
    ws.center_horizontally()
    widths = {0: 38, 1: 12, 2: 46, 3: 1.5}
    for c, wd in widths.items():
        ws.set_column(c, c, wd)
    ws.set_column(4, 13, 9.3)
    f_title = wb.add_format({"bold": True, "font_size": 15, "font_color": "#1F3864"})
    f_sub = wb.add_format({"font_size": 9, "font_color": "#404040"})
    f_plan = wb.add_format({"bold": True, "font_size": 11, "font_color": "#9C0006", "text_wrap": True,
                            "valign": "top"})
    f_sec = wb.add_format({"bold": True, "font_size": 10, "font_color": "#1F3864", "bottom": 1,
                           "bottom_color": "#1F3864"})
    f_small = wb.add_format({"font_size": 8, "text_wrap": True, "valign": "top"})
    f_sign = wb.add_format({"font_size": 9, "align": "center"})
    f_sign_b = wb.add_format({"font_size": 9, "align": "center", "bold": True, "underline": 1})
    pemda = lap.nama_pemda.strip()
    tahun = k["tahun"] or "-"
    ws.write_string(0, 0, (f"{pemda}: " if pemda else "")
                    + f"Ringkasan Kinerja dan Akuntabilitas Perangkat Daerah, Tahun {tahun}", f_title)
    cutoff = rk.meta.get("tanggal_data") or dt.date.today()
    if isinstance(cutoff, str):
        cutoff = dt.date.fromisoformat(cutoff)
    ws.write_string(1, 0, (
        f"Keadaan data per {tanggal_id(cutoff)}, realisasi s.d. {k['sampai_tw']}. "
        f"Disusun dari {k['n_dikonsolidasi']} workbook OPD; rincian setiap angka ada di lembar berikutnya "
        f"(sakip-xl {__version__})."), f_sub)
    plan = rk.rencana_kota["kalimat"] if rk.rencana_kota else "Belum ada OPD bernilai LKE."
    ws.merge_range(2, 0, 3, 13, plan, f_plan)
    ws.set_row(2, 18)
    ws.set_row(3, 18)

    records = _opd_records(w)
    figs = _figures(w, records)
    ws.write_string(5, 0, "Angka utama", f_sec)
    ws.write_string(5, 1, "", f_sec)
    ws.write_string(5, 2, "", f_sec)
    top = 6
    for i, (label, value, kind, note) in enumerate(figs, start=top + 1):
        ws.write_string(i, 0, label, w.f["text"])
        w.cell(ws, i, 1, value, kind)
        ws.write_string(i, 2, note, f_small)
        ws.set_row(i, 15 if len(note) <= 62 else 24)
    w.tables += 1
    ws.add_table(top, 0, top + len(figs), 2, {
        "name": "tblRekapRingkasan", "style": "Table Style Light 9", "autofilter": False,
        "columns": [{"header": h, "header_format": w.f["header"]} for h in ("Ukuran", "Nilai", "Keterangan")]})
    for i, (label, value, _kind, _note) in enumerate(figs, start=top + 1):
        if "Capaian" in label and value is not None:
            w.traffic(ws, i, 1, i)
    r = top + len(figs) + 2

    labels = pol.predikat_labels
    ws.write_string(r, 0, "Predikat OPD", f_sec)
    ws.write_string(r, 1, "", f_sec)
    ws.write_string(r, 2, "", f_sec)
    dist = k["distribusi_predikat"]
    ws.write_string(r + 1, 0, "  ".join(f"{lb}: {dist.get(lb, 0)}" for lb in labels), w.f["text"])
    r += 3

    ws.write_string(r, 0, "OPD yang berpindah predikat dari tahun lalu", f_sec)
    ws.write_string(r, 1, "", f_sec)
    ws.write_string(r, 2, "", f_sec)
    if any("predikat_lalu" in rec for rec in records):
        up, down = moved_rows(records, labels)
        lines = [("Naik", ", ".join(up) or "tidak ada"), ("Turun", ", ".join(down) or "tidak ada")]
    else:
        lines = [("", "Belum dibandingkan: rekap tahun lalu tidak disertakan.")]
    for label, text in lines:
        r += 1
        _wrapped(ws, r, f"{label}: {text}" if label else text, f_small)
    r += 2
    ws.write_string(r, 0, "Kelengkapan kiriman", f_sec)
    ws.write_string(r, 1, "", f_sec)
    ws.write_string(r, 2, "", f_sec)
    belum = [f"{nama or kode}" for kode, nama in k.get("opd_belum", [])]
    dup = _duplicates(w)
    r += 1
    text = ("Belum mengirim: " + ", ".join(belum)) if belum else (
        "Belum mengirim: tidak ada." if k["n_diharapkan"] is not None else
        "Belum mengirim: tidak diketahui (daftar OPD yang diharapkan tidak diberikan).")
    _wrapped(ws, r, text, f_small)
    r += 1
    text = ("Salinan ganda, belum direkap: " + ", ".join(dup)) if dup else "Salinan ganda: tidak ada."
    _wrapped(ws, r, text, f_small)
    last_left = r

    if records:
        # two charts right of the figures, about 720 x 290 px each (10 columns of 9.5 characters)
        n_info, c_info = _chart_data(w, ws, records)
        if n_info["last"] >= n_info["first"]:
            chart = _nilai_chart(w, n_info)
            chart.set_size({"width": 700, "height": 330})
            ws.insert_chart(5, 4, chart, {"x_offset": 4, "y_offset": 0})
        if c_info["last"] >= c_info["first"]:
            chart = _capaian_chart(w, c_info)
            chart.set_size({"width": 700, "height": 330})
            ws.insert_chart(23, 4, chart, {"x_offset": 4, "y_offset": 4})

    sign = max(last_left + 2, 40)
    place = lap.tempat.strip() or (pemda.split(" ", 1)[-1] if pemda else "")
    ws.merge_range(sign, 9, sign, 13, f"{place + ', ' if place else ''}{tanggal_id(dt.date.today())}", f_sign)
    ws.merge_range(sign + 1, 9, sign + 1, 13, lap.penandatangan_jabatan or "", f_sign)
    ws.merge_range(sign + 5, 9, sign + 5, 13, lap.penandatangan_nama or "(..................................)",
                   f_sign_b)
    ws.merge_range(sign + 6, 9, sign + 6, 13, f"NIP {lap.penandatangan_nip}" if lap.penandatangan_nip else "NIP",
                   f_sign)
    ws.write_string(sign, 0, "Disiapkan oleh Bagian Organisasi Sekretariat Daerah.", f_sub)
    ws.print_area(0, 0, sign + 6, 13)
    ws.hide_gridlines(2)
