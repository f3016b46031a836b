"""A5: the evaluation sheet (LKE, PermenPAN-RB 88/2021) for Perangkat Daerah.

The criteria list ships as data (``sakip_xl/data/lke_88_2021_pd.csv``, 79 criteria in 4 components
and 12 sub-components).  Default scoring is per criterion: Y = 1, T = 0, A = 1 ... E = 0;
sub-component = mean of its criteria values x weight; component = sum of its sub-components;
nilai = sum of components (0-100).  The regulation's own per-sub-component grading (AA = 100 ...
E = 0, x weight) is the policy option ``lke.metode = "per_sub_komponen"``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..errors import InvalidAnswer, NoData, PolicyError
from ..policy import Policy, default_policy

__all__ = [
    "Kriteria",
    "SubKomponenNilai",
    "KomponenNilai",
    "NilaiLKE",
    "KerangkaLogisViolation",
    "load_kriteria",
    "nilai_jawaban",
    "nilai_per_kriteria",
    "nilai_lke",
    "nilai_lke_per_sub",
    "kerangka_logis",
    "batas_kerangka",
    "sub_komponen_list",
    "nilai_sub_komponen",
    "ALIAS_JAWABAN",
]


class Kriteria(BaseModel):
    model_config = ConfigDict(frozen=True)

    kode: str
    komponen: str
    bobot_komponen: float
    sub_komponen: str
    bobot_sub_komponen: float
    no: int
    kriteria: str
    jenis_jawaban: str
    penjelasan: str = ""
    tergantung_pada: tuple[str, ...] = ()

    @cached_property
    def kode_komponen(self) -> str:
        return self.kode.split(".")[0]

    @cached_property
    def kode_sub(self) -> str:
        return ".".join(self.kode.split(".")[:2])

    @cached_property
    def acuan(self) -> tuple[tuple[str, str, str], ...]:
        """``tergantung_pada`` parsed once: ``(as written, "sub" | "kode", sub-component or criterion)``."""
        out = []
        for dep in self.tergantung_pada:
            m = _DEP.match(dep)
            assert m is not None  # checked when loading
            out.append((dep, "sub", m.group("sub")) if m.group("sub") else (dep, "kode", m.group("kode")))
        return tuple(out)


class SubKomponenNilai(BaseModel):
    kode: str
    komponen: str
    nama: str
    bobot: float
    n_kriteria: int
    n_dijawab: int
    rata: float  # mean criterion value 0..1
    nilai: float  # rata x bobot

    @property
    def ruang(self) -> float:
        """Headroom: points still available in this sub-component (bobot x (1 - rata))."""
        return self.bobot * (1.0 - self.rata)

    @property
    def poin_per_kriteria(self) -> float:
        """Points gained by raising one criterion from 0 to 1."""
        return self.bobot / self.n_kriteria if self.n_kriteria else 0.0


class KomponenNilai(BaseModel):
    kode: str
    nama: str
    bobot: float
    nilai: float


class NilaiLKE(BaseModel):
    sub_komponen: list[SubKomponenNilai]
    komponen: list[KomponenNilai]
    total: float
    n_dijawab: int
    n_kriteria: int


class KerangkaLogisViolation(BaseModel):
    kode: str
    acuan: str  # the criterion (or "avg(1.b)") it may not exceed
    nilai: float
    batas: float
    message: str


_DEP = re.compile(r"^(avg\((?P<sub>\d+\.[a-z])\)|(?P<kode>\d+\.[a-z]\.\d+))$")


def _parse_kriteria(rows: list[dict[str, str]], source: str) -> list[Kriteria]:
    out: list[Kriteria] = []
    for n, row in enumerate(rows, start=2):
        try:
            deps = tuple(d.strip() for d in (row.get("tergantung_pada") or "").split(";") if d.strip())
            for d in deps:
                if not _DEP.match(d):
                    raise ValueError(f"tergantung_pada {d!r} tidak dikenali")
            out.append(
                Kriteria(
                    kode=row["kode"].strip(),
                    komponen=row["komponen"].strip(),
                    bobot_komponen=float(row["bobot_komponen"]),
                    sub_komponen=row["sub_komponen"].strip(),
                    bobot_sub_komponen=float(row["bobot_sub_komponen"]),
                    no=int(row["no"]),
                    kriteria=row["kriteria"].strip(),
                    jenis_jawaban=row["jenis_jawaban"].strip(),
                    penjelasan=(row.get("penjelasan") or "").strip(),
                    tergantung_pada=deps,
                )
            )
        except (KeyError, ValueError) as exc:
            raise PolicyError(f"{source} baris {n}: data kriteria LKE tidak valid ({exc})") from exc
    kodes = [k.kode for k in out]
    if len(set(kodes)) != len(kodes):
        raise PolicyError(f"{source}: kode kriteria LKE ganda")
    _check_bobot(out, source)
    return out


def _check_bobot(ks: list[Kriteria], source: str) -> None:
    """Weights must add up (sub-components to their component, components to 100): nilai is 0-100."""
    komp: dict[str, float] = {}
    subs: dict[str, tuple[str, float]] = {}
    for k in ks:
        if komp.setdefault(k.kode_komponen, k.bobot_komponen) != k.bobot_komponen or \
                subs.setdefault(k.kode_sub, (k.kode_komponen, k.bobot_sub_komponen))[1] != k.bobot_sub_komponen:
            raise PolicyError(f"{source}: bobot kriteria {k.kode} berbeda dari baris lain komponen/sub komponennya")
    for kode, bobot in komp.items():
        total = sum(b for c, b in subs.values() if c == kode)
        if abs(total - bobot) > 1e-6:
            raise PolicyError(f"{source}: bobot sub komponen {kode} berjumlah {total:g}, bukan {bobot:g}")
    if ks and abs(sum(komp.values()) - 100) > 1e-6:
        raise PolicyError(f"{source}: bobot komponen LKE berjumlah {sum(komp.values()):g}, bukan 100")


@lru_cache(maxsize=8)
def _load(varian: str) -> tuple[Kriteria, ...]:
    if varian == "88/2021":
        text = resources.files("sakip_xl.data").joinpath("lke_88_2021_pd.csv").read_text("utf-8")
        source = "lke_88_2021_pd.csv"
    else:
        p = Path(varian)
        try:
            text = p.read_text("utf-8-sig")
        except OSError as exc:
            raise PolicyError(f"kriteria LKE {varian!r} tidak dapat dibaca", key="lke.varian") from exc
        source = p.name
    return tuple(_parse_kriteria(list(csv.DictReader(text.splitlines())), source))


def load_kriteria(policy: Policy | None = None) -> list[Kriteria]:
    """The criteria list of the policy's LKE variant (default: 88/2021 for Perangkat Daerah)."""
    p = policy or default_policy()
    return list(_load(p.lke.varian))


def sub_komponen_list(kriteria: list[Kriteria]) -> list[tuple[str, str, str, float]]:
    """Ordered ``(kode_sub, komponen, sub_komponen, bobot)`` of the sub-components."""
    seen: dict[str, tuple[str, str, str, float]] = {}
    for k in kriteria:
        seen.setdefault(k.kode_sub, (k.kode_sub, k.komponen, k.sub_komponen, k.bobot_sub_komponen))
    return list(seen.values())


#: per answer table of a policy: ``{JENIS: (labels as written, {LABEL: value})}`` with the first
#: spelling winning (as a left-to-right search would).  Keyed by the table's value (a policy's
#: tables are read-only and hash by value), so an equal policy finds the same entry.
_ANSWER_TABLES: dict[Any, dict[str, tuple[list[str], dict[str, float]]]] = {}

#: Words an OPD types for Y/T answers, read as the answer they mean by the workbook's formula too
#: (SAKIP_SCORE and the native formula), so the workbook, ``periksa`` and the summary agree.
ALIAS_JAWABAN: dict[str, str] = {"YA": "Y", "YES": "Y", "TIDAK": "T", "NO": "T"}


def _answer_tables(p: Policy) -> dict[str, tuple[list[str], dict[str, float]]]:
    src: Any = p.nilai_jawaban
    try:
        hit = _ANSWER_TABLES.get(src)
    except TypeError:  # a plain dict (a policy built without validation): not cached
        hit, src = None, None
    if hit is not None:
        return hit
    tables: dict[str, tuple[list[str], dict[str, float]]] = {}
    for name, table in p.nilai_jawaban.items():
        lookup: dict[str, float] = {}
        for label, value in table.items():
            lookup.setdefault(label.upper(), value)
        for alias, label in ALIAS_JAWABAN.items():
            if label in lookup:
                lookup.setdefault(alias, lookup[label])
        tables.setdefault(name.upper(), (list(table), lookup))
    if src is not None:
        if len(_ANSWER_TABLES) >= 64:
            _ANSWER_TABLES.clear()
        _ANSWER_TABLES[src] = tables
    return tables


def nilai_jawaban(jawaban: Any, jenis_jawaban: str, policy: Policy | None = None) -> float:
    """Value (0..1) of one answer.  Blank -> :class:`NoData`; outside the jenis -> InvalidAnswer.

    Labels and jenis compare case-insensitively and without surrounding spaces ("y/t" is "Y/T", as
    in a worksheet comparison)."""
    p = policy or default_policy()
    found = _answer_tables(p).get(str(jenis_jawaban).strip().upper())
    if found is None:
        raise InvalidAnswer(
            f"jenis jawaban {jenis_jawaban!r} tidak dikenal; pilihan: {', '.join(p.nilai_jawaban)}"
        )
    if jawaban is None or (isinstance(jawaban, str) and not jawaban.strip()):
        raise NoData("belum dijawab")
    labels, lookup = found
    value = lookup.get(jawaban.strip().upper()) if isinstance(jawaban, str) else None
    if value is None:
        raise InvalidAnswer(
            f"jawaban {jawaban!r} tidak sesuai jenis {jenis_jawaban}; pilihan: {', '.join(labels)}"
        )
    return value


def nilai_per_kriteria(jawaban: Mapping[str, Any], ks: list[Kriteria], p: Policy,
                       skip_invalid: bool = False) -> dict[str, float | None]:
    """Each criterion's answer value (None: unanswered), as :func:`nilai_jawaban` gives it; an
    invalid answer raises (or, with ``skip_invalid``, is left out)."""
    tables = _answer_tables(p)
    out: dict[str, float | None] = {}
    for k in ks:
        ans = jawaban.get(k.kode)
        if (ans is None or (isinstance(ans, str) and not ans.strip())) and k.jenis_jawaban.strip().upper() in tables:
            out[k.kode] = None  # unanswered: what nilai_jawaban signals with NoData, without raising it
            continue
        try:
            out[k.kode] = nilai_jawaban(ans, k.jenis_jawaban, p)
        except NoData:
            out[k.kode] = None
        except InvalidAnswer:
            if not skip_invalid:
                raise
    return out


def nilai_sub_komponen(values: list[float | None], bobot: Any, kosong_bernilai_nol: bool = True) -> float:
    """Sub-component score: mean of its criteria values (None = unanswered) x bobot.

    Unanswered criteria count as 0 when ``kosong_bernilai_nol`` (the default: no evidence, no
    value), else they are left out of the mean.  Nothing answered and left out gives 0.
    """
    from ._num import finite

    b = finite(bobot, "bobot")
    if kosong_bernilai_nol:
        vals = [0.0 if v is None else finite(v, "nilai kriteria") for v in values]
    else:
        vals = [finite(v, "nilai kriteria") for v in values if v is not None]
    if not vals:
        return 0.0
    return sum(vals) / len(vals) * b


def nilai_lke(
    jawaban: Mapping[str, Any],
    kriteria: list[Kriteria] | None = None,
    policy: Policy | None = None,
) -> NilaiLKE:
    """Score a full LKE from ``{kode: answer}`` (missing or blank answers are unanswered).

    Invalid answers raise :class:`InvalidAnswer`; validators report them as Issues first.
    """
    p = policy or default_policy()
    ks = kriteria if kriteria is not None else load_kriteria(p)
    subs: list[SubKomponenNilai] = []
    answered_total = 0
    values_by_kode = nilai_per_kriteria(jawaban, ks, p)
    groups: dict[str, list[float | None]] = {}
    for k in ks:
        groups.setdefault(k.kode_sub, []).append(values_by_kode[k.kode])
    for kode_sub, komponen, nama, bobot in sub_komponen_list(ks):
        values = groups[kode_sub]
        answered = sum(1 for v in values if v is not None)
        nilai = nilai_sub_komponen(values, bobot, p.lke.kosong_bernilai_nol)
        rata = nilai / bobot if bobot else 0.0
        subs.append(
            SubKomponenNilai(
                kode=kode_sub, komponen=komponen, nama=nama, bobot=bobot,
                n_kriteria=len(values), n_dijawab=answered, rata=rata, nilai=nilai,
            )
        )
        answered_total += answered
    return _assemble(subs, ks, answered_total)


def _assemble(subs: list[SubKomponenNilai], ks: list[Kriteria], answered: int) -> NilaiLKE:
    komps: dict[str, KomponenNilai] = {}
    bobot_komponen: dict[str, float] = {}
    for k in ks:
        bobot_komponen.setdefault(k.kode_komponen, k.bobot_komponen)
    for s in subs:
        kode = s.kode.split(".")[0]
        bobot = bobot_komponen[kode]
        prev = komps.get(kode)
        komps[kode] = KomponenNilai(
            kode=kode, nama=s.komponen, bobot=bobot, nilai=(prev.nilai if prev else 0.0) + s.nilai
        )
    total = sum(k.nilai for k in komps.values())
    return NilaiLKE(
        sub_komponen=subs, komponen=list(komps.values()), total=total,
        n_dijawab=answered, n_kriteria=len(ks),
    )


def nilai_lke_per_sub(
    predikat_sub: Mapping[str, Any],
    kriteria: list[Kriteria] | None = None,
    policy: Policy | None = None,
) -> NilaiLKE:
    """The regulation's grading: each sub-component gets a predikat (AA ... E) -> value/100 x bobot."""
    p = policy or default_policy()
    ks = kriteria if kriteria is not None else load_kriteria(p)
    table = p.lke.nilai_predikat_sub
    subs: list[SubKomponenNilai] = []
    answered = 0
    for kode_sub, komponen, nama, bobot in sub_komponen_list(ks):
        grade = predikat_sub.get(kode_sub)
        n = sum(1 for k in ks if k.kode_sub == kode_sub)
        if grade is None or (isinstance(grade, str) and not grade.strip()):
            rata = 0.0
            got = 0
        else:
            key = str(grade).strip().upper()
            if key not in table:
                raise InvalidAnswer(
                    f"predikat sub komponen {grade!r} tidak dikenal; pilihan: {', '.join(table)}"
                )
            rata = table[key] / 100.0
            got = n
        answered += got
        subs.append(
            SubKomponenNilai(
                kode=kode_sub, komponen=komponen, nama=nama, bobot=bobot,
                n_kriteria=n, n_dijawab=got, rata=rata, nilai=rata * bobot,
            )
        )
    return _assemble(subs, ks, answered)


#: tolerance of the kerangka logis comparison (answer values are multiples of 0.25)
_KL_EPS = 1e-9


def batas_kerangka(
    acuan: tuple[tuple[str, str, str], ...],
    nilai: Mapping[str, float | None],
    anggota: Mapping[str, list[float | None]],
    kosong_bernilai_nol: bool,
) -> list[tuple[str, str, float]]:
    """The limits one criterion's answer may not exceed: ``(as written, label, batas)`` per dependency.

    ``nilai`` holds each criterion's value (None: blank or invalid), ``anggota`` each sub-component's
    values.  Where blanks score 0 (the default) a blank prerequisite counts as 0 and a sub-component
    mean includes its blanks as 0, exactly as the score does; otherwise blanks are left out and a
    prerequisite without a value sets no limit.  The workbook's kerangka logis column
    (``SAKIP_KERANGKA_LOGIS`` and its native formula) applies the same rule.
    """
    out: list[tuple[str, str, float]] = []
    for dep, kind, ref in acuan:
        if kind == "sub":
            members = anggota.get(ref)
            if not members:
                continue
            nums = [v for v in members if v is not None]
            n = len(members) if kosong_bernilai_nol else len(nums)
            if n == 0:
                continue
            out.append((dep, f"rata-rata {ref}", sum(nums) / n))
        else:
            if ref not in nilai:
                continue
            v = nilai[ref]
            if v is None:
                if not kosong_bernilai_nol:
                    continue
                v = 0.0
            out.append((dep, ref, v))
    return out


def kerangka_logis(
    jawaban: Mapping[str, Any],
    kriteria: list[Kriteria] | None = None,
    policy: Policy | None = None,
) -> list[KerangkaLogisViolation]:
    """Every answer that exceeds the answer (or sub-component mean) it depends on, all at once.

    Unanswered or invalid answers are not judged themselves (other rules report them); as a
    prerequisite they count as 0 where blanks score 0 (:func:`batas_kerangka`).
    """
    p = policy or default_policy()
    ks = kriteria if kriteria is not None else load_kriteria(p)
    values = nilai_per_kriteria(jawaban, ks, p, skip_invalid=True)
    nilai: dict[str, float | None] = {k.kode: values.get(k.kode) for k in ks}
    anggota: dict[str, list[float | None]] = {}
    for k in ks:
        anggota.setdefault(k.kode_sub, []).append(nilai[k.kode])
    zero = p.lke.kosong_bernilai_nol
    out: list[KerangkaLogisViolation] = []
    for k in ks:
        v = nilai[k.kode]
        if v is None or not k.tergantung_pada:
            continue
        for dep, label, limit in batas_kerangka(k.acuan, nilai, anggota, zero):
            if v > limit + _KL_EPS:
                what = f"rata-rata sub komponen {label.removeprefix('rata-rata ')}" if label.startswith("rata-rata") \
                    else f"jawaban kriteria {label}"
                out.append(
                    KerangkaLogisViolation(
                        kode=k.kode, acuan=dep, nilai=v, batas=limit,
                        message=f"Kerangka logis: nilai kriteria {k.kode} ({v:g}) melebihi {what} ({limit:g})",
                    )
                )
    return out
