"""xlwings' own UDF decorators and VBA wrapper generator, usable on Linux.

``xlwings.udfs`` holds ``xlfunc``/``xlarg`` (which record a UDF's signature, help texts and
conversion options in ``f.__xlfunc__``) and ``generate_vba_wrapper`` (which writes the VBA
``Function ... XLPy.CallUDF(...)`` text that Excel calls).  These are pure Python, but the module
imports pywin32 at the top, so it cannot be imported where the add-in is built.  This module
compiles exactly those functions from the *installed* xlwings source (the pinned version), so the
wrapper we ship is the one xlwings itself would generate, with no copy of its code in sakip-xl.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any, TypeVar, get_args, get_origin, get_type_hints

import xlwings
from xlwings.utils import VBAWriter

__all__ = ["XlwingsUdfTools", "udf_tools", "generate_wrapper"]

_NEEDED = (
    "func_sig",
    "get_category",
    "get_async_mode",
    "check_bool",
    "extract_type_and_annotations",
    "xlfunc",
    "xlarg",
    "generate_vba_wrapper",
)


@dataclass(frozen=True)
class XlwingsUdfTools:
    xlfunc: Callable[..., Any]
    xlarg: Callable[..., Any]
    generate_vba_wrapper: Callable[..., None]
    source: Path
    version: str


@lru_cache(maxsize=1)
def udf_tools() -> XlwingsUdfTools:
    """The pure UDF functions of the installed ``xlwings/udfs.py``."""
    source = Path(xlwings.__file__).with_name("udfs.py")
    tree = ast.parse(source.read_text(encoding="utf-8"), filename=str(source))
    found = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in _NEEDED]
    missing = set(_NEEDED) - {n.name for n in found}
    if missing:
        raise RuntimeError(f"xlwings {xlwings.__version__}: fungsi tidak ditemukan: {sorted(missing)}")
    namespace: dict[str, Any] = {
        "__name__": "xlwings.udfs",
        "inspect": inspect,
        "dt": dt,
        "Annotated": Annotated,
        "Any": Any,
        "Callable": Callable,
        "TypeVar": TypeVar,
        "_F": TypeVar("_F", bound=Callable[..., Any]),
        "get_args": get_args,
        "get_origin": get_origin,
        "get_type_hints": get_type_hints,
        "VBAWriter": VBAWriter,
    }
    module = ast.Module(body=list(found), type_ignores=[])
    exec(compile(module, str(source), "exec"), namespace)  # noqa: S102  (xlwings' own source)
    return XlwingsUdfTools(
        xlfunc=namespace["xlfunc"],
        xlarg=namespace["xlarg"],
        generate_vba_wrapper=namespace["generate_vba_wrapper"],
        source=source,
        version=xlwings.__version__,
    )


def generate_wrapper(module_name: str, functions: list[Any], workbook_name: str) -> str:
    """The VBA wrapper text xlwings generates for ``functions`` of ``module_name``.

    ``functions`` must carry ``__xlfunc__`` (decorated with :func:`udf_tools` ``.xlfunc``).
    ``workbook_name`` ending in ``.xlam`` makes the wrappers pass ``ActiveWorkbook``.
    """
    tools = udf_tools()
    module = SimpleNamespace(**{f.__xlfunc__["name"]: f for f in functions})
    out = io.StringIO()
    tools.generate_vba_wrapper(module_name, module, out, SimpleNamespace(Name=workbook_name))
    return out.getvalue()
