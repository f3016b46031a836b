"""Year-over-year change (``--rekap-lalu``): last year's city summary beside this year's.

:func:`read_rekap_lalu` reads the previous per-OPD table (by OPD code) and the city figures from a
summary written by sakip-xl (``rekap_kota.xlsx``, or a folder written by :meth:`Rekap.to_parquet` /
:meth:`Rekap.to_csv`).  :func:`add_perubahan` puts last year's values and the plain difference
(this year minus last year) into the per-OPD DataFrame and the city dict.  No rule is restated:
both years' values come from the roll-up that wrote each summary.

The previous summary must be of an earlier year.  When it is not, the summary gets a city-level
warning ``REKAP_LALU_TAHUN`` (Masalah sheet, CLI output) naming both years and the file:

* same year: the change is still computed (comparing a re-run or a corrected summary of the same
  year is a legitimate use), but the message says it is not a change between years;
* later year (the files were most likely swapped): no change is computed, since "this year minus
  last year" would be reversed and mislabelled.

When either year is unknown (a summary without its year), the change is computed as before.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import SakipError
from ..issues import Issue, Severity
from .export import unescape_frame

if TYPE_CHECKING:
    from .rekap import Rekap

__all__ = ["RekapLaluError", "DataLalu", "read_rekap_lalu", "add_perubahan", "tahun_issue", "OPD_COLUMNS",
           "KOTA_KEYS", "TAHUN_CODE"]

#: Per-OPD columns compared: (this year's column, last year's column, change column).
OPD_COLUMNS = (
    ("nilai_lke", "nilai_lke_lalu", "perubahan_nilai_lke"),
    ("capaian_rata_dibatasi", "capaian_rata_dibatasi_lalu", "perubahan_capaian"),
)
#: City figures compared: (key, last year's key, change key).
KOTA_KEYS = (
    ("nilai_lke_rata", "nilai_lke_rata_lalu", "perubahan_nilai_lke_rata"),
    ("capaian_rata_dibatasi", "capaian_rata_dibatasi_lalu", "perubahan_capaian_rata_dibatasi"),
    ("persen_opd_target", "persen_opd_target_lalu", "perubahan_persen_opd_target"),
)
#: Header of the summary workbook's "Per OPD" sheet for each column read.
_HEADERS = {"Kode OPD": "opd_kode", "Nilai LKE": "nilai_lke", "Capaian Dibatasi (%)": "capaian_rata_dibatasi",
            "Predikat": "predikat"}
_SHEETS = {"Ringkasan Kota", "Per OPD"}
#: Issue code: the previous summary is not of an earlier year than this one.
TAHUN_CODE = "REKAP_LALU_TAHUN"
_SARAN = ("Berikan rekap_kota.xlsx tahun lalu yang ditulis sakip-xl, atau folder hasil --parquet / --csv "
          "(berisi opd.parquet atau opd.csv).")


class RekapLaluError(SakipError, ValueError):
    """The previous year's summary cannot be read, or is not a summary written by sakip-xl."""

    code = "REKAP_LALU"


@dataclass
class DataLalu:
    """Last year's figures: per OPD code (nilai_lke, capaian_rata_dibatasi, predikat) and the city."""

    opd: dict[str, dict[str, Any]]
    kota: dict[str, float | None] = field(default_factory=dict)
    tahun: int | None = None
    sumber: str = ""


def _num(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v) if math.isfinite(v) else None
    try:
        x = float(str(v).strip())
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _text(v: Any) -> str | None:
    if v is None or (isinstance(v, float) and not math.isfinite(v)) or v is pd.NA:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None


def _opd_rows(records: list[dict[Any, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for rec in records:
        kode = _text(rec.get("opd_kode"))
        if kode is None:
            continue
        out[kode] = {"nilai_lke": _num(rec.get("nilai_lke")),
                     "capaian_rata_dibatasi": _num(rec.get("capaian_rata_dibatasi")),
                     "predikat": _text(rec.get("predikat"))}
    return out


def _from_frames(opd: pd.DataFrame, kota: pd.DataFrame | None, name: str) -> DataLalu:
    missing = [c for c in _HEADERS.values() if c not in opd.columns]
    if missing:
        raise RekapLaluError(f"Rekap tahun lalu {name}: tabel opd tidak memuat kolom {', '.join(missing)}; "
                             "bukan rekap buatan sakip-xl.", hint=_SARAN)
    values: dict[str, Any] = {}
    if kota is not None and {"kunci", "nilai"} <= set(kota.columns):
        values = {str(k): v for k, v in zip(kota["kunci"], kota["nilai"], strict=True)}
    tahun = _num(values.get("tahun"))
    return DataLalu(
        opd=_opd_rows(opd.astype(object).where(opd.notna(), None).to_dict("records")),
        kota={key: _num(values.get(key)) for key, _, _ in KOTA_KEYS},
        tahun=int(tahun) if tahun is not None else None, sumber=name)


def _from_folder(folder: Path) -> DataLalu:
    try:
        if (folder / "opd.parquet").is_file():
            opd = pd.read_parquet(folder / "opd.parquet")
            kp = folder / "ringkasan_kota.parquet"
            kota = pd.read_parquet(kp) if kp.is_file() else None
        elif (folder / "opd.csv").is_file():
            opd = pd.read_csv(folder / "opd.csv", encoding="utf-8-sig", dtype={"opd_kode": str},
                              keep_default_na=False, na_values=[""])
            kc = folder / "ringkasan_kota.csv"
            kota = (pd.read_csv(kc, encoding="utf-8-sig", dtype=str, keep_default_na=False, na_values=[""])
                    if kc.is_file() else None)
        else:
            raise RekapLaluError(f"Folder rekap tahun lalu {folder} tidak berisi opd.parquet atau opd.csv.",
                                 hint=_SARAN)
    except RekapLaluError:
        raise
    except Exception as exc:  # pyarrow / pandas raise many kinds for a damaged file
        raise RekapLaluError(f"Rekap tahun lalu di {folder} tidak dapat dibaca ({type(exc).__name__}).",
                             hint=_SARAN) from exc
    return _from_frames(unescape_frame(opd), None if kota is None else unescape_frame(kota), folder.name)


def _ringkasan_kota(rows: list[list[Any]]) -> tuple[dict[str, float | None], int | None]:
    """City figures from the "Ringkasan Kota" sheet (label in column A, value in column B)."""
    kota: dict[str, float | None] = {}
    tahun = None
    for row in rows:
        label = _text(row[0]) if row else None
        if label is None:
            continue
        value = _num(row[1]) if len(row) > 1 else None
        if tahun is None and (m := re.search(r"Tahun (\d{4})$", label)):
            tahun = int(m.group(1))
        if label in ("Nilai LKE rata-rata", "Nilai LKE rata-rata (hasil evaluasi)"):  # before / after issue 10
            kota["nilai_lke_rata"] = value
        elif label.startswith(("Capaian kinerja rata-rata, dibatasi", "Capaian rata-rata (dibatasi)")):
            kota["capaian_rata_dibatasi"] = value
        elif label.startswith("OPD berpredikat ") and label.endswith("atau lebih (%)"):
            kota["persen_opd_target"] = value
    return kota, tahun


def _from_xlsx(path: Path) -> DataLalu:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = set(wb.sheet_names)
        if not _SHEETS <= names:
            raise RekapLaluError(f"{path.name} bukan rekap kota sakip-xl (tidak ada lembar Ringkasan Kota "
                                 "dan Per OPD).", hint=_SARAN)
        table = wb.get_sheet_by_name("Per OPD").to_python()
        summary = wb.get_sheet_by_name("Ringkasan Kota").to_python()
    except RekapLaluError:
        raise
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise RekapLaluError(f"Rekap tahun lalu {path.name} tidak dapat dibaca ({type(exc).__name__}).",
                             hint=_SARAN) from exc
    header = [_text(h) for h in (table[0] if table else [])]
    cols = {key: header.index(h) for h, key in _HEADERS.items() if h in header}
    if len(cols) < len(_HEADERS):
        raise RekapLaluError(f"{path.name}: lembar Per OPD tidak memuat kolom "
                             f"{', '.join(h for h in _HEADERS if h not in header)}; bukan rekap sakip-xl.",
                             hint=_SARAN)
    records = [{key: (row[j] if j < len(row) and row[j] != "" else None) for key, j in cols.items()}
               for row in table[1:]]
    kota, tahun = _ringkasan_kota(summary)
    return DataLalu(opd=_opd_rows(records),
                    kota={key: kota.get(key) for key, _, _ in KOTA_KEYS}, tahun=tahun, sumber=path.name)


def read_rekap_lalu(path: str | Path) -> DataLalu:
    """Last year's per-OPD table and city figures from a summary written by sakip-xl."""
    p = Path(path)
    if p.is_dir():
        return _from_folder(p)
    if not p.is_file():
        raise RekapLaluError(f"Rekap tahun lalu {p} tidak ditemukan.", hint=_SARAN)
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        raise RekapLaluError(f"Rekap tahun lalu {p.name} bukan berkas .xlsx.", hint=_SARAN)
    return _from_xlsx(p)


def _minus(now: Any, before: Any) -> float | None:
    a, b = _num(now), _num(before)
    return a - b if a is not None and b is not None else None


def tahun_issue(tahun: int | None, lalu: DataLalu) -> Issue | None:
    """The warning when ``lalu`` is not of a year before ``tahun`` (None when it is, or unknown)."""
    if tahun is None or lalu.tahun is None or lalu.tahun < tahun:
        return None
    if lalu.tahun == tahun:
        message = (f"Rekap pembanding {lalu.sumber} juga untuk tahun {lalu.tahun}, sama dengan tahun rekap ini "
                   f"({tahun}). Perubahan tetap dihitung, tetapi itu selisih dengan rekap lain tahun {tahun}, "
                   "bukan perubahan dari tahun lalu.")
    else:
        message = (f"Rekap pembanding {lalu.sumber} untuk tahun {lalu.tahun}, lebih baru dari tahun rekap ini "
                   f"({tahun}). Perubahan antartahun tidak dihitung.")
    return Issue(code=TAHUN_CODE, severity=Severity.WARNING, file=lalu.sumber, message=message,
                 hint=f"Untuk perubahan dari tahun lalu, berikan rekap tahun {tahun - 1} (atau tahun "
                      f"sebelumnya) di --rekap-lalu; periksa bahwa rekap tahun ini dan tahun lalu tidak tertukar.")


def add_perubahan(rk: Rekap, lalu: DataLalu) -> None:
    """Add last year's values and the change (this year minus last year) to ``rk`` in place.

    A previous summary of the same year or a later one gives ``REKAP_LALU_TAHUN`` (see the module
    docstring); with a later one nothing else is added.
    """
    issue = tahun_issue(rk.tahun, lalu)
    if issue is not None:
        rk.add_issues([issue])
        if lalu.tahun is not None and rk.tahun is not None and lalu.tahun > rk.tahun:
            return
    df = rk.opd
    kodes = [str(k).strip() for k in df["opd_kode"]] if "opd_kode" in df.columns else []
    prev = [lalu.opd.get(k) for k in kodes]
    for now_col, lalu_col, delta_col in OPD_COLUMNS:
        before = [p[now_col] if p else None for p in prev]
        now = list(df[now_col]) if now_col in df.columns else [None] * len(kodes)
        df[lalu_col] = pd.Series([math.nan if b is None else b for b in before], index=df.index, dtype=float)
        deltas = [_minus(a, b) for a, b in zip(now, before, strict=True)]
        df[delta_col] = pd.Series([math.nan if d is None else d for d in deltas], index=df.index, dtype=float)
    df["predikat_lalu"] = pd.Series([p["predikat"] if p else None for p in prev], index=df.index, dtype=object)
    k = rk.kota
    k["tahun_lalu"] = lalu.tahun
    for key, lalu_key, delta_key in KOTA_KEYS:
        k[lalu_key] = lalu.kota.get(key)
        k[delta_key] = _minus(k.get(key), lalu.kota.get(key))
    k["n_opd_dibanding"] = sum(1 for p in prev if p is not None)
    rk.meta["rekap_lalu"] = lalu.sumber
