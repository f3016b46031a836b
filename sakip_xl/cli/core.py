"""CLI layers (after httpie): ``main`` is the error boundary, ``program`` does the work.

* :func:`main` parses, calls :func:`program`, maps exceptions to one Indonesian line on stderr
  and a typed :class:`ExitStatus`; ``--traceback`` re-raises for debugging.
* :func:`program` runs the chosen sub-command without error handling.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import PolicyError, SakipError
from . import commands
from .env import Environment
from .status import ExitStatus

__all__ = ["build_parser", "main", "program"]


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


class _Parser(argparse.ArgumentParser):
    """argparse with Indonesian usage errors that exit with ExitStatus.USAGE."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(ExitStatus.USAGE, f"{self.prog}: galat: {message}\n")


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


def main(args: Sequence[str] | None = None, env: Environment | None = None) -> int:
    env = env or Environment()
    argv = list(sys.argv[1:] if args is None else args)
    parser = build_parser(argv)
    try:
        ns = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version or a usage error
        return int(exc.code or 0)
    if not getattr(ns, "func", None):
        parser.print_help(env.stderr)
        return ExitStatus.USAGE
    try:
        return program(ns, env)
    except KeyboardInterrupt:
        env.err("Dibatalkan.")
        return ExitStatus.ERROR
    except PolicyError as exc:
        if ns.traceback:
            raise
        env.err(f"sakip-xl: galat kebijakan: {exc}")
        return ExitStatus.USAGE
    except SakipError as exc:
        if ns.traceback:
            raise
        env.err(f"sakip-xl: galat: {exc}" + (f" (Saran: {exc.hint})" if exc.hint else ""))
        return ExitStatus.ERROR
    except Exception as exc:  # the error boundary: never a traceback for users
        if ns.traceback:
            raise
        env.err(f"sakip-xl: galat internal ({type(exc).__name__}): {exc}")
        env.err("Jalankan ulang dengan --traceback dan laporkan ke tim sakip-xl.")
        return ExitStatus.ERROR
