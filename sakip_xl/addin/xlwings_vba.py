"""The vendored xlwings VBA module (``xlwings`` in the template add-in), made safe for untrusted workbooks.

xlwings' own ``GetConfig`` reads every setting first from a sheet ``<project>.conf`` of the
*active workbook* (very hidden sheets included), then from a ``<project>.conf`` file in that
workbook's folder, and only then from the user's file; ``XLPyLoadDLL`` then loads the xlwings DLL
from the folder of the interpreter so chosen.  An OPD workbook could thus make the evaluator's PC
load a DLL and run a program of its choice.  The add-in ships the template's module with a few
exact, counted edits (:data:`PATCHES`; the build refuses a template where one does not apply):

* ``GetConfig`` asks ``SakipKonfigNilai`` (``macros/SakipKonfig.bas``): fixed values of the add-in,
  then ``%USERPROFILE%\\.sakip\\sakip.conf``, read once per Excel session; ``GetConfigFromSheet``
  and ``GetDirectoryConfigFilePath`` are removed;
* sheets named ``*.py`` of the active workbook are never treated as embedded code;
* xlwings' English messages (``Could not find Interpreter!``, ``Could not load xlwings64-...dll``,
  the ``Error`` pop-up with a traceback) become Indonesian ones; the technical detail goes to
  ``%USERPROFILE%\\.sakip\\galat-terakhir.txt``;
* comments after ``#If``/``#Const`` directives are moved off the directive line (VBA accepts both;
  pyOpenVBA's interpreter, which the tests run the module in, only the latter).

:func:`config_sources` is the static check of the result: which procedures of a module read
settings from the active workbook, its sheets or its folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Patch", "PATCHES", "PatchError", "patch_xlwings_module", "config_sources",
           "english_messages", "procedure_body"]


class PatchError(ValueError):
    """The template's VBA is not the one the patches were written for."""


@dataclass(frozen=True)
class Patch:
    name: str
    pattern: str  #: regular expression (re.S | re.M) over the module text (CRLF line ends)
    replacement: str
    count: int = 1


_GET_CONFIG = (
    "Function GetConfig(configKey As String, Optional default As String = \"\", "
    "Optional source As String = \"\") As Variant\r\n"
    "    ' SAKIP: hanya dari sumber tepercaya, sekali per sesi Excel (modul SakipKonfig). Lembar\r\n"
    "    ' *.conf dan folder workbook aktif tidak pernah dibaca; 'source' diabaikan.\r\n"
    "    GetConfig = SakipKonfigNilai(configKey, default)\r\n"
    "End Function"
)
_SHOW_ERROR = (
    "Sub ShowError(FileName As String, Optional Message As String = \"\")\r\n"
    "    ' SAKIP: pesan bahasa Indonesia (SakipTampilkanGalat); rincian teknis ke berkas galat.\r\n"
    "    Dim Content As String\r\n"
    "    Content = Message\r\n"
    "    If Content = \"\" Then\r\n"
    "        On Error Resume Next\r\n"
    "        Content = ReadFile(FileName)\r\n"
    "        On Error GoTo 0\r\n"
    "    End If\r\n"
    "    SakipTampilkanGalat Content\r\n"
    "End Sub"
)
_LOAD_DLL_ERROR = (
    "Err.Raise 1, Description:= _\r\n"
    "                    \"DLL \" + XLPyDLLName + \" tidak ditemukan di \" + ParentFolder(PYTHON_WIN) _\r\n"
    "                    + \" maupun \" + ParentFolder(ParentFolder(PYTHON_WIN)) _\r\n"
    "                    + \". Jalankan 'sakip-xl addin install' lagi.\""
)

PATCHES: tuple[Patch, ...] = (
    Patch("GetConfig: hanya sumber tepercaya",
          r"^Function GetConfig\(configKey As String.*?^End Function", _GET_CONFIG),
    Patch("GetConfigFromSheet dihapus",
          r"^Function GetConfigFromSheet\(wb As Workbook\).*?^End Function",
          "' SAKIP: GetConfigFromSheet dihapus (pengaturan tidak pernah dibaca dari lembar workbook)."),
    Patch("GetDirectoryConfigFilePath dihapus",
          r"^Function GetDirectoryConfigFilePath\(\) As String.*?^End Function",
          "' SAKIP: GetDirectoryConfigFilePath dihapus (folder workbook aktif tidak pernah dibaca)."),
    Patch("lembar *.py bukan kode tertanam",
          r'Right\$\(sht\.Name, 3\) = "\.py"', "False", count=2),
    Patch("ShowError berbahasa Indonesia",
          r"^Sub ShowError\(FileName As String.*?^End Sub", _SHOW_ERROR),
    Patch("interpreter tidak ditemukan",
          r'MsgBox "Could not find Interpreter!", vbCritical',
          "MsgBox \"Python untuk add-in SAKIP tidak ditemukan: \" & PYTHON_WIN & \". Jalankan "
          "'sakip-xl addin install' lagi.\", vbCritical, \"SAKIP\""),
    Patch("DLL tidak ditemukan",
          r'Err\.Raise 1, Description:= _\s*"Could not load " \+ XLPyDLLName.*?ParentFolder\(ParentFolder\(PYTHON_WIN\)\)',
          _LOAD_DLL_ERROR),
    Patch("kode tertanam",
          r'MsgBox "Embedded code requires a valid LICENSE_KEY\."',
          "MsgBox \"Kode Python tertanam tidak didukung add-in SAKIP.\", vbCritical, \"SAKIP\""),
    Patch("conda lama",
          r'MsgBox "Your Conda version seems to be too old for the Conda settings\. Use the Interpreter setting instead\."',
          "MsgBox \"Versi conda terlalu lama: isi INTERPRETER_WIN di sakip.conf.\", vbCritical, \"SAKIP\""),
    Patch("RunPython Mac",
          r'MsgBox "To enable RunPython, please run \'xlwings runpython install\' in a terminal once and try again\.", vbCritical',
          "MsgBox \"Add-in SAKIP hanya untuk Excel di Windows.\", vbCritical, \"SAKIP\""),
    Patch("fitur Mac",
          r'MsgBox "This functionality is not yet supported on Mac\." & vbNewLine & _\s*'
          r'"Please run your scripts directly in Python!", vbCritical \+ vbOKOnly, "Unsupported Feature"',
          "MsgBox \"Add-in SAKIP hanya untuk Excel di Windows.\", vbCritical, \"SAKIP\""),
)

_DIRECTIVE_COMMENT = re.compile(r"^([ \t]*#(?:If|ElseIf|Else|End If|Const)\b[^'\r\n]*?)[ \t]*('[^\r\n]*)$",
                                re.M)


def _directive_comments(text: str) -> str:
    return _DIRECTIVE_COMMENT.sub(lambda m: f"{m.group(2)}\r\n{m.group(1)}", text)


def _literal(text: str) -> Callable[[re.Match[str]], str]:
    return lambda _m: text


def patch_xlwings_module(source: str) -> str:
    """The template's ``xlwings`` module with every patch applied (each exactly ``count`` times)."""
    text = source
    for p in PATCHES:
        rx = re.compile(p.pattern, re.S | re.M)
        found = len(rx.findall(text))
        if found != p.count:
            raise PatchError(f"{p.name}: {found} tempat cocok di VBA xlwings, diharapkan {p.count}")
        text = rx.sub(_literal(p.replacement), text)
    return _directive_comments(text)


_PROC = re.compile(
    r"^[ \t]*(?:Public[ \t]+|Private[ \t]+|Friend[ \t]+)?(?:Static[ \t]+)?(Sub|Function|Property[ \t]+\w+)"
    r"[ \t]+(\w+)\b.*?^[ \t]*End[ \t]+(?:Sub|Function|Property)\b",
    re.S | re.M | re.I,
)


def procedure_body(source: str, name: str) -> str | None:
    """The text of procedure ``name`` (header to ``End``), or None."""
    for m in _PROC.finditer(source):
        if m.group(2).lower() == name.lower():
            return m.group(0)
    return None


#: what reads settings from the workbook or its folder: its sheets, cells, path or a .conf beside it
_UNTRUSTED = re.compile(
    r"GetConfigFromSheet|GetDirectoryConfigFilePath|\bSheetExists\b|\.Sheets\b|\.Worksheets\b|"
    r"ActiveWorkbook|ThisWorkbook|GetDirectoryPath|GetFullName|\.Range\b|\bCells\b",
    re.I,
)


def _strip_comments(code: str) -> str:
    out = []
    for line in code.splitlines():
        s = line.strip()
        if s.startswith("'") or s.lower().startswith("rem "):
            continue
        out.append(re.sub(r"'[^\"]*$", "", line))
    return "\n".join(out)


def config_sources(modules: dict[str, str]) -> list[str]:
    """Why the configuration is not trusted-only: every procedure on the config path (``GetConfig``
    and what it calls in ``SakipKonfig``) that reads the workbook, its sheets or its folder, and
    every reader of a file other than the user's config file.  Empty when safe."""
    problems: list[str] = []
    xl = modules.get("xlwings", "")
    get_config = procedure_body(xl, "GetConfig")
    if get_config is None:
        return ["GetConfig tidak ada di modul xlwings"]
    body = _strip_comments(get_config)
    if _UNTRUSTED.search(body) or re.search(r"\bOpen\b|FileExists|GetConfigFromFile", body, re.I):
        problems.append("GetConfig membaca selain SakipKonfigNilai")
    if "SakipKonfigNilai" not in body:
        problems.append("GetConfig tidak memakai SakipKonfigNilai")
    for gone in ("GetConfigFromSheet", "GetDirectoryConfigFilePath"):
        if procedure_body(xl, gone) is not None:
            problems.append(f"{gone} masih ada di modul xlwings")
    konfig = modules.get("SakipKonfig", "")
    if not konfig:
        problems.append("modul SakipKonfig tidak ada")
    for m in _PROC.finditer(konfig):
        code = _strip_comments(m.group(0))
        if _UNTRUSTED.search(code):
            problems.append(f"SakipKonfig.{m.group(2)} menyentuh workbook")
        for call in re.findall(r"SakipBacaTeks\(([^)]*)\)", code):
            if call.strip() != "berkas":
                problems.append(f"SakipKonfig.{m.group(2)} membaca berkas lain: {call}")
    callers = re.findall(r"^\s*(?:If [^\r\n]*Then )?BacaBerkasPengguna\s+(.+?)\s*$", _strip_comments(konfig), re.M)
    if callers != ["berkas"] or "berkas = SakipBerkasKonfig()" not in konfig:
        problems.append(f"SakipKonfig membaca berkas selain konfigurasi pengguna: {callers}")
    if not re.search(r'SakipBerkasKonfig = SakipLingkungan\("USERPROFILE"\) & "\\\.sakip\\sakip\.conf"', konfig):
        problems.append("berkas konfigurasi bukan %USERPROFILE%\\.sakip\\sakip.conf")
    return problems


_MESSAGE_CALL = re.compile(r"\b(?:MsgBox|Popup|Err\.Raise\b[^\r\n]*Description:=)[^\r\n]*(?: _\r?\n[^\r\n]*)*", re.I)
_ENGLISH = re.compile(r"\b(?:the|could|not|please|requires|your|error|found|load|failed|press|"
                      r"invalid|use|setting|instead|supported|unsupported)\b", re.I)


def english_messages(source: str) -> list[str]:
    """String literals of message boxes, pop-ups and raised errors that read as English."""
    found = []
    for m in _MESSAGE_CALL.finditer(_strip_comments(source)):
        for lit in re.findall(r'"((?:[^"]|"")*)"', m.group(0)):
            if _ENGLISH.search(lit):
                found.append(lit)
    return found
