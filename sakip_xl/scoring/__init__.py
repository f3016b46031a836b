"""Pure scoring functions (Part A of the domain reference).  No I/O, no Excel."""

from .anggaran import efisiensi, flag_efisiensi, realisasi_anggaran, serapan
from .capaian import capaian, check_polaritas, normalise_target
from .kategori import kategori, lampu, next_predikat, predikat
from .lke import (
    KerangkaLogisViolation,
    Kriteria,
    NilaiLKE,
    kerangka_logis,
    load_kriteria,
    nilai_jawaban,
    nilai_lke,
    nilai_lke_per_sub,
    sub_komponen_list,
)
from .ringkasan import Ringkasan, ringkasan  # noqa: E402,I001  (last: it builds on everything above)
from .rollup import OPDRollup, peluang_lke, rata_capaian, rollup_opd, share_at_or_above
from .triwulan import TW_LABELS, capaian_per_tw, capaian_tw, check_tipe, ytd

__all__ = [
    "capaian", "check_polaritas", "normalise_target",
    "ytd", "check_tipe", "capaian_tw", "capaian_per_tw", "TW_LABELS",
    "kategori", "lampu", "predikat", "next_predikat",
    "serapan", "realisasi_anggaran", "efisiensi", "flag_efisiensi",
    "Kriteria", "NilaiLKE", "KerangkaLogisViolation", "load_kriteria", "nilai_jawaban",
    "nilai_lke", "nilai_lke_per_sub", "kerangka_logis", "sub_komponen_list",
    "rata_capaian", "rollup_opd", "OPDRollup", "peluang_lke", "share_at_or_above",
    "Ringkasan", "ringkasan",
]
