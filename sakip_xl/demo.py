"""A fictional city (Kota Sukamaju) for the demo, the tests and the benchmarks.

:func:`generate_city` builds plausible OPD years as models (indicators from ``data/contoh_iku.csv``
with quarterly targets and realisations, DPA budgets that add up, LKE answers that respect the
kerangka logis, follow-up recommendations) plus a few deliberate mistakes.  :func:`run_demo` writes
the workbooks from the standard template, drops in a few bad files and consolidates the folder.
The same seed gives the same city.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import SakipError
from .models import AnggaranLine, Indikator, LKEJawaban, OPDWorkbook, Profil, StatusTL, TindakLanjut
from .policy import Policy, default_policy
from .scoring.lke import Kriteria, load_kriteria

__all__ = ["KOTA", "TAHUN", "OPDSpec", "Kota", "generate_city", "write_city", "write_daftar", "run_demo",
           "DemoResult", "DemoFolderError"]

KOTA = "Kota Sukamaju"
TAHUN = 2025

#: Budget split over the quarters (realisation tends to pile up at year end).
_POLA_TW = (0.17, 0.24, 0.26, 0.33)
_AE = ("A", "B", "C", "D", "E")
_AE_VAL = {"A": 1.0, "B": 0.75, "C": 0.5, "D": 0.25, "E": 0.0}
_DEPAN = ("Ahmad", "Siti", "Budi", "Dewi", "Agus", "Rina", "Hendra", "Lestari", "Yusuf", "Ratna",
          "Bambang", "Wulan", "Eko", "Nur", "Teguh", "Fitri", "Joko", "Maya", "Rudi", "Indah")
_BELAKANG = ("Suryadi", "Rahmawati", "Santoso", "Kusuma", "Hidayat", "Permatasari", "Wibowo",
             "Susanti", "Pratama", "Handayani", "Saputra", "Lubis", "Nasution", "Siregar", "Utami")
_GELAR = ("S.T., M.T.", "S.E., M.M.", "S.Sos., M.Si.", "Dr.", "S.H., M.H.", "S.Kom., M.Kom.", "Drs., M.Si.")


@dataclass(frozen=True)
class _IKU:
    jenis: str
    sasaran: str
    nama: str
    satuan: str
    polaritas: str
    tipe: str
    target: str


@lru_cache(maxsize=1)
def _iku() -> tuple[_IKU, ...]:
    text = resources.files("sakip_xl.data").joinpath("contoh_iku.csv").read_text("utf-8")
    return tuple(
        _IKU(r["opd_jenis"], r["sasaran_strategis"], r["indikator"], r["satuan"], r["polaritas"],
             r["tipe_agregasi"], r["target_tipikal"])
        for r in csv.DictReader(text.splitlines())
    )


def _jenis_opd() -> list[str]:
    seen: dict[str, None] = {}
    for row in _iku():
        seen.setdefault(row.jenis, None)
    return list(seen)


@dataclass(frozen=True)
class OPDSpec:
    kode: str
    nama: str
    jenis: str


def opd_list(jumlah: int) -> list[OPDSpec]:
    """``jumlah`` OPDs: one of each kind in the sample data, then more Kecamatan."""
    kinds = _jenis_opd()
    out: list[OPDSpec] = []
    kec = 0
    for i in range(jumlah):
        if i < len(kinds) and kinds[i] != "Kecamatan":
            out.append(OPDSpec(f"{1 + i // 10}.{i % 10 + 1:02d}.01", kinds[i], kinds[i]))
        else:
            kec += 1
            out.append(OPDSpec(f"7.01.{kec:02d}", f"Kecamatan Sukamaju {_kec_name(kec)}", "Kecamatan"))
    return out


def _kec_name(n: int) -> str:
    names = ("Utara", "Selatan", "Timur", "Barat", "Tengah", "Baru", "Lama", "Raya", "Indah", "Jaya")
    if n <= len(names):
        return names[n - 1]
    return f"{names[(n - 1) % len(names)]} {(n - 1) // len(names) + 1}"


def _round(x: float, satuan: str, base: float) -> float:
    if satuan in ("orang", "kasus", "kejadian", "inovasi", "medali", "hari", "hari kerja") or base >= 100 and float(base).is_integer() and satuan != "%":
        return float(round(x))
    return round(x, 2)


def _target(iku: _IKU, rng: random.Random) -> tuple[Any, float]:
    """(target for the model, a point value to scale realisations from)."""
    if "-" in iku.target.strip("-"):
        lo, hi = (float(v) for v in iku.target.split("-"))
        return (lo, hi), (lo + hi) / 2
    base = float(iku.target)
    t = _round(base * rng.uniform(0.97, 1.03), iku.satuan, base) if base > 0 else base
    if iku.satuan == "%" and base <= 100:
        t = min(t, 100.0)
    return t, t


def _indikator(iku: _IKU, n: int, perf: float, rng: random.Random) -> Indikator:
    target, point = _target(iku, rng)
    ratio = max(0.3, rng.gauss(perf, 0.08))
    if iku.polaritas == "negatif":
        year = point * max(0.0, 2 - ratio)
    elif iku.polaritas == "stabil":
        year = point * rng.uniform(0.92, 1.08)
    else:
        year = point * ratio
    if iku.satuan == "%" and iku.polaritas == "positif":
        year = min(year, 100.0)
    year = _round(year, iku.satuan, point)
    t_tw: list[float | None]
    r_tw: list[float | None]
    if iku.tipe == "kumulatif":
        t_tw = [_round(point * s, iku.satuan, point) for s in (0.2, 0.25, 0.25)]
        t_tw.append(round(point - sum(v or 0.0 for v in t_tw), 6))
        r_tw = [_round(year * s * rng.uniform(0.9, 1.1), iku.satuan, point) for s in (0.2, 0.25, 0.25, 0.3)]
    else:
        r_tw = [_round(year * rng.uniform(0.97, 1.03), iku.satuan, point) for _ in range(3)]
        r_tw.append(year)
        t_tw = [point] * 4 if not isinstance(target, tuple) else [None] * 4
    return Indikator(
        kode=f"IK-{n:02d}", sasaran=iku.sasaran, nama=iku.nama, satuan=iku.satuan,
        polaritas=iku.polaritas, tipe_agregasi=iku.tipe, target=target,  # type: ignore[arg-type,unused-ignore]
        target_tw=t_tw, realisasi_tw=r_tw,
        faktor_pendukung="Dukungan lintas OPD" if ratio >= 1 else "",
        faktor_penghambat="" if ratio >= 0.95 else rng.choice(
            ("Keterlambatan pengadaan barang/jasa", "Keterbatasan anggaran", "Data belum mutakhir",
             "Koordinasi lintas sektor belum optimal")),
    )


def _anggaran(spec: OPDSpec, serapan: float, rng: random.Random) -> list[AnggaranLine]:
    lines: list[AnggaranLine] = []
    programs = ["Program Penunjang Urusan Pemerintahan Daerah", f"Program Utama {spec.nama}"]
    for p_i, program in enumerate(programs, start=1):
        p_kode = f"{spec.kode}.{p_i:02d}"
        p_lines: list[AnggaranLine] = []
        for k_i in range(1, 3):
            k_kode = f"{p_kode}.{k_i}.{rng.randint(1, 30):02d}"
            subs = []
            for s_i in range(1, 3):
                pagu = float(rng.randrange(80, 2500) * 1_000_000)
                share = [s * rng.uniform(0.85, 1.15) for s in _POLA_TW]
                total = pagu * min(serapan * rng.uniform(0.95, 1.03), 0.995)
                real = [float(round(total * x / sum(share), -3)) for x in share]
                subs.append(AnggaranLine(kode=f"{k_kode}.{s_i:04d}", uraian=f"Sub kegiatan {k_i}.{s_i} {program.split()[1]}",
                                         level="Sub Kegiatan", induk=k_kode, pagu=pagu, realisasi_tw=real))
            keg = AnggaranLine(
                kode=k_kode, uraian=f"Kegiatan {k_i} {program}", level="Kegiatan", induk=p_kode,
                pagu=sum(s.pagu or 0.0 for s in subs),
                realisasi_tw=[sum(s.realisasi_tw[q] or 0.0 for s in subs) for q in range(4)])
            p_lines += [keg, *subs]
        kegs = [ln for ln in p_lines if ln.level == "Kegiatan"]
        prog = AnggaranLine(
            kode=p_kode, uraian=program, level="Program", pagu=sum(k.pagu or 0.0 for k in kegs),
            realisasi_tw=[sum(k.realisasi_tw[q] or 0.0 for k in kegs) for q in range(4)])
        lines += [prog, *p_lines]
    return lines


def _limit(k: Kriteria, values: dict[str, float], ks: list[Kriteria]) -> float:
    limit = 1.0
    for dep in k.tergantung_pada:
        if dep.startswith("avg("):
            sub = dep[4:-1]
            vals = [values[x.kode] for x in ks if x.kode_sub == sub and x.kode in values]
            if vals:
                limit = min(limit, sum(vals) / len(vals))
        elif dep in values:
            limit = min(limit, values[dep])
    return limit


def _answer(k: Kriteria, want: float, limit: float) -> tuple[str, float]:
    want = min(want, limit)
    if k.jenis_jawaban == "Y/T":
        return ("Y", 1.0) if want >= 0.3 and limit >= 1.0 else ("T", 0.0)
    for label in _AE:  # the best grade not above the wish (and the kerangka logis limit)
        if _AE_VAL[label] <= want + 0.125 and _AE_VAL[label] <= limit + 1e-9:
            return label, _AE_VAL[label]
    return "E", 0.0


def _lke(quality: float, with_evaluator: bool, rng: random.Random, ks: list[Kriteria]) -> list[LKEJawaban]:
    own: dict[str, float] = {}
    ev: dict[str, float] = {}
    out = []
    for k in ks:
        a, v = _answer(k, min(1.0, max(0.0, rng.gauss(quality, 0.18))), _limit(k, own, ks))
        own[k.kode] = v
        e: str | None = None
        if with_evaluator:
            lower = v - (0.25 if rng.random() < 0.35 else 0.0)
            e, ev[k.kode] = _answer(k, lower, _limit(k, ev, ks))
        out.append(LKEJawaban(kode=k.kode, jawaban_opd=a, jawaban_evaluator=e,
                              bukti_dukung="Dokumen tersedia di e-SAKIP" if v > 0 else ""))
    return out


def _tindak_lanjut(rng: random.Random, tahun: int) -> list[TindakLanjut]:
    texts = ("Menyelaraskan indikator kinerja sasaran dengan RPJMD", "Menyusun manual IKU yang lengkap",
             "Melakukan pemantauan Rencana Aksi setiap triwulan", "Memanfaatkan hasil evaluasi untuk perbaikan anggaran")
    status: tuple[StatusTL, ...] = ("Belum", "Proses", "Selesai")
    return [
        TindakLanjut(no=i + 1, rekomendasi=texts[(i + rng.randrange(4)) % 4],
                     rencana_tindak_lanjut="Dijadwalkan dalam rapat koordinasi", penanggung_jawab="Sekretaris",
                     batas_waktu=dt.date(tahun + 1, rng.randint(3, 12), 1),
                     status=rng.choices(status, weights=(15, 25, 60))[0])
        for i in range(rng.randint(0, 3))
    ]


def _nama(rng: random.Random) -> str:
    return f"{rng.choice(_DEPAN)} {rng.choice(_BELAKANG)}, {rng.choice(_GELAR)}"


def _opd(spec: OPDSpec, tahun: int, rng: random.Random, ks: list[Kriteria]) -> OPDWorkbook:
    ikus = [i for i in _iku() if i.jenis == spec.jenis]
    perf = rng.gauss(0.95, 0.09)
    ind = [_indikator(iku, n, perf, rng) for n, iku in enumerate(ikus, start=1)]
    return OPDWorkbook(
        profil=Profil(
            opd_kode=spec.kode, opd_nama=spec.nama, tahun=tahun, jenis_pk="Murni",
            kepala_nama=_nama(rng), kepala_nip=f"19{rng.randint(65, 85)}{rng.randint(1, 12):02d}"
            f"{rng.randint(1, 28):02d} 20{rng.randint(0, 15):02d}0{rng.randint(1, 2)} 1 {rng.randint(1, 9):03d}",
            kepala_jabatan=f"Kepala {spec.nama}", atasan_nama=f"Wali {KOTA}", atasan_jabatan="Wali Kota",
        ),
        indikator=ind,
        anggaran=_anggaran(spec, min(1.0, rng.gauss(0.9, 0.05)), rng),
        lke=_lke(rng.uniform(0.62, 0.98), rng.random() < 0.8, rng, ks),
        tindak_lanjut=_tindak_lanjut(rng, tahun),
    )


# ---------------------------------------------------------------------- deliberate mistakes
def _mistake_target_nol(wb: OPDWorkbook) -> str:
    ind = next(i for i in wb.indikator if i.polaritas == "positif")
    ind.target = 0.0
    return f"{wb.profil.opd_nama}: indikator {ind.kode} bertarget 0 dengan polaritas positif"


def _mistake_lebih_pagu(wb: OPDWorkbook) -> str:
    line = next(ln for ln in wb.anggaran if ln.level == "Sub Kegiatan")
    line.realisasi_tw = [(line.pagu or 0) * 0.4] * 4
    return f"{wb.profil.opd_nama}: realisasi sub kegiatan {line.kode} melebihi pagu"


def _mistake_kerangka_logis(wb: OPDWorkbook) -> str:
    by = {j.kode: j for j in wb.lke}
    by["1.a.2"].jawaban_opd = "T"
    by["1.a.3"].jawaban_opd = "Y"
    return f"{wb.profil.opd_nama}: jawaban LKE 1.a.3 melanggar kerangka logis (1.a.2 dijawab T)"


def _mistake_teks(wb: OPDWorkbook) -> str:
    wb.indikator[0].faktor_penghambat = "=pengadaan terlambat (teks, bukan rumus)"
    return f"{wb.profil.opd_nama}: faktor penghambat diawali '=' (harus tetap teks)"


_MISTAKES: tuple[Callable[[OPDWorkbook], str], ...] = (
    _mistake_target_nol, _mistake_lebih_pagu, _mistake_kerangka_logis, _mistake_teks)


@dataclass
class Kota:
    opd: list[OPDWorkbook]
    daftar: list[OPDSpec]
    kesalahan: list[str] = field(default_factory=list)


def generate_city(jumlah_opd: int = 40, seed: int = 2025, tahun: int = TAHUN, *,
                  kesalahan: bool = True, policy: Policy | None = None) -> Kota:
    """The city's OPD years as models (deterministic for a seed)."""
    rng = random.Random(seed)
    ks = load_kriteria(policy or default_policy())
    specs = opd_list(jumlah_opd)
    opds = [_opd(s, tahun, random.Random(rng.getrandbits(64)), ks) for s in specs]
    notes: list[str] = []
    if kesalahan and len(opds) >= 8:
        picks = rng.sample(range(len(opds)), len(_MISTAKES))
        for fn, i in zip(_MISTAKES, picks, strict=True):
            notes.append(fn(opds[i]))
    return Kota(opd=opds, daftar=specs, kesalahan=notes)


def file_name(wb: OPDWorkbook) -> str:
    slug = "".join(ch if ch.isalnum() else "_" for ch in wb.profil.opd_nama.lower()).strip("_")
    while "__" in slug:
        slug = slug.replace("__", "_")
    return f"{wb.profil.opd_kode}_{slug}.xlsx"


def _write_one(path: str, wb: OPDWorkbook) -> str:
    from .excel.template import write_workbook

    write_workbook(path, wb)
    return path


def write_city(kota: Kota, folder: str | Path, *, jobs: int | None = None,
               rusak: bool = True) -> list[Path]:
    """Write one workbook per OPD into ``folder`` (plus the bad files when ``rusak``)."""
    from concurrent.futures import ProcessPoolExecutor

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / file_name(wb) for wb in kota.opd]
    if jobs == 1 or len(paths) < 8:
        for p, wb in zip(paths, kota.opd, strict=True):
            _write_one(str(p), wb)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(_write_one, [str(p) for p in paths], kota.opd, chunksize=8))
    if rusak and len(paths) >= 8:
        paths += _bad_files(paths, out, kota)
    return paths


def _bad_files(paths: list[Path], out: Path, kota: Kota) -> list[Path]:
    import xlsxwriter

    dup = out / paths[1].name.replace(".xlsx", "_revisi.xlsx")
    shutil.copyfile(paths[1], dup)
    kota.kesalahan.append(f"{dup.name}: salinan kedua untuk OPD yang sama (duplikat)")
    broken = out / "kiriman_email_rusak.xlsx"
    data = paths[2].read_bytes()
    broken.write_bytes(data[: len(data) // 3])
    kota.kesalahan.append(f"{broken.name}: berkas terpotong (rusak)")
    foreign = out / "catatan_rapat.xlsx"
    wb = xlsxwriter.Workbook(str(foreign))
    ws = wb.add_worksheet("Catatan")
    ws.write_string(0, 0, "Notulen rapat koordinasi SAKIP")
    wb.set_properties({"created": dt.datetime(2025, 1, 1)})
    wb.close()
    kota.kesalahan.append(f"{foreign.name}: workbook lain, bukan template SAKIP")
    return [dup, broken, foreign]


def write_daftar(kota: Kota, path: str | Path) -> Path:
    """The list of expected OPDs: the city's OPDs plus one that has not sent its workbook."""
    p = Path(path)
    rows = [(s.kode, s.nama) for s in kota.daftar] + [("9.01.01", "Badan Arsip dan Dokumentasi")]
    with open(p, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["kode", "nama"])
        w.writerows(rows)
    kota.kesalahan.append("9.01.01 Badan Arsip dan Dokumentasi: ada di daftar OPD, belum mengirim workbook")
    return p


_PENANDA = ".sakip-xl-demo"


class DemoFolderError(SakipError, ValueError):
    """The demo folder already holds files the demo did not write."""

    code = "DEMO_FOLDER"


def _fresh(opd_dir: Path) -> None:
    """An empty folder for the demo workbooks; only a previous demo's folder is cleared."""
    if opd_dir.exists() and any(opd_dir.iterdir()):
        if not (opd_dir / _PENANDA).exists():
            raise DemoFolderError(
                f"Folder {opd_dir} sudah berisi berkas lain; demo tidak akan menimpanya.",
                hint="Pilih folder lain dengan -o/--folder.")
        shutil.rmtree(opd_dir)
    opd_dir.mkdir(parents=True, exist_ok=True)
    (opd_dir / _PENANDA).write_text("Folder ini dibuat oleh 'sakip-xl demo' dan boleh dihapus.\n", "utf-8")


@dataclass
class DemoResult:
    folder: Path
    rekap_path: Path
    kota: Kota
    rekap: Any  # sakip_xl.consolidate.Rekap


def run_demo(folder: str | Path = "hasil_demo", jumlah_opd: int = 40, seed: int = 2025, *,
             jobs: int | None = None, progress: Any = None) -> DemoResult:
    """Generate the city in ``folder``/opd, consolidate it into ``folder``/rekap_kota.xlsx."""
    from .consolidation import consolidate

    base = Path(folder)
    opd_dir = base / "opd"
    _fresh(opd_dir)
    kota = generate_city(jumlah_opd, seed)
    write_city(kota, opd_dir, jobs=jobs)
    daftar = write_daftar(kota, base / "daftar_opd.csv")
    from .policy import LaporanSettings, Policy

    policy = Policy(laporan=LaporanSettings(nama_pemda=KOTA, tempat=KOTA.removeprefix("Kota "),
                                            penandatangan_nama="Drs. Bambang Sutrisno, M.Si.",
                                            penandatangan_nip="19700101 199503 1 001"))
    rekap = consolidate(opd_dir, policy, daftar_opd=daftar, jobs=jobs, progress=progress)
    rekap.meta["tanggal_data"] = f"{TAHUN + 1}-01-31"
    out = rekap.to_excel(base / "rekap_kota.xlsx")
    return DemoResult(folder=base, rekap_path=out, kota=kota, rekap=rekap)
