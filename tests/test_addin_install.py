"""``sakip-xl addin install`` (its Windows plan, tested with Windows-like folders here) and the
``sakip-xl addin`` command as a user runs it (subprocess, exit codes)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import xlwings

from sakip_xl.addin.install import (
    InstallError,
    NotWindows,
    apply_install,
    config_text,
    dll_name,
    install,
    parse_config,
    plan_install,
)
from sakip_xl.errors import PolicyError


@pytest.fixture
def windows_user(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "Users" / "siti"
    (home / "AppData" / "Roaming").mkdir(parents=True)
    return {"APPDATA": str(home / "AppData" / "Roaming"), "USERPROFILE": str(home)}


@pytest.fixture
def python_install(tmp_path: Path) -> Path:
    """A Windows-style Python folder with pythonw.exe and the pinned xlwings DLL."""
    d = tmp_path / "Python311"
    d.mkdir()
    (d / "python.exe").write_bytes(b"")
    (d / "pythonw.exe").write_bytes(b"")
    (d / dll_name(64)).write_bytes(b"")
    return d / "python.exe"


@pytest.fixture
def addin_file(tmp_path: Path) -> Path:
    p = tmp_path / "dist" / "sakip.xlam"
    p.parent.mkdir()
    p.write_bytes(b"PK add-in")
    return p


def test_config_text_is_what_vba_write_writes() -> None:
    text = config_text({"INTERPRETER_WIN": r"C:\Program Files\Python311\pythonw.exe", "UDF MODULES": "m"})
    assert text == '"INTERPRETER_WIN","C:\\Program Files\\Python311\\pythonw.exe"\r\n"UDF MODULES","m"\r\n'
    # VBA's Input # reads comma-separated quoted fields, as csv does
    rows = list(csv.reader(io.StringIO(text.replace("\r\n", "\n"))))
    assert rows == [["INTERPRETER_WIN", r"C:\Program Files\Python311\pythonw.exe"], ["UDF MODULES", "m"]]
    assert parse_config(text) == {"INTERPRETER_WIN": r"C:\Program Files\Python311\pythonw.exe", "UDF MODULES": "m"}


def test_config_refuses_quotes_that_vba_cannot_read_back() -> None:
    with pytest.raises(InstallError):
        config_text({"INTERPRETER_WIN": 'C:\\a"b\\pythonw.exe'})


def test_plan_puts_the_addin_in_xlstart_and_the_config_in_the_profile(
        windows_user: dict[str, str], python_install: Path, addin_file: Path) -> None:
    plan = plan_install(addin_file, environ=windows_user, executable=python_install,
                        prefix=python_install.parent)
    roaming = Path(windows_user["APPDATA"])
    assert plan.target == roaming / "Microsoft" / "Excel" / "XLSTART" / "sakip.xlam"
    assert plan.config_path == Path(windows_user["USERPROFILE"]) / ".sakip" / "sakip.conf"
    assert plan.interpreter == python_install.with_name("pythonw.exe")
    assert plan.config == {"INTERPRETER_WIN": str(python_install.with_name("pythonw.exe")),
                           "UDF MODULES": "sakip_xl.addin.udfs",
                           "SAKIP_SITE_PACKAGES": sysconfig.get_paths()["purelib"]}
    assert plan.dll_found


def test_plan_for_the_addins_folder_and_a_missing_dll(
        windows_user: dict[str, str], python_install: Path, addin_file: Path) -> None:
    (python_install.parent / dll_name(64)).unlink()
    plan = plan_install(addin_file, environ=windows_user, executable=python_install,
                        prefix=python_install.parent, lokasi="addins")
    assert plan.target == Path(windows_user["APPDATA"]) / "Microsoft" / "AddIns" / "sakip.xlam"
    assert not plan.dll_found
    assert dll_name(64) == f"xlwings64-{xlwings.__version__}.dll"


def test_apply_copies_and_keeps_other_config_keys(
        windows_user: dict[str, str], python_install: Path, addin_file: Path) -> None:
    conf = Path(windows_user["USERPROFILE"]) / ".sakip" / "sakip.conf"
    conf.parent.mkdir()
    conf.write_bytes(b'"SHOW CONSOLE","True"\r\n"INTERPRETER_WIN","C:\\lama\\pythonw.exe"\r\n')
    plan = plan_install(addin_file, environ=windows_user, executable=python_install,
                        prefix=python_install.parent)
    written = apply_install(plan)
    assert written == [plan.target, plan.config_path]
    assert plan.target.read_bytes() == addin_file.read_bytes()
    got = parse_config(conf.read_text(encoding="cp1252"))
    assert got == {"SHOW CONSOLE": "True", "INTERPRETER_WIN": str(plan.interpreter),
                   "UDF MODULES": "sakip_xl.addin.udfs", "SAKIP_SITE_PACKAGES": sysconfig.get_paths()["purelib"]}
    assert conf.read_bytes().endswith(b"\r\n")


def test_city_policy_is_checked_then_copied(windows_user: dict[str, str], python_install: Path,
                                            addin_file: Path, tulis_kebijakan) -> None:  # type: ignore[no-untyped-def]
    good = tulis_kebijakan('batas_predikat = "inklusif"\n')
    plan = plan_install(addin_file, environ=windows_user, executable=python_install, kebijakan=good)
    apply_install(plan)
    assert plan.kebijakan_target == Path(windows_user["USERPROFILE"]) / ".sakip" / "kebijakan.toml"
    assert plan.kebijakan_target.read_text(encoding="utf-8") == good.read_text(encoding="utf-8")
    bad = tulis_kebijakan("batas_predikat = 1\n", name="buruk.toml")
    with pytest.raises(PolicyError):
        plan_install(addin_file, environ=windows_user, executable=python_install, kebijakan=bad)


def test_a_missing_addin_file_is_refused(windows_user: dict[str, str], tmp_path: Path) -> None:
    with pytest.raises(InstallError, match="tidak ditemukan"):
        plan_install(tmp_path / "tidak_ada.xlam", environ=windows_user)


def test_install_refuses_other_platforms(addin_file: Path) -> None:
    with pytest.raises(NotWindows, match="hanya untuk Windows"):
        install(addin_file, platform="linux")


# --------------------------------------------------------------------------- the command
def sakip(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("sakip-xl")
    cmd = [exe] if exe else [sys.executable, "-m", "sakip_xl.cli"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_cli_build_then_periksa(tmp_path: Path) -> None:
    out = tmp_path / "dist" / "sakip.xlam"
    res = sakip("addin", "build", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert out.is_file() and "sha256" in res.stdout and "[OK]" in res.stderr
    assert "[GAGAL]" not in res.stderr
    chk = sakip("addin", "periksa", str(out))
    assert chk.returncode == 0 and chk.stdout.count("[OK]") == 12


def test_cli_periksa_rejects_a_file_that_is_no_addin(tmp_path: Path) -> None:
    bad = tmp_path / "bukan.xlam"
    bad.write_bytes(b"bukan add-in")
    res = sakip("addin", "periksa", str(bad))
    assert res.returncode == 3 and "[GAGAL]" in res.stdout and "gagal" in res.stderr


@pytest.mark.skipif(sys.platform.startswith("win"), reason="di Windows perintah ini memasang add-in")
def test_cli_install_says_it_is_for_windows_and_exits_non_zero(tmp_path: Path) -> None:
    res = sakip("addin", "install", cwd=tmp_path)
    assert res.returncode == 2
    assert "hanya untuk Windows" in res.stderr and "Traceback" not in res.stderr


def test_cli_addin_without_a_subcommand_is_a_usage_error() -> None:
    res = sakip("addin")
    assert res.returncode == 2 and "PERINTAH" in res.stderr


def test_cli_build_to_a_wrong_suffix_is_an_error(tmp_path: Path) -> None:
    res = sakip("addin", "build", "-o", str(tmp_path / "sakip.xlsm"))
    assert res.returncode == 1 and ".xlam" in res.stderr and "Traceback" not in res.stderr


def test_cli_build_without_the_addin_extra_says_what_to_install(tmp_path: Path) -> None:
    # a folder first on sys.path in which "pyopenvba" cannot be imported, as when it is not installed
    blocker = tmp_path / "tanpa_pyopenvba" / "pyopenvba"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'pyopenvba'\", name='pyopenvba')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(blocker.parent)}
    res = subprocess.run([sys.executable, "-m", "sakip_xl.cli", "addin", "build", "-o", str(tmp_path / "s.xlam")],
                         capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 2 and "sakip-xl[addin]" in res.stderr and "Traceback" not in res.stderr
