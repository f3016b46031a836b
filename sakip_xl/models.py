"""Pydantic models of one OPD's SAKIP year (SAKIP terms kept as field names).

Scoring code only ever sees these validated models; the reader (``sakip_xl.excel.reader``) turns
worksheet cells into them through the one conversion module.  A validation error names the field:
use :func:`build` to get a :class:`~sakip_xl.errors.ModelError` with ``field`` set.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ModelError
from .policy import _describe

__all__ = [
    "Polaritas",
    "TipeAgregasi",
    "LevelAnggaran",
    "JenisPK",
    "StatusTL",
    "StatusEvaluasi",
    "Rentang",
    "Indikator",
    "AnggaranLine",
    "LKEJawaban",
    "TindakLanjut",
    "Profil",
    "OPDWorkbook",
    "build",
]

Polaritas = Literal["positif", "negatif", "stabil"]
TipeAgregasi = Literal["kumulatif", "akhir", "rata-rata"]
LevelAnggaran = Literal["Program", "Kegiatan", "Sub Kegiatan"]
JenisPK = Literal["Murni", "Perubahan"]
StatusTL = Literal["Belum", "Proses", "Selesai"]
#: The evaluator's mark on the LKE (decision A9): Final makes the evaluator's nilai the one used.
StatusEvaluasi = Literal["Draf", "Final"]
Quarter = float | None


def _empty_quarters() -> list[Quarter]:
    return [None, None, None, None]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Rentang(_Model):
    """A range target, e.g. inflation 2-4 %: ``bawah`` < ``atas``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bawah: float = Field(ge=0, allow_inf_nan=False)
    atas: float = Field(ge=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _order(self) -> Rentang:
        if not self.bawah < self.atas:
            raise ValueError(f"batas bawah ({self.bawah:g}) harus lebih kecil dari batas atas ({self.atas:g})")
        return self

    def as_tuple(self) -> tuple[float, float]:
        return (self.bawah, self.atas)

    def __str__(self) -> str:
        return f"{self.bawah:g}–{self.atas:g}"


def _four(v: Any) -> Any:
    if v is None:
        return [None] * 4
    if isinstance(v, (str, bytes, dict)) or not hasattr(v, "__iter__"):
        raise ValueError("harus berupa daftar nilai TW I s.d. TW IV")
    v = list(v)
    if len(v) > 4:
        raise ValueError("paling banyak 4 triwulan")
    return v + [None] * (4 - len(v))


class Indikator(_Model):
    """One PK indicator with its Rencana Aksi (quarterly targets and realisation)."""

    kode: str = Field(min_length=1, max_length=50)
    sasaran: str = ""
    nama: str = Field(min_length=1)
    satuan: str = ""
    polaritas: Polaritas = "positif"
    tipe_agregasi: TipeAgregasi = "akhir"
    target: float | Rentang | None = None
    target_tw: list[Quarter] = Field(default_factory=_empty_quarters)
    realisasi_tw: list[Quarter] = Field(default_factory=_empty_quarters)
    faktor_pendukung: str = ""
    faktor_penghambat: str = ""
    #: Provenance of the inputs: field -> "Sheet!A1" (filled by the reader).
    lokasi: dict[str, str] = Field(default_factory=dict)
    #: What the workbook's formulas see where it differs from the value read (field -> cell content):
    #: text typed in a number cell ("60%" pasted as text) is read, but the workbook's formulas cannot
    #: compute with it, so the roll-up computes exactly what the workbook shows (filled by the reader).
    sel: dict[str, str] = Field(default_factory=dict)

    @field_validator("target_tw", "realisasi_tw", mode="before")
    @classmethod
    def _four_tw(cls, v: Any) -> Any:
        return _four(v)

    @field_validator("target", mode="before")
    @classmethod
    def _target(cls, v: Any) -> Any:
        if isinstance(v, (tuple, list)) and len(v) == 2:
            return {"bawah": v[0], "atas": v[1]}
        return v

    @property
    def target_value(self) -> float | tuple[float, float] | None:
        """The target as :func:`sakip_xl.capaian` takes it."""
        if isinstance(self.target, Rentang):
            return self.target.as_tuple()
        return self.target


class AnggaranLine(_Model):
    """A DPA line: program / kegiatan / sub kegiatan with pagu and realisation per TW."""

    kode: str = Field(min_length=1)
    uraian: str = ""
    level: LevelAnggaran
    induk: str | None = None
    pagu: float | None = Field(default=None, allow_inf_nan=False)
    realisasi_tw: list[Quarter] = Field(default_factory=_empty_quarters)
    lokasi: dict[str, str] = Field(default_factory=dict)
    #: as :attr:`Indikator.sel`
    sel: dict[str, str] = Field(default_factory=dict)

    @field_validator("realisasi_tw", mode="before")
    @classmethod
    def _four_tw(cls, v: Any) -> Any:
        return _four(v)


class LKEJawaban(_Model):
    """Answers to one LKE criterion: the OPD's self-assessment and the evaluator's."""

    kode: str
    jawaban_opd: str | None = None
    jawaban_evaluator: str | None = None
    bukti_dukung: str = ""
    catatan: str = ""
    lokasi: dict[str, str] = Field(default_factory=dict)


class TindakLanjut(_Model):
    no: int | str
    rekomendasi: str = ""
    rencana_tindak_lanjut: str = ""
    penanggung_jawab: str = ""
    batas_waktu: dt.date | None = None
    status: StatusTL = "Belum"
    lokasi: dict[str, str] = Field(default_factory=dict)


class Profil(_Model):
    opd_kode: str = ""
    opd_nama: str = ""
    tahun: int | None = None
    jenis_pk: JenisPK = "Murni"
    kepala_nama: str = ""
    kepala_nip: str = ""
    kepala_jabatan: str = ""
    atasan_nama: str = ""
    atasan_jabatan: str = ""
    versi_template: str = ""
    status_evaluasi: StatusEvaluasi = "Draf"


class OPDWorkbook(_Model):
    """Everything one OPD workbook holds (inputs only: every computed number is recomputed)."""

    profil: Profil = Field(default_factory=Profil)
    indikator: list[Indikator] = Field(default_factory=list)
    anggaran: list[AnggaranLine] = Field(default_factory=list)
    lke: list[LKEJawaban] = Field(default_factory=list)
    tindak_lanjut: list[TindakLanjut] = Field(default_factory=list)
    #: Where it came from (path as given), filled by the reader.
    sumber: str | None = None

    def jawaban_opd(self) -> dict[str, str | None]:
        return {j.kode: j.jawaban_opd for j in self.lke}

    def jawaban_evaluator(self) -> dict[str, str | None]:
        return {j.kode: j.jawaban_evaluator for j in self.lke}


M = TypeVar("M", bound=BaseModel)


def build(model: type[M], data: Any) -> M:
    """Validate ``data`` into ``model``; a failure is a ModelError naming the field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errs = exc.errors(include_url=False)
        # a union field (target: number or range) reports one error per member: name the member
        # whose value was wrong ("batas bawah ... harus lebih kecil") rather than "not a number"
        same = [e for e in errs if e["loc"][:1] == errs[0]["loc"][:1]]
        err = next((e for e in same if not e["type"].endswith(("_type", "_parsing"))), errs[0])
        loc = list(err["loc"])
        tags = {e["loc"][1] for e in same if len(e["loc"]) > 1 and isinstance(e["loc"][1], str)}
        if len(tags) > 1:  # union member tags ("float", "Rentang" ...) are no field names
            loc = loc[:1]
        field = ".".join(str(p) for p in loc)
        msg = _describe(dict(err))  # Indonesian text, with the allowed values where known
        raise ModelError(f"{model.__name__}.{field}: {msg}", field=field) from exc
