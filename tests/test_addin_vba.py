"""The add-in's UDF wrappers run in pyOpenVBA's interpreter, with a test double for xlwings' bridge.

(The ribbon callbacks are run in tests/test_addin_ribbon_vba.py.)

* UDF wrappers: ``XLPy`` is replaced by a double whose ``CallUDF`` echoes what it received; each
  wrapper must pass the Python module, its own name and its arguments in the registry's order.

The modules are read from the built add-in, so what runs here is what ships.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from pyopenvba import ExcelFile
from pyopenvba.apps.excel import ExcelApplication

from sakip_xl.addin import udfs
from sakip_xl.addin.build import build_addin
from sakip_xl.addin.vba import (
    RIBBON_VBA_MODULE,
    UDF_MODULE,
    UDF_VBA_MODULE,
    procedures,
    udf_wrapper_text,
)
from sakip_xl.rules import RULES

XLPY_DOUBLE_CLASS = """Public Function CallUDF(ModuleName, FuncName, Args, Optional Book, Optional Caller)
    Dim i As Long, s As String
    s = ModuleName & "|" & FuncName
    For i = LBound(Args) To UBound(Args)
        If IsMissing(Args(i)) Then
            s = s & "|<kosong>"
        Else
            s = s & "|" & CStr(Args(i))
        End If
    Next i
    CallUDF = s
End Function
"""
XLPY_DOUBLE = """Public Function XLPy() As Object
    Set XLPy = New PyDouble
End Function
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_addin(tmp_path_factory.mktemp("vba") / "sakip.xlam").path


@pytest.fixture(scope="module")
def sources(built: Path) -> dict[str, str]:
    with ExcelFile(str(built)) as wb:
        return {n: wb.get_module(n) for n in (RIBBON_VBA_MODULE, UDF_VBA_MODULE)}


# --------------------------------------------------------------------------- UDF wrappers
def _udf_app(udf_source: str) -> ExcelApplication:
    app = ExcelApplication()
    app.add_workbook()
    app.add_module(XLPY_DOUBLE_CLASS, name="PyDouble", kind="class")
    app.add_module(XLPY_DOUBLE, name="XLPyDouble")
    # Application.Caller is not implemented by the interpreter: run the wrappers' other branch,
    # which passes the same arguments (checked below) without the caller.
    app.add_module(udf_source.replace('#Const App = "Microsoft Excel"', '#Const App = "pyOpenVBA"'),
                   name=UDF_VBA_MODULE)
    return app


def test_both_branches_of_each_wrapper_pass_the_same_arguments(sources: dict[str, str]) -> None:
    text = sources[UDF_VBA_MODULE]
    for rule in RULES.values():
        calls = [ln.strip() for ln in text.splitlines() if f'"{rule.udf}", Array(' in ln]
        assert len(calls) == 2, rule.udf
        excel, other = calls
        assert excel.startswith(other.rstrip(")")), (excel, other)
        assert excel.endswith("ActiveWorkbook, Application.Caller)")


@pytest.mark.parametrize("rule", list(RULES.values()), ids=lambda r: r.udf)
def test_each_wrapper_passes_module_name_and_arguments_in_order(rule, sources: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    app = _udf_app(sources[UDF_VBA_MODULE])
    values = [f"arg{i}" for i, _p in enumerate(rule.params)]
    got = str(app.run(rule.udf, *values)).split("|")
    assert got == [UDF_MODULE, rule.udf, *values]
    sig = inspect.signature(getattr(udfs, rule.udf))
    assert len(got) - 2 == len(sig.parameters)


def test_an_omitted_optional_argument_arrives_missing() -> None:
    app = _udf_app(_generated_udf_module())
    got = str(app.run("SAKIP_CAPAIAN", 100, 85, "positif")).split("|")
    assert got == [UDF_MODULE, "SAKIP_CAPAIAN", "100", "85", "positif", "<kosong>"]


def _generated_udf_module() -> str:
    return "Attribute VB_Name = \"SakipUDF\"\r\n#Const App = \"Microsoft Excel\"\r\n" + udf_wrapper_text()


def test_wrapper_signatures_match_the_python_udfs() -> None:
    procs = {p.name: p for p in procedures(udf_wrapper_text()).values()}
    assert set(procs) == set(udfs.UDF_NAMES)
    for name, proc in procs.items():
        sig = inspect.signature(getattr(udfs, name))
        assert [(n, o) for n, _t, o in proc.params] == [
            (p.name, p.default is not inspect.Parameter.empty) for p in sig.parameters.values()]
