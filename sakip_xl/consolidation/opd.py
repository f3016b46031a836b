"""Score one OPD workbook for the city summary: plain rows from the one OPD roll-up.

:func:`score_opd` turns one :class:`~sakip_xl.models.OPDWorkbook` and its
:class:`~sakip_xl.scoring.ringkasan.Ringkasan` (the roll-up the reader already computed, or computed
here) into an :class:`OPDResult`: small, picklable rows (dicts of plain values) for the summary's
sheets.  It runs inside the worker processes, so only rows travel back.  No number is computed here:
every capaian, mean, serapan, nilai, predikat and the source of the nilai comes from the roll-up, so
the Per OPD row equals the workbook's Ringkasan sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..issues import Issue
from ..models import AnggaranLine, Indikator, OPDWorkbook, Rentang
from ..policy import Policy, default_policy
from ..scoring.kategori import kategori
from ..scoring.lke import load_kriteria
from ..scoring.ringkasan import LKERingkasan, Ringkasan, ringkasan
from ..scoring.triwulan import TW_LABELS, ytd

__all__ = ["OPDResult", "score_opd", "POLARITAS_TEKS", "TIPE_TEKS", "split_lokasi"]

#: Words for the rule an indicator follows (shown in "Detail Indikator"; no formula text).
POLARITAS_TEKS = {
    "positif": "Positif (makin tinggi makin baik)",
    "negatif": "Negatif (makin rendah makin baik)",
    "stabil": "Stabil (terbaik di dalam rentang target)",
}
TIPE_TEKS = {
    "kumulatif": "Kumulatif (realisasi triwulan dijumlahkan)",
    "akhir": "Nilai akhir (triwulan terakhir yang terisi)",
    "rata-rata": "Rata-rata (rata-rata triwulan yang terisi)",
}

@dataclass
class OPDResult:
    """Everything the summary needs from one OPD workbook, as plain picklable rows."""

    kode: str
    nama: str
    tahun: int | None
    ringkas: dict[str, Any]
    indikator: list[dict[str, Any]] = field(default_factory=list)
    triwulan: list[dict[str, Any]] = field(default_factory=list)
    anggaran: list[dict[str, Any]] = field(default_factory=list)
    lke: list[dict[str, Any]] = field(default_factory=list)
    lke_komponen: list[dict[str, Any]] = field(default_factory=list)
    tindak_lanjut: list[dict[str, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    #: The improvement plan (scoring.rencana.ringkas_rencana), None without LKE answers.
    rencana: dict[str, Any] | None = None
    #: Pagu and realisation at the OPD's budget level (the city serapan adds these up).
    pagu_program: float = 0.0
    realisasi_program: float = 0.0
    #: the roll-up itself (the improvement plan and the add-in read it; frozen, picklable)
    ringkasan: Ringkasan | None = None


def split_lokasi(lokasi: str | None) -> tuple[str | None, str | None]:
    """``"Sheet!A1"`` -> ``("Sheet", "A1")`` (quotes around the sheet name removed)."""
    if not lokasi:
        return None, None
    sheet, sep, cell = lokasi.rpartition("!")
    if not sep:
        return None, lokasi
    return sheet.strip("'"), cell


def _target_parts(ind: Indikator) -> tuple[float | None, float | None]:
    if isinstance(ind.target, Rentang):
        return ind.target.bawah, ind.target.atas
    return ind.target, None


def _lok(item: Indikator | AnggaranLine, *keys: str) -> str | None:
    for k in keys:
        v = item.lokasi.get(k)
        if v:
            return v
    return None


def _span(lokasi: Mapping[str, str], key: str) -> str | None:
    """The cells of a quarterly field as one range (``Rencana Aksi!K5:N5``) when they line up."""
    cells = [lokasi.get(f"{key}.{i}") for i in range(4)]
    present = [c for c in cells if c]
    if not present:
        return lokasi.get(key)
    first, last = split_lokasi(present[0]), split_lokasi(present[-1])
    if len(present) > 1 and first[0] == last[0]:
        return f"{first[0]}!{first[1]}:{last[1]}"
    return present[0]


def _lokasi_text(lokasi: Mapping[str, str], rentang: bool) -> str:
    """Where the inputs of an indicator are: target and quarterly realisations."""
    parts = []
    atas = lokasi.get("target_atas") if rentang else None
    for label, where in (("Target", lokasi.get("target")), ("Target atas", atas),
                         ("Target TW", _span(lokasi, "target_tw")),
                         ("Realisasi TW", _span(lokasi, "realisasi_tw"))):
        if where:
            parts.append(f"{label}: {where}")
    return "; ".join(parts)


def _indikator_row(ind: Indikator, r: Any, tw: int, policy: Policy, opd: tuple[str, str],
                   full_year: bool) -> dict[str, Any]:
    where = ("capaian", "kode") if full_year else ("kode_rencana_aksi", "kode")
    sheet, cell = split_lokasi(_lok(ind, *where))
    bawah, atas = _target_parts(ind)
    row: dict[str, Any] = {
        "opd_kode": opd[0], "opd_nama": opd[1], "kode": ind.kode, "sasaran": ind.sasaran,
        "indikator": ind.nama, "satuan": ind.satuan, "polaritas": ind.polaritas,
        "tipe_agregasi": ind.tipe_agregasi, "target": bawah, "target_atas": atas,
    }
    for i in range(4):
        row[f"target_tw{i + 1}"] = ind.target_tw[i]
    for i in range(4):
        row[f"realisasi_tw{i + 1}"] = ind.realisasi_tw[i]
    try:
        real: float | None = ytd(ind.realisasi_tw, ind.tipe_agregasi, tw) if not full_year else r.realisasi
    except Exception:  # noqa: BLE001 - no data (or refused data) to date: no realisation shown
        real = None
    row.update({
        "realisasi": real,
        "capaian": r.dinilai,
        "kategori": kategori(r.dinilai, policy) if r.dinilai is not None else (r.teks or None),
        "tw_terakhir": TW_LABELS[r.dinilai_tw - 1] if r.dinilai_tw else None,
        "capaian_sd_tw": r.capaian_sd_tw,
        "aturan": f"{POLARITAS_TEKS[ind.polaritas]}; {TIPE_TEKS[ind.tipe_agregasi]}"
                  + ("; target rentang" if atas is not None else ""),
    })
    for i in range(4):
        row[f"capaian_tw{i + 1}"] = r.capaian_tw[i] if i < tw else None
    row.update({"lembar": sheet, "sel": cell, "lokasi_input": _lokasi_text(ind.lokasi, atas is not None),
                "faktor_penghambat": ind.faktor_penghambat})
    return row


def _anggaran_rows(wb: OPDWorkbook, rk: Ringkasan, opd: tuple[str, str]) -> list[dict[str, Any]]:
    rows = []
    for line, a in zip(wb.anggaran, rk.anggaran, strict=True):
        sheet, cell = split_lokasi(_lok(line, "serapan", "kode", "uraian", "pagu"))
        row: dict[str, Any] = {
            "opd_kode": opd[0], "opd_nama": opd[1], "kode": line.kode, "uraian": line.uraian,
            "level": line.level, "induk": line.induk, "pagu": line.pagu,
        }
        for i in range(4):
            row[f"realisasi_tw{i + 1}"] = line.realisasi_tw[i]
        row.update({
            "realisasi": a.realisasi, "serapan": a.serapan, "melebihi_pagu": a.melebihi_pagu,
            "lembar": sheet, "sel": cell,
        })
        rows.append(row)
    return rows


def _lke_rows(rk: Ringkasan, opd: tuple[str, str]) -> list[dict[str, Any]]:
    own, ev = rk.lke_opd.detail, rk.lke_evaluator.detail
    if own is None:
        return []
    ev_by = {s.kode: s for s in ev.sub_komponen} if ev else {}
    rows = []
    for s in own.sub_komponen:
        e = ev_by.get(s.kode)
        rows.append({
            "opd_kode": opd[0], "opd_nama": opd[1], "kode_sub": s.kode, "komponen": s.komponen,
            "sub_komponen": s.nama, "bobot": s.bobot, "nilai_opd": s.nilai,
            "nilai_evaluator": e.nilai if e else None,
            "dijawab_opd": s.n_dijawab, "jumlah_kriteria": s.n_kriteria,
        })
    return rows


def _predikat(side: LKERingkasan) -> str | None:
    return side.predikat if side.nilai is not None else None


def score_opd(wb: OPDWorkbook, policy: Policy | None = None, sampai_tw: int | None = None,
              file: str | None = None, *, ringkasan_tahunan: Ringkasan | None = None,
              checked: bool = False) -> OPDResult:
    """Rows for the summary from the workbook's roll-up.

    ``ringkasan_tahunan`` is the full-year roll-up the reader computed (reused, not recomputed, in a
    full-year run).  ``checked``: the reader already checked the workbook, so only the findings of a
    run to TW n are added; otherwise (a model built in code) the issues are those ``sakip-xl periksa``
    gives for it, so the two agree on every code and severity.
    """
    p = policy or default_policy()
    tw = sampai_tw or 4
    full_year = tw == 4
    ks = load_kriteria(p)
    if full_year and ringkasan_tahunan is not None:
        rk = ringkasan_tahunan
    else:
        rk = ringkasan(wb, p, kriteria=ks, sampai_tw=tw)
    shown = file if file is not None else wb.sumber
    issues: list[Issue] = []
    if not checked:
        from ..excel.validate import validate

        issues = [i.with_file(shown) if shown else i for i in validate(wb, p, kriteria=ks, ringkasan=rk)]
    elif not full_year:
        from ..excel.codes import make_issue

        for m in rk.masalah:
            if m.code == "CAPAIAN_BELUM_SETAHUN":
                sheet, cell = split_lokasi(m.lokasi)
                issues.append(make_issue(m.code, m.message, sheet=sheet, cell=cell, file=shown))
    opd = (wb.profil.opd_kode, wb.profil.opd_nama)
    ind_rows = [_indikator_row(ind, r, tw, p, opd, full_year)
                for ind, r in zip(wb.indikator, rk.indikator, strict=True)]
    ang_rows = _anggaran_rows(wb, rk, opd)
    ringkas: dict[str, Any] = {
        "n_indikator": rk.n_indikator, "n_dinilai": rk.n_dinilai, "capaian_rata": rk.capaian_rata,
        "capaian_rata_dibatasi": rk.capaian_rata_dibatasi, "jumlah_kategori": dict(rk.jumlah_kategori),
        "persen_kategori": dict(rk.persen_kategori), "serapan": rk.serapan, "level_anggaran": rk.level_anggaran,
        "indeks_efisiensi": rk.indeks_efisiensi, "flag_efisiensi": rk.flag_efisiensi,
        "nilai_lke": rk.nilai_lke, "predikat": rk.predikat, "sumber_nilai": rk.sumber_nilai,
        "dievaluasi": rk.dievaluasi, "status_evaluasi": rk.status_evaluasi,
        "predikat_berikut": rk.predikat_berikut, "poin_ke_predikat_berikut": rk.poin_ke_predikat_berikut,
        "peluang_lke": [x.model_dump() for x in rk.peluang_lke],
        "nilai_lke_opd": rk.lke_opd.nilai, "predikat_opd": _predikat(rk.lke_opd),
        "nilai_lke_evaluator": rk.lke_evaluator.nilai, "predikat_evaluator": _predikat(rk.lke_evaluator),
        "dijawab_evaluator": rk.lke_evaluator.n_dijawab, "jumlah_kriteria": rk.lke_evaluator.n_kriteria,
        "tl_terbuka": sum(1 for t in wb.tindak_lanjut if t.status != "Selesai"),
        "tl_jumlah": len(wb.tindak_lanjut),
        "kepala_nama": wb.profil.kepala_nama,
        "jenis_pk": wb.profil.jenis_pk,
    }
    tl_rows = [
        {"opd_kode": opd[0], "opd_nama": opd[1], "no": str(t.no), "rekomendasi": t.rekomendasi,
         "rencana_tindak_lanjut": t.rencana_tindak_lanjut, "penanggung_jawab": t.penanggung_jawab,
         "batas_waktu": t.batas_waktu, "status": t.status}
        for t in wb.tindak_lanjut
    ]
    for row in (*ind_rows, *ang_rows):
        row["berkas"] = shown
    own, ev = rk.lke_opd.detail, rk.lke_evaluator.detail
    ev_komp = {k.kode: k.nilai for k in ev.komponen} if ev else {}
    komponen = [
        {"opd_kode": opd[0], "opd_nama": opd[1], "kode": k.kode, "komponen": k.nama, "bobot": k.bobot,
         "nilai_opd": k.nilai, "nilai_evaluator": ev_komp.get(k.kode)}
        for k in (own.komponen if own else [])
    ]
    triwulan = [{"opd_kode": opd[0], "opd_nama": opd[1], "tw": t.tw, "capaian_rata": t.capaian_rata,
                 "capaian_rata_dibatasi": t.capaian_rata_dibatasi, "n_dinilai": t.n_dinilai} for t in rk.triwulan]
    return OPDResult(
        kode=opd[0], nama=opd[1], tahun=wb.profil.tahun, ringkas=ringkas,
        indikator=ind_rows, triwulan=triwulan, anggaran=ang_rows,
        lke=_lke_rows(rk, opd), lke_komponen=komponen, tindak_lanjut=tl_rows, issues=issues,
        pagu_program=rk.pagu or 0.0, realisasi_program=rk.realisasi_anggaran or 0.0, ringkasan=rk,
        rencana=_rencana(wb, p, own is not None or ev is not None),
    )


def _rencana(wb: OPDWorkbook, policy: Policy, answered: bool) -> dict[str, Any] | None:
    """The OPD's improvement plan as plain rows (issue 16), when its LKE has answers."""
    if not answered or policy.lke.metode != "per_kriteria":
        return None
    from ..scoring.rencana import rencana_workbook, ringkas_rencana

    return ringkas_rencana(*rencana_workbook(wb, policy, teratas=5))
