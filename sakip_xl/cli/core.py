"""CLI layers (after httpie): ``main`` is the error boundary, ``program`` does the work.

* :func:`main` parses, calls :func:`program`, maps exceptions to one Indonesian line on stderr
  and a typed :class:`ExitStatus`; ``--traceback`` re-raises for debugging.
* :func:`program` runs the chosen sub-command without error handling.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import PolicyError, SakipError
from . import commands
from .env import Environment
from .errors import default_hint, is_usage_error, translate_error
from .status import ExitStatus

__all__ = ["build_parser", "main", "program", "UsageError"]


#: argparse's own user-facing strings in Bahasa Indonesia (argparse looks its ``_`` up at call time).
_ID: dict[str, str] = {
    "usage: ": "penggunaan: ",
    "options": "opsi",
    "positional arguments": "argumen posisi",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "show program's version number and exit": "tampilkan versi program lalu keluar",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak sah: %(value)r (pilih dari %(choices)s)",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "expected one argument": "membutuhkan satu nilai",
    "expected at least one argument": "membutuhkan paling sedikit satu nilai",
    "expected at most one argument": "membutuhkan paling banyak satu nilai",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "opsi ambigu: %(option)s cocok dengan %(matches)s",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
    "one of the arguments %s is required": "salah satu argumen %s wajib diisi",
    "%(prog)s: error: %(message)s\n": "%(prog)s: galat: %(message)s\n",
}


def _translate(message: str) -> str:
    return _ID.get(message, message)


setattr(argparse, "_", _translate)  # noqa: B010  (argparse reads its module-level ``_``)


_TYPE_NAMES = {"nilai int tidak sah": "bukan bilangan bulat", "nilai float tidak sah": "bukan angka"}


class UsageError(Exception):
    """A command-line mistake found by argparse (exit status USAGE)."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.usage = usage


class _Parser(argparse.ArgumentParser):
    """argparse with Indonesian usage errors that the boundary reports (ExitStatus.USAGE)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, indonesian in _TYPE_NAMES.items():  # argparse names the type function
            message = message.replace(english, indonesian)
        raise UsageError(message, self.format_usage())


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``sakip-xl`` parser; with ``argv``, only the command it names is imported (start-up)."""
    parser = _Parser(
        prog="sakip-xl",
        description="sakip-xl: SAKIP untuk Excel (template OPD, pemeriksaan, konsolidasi kota).",
        epilog="Jalankan 'sakip-xl PERINTAH --help' untuk bantuan tiap perintah.",
    )
    parser.add_argument("--version", action="version", version=f"sakip-xl {__version__}",
                        help="tampilkan versi sakip-xl lalu keluar")
    parser.add_argument("--traceback", action="store_true", help="tampilkan traceback bila galat (untuk pengembang)")
    sub = parser.add_subparsers(title="perintah", dest="perintah", metavar="PERINTAH", parser_class=_Parser)
    commands.register(sub, argv)
    return parser


def program(ns: argparse.Namespace, env: Environment) -> ExitStatus:
    return ExitStatus(ns.func(ns, env))


def _wants_json(args: Sequence[str]) -> bool:
    return "--json" in args


def _report(env: Environment, as_json: bool, status: ExitStatus, code: str, message: str,
            hint: str | None, *, prefix: str = "sakip-xl: galat: ", usage: str = "") -> ExitStatus:
    """The one place a failure is told to the user: one Indonesian line with its Saran on stderr,
    or (under ``--json``) one JSON object on stdout."""
    if as_json:
        env.out(json.dumps({"galat": {"kode": code, "pesan": message, "saran": hint},
                            "kode_keluar": int(status)}, ensure_ascii=False, indent=2))
        return status
    if usage:
        env.stderr.write(usage)
    env.err(f"{prefix}{message}" + (f" (Saran: {hint})" if hint else ""))
    return status


def main(args: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Parse, run, and translate every failure into one Indonesian sentence with a Saran and a
    typed exit status: USAGE (2) for a mistake in what was asked (option, path, policy, output),
    ERROR (1) for what the machine refused (disk full, file locked) or a bug."""
    env = env or Environment()
    argv = list(sys.argv[1:] if args is None else args)
    as_json = _wants_json(argv)
    parser = build_parser(argv)
    try:
        ns = parser.parse_args(argv)
    except UsageError as exc:
        return _report(env, as_json, ExitStatus.USAGE, "PEMAKAIAN", str(exc),
                       "Jalankan 'sakip-xl PERINTAH --help' untuk melihat cara pemakaian.",
                       usage="" if as_json else exc.usage)
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)
    if not getattr(ns, "func", None):
        parser.print_help(env.stderr)
        return ExitStatus.USAGE
    as_json = bool(getattr(ns, "json", False))
    try:
        return program(ns, env)
    except KeyboardInterrupt:
        return _report(env, as_json, ExitStatus.ERROR, "DIBATALKAN", "dibatalkan oleh pengguna", None,
                       prefix="sakip-xl: ")
    except PolicyError as exc:
        if ns.traceback:
            raise
        return _report(env, as_json, ExitStatus.USAGE, exc.code, exc.message, exc.hint,
                       prefix="sakip-xl: galat kebijakan: ")
    except SakipError as exc:
        if ns.traceback:
            raise
        status = ExitStatus.USAGE if is_usage_error(exc) else ExitStatus.ERROR
        return _report(env, as_json, status, exc.code, exc.message, exc.hint or default_hint(exc))
    except Exception as exc:  # the error boundary: never a traceback, never English
        if ns.traceback:
            raise
        known = translate_error(exc)
        if known is not None:
            return _report(env, as_json, known.status, known.code, known.message, known.hint)
        return _report(env, as_json, ExitStatus.ERROR, "INTERNAL",
                       f"galat internal sakip-xl ({type(exc).__name__})",
                       "Jalankan ulang dengan --traceback dan laporkan keluarannya ke tim sakip-xl.")
