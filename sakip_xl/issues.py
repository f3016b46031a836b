"""Issue records: problems found in user input, as data with a location.

Validators return ``list[Issue]`` and keep going after the first problem; exceptions are for bugs
and for files that cannot be read at all.  Messages are Bahasa Indonesia; codes are stable.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

__all__ = ["Severity", "Issue", "has_errors", "count_by_severity", "sort_issues"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "Galat", "warning": "Peringatan", "info": "Info"}[self.value]


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class Issue(BaseModel):
    """One problem found in one place of one workbook."""

    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    hint: str | None = None

    @property
    def location(self) -> str:
        """``[file]Sheet!A1`` style location (parts that are unknown are left out)."""
        out = ""
        if self.file:
            out += f"[{self.file}]"
        if self.sheet:
            out += f"{self.sheet}"
            if self.cell:
                out += f"!{self.cell}"
        elif self.cell:
            out += self.cell
        return out

    def with_file(self, file: str) -> Issue:
        return self.model_copy(update={"file": file})

    def __str__(self) -> str:
        loc = self.location
        text = f"{self.severity.label} {self.code}"
        if loc:
            text += f" {loc}"
        text += f": {self.message}"
        if self.hint:
            text += f" (Saran: {self.hint})"
        return text


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(i.severity is Severity.ERROR for i in issues)


def count_by_severity(issues: Iterable[Issue]) -> dict[Severity, int]:
    out = {s: 0 for s in Severity}
    for i in issues:
        out[i.severity] += 1
    return out


def sort_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Stable, meaningful order: file, severity, sheet, cell, code."""
    return sorted(
        issues,
        key=lambda i: (i.file or "", _ORDER[i.severity], i.sheet or "", _cell_key(i.cell), i.code),
    )


def _cell_key(cell: str | None) -> tuple[int, str]:
    if not cell:
        return (0, "")
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits) if digits else 0, letters)
