"""Score one OPD workbook for the city summary: plain rows, every number from ``sakip_xl.scoring``.

:func:`score_opd` turns one validated :class:`~sakip_xl.models.OPDWorkbook` into an
:class:`OPDResult`: small, picklable rows (dicts of plain values) for the summary's sheets, plus the
Issues found while scoring.  It runs inside the worker processes, so only rows travel back.
No rule is restated here: capaian, year-to-date values, kategori, serapan, LKE nilai, predikat and
the roll-up all come from the pure scoring functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from ..errors import NoData, ScoringError
from ..issues import Issue, Severity
from ..models import AnggaranLine, Indikator, OPDWorkbook, Rentang
from ..policy import Policy, default_policy
from ..scoring import (
    capaian,
    capaian_tw,
    flag_efisiensi,
    kategori,
    load_kriteria,
    nilai_jawaban,
    nilai_lke,
    predikat,
    rata_capaian,
    realisasi_anggaran,
    rollup_opd,
    serapan,
    ytd,
)
from ..scoring.lke import Kriteria, NilaiLKE, nilai_per_kriteria

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

T = TypeVar("T")


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
    #: Sum of Program-level pagu and realisation (the city serapan adds these up).
    pagu_program: float = 0.0
    realisasi_program: float = 0.0


def split_lokasi(lokasi: str | None) -> tuple[str | None, str | None]:
    """``"Sheet!A1"`` -> ``("Sheet", "A1")`` (quotes around the sheet name removed)."""
    if not lokasi:
        return None, None
    sheet, sep, cell = lokasi.rpartition("!")
    if not sep:
        return None, lokasi
    return sheet.strip("'"), cell


class _Scorer:
    """Calls a scoring function; NoData gives None, other ScoringErrors an Issue and a cell text."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.issues: list[Issue] = []

    def run(self, fn: Callable[[], T], lokasi: str | None, what: str) -> tuple[T | None, str]:
        try:
            return fn(), ""
        except NoData:
            return None, ""
        except ScoringError as exc:
            sheet, cell = split_lokasi(lokasi)
            self.issues.append(
                Issue(
                    code=f"REKAP_{exc.code}", severity=Severity.ERROR, file=self.file,
                    sheet=sheet, cell=cell, message=f"{what}: {exc.message}",
                    hint="Perbaiki isian pada sel ini; angka ini tidak ikut dirata-rata.",
                )
            )
            return None, exc.cell_text


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


def _indikator_row(ind: Indikator, sc: _Scorer, policy: Policy, sampai_tw: int | None,
                   opd: tuple[str, str]) -> dict[str, Any]:
    tw = sampai_tw or 4
    lok_real = _span(ind.lokasi, "realisasi_tw") or _lok(ind, "kode")
    lok_target = _lok(ind, "target", "kode")
    real, real_err = sc.run(lambda: ytd(ind.realisasi_tw, ind.tipe_agregasi, tw), lok_real,
                            f"Realisasi indikator {ind.kode}")
    target = ind.target_value
    cap: float | None = None
    cap_err = real_err
    if real is not None and target is not None and sampai_tw in (None, 4):
        r = real
        cap, cap_err = sc.run(lambda: capaian(target, r, ind.polaritas), lok_target,
                              f"Capaian indikator {ind.kode}")
    elif real is not None and sampai_tw is not None:
        cap, cap_err = sc.run(
            lambda: capaian_tw(ind.target_tw, ind.realisasi_tw, tw, ind.tipe_agregasi,
                               ind.polaritas, target),
            lok_target, f"Capaian {ind.kode} s.d. TW {tw}")
    per_tw: list[float | None] = []
    for q in range(1, tw + 1):
        try:
            per_tw.append(capaian_tw(ind.target_tw, ind.realisasi_tw, q, ind.tipe_agregasi,
                                     ind.polaritas, target))
        except ScoringError:  # NoData, or the error already reported for the annual capaian
            per_tw.append(None)
    bawah, atas = _target_parts(ind)
    # The OPD sheet's Capaian cell holds the annual capaian; s.d. TW N points at the indicator's row.
    where = ("capaian", "kode") if sampai_tw in (None, 4) else ("kode_rencana_aksi", "kode")
    sheet, cell = split_lokasi(_lok(ind, *where))
    row: dict[str, Any] = {
        "opd_kode": opd[0], "opd_nama": opd[1], "kode": ind.kode, "sasaran": ind.sasaran,
        "indikator": ind.nama, "satuan": ind.satuan, "polaritas": ind.polaritas,
        "tipe_agregasi": ind.tipe_agregasi, "target": bawah, "target_atas": atas,
    }
    for i in range(4):
        row[f"target_tw{i + 1}"] = ind.target_tw[i]
    for i in range(4):
        row[f"realisasi_tw{i + 1}"] = ind.realisasi_tw[i]
    row.update({
        "realisasi": real,
        "capaian": cap,
        "kategori": kategori(cap, policy) if cap is not None else (cap_err or None),
        "aturan": f"{POLARITAS_TEKS[ind.polaritas]}; {TIPE_TEKS[ind.tipe_agregasi]}"
                  + ("; target rentang" if atas is not None else ""),
    })
    for i in range(4):
        row[f"capaian_tw{i + 1}"] = per_tw[i] if i < len(per_tw) else None
    row.update({"lembar": sheet, "sel": cell, "lokasi_input": _lokasi_text(ind.lokasi, atas is not None),
                "faktor_penghambat": ind.faktor_penghambat})
    return row


def _anggaran_rows(wb: OPDWorkbook, sc: _Scorer, tw: int, opd: tuple[str, str]) -> list[dict[str, Any]]:
    rows = []
    for line in wb.anggaran:
        lok = _span(line.lokasi, "realisasi_tw") or _lok(line, "pagu", "kode")
        real, _ = sc.run(partial(realisasi_anggaran, line.realisasi_tw, tw), lok,
                         f"Realisasi anggaran {line.kode}")
        ser: float | None = None
        if real is not None and line.pagu is not None:
            ser, _ = sc.run(partial(serapan, line.pagu, real), _lok(line, "pagu", "kode"),
                            f"Serapan {line.kode}")
        sheet, cell = split_lokasi(_lok(line, "serapan", "kode", "uraian", "pagu"))
        row: dict[str, Any] = {
            "opd_kode": opd[0], "opd_nama": opd[1], "kode": line.kode, "uraian": line.uraian,
            "level": line.level, "induk": line.induk, "pagu": line.pagu,
        }
        for i in range(4):
            row[f"realisasi_tw{i + 1}"] = line.realisasi_tw[i]
        row.update({
            "realisasi": real, "serapan": ser,
            "melebihi_pagu": bool(real is not None and line.pagu is not None and real > line.pagu),
            "lembar": sheet, "sel": cell,
        })
        rows.append(row)
    return rows


def _program_totals(rows: list[dict[str, Any]]) -> tuple[float, float, bool]:
    """Pagu and realisation summed over the top budget level present (Program if any)."""
    for level in ("Program", "Kegiatan", "Sub Kegiatan"):
        top = [r for r in rows if r["level"] == level and r["pagu"] is not None]
        if top:
            return (float(sum(r["pagu"] for r in top)),
                    float(sum(r["realisasi"] or 0.0 for r in top)),
                    any(r["realisasi"] is not None for r in top))
    return 0.0, 0.0, False


def _clean_answers(wb: OPDWorkbook, attr: str, ks: list[Kriteria], policy: Policy,
                   sc: _Scorer) -> dict[str, str | None]:
    """Answers whose value the rules can give; an invalid answer is reported and left out."""
    jenis = {k.kode: k.jenis_jawaban for k in ks}
    given = {j.kode: getattr(j, attr) for j in wb.lke if j.kode in jenis}
    valid = nilai_per_kriteria(given, ks, policy, skip_invalid=True)  # an invalid answer is left out
    out: dict[str, str | None] = {}
    for j in wb.lke:
        if j.kode not in given:
            continue
        if j.kode not in valid:  # reported, with its cell, by the same rule through the scorer
            sc.run(partial(nilai_jawaban, getattr(j, attr), jenis[j.kode], policy),
                   j.lokasi.get(attr) or j.lokasi.get("kode"), f"Jawaban LKE {j.kode}")
            continue
        out[j.kode] = getattr(j, attr)
    return out


def _score_lke(wb: OPDWorkbook, policy: Policy, sc: _Scorer) -> tuple[NilaiLKE | None, NilaiLKE | None]:
    if not wb.lke:
        return None, None
    ks = load_kriteria(policy)
    # as the workbook's Ringkasan: no answer at all in a column means no nilai (not 0 and predikat D)
    opd_answers = _clean_answers(wb, "jawaban_opd", ks, policy, sc)
    opd = nilai_lke(opd_answers, ks, policy) if any(v for v in opd_answers.values()) else None
    ev_answers = _clean_answers(wb, "jawaban_evaluator", ks, policy, sc)
    ev = nilai_lke(ev_answers, ks, policy) if any(v for v in ev_answers.values()) else None
    return opd, ev


def _lke_rows(opd_lke: NilaiLKE | None, ev: NilaiLKE | None, opd: tuple[str, str]) -> list[dict[str, Any]]:
    if opd_lke is None:
        return []
    ev_by = {s.kode: s for s in ev.sub_komponen} if ev else {}
    rows = []
    for s in opd_lke.sub_komponen:
        e = ev_by.get(s.kode)
        rows.append({
            "opd_kode": opd[0], "opd_nama": opd[1], "kode_sub": s.kode, "komponen": s.komponen,
            "sub_komponen": s.nama, "bobot": s.bobot, "nilai_opd": s.nilai,
            "nilai_evaluator": e.nilai if e else None,
            "dijawab_opd": s.n_dijawab, "jumlah_kriteria": s.n_kriteria,
        })
    return rows


def _triwulan_rows(ind_rows: list[dict[str, Any]], policy: Policy, tw: int,
                   opd: tuple[str, str]) -> list[dict[str, Any]]:
    rows = []
    for q in range(1, tw + 1):
        vals = [r[f"capaian_tw{q}"] for r in ind_rows if r[f"capaian_tw{q}"] is not None]
        raw = rata_capaian(vals) if vals else None
        capped = rata_capaian(vals, policy.cap_rata_rata) if vals else None
        rows.append({"opd_kode": opd[0], "opd_nama": opd[1], "tw": q, "capaian_rata": raw,
                     "capaian_rata_dibatasi": capped, "n_dinilai": len(vals)})
    return rows


def score_opd(wb: OPDWorkbook, policy: Policy | None = None, sampai_tw: int | None = None,
              file: str | None = None) -> OPDResult:
    """Score one OPD workbook (inputs only; every computed number recomputed here)."""
    p = policy or default_policy()
    tw = sampai_tw or 4
    sc = _Scorer(file if file is not None else wb.sumber)
    opd = (wb.profil.opd_kode, wb.profil.opd_nama)
    ind_rows = [_indikator_row(ind, sc, p, sampai_tw, opd) for ind in wb.indikator]
    ang_rows = _anggaran_rows(wb, sc, tw, opd)
    pagu, real, any_real = _program_totals(ang_rows)
    ser: float | None = None
    if pagu > 0 and any_real:
        ser, _ = sc.run(lambda: serapan(pagu, real), None, "Serapan anggaran OPD")
    lke_opd, lke_ev = _score_lke(wb, p, sc)
    used = lke_ev if lke_ev is not None else lke_opd
    roll = rollup_opd([r["capaian"] for r in ind_rows], ser, used, p)
    ringkas = roll.model_dump()
    ringkas["peluang_lke"] = [x.model_dump() for x in roll.peluang_lke]
    ringkas.update({
        "nilai_lke_opd": lke_opd.total if lke_opd else None,
        "nilai_lke_evaluator": lke_ev.total if lke_ev else None,
        "predikat_opd": predikat(lke_opd.total, p) if lke_opd else None,
        "predikat_evaluator": predikat(lke_ev.total, p) if lke_ev else None,
        "sumber_nilai": "Evaluator" if lke_ev is not None else ("Mandiri (OPD)" if lke_opd else None),
        "flag_efisiensi": (
            flag_efisiensi(roll.capaian_rata_dibatasi, ser, p.ambang_serapan_tinggi)
            if roll.capaian_rata_dibatasi is not None and ser is not None else False
        ),
        "tl_terbuka": sum(1 for t in wb.tindak_lanjut if t.status != "Selesai"),
        "tl_jumlah": len(wb.tindak_lanjut),
        "kepala_nama": wb.profil.kepala_nama,
        "jenis_pk": wb.profil.jenis_pk,
    })
    tl_rows = [
        {"opd_kode": opd[0], "opd_nama": opd[1], "no": str(t.no), "rekomendasi": t.rekomendasi,
         "rencana_tindak_lanjut": t.rencana_tindak_lanjut, "penanggung_jawab": t.penanggung_jawab,
         "batas_waktu": t.batas_waktu, "status": t.status}
        for t in wb.tindak_lanjut
    ]
    for row in (*ind_rows, *ang_rows):
        row["berkas"] = sc.file
    ev_komp = {k.kode: k.nilai for k in lke_ev.komponen} if lke_ev else {}
    komponen = [
        {"opd_kode": opd[0], "opd_nama": opd[1], "kode": k.kode, "komponen": k.nama, "bobot": k.bobot,
         "nilai_opd": k.nilai, "nilai_evaluator": ev_komp.get(k.kode)}
        for k in (lke_opd.komponen if lke_opd else [])
    ]
    return OPDResult(
        kode=opd[0], nama=opd[1], tahun=wb.profil.tahun, ringkas=ringkas,
        indikator=ind_rows, triwulan=_triwulan_rows(ind_rows, p, tw, opd), anggaran=ang_rows,
        lke=_lke_rows(lke_opd, lke_ev, opd), lke_komponen=komponen, tindak_lanjut=tl_rows, issues=sc.issues,
        pagu_program=pagu, realisasi_program=real if any_real else 0.0,
        rencana=_rencana(wb, p, lke_opd is not None or lke_ev is not None),
    )


def _rencana(wb: OPDWorkbook, policy: Policy, answered: bool) -> dict[str, Any] | None:
    """The OPD's improvement plan as plain rows (issue 16), when its LKE has answers."""
    if not answered or policy.lke.metode != "per_kriteria":
        return None
    from ..scoring.rencana import rencana_workbook, ringkas_rencana

    return ringkas_rencana(*rencana_workbook(wb, policy, teratas=5))
