"""CLI basics, run as a user runs them: ``sakip-xl ...`` in a subprocess, checking exit codes."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import sakip_xl
from sakip_xl.cli.commands import COMMANDS
from sakip_xl.cli.core import main
from sakip_xl.cli.env import Environment
from sakip_xl.cli.status import ExitStatus
from sakip_xl.policy import Policy

EXE = shutil.which("sakip-xl")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    assert EXE, "sakip-xl is not on PATH (pip install -e .)"
    env = os.environ | {"PYTHONIOENCODING": "utf-8"}
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env,
                          encoding="utf-8")


def test_exit_codes_are_typed() -> None:
    assert [int(s) for s in (ExitStatus.OK, ExitStatus.ERROR, ExitStatus.USAGE, ExitStatus.INVALID_INPUT)] \
        == [0, 1, 2, 3]


def test_help() -> None:
    r = run("--help")
    assert r.returncode == 0
    assert "sakip-xl: SAKIP untuk Excel" in r.stdout
    assert "Jalankan 'sakip-xl PERINTAH --help'" in r.stdout
    for name in COMMANDS:
        assert name in r.stdout
    assert r.stderr == ""


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"sakip-xl {sakip_xl.__version__}"


def test_no_command_is_a_usage_error() -> None:
    r = run()
    assert r.returncode == ExitStatus.USAGE
    assert "PERINTAH" in r.stderr and r.stdout == ""


def test_unknown_command_is_a_usage_error() -> None:
    r = run("hitung-semua")
    assert r.returncode == ExitStatus.USAGE
    assert "sakip-xl: galat:" in r.stderr
    assert "Traceback" not in r.stderr


def test_unknown_option_is_a_usage_error() -> None:
    r = run("kebijakan", "--warna")
    assert r.returncode == ExitStatus.USAGE
    assert "galat:" in r.stderr and "--warna" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name: str) -> None:
    r = run(name, "--help")
    assert r.returncode == 0, r.stderr
    assert f"penggunaan: sakip-xl {name}" in r.stdout


# --------------------------------------------------------------------------- kebijakan
def test_kebijakan_prints_the_national_policy_as_json() -> None:
    r = run("kebijakan")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == Policy().model_dump(mode="json")


def test_kebijakan_checks_a_good_file(tulis_kebijakan: Callable[..., Path]) -> None:
    path = tulis_kebijakan('batas_predikat = "inklusif"\ncap_rata_rata = "tidak"\n')
    r = run("kebijakan", str(path))
    assert r.returncode == 0, r.stderr
    assert "sah" in r.stderr
    data = json.loads(r.stdout)
    assert data["batas_predikat"] == "inklusif" and data["cap_rata_rata"] is None
    assert data["predikat"] == Policy().model_dump(mode="json")["predikat"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('batas_predikat = "kadang"', ["'batas_predikat'", "'eksklusif'", "'inklusif'"]),
        ("cap_rata_rata = 130", ["'cap_rata_rata'", '"tidak", 100, 110, 120']),
        ('[lke]\nmetode = "rata"', ["'lke.metode'", "'per_kriteria'", "'per_sub_komponen'"]),
        ("kunci_asing = 1", ["'kunci_asing'", "tidak dikenal"]),
        ("batas_predikat = inklusif", ["bukan TOML yang sah"]),
    ],
)
def test_bad_policy_file_exits_2_naming_the_key(tulis_kebijakan: Callable[..., Path], text: str,
                                                words: list[str]) -> None:
    r = run("kebijakan", str(tulis_kebijakan(text)))
    assert r.returncode == ExitStatus.USAGE
    assert r.stdout == ""
    assert r.stderr.startswith("sakip-xl: galat kebijakan: ")
    assert "kebijakan.toml" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1  # one line, no traceback
    for w in words:
        assert w in r.stderr


def test_missing_policy_file_exits_2(tmp_path: Path) -> None:
    r = run("kebijakan", str(tmp_path / "tidak_ada.toml"))
    assert r.returncode == ExitStatus.USAGE
    assert "tidak dapat dibaca" in r.stderr


def test_traceback_flag_shows_the_exception(tulis_kebijakan: Callable[..., Path]) -> None:
    r = run("--traceback", "kebijakan", str(tulis_kebijakan('batas_predikat = "kadang"')))
    assert r.returncode == ExitStatus.ERROR
    assert "Traceback" in r.stderr and "PolicyError" in r.stderr


def test_in_process_main_with_injected_stdio(tulis_kebijakan: Callable[..., Path]) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = main(["kebijakan", str(tulis_kebijakan("target_predikat = 'Z'"))], Environment(out, err))
    assert status == ExitStatus.USAGE
    assert out.getvalue() == ""
    assert "'target_predikat'" in err.getvalue() and "AA, A, BB" in err.getvalue()
