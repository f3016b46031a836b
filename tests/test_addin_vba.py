"""The add-in's VBA run in pyOpenVBA's interpreter, with test doubles for xlwings' Python bridge.

* Ribbon callbacks: ``RunPython`` is replaced by a double that records the command; each button
  must call exactly the intended function of :mod:`sakip_xl.addin.ribbon`, and only when its
  precondition holds.
* UDF wrappers: ``XLPy`` is replaced by a double whose ``CallUDF`` echoes what it received; each
  wrapper must pass the Python module, its own name and its arguments in the registry's order.

The modules are read from the built add-in, so what runs here is what ships.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import openpyxl
import pytest
from pyopenvba import ExcelFile
from pyopenvba.apps.excel import ExcelApplication

from sakip_xl.addin import checks, ribbon, udfs
from sakip_xl.addin.build import build_addin
from sakip_xl.addin.vba import (
    RIBBON_VBA_MODULE,
    UDF_MODULE,
    UDF_VBA_MODULE,
    procedures,
    udf_wrapper_text,
)
from sakip_xl.rules import RULES

#: ribbon button -> the Python handler it must call
INTENDED = {
    "sakipPeriksa": "periksa",
    "sakipHitungUlang": "hitung_ulang",
    "sakipKonsolidasi": "konsolidasi_folder",
    "sakipTemplateBaru": "template_baru",
    "sakipBantuan": "bantuan",
}
NEEDS_SAVED_BOOK = {"sakipPeriksa", "sakipHitungUlang"}

RUNPYTHON_DOUBLE = """Public Calls As String
Public Function RunPython(PythonCommand As String)
    Calls = Calls & PythonCommand & "|"
End Function
Public Function Dicatat() As String
    Dicatat = Calls
End Function
"""

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


@pytest.fixture(scope="module")
def actions(built: Path) -> dict[str, str]:
    import zipfile

    with zipfile.ZipFile(built) as z:
        return checks.custom_ui_actions(z.read("customUI/customUI.xml"))[1]


@pytest.fixture
def saved_book(tmp_path: Path) -> Path:
    path = tmp_path / "opd.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "OPD"
    wb.save(path)
    return path


def _load(app: ExcelApplication, ribbon_source: str, sub: str) -> None:
    app.add_module(RUNPYTHON_DOUBLE, name="RunPythonDouble")
    app.add_module(ribbon_source, name=RIBBON_VBA_MODULE)
    app.add_module(f"Sub TekanTombol()\n    {sub} Nothing\nEnd Sub\n", name="Pengemudi")


def _commands(app: ExcelApplication) -> list[str]:
    return [c for c in str(app.run("Dicatat")).split("|") if c]


def _called_function(command: str) -> str:
    """The handler a RunPython command calls, checked to be a real function of the module."""
    tree = ast.parse(command)
    imp, call = tree.body
    assert isinstance(imp, ast.Import) and isinstance(call, ast.Expr)
    module = imp.names[0].name
    alias = imp.names[0].asname
    assert module == ribbon.__name__
    assert isinstance(call.value, ast.Call) and not call.value.args and not call.value.keywords
    func = call.value.func
    assert isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == alias
    target = getattr(importlib.import_module(module), func.attr)
    assert callable(target)
    return func.attr


@pytest.mark.parametrize("button", list(INTENDED))
def test_each_button_calls_its_handler_once_with_a_saved_workbook(
        button: str, sources: dict[str, str], actions: dict[str, str], saved_book: Path) -> None:
    app = ExcelApplication()
    app.open_workbook(saved_book)
    _load(app, sources[RIBBON_VBA_MODULE], actions[button])
    app.run("TekanTombol")
    cmds = _commands(app)
    assert len(cmds) == 1, cmds
    assert _called_function(cmds[0]) == INTENDED[button]
    assert '"' not in cmds[0]  # RunPython puts the command inside a double-quoted -c argument
    assert app.dialogs == []


@pytest.mark.parametrize("button", sorted(NEEDS_SAVED_BOOK))
def test_an_unsaved_new_workbook_gets_a_message_and_no_python(
        button: str, sources: dict[str, str], actions: dict[str, str]) -> None:
    app = ExcelApplication()
    app.add_workbook()
    _load(app, sources[RIBBON_VBA_MODULE], actions[button])
    app.run("TekanTombol")
    assert _commands(app) == []
    assert len(app.dialogs) == 1 and "Simpan" in str(app.dialogs[0])


@pytest.mark.parametrize("button", sorted(NEEDS_SAVED_BOOK))
def test_unsaved_changes_declined_means_no_python(
        button: str, sources: dict[str, str], actions: dict[str, str], saved_book: Path) -> None:
    app = ExcelApplication()
    app.open_workbook(saved_book)
    app.sheet(1).set_value("B2", 42)
    _load(app, sources[RIBBON_VBA_MODULE], actions[button])
    # precondition: the edit really left the book unsaved (else this would test nothing)
    assert not app.evaluate("ActiveWorkbook.Saved")
    app.answer_dialogs(7)  # vbNo
    app.run("TekanTombol")
    assert _commands(app) == []


@pytest.mark.parametrize("button", sorted(set(INTENDED) - NEEDS_SAVED_BOOK))
def test_buttons_without_an_opd_book_still_reach_python_on_an_unsaved_book(
        button: str, sources: dict[str, str], actions: dict[str, str]) -> None:
    app = ExcelApplication()
    app.add_workbook()
    _load(app, sources[RIBBON_VBA_MODULE], actions[button])
    app.run("TekanTombol")
    assert [_called_function(c) for c in _commands(app)] == [INTENDED[button]]


def test_the_ribbon_module_holds_no_logic_beyond_preconditions(sources: dict[str, str]) -> None:
    procs = procedures(sources[RIBBON_VBA_MODULE])
    public = {p.name for p in procs.values() if not p.private}
    assert public == {f"Sakip{x}" for x in ("Periksa", "HitungUlang", "Konsolidasi", "TemplateBaru", "Bantuan")}
    lines = [ln.strip() for ln in sources[RIBBON_VBA_MODULE].splitlines()
             if ln.strip() and not ln.strip().startswith(("'", "Attribute"))]
    assert len(lines) < 60


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
