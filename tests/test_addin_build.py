"""The built add-in (``sakip-xl addin build``), checked as a file: no Excel runs here.

Each property is checked directly (zip, content types, customUI, callbacks, pyOpenVBA, olevba,
version pin), and broken inputs show that the build's own checks can fail.
"""

from __future__ import annotations

import re
import shutil
import tomllib
import zipfile
from pathlib import Path

import pytest
import xlwings
from defusedxml import ElementTree as ET
from pyopenvba import ExcelFile, check_file

from sakip_xl.addin import checks
from sakip_xl.addin.build import ZIP_DATE, AddinBuildError, build_addin, template_path
from sakip_xl.addin.vba import (
    RIBBON_VBA_MODULE,
    UDF_VBA_MODULE,
    procedures,
    registration_text,
)
from sakip_xl.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
MACROS = ROOT / "macros"  # the sources developers edit (the package ships a copy)
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@pytest.fixture(scope="module")
def addin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("addin") / "dist" / "sakip.xlam"
    res = build_addin(out)
    assert res.report.ok, res.report.text()
    return out


@pytest.fixture(scope="module")
def parts(addin: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(addin) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


@pytest.fixture(scope="module")
def modules(addin: Path) -> dict[str, str]:
    return checks.vba_modules(addin)


def test_every_check_passes_and_each_one_ran(addin: Path) -> None:
    report = checks.check_addin(addin)
    assert report.ok, report.text()
    assert len(report.checks) == 12


def test_build_is_reproducible(addin: Path, tmp_path: Path) -> None:
    again = build_addin(tmp_path / "again.xlam")
    assert again.path.read_bytes() == addin.read_bytes()


def test_zip_members_have_fixed_dates_and_content_types_come_first(addin: Path) -> None:
    with zipfile.ZipFile(addin) as z:
        infos = z.infolist()
        assert z.testzip() is None
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {ZIP_DATE}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_content_types_cover_every_part(parts: dict[str, bytes]) -> None:
    root = ET.fromstring(parts["[Content_Types].xml"])
    defaults = {d.get("Extension") for d in root.iter(f"{CT}Default")}
    overrides = {o.get("PartName"): o.get("ContentType") for o in root.iter(f"{CT}Override")}
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
    for name in parts:
        if name != "[Content_Types].xml":
            assert f"/{name}" in overrides or name.rsplit(".", 1)[1] in defaults, name


def test_custom_ui_is_ours_well_formed_with_unique_ids(parts: dict[str, bytes]) -> None:
    xml = parts["customUI/customUI.xml"]
    assert xml == (MACROS / "customUI.xml").read_bytes()
    root = ET.fromstring(xml)
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    tabs = [el for el in root.iter() if el.tag.endswith("}tab")]
    assert [t.get("label") for t in tabs] == ["SAKIP"]
    labels = [el.get("label") for el in root.iter() if el.tag.endswith("}button")]
    assert labels == ["Periksa Workbook", "Hitung Ulang", "Ubah Varian", "Konsolidasi Folder", "Template Baru",
                      "Bantuan"]


def test_every_on_action_is_a_public_sub_taking_an_iribboncontrol(parts: dict[str, bytes],
                                                                   modules: dict[str, str]) -> None:
    _ids, actions = checks.custom_ui_actions(parts["customUI/customUI.xml"])
    ribbon = procedures(modules[RIBBON_VBA_MODULE])
    assert len(actions) == 6
    for action in actions.values():
        proc = ribbon[action.lower()]
        assert proc.kind == "Sub" and not proc.private
        assert [(t or "").lower() for _n, t, _o in proc.params] == ["iribboncontrol"]


def test_pyopenvba_file_check_passes(addin: Path) -> None:
    report = check_file(str(addin))
    assert report.ok and report.complete, report.issues


def test_olevba_parses_every_module_and_the_template_ribbon_is_gone(modules: dict[str, str]) -> None:
    assert {"ThisWorkbook", "xlwings", RIBBON_VBA_MODULE, UDF_VBA_MODULE} <= set(modules)
    assert "RibbonMyAddin" not in modules
    assert modules[RIBBON_VBA_MODULE].strip() and modules[UDF_VBA_MODULE].strip()
    assert "DaftarkanFungsiSakip" in modules["ThisWorkbook"] and "Workbook_Open" in modules["ThisWorkbook"]


def test_pyopenvba_reads_back_the_modules_we_wrote(addin: Path) -> None:
    with ExcelFile(str(addin)) as wb:
        ribbon = wb.get_module(RIBBON_VBA_MODULE)
    source = (MACROS / "RibbonSakip.bas").read_text(encoding="utf-8")
    assert ribbon.replace("\r\n", "\n").strip() == source.strip()


def test_macros_are_plain_ascii_for_the_vba_code_page() -> None:
    for f in MACROS.iterdir():
        assert f.read_bytes().isascii(), f.name


def test_xlwings_version_is_pinned_everywhere(modules: dict[str, str]) -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [d for d in deps if d.replace(" ", "").startswith("xlwings==")]
    assert pins == [f"xlwings=={xlwings.__version__}"]
    code = modules["xlwings"]
    assert re.search(rf'XLWINGS_VERSION As String = "{re.escape(xlwings.__version__)}"', code)
    assert f'Lib "xlwings64-{xlwings.__version__}.dll"' in code
    assert 'PROJECT_NAME As String = "sakip"' in code


def test_no_config_sheet_and_no_build_machine_path_leaks(parts: dict[str, bytes]) -> None:
    wb = parts["xl/workbook.xml"].decode()
    # the template's inactive config sheet is gone: an empty sheet SAKIP (an add-in needs one)
    assert re.findall(r'<sheet [^>]*name="([^"]*)"', wb) == ["SAKIP"]
    assert ".conf" not in wb and "myaddin" not in wb
    assert "felix" not in wb.lower()


def test_function_help_is_registered_from_the_registry() -> None:
    text = registration_text()
    for rule in RULES.values():
        block = text.split(f"!{rule.udf}\"", 1)[1].split("Application.MacroOptions", 1)[0]
        assert f'Description:="{rule.doc}"' in block
        assert 'Category:="SAKIP"' in block
        if rule.params:
            assert block.count('", "') == len(rule.params) - 1
            for p in rule.params:
                assert f'"{p.doc}"' in block


# --------------------------------------------------------------------------- failing builds
def _macros_copy(tmp_path: Path) -> Path:
    d = tmp_path / "macros"
    shutil.copytree(MACROS, d)
    return d


def test_a_duplicate_ribbon_id_fails_the_build(tmp_path: Path) -> None:
    d = _macros_copy(tmp_path)
    ui = (d / "customUI.xml").read_text(encoding="utf-8").replace('id="sakipBantuan"', 'id="sakipPeriksa"')
    (d / "customUI.xml").write_text(ui, encoding="utf-8")
    with pytest.raises(AddinBuildError, match="id ganda"):
        build_addin(tmp_path / "x.xlam", macros_dir=d)
    assert not (tmp_path / "x.xlam").exists()


def test_an_on_action_without_its_sub_fails_the_build(tmp_path: Path) -> None:
    d = _macros_copy(tmp_path)
    ui = (d / "customUI.xml").read_text(encoding="utf-8").replace('onAction="SakipBantuan"', 'onAction="SakipTolong"')
    (d / "customUI.xml").write_text(ui, encoding="utf-8")
    with pytest.raises(AddinBuildError, match="SakipTolong tidak ada"):
        build_addin(tmp_path / "x.xlam", macros_dir=d)


def test_a_callback_without_iribboncontrol_fails_the_build(tmp_path: Path) -> None:
    d = _macros_copy(tmp_path)
    bas = (d / "RibbonSakip.bas").read_text(encoding="utf-8")
    bas = bas.replace("Public Sub SakipBantuan(control As IRibbonControl)", "Public Sub SakipBantuan()")
    (d / "RibbonSakip.bas").write_text(bas, encoding="utf-8")
    with pytest.raises(AddinBuildError, match="IRibbonControl"):
        build_addin(tmp_path / "x.xlam", macros_dir=d)


def test_a_callback_calling_a_missing_python_handler_fails_the_build(tmp_path: Path) -> None:
    d = _macros_copy(tmp_path)
    bas = (d / "RibbonSakip.bas").read_text(encoding="utf-8").replace('Jalankan "bantuan(', 'Jalankan "tolong(')
    (d / "RibbonSakip.bas").write_text(bas, encoding="utf-8")
    with pytest.raises(AddinBuildError, match="tolong tidak ada"):
        build_addin(tmp_path / "x.xlam", macros_dir=d)


def test_runpython_commands_resolve_the_module_constant(modules: dict[str, str]) -> None:
    cmds = checks.runpython_commands(modules[RIBBON_VBA_MODULE])
    assert cmds == [f"import sakip_xl.addin.ribbon as sakip_ribbon; sakip_ribbon.{f}("
                    for f in ("periksa", "hitung_ulang", "konsolidasi_folder", "template_baru", "ubah_varian",
                              "bantuan")]


def test_a_malformed_custom_ui_fails_the_build(tmp_path: Path) -> None:
    d = _macros_copy(tmp_path)
    (d / "customUI.xml").write_text("<customUI><ribbon>", encoding="utf-8")
    with pytest.raises(AddinBuildError):
        build_addin(tmp_path / "x.xlam", macros_dir=d)


def test_checks_report_a_file_that_is_not_an_addin(tmp_path: Path) -> None:
    bad = tmp_path / "bukan.xlam"
    bad.write_bytes(b"PK\x03\x04 rusak")
    report = checks.check_addin(bad)
    assert not report.ok and len(report.failed()) == len(report.checks)


def test_checks_report_the_unmodified_xlwings_template(tmp_path: Path) -> None:
    report = checks.check_addin(template_path())
    failed = {c.name for c in report.failed()}
    assert {"customUI dan callback", "pembungkus UDF = registri", "patokan versi xlwings",
            "olevba membaca semua modul"} <= failed
    assert "pyOpenVBA check_file" not in failed


def test_output_must_be_an_xlam(tmp_path: Path) -> None:
    with pytest.raises(AddinBuildError, match=".xlam"):
        build_addin(tmp_path / "sakip.xlsm")
