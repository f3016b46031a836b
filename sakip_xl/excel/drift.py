"""Structure drift: what a workbook's shape says besides its values, reported instead of absorbed.

The reader finds every table and name by name, so a workbook can carry things it will never show
its user: a decoy PK table on a (very) hidden sheet next to a visible look-alike, two tables with
one contract name, a copied sheet whose table Excel renamed ``tblPK2``, input cells holding an
external-link or volatile formula (the cached value is not something anybody typed), a printed
Pernyataan PK typed over with another year or OPD.  Each is a located Issue with a stable code
(``docs/kode-masalah.md``); nothing here changes what the reader reads, except that an input cell
holding such a formula is read as empty (its cached value is not an input).

Every check costs a few dictionary look-ups or byte searches on an ordinary workbook.
"""

from __future__ import annotations

import re
import unicodedata

from ..issues import Issue
from .codes import make_issue
from .contract import TABLES
from .xlsxparts import CellPos, Layout, TableLoc, a1, col_index

__all__ = ["structure_issues", "risky_formulas", "input_positions", "normalize_code", "VOLATILE"]

#: functions whose value a cached result cannot stand for (recomputed on every change, or reading
#: what the formula names at run time)
VOLATILE = ("INDIRECT", "OFFSET", "NOW", "TODAY", "RAND", "RANDBETWEEN", "RANDARRAY", "INFO", "CELL")
# RAND also finds RANDBETWEEN and RANDARRAY (a hit is only a candidate: its cell is then looked at)
_VOLATILE_BYTES = (b"INDIRECT(", b"OFFSET(", b"NOW(", b"TODAY(", b"RAND", b"INFO(", b"CELL(")
_EXTERNAL = re.compile(rb"\[\d+\]")
_CALL = re.compile(rb"(?<![A-Za-z0-9_.])(?:_xlfn\.)?(?:" + "|".join(VOLATILE).encode() + rb")\(", re.IGNORECASE)
_STATE = {"hidden": "tersembunyi", "veryHidden": "sangat tersembunyi (hanya terlihat lewat editor VBA)"}


def structure_issues(layout: Layout) -> list[Issue]:
    """Hidden contract tables, duplicated and copied ones."""
    out: list[Issue] = []
    for name in TABLES:
        loc = layout.table(name)
        if loc is not None and loc.sheet in layout.hidden:
            out.append(make_issue(
                "TABEL_TERSEMBUNYI",
                f"tabel {name} berada di lembar '{loc.sheet}' yang {_STATE.get(layout.hidden[loc.sheet], 'tersembunyi')}; "
                "yang dibaca adalah isi tabel itu, bukan lembar yang terlihat",
                sheet=loc.sheet, cell=a1(*loc.top)))
    seen: dict[str, TableLoc] = {}
    contract = {n.casefold(): n for n in TABLES}
    for t in layout.all_tables:
        key = t.name.casefold()
        first = seen.get(key)
        if first is not None:
            out.append(make_issue(
                "TABEL_GANDA",
                f"dua tabel bernama {t.name}: di lembar '{first.sheet}' ({first.ref}) dan '{t.sheet}' ({t.ref}); "
                f"yang dibaca hanya yang di lembar '{first.sheet}'",
                sheet=t.sheet, cell=a1(*t.top)))
            continue
        seen[key] = t
        if key in contract:
            continue
        base = re.sub(r"[_\s]*\d+$", "", key)
        if base in contract and base != key:
            out.append(make_issue(
                "TABEL_SALINAN",
                f"tabel {t.name} di lembar '{t.sheet}' tampaknya salinan tabel {contract[base]} (lembar disalin?); "
                "isinya tidak dibaca",
                sheet=t.sheet, cell=a1(*t.top)))
    return out


def input_positions(layout: Layout, sheet: str) -> set[CellPos] | None:
    """The input cells of ``sheet`` (contract tables' input columns over their data rows, defined
    Profil names); None when the sheet holds none."""
    from .contract import PROFIL_NAMES

    cells: set[CellPos] = set()
    cols: list[tuple[int, int, int]] = []  # (col, first row, last row)
    for spec in TABLES.values():
        loc = layout.table(spec.name)
        if loc is None or loc.sheet != sheet:
            continue
        for c in spec.columns:
            if c.kind == "input" and (idx := loc.column_index(c.name)) is not None:
                cols.append((idx, loc.first_data_row, loc.last_data_row))
    for n in PROFIL_NAMES:
        dn = layout.name(n)
        if dn is not None and dn.sheet == sheet and dn.cell is not None:
            cells.add(dn.cell)
    if not cols and not cells:
        return None
    return _Positions(cells, cols)


class _Positions(set):
    """Input cells: explicit ones plus column ranges (a set that answers ``in`` for both)."""

    def __init__(self, cells: set[CellPos], cols: list[tuple[int, int, int]]) -> None:
        super().__init__(cells)
        self.cols = cols

    def __contains__(self, pos: object) -> bool:
        if super().__contains__(pos):
            return True
        if not isinstance(pos, tuple):
            return False
        r, c = pos
        return any(col == c and lo <= r <= hi for col, lo, hi in self.cols)


_CELL_START = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?(\d{1,7})[\"']")


def risky_formulas(data: bytes) -> list[tuple[CellPos, str]]:
    """Cells whose formula links to another workbook (``[1]Data!G5``) or calls a volatile function.

    A few byte searches on an ordinary sheet; only a hit is located (the cell tag before it)."""
    hits: list[int] = []
    for word in _VOLATILE_BYTES:
        at = data.find(word)
        while at >= 0:
            hits.append(at)
            at = data.find(word, at + 1)
    if b"[" in data:
        hits.extend(m.start() for m in _EXTERNAL.finditer(data))
    out: dict[CellPos, str] = {}
    for h in sorted(hits):
        f_open = max(data.rfind(b"<f>", 0, h), data.rfind(b"<f ", 0, h))
        if f_open < 0 or data.rfind(b"</f>", f_open, h) >= 0:
            continue  # not inside a formula
        start = max(data.rfind(b"<c ", 0, f_open), data.rfind(b":c ", 0, f_open))
        if start < 0:
            continue
        m = _CELL_START.match(data, start if data[start:start + 1] == b"<" else data.rfind(b"<", 0, start + 1))
        if m is None:
            continue
        pos = (int(m.group(2)) - 1, col_index(m.group(1).decode()))
        end = data.find(b"</f>", f_open)
        text = data[data.find(b">", f_open) + 1:end if end >= 0 else f_open + 200]
        if _EXTERNAL.search(text) is None and _CALL.search(text) is None:
            continue  # e.g. RAND inside a longer name
        out.setdefault(pos, text[:120].decode("utf-8", errors="replace"))
    return sorted(out.items())


def risky_issue(sheet: str, pos: CellPos, formula: str) -> Issue:
    external = _EXTERNAL.search(formula.encode()) is not None
    why = ("merujuk workbook lain (tautan eksternal)" if external
           else "memakai fungsi yang nilainya berubah sendiri (" + ", ".join(
               v for v in VOLATILE if f"{v}(" in formula.upper()) + ")")
    return make_issue("RUMUS_DI_ISIAN",
                      f"sel isian berisi rumus ={formula} yang {why}; nilai tersimpannya bukan isian, "
                      "jadi sel dibaca kosong",
                      sheet=sheet, cell=a1(*pos))


def normalize_code(text: str) -> tuple[str, bool]:
    """A code as typed, made comparable: compatibility forms (full-width digits, ligatures) folded
    (NFKC) and invisible characters removed; True when that changed anything."""
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf").strip()
    return folded, folded != text



_HEAD_CELL = re.compile(rb'<c r="([A-E])(\d{1,2})"[^>]*?(?:/>|>((?:[^<]++|<(?!/c>|c[\s/>]))*+)</c>)')


def pernyataan_overwritten(data: bytes, sheet: str, pernyataan_profil: dict[tuple[int, int], str]) -> list[CellPos]:
    """Cells of the printed statement's head (title, OPD, signatories) that no longer take their
    text from Profil: typed over, or a formula without a reference.  ``pernyataan_profil`` maps
    each such cell to the Profil field it shows."""
    end = data.find(b'<row r="27"')
    head = data if end < 0 else data[:end]
    out: list[CellPos] = []
    found: set[CellPos] = set()
    for m in _HEAD_CELL.finditer(head):
        pos = (int(m.group(2)) - 1, col_index(m.group(1).decode()))
        if pos not in pernyataan_profil:
            continue
        found.add(pos)
        inner = m.group(3) or b""
        if b"<f" in inner and (b"!" in inner or b"Profil" in inner):
            continue
        if b"<v" in inner or b"<is>" in inner:
            out.append(pos)
    return out
