"""Link formulas: cells that only look up or copy other cells (no scoring rule).

Scoring quantities come from :mod:`sakip_xl.rules`; these few formulas move values around the
workbook (a Rencana Aksi row looks its indicator up in the PK by Kode; the Pernyataan PK sheet
copies Profil and PK).  Each kind has its formula text and its Python value side by side, so the
cached values written by the generator equal what Excel and LibreOffice compute.  They use only
IF, ISNA, MATCH, INDEX and UPPER, and plain A1 references (no structured references).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from ..rules import CellRange, CellValue, Ref

__all__ = ["LINKS", "link_formula", "link_value", "excel_text", "KODE_TIDAK_ADA"]

#: What a Rencana Aksi lookup shows when its Kode is not in the PK table.
KODE_TIDAK_ADA = "#KODE?"
RENTANG_SEP = " – "
JUDUL_PK = "PERJANJIAN KINERJA "
#: The Jenis PK that puts "PERUBAHAN" in the statement's title.
PERUBAHAN = "Perubahan"

Getter = Callable[[Ref], Any]


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v == "")


def excel_text(v: Any) -> str:
    """A value as Excel's ``&`` turns it into text (General format, 15 significant digits)."""
    if _blank(v):
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        x = float(v)
        if x.is_integer() and abs(x) < 1e15:
            return str(int(x))
        text = f"{x:.15g}"
        if "e" in text:
            mant, exp = text.split("e")
            return f"{mant}E{'+' if int(exp) >= 0 else '-'}{abs(int(exp)):02d}"
        return text
    return str(v)


def _ref(refs: Mapping[str, Ref], name: str) -> str:
    r = refs[name]
    if isinstance(r, CellRange):
        return r.a1
    if isinstance(r, (int, float)):
        x = float(r)
        return str(int(x)) if x.is_integer() else repr(x)
    assert isinstance(r, str), name
    return r


def _match(key: Any, column: list[Any]) -> int | None:
    """Excel ``MATCH(key, column, 0)``: numbers equal numbers, text equals text ignoring case."""
    for i, v in enumerate(column):
        if isinstance(key, str) and isinstance(v, str) and key.casefold() == v.casefold():
            return i
        if (isinstance(key, (int, float)) and isinstance(v, (int, float))
                and not isinstance(key, bool) and not isinstance(v, bool)
                and math.isclose(float(key), float(v), rel_tol=0, abs_tol=0)):
            return i
    return None


# --------------------------------------------------------------------------- formulas
def _f_lookup(refs: Mapping[str, Ref]) -> str:
    k, keys, vals = _ref(refs, "kunci"), _ref(refs, "kolom_kunci"), _ref(refs, "kolom_hasil")
    m = f"MATCH({k},{keys},0)"
    return (f'IF({k}="","",IF(ISNA({m}),"{KODE_TIDAK_ADA}",'
            f'IF(INDEX({vals},{m})="","",INDEX({vals},{m}))))')


def _f_salin(refs: Mapping[str, Ref]) -> str:
    s = _ref(refs, "sumber")
    return f'IF({s}="","",{s})'


def _f_besar(refs: Mapping[str, Ref]) -> str:
    s = _ref(refs, "sumber")
    return f'IF({s}="","",UPPER({s}))'


def _f_nomor(refs: Mapping[str, Ref]) -> str:
    return f'IF({_ref(refs, "sumber")}="","",{_ref(refs, "nomor")})'


def _f_rentang(refs: Mapping[str, Ref]) -> str:
    b, a = _ref(refs, "bawah"), _ref(refs, "atas")
    return f'IF({b}="","",IF({a}="",{b},{b}&"{RENTANG_SEP}"&{a}))'


def _f_judul_pk(refs: Mapping[str, Ref]) -> str:
    j, t = _ref(refs, "jenis"), _ref(refs, "tahun")
    return f'"{JUDUL_PK}"&IF({j}="{PERUBAHAN}","{PERUBAHAN.upper()} ","")&"TAHUN "&{t}'


def _f_teks(refs: Mapping[str, Ref]) -> str:
    return f'{_ref(refs, "awal")}&{_ref(refs, "nilai")}'


# --------------------------------------------------------------------------- values
def _v_lookup(refs: Mapping[str, Ref], get: Getter) -> CellValue:
    key = get(refs["kunci"])
    if _blank(key):
        return ""
    i = _match(key, list(get(refs["kolom_kunci"])))
    if i is None:
        return KODE_TIDAK_ADA
    v = list(get(refs["kolom_hasil"]))[i]
    return "" if _blank(v) else v


def _v_salin(refs: Mapping[str, Ref], get: Getter) -> CellValue:
    v = get(refs["sumber"])
    return "" if _blank(v) else v


def _v_besar(refs: Mapping[str, Ref], get: Getter) -> CellValue:
    v = get(refs["sumber"])
    return "" if _blank(v) else excel_text(v).upper()


def _v_nomor(refs: Mapping[str, Ref], get: Getter) -> CellValue:
    return "" if _blank(get(refs["sumber"])) else float(get(refs["nomor"]))


def _v_rentang(refs: Mapping[str, Ref], get: Getter) -> CellValue:
    b, a = get(refs["bawah"]), get(refs["atas"])
    if _blank(b):
        return ""
    if _blank(a):
        return b
    return f"{excel_text(b)}{RENTANG_SEP}{excel_text(a)}"


def _v_judul_pk(refs: Mapping[str, Ref], get: Getter) -> CellValue:
    jenis = get(refs["jenis"])
    perubahan = isinstance(jenis, str) and jenis.casefold() == PERUBAHAN.casefold()
    return f"{JUDUL_PK}{PERUBAHAN.upper() + ' ' if perubahan else ''}TAHUN {excel_text(get(refs['tahun']))}"


def _v_teks(refs: Mapping[str, Ref], get: Getter) -> CellValue:
    return excel_text(get(refs["awal"])) + excel_text(get(refs["nilai"]))


LINKS: dict[str, tuple[Callable[[Mapping[str, Ref]], str], Callable[[Mapping[str, Ref], Getter], CellValue]]] = {
    "lookup": (_f_lookup, _v_lookup),
    "salin": (_f_salin, _v_salin),
    "besar": (_f_besar, _v_besar),
    "nomor": (_f_nomor, _v_nomor),
    "rentang": (_f_rentang, _v_rentang),
    "teks": (_f_teks, _v_teks),
    "judul_pk": (_f_judul_pk, _v_judul_pk),
}


def link_formula(kind: str, refs: Mapping[str, Ref]) -> str:
    return "=" + LINKS[kind][0](refs)


def link_value(kind: str, refs: Mapping[str, Ref], get: Getter) -> CellValue:
    return LINKS[kind][1](refs, get)
