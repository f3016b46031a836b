"""The policy (kebijakan): every setting of the scoring rules, in one pydantic object.

National defaults follow ``shared/domain.md`` Part A.  A city keeps a ``kebijakan.toml`` beside its
workbooks to change them (its own Perwal/Perbup); :func:`load_policy` reads it and a bad file gives
a :class:`~sakip_xl.errors.PolicyError` naming the key and the allowed values.
"""

from __future__ import annotations

import math
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from .errors import PolicyError
from .frozen import FrozenDict, freeze

__all__ = [
    "KategoriBand",
    "PredikatBand",
    "LKESettings",
    "LaporanSettings",
    "Policy",
    "load_policy",
    "default_policy",
    "policy_from_dict",
    "POLARITAS",
    "TIPE_AGREGASI",
]

POLARITAS = ("positif", "negatif", "stabil")
TIPE_AGREGASI = ("kumulatif", "akhir", "rata-rata")

Lampu = Literal["hijau", "kuning", "merah"]
#: a table of the policy: a read-only dict (nested tables too), hashable by value
Frozen = AfterValidator(freeze)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KategoriBand(_Strict):
    """One band of the kategori capaian scale: capaian >= ``batas_bawah`` (half-open)."""

    label: str = Field(min_length=1, max_length=40)
    batas_bawah: float | None = Field(
        default=None,  # TOML has no null: the bottom band simply leaves the key out
        allow_inf_nan=False,
        description="Batas bawah inklusif (persen); None untuk band terbawah.",
    )
    lampu: Lampu


class PredikatBand(_Strict):
    label: str = Field(min_length=1, max_length=4)
    batas_bawah: float = Field(ge=0, le=100)
    interpretasi: str = ""


class LKESettings(_Strict):
    """Which LKE criteria list and which scoring method."""

    varian: str = Field(
        default="88/2021",
        description='"88/2021" (bawaan) atau path ke CSV kriteria kota sendiri.',
    )
    metode: Literal["per_kriteria", "per_sub_komponen"] = "per_kriteria"
    nilai_predikat_sub: Annotated[dict[str, Annotated[float, Field(ge=0, le=100)]], Frozen] = Field(
        default_factory=lambda: FrozenDict({
            "AA": 100.0, "A": 90.0, "BB": 80.0, "B": 70.0,
            "CC": 60.0, "C": 50.0, "D": 30.0, "E": 0.0,
        }),
        description="Metode per_sub_komponen: nilai (0-100) tiap predikat sub komponen.",
    )
    kosong_bernilai_nol: bool = Field(
        default=True,
        description="Kriteria yang belum dijawab dihitung 0 (True) atau diabaikan (False).",
    )


class LaporanSettings(_Strict):
    """Who the city summary is from and who signs it (the Ringkasan Kota page for the Wali Kota)."""

    nama_pemda: str = Field(default="", max_length=80,
                            description='Nama pemerintah daerah pada judul, mis. "Kota Sukamaju".')
    tempat: str = Field(default="", max_length=40, description="Tempat penandatanganan, mis. Sukamaju.")
    penandatangan_jabatan: str = Field(default="Kepala Bagian Organisasi", max_length=120)
    penandatangan_nama: str = Field(default="", max_length=80)
    penandatangan_nip: str = Field(default="", max_length=30)


def _default_kategori() -> tuple[KategoriBand, ...]:
    return (
        KategoriBand(label="Sangat Tinggi", batas_bawah=91, lampu="hijau"),
        KategoriBand(label="Tinggi", batas_bawah=76, lampu="kuning"),
        KategoriBand(label="Sedang", batas_bawah=66, lampu="kuning"),
        KategoriBand(label="Rendah", batas_bawah=51, lampu="merah"),
        KategoriBand(label="Sangat Rendah", batas_bawah=None, lampu="merah"),
    )


def _default_predikat() -> tuple[PredikatBand, ...]:
    return (
        PredikatBand(label="AA", batas_bawah=90, interpretasi="Sangat Memuaskan"),
        PredikatBand(label="A", batas_bawah=80, interpretasi="Memuaskan"),
        PredikatBand(label="BB", batas_bawah=70, interpretasi="Sangat Baik"),
        PredikatBand(label="B", batas_bawah=60, interpretasi="Baik"),
        PredikatBand(label="CC", batas_bawah=50, interpretasi="Cukup (Memadai)"),
        PredikatBand(label="C", batas_bawah=30, interpretasi="Kurang"),
        PredikatBand(label="D", batas_bawah=0, interpretasi="Sangat Kurang"),
    )


class Policy(_Strict):
    """Every setting of Part A with national defaults."""

    kategori: tuple[KategoriBand, ...] = Field(default_factory=_default_kategori)
    predikat: tuple[PredikatBand, ...] = Field(default_factory=_default_predikat)
    batas_predikat: Literal["eksklusif", "inklusif"] = Field(
        default="eksklusif",
        description="eksklusif: 70,00 -> B dan 70,01 -> BB (PermenPAN-RB 88/2021); inklusif: 70,00 -> BB.",
    )
    cap_rata_rata: float | None = Field(
        default=120.0,
        description="Batas atas capaian per indikator saat dirata-rata: tidak / 100 / 110 / 120.",
    )
    nilai_jawaban: Annotated[dict[str, dict[str, float]], Frozen] = Field(
        default_factory=lambda: freeze({
            "Y/T": {"Y": 1.0, "T": 0.0},
            "A-E": {"A": 1.0, "B": 0.75, "C": 0.5, "D": 0.25, "E": 0.0},
        })
    )
    lke: LKESettings = Field(default_factory=LKESettings)
    laporan: LaporanSettings = Field(default_factory=LaporanSettings)
    target_predikat: str = Field(default="BB", validate_default=True, description="Predikat sasaran kota.")
    target_proporsi_opd: str = Field(
        default="2/3", validate_default=True,
        description=("Bagian OPD yang harus berpredikat target_predikat atau lebih baik (pecahan \"2/3\", "
                     "desimal \"0,75\" atau persen \"70%\"); dasar rencana peningkatan kota."),
    )
    target_rata_nilai: float | None = Field(
        default=None, ge=0, le=100, allow_inf_nan=False,
        description="Target rata-rata nilai LKE OPD (kosong: tidak ada target rata-rata).",
    )
    ambang_serapan_tinggi: float = Field(
        default=95.0, ge=0, le=100,
        description="Tandai capaian < 100 % sementara serapan >= ambang ini.",
    )
    resolusi_nilai: float = Field(
        default=0.01, gt=0, le=1,
        description="Resolusi nilai LKE untuk menghitung poin ke predikat berikut (batas eksklusif).",
    )
    tahun_minimum: int = Field(default=2015, ge=2000, le=2100)

    # ------------------------------------------------------------------ validators
    @field_validator("cap_rata_rata", mode="before")
    @classmethod
    def _cap(cls, v: Any) -> Any:
        if v is None or (isinstance(v, str) and v.strip().lower() in {"tidak", "none", ""}):
            return None
        if isinstance(v, bool) or v not in (100, 110, 120):
            raise ValueError("nilai yang diizinkan: \"tidak\", 100, 110, 120")
        return float(v)

    @field_validator("kategori")
    @classmethod
    def _kategori(cls, bands: tuple[KategoriBand, ...]) -> tuple[KategoriBand, ...]:
        if len(bands) < 2:
            raise ValueError("minimal dua kategori")
        if bands[-1].batas_bawah is not None:
            raise ValueError("kategori terakhir harus tanpa batas_bawah (menampung sisanya)")
        lows = [b.batas_bawah for b in bands[:-1]]
        if any(lo is None for lo in lows):
            raise ValueError("hanya kategori terakhir yang boleh tanpa batas_bawah")
        if any(a <= b for a, b in zip(lows, lows[1:], strict=False)):  # type: ignore[operator]
            raise ValueError("batas_bawah kategori harus menurun tegas dari atas ke bawah")
        if len({b.label for b in bands}) != len(bands):
            raise ValueError("label kategori harus unik")
        return bands

    @field_validator("predikat")
    @classmethod
    def _predikat(cls, bands: tuple[PredikatBand, ...]) -> tuple[PredikatBand, ...]:
        if len(bands) < 2:
            raise ValueError("minimal dua predikat")
        lows = [b.batas_bawah for b in bands]
        if any(a <= b for a, b in zip(lows, lows[1:], strict=False)):
            raise ValueError("batas_bawah predikat harus menurun tegas (AA paling atas)")
        if lows[-1] != 0:
            raise ValueError("predikat terakhir harus berbatas bawah 0")
        if len({b.label for b in bands}) != len(bands):
            raise ValueError("label predikat harus unik")
        return bands

    @field_validator("nilai_jawaban")
    @classmethod
    def _jawaban(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for jenis, table in v.items():
            if not table:
                raise ValueError(f"jenis jawaban {jenis!r} tidak punya pilihan")
            for label, value in table.items():
                if not (0.0 <= value <= 1.0) or math.isnan(value):
                    raise ValueError(f"nilai jawaban {jenis}/{label} harus di antara 0 dan 1")
        for needed in ("Y/T", "A-E"):
            if needed not in v:
                raise ValueError(f"jenis jawaban {needed!r} wajib ada")
        return v

    @field_validator("target_predikat")
    @classmethod
    def _target(cls, v: str, info: ValidationInfo) -> str:
        # a field validator (not a model one) so the error names the key target_predikat;
        # predikat is declared earlier, so it is in info.data unless it failed itself
        bands = info.data.get("predikat")
        labels = [b.label for b in bands] if bands else []
        if bands and v not in labels:
            raise ValueError(f"target_predikat {v!r} tidak dikenal; pilihan: " + ", ".join(labels))
        return v

    @field_validator("target_proporsi_opd", mode="before")
    @classmethod
    def _proporsi(cls, v: Any) -> Any:
        from fractions import Fraction

        if isinstance(v, bool) or not isinstance(v, (str, int, float)):
            raise ValueError("harus berupa pecahan seperti \"2/3\", desimal, atau persen")
        t = str(v).strip().replace(",", ".")
        try:
            f = Fraction(t[:-1].strip()) / 100 if t.endswith("%") else Fraction(t)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{v!r} bukan pecahan; contoh: \"2/3\", \"0,75\", \"70%\"") from None
        if not 0 < f <= 1:
            raise ValueError(f"{v!r} harus di antara 0 (tidak termasuk) dan 1 (100 %)")
        return str(v).strip()

    # ------------------------------------------------------------------ helpers
    def require_per_kriteria(self, what: str) -> None:
        """The OPD workbook holds answers per criterion; refuse, loudly, a policy that asks for the
        regulation's per-sub-component grading there instead of silently scoring per criterion."""
        if self.lke.metode != "per_kriteria":
            raise PolicyError(
                f"{what}: lke.metode = {self.lke.metode!r} belum didukung oleh workbook OPD "
                "(workbook menyimpan jawaban per kriteria).",
                key="lke.metode",
                hint='Gunakan lke.metode = "per_kriteria", atau hitung per sub komponen dengan '
                "sakip_xl.scoring.nilai_lke_per_sub.",
            )

    @property
    def predikat_labels(self) -> list[str]:
        return [b.label for b in self.predikat]

    @property
    def kategori_labels(self) -> list[str]:
        return [b.label for b in self.kategori]

    def lampu_thresholds(self) -> tuple[float, float]:
        """(hijau_min, kuning_min): the traffic-light bounds derived from the kategori bands."""
        green = [b.batas_bawah for b in self.kategori if b.lampu == "hijau" and b.batas_bawah is not None]
        yellow = [b.batas_bawah for b in self.kategori if b.lampu == "kuning" and b.batas_bawah is not None]
        hijau_min = min(green) if green else math.inf
        kuning_min = min(yellow) if yellow else hijau_min
        return float(hijau_min), float(kuning_min)


def _format_loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) if loc else "(akar)"


def _describe(err: Any) -> str:
    """Indonesian text for one pydantic error, with the allowed values where known."""
    ctx = err.get("ctx") or {}
    typ = err["type"]
    got = err.get("input")
    if typ == "literal_error":
        allowed = str(ctx.get("expected", "")).replace(" or ", ", ")
        return f"bernilai {got!r}; nilai yang diizinkan: {allowed}"
    if typ == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if typ in {"float_parsing", "float_type", "finite_number", "int_parsing", "int_type", "int_from_float"}:
        return f"bernilai {got!r}; harus berupa angka"
    if typ in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        sym = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[typ]
        bound = next(iter(ctx.values()), "")
        return f"bernilai {got!r}; harus {sym} {bound}"
    if typ == "missing":
        return "wajib diisi"
    if typ == "extra_forbidden":
        return "kunci tidak dikenal"
    if typ.startswith(("date_", "datetime_")):
        return f"bernilai {got!r}; harus berupa tanggal (TTTT-BB-HH)"
    if typ in {"string_too_short", "string_too_long"}:
        bound = ctx.get("min_length", ctx.get("max_length"))
        return f"bernilai {got!r}; panjang teks harus {'minimal' if typ == 'string_too_short' else 'paling banyak'} {bound} huruf"
    if typ in {"string_type", "bool_type", "bool_parsing", "dict_type", "list_type", "tuple_type", "model_type"}:
        kind = {"string_type": "teks", "bool_type": "true/false", "bool_parsing": "true/false",
                "dict_type": "tabel", "tuple_type": "daftar",
                "list_type": "daftar", "model_type": "tabel"}[typ]
        return f"bernilai {got!r}; harus berupa {kind}"
    return str(err["msg"])


def policy_from_dict(data: dict[str, Any], *, source: str = "kebijakan") -> Policy:
    """Build a :class:`Policy`; errors name the key and the allowed values."""
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        key = _format_loc(tuple(first["loc"]))
        if first["type"] == "extra_forbidden":
            known = ", ".join(sorted(Policy.model_fields)) if len(first["loc"]) == 1 else ""
            msg = f"{source}: kunci {key!r} tidak dikenal." + (f" Kunci yang dikenal: {known}." if known else "")
        else:
            msg = f"{source}: kunci {key!r} tidak valid: {_describe(first)}."
        raise PolicyError(msg, key=key, hint="Periksa ejaan kunci dan nilainya pada berkas kebijakan.") from exc


def load_policy(path: str | Path) -> Policy:
    """Read a ``kebijakan.toml``.  Missing keys take the national defaults."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise PolicyError(f"Berkas kebijakan {p} tidak dapat dibaca: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyError(f"Berkas kebijakan {p.name} bukan TOML yang sah: {exc}") from exc
    return policy_from_dict(data, source=p.name)


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    return Policy()
