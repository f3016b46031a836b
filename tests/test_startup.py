"""Start-up: each command imports only what it needs (issue 18).

These check the *set of modules* a fresh interpreter loads, never a time: ``sakip-xl --version``
and ``--help`` load no command module and no third-party library, ``sakip-xl periksa`` of one
workbook loads neither pandas, numpy, pyarrow nor xlwings.  Timings are in ``docs/kinerja.md``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

import build_corpus as bc  # noqa: E402

from sakip_xl.cli import commands  # noqa: E402
from sakip_xl.cli.core import build_parser  # noqa: E402

HEAVY = ("pandas", "numpy", "pyarrow", "xlwings", "dask", "distributed", "openpyxl", "xlsxwriter")

_PROBE = """
import json, sys
from sakip_xl.cli.core import main
code = main({args!r})
mods = sorted(sys.modules)
print(json.dumps({{"code": code, "modules": mods}}))
"""


def modules_after(*args: str) -> tuple[int, set[str]]:
    """Exit code of ``sakip-xl ARGS`` run in a fresh interpreter, and every module it loaded."""
    r = subprocess.run([sys.executable, "-c", _PROBE.format(args=list(args))], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    last = r.stdout.strip().splitlines()[-1]
    data = json.loads(last)
    return data["code"], set(data["modules"])


def heavy(mods: set[str]) -> list[str]:
    return sorted(m for m in mods if m.split(".")[0] in HEAVY)


def test_version_imports_no_command_and_no_library() -> None:
    code, mods = modules_after("--version")
    assert code == 0
    assert heavy(mods) == []
    assert not [m for m in mods if m.startswith("sakip_xl.cli.commands.")]
    assert "pydantic" not in mods


def test_top_level_help_imports_no_command() -> None:
    code, mods = modules_after("--help")
    assert code == 0
    assert not [m for m in mods if m.startswith("sakip_xl.cli.commands.")]
    assert heavy(mods) == []


def test_periksa_one_workbook_imports_no_pandas(tmp_path: Path) -> None:
    base = bc.build_base(tmp_path)
    wb = bc.CASES["opd_bersih"].build(tmp_path, base)
    code, mods = modules_after("periksa", str(wb), "--tanggal", bc.TODAY.isoformat())
    assert code == 0
    assert "sakip_xl.excel.reader" in mods  # it did read the workbook
    assert heavy(mods) == []
    assert [m for m in mods if m.startswith("sakip_xl.cli.commands.")] == ["sakip_xl.cli.commands.periksa"]


@pytest.mark.parametrize("name", commands.COMMANDS)
def test_only_the_command_run_is_imported(name: str) -> None:
    _code, mods = modules_after(name, "--help")
    loaded = {m for m in mods if m.startswith("sakip_xl.cli.commands.")}
    assert f"sakip_xl.cli.commands.{name}" in loaded
    assert loaded <= {f"sakip_xl.cli.commands.{n}" for n in (name, *_shared(name))}


def _shared(name: str) -> tuple[str, ...]:
    """Commands that reuse another command's options (demo prints like konsolidasi)."""
    return ("konsolidasi",) if name == "demo" else ()


def test_help_table_matches_every_command() -> None:
    """The placeholder help lines are the commands' own: the lazy and the full parser print the
    same top-level help.  A new command needs its line in ``commands.HELP``."""
    missing = [n for n in commands.COMMANDS if n not in commands.HELP]
    assert not missing, f"tambahkan baris bantuan ke sakip_xl.cli.commands.HELP untuk: {missing}"
    assert build_parser(["--help"]).format_help() == build_parser().format_help()


@pytest.mark.parametrize("argv, chosen", [
    (["periksa", "a.xlsx"], "periksa"),
    (["--traceback", "konsolidasi", "x"], "konsolidasi"),
    (["--version"], None),
    (["hitung-semua"], None),
    (["a.xlsx", "periksa"], None),
    ([], None),
])
def test_chosen_command(argv: list[str], chosen: str | None) -> None:
    assert commands.chosen_command(argv) == chosen
