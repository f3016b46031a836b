"""``sakip-xl periksa``: check filled OPD workbooks and list every problem with its cell.

Exit status: 0 when no workbook has an error (warnings and info allowed), 3 when any has one (a
file that cannot be read counts as a workbook with an error), 2 on usage errors (unknown option, a
path that does not exist or a folder without workbooks, unreadable ``--kebijakan`` file), as in
``konsolidasi``.  Files are read in guarded worker processes (:mod:`sakip_xl.guard`): a file that
makes the native reader abort, or runs over its time or memory budget, is one error for that file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from ...errors import SumberError
from ...excel.codes import make_issue
from ...excel.reader import check_workbook
from ...guard import Crash, cpu_budget, cpu_count, map_isolated
from ...issues import Issue, Severity, count_by_severity, has_errors
from ...policy import Policy, load_policy
from ..env import Environment
from ..status import ExitStatus

__all__ = ["register", "run", "expand_paths"]

_SUFFIXES = (".xlsx", ".xlsm")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal harus TTTT-BB-HH, bukan {text!r}") from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser(
        "periksa",
        help="periksa workbook OPD yang sudah diisi dan tampilkan masalahnya per sel",
        description=(
            "Baca setiap workbook OPD, hitung ulang semua angka, dan tampilkan setiap masalah "
            "beserta lembar dan selnya. Kode keluar: 0 tidak ada galat, 3 ada workbook bergalat "
            "(termasuk berkas yang tidak dapat dibaca), 2 salah pemakaian (opsi, path yang tidak ada)."
        ),
    )
    p.add_argument("berkas", nargs="+", metavar="BERKAS",
                   help="workbook OPD (.xlsx/.xlsm), atau folder berisi workbook")
    p.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON (untuk mesin)")
    p.add_argument("--kebijakan", metavar="FILE", help="berkas kebijakan kota (kebijakan.toml)")
    p.add_argument("--tanpa-info", action="store_true",
                   help="jangan tampilkan masalah tingkat info (isian yang dirapikan)")
    p.add_argument("--tanggal", type=_date, metavar="TTTT-BB-HH",
                   help="tanggal acuan untuk batas waktu tindak lanjut (bawaan: hari ini)")
    p.set_defaults(func=run)


def expand_paths(items: list[str]) -> list[Path]:
    """Files as given; a folder becomes its .xlsx/.xlsm files (sorted, Excel lock files skipped).
    A path that does not exist is a usage error (as in ``konsolidasi``)."""
    out: list[Path] = []
    missing = [item for item in items if not Path(item).exists()]
    if missing:
        raise SumberError(f"{'berkas/folder' if len(missing) == 1 else 'berkas/folder berikut'} tidak ditemukan: "
                          + ", ".join(missing), hint="Periksa nama folder atau berkas workbook OPD.")
    for item in items:
        p = Path(item)
        if p.is_dir():
            out.extend(sorted(x for x in p.iterdir()
                              if x.suffix.lower() in _SUFFIXES and not x.name.startswith("~$")))
        else:
            out.append(p)
    return out


def _counts_text(issues: list[Issue]) -> str:
    c = count_by_severity(issues)
    return (f"{c[Severity.ERROR]} galat, {c[Severity.WARNING]} peringatan, {c[Severity.INFO]} info")


def _report_text(env: Environment, path: Path, wb_ok: bool, issues: list[Issue], opd: str) -> None:
    head = f"{path}"
    if opd:
        head += f" ({opd})"
    if not issues:
        env.out(f"{head}: bersih, tidak ada masalah.")
        return
    status = "TIDAK DAPAT DIBACA" if not wb_ok else ("ada galat" if has_errors(issues) else "tanpa galat")
    env.out(f"{head}: {status}; {_counts_text(issues)}")
    for i in issues:
        loc = f"{i.sheet}!{i.cell}" if i.sheet and i.cell else (i.sheet or i.cell or "-")
        env.out(f"  {i.severity.label:<10} {loc:<18} {i.code}: {i.message}")
        if i.hint:
            env.out(f"  {'':<10} {'':<18} Saran: {i.hint}")


def _check(path: str, policy: Policy, today: dt.date | None) -> tuple[Any, list[Issue]]:
    """One file, in a guarded worker (its CPU budget follows its size)."""
    try:
        size: int | None = Path(path).stat().st_size
    except OSError:
        size = None
    with cpu_budget(size):
        return check_workbook(path, policy, today=today)


def run(ns: argparse.Namespace, env: Environment) -> ExitStatus:
    policy = load_policy(ns.kebijakan) if ns.kebijakan else Policy()
    paths = expand_paths(ns.berkas)
    results: list[dict[str, Any]] = []
    n_bad = 0
    if not paths:
        raise SumberError("tidak ada workbook .xlsx/.xlsm di folder yang disebut",
                          hint="Arahkan ke folder berisi workbook OPD yang sudah diisi.")
    answers = map_isolated(_check, [(str(p), policy, ns.tanggal) for p in paths], cpu_count())
    for path, answer in zip(paths, answers, strict=True):
        if isinstance(answer, Crash):
            wb, issues = None, [make_issue("BERBAHAYA", f"berkas tidak dapat dibaca: {answer.reason}",
                                           file=str(path))]
        else:
            wb, issues = answer
        error = wb is None or has_errors(issues)
        n_bad += error
        shown = [i for i in issues if not (ns.tanpa_info and i.severity is Severity.INFO)]
        opd = ""
        if wb is not None:
            opd = " ".join(x for x in (wb.profil.opd_nama, str(wb.profil.tahun or "")) if x)
        if ns.json:
            results.append({
                "berkas": str(path),
                "dapat_dibaca": wb is not None,
                "opd_kode": wb.profil.opd_kode if wb else None,
                "opd_nama": wb.profil.opd_nama if wb else None,
                "tahun": wb.profil.tahun if wb else None,
                "ada_galat": error,
                "jumlah": {s.value: n for s, n in count_by_severity(issues).items()},
                "masalah": [i.model_dump(mode="json") for i in shown],
            })
        else:
            _report_text(env, path, wb is not None, shown, opd)
    if ns.json:
        env.out(json.dumps({"ada_galat": n_bad > 0, "berkas": results}, ensure_ascii=False, indent=2))
    elif len(paths) > 1:
        env.out(f"\n{len(paths)} workbook diperiksa: {n_bad} bergalat, {len(paths) - n_bad} tanpa galat.")
    return ExitStatus.INVALID_INPUT if n_bad else ExitStatus.OK
