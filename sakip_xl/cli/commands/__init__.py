"""Sub-commands of ``sakip-xl``.

Each module in :data:`COMMANDS` provides ``register(subparsers) -> None`` (which adds its parser
and sets ``func`` to a ``run(ns, env) -> ExitStatus``).  Command functions are thin adapters over
library calls: they unpack arguments, call the library and print.

Start-up: building the parser imports **only the command being run** (:func:`register`).  Every
other command gets a placeholder parser with its one-line help from :data:`HELP`, so
``sakip-xl --version`` and ``sakip-xl --help`` import no command module at all, and
``sakip-xl periksa`` never imports pandas (``tests/test_startup.py`` checks both; the text in
:data:`HELP` must equal the command's own ``help=``, a test checks that too).  A command missing
from :data:`HELP` still works: it is imported when the top-level help is shown.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

__all__ = ["COMMANDS", "HELP", "chosen_command", "register"]

COMMANDS: list[str] = [
    "addin",
    "demo",
    "kebijakan",
    "konsolidasi",
    "peluang",
    "periksa",
    "template",
]

#: One-line help of each command, shown by ``sakip-xl --help`` without importing the command.
HELP: dict[str, str] = {
    "addin": "buat, periksa, dan pasang add-in Excel (sakip.xlam)",
    "demo": "buat kota fiktif (Kota Sukamaju) dan rekapnya, untuk mencoba sakip-xl",
    "kebijakan": "tampilkan atau periksa berkas kebijakan (kebijakan.toml)",
    "konsolidasi": "gabungkan semua workbook OPD menjadi rekap kota (rekap.xlsx)",
    "peluang": "rencana peningkatan satu OPD: kriteria LKE yang membawa ke predikat berikutnya",
    "periksa": "periksa workbook OPD yang sudah diisi dan tampilkan masalahnya per sel",
    "template": "buat workbook SAKIP OPD standar (template) untuk diisi OPD",
}

#: Options of the top-level parser that take no value (so the command is the first other word).
_FLAGS = frozenset({"-h", "--help", "--version", "--traceback"})


def chosen_command(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv`` (the first word after the top-level flags), if any."""
    for word in argv:
        if word in _FLAGS:
            continue
        return word if word in COMMANDS else None
    return None


def _load(sub: argparse._SubParsersAction, name: str) -> None:  # type: ignore[type-arg,unused-ignore]
    importlib.import_module(f".{name}", __name__).register(sub)


def register(sub: argparse._SubParsersAction,  # type: ignore[type-arg,unused-ignore]
             argv: Sequence[str] | None = None) -> None:
    """Add every command to ``sub``; with ``argv``, import only the one it runs.

    ``argv=None`` registers every command for real (for tools that inspect the whole parser).
    """
    if argv is None:
        for name in COMMANDS:
            _load(sub, name)
        return
    chosen = chosen_command(argv)
    # The top-level help lists every command: a command without a HELP line must be imported.
    top_help = chosen is None and any(w in ("-h", "--help") for w in argv)
    for name in COMMANDS:
        if name == chosen or (top_help and name not in HELP):
            _load(sub, name)
        else:
            sub.add_parser(name, help=HELP.get(name), add_help=False)
