"""The add-in (UDF) template, evaluated by the ``formulas`` engine, agrees with the core.

LibreOffice cannot call the ``=SAKIP_*`` add-in functions, so the UDF variant is evaluated with
the ``formulas`` package, in which each ``SAKIP_*`` name calls the core through the rule registry
(exactly what the add-in's UDFs do).  Equal values on every computed cell prove that each UDF cell
passes the right cells, in the right order, to the right rule.  The workbooks' cached values are
zeroed first, so only a real evaluation gives the expected values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import formulas
import numpy as np
import pytest
import schedula
from helpers_lo import contoh_opd, hypothesis_opds, mismatches
from test_parity_libreoffice import _zero_cached_values

from sakip_xl import rules
from sakip_xl.excel.template import computed_values, write_workbook
from sakip_xl.models import OPDWorkbook
from sakip_xl.policy import Policy, default_policy

pytestmark = pytest.mark.slow


def _scalar(v: Any) -> Any:
    if v is schedula.EMPTY:
        return None
    if isinstance(v, formulas.functions.XlError):
        return str(v)
    if isinstance(v, np.generic):
        return v.item()
    return v


def _arg(v: Any, kind: str) -> Any:
    if hasattr(v, "value"):  # formulas Ranges
        v = v.value
    if isinstance(v, np.ndarray):
        flat = [_scalar(x) for x in v.ravel().tolist()]
        return flat if kind == "range" else flat[0]
    return _scalar(v)


def _udf(rule: rules.Rule, policy: Policy) -> Callable[..., Any]:
    def fn(*args: Any) -> Any:
        vals = [_arg(a, p.kind) for p, a in zip(rule.params, args, strict=False)]
        vals += [None] * (len(rule.params) - len(vals))
        return rules.cell_value(rule.key, *vals, policy=policy)

    return fn


def _evaluate(path: Path, policy: Policy) -> dict[tuple[str, str], Any]:
    functions = formulas.get_functions()
    for rule in rules.RULES.values():
        functions[rule.udf] = _udf(rule, policy)
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out: dict[tuple[str, str], Any] = {}
    prefix = f"'[{path.name.upper()}]"
    for key, ranges in solution.items():
        if not key.upper().startswith(prefix) or ":" in key:
            continue
        sheet, cell = key[len(prefix):].split("'!")
        value = ranges.value[0, 0] if hasattr(ranges, "value") else ranges
        out[(sheet.upper(), cell)] = _scalar(value)
    return out


def _excel_15_digits(v: Any) -> Any:
    """The formulas engine turns numbers into text with 16 significant digits where Excel (and
    LibreOffice) use 15 ("98.57000000000001" for 98.57): round the numbers in such a text."""
    if not isinstance(v, str) or not any(ch.isdigit() for ch in v):
        return v
    return re.sub(r"-?\d+\.\d{12,}", lambda m: format(float(m.group()), ".15g"), v)


def _check(path: Path, data: OPDWorkbook, policy: Policy) -> tuple[int, list[str]]:
    expected = computed_values(data, policy=policy)
    got = _evaluate(path, policy)
    actual = {(s, c): _excel_15_digits(got.get((s.upper(), c))) for (s, c) in expected}
    return len(expected), mismatches(expected, actual, path.name)


def _write_udf(path: Path, data: OPDWorkbook, policy: Policy) -> Path:
    written = write_workbook(path, data, rumus="udf", policy=policy)
    _zero_cached_values(written)
    return written


def test_udf_cells_call_the_registry_rules(tmp_path: Path) -> None:
    data = contoh_opd()
    path = _write_udf(tmp_path / "contoh.xlsx", data, default_policy())
    n, problems = _check(path, data, default_policy())
    assert n > 1500
    assert not problems, "\n".join(problems[:40])


def test_udf_template_equals_core_with_formulas_engine(tmp_path: Path) -> None:
    # the three richest of 12 hypothesis OPDs (the formulas engine needs ~10 s per workbook)
    opds = sorted(hypothesis_opds(12), key=lambda d: -len(d.indikator) - len(d.lke) / 10)[:3]
    inds = [i for d in opds for i in d.indikator]
    assert {"positif", "negatif", "stabil"} <= {i.polaritas for i in inds}
    problems: list[str] = []
    for i, data in enumerate(opds):
        policy = Policy() if i % 2 == 0 else Policy(cap_rata_rata=None, batas_predikat="inklusif")
        path = _write_udf(tmp_path / f"opd_{i}.xlsx", data, policy)
        problems += _check(path, data, policy)[1]
    assert not problems, "\n".join(problems[:40])
