"""``sakip-xl addin build`` from an installed package: the macro sources are package data.

``macros/`` holds the sources developers edit; ``sakip_xl/addin/macros/`` is the byte-identical copy
the wheel ships (``tools/sync_macros.py``).  Checked here: the copy is current, a stale copy is
refused (by the script's ``--check`` and by a build from the checkout), and a real wheel installed
into a fresh virtual environment builds and checks the add-in from a folder outside the checkout.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sakip_xl.addin.build import build_addin
from sakip_xl.addin.vba import MACRO_FILES, Macros, packaged_macros, source_macros_dir, stale_macros

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "macros"
COPY = ROOT / "sakip_xl" / "addin" / "macros"
SYNC = ROOT / "tools" / "sync_macros.py"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _source_tree(dst: Path, *, with_tools: bool = False) -> Path:
    """A copy of what a build or a sync needs (no caches, no egg-info)."""
    dst.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, dst / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    shutil.copytree(ROOT / "sakip_xl", dst / "sakip_xl", ignore=ignore)
    if with_tools:
        shutil.copytree(SOURCE, dst / "macros")
        shutil.copytree(ROOT / "tools", dst / "tools", ignore=ignore)
    return dst


def _python(args: list[str], *, cwd: Path, pythonpath: Path | None = None,
            exe: str = sys.executable) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONIOENCODING"] = "utf-8"
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([exe, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The add-in built by this checkout (in process)."""
    out = tmp_path_factory.mktemp("acuan") / "sakip.xlam"
    build_addin(out)
    return out


# --------------------------------------------------------------------------- one source of truth
def test_the_package_copy_is_byte_identical_to_macros() -> None:
    assert sorted(p.name for p in SOURCE.iterdir()) == sorted(MACRO_FILES)
    assert sorted(p.name for p in COPY.iterdir()) == sorted(MACRO_FILES)
    for name in MACRO_FILES:
        assert (COPY / name).read_bytes() == (SOURCE / name).read_bytes(), (
            f"{name}: jalankan 'python3 tools/sync_macros.py'")
    assert stale_macros() == []
    assert source_macros_dir() == SOURCE


def test_load_without_a_folder_reads_the_package_resources() -> None:
    res = packaged_macros()
    assert Path(str(res)) == COPY
    assert Macros.load(None) == Macros.load(SOURCE) == Macros.load(COPY)


def test_sync_script_finds_and_repairs_a_stale_copy(tmp_path: Path) -> None:
    tree = _source_tree(tmp_path / "repo", with_tools=True)
    assert _python([str(tree / "tools" / "sync_macros.py"), "--check"], cwd=tmp_path).returncode == 0
    bas = tree / "macros" / "RibbonSakip.bas"
    bas.write_bytes(bas.read_bytes().replace(b"SakipBantuan", b"SakipTolongan"))
    (tree / "sakip_xl" / "addin" / "macros" / "lama.bas").write_text("' sisa\n", encoding="utf-8")
    check = _python([str(tree / "tools" / "sync_macros.py"), "--check"], cwd=tmp_path)
    assert check.returncode == 1
    assert check.stdout.split() == ["basi:", "RibbonSakip.bas", "basi:", "lama.bas"]
    fix = _python([str(tree / "tools" / "sync_macros.py")], cwd=tmp_path)
    assert fix.returncode == 0, fix.stderr
    copy = tree / "sakip_xl" / "addin" / "macros"
    assert sorted(p.name for p in copy.iterdir()) == sorted(MACRO_FILES)
    assert (copy / "RibbonSakip.bas").read_bytes() == bas.read_bytes()
    assert _python([str(tree / "tools" / "sync_macros.py"), "--check"], cwd=tmp_path).returncode == 0


def test_a_build_from_a_checkout_with_a_stale_copy_is_refused(tmp_path: Path) -> None:
    tree = _source_tree(tmp_path / "repo", with_tools=True)
    ui = tree / "macros" / "customUI.xml"
    ui.write_bytes(ui.read_bytes().replace(b'label="Bantuan"', b'label="Petunjuk"'))
    out = tmp_path / "s.xlam"
    res = _python(["-m", "sakip_xl.cli", "addin", "build", "-o", str(out)], cwd=tmp_path, pythonpath=tree)
    assert res.returncode == 1 and not out.exists()
    assert "customUI.xml" in res.stderr and "tools/sync_macros.py" in res.stderr
    assert "Traceback" not in res.stderr
    assert _python([str(tree / "tools" / "sync_macros.py")], cwd=tmp_path).returncode == 0
    res = _python(["-m", "sakip_xl.cli", "addin", "build", "-o", str(out)], cwd=tmp_path, pythonpath=tree)
    assert res.returncode == 0, res.stderr
    with zipfile.ZipFile(out) as z:
        assert b'label="Petunjuk"' in z.read("customUI/customUI.xml")


def test_cli_macros_folder_overrides_and_a_missing_file_is_named(tmp_path: Path, reference: Path) -> None:
    d = tmp_path / "macros_saya"
    shutil.copytree(SOURCE, d)
    out = tmp_path / "a.xlam"
    res = _python(["-m", "sakip_xl.cli", "addin", "build", "-o", str(out), "--macros", str(d)], cwd=tmp_path,
                  pythonpath=ROOT)
    assert res.returncode == 0, res.stderr
    assert out.read_bytes() == reference.read_bytes()
    (d / "ThisWorkbook.cls").unlink()
    res = _python(["-m", "sakip_xl.cli", "addin", "build", "-o", str(out), "--macros", str(d)], cwd=tmp_path,
                  pythonpath=ROOT)
    assert res.returncode == 1 and "ThisWorkbook.cls" in res.stderr and "Traceback" not in res.stderr


# --------------------------------------------------------------------------- a real wheel
@pytest.mark.slow
def test_installed_wheel_builds_and_checks_the_addin_outside_the_checkout(
        tmp_path: Path, reference: Path) -> None:
    src = _source_tree(tmp_path / "src")
    wheels = tmp_path / "whl"
    res = _python(["-m", "pip", "wheel", ".", "-w", str(wheels), "--no-deps", "-q"], cwd=src)
    assert res.returncode == 0, res.stdout + res.stderr
    (wheel,) = wheels.glob("sakip_xl-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for name in MACRO_FILES:
            member = f"sakip_xl/addin/macros/{name}"
            assert member in names
            assert z.read(member) == (SOURCE / name).read_bytes()
    venv = tmp_path / "venv"
    res = _python(["-m", "venv", str(venv), "--system-site-packages"], cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    py = venv / "bin" / "python"
    res = _python(["-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                  cwd=tmp_path, exe=str(py))
    assert res.returncode == 0, res.stdout + res.stderr
    shutil.rmtree(src)
    work = tmp_path / "kerja"
    work.mkdir()
    where = _python(["-c", "import sakip_xl; print(sakip_xl.__file__)"], cwd=work, exe=str(py))
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout  # the wheel, not this checkout
    cli = str(venv / "bin" / "sakip-xl")
    out = work / "x.xlam"
    build = subprocess.run([cli, "addin", "build", "-o", str(out)], cwd=work, capture_output=True,
                           text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    periksa = subprocess.run([cli, "addin", "periksa", str(out)], cwd=work, capture_output=True,
                             text=True, timeout=600)
    assert periksa.returncode == 0 and periksa.stdout.count("[OK]") == 12, periksa.stdout
    assert _sha(out) == _sha(reference) and _sha(out) in build.stdout
