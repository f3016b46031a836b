"""The rule registry: one entry per computed quantity that appears in a workbook cell.

Each :class:`Rule` binds

* ``cell``: the Excel-cell semantics of the rule, implemented by calling the pure core function
  (blank inputs give ``""``, a :class:`~sakip_xl.errors.ScoringError` gives its short
  ``cell_text``), which is what the UDF returns and what a native formula must reproduce;
* ``udf``: the worksheet function name (``SAKIP_CAPAIAN`` ...), with Indonesian help texts;
* ``native``: a builder of the equivalent native Excel formula, using only functions that both
  Excel 2010+ and LibreOffice compute (IF, AND, OR, NOT, ISNUMBER, TRIM, UPPER, SUM, SUMIF,
  COUNTIF, COUNTIFS, COUNT, COUNTA, AVERAGE, MIN, MAX).

The template generator, the UDF module, the reader and the consolidator all go through this
registry; :func:`formula` writes a cell's formula in either variant (``udf`` or ``native``).
Nothing else in the package restates a rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from . import __version__
from .errors import InvalidAnswer, InvalidInput, NoData, ScoringError
from .policy import POLARITAS, TIPE_AGREGASI, Policy, default_policy
from .scoring import anggaran, lke, rollup, triwulan
from .scoring import capaian as _capaian_fn
from .scoring import kategori as _kategori_fn
from .scoring import next_predikat as _next_predikat_fn
from .scoring import predikat as _predikat_fn

__all__ = [
    "Param",
    "Rule",
    "CellRange",
    "CellValue",
    "RULES",
    "get_rule",
    "rule_by_udf",
    "formula",
    "cell_value",
]

CellValue = float | str
Rumus = Literal["udf", "native"]


@dataclass(frozen=True)
class CellRange:
    """A rectangular range: ``a1`` is ``"F5:I5"``, ``cells`` the single cells in order."""

    a1: str
    cells: tuple[str, ...]


Ref = str | CellRange | float | int | None


@dataclass(frozen=True)
class Param:
    name: str
    doc: str
    kind: Literal["value", "range", "literal"] = "value"
    optional: bool = False
    #: a ``range`` holding one record's cells in one row (TW I..IV): given several rows, the
    #: worksheet function computes one result per row (used by the array-aware UDFs)
    per_row: bool = False


@dataclass(frozen=True)
class Rule:
    key: str
    udf: str
    doc: str
    params: tuple[Param, ...]
    cell: Callable[..., CellValue]
    native: Callable[[Mapping[str, Ref], Policy], str]
    returns: Literal["number", "text"] = "number"
    core: tuple[str, ...] = field(default_factory=tuple)  # dotted names of the pure functions used

    def udf_formula(self, refs: Mapping[str, Ref]) -> str:
        args: list[str] = []
        for p in self.params:
            ref = refs.get(p.name)
            args.append("" if ref is None else _lit(ref))
        while args and args[-1] == "" and self.params[len(args) - 1].optional:
            args.pop()
        return f"{self.udf}({','.join(args)})"


# --------------------------------------------------------------------------- helpers
def _lit(ref: Ref) -> str:
    if isinstance(ref, CellRange):
        return ref.a1
    if ref is None:
        return '""'
    if isinstance(ref, bool):
        return "TRUE" if ref else "FALSE"
    if isinstance(ref, (int, float)):
        return repr(float(ref)).removesuffix(".0") if float(ref).is_integer() else repr(float(ref))
    return ref


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _num(x: float) -> str:
    return _lit(float(x))


def _is_blank(v: Any) -> bool:
    # Excel's notion: an empty cell or "" (a cell holding spaces is text, as for ISNUMBER/COUNTA)
    return v is None or (isinstance(v, str) and v == "")


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))


def _guard(fn: Callable[[], CellValue]) -> CellValue:
    try:
        out = fn()
    except NoData:
        return ""
    except ScoringError as exc:
        return exc.cell_text
    if isinstance(out, float) and not math.isfinite(out):  # overflow of absurd inputs (1e154 * 1e154)
        return InvalidInput.cell_text
    return out


def _flat(values: Any) -> list[Any]:
    """A range argument as a flat list (accepts scalars, 1-D and 2-D lists)."""
    if isinstance(values, (list, tuple)):
        out: list[Any] = []
        for v in values:
            if isinstance(v, (list, tuple)):
                out.extend(_flat(v))
            else:
                out.append(v)
        return out
    return [values]


def _none_if_blank(v: Any) -> Any:
    return None if _is_blank(v) else v


def _rng(refs: Mapping[str, Ref], name: str) -> CellRange:
    r = refs[name]
    if not isinstance(r, CellRange):
        raise TypeError(f"argument {name} must be a CellRange")
    return r


def _val(refs: Mapping[str, Ref], name: str) -> str:
    r = refs.get(name)
    return '""' if r is None else _lit(r)


# --------------------------------------------------------------------------- capaian
def _cell_capaian(target: Any, realisasi: Any, polaritas: Any = None, target_atas: Any = None,
                  policy: Policy | None = None) -> CellValue:
    if _is_blank(target) or _is_blank(realisasi):
        return ""

    def run() -> CellValue:
        t: Any = target if _is_blank(target_atas) else (target, target_atas)
        pol = polaritas if isinstance(polaritas, str) else polaritas
        return _capaian_fn(t, realisasi, pol)

    return _guard(run)


def _native_capaian(refs: Mapping[str, Ref], policy: Policy) -> str:
    t, r, p = _val(refs, "target"), _val(refs, "realisasi"), _val(refs, "polaritas")
    h = _val(refs, "target_atas")
    hi = f"IF({h}=\"\",{t},{h})"
    pol_ok = ",".join(f'{p}<>"{x}"' for x in POLARITAS)
    below = (f'IF({t}=0,IF({p}="negatif",100,0),'
             f'IF({p}="negatif",(2*{t}-{r})/{t}*100,MAX(0,{r}/{t}*100)))')
    above = (f'IF({p}="positif",{r}/{hi}*100,'
             f'IF({hi}=0,0,MAX(0,(2*{hi}-{r})/{hi}*100)))')
    return (
        f'IF(OR({t}="",{r}=""),"",'
        f'IF(AND({pol_ok}),"#POLARITAS?",'
        f'IF(OR(NOT(ISNUMBER({t})),AND({h}<>"",NOT(ISNUMBER({h})))),"#INPUT?",'
        f'IF(OR({t}<0,AND({h}<>"",{h}<0)),"#TARGET<0",'
        f'IF(AND({h}<>"",{h}<={t}),"#RENTANG?",'
        f'IF(NOT(ISNUMBER({r})),"#INPUT?",'
        f'IF(AND({p}="positif",{hi}=0),"#TARGET0",'
        f'IF({r}<{t},{below},IF({r}>{hi},{above},100)))))))))'
    )


# --------------------------------------------------------------------------- ytd
def _cell_ytd(nilai_tw: Any, tipe_agregasi: Any, policy: Policy | None = None) -> CellValue:
    vals = [_none_if_blank(v) for v in _flat(nilai_tw)]
    if all(v is None for v in vals):
        return ""
    return _guard(lambda: triwulan.ytd(vals, tipe_agregasi, min(len(vals), 4)))


def _native_ytd(refs: Mapping[str, Ref], policy: Policy) -> str:
    rng = _rng(refs, "nilai_tw")
    k = _val(refs, "tipe_agregasi")
    tipe_ok = ",".join(f'{k}<>"{x}"' for x in TIPE_AGREGASI)
    cells = list(rng.cells)
    latest = cells[0]
    for c in cells[1:]:
        latest = f"IF(ISNUMBER({c}),{c},{latest})"
    return (
        f'IF(COUNTA({rng.a1})=0,"",'
        f'IF(AND({tipe_ok}),"#TIPE?",'
        f'IF(COUNTA({rng.a1})>COUNT({rng.a1}),"#INPUT?",'
        f'IF({k}="kumulatif",SUM({rng.a1}),IF({k}="akhir",{latest},AVERAGE({rng.a1}))))))'
    )


# --------------------------------------------------------------------------- kategori / predikat
def _cell_kategori(capaian_persen: Any, policy: Policy | None = None) -> CellValue:
    if not _is_number(capaian_persen):
        return ""
    return _guard(lambda: _kategori_fn(capaian_persen, policy))


def _native_kategori(refs: Mapping[str, Ref], policy: Policy) -> str:
    x = _val(refs, "capaian")
    expr = _q(policy.kategori[-1].label)
    for band in reversed(policy.kategori[:-1]):
        expr = f"IF({x}>={_num(band.batas_bawah or 0)},{_q(band.label)},{expr})"
    return f'IF(NOT(ISNUMBER({x})),"",{expr})'


def _cell_predikat(nilai: Any, policy: Policy | None = None) -> CellValue:
    if not _is_number(nilai):
        return ""
    return _guard(lambda: _predikat_fn(nilai, policy))


def _rounded(x: str, policy: Policy) -> str:
    """The published nilai: rounded to the policy's resolution, half away from zero (as nilai_terbit)."""
    k = _num(1.0 / policy.resolusi_nilai)
    return f"ROUND({x}*{k},0)/{k}"


def _native_predikat(refs: Mapping[str, Ref], policy: Policy) -> str:
    x = _val(refs, "nilai")
    op = ">=" if policy.batas_predikat == "inklusif" else ">"
    r = _rounded(x, policy)
    expr = _q(policy.predikat[-1].label)
    for band in reversed(policy.predikat[:-1]):
        expr = f"IF({r}{op}{_num(band.batas_bawah)},{_q(band.label)},{expr})"
    return f'IF(NOT(ISNUMBER({x})),"",IF(OR({x}<0,{x}>100),"#INPUT?",{expr}))'


# --------------------------------------------------------------------------- next predikat (rencana)
def _cell_predikat_berikut(nilai: Any, policy: Policy | None = None) -> CellValue:
    if not _is_number(nilai):
        return ""

    def run() -> CellValue:
        step = _next_predikat_fn(nilai, policy)
        return "" if step is None else step[0]

    return _guard(run)


def _cell_poin_predikat(nilai: Any, policy: Policy | None = None) -> CellValue:
    if not _is_number(nilai):
        return ""

    def run() -> CellValue:
        step = _next_predikat_fn(nilai, policy)
        return "" if step is None else step[1]

    return _guard(run)


def _native_next(refs: Mapping[str, Ref], policy: Policy, points: bool) -> str:
    """Band by band from the top: in band i the next predikat is band i-1 (blank in the top band)."""
    x = _nilai_ref(_val(refs, "nilai"), policy)
    op = ">=" if policy.batas_predikat == "inklusif" else ">"
    step = policy.resolusi_nilai if policy.batas_predikat == "eksklusif" else 0.0
    bands = policy.predikat

    def then(i: int) -> str:  # value shown in band i (i >= 1): band i-1's label or the points to it
        up = bands[i - 1]
        if not points:
            return _q(up.label)
        return f"{_num(up.batas_bawah)}-{x}+{_num(step)}" if step else f"{_num(up.batas_bawah)}-{x}"

    expr = then(len(bands) - 1)
    for i in range(len(bands) - 2, 0, -1):
        expr = f"IF({x}{op}{_num(bands[i].batas_bawah)},{then(i)},{expr})"
    expr = f'IF({x}{op}{_num(bands[0].batas_bawah)},"",{expr})'
    raw = _val(refs, "nilai")
    return f'IF(NOT(ISNUMBER({raw})),"",IF(OR({raw}<0,{raw}>100),"#INPUT?",{expr}))'


def _native_predikat_berikut(refs: Mapping[str, Ref], policy: Policy) -> str:
    return _native_next(refs, policy, points=False)


def _native_poin_predikat(refs: Mapping[str, Ref], policy: Policy) -> str:
    return _native_next(refs, policy, points=True)


def _nilai_ref(x: str, policy: Policy) -> str:
    """The nilai as the predikat rule reads it: the published nilai, rounded as the core rounds it."""
    return _rounded(x, policy)


# --------------------------------------------------------------------------- LKE
def _cell_score(jawaban: Any, jenis_jawaban: Any, policy: Policy | None = None) -> CellValue:
    if _is_blank(jawaban) or (isinstance(jawaban, str) and jawaban.strip(" ") == ""):
        return ""  # as TRIM(jawaban)="" in the native formula
    return _guard(lambda: lke.nilai_jawaban(jawaban, jenis_jawaban, policy))


def _native_score(refs: Mapping[str, Ref], policy: Policy) -> str:
    j, jenis = _val(refs, "jawaban"), _val(refs, "jenis_jawaban")
    key = f"UPPER(TRIM({j}))"
    expr = '"#JAWABAN?"'
    for jname, table in reversed(list(policy.nilai_jawaban.items())):
        inner = '"#JAWABAN?"'
        for label, value in reversed(list(table.items())):
            words = [label.upper(), *(a for a, lb in lke.ALIAS_JAWABAN.items() if lb == label.upper())]
            tests = [f"{key}={_q(w)}" for w in words]
            cond = tests[0] if len(tests) == 1 else "OR(" + ",".join(tests) + ")"
            inner = f"IF({cond},{_num(value)},{inner})"
        expr = f"IF(TRIM({jenis})={_q(jname)},{inner},{expr})"
    return f'IF(TRIM({j})="","",{expr})'


def _cell_lke_sub(nilai: Any, kode_sub_kolom: Any, kode_sub: Any, bobot: Any,
                  policy: Policy | None = None) -> CellValue:
    p = policy or default_policy()
    vals = _flat(nilai)
    subs = _flat(kode_sub_kolom)
    want = str(kode_sub).strip()
    members = [v for v, s in zip(vals, subs, strict=False) if str(s).strip() == want]
    if not members:
        return ""
    if any(isinstance(v, str) and v.startswith("#") for v in members):
        return "#JAWABAN?"
    if not any(_is_number(v) for v in members):
        return ""  # nothing answered yet: blank (not 0, and no predikat D before any answer)

    def run() -> CellValue:
        values = [None if not _is_number(v) else float(v) for v in members]
        return lke.nilai_sub_komponen(values, bobot, p.lke.kosong_bernilai_nol)

    return _guard(run)


def _native_lke_sub(refs: Mapping[str, Ref], policy: Policy) -> str:
    v = _rng(refs, "nilai").a1
    s = _rng(refs, "kode_sub_kolom").a1
    k, b = _val(refs, "kode_sub"), _val(refs, "bobot")
    if policy.lke.kosong_bernilai_nol:
        n = f"COUNTIF({s},{k})"
    else:
        n = f'COUNTIFS({s},{k},{v},">=0")'
    return (
        f'IF(COUNTIF({s},{k})=0,"",'
        f'IF(COUNTIFS({s},{k},{v},"#JAWABAN?")>0,"#JAWABAN?",'
        f'IF(COUNTIFS({s},{k},{v},">=0")=0,"",'
        f'IF(NOT(ISNUMBER({b})),"#INPUT?",'
        f'SUMIF({s},{k},{v})/{n}*{b}))))'
    )


def _cell_jumlah(nilai: Any, policy: Policy | None = None) -> CellValue:
    vals = [v for v in _flat(nilai) if not _is_blank(v)]
    if not vals:
        return ""
    if any(not _is_number(v) for v in vals):
        return InvalidAnswer.cell_text  # as the native formula: any text in the range
    return float(sum(float(v) for v in vals))


def _native_jumlah(refs: Mapping[str, Ref], policy: Policy) -> str:
    rng = _rng(refs, "nilai").a1
    filled = f"SUMPRODUCT((LEN({rng})>0)*1)"  # not COUNTA: a formula's "" counts there, blank here
    return f'IF({filled}=0,"",IF({filled}>COUNT({rng}),"#JAWABAN?",SUM({rng})))'


# --------------------------------------------------------------------------- rata / budget
def _cell_rata(capaian_kolom: Any, batas: Any = None, policy: Policy | None = None) -> CellValue:
    nums = [float(v) for v in _flat(capaian_kolom) if _is_number(v)]
    cap = float(batas) if _is_number(batas) else None
    return _guard(lambda: rollup.rata_capaian(nums, cap))


def _native_rata(refs: Mapping[str, Ref], policy: Policy) -> str:
    rng = _rng(refs, "capaian").a1
    cap = refs.get("batas")
    if cap is None or cap == "":
        return f'IF(COUNT({rng})=0,"",AVERAGE({rng}))'
    c = _lit(cap)
    return (f'IF(COUNT({rng})=0,"",'
            f'(SUMIF({rng},"<="&{c})+{c}*COUNTIF({rng},">"&{c}))/COUNT({rng}))')


def _cell_serapan(pagu: Any, realisasi_tw: Any, policy: Policy | None = None) -> CellValue:
    vals = [_none_if_blank(v) for v in _flat(realisasi_tw)]
    if _is_blank(pagu) or all(v is None for v in vals):
        return ""
    return _guard(lambda: anggaran.serapan(pagu, vals))


def _native_serapan(refs: Mapping[str, Ref], policy: Policy) -> str:
    pg = _val(refs, "pagu")
    rng = _rng(refs, "realisasi_tw").a1
    return (
        f'IF(OR({pg}="",COUNTA({rng})=0),"",'
        f'IF(OR(NOT(ISNUMBER({pg})),COUNTA({rng})>COUNT({rng})),"#INPUT?",'
        f'IF(OR({pg}<0,MIN({rng})<0),"#INPUT?",'
        f'IF({pg}=0,IF(SUM({rng})=0,"","#PAGU0"),SUM({rng})/{pg}*100))))'
    )


def _cell_jumlah_level(level_kolom: Any, nilai_kolom: Any, level: Any,
                       policy: Policy | None = None) -> CellValue:
    """Sum of the numbers at one level; blank when no line has that level (so a blank template
    shows blank, not ``#PAGU0``).  Level text compares case-insensitively, untrimmed, as
    COUNTIF/SUMIF do."""
    want = str(level).lower()
    if want == "":
        return ""  # no budget level to count (no line with a pagu)
    pairs = [(lv, v) for lv, v in zip(_flat(level_kolom), _flat(nilai_kolom), strict=False)
             if lv is not None and str(lv).lower() == want]
    if not pairs:
        return ""
    return float(sum(float(v) for _, v in pairs if _is_number(v)))


def _native_jumlah_level(refs: Mapping[str, Ref], policy: Policy) -> str:
    lv, v, k = _rng(refs, "level_kolom").a1, _rng(refs, "nilai_kolom").a1, _val(refs, "level")
    return f'IF(OR({k}="",COUNTIF({lv},{k})=0),"",SUMIF({lv},{k},{v}))'


def _cell_efisiensi(capaian_persen: Any, serapan_persen: Any, policy: Policy | None = None) -> CellValue:
    if not _is_number(capaian_persen) or not _is_number(serapan_persen):
        return ""
    return _guard(lambda: anggaran.efisiensi(capaian_persen, serapan_persen))


def _native_efisiensi(refs: Mapping[str, Ref], policy: Policy) -> str:
    c, s = _val(refs, "capaian"), _val(refs, "serapan")
    return (f'IF(OR(NOT(ISNUMBER({c})),NOT(ISNUMBER({s}))),"",'
            f'IF(OR({c}<0,{s}<0),"#INPUT?",IF({s}=0,"#SERAPAN0",{c}/{s})))')


# --------------------------------------------------------------------------- OPD budget level (A9 decision 8)
def _cell_level_anggaran(level_kolom: Any, pagu_kolom: Any, policy: Policy | None = None) -> CellValue:
    levels = [None if lv is None else str(lv) for lv in _flat(level_kolom)]
    pagu = _flat(pagu_kolom)
    return anggaran.level_serapan([(lv, v if _is_number(v) else None)
                                   for lv, v in zip(levels, pagu, strict=False)]) or ""


def _native_level_anggaran(refs: Mapping[str, Ref], policy: Policy) -> str:
    lv, pg = _rng(refs, "level_kolom").a1, _rng(refs, "pagu_kolom").a1
    expr = '""'
    for level in reversed(anggaran.LEVEL_SERAPAN):
        has = f'COUNTIFS({lv},{_q(level)},{pg},">=0")+COUNTIFS({lv},{_q(level)},{pg},"<0")>0'
        expr = f"IF({has},{_q(level)},{expr})"
    return expr


# --------------------------------------------------------------------------- s.d. TW n (A9 decision 2)
def _last_reported(realisasi_tw: Any) -> int:
    return triwulan.tw_terakhir(_flat(realisasi_tw))


def _cell_tw_terakhir(realisasi_tw: Any, policy: Policy | None = None) -> CellValue:
    n = _last_reported(realisasi_tw)
    return triwulan.TW_LABELS[n - 1] if n else ""


def _native_tw_terakhir(refs: Mapping[str, Ref], policy: Policy) -> str:
    cells = _rng(refs, "realisasi_tw").cells
    expr = '""'
    for i, c in enumerate(cells):
        expr = f"IF(ISNUMBER({c}),{_q(triwulan.TW_LABELS[i])},{expr})"
    return expr


def _cell_target_sd_tw(target_tw: Any, realisasi_tw: Any, tipe_agregasi: Any, target: Any,
                       policy: Policy | None = None) -> CellValue:
    n = _last_reported(realisasi_tw)
    if n == 0:
        return ""
    if not isinstance(tipe_agregasi, str) or tipe_agregasi not in TIPE_AGREGASI:
        return "#TIPE?"
    targets = [_none_if_blank(v) for v in _flat(target_tw)[:n]]
    if any(v is not None and not _is_number(v) for v in targets):
        return "#INPUT?"
    if all(v is None for v in targets):
        if tipe_agregasi == "kumulatif" or _is_blank(target):
            return ""
        return float(target) if _is_number(target) else "#INPUT?"
    return _guard(lambda: triwulan.ytd(targets, tipe_agregasi, n))


def _sub(cells: Sequence[str], n: int) -> str:
    return cells[0] if n == 1 else f"{cells[0]}:{cells[n - 1]}"


def _native_target_sd_tw(refs: Mapping[str, Ref], policy: Policy) -> str:
    t_cells = _rng(refs, "target_tw").cells
    r_rng = _rng(refs, "realisasi_tw")
    k, t = _val(refs, "tipe_agregasi"), _val(refs, "target")
    tipe_ok = ",".join(f'{k}<>"{x}"' for x in TIPE_AGREGASI)

    def upto(n: int) -> str:
        rng = _sub(t_cells, n)
        latest = t_cells[0]
        for c in t_cells[1:n]:
            latest = f"IF(ISNUMBER({c}),{c},{latest})"
        fallback = f'IF(OR({k}="kumulatif",{t}=""),"",IF(ISNUMBER({t}),{t},"#INPUT?"))'
        return (f'IF(COUNTA({rng})>COUNT({rng}),"#INPUT?",IF(COUNT({rng})=0,{fallback},'
                f'IF({k}="kumulatif",SUM({rng}),IF({k}="akhir",{latest},AVERAGE({rng})))))')

    expr = '""'
    for i, c in enumerate(r_rng.cells):
        expr = f"IF(ISNUMBER({c}),{upto(i + 1)},{expr})"
    return f'IF(COUNT({r_rng.a1})=0,"",IF(AND({tipe_ok}),"#TIPE?",{expr}))'


def _cell_capaian_sd_tw(target_sd: Any, realisasi: Any, polaritas: Any, target_atas: Any, target_tw: Any,
                        realisasi_tw: Any, policy: Policy | None = None) -> CellValue:
    n = _last_reported(realisasi_tw)
    # as the native formula: the targets up to TW n (TW I when nothing is reported yet)
    fallback = not any(_is_number(v) for v in _flat(target_tw)[:max(n, 1)])
    return _cell_capaian(target_sd, realisasi, polaritas, target_atas if fallback else None, policy)


def _native_capaian_sd_tw(refs: Mapping[str, Ref], policy: Policy) -> str:
    t_cells = _rng(refs, "target_tw").cells
    r_cells = _rng(refs, "realisasi_tw").cells
    h = _val(refs, "target_atas")
    count = f"COUNT({_sub(t_cells, 1)})"
    for i, c in enumerate(r_cells[1:], start=2):
        count = f"IF(ISNUMBER({c}),COUNT({_sub(t_cells, i)}),{count})"
    point = {"target": refs["target_sd"], "realisasi": refs["realisasi"], "polaritas": refs["polaritas"]}
    # no quarterly target to date: the annual target (with its range) stands; otherwise a point target
    fallback = _native_capaian({**point, "target_atas": f'IF({h}="","",{h})'}, policy)
    return f'IF({count}=0,{fallback},{_native_capaian(point, policy)})'


# --------------------------------------------------------------------------- kerangka logis (A9 decision 4)
def _acuan(text: Any) -> tuple[tuple[str, str, str], ...]:
    out = []
    for dep in str(text or "").split(";"):
        dep = dep.strip()
        if not dep:
            continue
        m = lke._DEP.match(dep)
        if m is None:
            continue
        out.append((dep, "sub", m.group("sub")) if m.group("sub") else (dep, "kode", m.group("kode")))
    return tuple(out)


def _cell_kerangka_logis(nilai: Any, kode_kolom: Any, kode_sub_kolom: Any, nilai_kolom: Any, acuan: Any,
                         policy: Policy | None = None) -> CellValue:
    p = policy or default_policy()
    if not _is_number(nilai):
        return ""
    kodes, subs, values = _flat(kode_kolom), _flat(kode_sub_kolom), _flat(nilai_kolom)
    by_kode: dict[str, float | None] = {}
    anggota: dict[str, list[float | None]] = {}
    for kode, sub, v in zip(kodes, subs, values, strict=False):
        x = float(v) if _is_number(v) else None
        if kode is not None and str(kode) != "":
            key = str(kode).lower()
            prev = by_kode.get(key)
            by_kode[key] = x if prev is None else (prev + (x or 0.0))  # SUMIF adds every matching row
        if sub is not None and str(sub) != "":
            anggota.setdefault(str(sub).lower(), []).append(x)
    deps = tuple((d, kind, ref.lower()) for d, kind, ref in _acuan(acuan))
    over = [label for _d, label, limit in lke.batas_kerangka(deps, by_kode, anggota, p.lke.kosong_bernilai_nol)
            if float(nilai) > limit + lke._KL_EPS]
    return "Melebihi " + ", ".join(over) if over else ""


def _native_kerangka_logis(refs: Mapping[str, Ref], policy: Policy) -> str:
    v = _val(refs, "nilai")
    kode, sub, nilai = (_rng(refs, n).a1 for n in ("kode_kolom", "kode_sub_kolom", "nilai_kolom"))
    acuan = refs.get("acuan")
    text = acuan[1:-1] if isinstance(acuan, str) and acuan.startswith('"') else str(acuan or "")
    zero = policy.lke.kosong_bernilai_nol
    parts = []
    for _dep, kind, ref in _acuan(text):
        if kind == "kode":
            have = f"COUNTIF({kode},{_q(ref)})>0" if zero else f'COUNTIFS({kode},{_q(ref)},{nilai},">=0")>0'
            parts.append(f'IF({have},IF({v}>SUMIF({kode},{_q(ref)},{nilai})+1E-9,", {ref}",""),"")')
        else:
            n = f"COUNTIF({sub},{_q(ref)})" if zero else f'COUNTIFS({sub},{_q(ref)},{nilai},">=0")'
            parts.append(f'IF({n}>0,IF({v}>SUMIF({sub},{_q(ref)},{nilai})/{n}+1E-9,", rata-rata {ref}",""),"")')
    if not parts:
        return '""'
    joined = "&".join(parts)
    return f'IF(NOT(ISNUMBER({v})),"",IF({joined}="","","Melebihi "&MID({joined},3,999)))'


# --------------------------------------------------------------------------- nilai used (A9 decision 1)
def _cell_jumlah_dijawab(nilai: Any, policy: Policy | None = None) -> CellValue:
    return float(sum(1 for v in _flat(nilai) if _is_number(v)))


def _native_jumlah_dijawab(refs: Mapping[str, Ref], policy: Policy) -> str:
    return f"COUNT({_rng(refs, 'nilai').a1})"


def _evaluator_used(dijawab_evaluator: Any, kode_kolom: Any, status: Any) -> bool:
    n = sum(1 for k in _flat(kode_kolom) if not _is_blank(k))
    return rollup.evaluator_dipakai(float(dijawab_evaluator) if _is_number(dijawab_evaluator) else 0.0, n,
                                    status if isinstance(status, str) else None)


def _cell_nilai_dipakai(nilai_opd: Any, nilai_evaluator: Any, dijawab_evaluator: Any, kode_kolom: Any,
                        status: Any, policy: Policy | None = None) -> CellValue:
    v = nilai_evaluator if _evaluator_used(dijawab_evaluator, kode_kolom, status) else nilai_opd
    if _is_number(v):
        return float(v)
    return v if isinstance(v, str) else ""


def _used_cond(refs: Mapping[str, Ref]) -> str:
    d, st = _val(refs, "dijawab_evaluator"), _val(refs, "status")
    k = _rng(refs, "kode_kolom").a1
    return f'AND(ISNUMBER({d}),{d}>0,OR({d}>=COUNTA({k}),UPPER(TRIM({st}))="FINAL"))'


def _native_nilai_dipakai(refs: Mapping[str, Ref], policy: Policy) -> str:
    o, e = _val(refs, "nilai_opd"), _val(refs, "nilai_evaluator")
    return f'IF({_used_cond(refs)},IF({e}="","",{e}),IF({o}="","",{o}))'


def _cell_sumber_nilai(nilai_opd: Any, nilai_evaluator: Any, dijawab_evaluator: Any, kode_kolom: Any,
                       status: Any, policy: Policy | None = None) -> CellValue:
    used = _evaluator_used(dijawab_evaluator, kode_kolom, status)
    v = nilai_evaluator if used else nilai_opd
    if _is_blank(v):
        return ""
    return rollup.SUMBER_EVALUATOR if used else rollup.SUMBER_MANDIRI


def _native_sumber_nilai(refs: Mapping[str, Ref], policy: Policy) -> str:
    o, e = _val(refs, "nilai_opd"), _val(refs, "nilai_evaluator")
    return (f'IF({_used_cond(refs)},IF({e}="","",{_q(rollup.SUMBER_EVALUATOR)}),'
            f'IF({o}="","",{_q(rollup.SUMBER_MANDIRI)}))')


def _cell_versi(policy: Policy | None = None) -> CellValue:
    return __version__


def _native_versi(refs: Mapping[str, Ref], policy: Policy) -> str:
    return _q(__version__)


# --------------------------------------------------------------------------- the registry
_P = Param
RULES: dict[str, Rule] = {
    r.key: r
    for r in [
        Rule(
            key="capaian", udf="SAKIP_CAPAIAN",
            doc="Capaian kinerja (%) satu indikator menurut polaritasnya (A1).",
            params=(
                _P("target", "Target tahunan (angka; batas bawah bila target berupa rentang)"),
                _P("realisasi", "Realisasi (angka)"),
                _P("polaritas", "positif, negatif, atau stabil"),
                _P("target_atas", "Batas atas target rentang (kosongkan bila bukan rentang)", optional=True),
            ),
            cell=_cell_capaian, native=_native_capaian, core=("scoring.capaian.capaian",),
        ),
        Rule(
            key="ytd", udf="SAKIP_YTD",
            doc="Nilai s.d. triwulan (year-to-date) menurut tipe agregasi (A2).",
            params=(
                _P("nilai_tw", "Nilai TW I s.d. TW IV (rentang 4 sel)", kind="range", per_row=True),
                _P("tipe_agregasi", "kumulatif, akhir, atau rata-rata"),
            ),
            cell=_cell_ytd, native=_native_ytd, core=("scoring.triwulan.ytd",),
        ),
        Rule(
            key="kategori", udf="SAKIP_KATEGORI",
            doc="Kategori capaian (Sangat Tinggi ... Sangat Rendah) menurut kebijakan (A3).",
            params=(_P("capaian", "Capaian (%)"),),
            cell=_cell_kategori, native=_native_kategori, returns="text",
            core=("scoring.kategori.kategori",),
        ),
        Rule(
            key="score", udf="SAKIP_SCORE",
            doc="Nilai (0-1) satu jawaban LKE: Y=1, T=0; A=1 ... E=0 (A5).",
            params=(
                _P("jawaban", "Jawaban (Y/T atau A-E)"),
                _P("jenis_jawaban", "Jenis jawaban kriteria: Y/T atau A-E"),
            ),
            cell=_cell_score, native=_native_score, core=("scoring.lke.nilai_jawaban",),
        ),
        Rule(
            key="lke_sub", udf="SAKIP_LKE_SUB",
            doc="Nilai satu sub komponen LKE: rata-rata nilai kriterianya x bobot (A5).",
            params=(
                _P("nilai", "Kolom nilai kriteria", kind="range"),
                _P("kode_sub_kolom", "Kolom kode sub komponen", kind="range"),
                _P("kode_sub", "Kode sub komponen, mis. 1.a"),
                _P("bobot", "Bobot sub komponen"),
            ),
            cell=_cell_lke_sub, native=_native_lke_sub, core=("scoring.lke.nilai_sub_komponen",),
        ),
        Rule(
            key="jumlah", udf="SAKIP_JUMLAH",
            doc="Jumlah nilai (komponen atau total LKE) (A5).",
            params=(_P("nilai", "Sel-sel nilai yang dijumlah", kind="range"),),
            cell=_cell_jumlah, native=_native_jumlah, core=("scoring.lke.nilai_lke",),
        ),
        Rule(
            key="predikat", udf="SAKIP_PREDIKAT",
            doc="Predikat (AA ... D) dari nilai LKE 0-100 (A6).",
            params=(_P("nilai", "Nilai LKE 0-100"),),
            cell=_cell_predikat, native=_native_predikat, returns="text",
            core=("scoring.kategori.predikat",),
        ),
        Rule(
            key="predikat_berikut", udf="SAKIP_PREDIKAT_BERIKUT",
            doc="Predikat berikutnya di atas nilai LKE ini (kosong di predikat tertinggi) (A6, A7).",
            params=(_P("nilai", "Nilai LKE 0-100"),),
            cell=_cell_predikat_berikut, native=_native_predikat_berikut, returns="text",
            core=("scoring.kategori.next_predikat",),
        ),
        Rule(
            key="poin_predikat", udf="SAKIP_POIN_PREDIKAT",
            doc="Poin nilai LKE yang masih diperlukan untuk predikat berikutnya (A6, A7).",
            params=(_P("nilai", "Nilai LKE 0-100"),),
            cell=_cell_poin_predikat, native=_native_poin_predikat,
            core=("scoring.kategori.next_predikat",),
        ),
        Rule(
            key="rata", udf="SAKIP_RATA",
            doc="Rata-rata capaian indikator, tiap capaian dibatasi batas (bila diisi) (A1, A7).",
            params=(
                _P("capaian", "Kolom capaian (%)", kind="range"),
                _P("batas", "Batas atas per indikator (mis. 120); kosong = tanpa batas",
                   kind="literal", optional=True),
            ),
            cell=_cell_rata, native=_native_rata, core=("scoring.rollup.rata_capaian",),
        ),
        Rule(
            key="serapan", udf="SAKIP_SERAPAN",
            doc="Serapan anggaran (%) = realisasi / pagu x 100 (A4).",
            params=(
                _P("pagu", "Pagu anggaran"),
                _P("realisasi_tw", "Realisasi TW I s.d. TW IV (rentang)", kind="range", per_row=True),
            ),
            cell=_cell_serapan, native=_native_serapan, core=("scoring.anggaran.serapan",),
        ),
        Rule(
            key="jumlah_level", udf="SAKIP_JUMLAH_LEVEL",
            doc="Jumlah satu kolom anggaran untuk satu level (mis. Program) (A4).",
            params=(
                _P("level_kolom", "Kolom Level", kind="range"),
                _P("nilai_kolom", "Kolom yang dijumlah", kind="range"),
                _P("level", "Program, Kegiatan, atau Sub Kegiatan"),
            ),
            cell=_cell_jumlah_level, native=_native_jumlah_level,
            core=("scoring.anggaran.realisasi_anggaran",),
        ),
        Rule(
            key="efisiensi", udf="SAKIP_EFISIENSI",
            doc="Indeks efisiensi = capaian kinerja / serapan anggaran (> 1 efisien) (A4).",
            params=(_P("capaian", "Capaian kinerja (%)"), _P("serapan", "Serapan anggaran (%)")),
            cell=_cell_efisiensi, native=_native_efisiensi, core=("scoring.anggaran.efisiensi",),
        ),
        Rule(
            key="level_anggaran", udf="SAKIP_LEVEL_ANGGARAN",
            doc="Level anggaran yang dihitung untuk serapan OPD: Program, bila tidak ada Kegiatan, "
                "bila tidak ada Sub Kegiatan (A4, A9).",
            params=(
                _P("level_kolom", "Kolom Level", kind="range"),
                _P("pagu_kolom", "Kolom Pagu", kind="range"),
            ),
            cell=_cell_level_anggaran, native=_native_level_anggaran, returns="text",
            core=("scoring.anggaran.level_serapan",),
        ),
        Rule(
            key="tw_terakhir", udf="SAKIP_TW_TERAKHIR",
            doc="Triwulan terakhir yang realisasinya sudah dilaporkan (A9).",
            params=(_P("realisasi_tw", "Realisasi TW I s.d. TW IV (rentang)", kind="range", per_row=True),),
            cell=_cell_tw_terakhir, native=_native_tw_terakhir, returns="text",
            core=("scoring.triwulan.tw_terakhir",),
        ),
        Rule(
            key="target_sd_tw", udf="SAKIP_TARGET_SD_TW",
            doc="Target s.d. triwulan terakhir yang dilaporkan, menurut tipe agregasi (A2, A9).",
            params=(
                _P("target_tw", "Target TW I s.d. TW IV (rentang)", kind="range", per_row=True),
                _P("realisasi_tw", "Realisasi TW I s.d. TW IV (rentang)", kind="range", per_row=True),
                _P("tipe_agregasi", "kumulatif, akhir, atau rata-rata"),
                _P("target", "Target tahunan (dipakai bila target triwulan kosong, kecuali kumulatif)"),
            ),
            cell=_cell_target_sd_tw, native=_native_target_sd_tw, core=("scoring.triwulan.ytd",),
        ),
        Rule(
            key="capaian_sd_tw", udf="SAKIP_CAPAIAN_SD_TW",
            doc="Capaian s.d. triwulan terakhir: realisasi s.d. TW n terhadap target s.d. TW n (A9).",
            params=(
                _P("target_sd", "Target s.d. TW"),
                _P("realisasi", "Realisasi s.d. TW"),
                _P("polaritas", "positif, negatif, atau stabil"),
                _P("target_atas", "Batas atas target rentang (dipakai bila target triwulan kosong)"),
                _P("target_tw", "Target TW I s.d. TW IV (rentang)", kind="range", per_row=True),
                _P("realisasi_tw", "Realisasi TW I s.d. TW IV (rentang)", kind="range", per_row=True),
            ),
            cell=_cell_capaian_sd_tw, native=_native_capaian_sd_tw, core=("scoring.capaian.capaian",),
        ),
        Rule(
            key="kerangka_logis", udf="SAKIP_KERANGKA_LOGIS",
            doc="Pelanggaran kerangka logis satu jawaban LKE: kriteria acuan yang nilainya terlampaui (A5, A9).",
            params=(
                _P("nilai", "Nilai kriteria ini"),
                _P("kode_kolom", "Kolom Kode kriteria", kind="range"),
                _P("kode_sub_kolom", "Kolom Kode Sub", kind="range"),
                _P("nilai_kolom", "Kolom nilai (OPD atau evaluator)", kind="range"),
                _P("acuan", "Acuan kerangka logis, mis. 1.a.2;avg(1.b)", kind="literal"),
            ),
            cell=_cell_kerangka_logis, native=_native_kerangka_logis, returns="text",
            core=("scoring.lke.batas_kerangka",),
        ),
        Rule(
            key="jumlah_dijawab", udf="SAKIP_JUMLAH_DIJAWAB",
            doc="Jumlah kriteria LKE yang sudah dijawab dengan sah.",
            params=(_P("nilai", "Kolom nilai (OPD atau evaluator)", kind="range"),),
            cell=_cell_jumlah_dijawab, native=_native_jumlah_dijawab, core=("scoring.lke.nilai_lke",),
        ),
        Rule(
            key="nilai_dipakai", udf="SAKIP_NILAI_DIPAKAI",
            doc="Nilai LKE yang dipakai: evaluator bila kolomnya lengkap atau Status Evaluasi Final, "
                "selain itu nilai mandiri OPD (A9).",
            params=(
                _P("nilai_opd", "Nilai LKE OPD"), _P("nilai_evaluator", "Nilai LKE evaluator"),
                _P("dijawab_evaluator", "Jumlah kriteria yang dijawab evaluator"),
                _P("kode_kolom", "Kolom Kode kriteria", kind="range"),
                _P("status", "Status Evaluasi: Draf atau Final"),
            ),
            cell=_cell_nilai_dipakai, native=_native_nilai_dipakai, core=("scoring.rollup.evaluator_dipakai",),
        ),
        Rule(
            key="sumber_nilai", udf="SAKIP_SUMBER_NILAI",
            doc="Sumber nilai LKE yang dipakai: Evaluator atau Mandiri (OPD) (A9).",
            params=(
                _P("nilai_opd", "Nilai LKE OPD"), _P("nilai_evaluator", "Nilai LKE evaluator"),
                _P("dijawab_evaluator", "Jumlah kriteria yang dijawab evaluator"),
                _P("kode_kolom", "Kolom Kode kriteria", kind="range"),
                _P("status", "Status Evaluasi: Draf atau Final"),
            ),
            cell=_cell_sumber_nilai, native=_native_sumber_nilai, returns="text",
            core=("scoring.rollup.evaluator_dipakai",),
        ),
        Rule(
            key="versi", udf="SAKIP_VERSI",
            doc="Versi sakip-xl yang menghitung workbook ini.",
            params=(), cell=_cell_versi, native=_native_versi, returns="text",
        ),
    ]
}

_BY_UDF = {r.udf: r for r in RULES.values()}


def get_rule(key: str) -> Rule:
    return RULES[key]


def rule_by_udf(name: str) -> Rule:
    return _BY_UDF[name.upper()]


def formula(key: str, refs: Mapping[str, Ref], rumus: Rumus = "udf",
            policy: Policy | None = None) -> str:
    """The formula text (with leading ``=``) of rule ``key`` for the given cell references."""
    rule = RULES[key]
    if rumus == "udf":
        return "=" + rule.udf_formula(refs)
    if rumus == "native":
        return "=" + rule.native(refs, policy or default_policy())
    raise ValueError(f"rumus harus 'udf' atau 'native', bukan {rumus!r}")


def cell_value(key: str, *args: Any, policy: Policy | None = None) -> CellValue:
    """What a cell of rule ``key`` shows for these (already converted) argument values."""
    return RULES[key].cell(*args, policy=policy)


def _check_params(rules: Sequence[Rule]) -> None:
    for r in rules:
        names = [p.name for p in r.params]
        assert len(set(names)) == len(names), r.key


_check_params(list(RULES.values()))
