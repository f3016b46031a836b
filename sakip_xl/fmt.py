"""Numbers as a Bahasa Indonesia reader writes them: ``1.475.200.000``, ``0,75``, ``24,9 detik``."""

from __future__ import annotations

__all__ = ["angka", "detik", "mib"]


def angka(x: float | int, desimal: int = 0) -> str:
    """``x`` with a dot between thousands and a decimal comma."""
    text = f"{x:,.{desimal}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def detik(seconds: float) -> str:
    """A duration: ``24,9 detik`` (one decimal)."""
    return f"{angka(seconds, 1)} detik"


def mib(n: int) -> str:
    """A size in MiB: ``1,5 MiB``."""
    return f"{angka(n / 1024 / 1024, 1)} MiB"
