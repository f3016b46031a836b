"""One number everywhere (issue 10), proven on filled workbooks recalculated by LibreOffice.

A corpus of filled native-formula workbooks, one per situation of the issue and combinations of
them, is recalculated by real LibreOffice (cached values zeroed first, so only a recalculation gives
numbers).  For each workbook:

* every computed cell of the Ringkasan sheet equals the typed roll-up model
  (:func:`sakip_xl.scoring.ringkasan.ringkasan` of the workbook the reader reads back),
* the new Rencana Aksi cells (TW Terakhir, Capaian s.d. TW) and the LKE sheet's Kerangka Logis
  columns equal the model's values,
* the summary's Per OPD row equals the model (and so the workbook),
* each situation's warning sits at its cell, and the reader finds no stale cached value.

A hypothesis property over random filled workbooks checks the same equality (a modest number of
examples in one soffice run, to keep the suite fast).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers_lo import hypothesis_opds, lo_profile, read_cells, same_value, soffice_convert
from test_parity_libreoffice import _zero_cached_values

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from build_corpus import base_workbook  # noqa: E402

from sakip_xl import consolidate  # noqa: E402
from sakip_xl.excel.layout import WorkbookLayout, a1  # noqa: E402
from sakip_xl.excel.reader import check_workbook_full  # noqa: E402
from sakip_xl.excel.template import build_layout, write_workbook  # noqa: E402
from sakip_xl.models import AnggaranLine, Indikator, OPDWorkbook  # noqa: E402
from sakip_xl.policy import Policy  # noqa: E402
from sakip_xl.scoring.kategori import next_predikat  # noqa: E402
from sakip_xl.scoring.lke import load_kriteria  # noqa: E402
from sakip_xl.scoring.ringkasan import Ringkasan  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]

KS = load_kriteria()
N_RANDOM = 8


# --------------------------------------------------------------------------- expected cells from the model
def ringkasan_cells(layout: WorkbookLayout, rk: Ringkasan, policy: Policy) -> dict[tuple[str, str], Any]:
    """Every computed Ringkasan cell -> the model's value for it (as the cell shows it)."""
    r = layout.ringkasan
    v, e = r.value_col, r.eval_col
    named = {
        (r.capaian_rata, v): "Capaian_Rata", (r.capaian_dibatasi, v): "Capaian_Rata_Dibatasi",
        (r.kategori_rata, v): "Kategori_Rata", (r.level_anggaran, v): "Level_Anggaran",
        (r.pagu, v): "Pagu_Anggaran", (r.serapan, v): "Serapan_Anggaran", (r.efisiensi, v): "Indeks_Efisiensi",
        (r.nilai_lke, v): "Nilai_LKE", (r.predikat, v): "Predikat", (r.dijawab, v): "Jumlah_Dijawab",
        (r.nilai_lke, e): "Nilai_LKE_Evaluator", (r.predikat, e): "Predikat_Evaluator",
        (r.dijawab, e): "Jumlah_Dijawab_Evaluator", (r.nilai_dipakai, v): "Nilai_LKE_Dipakai",
        (r.sumber_nilai, v): "Sumber_Nilai", (r.predikat_dipakai, v): "Predikat_Dipakai",
        **{(r.realisasi_tw + k, v): f"Realisasi_Anggaran_TW{k + 1}" for k in range(4)},
    }
    out: dict[tuple[str, str], Any] = {}
    for c in layout.computed(policy):
        if c.sheet != r.sheet:
            continue
        side = rk.lke_opd if c.col == v else rk.lke_evaluator
        if (c.row, c.col) in named:
            want = rk.sel[named[(c.row, c.col)]]
        elif c.row in (r.predikat_berikut, r.poin_berikut):  # issue 16's rows, per column, from the core
            step = None if side.nilai is None else next_predikat(side.nilai, policy)
            want = "" if step is None else (step[0] if c.row == r.predikat_berikut else step[1])
        elif r.komponen_row(0) <= c.row <= r.komponen_row(len(r.komponen) - 1):
            want = side.komponen_sel[r.komponen[c.row - r.komponen_row(0)][0]]
        else:
            want = side.sub_sel[r.subs[c.row - r.sub_row(0)][0]]
        out[(c.sheet, c.cell)] = want
    assert len(out) == sum(1 for c in layout.computed(policy) if c.sheet == r.sheet)
    return out


def sheet_cells(layout: WorkbookLayout, rk: Ringkasan, wb: OPDWorkbook) -> dict[tuple[str, str], Any]:
    """Rencana Aksi (TW Terakhir, Capaian s.d. TW, Capaian) and LKE (Kerangka Logis) -> the model."""
    ra, lk = layout.ra, layout.lke
    out: dict[tuple[str, str], Any] = {}
    for i, row in enumerate(rk.indikator):
        out[(ra.sheet, ra.a1("TW Terakhir", i))] = f"TW {'I II III IV'.split()[row.tw_terakhir - 1]}" \
            if row.tw_terakhir else ""
        if row.capaian_sd_tw is not None:
            out[(ra.sheet, ra.a1("Capaian s.d. TW (%)", i))] = row.capaian_sd_tw
        out[(ra.sheet, ra.a1("Capaian (%)", i))] = row.capaian if row.capaian is not None else row.teks
    for side, col in ((rk.lke_opd, "Kerangka Logis OPD"), (rk.lke_evaluator, "Kerangka Logis Evaluator")):
        by_kode: dict[str, list[str]] = {}
        for viol in side.kerangka_logis:
            label = f"rata-rata {viol.acuan[4:-1]}" if viol.acuan.startswith("avg(") else viol.acuan
            by_kode.setdefault(viol.kode, []).append(label)
        for i, k in enumerate(layout.kriteria):
            labels = by_kode.get(k.kode)
            out[(lk.sheet, lk.a1(col, i))] = "Melebihi " + ", ".join(labels) if labels else ""
    return out


def per_opd(row: dict[str, Any], rk: Ringkasan) -> list[str]:
    """Differences between the summary's Per OPD row and the model."""
    pairs = {
        "capaian_rata": rk.capaian_rata, "capaian_rata_dibatasi": rk.capaian_rata_dibatasi,
        "serapan": rk.serapan, "indeks_efisiensi": rk.indeks_efisiensi, "nilai_lke": rk.nilai_lke,
        "predikat": rk.predikat, "sumber_nilai": rk.sumber_nilai, "nilai_lke_opd": rk.lke_opd.nilai,
        "nilai_lke_evaluator": rk.lke_evaluator.nilai, "predikat_berikut": rk.predikat_berikut,
        "poin_ke_predikat_berikut": rk.poin_ke_predikat_berikut, "n_dinilai": rk.n_dinilai,
        **{f"jumlah_{k}": n for k, n in rk.jumlah_kategori.items()},
    }
    out = []
    for key, want in pairs.items():
        got = row[key]
        if isinstance(got, float) and math.isnan(got):
            got = None
        if not same_value(want, got):
            out.append(f"{row['opd_kode']} {key}: rekap={got!r}, model={want!r}")
    return out


# --------------------------------------------------------------------------- the situations of the issue
Edit = Callable[[OPDWorkbook], None]


def _lke_answers(wb: OPDWorkbook, attr: str, fn: Callable[[Any], Any]) -> None:
    wb.lke = [j.model_copy(update={attr: fn(j)}) for j in wb.lke]


def _ya(wb: OPDWorkbook) -> None:  # "ya" typed for Y/T answers (the workbook's formula reads it too)
    _lke_answers(wb, "jawaban_opd", lambda j: "ya" if j.jawaban_opd == "Y" else j.jawaban_opd)


def _kegiatan(wb: OPDWorkbook) -> None:  # budget only at Kegiatan level
    wb.anggaran = [a.model_copy(update={"induk": None}) for a in wb.anggaran if a.level == "Kegiatan"]


def _satu_evaluator(wb: OPDWorkbook) -> None:  # one evaluator answer on a complete self-assessment
    _lke_answers(wb, "jawaban_evaluator", lambda j: "T" if j.kode == "1.a.1" else None)
    wb.profil.status_evaluasi = "Draf"


def _final(wb: OPDWorkbook) -> None:  # the same, marked Final by the evaluator
    _satu_evaluator(wb)
    wb.profil.status_evaluasi = "Final"


def _tengah_tahun(wb: OPDWorkbook) -> None:  # TW I-II filled, scored in a full-year run
    for ind in wb.indikator:
        ind.realisasi_tw = [ind.realisasi_tw[0], ind.realisasi_tw[1], None, None]


def _kerangka(wb: OPDWorkbook) -> None:  # prerequisites blank, dependents answered Y / A
    prereq = {ref for k in KS for _d, kind, ref in k.acuan if kind == "kode"}
    _lke_answers(wb, "jawaban_opd", lambda j: None if j.kode in prereq else j.jawaban_opd)


def _pagu_nol(wb: OPDWorkbook) -> None:  # pagu 0: with realisasi 0 (not applicable) and with money spent
    wb.anggaran = [*wb.anggaran,
                   AnggaranLine(kode="1.02.02.2.03", uraian="Dihapus di DPA Perubahan", level="Kegiatan",
                                induk="1.02.02", pagu=0, realisasi_tw=[0, None, None, None]),
                   AnggaranLine(kode="1.02.02.2.04", uraian="Tanpa pagu", level="Kegiatan", induk="1.02.02",
                                pagu=0, realisasi_tw=[5_000_000, None, None, None])]


def _tidak_wajar(wb: OPDWorkbook) -> None:  # a 60% target typed as 0,6; a negatif target 0 missed
    wb.indikator = [*wb.indikator,
                    Indikator(kode="IK7", nama="Persentase desa ODF", satuan="%", target=0.6,
                              target_tw=[None, None, None, 0.6], realisasi_tw=[None, None, None, 58]),
                    Indikator(kode="IK8", nama="Kasus gizi buruk", satuan="kasus", polaritas="negatif",
                              tipe_agregasi="kumulatif", target=0, target_tw=[0, 0, 0, 0], realisasi_tw=[1, 0, 2, 0])]


def _kombinasi(wb: OPDWorkbook) -> None:
    for fn in (_kegiatan, _satu_evaluator, _tengah_tahun, _pagu_nol, _ya):
        fn(wb)


def _layout() -> WorkbookLayout:
    return build_layout(base_workbook(), Policy())


#: cells typed by hand after the workbook is written (as a user would): (sheet, A1) -> value
CellEdits = dict[tuple[str, str], Any]


def _cells_teks_target() -> CellEdits:
    pk = _layout().pk
    return {(pk.sheet, pk.a1("Target", 0)): "90%"}  # pasted as text: the workbook shows #INPUT?


def _cells_teks_realisasi() -> CellEdits:
    ra = _layout().ra
    return {(ra.sheet, ra.a1("Realisasi TW II", 1)): "5,5"}


def _cells_teks_pagu() -> CellEdits:
    ag = _layout().anggaran
    return {(ag.sheet, ag.a1("Pagu", 0)): "1.000.000.000"}  # SUMIF skips it: Kegiatan becomes the level


def _cells_di_bawah() -> CellEdits:
    pk = _layout().pk
    return {(pk.sheet, a1(pk.last_row + 1, pk.col("Kode"))): "IK9",
            (pk.sheet, a1(pk.last_row + 1, pk.col("Indikator Kinerja"))): "Indikator yang diketik di bawah tabel"}


EDITS: dict[str, Callable[[], CellEdits]] = {
    "teks_target": _cells_teks_target, "teks_realisasi": _cells_teks_realisasi, "teks_pagu": _cells_teks_pagu,
    "di_bawah_tabel": _cells_di_bawah,
}

SITUATIONS: dict[str, tuple[Edit | None, list[str]]] = {
    # name: (edit of the clean workbook, codes whose warning must sit at its cell)
    "bersih": (None, []),
    "teks_target": (None, ["NILAI_TEKS_DI_SEL_ANGKA"]),
    "teks_realisasi": (None, ["NILAI_TEKS_DI_SEL_ANGKA"]),
    "teks_pagu": (None, ["NILAI_TEKS_DI_SEL_ANGKA"]),
    "di_bawah_tabel": (None, ["DATA_DI_LUAR_TABEL"]),
    "jawaban_ya": (_ya, []),
    "anggaran_kegiatan": (_kegiatan, []),
    "satu_jawaban_evaluator": (_satu_evaluator, ["LKE_EVALUASI_BELUM_FINAL"]),
    "evaluator_final": (_final, []),
    "tengah_tahun": (_tengah_tahun, ["CAPAIAN_BELUM_SETAHUN"]),
    "kerangka_logis": (_kerangka, ["LKE_KERANGKA_LOGIS"]),
    "pagu_nol": (_pagu_nol, ["AGG_PAGU_NOL"]),
    "tidak_wajar": (_tidak_wajar, ["CAPAIAN_TIDAK_WAJAR", "CAPAIAN_TARGET_NOL"]),
    "kombinasi": (_kombinasi, ["LKE_EVALUASI_BELUM_FINAL", "CAPAIAN_BELUM_SETAHUN", "AGG_PAGU_NOL"]),
}


def _type_cells(path: Path, edits: CellEdits) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in edits.items():
        wb[sheet][cell].value = value
    wb.save(path)


def _check_books(models: list[OPDWorkbook], tmp_path: Path, policy: Policy,
                 edits: list[CellEdits] | None = None) -> tuple[list[Path], list[str]]:
    files = []
    for i, data in enumerate(models):
        path = write_workbook(tmp_path / f"opd_{i:02d}.xlsx", data, rumus="native", policy=policy)
        if edits and edits[i]:
            _type_cells(path, edits[i])
        _zero_cached_values(path)
        files.append(path)
    outs = soffice_convert(files, tmp_path / "lo", lo_profile(tmp_path))
    problems: list[str] = []
    for data, out in zip(models, outs, strict=True):
        wb, issues, rk = check_workbook_full(out, policy)
        assert wb is not None and rk is not None, issues
        layout = build_layout(data, policy)
        want = {**ringkasan_cells(layout, rk, policy), **sheet_cells(layout, rk, wb)}
        got = read_cells(out, want)
        problems += [f"{out.name} {s}!{c}: model={w!r}, LibreOffice={got[(s, c)]!r}"
                     for (s, c), w in want.items() if not same_value(w, got[(s, c)])]
        stale = [i for i in issues if i.code in ("NILAI_TERSIMPAN_BEDA", "RUMUS_DITIMPA")]
        problems += [f"{out.name}: {i.code} {i.sheet}!{i.cell} {i.message}" for i in stale]
    return outs, problems


def test_every_situation_one_number_in_workbook_model_and_summary(tmp_path: Path) -> None:
    policy = Policy()
    models = []
    for n, (name, (edit, _codes)) in enumerate(SITUATIONS.items()):
        wb = base_workbook()
        wb.profil.opd_kode = f"1.02.{n:02d}"
        wb.profil.opd_nama = name
        if edit is not None:
            edit(wb)
        models.append(wb)
    typed = [EDITS[name]() if name in EDITS else {} for name in SITUATIONS]
    outs, problems = _check_books(models, tmp_path, policy, typed)
    assert not problems, f"{len(problems)} beda:\n" + "\n".join(problems[:40])

    rekap = consolidate(outs, policy, jobs=1)
    rows = {r["opd_kode"]: r for r in rekap.opd.to_dict("records")}
    for (name, (_edit, codes)), wb, out in zip(SITUATIONS.items(), models, outs, strict=True):
        _, issues, rk = check_workbook_full(out, policy)
        assert rk is not None
        assert not per_opd(rows[wb.profil.opd_kode], rk), (name, per_opd(rows[wb.profil.opd_kode], rk))
        for code in codes:  # each situation's warning, at a cell of the workbook
            found = [i for i in issues if i.code == code]
            assert found and all(i.sheet and i.cell for i in found), (name, code, found)
        for sheet, cell in (EDITS[name]() if name in EDITS else {}):  # ... at the very cell typed
            assert any((i.sheet, i.cell) == (sheet, cell) for i in issues if i.code in codes) or \
                name == "di_bawah_tabel", (name, sheet, cell)
        mine = {(i.code, i.sheet, i.cell) for i in rekap.issues if (i.file or "").endswith(out.name)}
        assert {(i.code, i.sheet, i.cell) for i in issues} <= mine, name  # konsolidasi says what periksa says

    by_name = {wb.profil.opd_nama: rows[wb.profil.opd_kode] for wb in models}
    # the issue's examples, as the city summary now publishes them
    assert by_name["satu_jawaban_evaluator"]["sumber_nilai"] == "Mandiri (OPD)"
    assert by_name["satu_jawaban_evaluator"]["status_nilai"] == "Belum dievaluasi"
    assert by_name["satu_jawaban_evaluator"]["predikat"] == by_name["satu_jawaban_evaluator"]["predikat_opd"]
    assert by_name["evaluator_final"]["sumber_nilai"] == "Evaluator"
    assert by_name["anggaran_kegiatan"]["serapan"] == pytest.approx(85.0)  # 850 of 1.000 juta, Kegiatan level
    assert by_name["jawaban_ya"]["nilai_lke_opd"] == pytest.approx(by_name["bersih"]["nilai_lke_opd"])
    assert rekap.kota["n_opd_belum_dievaluasi"] == 2
    # text the workbook's formulas cannot use is not used anywhere: the indicator is not scored
    assert by_name["teks_target"]["n_dinilai"] == by_name["bersih"]["n_dinilai"] - 1
    assert by_name["teks_realisasi"]["n_dinilai"] == by_name["bersih"]["n_dinilai"] - 1
    assert rows[models[list(SITUATIONS).index("teks_pagu")].profil.opd_kode]["serapan"] == pytest.approx(85.0)
    below = [i for i in check_workbook_full(outs[list(SITUATIONS).index("di_bawah_tabel")], policy)[1]
             if i.code == "DATA_DI_LUAR_TABEL"]
    assert [(i.sheet, i.cell) for i in below] == [next(iter(_cells_di_bawah()))]
    assert ("belum dievaluasi" in rekap.ringkasan_teks()) and ("sumber Evaluator" in rekap.ringkasan_teks())


def test_random_filled_workbooks_one_number(tmp_path: Path) -> None:
    """Property: for random filled workbooks, every Ringkasan cell LibreOffice computes equals the
    model, and the summary's Per OPD row equals the model."""
    policy = Policy()
    models = hypothesis_opds(N_RANDOM)
    for i, wb in enumerate(models):
        wb.profil.opd_kode = f"9.{i:02d}"
        wb.profil.tahun = 2025  # one year: the summary consolidates the most common year only
    outs, problems = _check_books(models, tmp_path, policy)
    assert not problems, f"{len(problems)} beda:\n" + "\n".join(problems[:40])
    rekap = consolidate(outs, policy, jobs=1)
    rows = {r["opd_kode"]: r for r in rekap.opd.to_dict("records")}
    for wb, out in zip(models, outs, strict=True):
        _, _issues, rk = check_workbook_full(out, policy)
        assert rk is not None and wb.profil.opd_kode in rows
        assert not per_opd(rows[wb.profil.opd_kode], rk)


def test_the_expected_cells_cover_the_whole_ringkasan_sheet() -> None:
    wb = base_workbook()
    policy = Policy()
    layout = build_layout(wb, policy)
    from sakip_xl.scoring import ringkasan

    cells = ringkasan_cells(layout, ringkasan(wb, policy), policy)
    rk = layout.ringkasan
    assert ("Ringkasan", a1(rk.nilai_dipakai, rk.value_col)) in cells
    assert len(cells) == 16 + 4 + 4 + 2 * (len(rk.komponen) + len(rk.subs))
