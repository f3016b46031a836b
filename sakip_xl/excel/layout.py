"""Where everything sits in the OPD workbook: pure data, no file I/O.

The generator (:mod:`sakip_xl.excel.template`), the cached-value evaluator (:mod:`.fill`) and the
public :func:`sakip_xl.excel.template.computed_cells` all build on :class:`WorkbookLayout`, so a cell
address is decided in exactly one place.  Tables are pre-sized (see :class:`Sizes`): the formulas
already sit in every row, because a protected sheet cannot grow an Excel Table.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell

from ..errors import TemplateError
from ..policy import Policy
from ..rules import CellRange, Ref
from ..scoring.lke import Kriteria, sub_komponen_list
from .contract import TABLES, TW, TableSpec

__all__ = [
    "HEADER_ROW",
    "Sizes",
    "TableLayout",
    "Computed",
    "RingkasanLayout",
    "PernyataanLayout",
    "PROFIL_ROWS",
    "WorkbookLayout",
    "a1",
    "qualified",
]

#: 0-based row of every table's header (row 4 in Excel); rows 1-3 hold the title and a hint.
HEADER_ROW = 3

#: Profil: (defined name, label) in row order from row 4 (0-based 3); values sit in column B.
PROFIL_ROWS: tuple[tuple[str, str], ...] = (
    ("OPD_Kode", "Kode OPD"),
    ("OPD_Nama", "Nama OPD"),
    ("Tahun", "Tahun"),
    ("Jenis_PK", "Jenis PK (Murni / Perubahan)"),
    ("Kepala_Nama", "Nama Kepala OPD (Pihak Pertama)"),
    ("Kepala_NIP", "NIP Kepala OPD"),
    ("Kepala_Jabatan", "Jabatan Kepala OPD"),
    ("Atasan_Nama", "Nama Atasan (Pihak Kedua)"),
    ("Atasan_Jabatan", "Jabatan Atasan"),
    ("Versi_Template", "Versi template"),
    ("Status_Evaluasi", "Status evaluasi LKE (Draf / Final; diisi evaluator)"),
)
PROFIL_FIRST_ROW = 3


def a1(row: int, col: int, absolute: bool = False) -> str:
    return xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)


def qualified(sheet: str, ref: str) -> str:
    return f"{quote_sheetname(sheet)}!{ref}"


@dataclass(frozen=True)
class Sizes:
    """Rows of each pre-sized table (PK and Rencana Aksi always have the same number)."""

    pk: int = 100
    anggaran: int = 200
    tindak_lanjut: int = 50



@dataclass(frozen=True)
class TableLayout:
    spec: TableSpec
    n_rows: int
    top: int = HEADER_ROW
    left: int = 0

    @property
    def sheet(self) -> str:
        return self.spec.sheet

    @property
    def name(self) -> str:
        return self.spec.name

    def col(self, name: str) -> int:
        try:
            return self.left + self.spec.column_names.index(name)
        except ValueError:
            raise TemplateError(f"kolom {name!r} tidak ada di {self.name}") from None

    def row(self, i: int) -> int:
        """0-based sheet row of data row ``i`` (0-based)."""
        return self.top + 1 + i

    @property
    def first_row(self) -> int:
        return self.top + 1

    @property
    def last_row(self) -> int:
        return self.top + self.n_rows

    @property
    def last_col(self) -> int:
        return self.left + len(self.spec.columns) - 1

    def a1(self, name: str, i: int) -> str:
        return a1(self.row(i), self.col(name))

    def column_range(self, name: str, *, qualify: bool = True) -> CellRange:
        """The whole data column, absolute (``'Rencana Aksi'!$P$5:$P$104``)."""
        return _column_range(self, name, qualify)

    def _column_range(self, name: str, qualify: bool) -> CellRange:
        c = self.col(name)
        rng = f"{a1(self.first_row, c, True)}:{a1(self.last_row, c, True)}"
        cells = tuple(a1(r, c, True) for r in range(self.first_row, self.last_row + 1))
        if qualify:
            return CellRange(qualified(self.sheet, rng), tuple(qualified(self.sheet, x) for x in cells))
        return CellRange(rng, cells)

    def row_range(self, first: str, last: str, i: int) -> CellRange:
        """Cells ``first``..``last`` of data row ``i`` (relative, same sheet): ``K5:N5``."""
        c0, c1 = self.col(first), self.col(last)
        r = self.row(i)
        return CellRange(f"{a1(r, c0)}:{a1(r, c1)}", tuple(a1(r, c) for c in range(c0, c1 + 1)))

    @property
    def ref(self) -> str:
        return f"{a1(self.top, self.left)}:{a1(self.last_row, self.last_col)}"


@functools.lru_cache(maxsize=256)
def _column_range(t: TableLayout, name: str, qualify: bool) -> CellRange:
    return t._column_range(name, qualify)


@dataclass(frozen=True)
class Computed:
    """One computed cell: ``rule`` is a key of :data:`sakip_xl.rules.RULES`, or a link kind of
    :mod:`sakip_xl.excel.links` (``lookup``, ``salin``, ``besar``, ``rentang``, ``teks``, ``nomor``, ``judul_pk``)."""

    sheet: str
    row: int
    col: int
    rule: str
    refs: Mapping[str, Ref] = field(default_factory=dict)

    @property
    def cell(self) -> str:
        return a1(self.row, self.col)

    @property
    def where(self) -> str:
        return qualified(self.sheet, self.cell)


# --------------------------------------------------------------------------- Ringkasan
@dataclass(frozen=True)
class RingkasanLayout:
    """Rows (0-based) of the Ringkasan sheet; values sit in column D (OPD) and E (evaluator)."""

    kriteria: tuple[Kriteria, ...]
    sheet: str = "Ringkasan"
    value_col: int = 3
    eval_col: int = 4
    capaian_rata: int = 4
    capaian_dibatasi: int = 5
    kategori_rata: int = 6
    level_anggaran: int = 9
    pagu: int = 10
    realisasi_tw: int = 11  # four rows
    serapan: int = 15
    efisiensi: int = 16
    nilai_lke: int = 19
    predikat: int = 20
    dijawab: int = 21
    #: issue 16: the next predikat and the points still needed to reach it (rules.predikat_berikut, poin_predikat)
    predikat_berikut: int = 22
    poin_berikut: int = 23
    nilai_dipakai: int = 24
    sumber_nilai: int = 25
    predikat_dipakai: int = 26
    komponen_header: int = 29

    @cached_property
    def subs(self) -> list[tuple[str, str, str, float]]:
        return sub_komponen_list(list(self.kriteria))

    @cached_property
    def komponen(self) -> list[tuple[str, str, float, int, int]]:
        """``(kode, nama, bobot, first_sub_index, last_sub_index)``; subs must be grouped."""
        out: list[tuple[str, str, float, int, int]] = []
        for i, (kode_sub, nama_komp, _nama, _b) in enumerate(self.subs):
            kode = kode_sub.split(".")[0]
            if out and out[-1][0] == kode:
                k = out[-1]
                out[-1] = (k[0], k[1], k[2], k[3], i)
                continue
            if any(k[0] == kode for k in out):
                raise TemplateError(f"sub komponen LKE komponen {kode} tidak berurutan dalam daftar kriteria")
            bobot = next(k.bobot_komponen for k in self.kriteria if k.kode_komponen == kode)
            out.append((kode, nama_komp, bobot, i, i))
        return out

    def komponen_row(self, j: int) -> int:
        return self.komponen_header + 1 + j

    @property
    def sub_header(self) -> int:
        return self.komponen_row(len(self.komponen)) + 2

    def sub_row(self, i: int) -> int:
        return self.sub_header + 1 + i

    @property
    def last_row(self) -> int:
        return self.sub_row(len(self.subs) - 1)

    def cell(self, row: int, col: int | None = None) -> str:
        return a1(row, self.value_col if col is None else col)


# --------------------------------------------------------------------------- Pernyataan PK
@dataclass(frozen=True)
class PernyataanLayout:
    """The printable statement (page 1) and its attachment table (page 2 onwards)."""

    n_rows: int
    sheet: str = "Pernyataan PK"
    judul: int = 0
    opd: int = 1
    pembuka: int = 3
    pihak1_nama: int = 5
    pihak1_jabatan: int = 6
    pihak1_sebutan: int = 7
    pihak2_nama: int = 9
    pihak2_jabatan: int = 10
    pihak2_sebutan: int = 11
    janji: int = 13
    supervisi: int = 15
    tempat: int = 17
    ttd_sebutan: int = 18
    ttd_jabatan: int = 19
    ttd_nama: int = 23
    ttd_nip: int = 24
    lampiran_judul: int = 26
    lampiran_opd: int = 27
    anggaran_row: int = 29
    header: int = 31

    def row(self, i: int) -> int:
        return self.header + 1 + i

    @property
    def last_row(self) -> int:
        return self.row(self.n_rows - 1)


# --------------------------------------------------------------------------- the workbook
@dataclass(frozen=True)
class WorkbookLayout:
    sizes: Sizes
    kriteria: tuple[Kriteria, ...]

    @cached_property
    def tables(self) -> dict[str, TableLayout]:
        n = {
            "tblPK": self.sizes.pk,
            "tblRencanaAksi": self.sizes.pk,
            "tblAnggaran": self.sizes.anggaran,
            "tblLKE": len(self.kriteria),
            "tblTindakLanjut": self.sizes.tindak_lanjut,
        }
        return {name: TableLayout(TABLES[name], n[name]) for name in TABLES}

    @property
    def pk(self) -> TableLayout:
        return self.tables["tblPK"]

    @property
    def ra(self) -> TableLayout:
        return self.tables["tblRencanaAksi"]

    @property
    def anggaran(self) -> TableLayout:
        return self.tables["tblAnggaran"]

    @property
    def lke(self) -> TableLayout:
        return self.tables["tblLKE"]

    @property
    def tindak_lanjut(self) -> TableLayout:
        return self.tables["tblTindakLanjut"]

    @cached_property
    def ringkasan(self) -> RingkasanLayout:
        return RingkasanLayout(self.kriteria)

    @cached_property
    def pernyataan(self) -> PernyataanLayout:
        return PernyataanLayout(self.sizes.pk)

    @staticmethod
    def profil_cell(name: str, *, qualify: bool = True) -> str:
        i = [n for n, _ in PROFIL_ROWS].index(name)
        ref = a1(PROFIL_FIRST_ROW + i, 1, True)
        return qualified("Profil", ref) if qualify else ref

    # ------------------------------------------------------------------ computed cells
    def computed(self, policy: Policy) -> list[Computed]:
        """Every formula cell, in an order where each cell comes after the cells it reads."""
        return [
            *self._rencana_aksi(),
            *self._anggaran(),
            *self._lke(),
            *self._ringkasan(policy),
            *self._pernyataan(),
        ]

    def _rencana_aksi(self) -> list[Computed]:
        ra, pk = self.ra, self.pk
        out: list[Computed] = []
        s = ra.sheet
        for i in range(ra.n_rows):
            kode = ra.a1("Kode", i)
            for name in ("Indikator Kinerja", "Polaritas", "Tipe Agregasi", "Target", "Target Atas"):
                out.append(Computed(s, ra.row(i), ra.col(name), "lookup", {
                    "kunci": kode,
                    "kolom_kunci": pk.column_range("Kode"),
                    "kolom_hasil": pk.column_range(name),
                }))
            out.append(Computed(s, ra.row(i), ra.col("Realisasi"), "ytd", {
                "nilai_tw": ra.row_range(f"Realisasi {TW[0]}", f"Realisasi {TW[-1]}", i),
                "tipe_agregasi": ra.a1("Tipe Agregasi", i),
            }))
            out.append(Computed(s, ra.row(i), ra.col("Capaian (%)"), "capaian", {
                "target": ra.a1("Target", i),
                "realisasi": ra.a1("Realisasi", i),
                "polaritas": ra.a1("Polaritas", i),
                "target_atas": ra.a1("Target Atas", i),
            }))
            out.append(Computed(s, ra.row(i), ra.col("Kategori"), "kategori", {
                "capaian": ra.a1("Capaian (%)", i),
            }))
            targets = ra.row_range(f"Target {TW[0]}", f"Target {TW[-1]}", i)
            reals = ra.row_range(f"Realisasi {TW[0]}", f"Realisasi {TW[-1]}", i)
            out.append(Computed(s, ra.row(i), ra.col("TW Terakhir"), "tw_terakhir", {"realisasi_tw": reals}))
            out.append(Computed(s, ra.row(i), ra.col("Target s.d. TW"), "target_sd_tw", {
                "target_tw": targets, "realisasi_tw": reals, "tipe_agregasi": ra.a1("Tipe Agregasi", i),
                "target": ra.a1("Target", i),
            }))
            out.append(Computed(s, ra.row(i), ra.col("Capaian s.d. TW (%)"), "capaian_sd_tw", {
                "target_sd": ra.a1("Target s.d. TW", i), "realisasi": ra.a1("Realisasi", i),
                "polaritas": ra.a1("Polaritas", i), "target_atas": ra.a1("Target Atas", i),
                "target_tw": targets, "realisasi_tw": reals,
            }))
        return out

    def _anggaran(self) -> list[Computed]:
        ag = self.anggaran
        return [
            Computed(ag.sheet, ag.row(i), ag.col("Serapan (%)"), "serapan", {
                "pagu": ag.a1("Pagu", i),
                "realisasi_tw": ag.row_range(f"Realisasi {TW[0]}", f"Realisasi {TW[-1]}", i),
            })
            for i in range(ag.n_rows)
        ]

    def _lke(self) -> list[Computed]:
        lk = self.lke
        out: list[Computed] = []
        for i in range(lk.n_rows):
            for nilai, jawaban in (("Nilai OPD", "Jawaban OPD"), ("Nilai Evaluator", "Jawaban Evaluator")):
                out.append(Computed(lk.sheet, lk.row(i), lk.col(nilai), "score", {
                    "jawaban": lk.a1(jawaban, i),
                    "jenis_jawaban": lk.a1("Jenis Jawaban", i),
                }))
        kode, sub = lk.column_range("Kode", qualify=False), lk.column_range("Kode Sub", qualify=False)
        for i, k in enumerate(self.kriteria):  # after every score cell: a violation reads the whole column
            for nilai, col in (("Nilai OPD", "Kerangka Logis OPD"), ("Nilai Evaluator", "Kerangka Logis Evaluator")):
                out.append(Computed(lk.sheet, lk.row(i), lk.col(col), "kerangka_logis", {
                    "nilai": lk.a1(nilai, i), "kode_kolom": kode, "kode_sub_kolom": sub,
                    "nilai_kolom": lk.column_range(nilai, qualify=False),
                    "acuan": '"' + ";".join(k.tergantung_pada) + '"',
                }))
        return out

    def _ringkasan(self, policy: Policy) -> list[Computed]:
        rk, ra, ag, lk = self.ringkasan, self.ra, self.anggaran, self.lke
        s = rk.sheet
        out: list[Computed] = []
        for i, (_kode, _k, _n, _b) in enumerate(rk.subs):
            for col, nilai in ((rk.value_col, "Nilai OPD"), (rk.eval_col, "Nilai Evaluator")):
                out.append(Computed(s, rk.sub_row(i), col, "lke_sub", {
                    "nilai": lk.column_range(nilai),
                    "kode_sub_kolom": lk.column_range("Kode Sub"),
                    "kode_sub": a1(rk.sub_row(i), 0),
                    "bobot": a1(rk.sub_row(i), 2),
                }))
        for j, (_kode, _nama, _bobot, first, last) in enumerate(rk.komponen):
            for col in (rk.value_col, rk.eval_col):
                rng = f"{a1(rk.sub_row(first), col)}:{a1(rk.sub_row(last), col)}"
                cells = tuple(a1(rk.sub_row(x), col) for x in range(first, last + 1))
                out.append(Computed(s, rk.komponen_row(j), col, "jumlah", {"nilai": CellRange(rng, cells)}))
        komp_first, komp_last = rk.komponen_row(0), rk.komponen_row(len(rk.komponen) - 1)
        for col, nilai in ((rk.value_col, "Nilai OPD"), (rk.eval_col, "Nilai Evaluator")):
            rng = f"{a1(komp_first, col)}:{a1(komp_last, col)}"
            cells = tuple(a1(r, col) for r in range(komp_first, komp_last + 1))
            out.append(Computed(s, rk.nilai_lke, col, "jumlah", {"nilai": CellRange(rng, cells)}))
            out.append(Computed(s, rk.predikat, col, "predikat", {"nilai": a1(rk.nilai_lke, col)}))
            for row, key in ((rk.predikat_berikut, "predikat_berikut"), (rk.poin_berikut, "poin_predikat")):
                out.append(Computed(s, row, col, key, {"nilai": a1(rk.nilai_lke, col)}))
            out.append(Computed(s, rk.dijawab, col, "jumlah_dijawab", {"nilai": lk.column_range(nilai)}))
        used: dict[str, Ref] = {
            "nilai_opd": rk.cell(rk.nilai_lke), "nilai_evaluator": rk.cell(rk.nilai_lke, rk.eval_col),
            "dijawab_evaluator": rk.cell(rk.dijawab, rk.eval_col), "kode_kolom": lk.column_range("Kode"),
            "status": self.profil_cell("Status_Evaluasi"),
        }
        out.append(Computed(s, rk.nilai_dipakai, rk.value_col, "nilai_dipakai", used))
        out.append(Computed(s, rk.sumber_nilai, rk.value_col, "sumber_nilai", used))
        out.append(Computed(s, rk.predikat_dipakai, rk.value_col, "predikat", {"nilai": rk.cell(rk.nilai_dipakai)}))

        capaian = ra.column_range("Capaian (%)")
        v = rk.value_col
        out.append(Computed(s, rk.capaian_rata, v, "rata", {"capaian": capaian}))
        capped: dict[str, Ref] = {"capaian": capaian}
        if policy.cap_rata_rata is not None:
            capped["batas"] = policy.cap_rata_rata
        out.append(Computed(s, rk.capaian_dibatasi, v, "rata", capped))
        out.append(Computed(s, rk.kategori_rata, v, "kategori", {"capaian": rk.cell(rk.capaian_dibatasi)}))

        level = ag.column_range("Level")
        # decision A9 "OPD serapan": one budget level, decided by one rule, counted for pagu and realisasi
        out.append(Computed(s, rk.level_anggaran, v, "level_anggaran", {
            "level_kolom": level, "pagu_kolom": ag.column_range("Pagu")}))
        for row, col_name in ((rk.pagu, "Pagu"), *((rk.realisasi_tw + k, f"Realisasi {tw}") for k, tw in enumerate(TW))):
            out.append(Computed(s, row, v, "jumlah_level", {
                "level_kolom": level, "nilai_kolom": ag.column_range(col_name), "level": rk.cell(rk.level_anggaran),
            }))
        tw_rng = f"{rk.cell(rk.realisasi_tw)}:{rk.cell(rk.realisasi_tw + 3)}"
        tw_cells = tuple(rk.cell(rk.realisasi_tw + k) for k in range(4))
        out.append(Computed(s, rk.serapan, v, "serapan", {
            "pagu": rk.cell(rk.pagu), "realisasi_tw": CellRange(tw_rng, tw_cells),
        }))
        out.append(Computed(s, rk.efisiensi, v, "efisiensi", {
            "capaian": rk.cell(rk.capaian_dibatasi), "serapan": rk.cell(rk.serapan),
        }))
        return out

    def _pernyataan(self) -> list[Computed]:
        pn, pk = self.pernyataan, self.pk
        s = pn.sheet
        tahun = self.profil_cell("Tahun")
        opd = self.profil_cell("OPD_Nama")
        out: list[Computed] = []
        for row in (pn.judul, pn.lampiran_judul):
            out.append(Computed(s, row, 0, "judul_pk", {"jenis": self.profil_cell("Jenis_PK"), "tahun": tahun}))
        for row in (pn.opd, pn.lampiran_opd):
            out.append(Computed(s, row, 0, "besar", {"sumber": opd}))
        for row, name in (
            (pn.pihak1_nama, "Kepala_Nama"), (pn.pihak1_jabatan, "Kepala_Jabatan"),
            (pn.pihak2_nama, "Atasan_Nama"), (pn.pihak2_jabatan, "Atasan_Jabatan"),
        ):
            out.append(Computed(s, row, 2, "salin", {"sumber": self.profil_cell(name)}))
        for col, jab, nama in ((1, "Atasan_Jabatan", "Atasan_Nama"), (3, "Kepala_Jabatan", "Kepala_Nama")):
            out.append(Computed(s, pn.ttd_jabatan, col, "salin", {"sumber": self.profil_cell(jab)}))
            out.append(Computed(s, pn.ttd_nama, col, "salin", {"sumber": self.profil_cell(nama)}))
        out.append(Computed(s, pn.ttd_nip, 3, "teks", {"awal": '"NIP. "', "nilai": self.profil_cell("Kepala_NIP")}))
        for i in range(pn.n_rows):
            r = pn.row(i)
            ind = qualified(pk.sheet, a1(pk.row(i), pk.col("Indikator Kinerja"), True))
            out.append(Computed(s, r, 0, "nomor", {"sumber": ind, "nomor": float(i + 1)}))
            out.append(Computed(s, r, 1, "salin", {
                "sumber": qualified(pk.sheet, a1(pk.row(i), pk.col("Sasaran Strategis"), True))}))
            out.append(Computed(s, r, 2, "salin", {"sumber": ind}))
            out.append(Computed(s, r, 3, "rentang", {
                "bawah": qualified(pk.sheet, a1(pk.row(i), pk.col("Target"), True)),
                "atas": qualified(pk.sheet, a1(pk.row(i), pk.col("Target Atas"), True)),
            }))
            out.append(Computed(s, r, 4, "salin", {
                "sumber": qualified(pk.sheet, a1(pk.row(i), pk.col("Satuan"), True))}))
        ag = self.anggaran
        out.append(Computed(s, pn.anggaran_row, 3, "jumlah_level", {
            "level_kolom": ag.column_range("Level"), "nilai_kolom": ag.column_range("Pagu"),
            "level": '"Program"',
        }))
        return out


def column_letter(col: int) -> str:
    return xl_col_to_name(col)
