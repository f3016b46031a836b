"""A7: OPD and city roll-up."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from ..errors import InvalidInput, NoData
from ..policy import Policy, default_policy
from ._num import finite, finite_result
from .kategori import kategori, next_predikat, predikat
from .lke import NilaiLKE

__all__ = [
    "rata_capaian",
    "LKEPeluang",
    "OPDRollup",
    "rollup_opd",
    "peluang_lke",
    "share_at_or_above",
    "evaluator_dipakai",
    "SUMBER_EVALUATOR",
    "SUMBER_MANDIRI",
]

#: Where the nilai used comes from (the summary keeps both values and this source).
SUMBER_EVALUATOR = "Evaluator"
SUMBER_MANDIRI = "Mandiri (OPD)"


def evaluator_dipakai(n_dijawab: float, n_kriteria: int, status: str | None) -> bool:
    """Decision A9 "evaluator vs self-assessment": is the evaluator's nilai the one used?

    Only when the evaluator has answered and either every criterion is answered (``n_dijawab >=
    n_kriteria``) or the ``Status Evaluasi`` cell says Final; until then the OPD's own nilai is used
    (with a warning saying how many criteria the evaluator has answered).
    """
    final = isinstance(status, str) and status.strip().upper() == "FINAL"
    return n_dijawab > 0 and (n_dijawab >= n_kriteria or final)


def rata_capaian(values: Iterable[Any], cap: float | None = None) -> float:
    """Mean capaian of the scored indicators (None entries are skipped); each capped at ``cap``."""
    c = None if cap is None else finite(cap, "batas rata-rata")
    if c is not None and c <= 0:
        raise InvalidInput("batas rata-rata harus positif")
    nums: list[float] = []
    for v in values:
        if v is None:
            continue
        x = finite(v, "capaian")
        nums.append(min(x, c) if c is not None else x)
    if not nums:
        raise NoData("tidak ada indikator yang dapat dinilai")
    return finite_result(sum(nums) / len(nums), "rata-rata capaian")


class LKEPeluang(BaseModel):
    """Where in the LKE the next points are cheapest."""

    kode: str
    nama: str
    bobot: float
    ruang: float  # bobot x headroom: points still available here
    poin_per_kriteria: float  # points for raising one criterion from 0 to 1


def peluang_lke(nilai: NilaiLKE, top: int = 3) -> list[LKEPeluang]:
    """Sub-components ranked by headroom (weight x (1 - mean)), then by points per criterion."""
    ranked = sorted(
        (s for s in nilai.sub_komponen if s.ruang > 1e-9),
        key=lambda s: (-round(s.ruang, 9), -s.poin_per_kriteria, s.kode),
    )
    return [
        LKEPeluang(kode=s.kode, nama=s.nama, bobot=s.bobot, ruang=s.ruang, poin_per_kriteria=s.poin_per_kriteria)
        for s in ranked[:top]
    ]


class OPDRollup(BaseModel):
    n_indikator: int
    n_dinilai: int
    capaian_rata: float | None
    capaian_rata_dibatasi: float | None
    jumlah_kategori: dict[str, int]
    persen_kategori: dict[str, float]
    serapan: float | None
    indeks_efisiensi: float | None
    nilai_lke: float | None
    predikat: str | None
    predikat_berikut: str | None
    poin_ke_predikat_berikut: float | None
    peluang_lke: list[LKEPeluang]


def rollup_opd(
    capaian_list: Sequence[float | None],
    serapan: float | None = None,
    lke: NilaiLKE | None = None,
    policy: Policy | None = None,
) -> OPDRollup:
    """Roll one OPD up: capaian means (raw and capped), kategori counts, efficiency, predikat."""
    p = policy or default_policy()
    scored = [c for c in capaian_list if c is not None]
    counts = {label: 0 for label in p.kategori_labels}
    for c in scored:
        counts[kategori(c, p)] += 1
    n = len(scored)
    shares = {k: (v / n * 100 if n else 0.0) for k, v in counts.items()}
    raw = rata_capaian(scored) if scored else None
    capped = rata_capaian(scored, p.cap_rata_rata) if scored else None
    efis = None
    if capped is not None and serapan is not None and serapan > 0:
        efis = capped / serapan
    nilai = pred = nxt = None
    pts: float | None = None
    peluang: list[LKEPeluang] = []
    if lke is not None:
        nilai = lke.total
        pred = predikat(nilai, p)
        step = next_predikat(nilai, p)
        if step is not None:
            nxt, pts = step
        peluang = peluang_lke(lke)
    return OPDRollup(
        n_indikator=len(capaian_list), n_dinilai=n, capaian_rata=raw, capaian_rata_dibatasi=capped,
        jumlah_kategori=counts, persen_kategori=shares, serapan=serapan, indeks_efisiensi=efis,
        nilai_lke=nilai, predikat=pred, predikat_berikut=nxt, poin_ke_predikat_berikut=pts,
        peluang_lke=peluang,
    )


def share_at_or_above(predikats: Iterable[str | None], target: str | None = None,
                      policy: Policy | None = None) -> float:
    """Percent of OPDs (with a predikat) at or above the target predikat (default: policy's)."""
    p = policy or default_policy()
    labels = p.predikat_labels
    tgt = target or p.target_predikat
    if tgt not in labels:
        raise InvalidInput(f"predikat {tgt!r} tidak dikenal; pilihan: {', '.join(labels)}")
    known = [x for x in predikats if x is not None]
    unknown = [x for x in known if x not in labels]
    if unknown:
        raise InvalidInput(f"predikat {unknown[0]!r} tidak dikenal; pilihan: {', '.join(labels)}")
    if not known:
        raise NoData("belum ada OPD yang berpredikat")
    rank = labels.index(tgt)
    return sum(1 for x in known if labels.index(x) <= rank) / len(known) * 100
