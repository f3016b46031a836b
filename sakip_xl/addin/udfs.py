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

The policy (kebijakan) is the one the calling workbook carries (``SAKIP_Kebijakan`` names written
by the template: the same results on every PC); for a workbook without one, the city's file named
by the environment variable ``SAKIP_KEBIJAKAN``, or ``%USERPROFILE%\\.sakip\\kebijakan.toml`` when
it exists, or the national default.
"""

from __future__ import annotations

import inspect
import logging
import math
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import xlwings as xw

from ..errors import PolicyError, ScoringError
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
    "call_policy",
    "forget_policy",
    "book_policy",
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


#: seconds a UDF call reuses the policy found by an earlier call before looking again
POLICY_RECHECK_S = 2.0
_found: tuple[float, Policy] | None = None


def forget_policy() -> None:
    """Look the policies up again on the next UDF call (after installing a new city policy)."""
    global _found
    _found = None
    _by_book.clear()


#: policy carried by each open workbook, by its full name (read once per workbook)
_by_book: dict[str, Policy | None] = {}
_IN_EXCEL = sys.platform == "win32"


def book_policy(book: Any) -> Policy | None:
    """The policy ``book`` (an xlwings Book) carries in its ``SAKIP_Kebijakan`` names, read once per
    workbook; None when it carries none, a damaged one, or one naming a file of this PC."""
    from ..excel.policy_names import POLICY_NAME, is_portable, policy_from_names

    key = str(book.fullname)
    if key not in _by_book:
        prefix = POLICY_NAME.casefold()
        texts = {n.name: n.refers_to for n in book.names if str(n.name).casefold().startswith(prefix)}
        try:
            carried = policy_from_names(texts)
        except PolicyError:
            log.warning("kebijakan di %s rusak: kebijakan PC dipakai", key)
            carried = None
        _by_book[key] = carried if carried is not None and is_portable(carried) else None
    return _by_book[key]


def _caller_policy() -> Policy | None:
    """In Excel: the policy the calling workbook carries (one COM property read per call, for the
    workbook's name; the names themselves once per workbook)."""
    if not _IN_EXCEL:
        return None
    try:
        return book_policy(xw.Book.caller())
    except Exception:  # noqa: BLE001  (no caller: a call from VBA or a test, not from a cell)
        return None


def call_policy() -> Policy:
    """The policy of a UDF call: the one the calling workbook carries (so a UDF workbook computes
    the same on every PC), else the PC's, found once (file lookup and stat) and reused by the calls
    of the same recalculation; looked up again after :data:`POLICY_RECHECK_S`."""
    global _found
    carried = _caller_policy()
    if carried is not None:
        return carried
    now = time.monotonic()
    found = _found
    if found is not None and now - found[0] < POLICY_RECHECK_S:
        return found[1]
    policy = current_policy()
    _found = (now, policy)
    return policy


# --------------------------------------------------------------------------- conversion
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=8192)
def _text_input(value: str) -> Any:
    """Text as a UDF argument: blank -> None, error text kept, Indonesian number text -> float,
    other text unchanged.  Recognised without raising (text without a digit is never a number);
    memoised: a workbook repeats the same few texts ("positif", "Ya" ...) in every row."""
    s = value.strip()
    if s == "":
        return None
    if s.startswith("#"):
        return s  # an error text of another cell: passed on as is
    if _DIGIT.search(s) is None:
        return value
    from ..excel.convert import normalize_number  # the one place that reads Indonesian numbers

    res = normalize_number(value)
    return res.value if res.ok else value


def to_cell_input(value: Any) -> Any:
    """One cell value as Excel passed it -> what the registry's ``cell`` expects."""
    if value is None or type(value) is float:
        return value
    if isinstance(value, str):
        return _text_input(value)
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


def _single(arg: Any) -> bool:
    """A single cell as xlwings passes it with ``ndim=2`` (``[[v]]``), or a bare scalar."""
    if isinstance(arg, (list, tuple)):
        return len(arg) == 1 and isinstance(arg[0], (list, tuple)) and len(arg[0]) == 1
    return True


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


def _column(rule: Rule, kinds: Sequence[tuple[str, Grid]], rows: int, policy: Policy) -> Grid:
    out: Grid = []
    for i in range(rows):
        args: list[Any] = []
        for kind, g in kinds:
            if kind == "whole":
                args.append(g)
                continue
            n = len(g)
            ri = 0 if n == 1 else i
            if ri >= n:
                break
            args.append(list(g[ri]) if kind == "row" else g[ri][0])
        out.append([_one(rule, args, policy) if len(args) == len(kinds) else SIZE_ERROR])
    return out


def _broadcast(rule: Rule, grids: Sequence[Grid], split: Sequence[bool], rows: int, cols: int,
               policy: Policy) -> Grid:
    """Every result cell: the arguments of row ``i`` are picked once per row (the hot loop of a
    column call)."""
    kinds = [("whole" if p.kind == "range" and not r else "row" if p.kind == "range" else "cell", g)
             for p, g, r in zip(rule.params, grids, split, strict=True)]
    out: Grid = []
    if cols == 1:  # a column (or one cell) of results: one list of arguments per row
        return _column(rule, kinds, rows, policy)
    for i in range(rows):
        picked: list[tuple[str, Any]] = []
        for kind, g in kinds:
            if kind == "whole":
                picked.append(("v", g))
                continue
            ri = _pick(len(g), i)
            if ri is None:
                picked.append(("x", None))
            elif kind == "row":
                picked.append(("v", list(g[ri])))
            else:
                row = g[ri]
                picked.append(("v", row[0]) if len(row) == 1 else ("r", row))
        line: list[CellValue] = []
        for j in range(cols):
            cell: list[Any] = []
            for tag, v in picked:
                if tag == "v":
                    cell.append(v)
                elif tag == "r" and (cj := _pick(len(v), j)) is not None:
                    cell.append(v[cj])
                else:
                    break
            line.append(_one(rule, cell, policy) if len(cell) == len(picked) else SIZE_ERROR)
        out.append(line)
    return out


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
        pol = policy if policy is not None else call_policy()
    except (PolicyError, OSError):
        log.exception("kebijakan tidak dapat dimuat")
        return POLICY_ERROR
    try:
        padded = list(args) + [None] * (len(rule.params) - len(args))
        if all(_single(a) for a in padded):  # one cell per argument: no broadcasting to do
            cells = [to_cell_input(a[0][0] if isinstance(a, (list, tuple)) else a) for a in padded]
            return _one(rule, [[[v]] if p.kind == "range" else v for p, v in zip(rule.params, cells, strict=True)],
                        pol)
        grids = [[[to_cell_input(v) for v in row] for row in _grid(a)] for a in padded]
        split = _split_rows(rule, grids)
        shapes = _participants(rule, grids, split)
        rows = max((s[0] for s in shapes), default=1)
        cols = max((s[1] for s in shapes), default=1)
        out = _broadcast(rule, grids, split, rows, cols, pol)
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
