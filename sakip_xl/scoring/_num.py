"""Strict number checks shared by the scoring functions (they never parse text)."""

from __future__ import annotations

import math
from typing import Any

from ..errors import InvalidInput

__all__ = ["finite", "optional_finite", "finite_result"]


def finite(value: Any, name: str) -> float:
    """``value`` as a float, or :class:`InvalidInput` for None, NaN, inf, text and bool."""
    if type(value) is float and value - value == 0.0:  # the usual case: a finite float (inf - inf is nan)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidInput(f"{name} harus berupa angka, bukan {type(value).__name__} ({value!r})")
    f = float(value)
    if math.isnan(f) or math.isinf(f):
        raise InvalidInput(f"{name} harus angka terhingga, bukan {value!r}")
    return f


def optional_finite(value: Any, name: str) -> float | None:
    """None stays None (an empty cell); anything else must be a finite number."""
    if value is None:
        return None
    return finite(value, name)


def finite_result(value: float, what: str) -> float:
    """Guard a computed result: an overflow to inf (e.g. a target of 1e-310) is InvalidInput."""
    if math.isinf(value) or math.isnan(value):
        raise InvalidInput(f"{what} tidak terhingga: angka masukan terlalu kecil atau terlalu besar")
    return value
