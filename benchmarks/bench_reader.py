"""Benchmark: ``sakip_xl.read_workbook`` against python-calamine reading the same files.

A large OPD workbook (80 indicators with four quarters, 40 budget lines, the full LKE answered,
a few follow-ups: a stress case, the sample indicator catalogue has 3-6 indicators per OPD) is
written by the template, in both formula variants.  For each file the script
prints the median time of

* python-calamine reading every sheet to Python lists (the reference: a value reader, no checks),
* ``read_workbook`` (safety checks, contract locator, values, formula scan, conversion, models,
  every rule, recomputation of the computed cells),
* openpyxl ``read_only=True`` (for scale),

and the ratio reader / calamine (target: at most 2x).  Run::

    python benchmarks/bench_reader.py [--runs N] [--libreoffice]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import python_calamine as pc

from sakip_xl import read_workbook
from sakip_xl.excel.template import write_workbook
from sakip_xl.models import AnggaranLine, Indikator, LKEJawaban, OPDWorkbook, Profil, TindakLanjut
from sakip_xl.scoring.lke import load_kriteria


def typical_workbook(seed: int = 1) -> OPDWorkbook:
    rnd = random.Random(seed)
    inds = []
    for i in range(80):
        tipe = rnd.choice(["kumulatif", "akhir", "rata-rata"])
        t = float(rnd.randint(50, 100))
        tw = [t / 4] * 4 if tipe == "kumulatif" else [t] * 4
        inds.append(Indikator(
            kode=f"IK{i + 1:02d}", sasaran=f"Sasaran {i // 10 + 1}", nama=f"Indikator kinerja nomor {i + 1}",
            satuan="%", polaritas=rnd.choice(["positif", "negatif"]), tipe_agregasi=tipe, target=t, target_tw=tw,
            realisasi_tw=[round(x * rnd.uniform(0.7, 1.2), 2) for x in tw],
            faktor_pendukung="Dukungan anggaran memadai", faktor_penghambat="-"))
    anggaran = []
    for p in range(4):
        pk = f"1.0{p}"
        anggaran.append(AnggaranLine(kode=pk, uraian=f"Program {p}", level="Program", pagu=1e9,
                                     realisasi_tw=[2e8, 2e8, 2e8, 2e8]))
        for k in range(3):
            kk = f"{pk}.{k}"
            pagu = 1e9 / 3
            anggaran.append(AnggaranLine(kode=kk, uraian=f"Kegiatan {k}", level="Kegiatan", induk=pk, pagu=pagu,
                                         realisasi_tw=[pagu * 0.2] * 4))
            for s in range(2):
                anggaran.append(AnggaranLine(kode=f"{kk}.{s}", uraian=f"Sub kegiatan {s}", level="Sub Kegiatan",
                                             induk=kk, pagu=pagu / 2, realisasi_tw=[pagu * 0.1] * 4))
    lke = [LKEJawaban(kode=k.kode, jawaban_opd="Y" if k.jenis_jawaban == "Y/T" else "B",
                      jawaban_evaluator="Y" if k.jenis_jawaban == "Y/T" else "B", bukti_dukung="ada")
           for k in load_kriteria()]
    tl = [TindakLanjut(no=i + 1, rekomendasi="Rekomendasi", batas_waktu=dt.date(2025, 12, 31), status="Proses")
          for i in range(5)]
    return OPDWorkbook(profil=Profil(opd_kode="1.02", opd_nama="Dinas Contoh", tahun=2025, kepala_nama="Kepala"),
                       indikator=inds, anggaran=anggaran, lke=lke, tindak_lanjut=tl)


def calamine_all(path: Path) -> None:
    wb = pc.CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()


def openpyxl_ro(path: Path) -> None:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    wb.close()


def ours(path: Path) -> None:
    read_workbook(path, today=dt.date(2025, 7, 1))


def interleaved_ms(fns: list[Callable[[Path], None]], path: Path, runs: int) -> list[tuple[float, float]]:
    """(median, min) milliseconds of each function, the calls interleaved so that the load of a
    shared machine hits all of them alike."""
    for fn in fns:
        fn(path)  # warm up (imports, caches)
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn(path)
            times[i].append(time.perf_counter() - t)
    return [(statistics.median(ts) * 1000, min(ts) * 1000) for ts in times]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--libreoffice", action="store_true", help="also a copy saved by LibreOffice")
    ns = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        data = typical_workbook()
        files = {
            "template rumus=udf": write_workbook(d / "udf.xlsx", data, rumus="udf"),
            "template rumus=native": write_workbook(d / "native.xlsx", data, rumus="native"),
        }
        if ns.libreoffice:
            with tempfile.TemporaryDirectory() as prof:
                subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{prof}",
                                "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                                str(d / "lo"), str(files["template rumus=native"])],
                               check=True, capture_output=True, timeout=180)
            files["disimpan LibreOffice"] = d / "lo" / "native.xlsx"
        print("median (min) per workbook; rasio = sakip-xl / calamine")
        print(f"{'berkas':24s} {'calamine':>16s} {'sakip-xl':>16s} {'rasio':>12s} {'openpyxl ro':>12s}")
        for label, path in files.items():
            (c, cmin), (o, omin) = interleaved_ms([calamine_all, ours], path, ns.runs)
            ((x, _),) = interleaved_ms([openpyxl_ro], path, max(3, ns.runs // 5))
            print(f"{label:24s} {c:7.1f} ({cmin:5.1f})ms {o:7.1f} ({omin:5.1f})ms "
                  f"{o / c:5.2f}x ({omin / cmin:4.2f}x) {x:10.1f}ms")


if __name__ == "__main__":
    main()
