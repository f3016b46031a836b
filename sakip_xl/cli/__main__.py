"""Entry point of the ``sakip-xl`` command."""

from __future__ import annotations

import sys

from .core import main as _main


def main() -> None:
    sys.exit(_main())


if __name__ == "__main__":
    main()
