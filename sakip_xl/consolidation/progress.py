"""Progress reporting: a bar on a terminal, plain lines otherwise (logs, CI, the add-in)."""

from __future__ import annotations

import time
from typing import Protocol, TextIO

from ..fmt import detik

__all__ = ["Progress", "ProgressBar", "ProgressLines", "make_progress"]


class Progress(Protocol):
    """Called after each finished batch with the files done so far."""

    def __call__(self, done: int, total: int, label: str) -> None: ...


class ProgressBar:
    """``Membaca [#######.........]  35/40  opd/dinas_x.xlsx`` redrawn in place."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.start = time.perf_counter()

    def __call__(self, done: int, total: int, label: str) -> None:
        frac = done / total if total else 1.0
        filled = int(round(frac * self.width))
        bar = "#" * filled + "." * (self.width - filled)
        tail = label if len(label) <= 40 else "…" + label[-39:]
        self.stream.write(f"\rMembaca [{bar}] {done:>5}/{total:<5} {tail:<40}")
        if done >= total:
            elapsed = time.perf_counter() - self.start
            self.stream.write(f"\rMembaca [{'#' * self.width}] {done}/{total} selesai dalam "
                              f"{detik(elapsed)}{' ' * 30}\n")
        self.stream.flush()


class ProgressLines:
    """One line per step of about 10 % (and the last file), for output that is not a terminal."""

    def __init__(self, stream: TextIO, steps: int = 10) -> None:
        self.stream = stream
        self.steps = steps
        self.last = -1

    def __call__(self, done: int, total: int, label: str) -> None:
        step = (done * self.steps) // total if total else self.steps
        if step != self.last or done >= total:
            self.last = step
            self.stream.write(f"Membaca workbook: {done}/{total}\n")
            self.stream.flush()


def make_progress(stream: TextIO, is_terminal: bool) -> Progress:
    return ProgressBar(stream) if is_terminal else ProgressLines(stream)
