"""``sakip-xl addin``: build, check and install the Excel add-in (``sakip.xlam``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..env import Environment
from ..status import ExitStatus

_DEFAULT_OUT = Path("dist") / "sakip.xlam"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    p = sub.add_parser(
        "addin",
        help="buat, periksa, dan pasang add-in Excel (sakip.xlam)",
        description="Add-in Excel SAKIP: fungsi =SAKIP_* dan tab pita SAKIP.",
    )
    asub = p.add_subparsers(title="perintah add-in", dest="perintah_addin", metavar="PERINTAH")
    asub.required = True

    b = asub.add_parser("build", help="buat sakip.xlam dari template add-in xlwings",
                        description="Membuat add-in dari template pita xlwings (versi terpatok), "
                                    "mengganti customUI dan modul VBA, lalu memeriksanya.")
    b.add_argument("-o", "--output", type=Path, default=_DEFAULT_OUT,
                   help=f"berkas add-in yang dibuat (bawaan: {_DEFAULT_OUT})")
    b.add_argument("--macros", type=Path, default=None,
                   help="folder macros/ (customUI.xml, RibbonSakip.bas, ThisWorkbook.cls)")
    b.set_defaults(func=run_build)

    c = asub.add_parser("periksa", help="periksa berkas add-in yang sudah jadi",
                        description="Menjalankan semua pemeriksaan add-in (zip, content type, "
                                    "customUI, callback, VBA, versi xlwings) tanpa Excel.")
    c.add_argument("berkas", type=Path, help="berkas .xlam")
    c.set_defaults(func=run_periksa)

    i = asub.add_parser("install", help="pasang add-in untuk pengguna Windows ini",
                        description="Menyalin add-in ke folder XLSTART (atau AddIns) pengguna dan "
                                    "menulis konfigurasinya (%%USERPROFILE%%\\.sakip\\sakip.conf). "
                                    "Hanya untuk Windows.")
    i.add_argument("berkas", nargs="?", type=Path, default=None,
                   help=f"berkas add-in (bawaan: {_DEFAULT_OUT} atau sakip.xlam di folder ini)")
    i.add_argument("--lokasi", choices=["xlstart", "addins"], default="xlstart",
                   help="xlstart: dimuat otomatis (bawaan); addins: diaktifkan lewat Opsi > Add-in")
    i.add_argument("--kebijakan", type=Path, default=None,
                   help="kebijakan.toml kota yang dipakai fungsi =SAKIP_*")
    i.set_defaults(func=run_install)


def _tools_missing(env: Environment, exc: ImportError) -> ExitStatus:
    env.err(f"sakip-xl: perintah ini membutuhkan pyopenvba dan oletools ({exc.name} tidak ada).")
    env.err("Saran: python -m pip install \"sakip-xl[addin]\"")
    return ExitStatus.USAGE


def run_build(ns: argparse.Namespace, env: Environment) -> ExitStatus:
    try:
        import oletools  # noqa: F401
        import pyopenvba  # noqa: F401
    except ImportError as exc:
        return _tools_missing(env, exc)
    from ...addin.build import build_addin

    res = build_addin(ns.output, macros_dir=ns.macros)
    for check in res.report.checks:
        env.err(str(check))
    env.err(f"Add-in xlwings {res.xlwings_version}, modul VBA: {', '.join(res.modules)}")
    env.out(f"{res.path}  {res.size} bita  sha256 {res.sha256}")
    return ExitStatus.OK


def run_periksa(ns: argparse.Namespace, env: Environment) -> ExitStatus:
    try:
        import oletools  # noqa: F401
        import pyopenvba  # noqa: F401
    except ImportError as exc:
        return _tools_missing(env, exc)
    from ...addin.checks import check_addin

    if not ns.berkas.is_file():
        env.err(f"sakip-xl: berkas tidak ditemukan: {ns.berkas}")
        return ExitStatus.USAGE
    report = check_addin(ns.berkas)
    env.out(report.text())
    if not report.ok:
        env.err(f"{len(report.failed())} pemeriksaan gagal.")
        return ExitStatus.INVALID_INPUT
    return ExitStatus.OK


def _source(berkas: Path | None) -> Path:
    if berkas is not None:
        return berkas
    for candidate in (_DEFAULT_OUT, Path("sakip.xlam")):
        if candidate.is_file():
            return candidate
    return _DEFAULT_OUT


def run_install(ns: argparse.Namespace, env: Environment) -> ExitStatus:
    from ...addin.install import NotWindows, install

    try:
        plan, written = install(_source(ns.berkas), lokasi=ns.lokasi, kebijakan=ns.kebijakan)
    except NotWindows as exc:
        env.err(f"sakip-xl: {exc}")
        if exc.hint:
            env.err(f"Saran: {exc.hint}")
        return ExitStatus.USAGE
    for path in written:
        env.out(f"ditulis: {path}")
    env.out(f"Python untuk Excel: {plan.interpreter}")
    if not plan.dll_found:
        env.err("Peringatan: DLL xlwings versi terpatok tidak ditemukan di instalasi Python ini; "
                "pasang ulang dengan 'pip install sakip-xl' (xlwings versi terpatok).")
    if ns.lokasi == "addins":
        env.out("Aktifkan di Excel: File > Opsi > Add-in > Kelola: Add-in Excel > Buka... > centang 'Sakip'.")
    env.out("Tutup semua jendela Excel lalu buka kembali: tab SAKIP muncul di pita.")
    return ExitStatus.OK
