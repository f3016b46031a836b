"""The sakip-xl exception tree.

One root, :class:`SakipError`; callers (CLI, ribbon, consolidator) branch on the type, never on
the message text.  Where an error is also a familiar builtin kind it inherits that builtin too
(``WorkbookReadError`` is an ``OSError``), so generic ``except OSError`` code keeps working.

Scoring errors carry ``cell_text``: the short text a worksheet cell shows for them (the UDFs return
it, and the native Excel formulas of the rule registry return the very same text), so both formula
variants of a workbook agree even on failures.
"""

from __future__ import annotations

__all__ = [
    "SakipError",
    "PolicyError",
    "ModelError",
    "ScoringError",
    "InvalidInput",
    "UnknownPolaritas",
    "UnknownTipeAgregasi",
    "TargetNol",
    "TargetNegatif",
    "InvalidRange",
    "NoData",
    "PaguNol",
    "SerapanNol",
    "InvalidAnswer",
    "TemplateError",
    "ExcelLimitError",
    "WorkbookReadError",
    "UnsafeWorkbook",
    "NotSakipWorkbook",
    "UnsupportedTemplateVersion",
    "SchemaMismatch",
    "SumberError",
]


class SakipError(Exception):
    """Root of every error raised on purpose by sakip-xl."""

    #: Stable machine code (used in Issue records and JSON output).
    code: str = "SAKIP"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class PolicyError(SakipError, ValueError):
    """A policy (kebijakan) file or object is invalid; the message names the key."""

    code = "KEBIJAKAN"

    def __init__(self, message: str, *, key: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.key = key


class ModelError(SakipError, ValueError):
    """Data does not fit a model; ``field`` names the offending field."""

    code = "MODEL"

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


# --------------------------------------------------------------------------- scoring
class ScoringError(SakipError, ValueError):
    """A scoring rule cannot give a number for these inputs."""

    code = "SKOR"
    cell_text = "#GALAT"


class InvalidInput(ScoringError):
    """An input is not a finite number (None, NaN, text, bool ...)."""

    code = "SKOR_INPUT"
    cell_text = "#INPUT?"


class UnknownPolaritas(ScoringError):
    code = "SKOR_POLARITAS"
    cell_text = "#POLARITAS?"


class UnknownTipeAgregasi(ScoringError):
    code = "SKOR_TIPE"
    cell_text = "#TIPE?"


class TargetNol(ScoringError):
    """Target 0 where the rule divides by it (positif, stabil below 0 ...)."""

    code = "SKOR_TARGET_NOL"
    cell_text = "#TARGET0"


class TargetNegatif(ScoringError):
    code = "SKOR_TARGET_NEGATIF"
    cell_text = "#TARGET<0"


class InvalidRange(ScoringError):
    """A range target whose low bound is not below its high bound."""

    code = "SKOR_RENTANG"
    cell_text = "#RENTANG?"


class NoData(ScoringError):
    """Nothing to compute from (every quarter empty, no indicators ...). Cells show blank."""

    code = "SKOR_KOSONG"
    cell_text = ""


class PaguNol(ScoringError):
    code = "SKOR_PAGU_NOL"
    cell_text = "#PAGU0"


class SerapanNol(ScoringError):
    code = "SKOR_SERAPAN_NOL"
    cell_text = "#SERAPAN0"


class InvalidAnswer(ScoringError):
    """An LKE answer outside its Jenis Jawaban."""

    code = "SKOR_JAWABAN"
    cell_text = "#JAWABAN?"


# --------------------------------------------------------------------------- files
class TemplateError(SakipError):
    code = "TEMPLATE"


class ExcelLimitError(TemplateError, ValueError):
    """A generated workbook would break one of Excel's hard limits."""

    code = "BATAS_EXCEL"


class WorkbookReadError(SakipError, OSError):
    """A workbook cannot be opened or read (not a zip, truncated, encrypted ...)."""

    code = "BACA"


class UnsafeWorkbook(WorkbookReadError):
    """A workbook looks hostile (zip bomb, XML entities, absurd sizes)."""

    code = "BERBAHAYA"


class NotSakipWorkbook(WorkbookReadError):
    """A readable workbook that is not a SAKIP template."""

    code = "BUKAN_SAKIP"


class UnsupportedTemplateVersion(WorkbookReadError):
    code = "VERSI_TIDAK_DIDUKUNG"


class SchemaMismatch(SakipError, ValueError):
    """A table or defined name of the template contract is missing or malformed."""

    code = "SKEMA"


class SumberError(SakipError, ValueError):
    """A source path that does not exist, or a folder without any workbook (a usage mistake, exit
    status 2 in every command)."""

    code = "SUMBER"
