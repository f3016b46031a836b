"""Sub-commands of ``sakip-xl``.

Each module in :data:`COMMANDS` provides ``register(subparsers) -> None`` (which adds its parser
and sets ``func`` to a ``run(ns, env) -> ExitStatus``).  Command functions are thin adapters over
library calls: they unpack arguments, call the library and print.
"""

from __future__ import annotations

COMMANDS: list[str] = [
    "addin",
    "demo",
    "kebijakan",
    "konsolidasi",
    "periksa",
    "template",
]
