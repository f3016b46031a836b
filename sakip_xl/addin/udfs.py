"""The ``=SAKIP_*`` worksheet functions: one thin xlwings UDF per UDF of the rule registry.

Nothing here scores anything.  Each UDF converts what Excel passes, calls the registry's
``Rule.cell`` (the Excel-cell semantics of the pure core function) and shapes the answer:

* **Array-aware.**  Every argument arrives as a 2-D list (xlwings ``ndim=2``).  ``value`` and
  ``literal`` parameters broadcast like Excel's own functions: a column in gives a column out, in
  one call, so a whole column costs one round trip.  A ``range`` parameter marked ``per_row`` in
  the registry (TW I..IV) gives one record per row when it has several rows and is several
  columns wide or stands beside a multi-row argument (a single column beside single cells is one
  record, laid out vertically); other ``range`` parameters (a whole column of LKE values ...)
  are passed whole to every element.  When every argument is a single cell the
  answer is a single value.
* **What Excel passes.**  ``None`` for blanks, floats, booleans, dates, text with Indonesian
  decimals (``"85,5"``, ``"1.234,5"``, ``"85%"``, converted by
  :func:`sakip_xl.excel.convert.to_number`), error cells as their text (``err_to_str``).  Text that
  is not a number (``"positif"``, ``"1.a"``, ``"#TARGET0"``) is passed on unchanged; the registry
  decides what it means.
* **Errors are short text.**  xlwings COM UDFs cannot return ``#N/A``; a failure becomes the
  registry's cell text (``#TARGET0`` ...), an unexpected one ``#GALAT``, never a traceback.
  Cells outside the extent of a shorter argument show ``#UKURAN?`` (Excel shows ``#N/A`` there).

The policy (kebijakan) is the national default, or the city's file named by the environment
variable ``SAKIP_KEBIJAKAN``, or ``%USERPROFILE%\\.sakip\\kebijakan.toml`` when it exists.
"""

from __future__ import annotations

import inspect
import logging
import math
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import xlwings as xw

from ..errors import InvalidInput, PolicyError, ScoringError
from ..policy import Policy, default_policy, load_policy
from ..rules import RULES, CellValue, Rule

__all__ = [
    "UDF_CATEGORY",
    "UDF_NAMES",
    "ARG_OPTIONS",
    "SIZE_ERROR",
    "POLICY_ERROR",
    "evaluate",
    "make_udf",
    "to_cell_input",
    "current_policy",
    "policy_path",
]

log = logging.getLogger(__name__)

#: Category of the functions in Excel's Insert Function dialog.
UDF_CATEGORY = "SAKIP"
#: xlwings conversion options for every argument: always a 2-D list, error cells as text.
ARG_OPTIONS: dict[str, Any] = {"ndim": 2, "err_to_str": True}
#: Cell text where an argument is shorter than the result (Excel itself shows #N/A there).
SIZE_ERROR = "#UKURAN?"
#: Cell text when the configured kebijakan file cannot be loaded.
POLICY_ERROR = "#KEBIJAKAN?"
_UNEXPECTED = ScoringError.cell_text

Grid = list[list[Any]]
Decorator = Callable[..., Any]


# --------------------------------------------------------------------------- policy
def policy_path(environ: dict[str, str] | None = None) -> Path | None:
    """The kebijakan file the UDFs use, or ``None`` for the national default."""
    env = os.environ if environ is None else environ
    if env.get("SAKIP_KEBIJAKAN"):
        return Path(env["SAKIP_KEBIJAKAN"])
    home = env.get("USERPROFILE") or env.get("HOME")
    if home:
        candidate = Path(home) / ".sakip" / "kebijakan.toml"
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Policy:
    return load_policy(path)


def current_policy() -> Policy:
    """The policy in force (reloaded when its file changes)."""
    path = policy_path()
    if path is None:
        return default_policy()
    return _load(str(path), path.stat().st_mtime)


# --------------------------------------------------------------------------- conversion
def to_cell_input(value: Any) -> Any:
    """One cell value as Excel passed it -> what the registry's ``cell`` expects."""
    if isinstance(value, str):
        if value.strip() == "":
            return None
        if value.lstrip().startswith("#"):
            return value.strip()  # an error text of another cell: passed on as is
        from ..excel.convert import to_number  # the one place that reads Indonesian numbers

        try:
            return to_number(value)
        except InvalidInput:
            return value
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _grid(arg: Any) -> Grid:
    if isinstance(arg, (list, tuple)):
        if not arg:
            return [[None]]
        if all(isinstance(row, (list, tuple)) for row in arg):
            return [list(row) for row in arg]
        return [list(arg)]  # a 1-D list is one row, as xlwings gives for ndim=1
    return [[arg]]


def _pick(n: int, i: int) -> int | None:
    """Index into an extent ``n`` for result index ``i`` (Excel broadcasting)."""
    if n == 1:
        return 0
    return i if i < n else None


# --------------------------------------------------------------------------- evaluation
def _split_rows(rule: Rule, grids: Sequence[Grid]) -> list[bool]:
    """For each parameter: is it a ``per_row`` range given as several records (one per row)?

    A ``per_row`` range with several rows is several records when it is also several columns
    wide (TW I..IV across, one indicator per row) or when another argument has several rows too;
    a single column beside single-cell arguments is one record laid out vertically (D11:D14).
    """
    value_rows = max((len(g) for p, g in zip(rule.params, grids, strict=True) if p.kind != "range"),
                     default=1)
    return [
        p.kind == "range" and p.per_row and len(g) > 1
        and (max(len(r) for r in g) > 1 or value_rows > 1)
        for p, g in zip(rule.params, grids, strict=True)
    ]


def _participants(rule: Rule, grids: Sequence[Grid], split: Sequence[bool]) -> list[tuple[int, int]]:
    shapes = []
    for p, g, rows in zip(rule.params, grids, split, strict=True):
        if p.kind != "range":
            shapes.append((len(g), max(len(r) for r in g)))
        elif rows:
            shapes.append((len(g), 1))
    return shapes


def _args_at(rule: Rule, grids: Sequence[Grid], split: Sequence[bool], i: int, j: int) -> list[Any] | None:
    args: list[Any] = []
    for p, g, rows in zip(rule.params, grids, split, strict=True):
        if p.kind == "range" and not rows:
            args.append(g)  # a whole range (or one record of a per_row range)
            continue
        ri = _pick(len(g), i)
        if ri is None:
            return None
        if p.kind == "range":  # one record per row: this row's cells
            args.append(list(g[ri]))
            continue
        row = g[ri]
        cj = _pick(len(row), j)
        if cj is None:
            return None
        args.append(row[cj])
    return args


def _one(rule: Rule, args: list[Any], policy: Policy) -> CellValue:
    try:
        out = rule.cell(*args, policy=policy)
    except ScoringError as exc:  # the registry guards these; kept as a second line of defence
        return exc.cell_text
    except Exception:  # the error boundary of a cell: short text, never a traceback
        log.exception("%s gagal", rule.udf)
        return _UNEXPECTED
    if isinstance(out, bool) or not isinstance(out, (int, float, str)):
        return _UNEXPECTED
    if isinstance(out, float) and not math.isfinite(out):  # COM cannot hand NaN/inf to a cell
        return _UNEXPECTED
    return float(out) if isinstance(out, int) else out


def evaluate(rule: Rule, args: Sequence[Any], policy: Policy | None = None) -> Any:
    """A UDF call: the arguments as xlwings passes them -> a value or a 2-D list of values."""
    try:
        pol = policy if policy is not None else current_policy()
    except (PolicyError, OSError):
        log.exception("kebijakan tidak dapat dimuat")
        return POLICY_ERROR
    try:
        padded = list(args) + [None] * (len(rule.params) - len(args))
        grids = [[[to_cell_input(v) for v in row] for row in _grid(a)] for a in padded]
        split = _split_rows(rule, grids)
        shapes = _participants(rule, grids, split)
        rows = max((s[0] for s in shapes), default=1)
        cols = max((s[1] for s in shapes), default=1)
        out: Grid = []
        for i in range(rows):
            line: list[CellValue] = []
            for j in range(cols):
                cell_args = _args_at(rule, grids, split, i, j)
                line.append(SIZE_ERROR if cell_args is None else _one(rule, cell_args, pol))
            out.append(line)
    except Exception:  # the error boundary of the whole call
        log.exception("%s gagal", rule.udf)
        return _UNEXPECTED
    return out[0][0] if rows == 1 and cols == 1 else out


# --------------------------------------------------------------------------- the UDFs
def make_udf(rule: Rule, func: Decorator | None = None, arg: Decorator | None = None) -> Any:
    """The UDF of one rule, decorated with ``func``/``arg`` (xlwings' ``func``/``arg`` by default).

    The signature is the registry's parameter list (optional ones default to ``None``), the
    docstring the registry's description; each argument carries its Indonesian help text.
    """
    func = func or xw.func
    arg = arg or xw.arg

    def udf(*args: Any) -> Any:
        return evaluate(rule, args)

    # No return annotation reaches xlwings: it would become a "convert" option of the result.
    udf.__annotations__ = {}
    udf.__name__ = udf.__qualname__ = rule.udf
    udf.__doc__ = rule.doc
    udf.__module__ = __name__
    udf.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                p.name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=None if p.optional else inspect.Parameter.empty,
            )
            for p in rule.params
        ]
    )
    for p in reversed(rule.params):
        udf = arg(p.name, doc=p.doc, **ARG_OPTIONS)(udf)
    return func(category=UDF_CATEGORY)(udf)


#: The worksheet function names, exactly the registry's.
UDF_NAMES: tuple[str, ...] = tuple(r.udf for r in RULES.values())

for _rule in RULES.values():
    globals()[_rule.udf] = make_udf(_rule)
    __all__.append(_rule.udf)
del _rule
