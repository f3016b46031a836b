"""An OPD workbook never chooses what the evaluator's PC runs (issue 11).

* The built add-in's VBA reads no setting from the active workbook or its folder: a static check
  of the shipped modules, and ``GetConfig`` run in pyOpenVBA's interpreter with a workbook that
  carries a (very hidden) ``sakip.conf`` sheet and a ``sakip.conf`` file beside it.  The
  operating-system access (module ``SakipBerkas``) is replaced by a double that serves files from
  memory and records every path touched; everything else runs as shipped.
* ``periksa`` and ``konsolidasi`` refuse a workbook with a sheet named like an add-in
  configuration (any visibility) or a VBA project inside an ``.xlsx``: ``BERBAHAYA`` at that sheet.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlwings
from pyopenvba import ExcelFile
from pyopenvba.apps.excel import ExcelApplication

from sakip_xl.addin.build import build_addin
from sakip_xl.addin.checks import check_addin
from sakip_xl.addin.vba import BERKAS_VBA_MODULE, KONFIG_VBA_MODULE, UDF_VBA_MODULE
from sakip_xl.addin.xlwings_vba import config_sources, english_messages
from sakip_xl.excel.reader import check_workbook
from sakip_xl.excel.template import write_workbook
from sakip_xl.models import OPDWorkbook, Profil

ROOT = Path(__file__).resolve().parents[1]
PROFILE = r"C:\Users\evaluator"
USER_CONF = PROFILE + r"\.sakip\sakip.conf"
GOOD_PY = r"C:\Python311\pythonw.exe"
EVIL_PY = r"\\server\share\evil\python.exe"

#: SakipBerkas replaced: files from memory, every access recorded (the shipped module is 5 one-liners)
FS_DOUBLE = r'''
Public Catatan As String
Private mFS As Object
Private Function FS() As Object
    If mFS Is Nothing Then Set mFS = CreateObject("Scripting.Dictionary")
    Set FS = mFS
End Function
Public Sub TaruhBerkas(ByVal berkas As String, ByVal isi As String)
    FS()(LCase$(berkas)) = isi
End Sub
Public Function SakipLingkungan(ByVal nama As String) As String
    If UCase$(nama) = "USERPROFILE" Then SakipLingkungan = "C:\Users\evaluator"
End Function
Public Function SakipAdaBerkas(ByVal berkas As String) As Boolean
    Catatan = Catatan & "ada " & berkas & "|"
    SakipAdaBerkas = FS().Exists(LCase$(berkas))
End Function
Public Function SakipAdaFolder(ByVal folder As String) As Boolean
    Catatan = Catatan & "folder " & folder & "|"
    SakipAdaFolder = FS().Exists(LCase$(folder))
End Function
Public Function SakipBacaTeks(ByVal berkas As String) As String
    Catatan = Catatan & "baca " & berkas & "|"
    If FS().Exists(LCase$(berkas)) Then SakipBacaTeks = FS()(LCase$(berkas))
End Function
Public Sub SakipTulisTeks(ByVal berkas As String, ByVal isi As String)
    Catatan = Catatan & "tulis " & berkas & "|"
    FS()(LCase$(berkas)) = isi
End Sub
Public Sub SakipHapusBerkas(ByVal berkas As String)
    Catatan = Catatan & "hapus " & berkas & "|"
End Sub
Public Function Akses() As String
    Akses = Catatan
End Function
'''


# --------------------------------------------------------------------------- fixtures
def add_sheet(src: Path, dst: Path, name: str, state: str | None = None,
              cells: dict[str, str] | None = None) -> Path:
    """A copy of ``src`` with one more worksheet ``name`` (inline-string cells), at the zip level."""
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    n = 1 + max(int(m) for m in re.findall(r"sheet(\d+)\.xml", " ".join(parts)))
    rows = "".join(
        f'<row r="{re.sub("[A-Z]", "", ref)}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        for ref, text in (cells or {}).items())
    parts[f"xl/worksheets/sheet{n}.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>").encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace("</Relationships>", f'<Relationship Id="rIdConf{n}" Type="http://schemas.openxmlformats.org/'
                        f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()
    ct = parts["[Content_Types].xml"].decode()
    ct = ct.replace("</Types>", f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    parts["[Content_Types].xml"] = ct.encode()
    wbxml = parts["xl/workbook.xml"].decode()
    st = f' state="{state}"' if state else ""
    wbxml = wbxml.replace("</sheets>", f'<sheet name="{name}" sheetId="{100 + n}"{st} r:id="rIdConf{n}"/></sheets>')
    parts["xl/workbook.xml"] = wbxml.encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in parts.items():
            z.writestr(k, v)
    return dst


def add_vba_project(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in parts.items():
            z.writestr(k, v)
    return dst


@pytest.fixture(scope="module")
def opd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_workbook(tmp_path_factory.mktemp("opd") / "opd.xlsx",
                          OPDWorkbook(profil=Profil(opd_kode="1.02", opd_nama="Dinas Kesehatan", tahun=2025)))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin") / "sakip.xlam").path


@pytest.fixture(scope="module")
def modules(built: Path) -> dict[str, str]:
    with ExcelFile(str(built)) as wb:
        return {n: wb.get_module(n) for n in wb.module_names()}


# --------------------------------------------------------------------------- the checker
@pytest.mark.parametrize(("name", "state"), [
    ("sakip.conf", "veryHidden"), ("xlwings.conf", None), ("_sakip.conf", "hidden"),
    ("MyAddin.CONF", "veryHidden"), ("main.py", "hidden"),
])
def test_a_sheet_named_like_an_addin_config_is_refused_at_that_sheet(
        opd: Path, tmp_path: Path, name: str, state: str | None) -> None:
    bad = add_sheet(opd, tmp_path / "opd_conf.xlsx", name, state,
                    {"A1": "INTERPRETER_WIN", "B1": EVIL_PY})
    wb, issues = check_workbook(bad)
    assert wb is None
    assert [(i.code, i.sheet) for i in issues] == [("BERBAHAYA", name)]
    assert "konfigurasi" in issues[0].message and issues[0].hint


def test_an_ordinary_extra_sheet_is_not_refused(opd: Path, tmp_path: Path) -> None:
    ok = add_sheet(opd, tmp_path / "opd_catatan.xlsx", "Catatan conf", "hidden", {"A1": "x"})
    wb, issues = check_workbook(ok)
    assert wb is not None and "BERBAHAYA" not in {i.code for i in issues}


def test_a_vba_project_in_an_xlsx_is_refused_but_in_an_xlsm_only_noted(opd: Path, tmp_path: Path) -> None:
    xlsx = add_vba_project(opd, tmp_path / "menyamar.xlsx")
    wb, issues = check_workbook(xlsx)
    assert wb is None and [i.code for i in issues] == ["BERBAHAYA"]
    assert "VBA" in issues[0].message
    xlsm = add_vba_project(opd, tmp_path / "bermakro.xlsm")
    wb, issues = check_workbook(xlsm)
    assert wb is not None and "MAKRO_DIABAIKAN" in {i.code for i in issues}
    assert "BERBAHAYA" not in {i.code for i in issues}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sakip_xl.cli", *args], capture_output=True, text=True,
                          check=False, cwd=ROOT)


def test_periksa_and_konsolidasi_report_it_as_a_user_sees_it(opd: Path, tmp_path: Path) -> None:
    folder = tmp_path / "masuk"
    folder.mkdir()
    add_sheet(opd, folder / "dinkes.xlsx", "sakip.conf", "veryHidden", {"A1": "INTERPRETER_WIN", "B1": EVIL_PY})
    (folder / "bappeda.xlsx").write_bytes(opd.read_bytes())
    proc = _cli("periksa", str(folder / "dinkes.xlsx"), "--json")
    assert proc.returncode != 0
    found = json.loads(proc.stdout)
    text = json.dumps(found, ensure_ascii=False)
    assert "BERBAHAYA" in text and "sakip.conf" in text
    out = tmp_path / "rekap.xlsx"
    proc = _cli("konsolidasi", str(folder), "-o", str(out), "--json", "-j", "1")
    assert proc.returncode == 3, proc.stderr
    import openpyxl

    masalah = [[str(v) for v in row] for row in openpyxl.load_workbook(out, read_only=True)["Masalah"].values]
    hits = [row for row in masalah if "BERBAHAYA" in row]
    assert len(hits) == 1 and "dinkes.xlsx" in " ".join(hits[0]) and "sakip.conf" in hits[0]


# --------------------------------------------------------------------------- the add-in's VBA
def test_the_built_addin_passes_the_trusted_config_and_identity_checks(built: Path) -> None:
    report = check_addin(built)
    assert report.ok, report.text()
    names = [c.name for c in report.checks]
    assert {"konfigurasi hanya dari tempat tepercaya", "pesan berbahasa Indonesia",
            "identitas add-in sendiri"} <= set(names)


def test_the_static_check_flags_xlwings_own_config_reader() -> None:
    """The check can fail: xlwings' template module reads the sheet and the folder."""
    template = Path(xlwings.__file__).with_name("quickstart_addin_ribbon.xlam")
    with ExcelFile(str(template)) as wb:
        original = {n: wb.get_module(n) for n in wb.module_names()}
    problems = config_sources(original)
    assert any("GetConfigFromSheet" in p for p in problems)
    assert any("GetDirectoryConfigFilePath" in p for p in problems)
    assert any("Could not find Interpreter" in m for m in english_messages(original["xlwings"]))


def test_no_english_message_and_no_config_sheet_in_the_addin(built: Path, modules: dict[str, str]) -> None:
    assert all(english_messages(code) == [] for code in modules.values())
    with zipfile.ZipFile(built) as z:
        workbook = z.read("xl/workbook.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert re.findall(r'<sheet [^>]*name="([^"]*)"', workbook) == ["SAKIP"]
    assert "INTERPRETER" not in strings and "conf" not in workbook.lower()


def _vba_app(modules: dict[str, str], active: Path) -> ExcelApplication:
    app = ExcelApplication()
    app.open_workbook(active)
    for name in ("xlwings", KONFIG_VBA_MODULE, UDF_VBA_MODULE):
        app.add_module(modules[name], name=name)
    app.add_module(FS_DOUBLE, name=BERKAS_VBA_MODULE)
    return app


def test_getconfig_ignores_a_config_sheet_and_a_config_file_beside_the_workbook(
        modules: dict[str, str], opd: Path, tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    evil = add_sheet(opd, folder / "opd_jahat.xlsx", "sakip.conf", "veryHidden",
                     {"A1": "INTERPRETER_WIN", "B1": EVIL_PY, "A2": "PYTHONPATH", "B2": r"\\server\share"})
    app = _vba_app(modules, evil)
    # precondition: the active workbook really carries the sheet GetConfig used to read first
    assert app.evaluate('ActiveWorkbook.Sheets("sakip.conf").Range("B1").Value') == EVIL_PY
    beside = str(folder / "sakip.conf")
    app.run("TaruhBerkas", beside, f'"INTERPRETER_WIN","{EVIL_PY}"\r\n')
    app.run("TaruhBerkas", USER_CONF,
            f'"INTERPRETER_WIN","{GOOD_PY}"\r\n"PYTHONPATH","%USERPROFILE%\\lib"\r\n"UDF MODULES","jahat"\r\n')
    assert app.run("GetConfig", "INTERPRETER_WIN") == GOOD_PY
    assert app.run("GetConfig", "PYTHONPATH") == PROFILE + r"\lib"
    # fixed by the add-in, whatever any file says
    assert app.run("GetConfig", "UDF MODULES") == "sakip_xl.addin.udfs"
    assert app.run("GetConfig", "ADD_WORKBOOK_TO_PYTHONPATH", "true") == "false"
    assert app.run("GetConfig", "CONDA PATH") == ""
    for _ in range(700):  # one recalculation of the UDF template: the file is not read again
        app.run("GetConfig", "INTERPRETER_WIN")
    touched = [a for a in str(app.run("Akses")).split("|") if a]
    assert touched == [f"ada {USER_CONF}", f"baca {USER_CONF}"]


def test_without_the_user_file_nothing_comes_from_the_workbook(
        modules: dict[str, str], opd: Path, tmp_path: Path) -> None:
    evil = add_sheet(opd, tmp_path / "opd_jahat.xlsx", "sakip.conf", "veryHidden",
                     {"A1": "INTERPRETER_WIN", "B1": EVIL_PY})
    app = _vba_app(modules, evil)
    assert app.run("GetConfig", "INTERPRETER_WIN", "") == ""
    assert app.run("GetConfig", "INTERPRETER", "pythonw") == "pythonw"


def test_preflight_says_in_indonesian_what_is_missing(modules: dict[str, str], opd: Path) -> None:
    app = _vba_app(modules, opd)
    app.run("SakipPemeriksaanAwal")
    (kind, prompt, title, _style), = app.dialogs
    assert title == "SAKIP" and USER_CONF in prompt and "sakip-xl addin install" in prompt
    app = _vba_app(modules, opd)
    app.run("TaruhBerkas", USER_CONF, f'"INTERPRETER_WIN","{GOOD_PY}"\r\n')
    app.run("TaruhBerkas", GOOD_PY, "")
    text = str(app.run("SakipMasalahAwal"))
    assert "xlwings64-" in text and "sakip_xl versi" in text
    from sakip_xl import __version__

    app = _vba_app(modules, opd)
    app.run("TaruhBerkas", USER_CONF, f'"INTERPRETER_WIN","{GOOD_PY}"\r\n"SAKIP_SITE_PACKAGES","C:\\sp"\r\n')
    app.run("TaruhBerkas", GOOD_PY, "")
    app.run("TaruhBerkas", rf"C:\Python311\xlwings64-{xlwings.__version__}.dll", "")
    app.run("TaruhBerkas", rf"C:\sp\sakip_xl-{__version__}.dist-info", "")
    assert app.run("SakipMasalahAwal") == ""
    app.run("SakipPemeriksaanAwal")
    assert app.dialogs == []  # silent when ready


def test_a_failed_udf_call_shows_pythonq_and_keeps_the_detail_out_of_the_cell(modules: dict[str, str]) -> None:
    assert modules[UDF_VBA_MODULE].count("SakipGalatSel(Err.Description)") == modules[UDF_VBA_MODULE].count("failed:")
    app = ExcelApplication()
    app.add_workbook()
    app.add_module(modules[KONFIG_VBA_MODULE], name=KONFIG_VBA_MODULE)
    app.add_module(modules[UDF_VBA_MODULE].replace('#Const App = "Microsoft Excel"', '#Const App = "x"'),
                   name=UDF_VBA_MODULE)
    app.add_module(FS_DOUBLE, name=BERKAS_VBA_MODULE)
    app.add_module("Public Const XLWINGS_VERSION As String = \"0\"\n", name="xlwings")
    assert app.run("SakipGalatSel", "Could not activate Python COM server, hr = -2147024894") == "#PYTHON?"
    assert f"tulis {PROFILE}" in str(app.run("Akses"))


def test_links_to_the_addin_saved_on_another_pc_are_redirected(modules: dict[str, str]) -> None:
    """A workbook saved on PC A links to PC A's add-in path (with its Windows user name): on open,
    the links to a file named sakip.xlam elsewhere are the ones redirected to this PC's add-in."""
    here = r"C:\Users\ani\AppData\Roaming\Microsoft\Excel\XLSTART\sakip.xlam"
    there = r"C:\Users\budi\AppData\Roaming\Microsoft\Excel\XLSTART\SAKIP.XLAM"
    app = ExcelApplication()
    app.add_workbook()
    app.add_module(modules[KONFIG_VBA_MODULE], name=KONFIG_VBA_MODULE)
    app.add_module(FS_DOUBLE, name=BERKAS_VBA_MODULE)
    app.add_module(
        "Function Asing(ByVal sini As String, ByVal sana As String) As String\n"
        "    Asing = Join(SakipTautanAsing(Array(sana, \"D:\\data\\anggaran.xlsx\", sini), \"sakip.xlam\", sini), \"|\")\n"
        "End Function\n"
        "Function TanpaTautan() As String\n"
        "    TanpaTautan = Join(SakipTautanAsing(Empty, \"sakip.xlam\", \"x\"), \"|\")\n"
        "End Function\n", name="Uji")
    assert app.run("Asing", here, there) == there
    assert app.run("TanpaTautan") == ""
    assert "SakipPerbaikiTautan wb" in modules["ThisWorkbook"] and "New SakipPeristiwa" in modules["ThisWorkbook"]
    assert "SakipPerbaikiTautan Wb" in modules["SakipPeristiwa"]
    assert "ChangeLink" in modules["SakipDialog"]
