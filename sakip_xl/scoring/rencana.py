"""Rencana peningkatan: which LKE answers an OPD must raise to reach a predikat, and what the city needs.

Pure functions over the LKE models of :mod:`sakip_xl.scoring.lke` (no I/O, no Excel).

* :func:`peluang_kriteria` -- per criterion: the gain of each step up (Y/T, or E -> D -> ... -> A,
  at the criterion's weight ``bobot sub komponen / jumlah kriteria``), what blocks it under
  kerangka logis (a dependent may not exceed its prerequisite: a criterion, or a sub-component's
  mean), what raising it unlocks, and the evaluator - OPD difference in points.
* :func:`rencana_opd` -- the smallest set of steps (fewest criteria changed, then fewest steps)
  that reaches the next predikat and the city's target predikat.
* :func:`rencana_kota` -- how many more OPDs the city needs at its target predikat (or the points
  its mean nilai lacks), the cheapest ones to move and the share that results; evaluated and
  self-assessed OPDs are planned apart.

The search (exact)
------------------
Let every criterion ``i`` have the ordered answer values ``v_i,0 < ... < v_i,m`` of its jenis, the
current value ``c_i`` (blank or invalid = 0, as blanks score 0) and the weight ``w_i``.  A plan
sets final values ``x_i >= c_i``; its gain is ``sum w_i (x_i - c_i)``, its cost is the pair
``(#{i: x_i > c_i}, sum of level steps)`` compared lexicographically, and it is admissible when
every *changed* criterion respects kerangka logis at the end: ``x_i <= x_p`` for each prerequisite
criterion ``p`` and ``x_i <= mean(x_j, j in s)`` for each ``avg(s)`` prerequisite (blanks as 0).
Unchanged criteria keep what they have (an existing violation is reported, never made worse:
raising a prerequisite or a mean only loosens a bound).

1. *Groups.*  Criteria joined by a dependency (directly, or through a sub-component mean) form a
   group; groups are independent, so the best table of the whole LKE is the max-plus convolution
   of the groups' tables.  In 88/2021 the groups are the four components.
2. *Configurations.*  In a group, call a criterion that another one references a *hub*, and a
   sub-component referenced through ``avg(s)`` a *mean*.  Fix the final level of every hub and a
   level ``L_s`` for every mean (``None``: no dependent of ``avg(s)`` is raised).  Then every
   other criterion has a fixed cap ``min(x_p, L_s)`` and is independent of the rest, except that a
   mean needs ``sum_s x >= n_s L_s``.  Every admissible plan is admissible in the configuration
   that takes its hubs' final levels and ``L_s`` = the highest raised dependent of ``avg(s)``;
   every plan admissible in a configuration is admissible.  So the optimum is the best over
   configurations, each a multiple-choice knapsack over ``(criteria, steps)``: a table
   ``T[k, s]`` = the largest gain with exactly ``k`` criteria changed in exactly ``s`` steps, built
   one criterion at a time; a mean's sub-component gets its own table, masked where its best gain
   (its largest sum) is below the threshold -- for a fixed cost the largest sum is best both for
   the gain and for the mean, so masking the best entry loses nothing.
3. *Two phases.*  Phase 1 finds the fewest criteria ``k*`` with every changed criterion at its
   highest admissible level (steps do not count; raising further never hurts), in tables over
   ``k`` only.  Phase 2 rebuilds full ``(k <= k*, s)`` tables only for the configurations that
   phase 1 proves can reach the need within ``k*`` criteria, and takes the fewest steps.  The
   answer is exact; ties in cost keep the larger gain.

Bound: with ``h`` hubs of at most ``m + 1`` levels and ``a`` means per group, a group has at most
``(m + 1)^(h + a)`` configurations (88/2021: 155 + 20 + 40 + 10 = 225 after the hub rules); each
phase-1 configuration costs ``O(n k)`` and each phase-2 table ``O(n m k* S*)`` with
``S* <= m k*``, and the convolutions ``O((k* S*)^2)``.  Typical plans (``k* <= 8``) take a few
milliseconds; ``tests/test_rencana.py`` checks optimality against brute force on small LKE
subsets.  A criteria list whose structure falls outside these rules (a criterion that depends on
the mean of its own sub-component, or a cycle) is planned greedily instead, and the plan says so
(``metode = "perkiraan"``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ..errors import PolicyError
from ..policy import Policy, default_policy
from .kategori import predikat
from .lke import Kriteria, load_kriteria, nilai_per_kriteria

__all__ = [
    "Langkah",
    "NaikLevel",
    "PeluangKriteria",
    "Rencana",
    "RencanaOPD",
    "OPDUntukKota",
    "KandidatKota",
    "RencanaKelompok",
    "RencanaKota",
    "peluang_kriteria",
    "rencana_ke",
    "rencana_opd",
    "rencana_kota",
    "rencana_workbook",
    "ringkas_rencana",
    "SUMBER_OPD",
    "SUMBER_EVALUATOR",
    "nilai_terbit",
    "predikat_terbit",
    "proporsi_target",
    "angka_id",
]

_EPS = 1e-9


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


# --------------------------------------------------------------------------- output models
class NaikLevel(_Frozen):
    """One answer above the current one: the answer, its level steps and its gain in nilai."""

    jawaban: str
    langkah: int
    poin: float
    diizinkan: bool  # allowed now by kerangka logis (False: a prerequisite must rise first)


class PeluangKriteria(_Frozen):
    """Per criterion: where its points are and what stands in the way."""

    kode: str
    kriteria: str
    kode_sub: str
    sub_komponen: str
    jenis_jawaban: str
    jawaban_sekarang: str | None
    nilai_sekarang: float  # 0..1 (blank = 0)
    bobot: float  # points for raising it from 0 to 1 (bobot sub komponen / jumlah kriteria)
    ruang: float  # points still available here
    naik: list[NaikLevel]
    maks_diizinkan: str | None  # the highest answer kerangka logis allows now (None: cannot rise now)
    diblokir_oleh: list[str]  # prerequisites below the top answer ("1.a.3 (T)", "rata-rata 1.b (0,50)")
    membuka: list[str]  # criteria that raising this one lets rise
    melanggar: list[str]  # prerequisites it already exceeds (an evaluator will cut it)
    jawaban_evaluator: str | None = None
    selisih_evaluator: float | None = None  # points: evaluator - OPD (negative: points were cut)


class Langkah(_Frozen):
    """One criterion of a plan: from its current answer to the answer it moves to."""

    kode: str
    kriteria: str
    kode_sub: str
    sub_komponen: str
    jawaban_sekarang: str | None
    jawaban: str
    langkah: int
    poin: float


class Rencana(_Frozen):
    """The smallest plan to one predikat."""

    predikat_tujuan: str
    nilai_sekarang: float
    predikat_sekarang: str
    poin_diperlukan: float  # points still needed (next_predikat's rule)
    tercapai: bool  # a plan exists (False only when the predikat cannot be reached at all)
    metode: Literal["tepat", "perkiraan"]
    langkah: list[Langkah]
    n_kriteria: int
    n_langkah: int
    poin: float  # gain of the plan
    nilai_sesudah: float
    predikat_sesudah: str

    def teks(self) -> str:
        """One line in Bahasa Indonesia: "BB: +2,35 poin, 3 kriteria (5 langkah)"."""
        if not self.tercapai:
            return f"{self.predikat_tujuan}: tidak dapat dicapai"
        return (f"{self.predikat_tujuan}: perlu {angka_id(self.poin_diperlukan)} poin; "
                f"{self.n_kriteria} kriteria ({self.n_langkah} langkah) memberi +{angka_id(self.poin)}")


class RencanaOPD(_Frozen):
    nilai: float
    predikat: str
    kriteria: list[PeluangKriteria]
    berikut: Rencana | None  # next predikat (None at the top)
    target: Rencana | None  # the city's target predikat (None when already at or above it)


class OPDUntukKota(_Frozen):
    """What the city plan needs of one OPD (from its roll-up and its own plan)."""

    kode: str
    nama: str
    nilai: float | None
    predikat: str | None
    dievaluasi: bool
    rencana_target: Rencana | None = None


class KandidatKota(_Frozen):
    kode: str
    nama: str
    nilai: float
    predikat: str
    poin: float  # points needed
    n_kriteria: int
    n_langkah: int


class RencanaKelompok(_Frozen):
    """The city plan over one group of OPDs (evaluated, or self-assessed)."""

    kelompok: Literal["dievaluasi", "belum dievaluasi"]
    n_opd: int
    n_di_target: int
    persen_sekarang: float | None
    n_diperlukan: int  # OPDs needed at the target predikat
    n_kurang: int  # how many more
    kandidat: list[KandidatKota]  # the cheapest n_kurang (or all that can move)
    persen_sesudah: float | None
    rata_nilai: float | None
    target_rata: float | None
    poin_rata_kurang: float | None  # mean points missing to the target mean (None: no target / met)
    kalimat: str


class RencanaKota(_Frozen):
    target_predikat: str
    target_proporsi: str  # as the policy states it ("2/3")
    kelompok: list[RencanaKelompok]
    kalimat: str  # the one line for the Wali Kota


# --------------------------------------------------------------------------- helpers
def angka_id(x: float | None, desimal: int = 2) -> str:
    """1234.5 -> "1.234,50" (Indonesian separators)."""
    if x is None:
        return "-"
    s = f"{x:,.{desimal}f}"
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def nilai_terbit(nilai: float, policy: Policy | None = None) -> float:
    """Nilai at the policy's resolution (A9: the predikat is decided on the printed number)."""
    p = policy or default_policy()
    r = p.resolusi_nilai
    return round(round(nilai / r) * r, 10)


def predikat_terbit(nilai: float, policy: Policy | None = None) -> str:
    p = policy or default_policy()
    return predikat(min(max(nilai_terbit(nilai, p), 0.0), 100.0), p)


def _batas_total(label: str, p: Policy) -> float:
    """Smallest total (with a safety margin of 1e-9) whose published number has predikat ``label``."""
    idx = p.predikat_labels.index(label)
    if idx == len(p.predikat) - 1:
        return -math.inf
    b = p.predikat[idx].batas_bawah
    half = p.resolusi_nilai / 2
    return (b + half if p.batas_predikat == "eksklusif" else b - half) + _EPS


def proporsi_target(p: Policy) -> Fraction:
    """The policy's share of OPDs at the target predikat, exactly ("2/3" -> 2/3)."""
    return _fraction(p.target_proporsi_opd)


def _fraction(text: str) -> Fraction:
    t = str(text).strip().replace(",", ".")
    try:
        if t.endswith("%"):
            return Fraction(t[:-1].strip()) / 100
        return Fraction(t)
    except (ValueError, ZeroDivisionError) as exc:
        raise PolicyError(f"target_proporsi_opd {text!r} bukan pecahan", key="target_proporsi_opd") from exc


# --------------------------------------------------------------------------- the LKE as a problem
@dataclass(frozen=True)
class _Crit:
    idx: int
    k: Kriteria
    w: float
    values: tuple[float, ...]
    labels: tuple[str, ...]
    cur: float
    cur_idx: int  # level whose value equals cur (or the highest below it); -1: below every level
    answer: str | None
    deps: tuple[int, ...]
    avg: tuple[str, ...]

    @property
    def top(self) -> int:
        return len(self.values) - 1

    def up(self) -> range:
        """Level indices above the current value."""
        return range(self.cur_idx + 1, len(self.values))

    def gain(self, level: int) -> float:
        return self.w * (self.values[level] - self.cur)


def _levels(jenis: str, p: Policy) -> tuple[tuple[float, ...], tuple[str, ...]]:
    want = jenis.strip().upper()
    for name, table in p.nilai_jawaban.items():
        if name.strip().upper() == want:
            first: dict[float, str] = {}
            for label, value in table.items():
                first.setdefault(float(value), label)
            vals = tuple(sorted(first))
            return vals, tuple(first[v] for v in vals)
    raise PolicyError(f"jenis jawaban {jenis!r} tidak dikenal", key="nilai_jawaban")


@dataclass
class _Problem:
    crits: list[_Crit]
    by_kode: dict[str, int]
    subs: dict[str, list[int]]  # kode_sub -> member indices
    sub_names: dict[str, str]
    groups: list[list[int]]
    exact: bool
    phase1: Any = None

    def total(self) -> float:
        # sub-component by sub-component, as nilai_lke sums (same order of additions)
        t = 0.0
        for members in self.subs.values():
            t += sum(self.crits[i].cur for i in members) / len(members) * (
                self.crits[members[0]].k.bobot_sub_komponen)
        return t

    def mean(self, sub: str, final: Mapping[int, int] | None = None) -> float:
        members = self.subs[sub]
        tot = 0.0
        for i in members:
            c = self.crits[i]
            lvl = final.get(i) if final else None
            tot += c.values[lvl] if lvl is not None else c.cur
        return tot / len(members)


@dataclass(frozen=True)
class _Structure:
    """What a criteria list alone decides (cached): positions, dependencies, groups, exactness."""

    by_kode: dict[str, int]
    subs: dict[str, list[int]]
    names: dict[str, str]
    deps: tuple[tuple[int, ...], ...]
    avg: tuple[tuple[str, ...], ...]
    groups: list[list[int]]
    exact: bool


_STRUCTURES: dict[tuple[Any, ...], _Structure] = {}


def _structure(ks: Sequence[Kriteria]) -> _Structure:
    key = tuple((k.kode, k.tergantung_pada, k.bobot_sub_komponen) for k in ks)
    hit = _STRUCTURES.get(key)
    if hit is not None:
        return hit
    by_kode = {k.kode: i for i, k in enumerate(ks)}
    subs: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for i, k in enumerate(ks):
        subs.setdefault(k.kode_sub, []).append(i)
        names.setdefault(k.kode_sub, k.sub_komponen)
    deps = tuple(tuple(by_kode[ref] for _, kind, ref in k.acuan if kind == "kode" and ref in by_kode) for k in ks)
    avg = tuple(tuple(ref for _, kind, ref in k.acuan if kind == "sub" and ref in subs) for k in ks)
    # groups: union-find over dependencies (a mean joins every member of its sub-component)
    parent = list(range(len(ks)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    exact = True
    for i, k in enumerate(ks):
        for d in deps[i]:
            parent[find(i)] = find(d)
        for sub in avg[i]:
            if sub == k.kode_sub:
                exact = False  # a criterion bounded by the mean of its own sub-component
            for m in subs[sub]:
                parent[find(i)] = find(m)
    groups: dict[int, list[int]] = {}
    for i in range(len(ks)):
        groups.setdefault(find(i), []).append(i)
    edges = {i: set(deps[i]) | {m for sub in avg[i] for m in subs[sub]} for i in range(len(ks))}
    st = _Structure(by_kode, subs, names, deps, avg, list(groups.values()), exact and not _has_cycle(edges))
    if len(_STRUCTURES) > 32:
        _STRUCTURES.clear()
    _STRUCTURES[key] = st
    return st


def _problem(jawaban: Mapping[str, Any], ks: Sequence[Kriteria], p: Policy) -> _Problem:
    p.require_per_kriteria("Rencana peningkatan")
    st = _structure(ks)
    vals = nilai_per_kriteria(jawaban, list(ks), p, skip_invalid=True)
    crits: list[_Crit] = []
    levels: dict[str, tuple[tuple[float, ...], tuple[str, ...]]] = {}
    for i, k in enumerate(ks):
        if k.jenis_jawaban not in levels:
            levels[k.jenis_jawaban] = _levels(k.jenis_jawaban, p)
        values, labels = levels[k.jenis_jawaban]
        cur = vals.get(k.kode)
        curv = 0.0 if cur is None else cur
        cur_idx = -1
        for j, v in enumerate(values):
            if v <= curv + 1e-12:
                cur_idx = j
        raw = jawaban.get(k.kode)
        answer = raw.strip() if isinstance(raw, str) and raw.strip() else None
        crits.append(_Crit(i, k, k.bobot_sub_komponen / len(st.subs[k.kode_sub]), values, labels, curv,
                           cur_idx, answer, st.deps[i], st.avg[i]))
    return _Problem(crits, st.by_kode, st.subs, st.names, st.groups, st.exact)


def _has_cycle(edges: Mapping[int, set[int]]) -> bool:
    state: dict[int, int] = {}

    def visit(n: int) -> bool:
        state[n] = 1
        for m in edges[n]:
            if state.get(m) == 1 or (m not in state and visit(m)):
                return True
        state[n] = 2
        return False

    return any(n not in state and visit(n) for n in edges)


# --------------------------------------------------------------------------- per criterion
def peluang_kriteria(
    jawaban: Mapping[str, Any],
    kriteria: Sequence[Kriteria] | None = None,
    policy: Policy | None = None,
    jawaban_evaluator: Mapping[str, Any] | None = None,
    jawaban_opd: Mapping[str, Any] | None = None,
) -> list[PeluangKriteria]:
    """Each criterion's steps up, blocks, unlocks and (with ``jawaban_evaluator``) the evaluator -
    OPD difference; ``jawaban`` is the column the nilai counts (the OPD's or the evaluator's) and
    ``jawaban_opd`` the OPD's own answers when ``jawaban`` is the evaluator's."""
    p = policy or default_policy()
    ks = list(kriteria) if kriteria is not None else load_kriteria(p)
    return _peluang(_problem(jawaban, ks, p), ks, p, jawaban_evaluator, jawaban_opd)


def _limits(prob: _Problem) -> list[tuple[float, list[tuple[float, str]]]]:
    """Per criterion: the bound kerangka logis puts on it now, and each prerequisite's value."""
    means = {s: prob.mean(s) for s in prob.subs}
    out = []
    for c in prob.crits:
        why = [(prob.crits[d].cur, f"{prob.crits[d].k.kode} ({prob.crits[d].answer or 'kosong'})") for d in c.deps]
        why += [(means[s], f"rata-rata {s} ({angka_id(means[s])})") for s in c.avg]
        out.append((min((v for v, _ in why), default=math.inf), why))
    return out


def _selisih(prob: _Problem, ks: list[Kriteria], p: Policy, ev_answers: Mapping[str, Any] | None,
             opd_answers: Mapping[str, Any] | None) -> dict[str, tuple[str | None, float | None]]:
    if not ev_answers:
        return {}
    ev = nilai_per_kriteria(ev_answers, ks, p, skip_invalid=True)
    opd = nilai_per_kriteria(opd_answers, ks, p, skip_invalid=True) if opd_answers is not None else None
    out: dict[str, tuple[str | None, float | None]] = {}
    for c in prob.crits:
        raw = ev_answers.get(c.k.kode)
        text = raw.strip() if isinstance(raw, str) and raw.strip() else None
        v = ev.get(c.k.kode)
        own = (opd.get(c.k.kode) if opd is not None else c.cur) or 0.0
        out[c.k.kode] = (text, None if v is None else c.w * v - c.w * own)
    return out


def _top_indices(prob: _Problem, n: int | None) -> set[int] | None:
    if n is None:
        return None
    order = sorted(prob.crits, key=lambda c: (-round(c.w * (c.values[-1] - c.cur), 9), c.idx))
    return {c.idx for c in order[:n]}


def _peluang(prob: _Problem, ks: list[Kriteria], p: Policy, ev_answers: Mapping[str, Any] | None,
             opd_answers: Mapping[str, Any] | None, only: set[int] | None = None) -> list[PeluangKriteria]:
    limits = _limits(prob)
    dependents: dict[int, set[int]] = {c.idx: set() for c in prob.crits}
    for c in prob.crits:
        for d in c.deps:
            dependents[d].add(c.idx)
        for s in c.avg:
            for m in prob.subs[s]:
                dependents[m].add(c.idx)
    selisih = _selisih(prob, ks, p, ev_answers, opd_answers)
    out: list[PeluangKriteria] = []
    for c in prob.crits:
        ev_text, diff = selisih.get(c.k.kode, (None, None))
        if only is not None and c.idx not in only and not (diff is not None and diff < -1e-9):
            continue
        cap, why = limits[c.idx]
        top = c.values[-1]
        # model_construct: every field is built here with its type (about 400 models per OPD)
        naik = [NaikLevel.model_construct(jawaban=c.labels[j], langkah=j - c.cur_idx, poin=c.gain(j),
                                          diizinkan=c.values[j] <= cap + 1e-12) for j in c.up()]
        blocked = [w for v, w in why if v + 1e-12 < top] if c.cur + 1e-12 < top else []
        unlocks = sorted((prob.crits[d].k.kode for d in dependents[c.idx]
                          if limits[d][0] + 1e-12 < prob.crits[d].values[-1]
                          and prob.crits[d].cur + 1e-12 < prob.crits[d].values[-1]),
                         key=lambda kode: prob.by_kode[kode])
        viol = ([w.split(" (")[0] for v, w in why if c.cur > v + 1e-12] if c.answer is not None else [])
        out.append(PeluangKriteria.model_construct(
            kode=c.k.kode, kriteria=c.k.kriteria, kode_sub=c.k.kode_sub, sub_komponen=c.k.sub_komponen,
            jenis_jawaban=c.k.jenis_jawaban, jawaban_sekarang=c.answer, nilai_sekarang=c.cur,
            bobot=c.w, ruang=c.w * (top - c.cur), naik=naik,
            maks_diizinkan=next((n.jawaban for n in reversed(naik) if n.diizinkan), None),
            diblokir_oleh=blocked, membuka=unlocks, melanggar=viol,
            jawaban_evaluator=ev_text, selisih_evaluator=diff,
        ))
    return out


# --------------------------------------------------------------------------- max-plus tables
class _Node:
    table: Any  # numpy array (K+1, S+1): best gain, -inf where no plan has that cost

    def pick(self, k: int, s: int, out: dict[int, int]) -> None:
        raise NotImplementedError


class _Leaf(_Node):
    """Items chosen independently: each either stays or takes one of its options ``(ds, gain, level)``."""

    def __init__(self, np: Any, shape: tuple[int, int], items: list[tuple[int, list[tuple[int, float, int]]]],
                 base: tuple[int, int, float, dict[int, int]] = (0, 0, 0.0, {})) -> None:
        K, S = shape
        dk, ds, g, forced = base
        t = np.full(shape, -np.inf)
        if dk < K and ds < S:
            t[dk, ds] = g
        self.forced = forced
        self.items = items
        self.choices = []
        for _idx, opts in items:
            new = t.copy()
            choice = np.zeros(shape, dtype=np.int8)
            for o, (dds, gain, _lvl) in enumerate(opts, start=1):
                if dds >= S or K < 2:
                    continue
                cand = t[:-1, : S - dds] + gain
                view = new[1:, dds:]
                better = cand > view + 1e-12
                if better.any():
                    view[better] = cand[better]
                    choice[1:, dds:][better] = o
            self.choices.append(choice)
            t = new
        self.table = t

    def pick(self, k: int, s: int, out: dict[int, int]) -> None:
        for (idx, opts), choice in zip(reversed(self.items), reversed(self.choices), strict=True):
            o = int(choice[k, s])
            if o:
                dds, _g, lvl = opts[o - 1]
                out[idx] = lvl
                k -= 1
                s -= dds
        out.update(self.forced)


class _Mask(_Node):
    def __init__(self, np: Any, child: _Node, threshold: float) -> None:
        self.child = child
        t = child.table.copy()
        t[t < threshold - 1e-9] = -np.inf
        self.table = t

    def pick(self, k: int, s: int, out: dict[int, int]) -> None:
        self.child.pick(k, s, out)


class _Conv(_Node):
    def __init__(self, np: Any, a: _Node, b: _Node) -> None:
        self.a, self.b = a, b
        A, B = a.table, b.table
        K, S = A.shape
        c = np.full((K, S), -np.inf)
        ak = np.zeros((K, S), dtype=np.int32)
        as_ = np.zeros((K, S), dtype=np.int32)
        # loop over the table with fewer finite entries; remember which side the index belongs to
        self.swap = bool(np.count_nonzero(A > -np.inf) > np.count_nonzero(B > -np.inf))
        if self.swap:
            A, B = B, A
        for k1, s1 in zip(*np.nonzero(A > -np.inf), strict=True):
            cand = A[k1, s1] + B[: K - k1, : S - s1]
            view = c[k1:, s1:]
            better = cand > view + 1e-12
            if better.any():
                view[better] = cand[better]
                ak[k1:, s1:][better] = k1
                as_[k1:, s1:][better] = s1
        self.table, self.ak, self.as_ = c, ak, as_

    def pick(self, k: int, s: int, out: dict[int, int]) -> None:
        k1, s1 = int(self.ak[k, s]), int(self.as_[k, s])
        if self.swap:
            k1, s1 = k - k1, s - s1
        self.a.pick(k1, s1, out)
        self.b.pick(k - k1, s - s1, out)


class _Best(_Node):
    def __init__(self, np: Any, children: list[_Node], shape: tuple[int, int]) -> None:
        self.children = children
        if not children:
            self.table = np.full(shape, -np.inf)
            self.arg = np.zeros(shape, dtype=np.int32)
            return
        stack = np.stack([c.table for c in children])
        self.arg = np.argmax(stack, axis=0)
        self.table = np.max(stack, axis=0)

    def pick(self, k: int, s: int, out: dict[int, int]) -> None:
        self.children[int(self.arg[k, s])].pick(k, s, out)


# --------------------------------------------------------------------------- configurations
@dataclass
class _Config:
    hubs: dict[int, int]  # hub -> final level
    means: dict[str, float | None]  # sub -> L_s


def _configs(prob: _Problem, group: list[int]) -> tuple[list[int], list[str], list[_Config]]:
    crits = prob.crits
    members = set(group)
    hubs = sorted({d for i in group for d in crits[i].deps if d in members})
    mean_subs = sorted({s for i in group for s in crits[i].avg})
    mean_opts: list[list[float | None]] = []
    for s in mean_subs:
        lv = sorted({v for i in group if s in crits[i].avg for v in crits[i].values if v > 0})
        mean_opts.append([None, *lv])
    hub_opts = [[crits[h].cur_idx, *crits[h].up()] for h in hubs]
    out: list[_Config] = []
    for hv in itertools.product(*hub_opts):
        hmap = dict(zip(hubs, hv, strict=True))

        def val(d: int, hmap: dict[int, int] = hmap) -> float:
            lvl = hmap[d]
            return crits[d].values[lvl] if lvl > crits[d].cur_idx else crits[d].cur

        ok = all(val(d) <= val(h) + 1e-12 or hmap[d] <= crits[d].cur_idx
                 for d in hubs for h in crits[d].deps)
        if not ok:
            continue
        for mv in itertools.product(*mean_opts):
            mmap = dict(zip(mean_subs, mv, strict=True))
            good = True
            for h, lvl in hmap.items():
                c = crits[h]
                if lvl > c.cur_idx:
                    for s in c.avg:
                        lim = mmap.get(s)
                        if lim is None or c.values[lvl] > lim + 1e-12:
                            good = False
            if good:
                out.append(_Config({h: lv for h, lv in hmap.items() if lv > crits[h].cur_idx}, mmap))
    return hubs, mean_subs, out


def _group_node(np: Any, prob: _Problem, group: list[int], hubs: list[int], cfg: _Config,
                shape: tuple[int, int], steps: bool) -> _Node | None:
    crits = prob.crits
    hubset = set(hubs)

    def value(i: int) -> float:
        lvl = cfg.hubs.get(i)
        return crits[i].values[lvl] if lvl is not None else crits[i].cur

    # the hubs: forced
    dk = len(cfg.hubs)
    ds = sum(lvl - crits[h].cur_idx for h, lvl in cfg.hubs.items()) if steps else 0
    g = sum(crits[h].gain(lvl) for h, lvl in cfg.hubs.items())
    if dk >= shape[0] or ds >= shape[1]:
        return None
    # options of every other criterion under the caps of this configuration
    opts: dict[int, list[tuple[int, float, int]]] = {}
    for i, levels in _caps(prob, group, hubset, cfg).items():
        c = crits[i]
        if steps:
            opts[i] = [(j - c.cur_idx, c.gain(j), j) for j in levels]
        else:
            opts[i] = [(0, c.gain(levels[-1]), levels[-1])]
    nodes: list[_Node] = [_Leaf(np, shape, [], (dk, ds, g, dict(cfg.hubs)))]
    rest: list[tuple[int, list[tuple[int, float, int]]]] = []
    masked = {s for s, lim in cfg.means.items() if lim is not None}
    for s in sorted(masked):
        members = prob.subs[s]
        n = len(members)
        need_sum = n * float(cfg.means[s] or 0.0) - sum(value(i) for i in members)
        w = crits[members[0]].w
        items = [(i, opts[i]) for i in members if i in opts]
        leaf = _Leaf(np, shape, items)
        node = _Mask(np, leaf, w * need_sum) if need_sum > 1e-12 else leaf
        if not np.isfinite(node.table).any():
            return None
        nodes.append(node)
    for i in group:
        if i in opts and crits[i].k.kode_sub not in masked:
            rest.append((i, opts[i]))
    if rest:
        nodes.append(_Leaf(np, shape, rest))
    acc = nodes[0]
    for nd in nodes[1:]:
        acc = _Conv(np, acc, nd)
    return acc


def _caps(prob: _Problem, group: list[int], hubset: set[int], cfg: _Config) -> dict[int, list[int]]:
    """Levels each non-hub criterion may move to under a configuration (ascending, above current)."""
    crits = prob.crits
    hubs = cfg.hubs
    means = cfg.means
    out: dict[int, list[int]] = {}
    for i in group:
        if i in hubset:
            continue
        c = crits[i]
        if c.cur_idx >= len(c.values) - 1:
            continue
        cap = math.inf
        for d in c.deps:
            lvl = hubs.get(d)
            v = crits[d].values[lvl] if lvl is not None else crits[d].cur
            if v < cap:
                cap = v
        for s in c.avg:
            lim = means.get(s)
            if lim is None:
                cap = -math.inf
                break
            if lim < cap:
                cap = lim
        vals = c.values
        levels = [j for j in range(c.cur_idx + 1, len(vals)) if vals[j] <= cap + 1e-12]
        if levels:
            out[i] = levels
    return out


def _phase1(prob: _Problem, group: list[int], hubs: list[int], cfg: _Config) -> list[float]:
    """Best gain of the group under ``cfg`` with exactly k criteria changed, each raised as far as
    allowed (index k, length ``len(group) + 1``; -inf: impossible)."""
    crits = prob.crits
    n = len(group)
    ninf = -math.inf
    opts = _caps(prob, group, set(hubs), cfg)
    dk = len(cfg.hubs)
    base = sum(crits[h].gain(lvl) for h, lvl in cfg.hubs.items())
    table = [ninf] * (n + 1)
    table[dk] = base
    masked = {s: lim for s, lim in cfg.means.items() if lim is not None}
    parts: list[list[float]] = []
    for s, lim in masked.items():
        members = prob.subs[s]
        have = sum(_final_value(prob, i, cfg.hubs) for i in members)
        need = len(members) * lim - have
        gains = sorted((crits[i].gain(opts[i][-1]) for i in members if i in opts), reverse=True)
        w = crits[members[0]].w
        acc = [0.0]
        for g in gains:
            acc.append(acc[-1] + g)
        thr = w * need - 1e-9
        row = [x if x >= thr else ninf for x in acc]
        if all(x == ninf for x in row):
            return [ninf] * (n + 1)
        parts.append(row)
    gains = sorted((crits[i].gain(lv[-1]) for i, lv in opts.items() if crits[i].k.kode_sub not in masked),
                   reverse=True)
    acc = [0.0]
    for g in gains:
        acc.append(acc[-1] + g)
    parts.append(acc)
    for part in parts:
        new = [ninf] * (n + 1)
        for k1, a in enumerate(table):
            if a == ninf:
                continue
            for k2, b in enumerate(part):
                if b == ninf or k1 + k2 > n:
                    continue
                v = a + b
                if v > new[k1 + k2]:
                    new[k1 + k2] = v
        table = new
    return table


def _conv1(a: Any, b: Any, np: Any) -> Any:
    """1-D max-plus convolution (tables over k)."""
    n = len(a)
    out = np.full(n, -np.inf)
    fa, fb = np.nonzero(a > -np.inf)[0], np.nonzero(b > -np.inf)[0]
    if not len(fa) or not len(fb):
        return out
    if len(fa) > len(fb):
        a, b, fa, fb = b, a, fb, fa
    top = int(fb[-1]) + 1  # b is -inf beyond its last finite entry
    for k1 in fa:
        m = min(top, n - k1)
        if m > 0:
            np.maximum(out[k1:k1 + m], a[k1] + b[:m], out=out[k1:k1 + m])
    return out


def _dominant(prob: _Problem, hubs: list[int], cfg: _Config) -> _Config:
    """The configuration with the same changed hubs, each raised as far as its prerequisites allow.

    Its phase-1 table is at least the table of ``cfg`` everywhere (higher hubs give more points,
    looser caps and larger sub-component sums), so it bounds ``cfg`` from above."""
    crits = prob.crits
    levels: dict[int, int] = {}
    for h in _topo(prob, hubs):
        if h not in cfg.hubs:
            continue
        c = crits[h]
        cap = math.inf
        for d in c.deps:
            cap = min(cap, crits[d].values[levels[d]] if d in levels else crits[d].cur)
        for sub in c.avg:
            lim = cfg.means.get(sub)
            cap = min(cap, -math.inf if lim is None else lim)
        levels[h] = max((j for j in c.up() if c.values[j] <= cap + 1e-12), default=cfg.hubs[h])
    return _Config(levels, cfg.means)


def _topo(prob: _Problem, hubs: list[int]) -> list[int]:
    hubset = set(hubs)
    out: list[int] = []
    seen: set[int] = set()

    def visit(h: int) -> None:
        if h in seen:
            return
        seen.add(h)
        for d in prob.crits[h].deps:
            if d in hubset:
                visit(d)
        out.append(h)

    for h in hubs:
        visit(h)
    return out


def _key(cfg: _Config) -> tuple[Any, ...]:
    return tuple(sorted(cfg.hubs.items())), tuple(sorted(cfg.means.items()))


@dataclass
class _GroupPhase1:
    group: list[int]
    hubs: list[int]
    cfgs: list[_Config]
    bounds: list[Any]  # per configuration: the phase-1 table of its dominant configuration
    best: Any
    rest: Any = None  # the best table of every other group together


def _phase1_all(prob: _Problem, np: Any) -> tuple[list[_GroupPhase1], Any]:
    """Phase 1 for every group (independent of the need, so computed once per problem): the best
    table over k is the best over dominant configurations only."""
    if prob.phase1 is not None:
        return prob.phase1
    n = len(prob.crits)
    per_group = []
    for group in prob.groups:
        hubs, _means, cfgs = _configs(prob, group)
        tables: dict[tuple[Any, ...], Any] = {}
        bounds = []
        for cfg in cfgs:
            dom = _dominant(prob, hubs, cfg)
            key = _key(dom)
            if key not in tables:
                row = _phase1(prob, group, hubs, dom)
                tables[key] = np.array(row + [-np.inf] * (n - len(group)))
            bounds.append(tables[key])
        best = np.max(np.stack(list(tables.values())), axis=0) if tables else np.full(n + 1, -np.inf)
        per_group.append(_GroupPhase1(group, hubs, cfgs, bounds, best))
    total = np.full(n + 1, -np.inf)
    total[0] = 0.0
    for g in per_group:
        total = _conv1(total, g.best, np)
    # every other group together: prefix and suffix products (2G convolutions instead of G^2)
    unit = np.full(n + 1, -np.inf)
    unit[0] = 0.0
    prefix = [unit]
    for g in per_group[:-1]:
        prefix.append(_conv1(prefix[-1], g.best, np))
    suffix = unit
    for gi in range(len(per_group) - 1, -1, -1):
        per_group[gi].rest = _conv1(prefix[gi], suffix, np)
        suffix = _conv1(suffix, per_group[gi].best, np)
    prob.phase1 = (per_group, total)
    return prob.phase1


def _search(prob: _Problem, need: float) -> dict[int, int] | None:
    """Exact: the final levels of the changed criteria of the lexicographically cheapest plan."""
    import numpy as np

    if need <= 0:
        return {}
    per_group, total = _phase1_all(prob, np)
    hit = np.nonzero(total >= need - 1e-12)[0]
    if not len(hit):
        return None
    kstar = int(hit[0])
    # phase 2: fewest steps among plans of k* criteria, over the configurations that can get there
    steps_max = sorted((c.top - c.cur_idx for c in prob.crits if c.cur_idx < c.top), reverse=True)
    shape2 = (kstar + 1, sum(steps_max[:kstar]) + 1)
    group_nodes: list[_Node] = []
    for g in per_group:
        rest_max = np.maximum.accumulate(g.rest[: kstar + 1])[::-1]

        def viable(table: Any, rest_max: Any = rest_max) -> bool:
            return bool((table[: kstar + 1] + rest_max >= need - 1e-12).any())

        children: list[_Node] = []
        for cfg, bound in zip(g.cfgs, g.bounds, strict=True):
            if not viable(bound):
                continue
            own = _phase1(prob, g.group, g.hubs, cfg)
            if not viable(np.array(own[: kstar + 1] + [-np.inf] * max(0, kstar + 1 - len(own)))):
                continue
            node = _group_node(np, prob, g.group, g.hubs, cfg, shape2, steps=True)
            if node is not None:
                children.append(node)
        if not children:
            # only the empty plan of this group: keep the "nothing changed" entry
            children.append(_Leaf(np, shape2, []))
        group_nodes.append(_Best(np, children, shape2))
    acc = group_nodes[0]
    for nd in group_nodes[1:]:
        acc = _Conv(np, acc, nd)
    t = acc.table
    ok = t >= need - 1e-12
    rows = np.nonzero(ok.any(axis=1))[0]
    if not len(rows):  # cannot happen: phase 1 proved a plan of k* criteria exists
        raise AssertionError("rencana: fase 2 tidak menemukan rencana yang dijamin fase 1")
    k = int(rows[0])
    s = int(np.nonzero(ok[k])[0][0])
    out: dict[int, int] = {}
    acc.pick(k, s, out)
    return out


def _greedy(prob: _Problem, need: float) -> dict[int, int] | None:
    """Fallback for criteria lists outside the exact search: the best admissible step at a time."""
    final: dict[int, int] = {}
    gained = 0.0
    while gained < need - 1e-12:
        best: tuple[float, int, int] | None = None
        for c in prob.crits:
            lvl = final.get(c.idx, c.cur_idx)
            if lvl >= c.top:
                continue
            nxt = lvl + 1
            if c.values[nxt] <= c.cur + 1e-12:
                continue
            val = c.values[nxt]
            if any(val > _final_value(prob, d, final) + 1e-12 for d in c.deps):
                continue
            if any(val > prob.mean(s, final) + 1e-12 for s in c.avg):
                continue
            g = c.w * (val - _final_value(prob, c.idx, final))
            if best is None or g > best[0] + 1e-12:
                best = (g, c.idx, nxt)
        if best is None:
            return None
        final[best[1]] = best[2]
        gained += best[0]
    return final


def _final_value(prob: _Problem, i: int, final: Mapping[int, int]) -> float:
    lvl = final.get(i)
    return prob.crits[i].values[lvl] if lvl is not None else prob.crits[i].cur


def _admissible(prob: _Problem, final: Mapping[int, int]) -> bool:
    for i, lvl in final.items():
        c = prob.crits[i]
        v = c.values[lvl]
        if any(v > _final_value(prob, d, final) + 1e-12 for d in c.deps):
            return False
        if any(v > prob.mean(s, final) + 1e-12 for s in c.avg):
            return False
    return True


# --------------------------------------------------------------------------- plans
def _plan(prob: _Problem, target: str, p: Policy) -> Rencana:
    now = prob.total()
    now_pub = nilai_terbit(now, p)
    pred_now = predikat_terbit(now, p)
    bound = _batas_total(target, p)
    need = bound - now
    idx = p.predikat_labels.index(target)
    band = p.predikat[idx]
    shown_need = max(band.batas_bawah - now_pub + (p.resolusi_nilai if p.batas_predikat == "eksklusif" else 0.0),
                     0.0) if idx < len(p.predikat) - 1 else 0.0
    exact = prob.exact
    final = _search(prob, need) if exact else _greedy(prob, need)
    if final is None:
        return Rencana(predikat_tujuan=target, nilai_sekarang=now_pub, predikat_sekarang=pred_now,
                       poin_diperlukan=shown_need, tercapai=False, metode="tepat" if exact else "perkiraan",
                       langkah=[], n_kriteria=0, n_langkah=0, poin=0.0, nilai_sesudah=now_pub,
                       predikat_sesudah=pred_now)
    assert _admissible(prob, final), "rencana melanggar kerangka logis"
    steps = []
    for i in sorted(final, key=lambda i: i):
        c = prob.crits[i]
        lvl = final[i]
        steps.append(Langkah(
            kode=c.k.kode, kriteria=c.k.kriteria, kode_sub=c.k.kode_sub, sub_komponen=c.k.sub_komponen,
            jawaban_sekarang=c.answer, jawaban=c.labels[lvl], langkah=lvl - c.cur_idx, poin=c.gain(lvl),
        ))
    gain = sum(s.poin for s in steps)
    after = now + gain
    return Rencana(
        predikat_tujuan=target, nilai_sekarang=now_pub, predikat_sekarang=pred_now,
        poin_diperlukan=shown_need, tercapai=True, metode="tepat" if exact else "perkiraan",
        langkah=steps, n_kriteria=len(steps), n_langkah=sum(s.langkah for s in steps), poin=gain,
        nilai_sesudah=nilai_terbit(after, p), predikat_sesudah=predikat_terbit(min(after, 100.0), p),
    )


def rencana_ke(
    jawaban: Mapping[str, Any],
    target: str,
    kriteria: Sequence[Kriteria] | None = None,
    policy: Policy | None = None,
) -> Rencana:
    """The smallest plan (fewest criteria, then fewest steps) that brings ``jawaban`` to ``target``."""
    p = policy or default_policy()
    if target not in p.predikat_labels:
        raise PolicyError(f"predikat {target!r} tidak dikenal; pilihan: {', '.join(p.predikat_labels)}")
    ks = list(kriteria) if kriteria is not None else load_kriteria(p)
    return _plan(_problem(jawaban, ks, p), target, p)


def rencana_opd(
    jawaban: Mapping[str, Any],
    kriteria: Sequence[Kriteria] | None = None,
    policy: Policy | None = None,
    jawaban_evaluator: Mapping[str, Any] | None = None,
    jawaban_opd: Mapping[str, Any] | None = None,
    teratas: int | None = None,
) -> RencanaOPD:
    """One OPD: the per-criterion view, the plan to its next predikat and to the city's target.

    ``teratas`` keeps only that many criteria in the per-criterion view (the most points still
    open, then those the evaluator cut), for the city summary; None keeps all of them."""
    p = policy or default_policy()
    ks = list(kriteria) if kriteria is not None else load_kriteria(p)
    prob = _problem(jawaban, ks, p)
    now = prob.total()
    pred = predikat_terbit(now, p)
    labels = p.predikat_labels
    i = labels.index(pred)
    berikut = _plan(prob, labels[i - 1], p) if i > 0 else None
    t = labels.index(p.target_predikat)
    target = None
    if t < i:
        target = berikut if t == i - 1 and berikut is not None else _plan(prob, p.target_predikat, p)
    return RencanaOPD(
        nilai=nilai_terbit(now, p), predikat=pred,
        kriteria=_peluang(prob, ks, p, jawaban_evaluator, jawaban_opd, _top_indices(prob, teratas)),
        berikut=berikut, target=target,
    )


# --------------------------------------------------------------------------- the city
def _group_plan(kind: Literal["dievaluasi", "belum dievaluasi"], opds: list[OPDUntukKota],
                p: Policy, frac: Fraction) -> RencanaKelompok:
    labels = p.predikat_labels
    t = labels.index(p.target_predikat)
    scored = [o for o in opds if o.nilai is not None and o.predikat is not None]
    n = len(scored)
    at = [o for o in scored if labels.index(o.predikat or labels[-1]) <= t]
    needed = math.ceil(frac * n) if n else 0
    short = max(needed - len(at), 0)
    movable = []
    for o in scored:
        if o in at or o.rencana_target is None or not o.rencana_target.tercapai:
            continue
        r = o.rencana_target
        movable.append(KandidatKota(kode=o.kode, nama=o.nama, nilai=o.nilai or 0.0, predikat=o.predikat or "",
                                    poin=r.poin_diperlukan, n_kriteria=r.n_kriteria, n_langkah=r.n_langkah))
    movable.sort(key=lambda c: (c.poin, c.n_kriteria, c.n_langkah, c.kode))
    chosen = movable[:short]
    pct_now = len(at) / n * 100 if n else None
    pct_after = (len(at) + len(chosen)) / n * 100 if n else None
    mean = sum(o.nilai or 0.0 for o in scored) / n if n else None
    tmean = p.target_rata_nilai
    mean_short = None
    if tmean is not None and mean is not None and mean < tmean:
        mean_short = tmean - mean
    return RencanaKelompok(
        kelompok=kind, n_opd=n, n_di_target=len(at), persen_sekarang=pct_now, n_diperlukan=needed,
        n_kurang=short, kandidat=chosen, persen_sesudah=pct_after, rata_nilai=mean, target_rata=tmean,
        poin_rata_kurang=mean_short, kalimat=_kalimat(kind, n, len(at), short, chosen, mean, mean_short, p),
    )


def _kalimat(kind: str, n: int, at: int, short: int, chosen: list[KandidatKota], mean: float | None,
             mean_short: float | None, p: Policy) -> str:
    tgt = p.target_predikat
    who = "OPD yang sudah dievaluasi" if kind == "dievaluasi" else "OPD yang belum dievaluasi (nilai mandiri)"
    if n == 0:
        return f"Belum ada {who}."
    basis = f"{p.target_proporsi_opd} dari {n} {who}"
    if short == 0:
        line = f"Target tercapai: {at} dari {n} {who} sudah {tgt} atau lebih baik"
    else:
        line = f"Perlu {short} OPD lagi ke {tgt} ({basis})"
        near = ", ".join(f"{c.nama} {angka_id(c.poin)} poin ({c.n_kriteria} kriteria, {c.n_langkah} langkah)"
                         for c in chosen[:3])
        if near:
            line += f"; terdekat: {near}"
            if len(chosen) > 3:
                line += f", dan {len(chosen) - 3} OPD lain"
        if len(chosen) < short:
            line += f"; hanya {len(chosen)} OPD yang dapat naik ke {tgt}"
    if mean_short is not None and mean is not None:
        line += (f"; rata-rata nilai {angka_id(mean)}, kurang {angka_id(mean_short)} poin dari target "
                 f"{angka_id(p.target_rata_nilai)}")
    return line + "."


def rencana_kota(opds: Iterable[OPDUntukKota], policy: Policy | None = None) -> RencanaKota:
    """The city plan: per group (evaluated, self-assessed), OPDs still needed at the target
    predikat (``ceil(target_proporsi_opd x n)`` minus those already there), the cheapest to move
    (fewest points, then criteria and steps) and the share that results."""
    p = policy or default_policy()
    frac = proporsi_target(p)
    items = list(opds)
    ev = _group_plan("dievaluasi", [o for o in items if o.dievaluasi], p, frac)
    sa = _group_plan("belum dievaluasi", [o for o in items if not o.dievaluasi], p, frac)
    groups = [g for g in (ev, sa) if g.n_opd] or [ev]
    head = groups[0]
    line = head.kalimat
    if head.kelompok == "dievaluasi" and sa.n_opd:
        line += f" {sa.n_opd} OPD belum dievaluasi tidak dihitung."
    return RencanaKota(target_predikat=p.target_predikat, target_proporsi=str(p.target_proporsi_opd),
                       kelompok=groups, kalimat=line)


# --------------------------------------------------------------------------- one workbook
SUMBER_OPD = "Mandiri (OPD)"
SUMBER_EVALUATOR = "Evaluator"


def rencana_workbook(wb: Any, policy: Policy | None = None, kriteria: Sequence[Kriteria] | None = None,
                     dievaluasi: bool | None = None, teratas: int | None = None) -> tuple[RencanaOPD, str]:
    """The plan of one :class:`~sakip_xl.models.OPDWorkbook` on the column whose nilai counts, and
    that column's name (:data:`SUMBER_EVALUATOR` or :data:`SUMBER_OPD`).

    ``dievaluasi`` is the roll-up's decision (A9: the evaluator's nilai counts once the evaluation is
    complete or marked Final); when not given, a complete evaluator column decides."""
    p = policy or default_policy()
    ks = list(kriteria) if kriteria is not None else load_kriteria(p)
    opd = wb.jawaban_opd()
    ev = wb.jawaban_evaluator()
    ev_vals = nilai_per_kriteria(ev, ks, p, skip_invalid=True)
    any_ev = any(v is not None for v in ev_vals.values())
    if dievaluasi is None:
        dievaluasi = bool(ks) and all(ev_vals.get(k.kode) is not None for k in ks)
    if dievaluasi:
        return rencana_opd(ev, ks, p, jawaban_evaluator=ev, jawaban_opd=opd, teratas=teratas), SUMBER_EVALUATOR
    return rencana_opd(opd, ks, p, jawaban_evaluator=ev if any_ev else None, teratas=teratas), SUMBER_OPD


def ringkas_rencana(r: RencanaOPD, sumber: str, top: int = 5) -> dict[str, Any]:
    """Plain, picklable rows of one OPD's plan for the city summary (worker processes send these)."""

    def plan(x: Rencana | None) -> dict[str, Any] | None:
        if x is None:
            return None
        d = x.model_dump()
        d["teks"] = x.teks()
        return d

    open_ = sorted((k for k in r.kriteria if k.ruang > 1e-9), key=lambda k: (-round(k.ruang, 9), k.kode))
    cut = [k for k in r.kriteria if k.selisih_evaluator is not None and k.selisih_evaluator < -1e-9]
    return {
        "nilai": r.nilai, "predikat": r.predikat, "sumber": sumber,
        "dievaluasi": sumber == SUMBER_EVALUATOR,
        "berikut": plan(r.berikut), "target": plan(r.target),
        "ruang": [{"kode": k.kode, "kriteria": k.kriteria, "sub_komponen": k.sub_komponen,
                   "jawaban_sekarang": k.jawaban_sekarang, "ruang": k.ruang,
                   "maks_diizinkan": k.maks_diizinkan, "diblokir_oleh": list(k.diblokir_oleh)}
                  for k in open_[:top]],
        "poin_dipotong": sum(k.selisih_evaluator or 0.0 for k in cut),
        "n_dipotong": len(cut),
    }
