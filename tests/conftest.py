"""Shared fixtures.  Several engineers add fixtures here: append, do not reorder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sakip_xl.policy import Policy
from sakip_xl.scoring.lke import Kriteria, load_kriteria


# --------------------------------------------------------------------------- scoring core
@pytest.fixture
def policy() -> Policy:
    """The national default policy (a fresh object)."""
    return Policy()


@pytest.fixture
def policy_inklusif() -> Policy:
    """Default policy with inclusive predikat lower bounds (70.00 -> BB)."""
    return Policy(batas_predikat="inklusif")


@pytest.fixture(scope="session")
def kriteria_88() -> list[Kriteria]:
    """The shipped PermenPAN-RB 88/2021 criteria list for Perangkat Daerah."""
    return load_kriteria(Policy())


@pytest.fixture
def tulis_kebijakan(tmp_path: Path) -> Callable[[str], Path]:
    """Write a ``kebijakan.toml`` with the given text and return its path."""

    def write(text: str, name: str = "kebijakan.toml") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return write
