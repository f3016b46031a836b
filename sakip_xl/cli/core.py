"""CLI layers (after httpie): ``main`` is the error boundary, ``program`` does the work.

* :func:`main` parses, calls :func:`program`, maps exceptions to one Indonesian line on stderr
  and a typed :class:`ExitStatus`; ``--traceback`` re-raises for debugging.
* :func:`program` runs the chosen sub-command without error handling.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import PolicyError, SakipError
from .commands import COMMANDS
from .env import Environment
from .status import ExitStatus

__all__ = ["build_parser", "main", "program"]


class _Parser(argparse.ArgumentParser):
    """argparse with Indonesian usage errors that exit with ExitStatus.USAGE."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(ExitStatus.USAGE, f"{self.prog}: galat: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sakip-xl",
        description="sakip-xl: SAKIP untuk Excel (template OPD, pemeriksaan, konsolidasi kota).",
        epilog="Jalankan 'sakip-xl PERINTAH --help' untuk bantuan tiap perintah.",
    )
    parser.add_argument("--version", action="version", version=f"sakip-xl {__version__}")
    parser.add_argument("--traceback", action="store_true", help="tampilkan traceback bila galat (untuk pengembang)")
    sub = parser.add_subparsers(title="perintah", dest="perintah", metavar="PERINTAH", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f".commands.{name}", __package__).register(sub)
    return parser


def program(ns: argparse.Namespace, env: Environment) -> ExitStatus:
    return ExitStatus(ns.func(ns, env))


def main(args: Sequence[str] | None = None, env: Environment | None = None) -> int:
    env = env or Environment()
    parser = build_parser()
    try:
        ns = parser.parse_args(list(sys.argv[1:] if args is None else args))
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
