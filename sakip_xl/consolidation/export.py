"""Text in CSV and Parquet exports, escaped against formula injection.

A spreadsheet opening a CSV runs a field that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or a carriage return) as a formula: ``=cmd|' /C calc'!A0`` typed by an OPD into an
indicator name would run on the evaluator's PC.  The xlsx summary writes every text as a string
cell, so it is safe; the CSV and Parquet exports follow the OWASP convention instead: such a text
field gets a **leading apostrophe** (``'=cmd...``), which every spreadsheet shows as text.  Leading
spaces before such a character count too (some programs trim them), and a text that already starts
with an apostrophe gets one more, so :func:`unescape_text` gives back exactly what was escaped
(``--rekap-lalu`` reads an exported folder through it).  Numbers, dates and blanks are not touched.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["DANGEROUS_START", "needs_escape", "escape_text", "unescape_text", "safe_frame", "unescape_frame"]

#: characters that make a spreadsheet read a field as a formula, plus the apostrophe itself
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "'")
_FORMULA_START = ("=", "+", "-", "@")


def needs_escape(text: str) -> bool:
    return text.startswith(DANGEROUS_START) or text.lstrip(" \t\r\n\u00a0").startswith(_FORMULA_START)


def escape_text(value: Any) -> Any:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run."""
    if isinstance(value, str) and value and needs_escape(value):
        return "'" + value
    return value


def unescape_text(value: Any) -> Any:
    """The inverse of :func:`escape_text`."""
    if isinstance(value, str) and value.startswith("'") and needs_escape(value[1:]):
        return value[1:]
    return value


def _map_text(df: pd.DataFrame, fn: Any) -> pd.DataFrame:
    out = None
    for col in df.columns:
        kind = df[col].dtype
        if not (pd.api.types.is_object_dtype(kind) or pd.api.types.is_string_dtype(kind)):
            continue
        values = df[col]
        mapped = values.map(fn)
        if not mapped.equals(values):
            if out is None:
                out = df.copy()
            out[col] = mapped
    return df if out is None else out


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text field escaped (a copy when anything changed)."""
    return _map_text(df, escape_text)


def unescape_frame(df: pd.DataFrame) -> pd.DataFrame:
    """An exported frame read back: the escaping undone."""
    return _map_text(df, unescape_text)
