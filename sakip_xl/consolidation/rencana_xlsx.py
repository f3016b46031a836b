"""The improvement plan in the city summary: the ``Rencana Peningkatan`` sheet.

City plan first (how many more OPDs at the target predikat, the closest ones, the resulting share;
evaluated and self-assessed OPDs apart), then every OPD's smallest plan, one row per criterion to
raise, with the criterion's and the sub-component's names.  Every number comes from
:mod:`sakip_xl.scoring.rencana` (computed per OPD in the worker, rolled up in
:func:`sakip_xl.consolidation.rekap.build_rekap`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .summary_xlsx import _Writer

__all__ = ["SHEET", "write_rencana", "langkah_rows", "terdekat_rows"]

SHEET = "Rencana Peningkatan"


def _steps(nama: str, sumber: str, nilai: Any, predikat: Any, plan: dict[str, Any], tujuan: str) -> list[dict[str, Any]]:
    rows = []
    for n, s in enumerate(plan["langkah"], start=1):
        rows.append({
            "opd": nama, "sumber": sumber, "nilai": nilai, "predikat": predikat, "tujuan": tujuan,
            "perlu": plan["poin_diperlukan"], "no": n, "sub": s["sub_komponen"], "kriteria": s["kriteria"],
            "dari": s["jawaban_sekarang"] or "(kosong)", "ke": s["jawaban"], "poin": s["poin"],
            "kode": s["kode"],
        })
    return rows


def langkah_rows(plans: list[dict[str, Any]], target: str) -> list[dict[str, Any]]:
    """One row per criterion of every OPD's plan (next predikat, then the city's target)."""
    rows: list[dict[str, Any]] = []
    for p in plans:
        nama = p["opd_nama"] or p["opd_kode"]
        sumber = "Evaluator" if p["dievaluasi"] else "Mandiri (belum dievaluasi)"
        nxt, tgt = p.get("berikut"), p.get("target")
        if nxt is None:
            rows.append({"opd": nama, "sumber": sumber, "nilai": p["nilai"], "predikat": p["predikat"],
                         "tujuan": "-", "kriteria": f"Sudah di predikat tertinggi ({p['predikat']})."})
            continue
        what = "berikutnya" + (", target kota" if nxt["predikat_tujuan"] == target else "")
        rows.extend(_steps(nama, sumber, p["nilai"], p["predikat"], nxt, f"{nxt['predikat_tujuan']} ({what})"))
        if tgt is not None and tgt["predikat_tujuan"] != nxt["predikat_tujuan"]:
            rows.extend(_steps(nama, sumber, p["nilai"], p["predikat"], tgt,
                               f"{tgt['predikat_tujuan']} (target kota)"))
    return rows


def terdekat_rows(plans: list[dict[str, Any]], kota: dict[str, Any]) -> list[dict[str, Any]]:
    """Every OPD below the target predikat with what its plan to the target costs, closest first."""
    chosen = {(g["kelompok"], c["kode"]) for g in kota["kelompok"] for c in g["kandidat"]}
    rows = []
    for p in plans:
        t = p.get("target")
        if t is None or not t["tercapai"]:
            continue
        kel = "dievaluasi" if p["dievaluasi"] else "belum dievaluasi"
        rows.append({
            "kelompok": "Sudah dievaluasi" if p["dievaluasi"] else "Belum dievaluasi (nilai mandiri)",
            "opd": p["opd_nama"] or p["opd_kode"], "nilai": p["nilai"], "predikat": p["predikat"],
            "perlu": t["poin_diperlukan"], "kriteria": t["n_kriteria"], "langkah": t["n_langkah"],
            "dipilih": "Ya" if (kel, p["opd_kode"]) in chosen else "",
        })
    rows.sort(key=lambda r: (r["kelompok"] != "Sudah dievaluasi", r["perlu"], r["kriteria"], r["langkah"]))
    return rows


def write_rencana(w: _Writer) -> None:
    from .summary_xlsx import Col

    rk = w.rk
    kota = rk.rencana_kota
    plans = rk.rencana
    pol = rk.policy
    ws = w.sheet(SHEET, freeze=(0, 0), fit_width=True)
    ws.write_string(0, 0, f"Rencana Peningkatan Predikat SAKIP, Tahun {rk.tahun or '-'}", w.f["title"])
    rata = f" dan rata-rata nilai LKE {pol.target_rata_nilai:g}" if pol.target_rata_nilai is not None else ""
    ws.write_string(1, 0, (
        f"Target kota: {pol.target_proporsi_opd} OPD berpredikat {pol.target_predikat} atau lebih baik{rata}. "
        "Rencana tiap OPD adalah langkah terkecil (paling sedikit kriteria, lalu paling sedikit langkah) "
        "yang mematuhi kerangka logis."), w.f["subtitle"])
    ws.write_string(3, 0, "Rencana kota", w.f["section"])
    line = kota["kalimat"] if kota else "Belum ada OPD bernilai LKE."
    bold_wrap = w.wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F3864", "text_wrap": True,
                                 "valign": "top"})
    ws.merge_range(4, 0, 4, 8, line, bold_wrap)
    ws.set_row(4, 16 * _lines(line, sum(_WIDTHS[:9])))
    r = 6
    if kota:
        groups = [{
            "kelompok": "Sudah dievaluasi" if g["kelompok"] == "dievaluasi" else "Belum dievaluasi (nilai mandiri)",
            "n": g["n_opd"], "di": g["n_di_target"], "perlu": g["n_diperlukan"], "kurang": g["n_kurang"],
            "p0": g["persen_sekarang"], "p1": g["persen_sesudah"], "rata": g["rata_nilai"],
            "rk": g["poin_rata_kurang"]}
            for g in kota["kelompok"]]
        last = w.table(ws, "tblRencanaKota", r, 0, [
            Col("Kelompok OPD", "kelompok", "text", 30), Col("Jumlah OPD", "n", "int", 11),
            Col(f"Sudah {pol.target_predikat} atau lebih", "di", "int", 13),
            Col("Diperlukan", "perlu", "int", 11), Col("Kurang", "kurang", "int", 9),
            Col("Di target sekarang (%)", "p0", "pct", 13), Col("Sesudah rencana (%)", "p1", "pct", 13),
            Col("Rata-rata nilai LKE", "rata", "pct", 12), Col("Kurang dari target rata-rata", "rk", "pct", 14)],
            groups, autofilter=False)
        r = last + 2
    near = terdekat_rows(plans, kota) if kota else []
    ws.write_string(r, 0, f"OPD di bawah {pol.target_predikat}, terdekat lebih dahulu", w.f["section"])
    last = w.table(ws, "tblRencanaTerdekat", r + 1, 0, [
        Col("Nama OPD", "opd", "text", 11), Col("Kelompok OPD", "kelompok", "text", 30),
        Col("Nilai LKE", "nilai", "pct", 13), Col("Predikat", "predikat", "text", 11),
        Col(f"Poin ke {pol.target_predikat}", "perlu", "pct", 9), Col("Kriteria", "kriteria", "int", 13),
        Col("Langkah", "langkah", "int", 13), Col("Termasuk yang diperlukan", "dipilih", "text", 12)],
        near, autofilter=False)
    r = last + 2
    ws.write_string(r, 0, "Langkah per OPD (jawaban LKE yang dinaikkan)", w.f["section"])
    steps = langkah_rows(plans, pol.target_predikat)
    cols = [
        Col("Nama OPD", "opd", "wrap", 30), Col("Sumber nilai", "sumber", "wrap", 11),
        Col("Nilai LKE", "nilai", "pct", 13), Col("Predikat", "predikat", "text", 11),
        Col("Tujuan", "tujuan", "wrap", 9), Col("Poin diperlukan", "perlu", "pct", 13),
        Col("No", "no", "int", 13), Col("Sub komponen", "sub", "wrap", 12),
        Col("Kriteria", "kriteria", "wrap", 70), Col("Jawaban sekarang", "dari", "text", 10),
        Col("Jawaban tujuan", "ke", "text", 10), Col("Tambahan poin", "poin", "pct", 10),
        Col("Kode kriteria", "kode", "text", 10)]
    first = r + 2
    for i, row in enumerate(steps, start=first):  # wrapped text: rows as tall as their longest cell
        n = max(_lines(row.get("opd"), _WIDTHS[0]), _lines(row.get("sub"), _WIDTHS[7]),
                _lines(row.get("kriteria"), _WIDTHS[8]), _lines(row.get("tujuan"), _WIDTHS[4]),
                _lines(row.get("sumber"), _WIDTHS[1]))
        if n > 1:
            ws.set_row(i, 12.75 * n)
        for j, c in enumerate(cols):  # cell by cell (row heights and FastSheet blocks do not mix)
            w.cell(ws, i, j, row.get(c.key), c.kind)
    last = first + max(len(steps), 1) - 1
    w.tables += 1
    ws.add_table(r + 1, 0, last, len(cols) - 1, {
        "name": "tblRencanaLangkah", "style": "Table Style Medium 2", "autofilter": True,
        "columns": [{"header": c.header, "header_format": w.f["header"]} for c in cols]})
    ws.repeat_rows(r + 1)
    for col, width in enumerate(_WIDTHS):  # one width per column for the three tables above
        ws.set_column(col, col, width)


_WIDTHS = (34, 22, 11, 10, 16, 12, 6, 36, 60, 11, 11, 10, 10)


def _lines(text: Any, width: float) -> int:
    """Lines a wrapped text needs in a column ``width`` characters wide (a little generous)."""
    if not isinstance(text, str) or not text:
        return 1
    per = max(int(width * 1.25), 1)
    lines, cur = 1, 0
    for word in text.split():
        if cur and cur + 1 + len(word) > per:
            lines += 1
            cur = len(word)
        else:
            cur += (1 if cur else 0) + len(word)
    return lines
