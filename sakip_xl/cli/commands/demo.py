"""``sakip-xl demo``: generate a fictional city and consolidate it (the README's first command)."""

from __future__ import annotations

import argparse
import time

from ...consolidation.progress import make_progress
from ...demo import KOTA, run_demo
from ...fmt import detik
from ..env import Environment
from ..status import ExitStatus
from .konsolidasi import add_common, report


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"harus bilangan bulat, bukan {text!r}") from None
    if not 8 <= n <= 5000:
        raise argparse.ArgumentTypeError(f"harus di antara 8 dan 5000, bukan {n}")
    return n


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser(
        "demo",
        help=f"buat kota fiktif ({KOTA}) dan rekapnya, untuk mencoba sakip-xl",
        description=(
            f"Membuat workbook OPD {KOTA} (fiktif) dari template standar, lengkap dengan "
            "beberapa kesalahan yang disengaja, lalu merekapnya menjadi rekap_kota.xlsx."
        ),
    )
    p.add_argument("-o", "--folder", default="hasil_demo", metavar="FOLDER",
                   help="folder hasil (bawaan: ./hasil_demo; workbook OPD di FOLDER/opd)")
    p.add_argument("--jumlah-opd", type=_count, default=40, metavar="N",
                   help="jumlah OPD kota fiktif (8-5000, bawaan 40)")
    p.add_argument("--seed", type=int, default=2025, help="benih acak (hasil sama untuk benih sama)")
    add_common(p)
    p.set_defaults(func=run)


def run(ns: argparse.Namespace, env: Environment) -> ExitStatus:
    start = time.perf_counter()
    if not ns.json:
        env.err(f"Membuat {ns.jumlah_opd} workbook OPD {KOTA} di {ns.folder}/opd ...")
    progress = make_progress(env.stderr, env.is_terminal and not ns.json)
    result = run_demo(ns.folder, ns.jumlah_opd, ns.seed, jobs=ns.jobs, progress=progress)
    status = report(result.rekap, result.rekap_path, env, ns.json)
    if not ns.json:
        env.out("")
        env.out("Kesalahan yang sengaja dimasukkan (cari di lembar Masalah dan Sumber):")
        for note in result.kota.kesalahan:
            env.out(f"  - {note}")
        env.out(f"Selesai dalam {detik(time.perf_counter() - start)}. Buka {result.rekap_path} "
                "untuk melihat rekap kota.")
    # The demo's mistakes are deliberate: the demo itself succeeded.
    return ExitStatus.OK if status in (ExitStatus.OK, ExitStatus.INVALID_INPUT) else status
