"""Typed exit codes of the ``sakip-xl`` command."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ExitStatus"]


class ExitStatus(IntEnum):
    OK = 0  #: everything clean
    ERROR = 1  #: unexpected internal error
    USAGE = 2  #: wrong command-line usage, unreadable policy file
    INVALID_INPUT = 3  #: some input workbooks have errors (good data still processed)
