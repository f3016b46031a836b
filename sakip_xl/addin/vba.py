"""The VBA text of the add-in.

* :func:`udf_module_source` - the module ``SakipUDF``: the wrappers xlwings generates for the
  UDFs of :mod:`sakip_xl.addin.udfs` (``Function SAKIP_CAPAIAN(...) = XLPy.CallUDF(...)``), and
  ``DaftarkanFungsiSakip``, which gives Excel's Insert Function dialog the registry's Indonesian
  descriptions (``Application.MacroOptions``; the add-in calls it from ``Workbook_Open``).
* :func:`procedures` - a small reader of VBA procedure headers, used to check that the wrappers
  match the Python signatures and that every ribbon ``onAction`` names a callback.
* :class:`Macros` - the hand-written sources (customUI XML, ribbon callbacks, ``ThisWorkbook``).
  Developers edit them in the repository's top-level ``macros/``; the package ships a copy as
  package data (``sakip_xl/addin/macros/``, refreshed by ``python3 tools/sync_macros.py``) so that
  ``sakip-xl addin build`` works from an installed wheel.  A test keeps the copy byte-identical,
  and a build from a checkout whose copy is stale is refused (:func:`stale_macros`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .. import __version__
from ..rules import RULES, Rule
from . import udfs
from .xlwings_meta import generate_wrapper, udf_tools

__all__ = [
    "UDF_MODULE",
    "UDF_VBA_MODULE",
    "RIBBON_VBA_MODULE",
    "REGISTER_SUB",
    "ADDIN_NAME",
    "PROJECT_NAME",
    "PROJECT_GUID",
    "KONFIG_VBA_MODULE",
    "BERKAS_VBA_MODULE",
    "DIALOG_VBA_MODULE",
    "EVENTS_VBA_CLASS",
    "Procedure",
    "Macros",
    "MACRO_FILES",
    "packaged_macros",
    "source_macros_dir",
    "stale_macros",
    "vba_string",
    "udf_wrapper_text",
    "registration_text",
    "udf_module_source",
    "procedures",
    "crlf",
]

#: Python module Excel imports for the UDFs (named in every wrapper).
UDF_MODULE = udfs.__name__
#: VBA module names inside the add-in.
UDF_VBA_MODULE = "SakipUDF"
RIBBON_VBA_MODULE = "RibbonSakip"
REGISTER_SUB = "DaftarkanFungsiSakip"
#: File name of the built add-in (also the xlwings project name: config ``.sakip\\sakip.conf``).
ADDIN_NAME = "sakip"
#: The add-in's own VBA project name and GUID (the template's are ``MyAddin`` and xlwings' GUID).
PROJECT_NAME = "SAKIP"
PROJECT_GUID = "{6F1C0A52-3B7D-5E4A-9C21-5A4B1D7E0C11}"
#: Hand-written modules: trusted configuration and preflight, and the operating-system access.
KONFIG_VBA_MODULE = "SakipKonfig"
BERKAS_VBA_MODULE = "SakipBerkas"
DIALOG_VBA_MODULE = "SakipDialog"
EVENTS_VBA_CLASS = "SakipPeristiwa"


def crlf(text: str) -> str:
    """Text with VBA's CRLF line ends."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def vba_string(text: str) -> str:
    """A VBA string expression for ``text`` (quotes doubled; non-ASCII through ``ChrW``)."""
    parts: list[str] = []
    run = ""
    for ch in text:
        if 32 <= ord(ch) < 127:
            run += '""' if ch == '"' else ch
        else:
            if run:
                parts.append(f'"{run}"')
                run = ""
            parts.append(f"ChrW({ord(ch)})")
    if run or not parts:
        parts.append(f'"{run}"')
    return " & ".join(parts)


def _udf_functions() -> list[object]:
    tools = udf_tools()
    return [udfs.make_udf(r, func=tools.xlfunc, arg=tools.xlarg) for r in RULES.values()]


def udf_wrapper_text(workbook_name: str = f"{ADDIN_NAME}.xlam") -> str:
    """The VBA wrappers as xlwings generates them for :mod:`sakip_xl.addin.udfs`, except that a
    failed call shows ``#PYTHON?`` (``SakipGalatSel``) instead of xlwings' English error text."""
    text = generate_wrapper(UDF_MODULE, _udf_functions(), workbook_name)
    failed = re.compile(r"^(    (\w+) = )Err\.Description$", re.M)
    if len(failed.findall(text)) != len(RULES):
        raise ValueError("pembungkus xlwings tidak dikenal: baris 'failed:' tidak ditemukan")
    return failed.sub(r"\1SakipGalatSel(Err.Description)", text)


def _register_call(rule: Rule) -> list[str]:
    macro = f"\"'\" & ThisWorkbook.Name & \"'!{rule.udf}\""
    lines = [
        f"    Application.MacroOptions Macro:={macro}, _",
        f"        Description:={vba_string(rule.doc[:255])}, _",
    ]
    if rule.params:
        lines.append(f"        Category:={vba_string(udfs.UDF_CATEGORY)}, _")
        docs = ", ".join(vba_string(p.doc[:255]) for p in rule.params)
        lines.append(f"        ArgumentDescriptions:=Array({docs})")
    else:
        lines.append(f"        Category:={vba_string(udfs.UDF_CATEGORY)}")
    return lines


def registration_text() -> str:
    """``Sub DaftarkanFungsiSakip``: registry help texts for Excel's Insert Function dialog."""
    out = [
        f"Public Sub {REGISTER_SUB}()",
        "    ' Deskripsi fungsi dan argumen (bahasa Indonesia) untuk dialog Insert Function.",
        "    ' Dibuat otomatis dari registri aturan sakip_xl.rules; jangan diubah manual.",
        "    On Error Resume Next",
    ]
    for rule in RULES.values():
        out.extend(_register_call(rule))
    out += ["    On Error GoTo 0", "End Sub", ""]
    return "\n".join(out)


def udf_module_source(workbook_name: str = f"{ADDIN_NAME}.xlam") -> str:
    """The whole ``SakipUDF`` module (CRLF line ends)."""
    head = "\n".join([
        f'Attribute VB_Name = "{UDF_VBA_MODULE}"',
        "' Fungsi lembar kerja =SAKIP_*: dibuat otomatis oleh 'sakip-xl addin build'",
        f"' (pembungkus xlwings {udf_tools().version} + registri aturan). Jangan diubah manual.",
        '#Const App = "Microsoft Excel"',
        "",
        "' Versi paket sakip_xl yang dibutuhkan add-in ini (diperiksa saat Excel dibuka).",
        f'Public Const SAKIP_VERSI_ADDIN As String = "{__version__}"',
        f'Public Const SAKIP_MODUL_UDF As String = "{UDF_MODULE}"',
        "",
    ])
    return crlf(head + "\n" + udf_wrapper_text(workbook_name) + registration_text())


# --------------------------------------------------------------------------- reading VBA
@dataclass(frozen=True)
class Procedure:
    name: str
    kind: str  # "Sub" | "Function"
    params: tuple[tuple[str, str | None, bool], ...]  # (name, type or None, optional)
    private: bool


_HEADER = re.compile(
    r"^[ \t]*(?P<scope>Public[ \t]+|Private[ \t]+|Friend[ \t]+)?(?:Static[ \t]+)?"
    r"(?P<kind>Sub|Function)[ \t]+(?P<name>\w+)[ \t]*\((?P<params>[^)]*)\)",
    re.IGNORECASE | re.MULTILINE,
)
_PARAM = re.compile(
    r"^(?P<opt>Optional\s+)?(?:ByVal\s+|ByRef\s+)?(?:ParamArray\s+)?(?P<name>\w+)(?:\(\))?"
    r"(?:\s+As\s+(?P<type>[\w.]+))?(?:\s*=.*)?$",
    re.IGNORECASE,
)


def procedures(source: str) -> dict[str, Procedure]:
    """Procedure headers of a VBA module, by lower-case name (line continuations joined)."""
    text = re.sub(r"[ \t]+_\r?\n", " ", source)
    found: dict[str, Procedure] = {}
    for m in _HEADER.finditer(text):
        params: list[tuple[str, str | None, bool]] = []
        for raw in (s.strip() for s in m.group("params").split(",")):
            if not raw:
                continue
            pm = _PARAM.match(raw)
            if pm is None:
                raise ValueError(f"parameter VBA tidak terbaca: {raw!r}")
            params.append((pm.group("name"), pm.group("type"), bool(pm.group("opt"))))
        found[m.group("name").lower()] = Procedure(
            name=m.group("name"),
            kind=m.group("kind").capitalize(),
            params=tuple(params),
            private=(m.group("scope") or "").strip().lower() == "private",
        )
    return found


# --------------------------------------------------------------------------- macros/
#: The hand-written macro sources, in ``macros/`` and in the package's copy.
MACRO_FILES = ("customUI.xml", f"{RIBBON_VBA_MODULE}.bas", "ThisWorkbook.cls",
               f"{KONFIG_VBA_MODULE}.bas", f"{BERKAS_VBA_MODULE}.bas", f"{DIALOG_VBA_MODULE}.bas",
               f"{EVENTS_VBA_CLASS}.cls")


def packaged_macros() -> Traversable:
    """The macro sources shipped as package data (``sakip_xl/addin/macros``), read with importlib.resources."""
    return resources.files(__package__).joinpath("macros")


def source_macros_dir() -> Path | None:
    """The top-level ``macros/`` of a source checkout (where the sources are edited), else None."""
    root = Path(__file__).resolve().parents[2]
    d = root / "macros"
    return d if (root / "pyproject.toml").is_file() and d.is_dir() else None


def stale_macros() -> list[str]:
    """Files of the checkout's ``macros/`` that the package's copy does not hold byte for byte.

    Empty in an installed package (no checkout) and when the copy is current.
    """
    src = source_macros_dir()
    if src is None:
        return []
    copy = packaged_macros()
    stale = []
    for name in MACRO_FILES:
        packaged = copy.joinpath(name)
        if not packaged.is_file() or packaged.read_bytes() != (src / name).read_bytes():
            stale.append(name)
    return stale


@dataclass(frozen=True)
class Macros:
    custom_ui: bytes  #: customUI XML (tab SAKIP)
    ribbon: str  #: VBA module of ribbon callbacks (``RibbonSakip.bas``)
    this_workbook: str  #: body of the ``ThisWorkbook`` document module
    konfig: str  #: ``SakipKonfig.bas``: trusted configuration (once per session), preflight, errors
    berkas: str  #: ``SakipBerkas.bas``: environment and file access
    dialog: str  #: ``SakipDialog.bas``: Excel's folder/file dialogs, Protected View, open workbooks
    peristiwa: str  #: ``SakipPeristiwa.cls``: application events (link repair of each opened workbook)

    @classmethod
    def load(cls, directory: Path | None = None) -> Macros:
        """The sources in ``directory``, or (None) those shipped in the installed package."""
        d: Traversable = directory if directory is not None else packaged_macros()
        return cls(
            custom_ui=d.joinpath("customUI.xml").read_bytes(),
            ribbon=crlf(d.joinpath(f"{RIBBON_VBA_MODULE}.bas").read_text(encoding="utf-8")),
            this_workbook=crlf(d.joinpath("ThisWorkbook.cls").read_text(encoding="utf-8")),
            konfig=crlf(d.joinpath(f"{KONFIG_VBA_MODULE}.bas").read_text(encoding="utf-8")),
            berkas=crlf(d.joinpath(f"{BERKAS_VBA_MODULE}.bas").read_text(encoding="utf-8")),
            dialog=crlf(d.joinpath(f"{DIALOG_VBA_MODULE}.bas").read_text(encoding="utf-8")),
            peristiwa=crlf(d.joinpath(f"{EVENTS_VBA_CLASS}.cls").read_text(encoding="utf-8")),
        )
