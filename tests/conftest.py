"""Shared fixtures.  Several engineers add fixtures here: append, do not reorder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


# --------------------------------------------------------------------------- add-in
@pytest.fixture
def national_policy(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The add-in looks for a city policy in SAKIP_KEBIJAKAN and the home folder: hide both, so a
    test sees the national defaults whatever the machine has."""
    monkeypatch.delenv("SAKIP_KEBIJAKAN", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))


# --------------------------------------------------------------------------- result cache
@pytest.fixture(scope="session", autouse=True)
def _private_result_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """``sakip-xl konsolidasi`` caches results in the user's cache folder by default: tests (and
    the CLI processes they start) use a folder of this session instead."""
    import os

    old = os.environ.get("SAKIP_CACHE_DIR")
    os.environ["SAKIP_CACHE_DIR"] = str(tmp_path_factory.mktemp("sakip-cache"))
    yield None
    if old is None:
        os.environ.pop("SAKIP_CACHE_DIR", None)
    else:
        os.environ["SAKIP_CACHE_DIR"] = old
