"""The template contract: the names other tools read from an OPD workbook.

Sheets, defined names and Excel Tables (with their column headers) are found **by name**, never by
cell position.  The template generator writes exactly these; the reader looks for exactly these.
A test fails when one is missing or renamed.  Columns may be added; these must stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "TEMPLATE_VERSION",
    "SUPPORTED_VERSIONS",
    "SHEETS",
    "PROFIL_NAMES",
    "RINGKASAN_NAMES",
    "PROFIL_OPTIONAL",
    "Column",
    "TableSpec",
    "TABLES",
    "TW",
]

#: Written to the ``Versi_Template`` defined name; bump on any contract change.
TEMPLATE_VERSION = "1.1"
#: Versions the reader accepts (older ones read with a warning once they exist).  1.1 added the
#: Capaian s.d. TW columns, the LKE Kerangka Logis columns, Status_Evaluasi and the Ringkasan rows
#: of the nilai used (issue 10); a 1.0 workbook is read as it is (its computed columns are checked
#: where it has them).
SUPPORTED_VERSIONS: tuple[str, ...] = ("1.0", "1.1")

SHEETS: tuple[str, ...] = (
    "Petunjuk",
    "Profil",
    "PK",
    "Rencana Aksi",
    "Anggaran",
    "LKE",
    "Tindak Lanjut",
    "Ringkasan",
    "Pernyataan PK",
)

TW = ("TW I", "TW II", "TW III", "TW IV")

#: Defined names on the Profil sheet -> field of :class:`sakip_xl.models.Profil`.
PROFIL_NAMES: dict[str, str] = {
    "OPD_Kode": "opd_kode",
    "OPD_Nama": "opd_nama",
    "Tahun": "tahun",
    "Jenis_PK": "jenis_pk",
    "Kepala_Nama": "kepala_nama",
    "Kepala_NIP": "kepala_nip",
    "Kepala_Jabatan": "kepala_jabatan",
    "Atasan_Nama": "atasan_nama",
    "Atasan_Jabatan": "atasan_jabatan",
    "Versi_Template": "versi_template",
    #: Draf / Final, filled by the evaluator (decision A9: Final makes the evaluator's nilai the one used)
    "Status_Evaluasi": "status_evaluasi",
}
#: Profil names a workbook of an older template may lack (no NAMA_HILANG for them).
PROFIL_OPTIONAL: frozenset[str] = frozenset({"Status_Evaluasi"})

#: Defined names on the Ringkasan sheet (computed) -> what they hold.
RINGKASAN_NAMES: dict[str, str] = {
    "Capaian_Rata": "rata-rata capaian indikator (mentah)",
    "Capaian_Rata_Dibatasi": "rata-rata capaian, tiap indikator dibatasi cap_rata_rata",
    "Serapan_Anggaran": "serapan anggaran (%) tingkat Program",
    "Indeks_Efisiensi": "capaian rata-rata dibatasi / serapan",
    "Nilai_LKE": "nilai LKE dari jawaban OPD",
    "Predikat": "predikat dari jawaban OPD",
    "Nilai_LKE_Evaluator": "nilai LKE dari jawaban evaluator",
    "Predikat_Evaluator": "predikat dari jawaban evaluator",
    "Kategori_Rata": "kategori rata-rata capaian (dibatasi)",
    "Level_Anggaran": "level anggaran yang dihitung untuk serapan OPD",
    "Pagu_Anggaran": "jumlah pagu pada level itu",
    "Jumlah_Dijawab": "jumlah kriteria LKE yang dijawab OPD",
    "Jumlah_Dijawab_Evaluator": "jumlah kriteria LKE yang dijawab evaluator",
    "Nilai_LKE_Dipakai": "nilai LKE yang dipakai (evaluator bila lengkap atau Final, selain itu OPD)",
    "Sumber_Nilai": "sumber nilai yang dipakai: Evaluator atau Mandiri (OPD)",
    "Predikat_Dipakai": "predikat dari nilai yang dipakai",
}

Kind = Literal["input", "computed", "lookup"]


@dataclass(frozen=True)
class Column:
    name: str  #: header text, exact
    kind: Kind = "input"
    #: for computed columns, the rule key in :data:`sakip_xl.rules.RULES`
    rule: str | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    sheet: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, kind: Kind = "input", rule: str | None = None) -> Column:
    return Column(name, kind, rule)


TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in [
        TableSpec(
            "tblPK", "PK",
            (
                _c("Kode"), _c("Sasaran Strategis"), _c("Indikator Kinerja"), _c("Satuan"),
                _c("Polaritas"), _c("Tipe Agregasi"), _c("Target"),
                # Upper bound of a range target (e.g. inflation 2-4: Target 2, Target Atas 4).
                _c("Target Atas"),
            ),
        ),
        TableSpec(
            "tblRencanaAksi", "Rencana Aksi",
            (
                _c("Kode"),
                _c("Indikator Kinerja", "lookup"), _c("Polaritas", "lookup"),
                _c("Tipe Agregasi", "lookup"), _c("Target", "lookup"), _c("Target Atas", "lookup"),
                *(_c(f"Target {tw}") for tw in TW),
                *(_c(f"Realisasi {tw}") for tw in TW),
                _c("Realisasi", "computed", "ytd"),
                _c("Capaian (%)", "computed", "capaian"),
                _c("Kategori", "computed", "kategori"),
                # decision A9 "mid-year": the last reported quarter and the capaian to date
                _c("TW Terakhir", "computed", "tw_terakhir"),
                _c("Target s.d. TW", "computed", "target_sd_tw"),
                _c("Capaian s.d. TW (%)", "computed", "capaian_sd_tw"),
                _c("Faktor Pendukung"), _c("Faktor Penghambat"),
            ),
        ),
        TableSpec(
            "tblAnggaran", "Anggaran",
            (
                _c("Kode"), _c("Uraian"), _c("Level"), _c("Induk"), _c("Pagu"),
                *(_c(f"Realisasi {tw}") for tw in TW),
                _c("Serapan (%)", "computed", "serapan"),
            ),
        ),
        TableSpec(
            "tblLKE", "LKE",
            (
                _c("Kode"), _c("Kode Sub"), _c("Komponen"), _c("Sub Komponen"), _c("Kriteria"),
                _c("Jenis Jawaban"), _c("Jawaban OPD"), _c("Jawaban Evaluator"),
                _c("Nilai OPD", "computed", "score"), _c("Nilai Evaluator", "computed", "score"),
                # decision A9 "kerangka logis": each violation shown on the sheet itself
                _c("Kerangka Logis OPD", "computed", "kerangka_logis"),
                _c("Kerangka Logis Evaluator", "computed", "kerangka_logis"),
                _c("Bukti Dukung"), _c("Catatan"),
            ),
        ),
        TableSpec(
            "tblTindakLanjut", "Tindak Lanjut",
            (
                _c("No"), _c("Rekomendasi"), _c("Rencana Tindak Lanjut"), _c("Penanggung Jawab"),
                _c("Batas Waktu"), _c("Status"),
            ),
        ),
    ]
}
