"""Injectable environment (stdio, terminal detection) so tests run the CLI in-process."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

__all__ = ["Environment"]


@dataclass
class Environment:
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)

    @property
    def is_terminal(self) -> bool:
        return bool(getattr(self.stdout, "isatty", lambda: False)())

    def out(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def err(self, text: str = "") -> None:
        print(text, file=self.stderr)
