"""The README opens with the two commands, and CI runs exactly the README's set-up and tests."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block, "README harus dibuka dengan blok ```sh berisi dua perintah"
    assert text.index("```sh") < 40, "blok perintah harus berada di awal README"
    return [line.strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_demo_and_test_commands() -> None:
    demo, tests = _readme_commands()
    assert demo.endswith("sakip-xl demo")
    assert "pytest" in tests and "apt-get update" in tests


def test_ci_runs_every_step_of_the_readme_test_command() -> None:
    _, tests = _readme_commands()
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    ci_lines = [line.strip() for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    for step in (s.strip() for s in tests.split("&&")):
        # CI runs as root without a terminal: apt-get gets -y already in the README step
        assert step in ci_lines, f"langkah README {step!r} tidak dijalankan persis oleh .ci/run"
    assert ci_lines.index("apt-get update") < next(
        i for i, line in enumerate(ci_lines) if line.startswith("apt-get install")
    )
