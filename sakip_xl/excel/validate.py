"""Rule checks over the models of one OPD workbook -> ``list[Issue]``.

Works on any :class:`~sakip_xl.models.OPDWorkbook` (read from a file or built in code); cells come
from each model's ``lokasi`` (field -> ``"Sheet!A1"``) and, for Profil and Ringkasan, from the
``cells`` mapping the reader passes.  Every number is judged through the scoring functions
(:mod:`sakip_xl.scoring`), never a restated formula.  Codes, severities and usual fixes are in
:mod:`.codes` and ``docs/kode-masalah.md``.

Decisions (documented in ``docs/kode-masalah.md``):

* kumulatif indicators: quarters are increments, so a negative quarter is an error
  (``RA_KUMULATIF_NEGATIF``): the realisation went down, or a running total was typed;
  quarterly targets that rise to exactly the annual target in TW IV (a running total) get that
  explanation in ``RA_TARGET_TW_TIDAK_SESUAI``;
* quarterly targets are compared with the annual target only when all four are filled; the
  tolerance is 0.5 % of the annual target (at least 0.01), for rounding such as 33,33 x 3;
* a filled quarter after an empty one is a warning (``RA_TW_LONCAT``);
* the A4 flag, the mid-year labels, the implausible-capaian warnings, zero pagu, the evaluator's
  completeness and the kerangka logis chain come from the one roll-up
  (:func:`sakip_xl.scoring.ringkasan.ringkasan`), so ``periksa`` and the summary say the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ..errors import InvalidAnswer, NoData, ScoringError
from ..issues import Issue
from ..models import AnggaranLine, Indikator, OPDWorkbook, Rentang
from ..policy import Policy, default_policy
from ..scoring import anggaran as sc_anggaran
from ..scoring import capaian, nilai_jawaban, ytd
from ..scoring.lke import Kriteria, load_kriteria
from ..scoring.ringkasan import Ringkasan, ringkasan
from .codes import make_issue

__all__ = ["validate", "TOLERANSI_TARGET_TW"]

#: Relative tolerance between quarterly and annual targets (with an absolute floor of 0.01).
TOLERANSI_TARGET_TW = 0.005
_PROFIL_LABELS = {"opd_kode": "Kode OPD", "opd_nama": "Nama OPD", "tahun": "Tahun", "kepala_nama": "Nama Kepala OPD",
                  "kepala_nip": "NIP Kepala", "kepala_jabatan": "Jabatan Kepala", "atasan_nama": "Nama Atasan",
                  "atasan_jabatan": "Jabatan Atasan"}
_REQUIRED = ("OPD_Kode", "OPD_Nama", "Tahun", "Kepala_Nama")
_TW_NAMES = ("TW I", "TW II", "TW III", "TW IV")


class _Out:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, code: str, message: str, where: str | None, hint: str | None = None) -> None:
        sheet, _, cell = (where or "").rpartition("!")
        self.issues.append(make_issue(code, message, sheet=sheet or None, cell=cell or None, hint=hint))


def _fmt(x: float) -> str:
    return f"{x:,.6g}".replace(",", "_").replace(".", ",").replace("_", ".")


# --------------------------------------------------------------------------- Profil
def _profil(wb: OPDWorkbook, policy: Policy, today: dt.date, cells: Mapping[str, str],
            required: Sequence[str], out: _Out) -> None:
    from .contract import PROFIL_NAMES

    p = wb.profil
    for name in required:
        fieldname = PROFIL_NAMES[name]
        value = getattr(p, fieldname)
        if value is None or (isinstance(value, str) and not value.strip()):
            out.add("PROFIL_WAJIB", f"{_PROFIL_LABELS.get(fieldname, name)} wajib diisi", cells.get(f"profil.{fieldname}"))
    if p.tahun is not None and not policy.tahun_minimum <= p.tahun <= today.year + 1:
        out.add("TAHUN_TIDAK_WAJAR", f"Tahun {p.tahun} tidak wajar (harus antara {policy.tahun_minimum} dan "
                f"{today.year + 1})", cells.get("profil.tahun"))


# --------------------------------------------------------------------------- PK and Rencana Aksi
def _target_check(ind: Indikator, out: _Out) -> None:
    where = ind.lokasi.get("target")
    if ind.target is None:
        out.add("PK_TARGET_KOSONG", f"target tahunan indikator {ind.kode} kosong; capaian tidak dapat dihitung", where)
        return
    try:
        capaian(ind.target_value, 1.0, ind.polaritas)
    except NoData:
        pass
    except ScoringError as exc:
        t = ind.target
        shown = f"{_fmt(t.bawah)}–{_fmt(t.atas)}" if isinstance(t, Rentang) else _fmt(t)
        out.add("PK_TARGET_TIDAK_DAPAT_DINILAI",
                f"target indikator {ind.kode} ({shown}, polaritas {ind.polaritas}): {exc.message}", where)


def _quarters(ind: Indikator, attr: str, label: str, out: _Out, invalid: Collection[str]) -> None:
    values: list[float | None] = getattr(ind, attr)
    # a cell whose content was refused is not "empty": it already has its own error
    blank = [v is None and ind.lokasi.get(f"{attr}.{i}") not in invalid for i, v in enumerate(values)]
    seen_blank = False
    for i, v in enumerate(values):
        where = ind.lokasi.get(f"{attr}.{i}")
        if v is None:
            seen_blank = seen_blank or blank[i]
            continue
        if seen_blank:
            first_blank = next(j for j in range(i) if blank[j])
            out.add("RA_TW_LONCAT", f"{label} {_TW_NAMES[i]} indikator {ind.kode} diisi padahal "
                    f"{_TW_NAMES[first_blank]} kosong", where)
            seen_blank = False
        if ind.tipe_agregasi == "kumulatif" and v < 0:
            out.add("RA_KUMULATIF_NEGATIF", f"{label} {_TW_NAMES[i]} indikator kumulatif {ind.kode} bernilai "
                    f"{_fmt(v)}: nilai triwulan kumulatif adalah tambahan, tidak boleh negatif", where)


def _annual_check(ind: Indikator, out: _Out) -> None:
    tw = ind.target_tw
    if ind.target is None or any(v is None for v in tw):
        return
    try:
        value = ytd(tw, ind.tipe_agregasi, 4)
    except ScoringError:
        return
    how = {"kumulatif": "jumlah target triwulan", "akhir": "target TW IV",
           "rata-rata": "rata-rata target triwulan"}[ind.tipe_agregasi]
    if isinstance(ind.target, Rentang):
        lo, hi = ind.target.as_tuple()
        tol = max(TOLERANSI_TARGET_TW * hi, 0.01)
        if lo - tol <= value <= hi + tol:
            return
        annual = f"{_fmt(lo)} s.d. {_fmt(hi)}"
    else:
        tol = max(TOLERANSI_TARGET_TW * abs(ind.target), 0.01)
        if abs(value - ind.target) <= tol:
            return
        annual = _fmt(ind.target)
    hint = None
    if (ind.tipe_agregasi == "kumulatif" and not isinstance(ind.target, Rentang)
            and abs(float(tw[3] or 0) - ind.target) <= tol
            and all(a is not None and b is not None and a <= b for a, b in zip(tw, tw[1:], strict=False))):
        hint = ("Target triwulan tampaknya diisi s.d. triwulan (TW IV = target tahunan); untuk tipe kumulatif "
                "isi tambahan per triwulan, atau ubah tipe agregasi menjadi akhir.")
    out.add("RA_TARGET_TW_TIDAK_SESUAI", f"indikator {ind.kode} ({ind.tipe_agregasi}): {how} {_fmt(value)} "
            f"tidak sama dengan target tahunan {annual}", ind.lokasi.get("target_tw.3") or ind.lokasi.get("target"),
            hint)


def _indikator(wb: OPDWorkbook, out: _Out, invalid: Collection[str]) -> None:
    first: dict[str, Indikator] = {}
    for ind in wb.indikator:
        key = ind.kode.strip().casefold()
        if key in first:
            out.add("PK_KODE_GANDA", f"Kode {ind.kode} dipakai lebih dari sekali", ind.lokasi.get("kode"))
        first.setdefault(key, ind)
        if not ind.nama.strip():
            out.add("PK_INDIKATOR_KOSONG", f"Indikator Kinerja untuk Kode {ind.kode} kosong", ind.lokasi.get("nama"))
        _target_check(ind, out)
        _quarters(ind, "target_tw", "target", out, invalid)
        _quarters(ind, "realisasi_tw", "realisasi", out, invalid)
        _annual_check(ind, out)


# --------------------------------------------------------------------------- Anggaran
_PARENT_LEVEL = {"Kegiatan": "Program", "Sub Kegiatan": "Kegiatan"}


def _negatif(a: AnggaranLine, out: _Out) -> None:
    if a.pagu is not None and a.pagu < 0:
        out.add("AGG_NEGATIF", f"pagu {a.kode} negatif ({_fmt(a.pagu)})", a.lokasi.get("pagu"))
    for i, v in enumerate(a.realisasi_tw):
        if v is not None and v < 0:
            out.add("AGG_NEGATIF", f"realisasi {_TW_NAMES[i]} {a.kode} negatif ({_fmt(v)})",
                    a.lokasi.get(f"realisasi_tw.{i}"))


def _anggaran(lines: Sequence[AnggaranLine], out: _Out) -> None:
    by_kode = {a.kode.strip(): a for a in lines}
    for a in lines:
        _negatif(a, out)
        want = _PARENT_LEVEL.get(a.level)
        induk = (a.induk or "").strip()
        if want is None:
            if induk:
                out.add("AGG_INDUK_LEVEL", f"Program {a.kode} tidak boleh punya Induk ({induk})", a.lokasi.get("induk"))
        elif not induk:
            out.add("AGG_INDUK_KOSONG", f"{a.level} {a.kode} tanpa Induk ({want})", a.lokasi.get("induk"))
        elif induk not in by_kode:
            out.add("AGG_INDUK_TIDAK_ADA", f"Induk {induk} dari {a.kode} tidak ada di tabel anggaran", a.lokasi.get("induk"))
        elif by_kode[induk].level != want:
            out.add("AGG_INDUK_LEVEL", f"Induk {a.level} {a.kode} harus {want}, bukan {by_kode[induk].level} {induk}",
                    a.lokasi.get("induk"))
        try:
            real = sc_anggaran.realisasi_anggaran(a.realisasi_tw)
        except ScoringError:
            continue
        if a.pagu is not None and a.pagu >= 0 and real > a.pagu + 0.5:
            out.add("AGG_REALISASI_MELEBIHI_PAGU", f"realisasi {a.kode} ({_fmt(real)}) melebihi pagu ({_fmt(a.pagu)})",
                    a.lokasi.get("serapan") or a.lokasi.get("pagu"))
    children: dict[str, list[AnggaranLine]] = {}
    for a in lines:
        if a.induk and a.induk.strip() in by_kode and _PARENT_LEVEL.get(a.level) == by_kode[a.induk.strip()].level:
            children.setdefault(a.induk.strip(), []).append(a)
    for kode, kids in children.items():
        parent = by_kode[kode]
        pagus = [k.pagu for k in kids if k.pagu is not None]
        if parent.pagu is None or not pagus:
            continue
        total = float(sum(pagus))
        if abs(total - parent.pagu) > 0.5:
            out.add("AGG_PAGU_TIDAK_SESUAI", f"jumlah pagu {len(kids)} anak dari {parent.level} {kode} "
                    f"{_fmt(total)}, pagu {kode} {_fmt(parent.pagu)}", parent.lokasi.get("pagu"))


# --------------------------------------------------------------------------- LKE
def _lke(wb: OPDWorkbook, ks: Sequence[Kriteria], policy: Policy, rk: Ringkasan, out: _Out) -> None:
    by_kode = {k.kode: k for k in ks}
    lokasi = {j.kode: j.lokasi for j in wb.lke}
    # the outcome of each distinct (answer, jenis): a workbook repeats a handful of them
    outcome: dict[tuple[Any, ...], type[ScoringError] | None] = {}
    for who, attr, side in (("OPD", "jawaban_opd", rk.lke_opd), ("evaluator", "jawaban_evaluator", rk.lke_evaluator)):
        for j in wb.lke:
            ans = getattr(j, attr)
            k = by_kode.get(j.kode)
            if ans is None or k is None:
                continue
            key = (type(ans), ans, k.jenis_jawaban)
            if key not in outcome:
                try:
                    nilai_jawaban(ans, k.jenis_jawaban, policy)
                    outcome[key] = None
                except InvalidAnswer:
                    outcome[key] = InvalidAnswer
                except NoData:
                    outcome[key] = NoData
            failed = outcome[key]
            if failed is InvalidAnswer:
                choices = ", ".join(policy.nilai_jawaban.get(k.jenis_jawaban, {}))
                out.add("LKE_JAWABAN_TIDAK_SAH", f"jawaban {who} “{ans}” untuk kriteria {j.kode} tidak sesuai jenis "
                        f"{k.jenis_jawaban} (pilihan: {choices})", j.lokasi.get(attr))
                continue
        # the whole chain at once, as the LKE sheet's Kerangka Logis column shows it (the roll-up's rule)
        for v in side.kerangka_logis:
            out.add("LKE_KERANGKA_LOGIS", f"jawaban {who}: {v.message}", lokasi.get(v.kode, {}).get(attr))


# --------------------------------------------------------------------------- Tindak Lanjut, A4
def _tindak_lanjut(wb: OPDWorkbook, today: dt.date, out: _Out) -> None:
    for t in wb.tindak_lanjut:
        if t.batas_waktu is not None and t.batas_waktu < today and t.status != "Selesai":
            out.add("TL_LEWAT_BATAS", f"tindak lanjut no {t.no}: batas waktu {t.batas_waktu:%d/%m/%Y} sudah lewat, "
                    f"status {t.status}", t.lokasi.get("status") or t.lokasi.get("batas_waktu"))


def _ringkasan(rk: Ringkasan, cells: Mapping[str, str], policy: Policy, out: _Out) -> None:
    """What the roll-up found (mid-year labels, implausible capaian, zero pagu, evaluator not final)
    and the A4 flag on the same serapan the Ringkasan shows."""
    for m in rk.masalah:
        where = m.lokasi
        if where is None and m.code == "LKE_EVALUASI_BELUM_FINAL":
            where = cells.get("profil.status_evaluasi") or cells.get("ringkasan.Nilai_LKE_Evaluator")
        out.add(m.code, m.message, where)
    if rk.flag_efisiensi and rk.capaian_rata_dibatasi is not None and rk.serapan is not None:
        out.add("SERAPAN_TINGGI_CAPAIAN_RENDAH", f"rata-rata capaian {_fmt(rk.capaian_rata_dibatasi)}% (< 100%) "
                f"sementara serapan anggaran {_fmt(rk.serapan)}% (>= ambang {_fmt(policy.ambang_serapan_tinggi)}%)",
                cells.get("ringkasan.Serapan_Anggaran"))


def validate(wb: OPDWorkbook, policy: Policy | None = None, *, kriteria: Sequence[Kriteria] | None = None,
             today: dt.date | None = None, cells: Mapping[str, str] | None = None,
             required_profil: Sequence[str] = _REQUIRED,
             invalid_cells: Collection[str] = (), ringkasan: Ringkasan | None = None) -> list[Issue]:
    """Every rule over ``wb``; never raises for bad data (each problem is an Issue).

    ``invalid_cells`` (``"Sheet!A1"``) are cells whose content the reader refused: they hold None in
    the model but are not treated as empty by the order checks.  ``ringkasan`` is the workbook's
    roll-up when the caller already has it (the reader does); otherwise it is computed here.
    """
    p = policy or default_policy()
    ks = kriteria if kriteria is not None else load_kriteria(p)
    day = today or dt.date.today()
    c = cells or {}
    out = _Out()
    _profil(wb, p, day, c, required_profil, out)
    _indikator(wb, out, invalid_cells)
    _anggaran(wb.anggaran, out)
    rk = ringkasan if ringkasan is not None else _rollup(wb, p, ks)
    _lke(wb, ks, p, rk, out)
    _tindak_lanjut(wb, day, out)
    _ringkasan(rk, c, p, out)
    return out.issues


def _rollup(wb: OPDWorkbook, policy: Policy, ks: Sequence[Kriteria]) -> Ringkasan:
    return ringkasan(wb, policy, kriteria=ks)
