"""Every Issue code is documented in docs/kode-masalah.md, and the page lists no other code."""

from __future__ import annotations

import re
from pathlib import Path

from sakip_xl.excel.codes import CODES

DOC = Path(__file__).resolve().parents[1] / "docs" / "kode-masalah.md"


def test_docs_list_exactly_the_codes() -> None:
    rows = re.findall(r"^\| `([A-Z0-9_]+)` \| (\w+) \|", DOC.read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(code for code, _ in rows) == sorted(CODES)
    for code, label in rows:
        assert CODES[code].severity.label == label, code


def test_codes_have_indonesian_text() -> None:
    for c in CODES.values():
        assert c.meaning.strip() and c.hint.strip()
        assert c.code == c.code.upper()
