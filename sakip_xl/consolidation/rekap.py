"""The city summary (Rekap): pandas DataFrames built from the per-file results, and its writers.

:func:`build_rekap` is the cross-file step: it picks the year, reports (never merges) two
workbooks for the same OPD, compares with the list of expected OPDs, ranks the OPDs and rolls the
city up with the scoring functions.  :class:`Rekap` holds the result and writes it to Excel, CSV or
Parquet.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..atomic import atomic_path
from ..errors import NoData
from ..issues import Issue, Severity, count_by_severity, sort_issues
from ..policy import Policy
from ..scoring import TW_LABELS, efisiensi, rata_capaian, serapan, share_at_or_above
from .export import safe_frame
from .sources import OPDHarapan

if TYPE_CHECKING:
    from .engine import FileResult

__all__ = ["Rekap", "build_rekap", "angka", "atomic_path"]

STATUS_REKAP_OK = "Dikonsolidasi"
STATUS_DUPLIKAT = "Duplikat: tidak dikonsolidasi"
STATUS_TAHUN_LAIN = "Tahun lain: tidak dikonsolidasi"
STATUS_TANPA_KODE = "Tanpa kode OPD: tidak dikonsolidasi"
STATUS_TIDAK = "Tidak dikonsolidasi"
#: Per OPD "Status Nilai": the nilai used is the evaluator's, or still the OPD's own (decision A9)
STATUS_DIEVALUASI = "Dievaluasi"
STATUS_BELUM_DIEVALUASI = "Belum dievaluasi"

DATAFRAMES = ("opd", "indikator", "triwulan", "anggaran", "lke", "lke_komponen", "tindak_lanjut",
              "masalah", "sumber")


def angka(x: float | None, desimal: int = 2) -> str:
    """A number the Indonesian way: 1.234,56 (blank for None)."""
    if x is None:
        return "–"
    text = f"{x:,.{desimal}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _tanda(x: float | None) -> str:
    """A change with its sign: +1,50 / -0,25 (a dash for None)."""
    return angka(x) if x is None or x < 0 else "+" + angka(x)


@dataclass
class Rekap:
    """The consolidated city summary.  DataFrames use snake_case column names."""

    opd: pd.DataFrame
    indikator: pd.DataFrame
    triwulan: pd.DataFrame
    anggaran: pd.DataFrame
    lke: pd.DataFrame
    lke_komponen: pd.DataFrame
    tindak_lanjut: pd.DataFrame
    masalah: pd.DataFrame
    sumber: pd.DataFrame
    kota: dict[str, Any]
    policy: Policy
    issues: list[Issue]
    sampai_tw: int | None = None
    tahun: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    #: the improvement plan (issue 16): per OPD in ranking order, and the city's
    rencana: list[dict[str, Any]] = field(default_factory=list)
    rencana_kota: dict[str, Any] | None = None

    # ------------------------------------------------------------------ state
    @property
    def n_galat(self) -> int:
        return count_by_severity(self.issues)[Severity.ERROR]

    @property
    def n_peringatan(self) -> int:
        return count_by_severity(self.issues)[Severity.WARNING]

    @property
    def bersih(self) -> bool:
        """True when no workbook had an error."""
        return self.n_galat == 0

    @property
    def indikator_terlemah(self) -> pd.DataFrame:
        """The ten indicators with the lowest capaian (ties: OPD code, indicator code)."""
        df = self.indikator
        if df.empty:
            return df
        scored = df[df["capaian"].notna()]
        return scored.sort_values(["capaian", "opd_kode", "kode"], kind="stable").head(10)

    def add_issues(self, issues: Sequence[Issue]) -> None:
        """Add issues found after the roll-up (the Masalah table and the city counts follow)."""
        self.issues = sort_issues([*self.issues, *issues])
        self.masalah = _frame(_issue_rows(self.issues), MASALAH_COLUMNS)
        self.kota["n_galat"] = self.n_galat
        self.kota["n_peringatan"] = self.n_peringatan

    # ------------------------------------------------------------------ writers
    def to_excel(self, path: str | Path) -> Path:
        """Write the summary workbook (atomically: an existing file is replaced only when done)."""
        from .summary_xlsx import write_summary

        out = Path(path)
        with atomic_path(out) as tmp:
            write_summary(self, tmp)
        return out

    def _frames(self) -> dict[str, pd.DataFrame]:
        frames = {name: getattr(self, name) for name in DATAFRAMES}
        frames["ringkasan_kota"] = pd.DataFrame(
            [{"kunci": k, "nilai": _plain(v)} for k, v in self.kota.items()]
        )
        return frames

    def to_csv(self, folder: str | Path) -> list[Path]:
        """One UTF-8 CSV (with BOM, for Excel) per DataFrame, plus ``ringkasan_kota.csv``.

        Text that a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage
        return) is written with a leading apostrophe (:mod:`sakip_xl.consolidation.export`)."""
        out = []
        for name, df in self._frames().items():
            p = Path(folder) / f"{name}.csv"
            with atomic_path(p) as tmp:
                safe_frame(df).to_csv(tmp, index=False, encoding="utf-8-sig")
            out.append(p)
        return out

    def to_parquet(self, folder: str | Path) -> list[Path]:
        """One Parquet file per DataFrame (needs pyarrow, the ``parquet`` extra); text escaped as in
        :meth:`to_csv`."""
        out = []
        for name, df in self._frames().items():
            p = Path(folder) / f"{name}.parquet"
            with atomic_path(p) as tmp:
                _parquet_safe(safe_frame(df)).to_parquet(tmp, index=False)
            out.append(p)
        return out

    # ------------------------------------------------------------------ reports
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (city figures, OPD table, issue counts)."""
        return {
            "kota": {k: _plain(v) for k, v in self.kota.items()},
            "opd": [{k: _plain(v) for k, v in row.items()} for row in self.opd.to_dict("records")],
            "masalah": {"galat": self.n_galat, "peringatan": self.n_peringatan},
            "berkas": [{k: _plain(v) for k, v in row.items()} for row in self.sumber.to_dict("records")],
        }

    def ringkasan_teks(self) -> str:
        """A one-screen summary in Bahasa Indonesia (the CLI prints it)."""
        return ringkasan_teks(self)


def _plain(v: Any) -> Any:
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):  # NaN
        return None
    if hasattr(v, "item") and not isinstance(v, (list, dict, str)):
        try:
            return v.item()
        except (AttributeError, ValueError):
            return v
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def _parquet_safe(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            kinds = {type(v) for v in out[col] if v is not None and v == v}
            if len(kinds) > 1:
                out[col] = out[col].map(lambda v: None if v is None or v != v else str(v))
    return out


# ====================================================================== building
MASALAH_COLUMNS = ("berkas", "lembar", "sel", "kode", "tingkat", "pesan", "saran")


def _issue_rows(issues: Sequence[Issue]) -> list[dict[str, Any]]:
    return [
        {"berkas": i.file, "lembar": i.sheet, "sel": i.cell, "kode": i.code,
         "tingkat": i.severity.label, "pesan": i.message, "saran": i.hint}
        for i in issues
    ]


def _pick_year(results: Sequence[FileResult], tahun: int | None) -> int | None:
    if tahun is not None:
        return tahun
    years = Counter(r.opd.tahun for r in results if r.opd is not None and r.opd.tahun is not None)
    if not years:
        return None
    return max(years.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _issue(r: FileResult, code: str, message: str, hint: str | None = None,
           severity: Severity = Severity.ERROR) -> None:
    r.issues.append(Issue(code=code, severity=severity, file=r.nama, message=message, hint=hint))


def _select(results: Sequence[FileResult], year: int | None) -> tuple[list[FileResult], dict[int, str]]:
    """The files whose OPD is consolidated, and a rekap status for every file."""
    status: dict[int, str] = {}
    candidates: list[FileResult] = []
    for r in results:
        if r.opd is None:
            status[r.index] = STATUS_TIDAK
        elif not r.opd.kode.strip():
            status[r.index] = STATUS_TANPA_KODE
            _issue(r, "REKAP_TANPA_KODE", "Kode OPD kosong; workbook tidak dapat dikonsolidasi.",
                   "Isi kode OPD pada lembar Profil.")
        elif year is not None and r.opd.tahun != year:
            status[r.index] = STATUS_TAHUN_LAIN
            _issue(r, "REKAP_TAHUN_LAIN",
                   f"Workbook untuk tahun {r.opd.tahun if r.opd.tahun is not None else '(kosong)'}, "
                   f"sedangkan rekap untuk tahun {year}.",
                   "Periksa isian Tahun pada lembar Profil, atau jalankan dengan --tahun.")
        else:
            candidates.append(r)
    groups: dict[str, list[FileResult]] = defaultdict(list)
    for r in candidates:
        assert r.opd is not None
        groups[r.opd.kode.strip()].append(r)
    chosen: list[FileResult] = []
    for kode, grp in groups.items():
        if len(grp) == 1:
            chosen.append(grp[0])
            status[grp[0].index] = STATUS_REKAP_OK
            continue
        names = [g.nama for g in grp]
        for g in grp:
            status[g.index] = STATUS_DUPLIKAT
            others = ", ".join(n for n in names if n != g.nama)
            _issue(g, "REKAP_DUPLIKAT",
                   f"OPD {kode} tahun {year} juga ada di {others}; tidak ada yang dikonsolidasi "
                   "sampai hanya satu workbook yang tersisa.",
                   "Simpan satu workbook per OPD per tahun di folder konsolidasi.")
    chosen.sort(key=lambda r: r.index)
    return chosen, status


def _sub_name(nama: str, komponen: str) -> str:
    """"Pemanfaatan: Perencanaan ... telah ..." of component "Perencanaan Kinerja" -> "Pemanfaatan
    Perencanaan Kinerja" (the sub-component's kind and its component, in words)."""
    kind = nama.split(":", 1)[0].strip() if ":" in nama else nama
    return f"{kind} {komponen}".strip() if komponen else kind


def _peluang_text(items: list[dict[str, Any]], plan: dict[str, Any] | None = None,
                  komponen: dict[str, str] | None = None) -> str:
    """The OPD's opportunities in words, on one line: its plan to the next predikat (details on the
    Rencana Peningkatan sheet), then the sub-component with the most room."""
    parts = []
    nxt = plan.get("berikut") if plan else None
    if nxt and nxt.get("tercapai"):
        parts.append(f"Ke {nxt['predikat_tujuan']}: {nxt['n_kriteria']} kriteria ({nxt['n_langkah']} langkah), "
                     f"+{angka(nxt['poin'])} poin")
    komp = komponen or {}
    if items:
        x = items[0]
        parts.append(f"ruang terbesar: {_sub_name(x['nama'], komp.get(x['kode'], ''))} {angka(x['ruang'])} poin")
    return "; ".join(parts)


def _opd_rows(chosen: Sequence[FileResult], policy: Policy) -> list[dict[str, Any]]:
    from ..scoring.lke import load_kriteria

    komponen = {k.kode_sub: k.komponen for k in load_kriteria(policy)} if chosen else {}
    rows = []
    for r in chosen:
        assert r.opd is not None
        g = r.opd.ringkas
        counts = count_by_severity(r.issues)
        row: dict[str, Any] = {
            "peringkat": None, "opd_kode": r.opd.kode, "opd_nama": r.opd.nama, "berkas": r.nama,
            "n_indikator": g["n_indikator"], "n_dinilai": g["n_dinilai"],
            "capaian_rata": g["capaian_rata"], "capaian_rata_dibatasi": g["capaian_rata_dibatasi"],
        }
        for label in policy.kategori_labels:
            row[f"jumlah_{label}"] = g["jumlah_kategori"][label]
        row.update({
            "serapan": g["serapan"], "indeks_efisiensi": g["indeks_efisiensi"],
            "flag_efisiensi": g["flag_efisiensi"],
            "nilai_lke_opd": g["nilai_lke_opd"], "predikat_opd": g["predikat_opd"],
            "nilai_lke_evaluator": g["nilai_lke_evaluator"], "predikat_evaluator": g["predikat_evaluator"],
            "nilai_lke": g["nilai_lke"], "predikat": g["predikat"], "sumber_nilai": g["sumber_nilai"],
            # decision A9: evaluated OPDs are ranked and counted; self-assessed ones are listed apart
            "status_nilai": STATUS_DIEVALUASI if g.get("dievaluasi") else STATUS_BELUM_DIEVALUASI,
            "dijawab_evaluator": g.get("dijawab_evaluator"),
            "predikat_berikut": g["predikat_berikut"],
            "poin_ke_predikat_berikut": g["poin_ke_predikat_berikut"],
            "peluang_lke": _peluang_text(g["peluang_lke"], r.opd.rencana, komponen),
            "tl_terbuka": g["tl_terbuka"],
            "n_galat": counts[Severity.ERROR], "n_peringatan": counts[Severity.WARNING],
        })
        rows.append(row)

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        n, c = row["nilai_lke"], row["capaian_rata_dibatasi"]
        return (row["status_nilai"] != STATUS_DIEVALUASI, n is None, -(n or 0.0), c is None, -(c or 0.0),
                row["opd_kode"])

    rows.sort(key=key)
    rank = 0
    for row in rows:  # only evaluated OPDs get a rank; the others follow, "belum dievaluasi"
        if row["status_nilai"] == STATUS_DIEVALUASI:
            rank += 1
            row["peringkat"] = rank
    return rows


def _safe(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except NoData:
        return None


def _city(opd_rows: list[dict[str, Any]], chosen: Sequence[FileResult], policy: Policy,
          ind_rows: list[dict[str, Any]]) -> dict[str, Any]:
    pagu = math.fsum(r.opd.pagu_program for r in chosen if r.opd is not None)
    real = math.fsum(r.opd.realisasi_program for r in chosen if r.opd is not None)
    ser = _safe(serapan, pagu, real) if pagu > 0 else None
    raw = _safe(rata_capaian, [r["capaian_rata"] for r in opd_rows])
    capped = _safe(rata_capaian, [r["capaian_rata_dibatasi"] for r in opd_rows])
    evaluated = [r for r in opd_rows if r["status_nilai"] == STATUS_DIEVALUASI]
    mandiri = [r for r in opd_rows if r["status_nilai"] != STATUS_DIEVALUASI]
    preds = [r["predikat"] for r in evaluated]
    nilai = [r["nilai_lke"] for r in evaluated if r["nilai_lke"] is not None]
    nilai_mandiri = [r["nilai_lke"] for r in mandiri if r["nilai_lke"] is not None]
    kat = {label: sum(r[f"jumlah_{label}"] for r in opd_rows) for label in policy.kategori_labels}
    dist = {label: sum(1 for p in preds if p == label) for label in policy.predikat_labels}
    dist_mandiri = {label: sum(1 for r in mandiri if r["predikat"] == label) for label in policy.predikat_labels}
    target = policy.target_predikat
    at_or_above = sum(dist[lb] for lb in policy.predikat_labels[: policy.predikat_labels.index(target) + 1])
    return {
        "capaian_rata": raw,
        "capaian_rata_dibatasi": capped,
        "cap_rata_rata": policy.cap_rata_rata,
        "target_predikat": target,
        "persen_opd_target": _safe(share_at_or_above, preds, target, policy),
        "n_opd_target": at_or_above,
        "n_opd_berpredikat": sum(dist.values()),
        "nilai_lke_rata": statistics.fmean(nilai) if nilai else None,
        "n_opd_dievaluasi": len(evaluated),
        "n_opd_belum_dievaluasi": len(mandiri),
        "opd_belum_dievaluasi": [[r["opd_kode"], r["opd_nama"]] for r in mandiri],
        "nilai_lke_rata_mandiri": statistics.fmean(nilai_mandiri) if nilai_mandiri else None,
        "distribusi_predikat_mandiri": dist_mandiri,
        "pagu": pagu, "realisasi_anggaran": real, "serapan": ser,
        "indeks_efisiensi": _safe(efisiensi, capped, ser) if capped is not None and ser else None,
        "n_indikator": len(ind_rows),
        "n_indikator_dinilai": sum(1 for r in ind_rows if r["capaian"] is not None),
        "distribusi_kategori": kat,
        "distribusi_predikat": dist,
    }


def _expected(chosen: Sequence[FileResult], results: Sequence[FileResult],
              expected: Sequence[OPDHarapan] | None, issues: list[Issue]) -> dict[str, Any]:
    if expected is None:
        return {"n_diharapkan": None, "n_diterima": None, "opd_belum": [], "opd_tidak_terdaftar": []}
    codes = {e.kode for e in expected}
    received = {r.opd.kode.strip() for r in results if r.opd is not None}
    belum = [e for e in expected if e.kode not in received]
    for e in belum:
        issues.append(Issue(code="REKAP_OPD_BELUM_ADA", severity=Severity.WARNING,
                            message=f"OPD {e.kode} {e.nama} belum mengirim workbook.".replace("  ", " "),
                            hint="Minta OPD mengirim workbook yang sudah diisi."))
    asing = []
    for r in chosen:
        assert r.opd is not None
        if r.opd.kode not in codes:
            asing.append([r.opd.kode, r.opd.nama])
            _issue(r, "REKAP_OPD_TIDAK_TERDAFTAR",
                   f"Kode OPD {r.opd.kode} tidak ada di daftar OPD; tetap dikonsolidasi.",
                   "Periksa kode OPD pada lembar Profil atau perbarui daftar OPD.", Severity.WARNING)
    return {
        "n_diharapkan": len(expected),
        "n_diterima": len(codes & received),
        "opd_belum": [[e.kode, e.nama] for e in belum],
        "opd_tidak_terdaftar": asing,
    }


def _frame(rows: list[dict[str, Any]], columns: Sequence[str] = (),
           int_columns: Sequence[str] = ()) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame(columns=list(columns))
    df = pd.DataFrame.from_records(rows)
    for col in int_columns:  # whole numbers with gaps stay whole (not 2025.0)
        df[col] = df[col].astype("Int64")
    return df


def build_rekap(results: Sequence[FileResult], policy: Policy, *, sampai_tw: int | None = None,
                tahun: int | None = None, expected: Sequence[OPDHarapan] | None = None) -> Rekap:
    """Roll the per-file results (in input order) up into the city :class:`Rekap`."""
    year = _pick_year(results, tahun)
    chosen, status = _select(results, year)
    city_issues: list[Issue] = []
    exp = _expected(chosen, results, expected, city_issues)
    opd_rows = _opd_rows(chosen, policy)
    order = {row["opd_kode"]: i for i, row in enumerate(opd_rows)}  # the Per OPD order (ranked ones first)
    ranked = sorted(chosen, key=lambda r: order[r.opd.kode if r.opd else ""])

    def rows(attr: str) -> list[dict[str, Any]]:
        return [row for r in ranked if r.opd is not None for row in getattr(r.opd, attr)]

    ind_rows = rows("indikator")
    all_issues = sort_issues([i for r in results for i in r.issues] + city_issues)
    counts = {r.index: count_by_severity(r.issues) for r in results}
    sumber_rows = [
        {
            "no": r.index + 1, "berkas": r.nama, "sha256": r.sha256, "ukuran_byte": r.ukuran,
            "versi_template": r.versi_template,
            "opd_kode": r.opd.kode if r.opd else None, "opd_nama": r.opd.nama if r.opd else None,
            "tahun": r.opd.tahun if r.opd else None, "status_baca": r.status,
            "status_rekap": status[r.index],
            "n_galat": counts[r.index][Severity.ERROR], "n_peringatan": counts[r.index][Severity.WARNING],
        }
        for r in results
    ]
    kota: dict[str, Any] = {
        "tahun": year,
        "sampai_tw": TW_LABELS[(sampai_tw or 4) - 1],
        "n_berkas": len(results),
        "n_dibaca": sum(1 for r in results if r.opd is not None),
        "n_gagal": sum(1 for r in results if r.opd is None),
        "n_dikonsolidasi": len(chosen),
        "n_duplikat": sum(1 for s in status.values() if s == STATUS_DUPLIKAT),
        "n_tahun_lain": sum(1 for s in status.values() if s == STATUS_TAHUN_LAIN),
        "n_berkas_galat": sum(1 for c in counts.values() if c[Severity.ERROR]),
        **exp,
        **_city(opd_rows, chosen, policy, ind_rows),
        "n_galat": sum(1 for i in all_issues if i.severity is Severity.ERROR),
        "n_peringatan": sum(1 for i in all_issues if i.severity is Severity.WARNING),
    }
    return Rekap(
        opd=_frame(opd_rows), indikator=_frame(ind_rows), triwulan=_frame(rows("triwulan")),
        anggaran=_frame(rows("anggaran")), lke=_frame(rows("lke")),
        lke_komponen=_frame(rows("lke_komponen")),
        tindak_lanjut=_frame(rows("tindak_lanjut")),
        masalah=_frame(_issue_rows(all_issues), MASALAH_COLUMNS),
        sumber=_frame(sumber_rows, int_columns=("tahun", "ukuran_byte")), kota=kota, policy=policy, issues=all_issues,
        sampai_tw=sampai_tw, tahun=year, **_rencana(ranked, policy),
    )


def _rencana(ranked: Sequence[FileResult], policy: Policy) -> dict[str, Any]:
    """Every OPD's plan (from its worker) and the city plan over them (scoring.rencana)."""
    from ..scoring.rencana import OPDUntukKota, Rencana, rencana_kota

    plans = [{"opd_kode": r.opd.kode, "opd_nama": r.opd.nama, **r.opd.rencana}
             for r in ranked if r.opd is not None and r.opd.rencana]
    if not plans:
        return {"rencana": [], "rencana_kota": None}
    opds = [OPDUntukKota(kode=p["opd_kode"], nama=p["opd_nama"] or p["opd_kode"], nilai=p["nilai"],
                         predikat=p["predikat"], dievaluasi=p["dievaluasi"],
                         rencana_target=Rencana.model_validate(p["target"]) if p["target"] else None)
            for p in plans]
    return {"rencana": plans, "rencana_kota": rencana_kota(opds, policy).model_dump()}


def ringkasan_teks(rk: Rekap) -> str:
    k = rk.kota
    lines = [f"Rekap SAKIP kota, tahun {k['tahun'] or '-'} (s.d. {k['sampai_tw']})"]
    berkas = f"Workbook: {k['n_berkas']} berkas, {k['n_dikonsolidasi']} OPD dikonsolidasi"
    extra = []
    if k["n_gagal"]:
        extra.append(f"{k['n_gagal']} gagal dibaca")
    if k["n_duplikat"]:
        extra.append(f"{k['n_duplikat']} duplikat")
    if k["n_tahun_lain"]:
        extra.append(f"{k['n_tahun_lain']} tahun lain")
    lines.append(berkas + (f" ({', '.join(extra)})" if extra else ""))
    if k["n_diharapkan"] is not None:
        line = f"OPD diterima: {k['n_diterima']} dari {k['n_diharapkan']} yang diharapkan"
        if k["opd_belum"]:
            names = ", ".join(f"{kode} {nama}".strip() for kode, nama in k["opd_belum"][:3])
            more = len(k["opd_belum"]) - 3
            line += f"; belum: {names}" + (f" dan {more} lainnya" if more > 0 else "")
        lines.append(line)
    cap = k["cap_rata_rata"]
    lines.append(f"Capaian kinerja rata-rata: {angka(k['capaian_rata'])} % "
                 f"(tiap indikator dibatasi {angka(cap, 0) if cap else 'tanpa batas'} %: "
                 f"{angka(k['capaian_rata_dibatasi'])} %)")
    lines.append(f"Nilai LKE: hasil evaluasi (Evaluator) untuk {k['n_opd_dievaluasi']} OPD; "
                 f"{k['n_opd_belum_dievaluasi']} OPD belum dievaluasi (nilai mandiri OPD, tidak diperingkat)")
    lines.append(f"OPD berpredikat {k['target_predikat']} atau lebih (hasil evaluasi): "
                 f"{angka(k['persen_opd_target'], 1)} % ({k['n_opd_target']} dari {k['n_opd_berpredikat']})")
    lines.append(f"Nilai LKE rata-rata (hasil evaluasi): {angka(k['nilai_lke_rata'])}")
    if k["n_opd_belum_dievaluasi"]:
        names = ", ".join(f"{kode} {nama}".strip() for kode, nama in k["opd_belum_dievaluasi"][:3])
        more = k["n_opd_belum_dievaluasi"] - 3
        lines.append(f"Belum dievaluasi: {names}" + (f" dan {more} lainnya" if more > 0 else "")
                     + f" (nilai mandiri rata-rata {angka(k['nilai_lke_rata_mandiri'])})")
    if "perubahan_nilai_lke_rata" in k:
        lalu = f"tahun {k['tahun_lalu']}" if k.get("tahun_lalu") else "tahun lalu"
        lines.append(f"Perubahan dari {lalu}: nilai LKE rata-rata {_tanda(k['perubahan_nilai_lke_rata'])}, "
                     f"capaian dibatasi {_tanda(k['perubahan_capaian_rata_dibatasi'])} poin %, "
                     f"OPD {k['target_predikat']} atau lebih {_tanda(k['perubahan_persen_opd_target'])} poin %")
    lines.append(f"Serapan anggaran: {angka(k['serapan'])} %   Indeks efisiensi: {angka(k['indeks_efisiensi'])}")
    lines.append("Kategori capaian: " + " · ".join(f"{a} {b}" for a, b in k["distribusi_kategori"].items()))
    lines.append("Predikat OPD: " + " · ".join(f"{a} {b}" for a, b in k["distribusi_predikat"].items()))
    if not rk.opd.empty and rk.opd.iloc[0]["status_nilai"] == STATUS_DIEVALUASI:
        top = rk.opd.iloc[0]
        lines.append(f"Peringkat 1: {top['opd_nama'] or top['opd_kode']} "
                     f"(nilai LKE {angka(_plain(top['nilai_lke']))}, predikat {top['predikat'] or '-'}, "
                     f"sumber {top['sumber_nilai']})")
    lines.append(f"Masalah: {rk.n_galat} galat, {rk.n_peringatan} peringatan"
                 + (f" di {k['n_berkas_galat']} berkas bergalat" if k["n_berkas_galat"] else ""))
    return "\n".join(lines)
