"""The OPD roll-up, decided once: one workbook model in, one frozen :class:`Ringkasan` out.

Everything an OPD's Ringkasan sheet shows, and everything the city summary publishes for that OPD,
comes from :func:`ringkasan`: capaian per indicator (annual, s.d. TW n and per quarter), the raw
and capped means, kategori counts, serapan with its budget-level rule, efisiensi, nilai LKE of the
OPD and of the evaluator with how complete each is, the nilai used and its source, the predikat on
the published (rounded) nilai, the next predikat and the points to it, and the LKE opportunities.

It is built on the cell semantics of the rule registry (:func:`sakip_xl.rules.cell_value`): each
number is what the workbook's own cell shows for the same inputs (a blank for nothing to report,
``#TARGET0`` and friends for a value that cannot be scored), so the reader's cached-value check, the
validator (``sakip-xl periksa``), the consolidator and the add-in's Hitung Ulang all consume the same
values.  The decisions of ``shared/domain.md`` A9 are documented in ``docs/aturan/ringkasan.md``.

Computed once per workbook: the reader builds it (sharing its memo of rule values with the
cached-value check) and hands it to the validator and the consolidator.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict

from ..frozen import freeze
from ..models import OPDWorkbook, Rentang
from ..policy import Policy, default_policy
from .anggaran import flag_efisiensi
from .kategori import next_predikat
from .lke import (
    KerangkaLogisViolation,
    KomponenNilai,
    Kriteria,
    NilaiLKE,
    SubKomponenNilai,
    batas_kerangka,
    load_kriteria,
    sub_komponen_list,
)
from .rollup import SUMBER_EVALUATOR, LKEPeluang, peluang_lke
from .triwulan import TW_LABELS

__all__ = [
    "Masalah",
    "IndikatorRingkasan",
    "TriwulanRingkasan",
    "AnggaranRingkasan",
    "LKERingkasan",
    "Ringkasan",
    "ringkasan",
    "CellValuesFn",
    "memo_cell_values",
]

#: ``(rule key, *arguments) -> cell value``: :func:`sakip_xl.rules.cell_value` for one policy.
CellValuesFn = Callable[..., Any]
_Frozen = Annotated[dict[str, Any], AfterValidator(freeze)]
Quarters = tuple[float | None, float | None, float | None, float | None]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Masalah(_Model):
    """A finding of the roll-up, at its cell: ``periksa`` and the summary report it with this code."""

    code: str
    message: str
    lokasi: str | None = None  # "Sheet!A1"


class IndikatorRingkasan(_Model):
    kode: str
    #: Realisasi (year to date) and Capaian (%) as the Rencana Aksi row shows them (annual capaian:
    #: realisation to date against the annual PK target)
    realisasi: float | None
    capaian: float | None
    kategori: str | None
    #: what the Capaian cell shows instead of a number ("" blank, "#TARGET0" ...)
    teks: str = ""
    #: last quarter with a reported realisation (1..4), None before any report
    tw_terakhir: int | None
    #: Target s.d. TW and Capaian s.d. TW: to date against the target to date of the same type
    target_sd_tw: float | None
    capaian_sd_tw: float | None
    kategori_sd_tw: str | None
    #: capaian per quarter (TW I..IV): None for a quarter never reported (nothing carried forward)
    capaian_tw: Quarters
    #: the capaian this run averages: annual in a full-year run, s.d. TW n in a run to TW n
    dinilai: float | None
    #: the quarter ``dinilai`` stands for (the last one reported up to the run's quarter)
    dinilai_tw: int | None


class TriwulanRingkasan(_Model):
    tw: int
    capaian_rata: float | None
    capaian_rata_dibatasi: float | None
    n_dinilai: int


class AnggaranRingkasan(_Model):
    kode: str
    realisasi: float | None
    serapan: float | None
    teks: str = ""
    melebihi_pagu: bool = False


class LKERingkasan(_Model):
    """One column of the LKE (the OPD's self-assessment, or the evaluator's)."""

    nilai: float | None  # the Nilai LKE cell (None: blank, or ``teks``)
    teks: str = ""
    predikat: str | None
    n_dijawab: int
    n_kriteria: int
    lengkap: bool
    detail: NilaiLKE | None  # sub-components and components, when the column has a nilai
    kerangka_logis: tuple[KerangkaLogisViolation, ...] = ()
    #: the Ringkasan cells of this column as the workbook shows them: sub-component and component
    sub_sel: _Frozen
    komponen_sel: _Frozen


class Ringkasan(_Model):
    """One OPD's roll-up (the Ringkasan sheet and the summary's Per OPD row)."""

    sampai_tw: int
    indikator: tuple[IndikatorRingkasan, ...]
    n_indikator: int
    n_dinilai: int
    capaian_rata: float | None
    capaian_rata_dibatasi: float | None
    kategori_rata: str | None
    jumlah_kategori: _Frozen
    persen_kategori: _Frozen
    triwulan: tuple[TriwulanRingkasan, ...]
    anggaran: tuple[AnggaranRingkasan, ...]
    #: decision A9 "OPD serapan": the one budget level counted (Program, else Kegiatan, else Sub Kegiatan)
    level_anggaran: str | None
    pagu: float | None
    realisasi_tw: Quarters
    realisasi_anggaran: float | None
    serapan: float | None
    indeks_efisiensi: float | None
    flag_efisiensi: bool
    lke_opd: LKERingkasan
    lke_evaluator: LKERingkasan
    status_evaluasi: str
    #: decision A9 "evaluator vs self-assessment": the nilai used, its source and its predikat
    nilai_lke: float | None
    sumber_nilai: str | None
    predikat: str | None
    predikat_berikut: str | None
    poin_ke_predikat_berikut: float | None
    peluang_lke: tuple[LKEPeluang, ...]
    masalah: tuple[Masalah, ...]
    #: every Ringkasan cell as the workbook shows it (number, text, or "" for blank), by defined name
    sel: _Frozen

    @property
    def dievaluasi(self) -> bool:
        """The nilai used is the evaluator's (the OPD counts as evaluated in the city summary)."""
        return self.sumber_nilai == SUMBER_EVALUATOR


def memo_cell_values(policy: Policy) -> CellValuesFn:
    """:func:`sakip_xl.rules.cell_value` remembered by rule and arguments (list arguments as tuples)."""
    from ..rules import cell_value

    memo: dict[tuple[Any, ...], Any] = {}

    def get(key: str, *args: Any) -> Any:
        k = (key, *args, *map(type, args))
        try:
            return memo[k]
        except KeyError:
            v = memo[k] = cell_value(key, *args, policy=policy)
            return v
        except TypeError:
            return cell_value(key, *args, policy=policy)

    return get


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _text(v: Any) -> str:
    return v if isinstance(v, str) else ""


def _label(tw: int) -> str:
    return TW_LABELS[tw - 1]


def _fmt(x: float) -> str:
    return f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _tw_index(label: Any) -> int | None:
    return TW_LABELS.index(label) + 1 if label in TW_LABELS else None


# --------------------------------------------------------------------------- indicators
def _to_date(cv: CellValuesFn, ind: Any, targets: tuple[Any, ...], reals: tuple[Any, ...], lo: Any, hi: Any,
             upto: int) -> tuple[int | None, Any, Any]:
    """(last reported quarter, Target s.d. TW, Capaian s.d. TW) with the quarters after ``upto`` unreported."""
    r = reals[:upto] + (None,) * (4 - upto)
    n = _tw_index(cv("tw_terakhir", r))
    tsd = cv("target_sd_tw", targets, r, ind.tipe_agregasi, lo)
    csd = cv("capaian_sd_tw", tsd, cv("ytd", r, ind.tipe_agregasi), ind.polaritas, hi, targets, r)
    return n, tsd, csd


def _indikator(wb: OPDWorkbook, cv: CellValuesFn, sampai: int, out: list[Masalah]) -> list[IndikatorRingkasan]:
    rows = []
    for ind in wb.indikator:
        lo: Any = ind.target.bawah if isinstance(ind.target, Rentang) else ind.target
        hi: Any = ind.target.atas if isinstance(ind.target, Rentang) else None
        targets: tuple[Any, ...] = tuple(ind.target_tw)
        reals: tuple[Any, ...] = tuple(ind.realisasi_tw)
        if ind.sel:  # a cell the workbook's formulas cannot compute with: compute what the workbook shows
            s = ind.sel
            if "target" in s:
                lo, hi = s["target"], s.get("target_atas")
            elif "target_atas" in s:
                hi = s["target_atas"]
            targets = tuple(s.get(f"target_tw.{i}", v) for i, v in enumerate(targets))
            reals = tuple(s.get(f"realisasi_tw.{i}", v) for i, v in enumerate(reals))
        real = cv("ytd", reals, ind.tipe_agregasi)
        cap = cv("capaian", lo, real, ind.polaritas, hi)
        kat = cv("kategori", cap)

        n, tsd, csd = _to_date(cv, ind, targets, reals, lo, hi, 4)
        per_tw: list[float | None] = []
        for q in range(1, 5):
            # a quarter never reported has no capaian (decision A9): nothing carried forward
            per_tw.append(_num(_to_date(cv, ind, targets, reals, lo, hi, q)[2]) if reals[q - 1] is not None else None)
        if sampai == 4:
            dinilai, dinilai_tw = _num(cap), n
        else:
            n_k, _t, c_k = _to_date(cv, ind, targets, reals, lo, hi, sampai)
            dinilai, dinilai_tw = _num(c_k), n_k
        row = IndikatorRingkasan(
            kode=ind.kode, realisasi=_num(real), capaian=_num(cap), kategori=_text(kat) or None,
            teks=_text(cap), tw_terakhir=n, target_sd_tw=_num(tsd), capaian_sd_tw=_num(csd),
            kategori_sd_tw=_text(cv("kategori", csd)) or None, capaian_tw=(per_tw[0], per_tw[1], per_tw[2], per_tw[3]),
            dinilai=dinilai, dinilai_tw=dinilai_tw,
        )
        rows.append(row)
        _indikator_masalah(ind, row, sampai, lo, out)
    return rows


def _indikator_masalah(ind: Any, row: IndikatorRingkasan, sampai: int, lo: Any, out: list[Masalah]) -> None:
    where = ind.lokasi.get("capaian") or ind.lokasi.get("kode_rencana_aksi") or ind.lokasi.get("kode")
    n = row.dinilai_tw
    if row.dinilai is not None and n is not None and n < sampai:
        if sampai == 4:
            sd = f"; capaian s.d. {_label(n)} {_fmt(row.capaian_sd_tw)} %" if row.capaian_sd_tw is not None else ""
            msg = (f"indikator {ind.kode} baru dilaporkan s.d. {_label(n)}: capaian tahunan {_fmt(row.dinilai)} % "
                   f"membandingkan realisasi s.d. {_label(n)} dengan target setahun{sd}")
        else:
            msg = (f"indikator {ind.kode} belum dilaporkan untuk {_label(sampai)}; dinilai s.d. {_label(n)} "
                   f"({_fmt(row.dinilai)} %)")
        out.append(Masalah(code="CAPAIAN_BELUM_SETAHUN", message=msg, lokasi=where))
    cap = row.capaian
    if cap is not None and cap > 200:
        out.append(Masalah(code="CAPAIAN_TIDAK_WAJAR", lokasi=ind.lokasi.get("target") or where, message=(
            f"capaian indikator {ind.kode} {_fmt(cap)} % (di atas 200 %): periksa satuan target dan realisasi "
            "(Excel menyimpan 60% yang diketik sebagai 0,6)")))
    if ind.polaritas == "negatif" and row.realisasi is not None:
        if lo == 0 and row.realisasi > 0:
            out.append(Masalah(code="CAPAIAN_TARGET_NOL", lokasi=where, message=(
                f"indikator negatif {ind.kode} bertarget 0 dengan realisasi {_fmt(row.realisasi)}: capaian 0 %")))
        elif row.realisasi < 0:
            out.append(Masalah(code="REALISASI_NEGATIF", lokasi=where, message=(
                f"indikator negatif {ind.kode} dengan realisasi negatif ({_fmt(row.realisasi)}): periksa isian")))


def _means(values: Sequence[float | None], cv: CellValuesFn, policy: Policy) -> tuple[Any, Any]:
    """The Rata-rata cells (raw and capped) over these capaian values ("" when none)."""
    vals = tuple(values)
    return cv("rata", vals), cv("rata", vals, policy.cap_rata_rata)


# --------------------------------------------------------------------------- budget
def _anggaran(wb: OPDWorkbook, cv: CellValuesFn, sampai: int,
              out: list[Masalah]) -> tuple[list[AnggaranRingkasan], dict[str, Any], dict[str, Any]]:
    """Per-line serapan and the OPD's, with realisation to the run's quarter (amounts are increments)."""
    lines = []
    reals = [tuple(a.sel.get(f"realisasi_tw.{i}", v) for i, v in enumerate(a.realisasi_tw[:sampai]))
             + (None,) * (4 - sampai) for a in wb.anggaran]
    for a, tw in zip(wb.anggaran, reals, strict=True):
        ser = cv("serapan", a.sel.get("pagu", a.pagu), tw)
        present = [v for v in tw if isinstance(v, float)]
        real = float(sum(present)) if present else None
        lines.append(AnggaranRingkasan(
            kode=a.kode, realisasi=real, serapan=_num(ser), teks=_text(ser),
            melebihi_pagu=bool(real is not None and a.pagu is not None and real > a.pagu)))
        if ser == "#PAGU0":
            out.append(Masalah(code="AGG_PAGU_NOL", lokasi=a.lokasi.get("pagu") or a.lokasi.get("kode"), message=(
                f"pagu {a.kode} 0 padahal realisasinya {_fmt(real or 0.0)}: serapan tidak dapat dihitung")))
    levels = tuple(a.level for a in wb.anggaran)
    pagus = tuple(a.sel.get("pagu", a.pagu) for a in wb.anggaran)
    level = cv("level_anggaran", levels, pagus)
    pagu = cv("jumlah_level", levels, pagus, level)
    rtw = tuple(cv("jumlah_level", levels, tuple(r[i] for r in reals), level) for i in range(4))
    ser = cv("serapan", pagu, rtw)
    nums = [v for v in rtw if _num(v) is not None]
    cells = {"Level_Anggaran": level, "Pagu_Anggaran": pagu, "Serapan_Anggaran": ser,
             **{f"Realisasi_Anggaran_TW{i + 1}": v for i, v in enumerate(rtw)}}
    return lines, cells, {
        "level_anggaran": _text(level) or None, "pagu": _num(pagu),
        "realisasi_tw": tuple(_num(v) for v in rtw), "realisasi_anggaran": float(sum(nums)) if nums else None,
        "serapan": _num(ser),
    }


# --------------------------------------------------------------------------- LKE
def _lke(wb: OPDWorkbook, ks: Sequence[Kriteria], cv: CellValuesFn, policy: Policy,
         attr: str) -> LKERingkasan:
    answers = {j.kode: getattr(j, attr) for j in wb.lke}
    scores = tuple(cv("score", answers.get(k.kode), k.jenis_jawaban) for k in ks)
    kodes = tuple(k.kode for k in ks)
    subs_col = tuple(k.kode_sub for k in ks)
    members: dict[str, list[Any]] = {}
    for k, v in zip(ks, scores, strict=True):
        members.setdefault(k.kode_sub, []).append(v)
    sub_cells: list[tuple[tuple[str, str, str, float], Any]] = []
    komponen: dict[str, list[Any]] = {}
    for sub in sub_komponen_list(list(ks)):
        kode_sub, _komp, _nama, bobot = sub
        vals = tuple(members[kode_sub])
        v = cv("lke_sub", vals, (kode_sub,) * len(vals), kode_sub, bobot)
        sub_cells.append((sub, v))
        komponen.setdefault(kode_sub.split(".")[0], []).append(v)
    komp_cells = {kode: cv("jumlah", tuple(vals)) for kode, vals in komponen.items()}
    total = cv("jumlah", tuple(komp_cells.values()))
    n_dijawab = int(cv("jumlah_dijawab", scores))
    nilai = _num(total)
    detail = None
    if nilai is not None:
        bobot_komp = {k.kode_komponen: k.bobot_komponen for k in ks}
        nama_komp = {k.kode_komponen: k.komponen for k in ks}
        sub_models = []
        for (kode_sub, komp, nama, bobot), v in sub_cells:
            x = _num(v) or 0.0
            member = members[kode_sub]
            sub_models.append(SubKomponenNilai(
                kode=kode_sub, komponen=komp, nama=nama, bobot=bobot, n_kriteria=len(member),
                n_dijawab=sum(1 for s in member if _num(s) is not None), rata=x / bobot if bobot else 0.0, nilai=x))
        detail = NilaiLKE(
            sub_komponen=sub_models,
            komponen=[KomponenNilai(kode=kode, nama=nama_komp[kode], bobot=bobot_komp[kode], nilai=_num(v) or 0.0)
                      for kode, v in komp_cells.items()],
            total=nilai, n_dijawab=n_dijawab, n_kriteria=len(ks))
    return LKERingkasan(
        nilai=nilai, teks=_text(total), predikat=_text(cv("predikat", total)) or None,
        n_dijawab=n_dijawab, n_kriteria=len(ks), lengkap=n_dijawab >= len(ks) > 0, detail=detail,
        kerangka_logis=tuple(_kerangka(ks, scores, kodes, subs_col, policy)),
        sub_sel={sub[0]: v for sub, v in sub_cells}, komponen_sel=komp_cells,
    )


def _kerangka(ks: Sequence[Kriteria], scores: tuple[Any, ...], kodes: tuple[str, ...], subs: tuple[str, ...],
              policy: Policy) -> list[KerangkaLogisViolation]:
    """The violations the LKE sheet's Kerangka Logis column shows (same rule: batas_kerangka)."""
    nilai = {k: _num(v) for k, v in zip(kodes, scores, strict=True)}
    anggota: dict[str, list[float | None]] = {}
    for s, v in zip(subs, scores, strict=True):
        anggota.setdefault(s, []).append(_num(v))
    out = []
    for k, v in zip(ks, scores, strict=True):
        x = _num(v)
        if x is None or not k.tergantung_pada:
            continue
        for dep, label, limit in batas_kerangka(k.acuan, nilai, anggota, policy.lke.kosong_bernilai_nol):
            if x > limit + 1e-9:
                what = (f"rata-rata sub komponen {label.removeprefix('rata-rata ')}" if label.startswith("rata-rata")
                        else f"jawaban kriteria {label}")
                out.append(KerangkaLogisViolation(
                    kode=k.kode, acuan=dep, nilai=x, batas=limit,
                    message=f"Kerangka logis: nilai kriteria {k.kode} ({x:g}) melebihi {what} ({limit:g})"))
    return out


# --------------------------------------------------------------------------- the roll-up
def ringkasan(wb: OPDWorkbook, policy: Policy | None = None, *, kriteria: Sequence[Kriteria] | None = None,
              sampai_tw: int | None = None, values: CellValuesFn | None = None) -> Ringkasan:
    """Roll one OPD workbook up (pure: the inputs of ``wb`` and the policy decide everything).

    ``sampai_tw`` (1-4, default 4) is the run's quarter: in a full-year run each indicator's annual
    capaian is averaged (labelled and warned about when its last reported quarter is before TW IV);
    in a run to TW n its capaian s.d. TW n.  ``values`` is a memo of the rule registry's cell values
    (the reader passes its own, so each rule value is computed once per workbook).
    """
    p = policy or default_policy()
    ks = list(kriteria) if kriteria is not None else load_kriteria(p)
    cv = values if values is not None else memo_cell_values(p)
    sampai = sampai_tw or 4
    masalah: list[Masalah] = []

    inds = _indikator(wb, cv, sampai, masalah)
    dinilai = [r.dinilai for r in inds]
    raw_cell, capped_cell = _means(dinilai, cv, p)
    raw, capped = _num(raw_cell), _num(capped_cell)
    scored = [c for c in dinilai if c is not None]
    counts = {label: 0 for label in p.kategori_labels}
    for c in scored:
        counts[_text(cv("kategori", c))] += 1
    shares = {k: (v / len(scored) * 100 if scored else 0.0) for k, v in counts.items()}
    triwulan = []
    for q in range(1, sampai + 1):
        vals = [r.capaian_tw[q - 1] for r in inds]
        q_raw, q_capped = _means(vals, cv, p)
        triwulan.append(TriwulanRingkasan(tw=q, capaian_rata=_num(q_raw), capaian_rata_dibatasi=_num(q_capped),
                                          n_dinilai=sum(1 for v in vals if v is not None)))

    lines, budget_cells, budget = _anggaran(wb, cv, sampai, masalah)
    ser = budget["serapan"]
    efis_cell = cv("efisiensi", capped_cell, budget_cells["Serapan_Anggaran"])
    efis = _num(efis_cell)
    flag = capped is not None and ser is not None and flag_efisiensi(capped, ser, p.ambang_serapan_tinggi)

    opd = _lke(wb, ks, cv, p, "jawaban_opd")
    ev = _lke(wb, ks, cv, p, "jawaban_evaluator")
    status = (wb.profil.status_evaluasi or "Draf").strip() or "Draf"
    kodes = tuple(k.kode for k in ks)
    opd_cell = opd.nilai if opd.nilai is not None else opd.teks
    ev_cell = ev.nilai if ev.nilai is not None else ev.teks
    used = cv("nilai_dipakai", opd_cell, ev_cell, float(ev.n_dijawab), kodes, status)
    sumber_cell = cv("sumber_nilai", opd_cell, ev_cell, float(ev.n_dijawab), kodes, status)
    sumber = _text(sumber_cell) or None
    nilai = _num(used)
    pred_cell = cv("predikat", used)
    pred = _text(pred_cell) or None
    nxt = pts = None
    if nilai is not None and 0 <= nilai <= 100:
        step = next_predikat(nilai, p)
        if step is not None:
            nxt, pts = step
    side = ev if sumber == SUMBER_EVALUATOR else opd
    peluang = tuple(peluang_lke(side.detail)) if side.detail is not None and nilai is not None else ()
    if ev.n_dijawab and sumber != SUMBER_EVALUATOR:
        masalah.append(Masalah(code="LKE_EVALUASI_BELUM_FINAL", lokasi=None, message=(
            f"evaluator baru menjawab {ev.n_dijawab} dari {ev.n_kriteria} kriteria dan Status Evaluasi belum "
            f"Final: nilai yang dipakai nilai mandiri OPD"
            + (f" ({_fmt(opd.nilai)})" if opd.nilai is not None else ""))))

    sel: dict[str, Any] = {
        "Capaian_Rata": raw_cell, "Capaian_Rata_Dibatasi": capped_cell, "Kategori_Rata": cv("kategori", capped_cell),
        **budget_cells, "Indeks_Efisiensi": efis_cell,
        "Nilai_LKE": opd_cell, "Predikat": opd.predikat or "", "Jumlah_Dijawab": float(opd.n_dijawab),
        "Nilai_LKE_Evaluator": ev_cell, "Predikat_Evaluator": ev.predikat or "",
        "Jumlah_Dijawab_Evaluator": float(ev.n_dijawab),
        "Nilai_LKE_Dipakai": used, "Sumber_Nilai": sumber_cell, "Predikat_Dipakai": pred_cell,
    }
    return Ringkasan(
        sel=sel, sampai_tw=sampai, indikator=tuple(inds), n_indikator=len(inds), n_dinilai=len(scored),
        capaian_rata=raw, capaian_rata_dibatasi=capped, kategori_rata=_text(cv("kategori", capped)) or None,
        jumlah_kategori=counts, persen_kategori=shares, triwulan=tuple(triwulan), anggaran=tuple(lines),
        **budget, indeks_efisiensi=efis, flag_efisiensi=bool(flag),
        lke_opd=opd, lke_evaluator=ev, status_evaluasi=status,
        nilai_lke=nilai, sumber_nilai=sumber, predikat=pred, predikat_berikut=nxt,
        poin_ke_predikat_berikut=pts, peluang_lke=peluang, masalah=tuple(masalah),
    )
