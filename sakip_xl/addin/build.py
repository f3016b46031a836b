"""``sakip-xl addin build``: the SAKIP ``.xlam`` from xlwings' ribbon add-in template.

The template is ``quickstart_addin_ribbon.xlam`` of the installed (pinned) xlwings: a ribbon
add-in whose VBA module ``xlwings`` carries ``RunPython``, the config reader and the
``Declare ... Lib "xlwings64-<version>.dll"`` lines.  The build

1. checks that the template's VBA is of the pinned xlwings version (the DLL name depends on it);
2. replaces the VBA with ours (pyOpenVBA, no Excel): the template's ribbon module is removed,
   ``RibbonSakip``, ``SakipKonfig``, ``SakipBerkas`` and ``SakipDialog`` (``macros/``) and the generated
   ``SakipUDF`` are added, ``ThisWorkbook`` gets ``macros/ThisWorkbook.cls``, the xlwings project
   name becomes ``sakip`` (config file ``%USERPROFILE%\\.sakip\\sakip.conf``) and the vendored
   ``xlwings`` module gets the counted edits of :mod:`sakip_xl.addin.xlwings_vba` (settings only
   from trusted places, read once per session; Indonesian messages);
3. gives the add-in its own identity: the VBA project ``MyAddin`` becomes ``SAKIP`` with its own
   GUID (PROJECT and dir streams), the workbook its own code-name GUID, and the template's
   inactive ``_myaddin.conf`` sheet becomes an empty sheet ``SAKIP`` (an add-in needs one sheet);
4. repackages the zip with ``macros/customUI.xml`` as the ribbon, in a fixed order with fixed
   timestamps, so the same inputs give the same bytes;
5. runs every check of :mod:`sakip_xl.addin.checks` and refuses to leave a failing add-in.

The macro sources come from the installed package (its copy of ``macros/``, see
:mod:`sakip_xl.addin.vba`), so the build needs no source checkout; ``macros_dir`` overrides them.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import xlwings
from defusedxml import ElementTree as ET
from pyopenvba import ExcelFile
from pyopenvba.cfb import CFB
from pyopenvba.vba import VBAModuleKind, compress, decompress

from ..errors import SakipError
from .checks import CheckReport, check_addin
from .vba import (
    ADDIN_NAME,
    BERKAS_VBA_MODULE,
    DIALOG_VBA_MODULE,
    EVENTS_VBA_CLASS,
    KONFIG_VBA_MODULE,
    MACRO_FILES,
    PROJECT_GUID,
    PROJECT_NAME,
    RIBBON_VBA_MODULE,
    UDF_VBA_MODULE,
    Macros,
    crlf,
    stale_macros,
    udf_module_source,
)
from .xlwings_vba import PatchError, patch_xlwings_module

__all__ = ["AddinBuildError", "BuildResult", "template_path", "build_addin", "ZIP_DATE"]

#: Timestamp of every zip member (as XlsxWriter does): builds do not depend on the clock.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_EXTENSIBILITY = "relationships/ui/extensibility"
_TEMPLATE_PROJECT = "myaddin"


class AddinBuildError(SakipError, RuntimeError):
    """The add-in cannot be built, or the built add-in fails a check."""

    code = "ADDIN_BUILD"


@dataclass(frozen=True)
class BuildResult:
    path: Path
    size: int
    sha256: str
    xlwings_version: str
    modules: tuple[str, ...]
    report: CheckReport


def template_path() -> Path:
    """The ribbon add-in template shipped inside the installed xlwings package."""
    return Path(xlwings.__file__).with_name("quickstart_addin_ribbon.xlam")


def _xlwings_module(source: str) -> str:
    version = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', source)
    if version is None or version.group(1) != xlwings.__version__:
        found = version.group(1) if version else "?"
        raise AddinBuildError(
            f"Template add-in memuat VBA xlwings {found}, padahal xlwings terpasang {xlwings.__version__}.",
            hint="Pasang ulang xlwings dengan versi yang dipatok di pyproject.toml.",
        )
    old = f'PROJECT_NAME As String = "{_TEMPLATE_PROJECT}"'
    if source.count(old) != 1:
        raise AddinBuildError("Template add-in xlwings tidak dikenal: PROJECT_NAME tidak ditemukan.")
    try:
        return patch_xlwings_module(source.replace(old, f'PROJECT_NAME As String = "{ADDIN_NAME}"'))
    except PatchError as exc:
        raise AddinBuildError(f"Template add-in xlwings tidak dikenal: {exc}") from exc


def _this_workbook(template_source: str, body: str) -> str:
    header = [ln for ln in crlf(template_source).split("\r\n") if ln.startswith("Attribute ")]
    return "\r\n".join(header) + "\r\n" + body


def _replace_vba(src: Path, dst: Path, macros: Macros, workbook_name: str) -> None:
    with ExcelFile(str(src)) as wb:
        project = wb.vba_project()
        names = wb.module_names()
        for name in names:
            if name.lower().startswith("ribbon"):
                project.delete_module(name)
        if "xlwings" not in names or "ThisWorkbook" not in names:
            raise AddinBuildError("Template add-in xlwings tidak dikenal: modul xlwings/ThisWorkbook tidak ada.")
        wb.set_module("xlwings", _xlwings_module(wb.get_module("xlwings")))
        wb.set_module("ThisWorkbook", _this_workbook(wb.get_module("ThisWorkbook"), macros.this_workbook))
        project.add_module(RIBBON_VBA_MODULE, macros.ribbon)
        project.add_module(KONFIG_VBA_MODULE, macros.konfig)
        project.add_module(BERKAS_VBA_MODULE, macros.berkas)
        project.add_module(DIALOG_VBA_MODULE, macros.dialog)
        project.add_module(EVENTS_VBA_CLASS, macros.peristiwa, kind=VBAModuleKind.other)
        project.add_module(UDF_VBA_MODULE, udf_module_source(workbook_name))
        wb.save(str(dst))


def _custom_ui_part(rels: bytes) -> str:
    root = ET.fromstring(rels)
    for rel in root:
        if rel.get("Type", "").endswith(_EXTENSIBILITY):
            return posixpath.normpath(rel.get("Target", "").lstrip("/"))
    raise AddinBuildError("Template add-in tidak memiliki bagian customUI.")


def _project_identity(vba_bin: bytes) -> bytes:
    """The VBA project renamed ``MyAddin`` -> :data:`PROJECT_NAME`, with :data:`PROJECT_GUID`."""
    cfb = CFB.from_bytes(vba_bin)
    text = cfb.get_stream("PROJECT").decode("cp1252")
    text, n_id = re.subn(r'^ID="\{[0-9A-Fa-f-]+\}"', f'ID="{PROJECT_GUID}"', text, count=1, flags=re.M)
    text, n_name = re.subn(r'^Name="[^"]*"', f'Name="{PROJECT_NAME}"', text, count=1, flags=re.M)
    if n_id != 1 or n_name != 1:
        raise AddinBuildError("Template add-in xlwings tidak dikenal: ID/Name proyek VBA tidak ditemukan.")
    cfb.write_stream("PROJECT", text.encode("cp1252"))
    raw = decompress(cfb.get_stream_in_storage("VBA", "dir"), stream_name="dir")
    at = 0
    while at + 6 <= len(raw):  # the information records before PROJECTNAME have plain sizes
        rid = int.from_bytes(raw[at:at + 2], "little")
        size = int.from_bytes(raw[at + 2:at + 6], "little")
        if rid == 0x0004:  # PROJECTNAME
            name = PROJECT_NAME.encode("ascii")
            raw = raw[:at + 2] + len(name).to_bytes(4, "little") + name + raw[at + 6 + size:]
            break
        at += 6 + size
    else:
        raise AddinBuildError("Template add-in xlwings tidak dikenal: PROJECTNAME tidak ditemukan.")
    cfb.write_stream_in_storage("VBA", "dir", compress(raw))
    return cfb.to_bytes()


_EMPTY_SST = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
              b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>')


def _empty_sheet(xml: bytes) -> bytes:
    """The template's config sheet with no cells (code name and page setup kept)."""
    text = xml.decode("utf-8")
    text = re.sub(r"<sheetData>.*</sheetData>", "<sheetData />", text, flags=re.S)
    text = re.sub(r'<dimension ref="[^"]*" />', '<dimension ref="A1" />', text)
    text = re.sub(r'<selection [^>]*/>', "", text)
    return text.encode("utf-8")


def _repackage(src: Path, dst: Path, custom_ui: bytes) -> None:
    with zipfile.ZipFile(src) as zin:
        parts = {i.filename: zin.read(i) for i in zin.infolist()}
    ui_part = _custom_ui_part(parts["_rels/.rels"])
    parts[ui_part] = custom_ui
    parts["xl/vbaProject.bin"] = _project_identity(parts["xl/vbaProject.bin"])
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    conf = f'name="_{_TEMPLATE_PROJECT}.conf"'
    if workbook.count(conf) != 1 or len(re.findall(r"<sheet ", workbook)) != 1:
        raise AddinBuildError("Template add-in xlwings tidak dikenal: lembar konfigurasinya tidak ditemukan.")
    workbook = workbook.replace(conf, 'name="SAKIP"')
    workbook = re.sub(r'codeName="\{[0-9A-Fa-f-]+\}"', f'codeName="{PROJECT_GUID}"', workbook)
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = _empty_sheet(parts[sheet])
    if "xl/sharedStrings.xml" in parts:
        parts["xl/sharedStrings.xml"] = _EMPTY_SST
    workbook = re.sub(r"<mc:AlternateContent\b.*?</mc:AlternateContent>", "", workbook, flags=re.S)
    parts["xl/workbook.xml"] = workbook.encode("utf-8")
    order = ["[Content_Types].xml"] + [n for n in parts if n != "[Content_Types].xml"]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            zout.writestr(info, parts[name], compresslevel=6)
    dst.write_bytes(buf.getvalue())


def _load_macros(directory: Path | None) -> Macros:
    if directory is None and (stale := stale_macros()):
        raise AddinBuildError(
            f"Salinan macros di paket (sakip_xl/addin/macros) berbeda dari macros/: {', '.join(stale)}.",
            hint="Jalankan 'python3 tools/sync_macros.py' setelah mengubah berkas di macros/.")
    if directory is not None:
        missing = [n for n in MACRO_FILES if not (directory / n).is_file()]
        if missing:
            raise AddinBuildError(f"Folder macros {directory} tidak memuat {', '.join(missing)}.")
    return Macros.load(directory)


def build_addin(out: str | Path, *, macros_dir: str | Path | None = None,
                template: str | Path | None = None, check: bool = True) -> BuildResult:
    """Build the add-in at ``out`` (``.xlam``); raise :class:`AddinBuildError` if a check fails."""
    out = Path(out)
    if out.suffix.lower() != ".xlam":
        raise AddinBuildError(f"Berkas add-in harus berakhiran .xlam, bukan {out.name!r}.")
    macros = _load_macros(Path(macros_dir) if macros_dir else None)
    src = Path(template) if template else template_path()
    if not src.is_file():
        raise AddinBuildError(f"Template add-in xlwings tidak ditemukan: {src}")
    with tempfile.TemporaryDirectory(prefix="sakip-addin-") as tmp:
        work = Path(tmp) / "template.xlam"
        shutil.copyfile(src, work)
        edited = Path(tmp) / "vba.xlam"
        _replace_vba(work, edited, macros, f"{ADDIN_NAME}.xlam")
        packaged = Path(tmp) / f"{ADDIN_NAME}.xlam"
        _repackage(edited, packaged, macros.custom_ui)
        report = check_addin(packaged) if check else CheckReport(())
        if check and not report.ok:
            raise AddinBuildError("Add-in hasil build gagal diperiksa:\n" + report.text())
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(packaged, out)
    data = out.read_bytes()
    with ExcelFile(str(out)) as wb:
        modules = tuple(wb.module_names())
    return BuildResult(
        path=out, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        xlwings_version=xlwings.__version__, modules=modules, report=report,
    )
