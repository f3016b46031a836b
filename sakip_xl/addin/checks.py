"""The checks every built add-in must pass (no Excel needed).

Each check reads the ``.xlam`` as a file: the zip and its content types, the customUI XML, the VBA
project (pyOpenVBA's integrity check, oletools' olevba parse of every module), the ribbon
callbacks, the generated UDF wrappers against the Python UDF signatures, and the xlwings version
pin.  ``sakip-xl addin build`` runs them all and refuses an add-in that fails one.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import posixpath
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

import xlwings
from defusedxml import ElementTree as ET

from ..rules import RULES
from . import udfs
from .vba import (
    ADDIN_NAME,
    BERKAS_VBA_MODULE,
    DIALOG_VBA_MODULE,
    KONFIG_VBA_MODULE,
    PROJECT_GUID,
    PROJECT_NAME,
    REGISTER_SUB,
    RIBBON_VBA_MODULE,
    UDF_MODULE,
    UDF_VBA_MODULE,
    procedures,
)
from .xlwings_vba import config_sources, english_messages

__all__ = [
    "Check",
    "CheckReport",
    "check_addin",
    "vba_modules",
    "custom_ui_actions",
    "runpython_commands",
    "CUSTOMUI_NS",
    "ADDIN_CONTENT_TYPE",
    "VBA_CONTENT_TYPE",
]

CUSTOMUI_NS = ("http://schemas.microsoft.com/office/2006/01/customui",
               "http://schemas.microsoft.com/office/2009/07/customui")
ADDIN_CONTENT_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
VBA_CONTENT_TYPE = "application/vnd.ms-office.vbaProject"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_EXPECTED_MODULES = ("ThisWorkbook", "xlwings", RIBBON_VBA_MODULE, UDF_VBA_MODULE, KONFIG_VBA_MODULE,
                     BERKAS_VBA_MODULE, DIALOG_VBA_MODULE)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""

    def __str__(self) -> str:
        return f"[{'OK' if self.ok else 'GAGAL'}] {self.name}" + (f": {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class CheckReport:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def text(self) -> str:
        return "\n".join(str(c) for c in self.checks)


class _Fail(Exception):
    pass


def _need(cond: bool, message: str) -> None:
    if not cond:
        raise _Fail(message)


# --------------------------------------------------------------------------- reading
def vba_modules(path: str | Path) -> dict[str, str]:
    """Module name -> source, as oletools' olevba parses the add-in."""
    with warnings.catch_warnings():  # oletools' pyparsing grammar warns about deprecated names
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        _need(parser.detect_vba_macros(), "olevba tidak menemukan proyek VBA")
        out: dict[str, str] = {}
        for _file, _stream, vba_filename, code in parser.extract_macros():
            name = posixpath.splitext(vba_filename)[0]
            out[name] = code.decode("latin-1") if isinstance(code, bytes) else code
        return out
    finally:
        parser.close()


def _parts(z: zipfile.ZipFile) -> dict[str, bytes]:
    return {i.filename: z.read(i) for i in z.infolist()}


def _rels(parts: dict[str, bytes], rels_name: str) -> list[Element]:
    return list(ET.fromstring(parts[rels_name]).iter(f"{_REL_NS}Relationship"))


def _custom_ui_name(parts: dict[str, bytes]) -> str:
    for rel in _rels(parts, "_rels/.rels"):
        if rel.get("Type", "").endswith("relationships/ui/extensibility"):
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    raise _Fail("tidak ada relasi customUI di _rels/.rels")


def custom_ui_actions(xml: bytes) -> tuple[list[str], dict[str, str]]:
    """(every element id, {button id: onAction}) of a customUI document."""
    root = ET.fromstring(xml)
    ids: list[str] = []
    actions: dict[str, str] = {}
    for el in root.iter():
        if el.get("id") is not None:
            ids.append(el.get("id", ""))
        if el.get("onAction") is not None:
            actions[el.get("id", "?")] = el.get("onAction", "")
    return ids, actions


# --------------------------------------------------------------------------- the checks
def _check_zip(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        _need(bad is None, f"anggota zip rusak: {bad}")
        names = z.namelist()
    _need(len(names) == len(set(names)), "nama anggota zip ganda")
    for required in ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/vbaProject.bin",
                     "xl/_rels/workbook.xml.rels"):
        _need(required in names, f"{required} tidak ada")
    return f"{len(names)} bagian"


def _check_content_types(parts: dict[str, bytes]) -> str:
    root = ET.fromstring(parts["[Content_Types].xml"])
    defaults = {d.get("Extension", "").lower(): d.get("ContentType") for d in root.iter(f"{_CT_NS}Default")}
    overrides = {o.get("PartName", ""): o.get("ContentType") for o in root.iter(f"{_CT_NS}Override")}
    for part in overrides:
        _need(part.lstrip("/") in parts, f"Override untuk bagian yang tidak ada: {part}")
    for name in parts:
        if name == "[Content_Types].xml":
            continue
        ext = name.rsplit(".", 1)[-1].lower()
        _need(f"/{name}" in overrides or ext in defaults, f"bagian tanpa content type: {name}")
    _need(overrides.get("/xl/workbook.xml") == ADDIN_CONTENT_TYPE, "workbook.xml bukan add-in bermakro")
    _need(overrides.get("/xl/vbaProject.bin") == VBA_CONTENT_TYPE, "vbaProject.bin tanpa content type VBA")
    return f"{len(overrides)} override, {len(defaults)} default"


def _check_relationships(parts: dict[str, bytes]) -> str:
    n = 0
    for rels_name in [p for p in parts if p.endswith(".rels")]:
        base = posixpath.dirname(posixpath.dirname(rels_name))
        for rel in _rels(parts, rels_name):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
            _need(full in parts, f"{rels_name}: target tidak ada: {target}")
            n += 1
    return f"{n} relasi"


def _check_custom_ui(parts: dict[str, bytes], modules: dict[str, str]) -> str:
    xml = parts[_custom_ui_name(parts)]
    root = ET.fromstring(xml)
    ns = root.tag.split("}")[0].lstrip("{")
    _need(ns in CUSTOMUI_NS, f"namespace customUI tidak dikenal: {ns}")
    ids, actions = custom_ui_actions(xml)
    dup = sorted({i for i in ids if ids.count(i) > 1})
    _need(not dup, f"id ganda: {dup}")
    _need(bool(actions), "tidak ada tombol dengan onAction")
    ribbon = procedures(modules.get(RIBBON_VBA_MODULE, ""))
    for button, action in actions.items():
        module, _, sub = action.rpartition(".")
        _need(module in ("", RIBBON_VBA_MODULE), f"{button}: onAction {action} di modul lain")
        proc = ribbon.get(sub.lower())
        _need(proc is not None, f"{button}: Sub {action} tidak ada di {RIBBON_VBA_MODULE}")
        assert proc is not None
        _need(proc.kind == "Sub" and not proc.private, f"{button}: {action} bukan Public Sub")
        _need(len(proc.params) == 1 and (proc.params[0][1] or "").lower() == "iribboncontrol",
              f"{button}: {action} harus punya satu parameter As IRibbonControl")
    return f"{len(actions)} tombol, {len(ids)} id unik"


def runpython_commands(ribbon_source: str) -> list[str]:
    """The Python commands the ribbon module runs: ``RunPython PY_RIBBON & perintah`` in ``Jalankan``,
    with each button's ``Jalankan "handler(...)"`` (constants resolved, arguments as written)."""
    consts = dict(re.findall(r'Const\s+(\w+)\s+As\s+String\s*=\s*"([^"]*)"', ribbon_source))
    runs = re.findall(r"^\s*RunPython\s+(\w+)\s*&\s*perintah\s*$", ribbon_source, re.M)
    if len(runs) != 1 or runs[0] not in consts:
        return []
    prefix = consts[runs[0]]
    return [prefix + m for m in re.findall(r'^\s*Jalankan\s+"(\w+\()', ribbon_source, re.M)]


def _check_runpython(modules: dict[str, str]) -> str:
    commands = runpython_commands(modules.get(RIBBON_VBA_MODULE, ""))
    _need(bool(commands), "tidak ada panggilan RunPython lewat Jalankan")
    called = []
    for cmd in commands:
        head, _, _args = cmd.partition("(")
        tree = ast.parse(head)
        _need(len(tree.body) == 2 and isinstance(tree.body[0], ast.Import), f"perintah tidak dikenal: {cmd}")
        imp, call = tree.body
        assert isinstance(imp, ast.Import)
        module = importlib.import_module(imp.names[0].name)
        _need(isinstance(call, ast.Expr) and isinstance(call.value, ast.Attribute), f"perintah tidak dikenal: {cmd}")
        assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Attribute)
        name = call.value.attr
        _need(callable(getattr(module, name, None)), f"{module.__name__}.{name} tidak ada")
        called.append(name)
    return ", ".join(called)


def _check_pyopenvba(path: Path) -> str:
    from pyopenvba import check_file

    report = check_file(str(path))
    problems = [f"{i.code} {i.location}: {i.message}" for i in report.issues]
    _need(report.ok and report.complete, "; ".join(problems) or "pemeriksaan tidak lengkap")
    return f"{report.checked_parts} bagian diperiksa"


def _check_modules(modules: dict[str, str]) -> str:
    for name in _EXPECTED_MODULES:
        _need(name in modules, f"modul {name} tidak ada")
    _need(not any(n.lower().startswith("ribbonmyaddin") for n in modules), "modul pita template masih ada")
    for name, code in modules.items():
        if name in ("ThisWorkbook", RIBBON_VBA_MODULE, UDF_VBA_MODULE):
            _need(bool(code.strip()), f"modul {name} kosong")
            procedures(code)  # raises on a parameter list it cannot read
    return ", ".join(sorted(modules))


def _check_udf_wrappers(modules: dict[str, str]) -> str:
    wrappers = {p.name: p for p in procedures(modules[UDF_VBA_MODULE]).values() if p.kind == "Function"}
    expected = {r.udf for r in RULES.values()}
    _need(set(wrappers) == expected, f"fungsi VBA {sorted(wrappers)} != registri {sorted(expected)}")
    for name, proc in wrappers.items():
        sig = inspect.signature(getattr(udfs, name))
        py = [(p.name, p.default is not inspect.Parameter.empty) for p in sig.parameters.values()]
        vb = [(n, opt) for n, _t, opt in proc.params]
        _need(py == vb, f"{name}: VBA {vb} != Python {py}")
        _need(f'XLPy.CallUDF("{UDF_MODULE}", "{name}"' in modules[UDF_VBA_MODULE], f"{name}: CallUDF salah")
    _need(REGISTER_SUB.lower() in procedures(modules[UDF_VBA_MODULE]), f"Sub {REGISTER_SUB} tidak ada")
    _need(REGISTER_SUB.lower() in modules["ThisWorkbook"].lower(), f"Workbook_Open tidak memanggil {REGISTER_SUB}")
    return f"{len(wrappers)} fungsi"


def _check_xlwings_pin(modules: dict[str, str]) -> str:
    code = modules["xlwings"]
    v = xlwings.__version__
    _need(f'XLWINGS_VERSION As String = "{v}"' in code, f"VBA xlwings bukan versi {v}")
    _need(f"xlwings64-{v}.dll" in code and f"xlwings32-{v}.dll" in code, f"DLL xlwings {v} tidak dirujuk")
    _need(f'PROJECT_NAME As String = "{ADDIN_NAME}"' in code, f"PROJECT_NAME bukan {ADDIN_NAME}")
    return f"xlwings {v}"


def _check_trusted_config(modules: dict[str, str]) -> str:
    problems = config_sources(modules)
    _need(not problems, "; ".join(problems))
    _need("sakippemeriksaanawal" in modules["ThisWorkbook"].lower(), "Workbook_Open tanpa pemeriksaan awal")
    return "GetConfig -> SakipKonfigNilai (%USERPROFILE%\\.sakip\\sakip.conf, sekali per sesi)"


def _check_messages(modules: dict[str, str]) -> str:
    for name in (KONFIG_VBA_MODULE, RIBBON_VBA_MODULE, "xlwings"):
        _need(name in modules, f"modul {name} tidak ada")
    found = {name: english_messages(code) for name, code in modules.items()}
    bad = {k: v for k, v in found.items() if v}
    _need(not bad, f"pesan berbahasa Inggris: {bad}")
    return f"{len(modules)} modul"


def _check_identity(parts: dict[str, bytes], path: Path) -> str:
    from pyopenvba.cfb import CFB

    project = CFB.from_bytes(parts["xl/vbaProject.bin"]).get_stream("PROJECT").decode("cp1252")
    _need(f'Name="{PROJECT_NAME}"' in project, "nama proyek VBA bukan " + PROJECT_NAME)
    _need(f'ID="{PROJECT_GUID}"' in project, "GUID proyek VBA bukan milik SAKIP")
    from pyopenvba import ExcelFile

    with ExcelFile(str(path)) as wb:
        _need(wb.vba_project().name == PROJECT_NAME, "PROJECTNAME di aliran dir bukan " + PROJECT_NAME)
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    sheets = re.findall(r'<sheet [^>]*name="([^"]*)"', workbook)
    _need(not any(s.lower().endswith((".conf", ".py")) for s in sheets), f"lembar konfigurasi: {sheets}")
    _need(PROJECT_GUID in workbook, "codeName workbook bukan GUID SAKIP")
    return f"proyek {PROJECT_NAME} {PROJECT_GUID}, lembar {', '.join(sheets)}"


def check_addin(path: str | Path) -> CheckReport:
    """Run every check on a built add-in; each failure is reported, none is raised."""
    path = Path(path)
    results: list[Check] = []
    state: dict[str, object] = {}

    def run(name: str, fn: Callable[[], str]) -> None:
        try:
            results.append(Check(name, True, fn()))
        except Exception as exc:  # every check reports; one failure does not hide the others
            results.append(Check(name, False, f"{type(exc).__name__}: {exc}" if not isinstance(exc, _Fail) else str(exc)))

    def parts() -> dict[str, bytes]:
        if "parts" not in state:
            with zipfile.ZipFile(path) as z:
                state["parts"] = _parts(z)
        return state["parts"]  # type: ignore[return-value]

    def modules() -> dict[str, str]:
        if "modules" not in state:
            state["modules"] = vba_modules(path)
        return state["modules"]  # type: ignore[return-value]

    run("zip utuh", lambda: _check_zip(path))
    run("content types", lambda: _check_content_types(parts()))
    run("relasi", lambda: _check_relationships(parts()))
    run("pyOpenVBA check_file", lambda: _check_pyopenvba(path))
    run("olevba membaca semua modul", lambda: _check_modules(modules()))
    run("customUI dan callback", lambda: _check_custom_ui(parts(), modules()))
    run("RunPython memanggil penangan yang ada", lambda: _check_runpython(modules()))
    run("pembungkus UDF = registri", lambda: _check_udf_wrappers(modules()))
    run("patokan versi xlwings", lambda: _check_xlwings_pin(modules()))
    run("konfigurasi hanya dari tempat tepercaya", lambda: _check_trusted_config(modules()))
    run("pesan berbahasa Indonesia", lambda: _check_messages(modules()))
    run("identitas add-in sendiri", lambda: _check_identity(parts(), path))
    return CheckReport(tuple(results))

