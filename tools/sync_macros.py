"""Copy the add-in's macro sources from ``macros/`` into the package (``sakip_xl/addin/macros/``).

``macros/`` is where the customUI XML and the VBA are edited; the package ships a byte-identical
copy so that ``sakip-xl addin build`` works from an installed wheel.  Run this after editing
``macros/``; ``tests/test_addin_package.py`` fails while the copy is stale, and so does a build
from the checkout.

    python3 tools/sync_macros.py          # refresh the copy
    python3 tools/sync_macros.py --check  # exit 1 when the copy is stale
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sakip_xl.addin.vba import MACRO_FILES, stale_macros  # noqa: E402

SOURCE = ROOT / "macros"
COPY = ROOT / "sakip_xl" / "addin" / "macros"


def stale() -> list[str]:
    """Names whose copy is missing or differs, and files in the copy that are not sources."""
    extra = sorted(p.name for p in COPY.iterdir() if p.name not in MACRO_FILES) if COPY.is_dir() else []
    return [*stale_macros(), *extra]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Salin macros/ ke sakip_xl/addin/macros/ (data paket).")
    ap.add_argument("--check", action="store_true", help="hanya periksa; kode keluar 1 bila salinan basi")
    ns = ap.parse_args(argv)
    names = stale()
    if ns.check:
        for n in names:
            print(f"basi: {n}")
        return 1 if names else 0
    COPY.mkdir(exist_ok=True)
    for p in COPY.iterdir():
        if p.name not in MACRO_FILES and p.is_file():
            p.unlink()
    for n in MACRO_FILES:
        shutil.copyfile(SOURCE / n, COPY / n)
    print(f"disalin: {', '.join(MACRO_FILES)} -> {COPY.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
