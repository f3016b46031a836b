"""The one conversion module: raw worksheet values -> Python values for the models.

Everything a person may type into an input cell passes through here, whether it reaches sakip-xl
through the reader (python-calamine values) or through a UDF (what Excel hands to xlwings):

* ``None``, ``""`` and whitespace-only text are *blank*;
* Indonesian decimals ``"85,5"``, ``"1.234,5"``; English ``"1,234.5"``; percentages ``"85%"``;
  a unit typed into a number cell (``"55 %"``, ``"12 dokumen"``, ``"Rp 1.000"``);
* ranges ``"80-90"``, ``"80 – 90"``, ``"80 s.d. 90"`` (targets only);
* non-breaking and other odd spaces; Excel error values (``#DIV/0!``, ``#N/A`` ...);
* dates or booleans where a number belongs (errors: never a guess).

The rich functions (``normalize_*``) never raise: they return a :class:`Converted` holding the
value, a ``note`` saying what normalisation changed (the reader reports it as an info Issue with
the cell) or an ``error`` (an error Issue).  What is ambiguous is an error: ``"1.234"`` may be
1234 (Indonesian thousands) or 1.234 (English decimal), so it is rejected unless the context
decides (``context="amount"`` or ``"integer"``: rupiah and counts have no decimals).

:func:`to_number` is the small strict API for UDFs: a float, ``None`` for blank, or
:class:`~sakip_xl.errors.InvalidInput`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Generic, Literal, NamedTuple, TypeVar

from ..errors import InvalidInput
from ..scoring.lke import ALIAS_JAWABAN

__all__ = [
    "ExcelError",
    "PercentNumber",
    "EXCEL_ERRORS",
    "Converted",
    "NumberContext",
    "MAX_MAGNITUDE",
    "MAX_NUMBER_TEXT",
    "Target",
    "normalize_number",
    "normalize_integer",
    "normalize_target",
    "normalize_text",
    "normalize_choice",
    "normalize_answer",
    "normalize_date",
    "is_blank",
    "to_number",
    "to_numbers",
    "to_target",
]

T = TypeVar("T")
NumberContext = Literal["number", "amount", "integer"]
Target = float | tuple[float, float]

#: Excel's error values, as a cell shows them.
EXCEL_ERRORS: frozenset[str] = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)


class PercentNumber(float):
    """A number stored in a cell formatted as a percentage: Excel keeps ``85%`` as 0.85.

    The reader wraps such values (it sees the cell's number format); the workbook's numbers are in
    percent units already (Satuan "%"), so :func:`normalize_number` reads it as 85 and says so.
    """

    __slots__ = ()


class ExcelError(str):
    """An error value stored as such in a cell (``t="e"`` in the sheet XML), e.g. ``#DIV/0!``.

    Distinguishes a real error cell from the same characters typed as text.
    """

    __slots__ = ()


# Codes used by the converters (the reader turns them into Issues; meanings in docs/kode-masalah.md).
NOTE = "NILAI_DINORMALKAN"
NOT_A_NUMBER = "NILAI_BUKAN_ANGKA"
AMBIGUOUS = "NILAI_AMBIGU"
EXCEL_ERROR = "NILAI_GALAT_EXCEL"
DATE_IN_NUMBER = "NILAI_TANGGAL"
BOOL_IN_NUMBER = "NILAI_BOOLEAN"
RANGE_NOT_ALLOWED = "NILAI_RENTANG"
BAD_DATE = "TANGGAL_TIDAK_SAH"
BAD_CHOICE = "PILIHAN_TIDAK_DIKENAL"
TOO_LARGE = "NILAI_TERLALU_BESAR"

#: the largest magnitude an input number may have: 10^15 (Rp 1.000 triliun, above any regional
#: budget; Excel keeps 15 significant digits).  Sums of a workbook's numbers then stay finite.
MAX_MAGNITUDE = 1e15
#: the longest text read as a number (after trimming): a number never needs more, and every regex
#: below then works on a bounded string (no text can make them slow)
MAX_NUMBER_TEXT = 100


class Converted(NamedTuple, Generic[T]):
    """Result of one conversion: ``value`` (None = blank or failed), what changed, what failed."""

    value: T | None
    note: str | None = None
    error: str | None = None
    code: str | None = None
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def blank(self) -> bool:
        return self.error is None and self.value is None


def _fail(code: str, error: str, hint: str | None = None) -> Converted[Any]:
    return Converted(None, error=error, code=code, hint=hint)


def _done(value: T, notes: list[str]) -> Converted[T]:
    return Converted(value, note="; ".join(notes) if notes else None, code=NOTE if notes else None)


# --------------------------------------------------------------------------- whitespace
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200b\u202f\u205f\u3000\t\r\n\ufeff]")


#: format characters a reader cannot see (word joiner U+2060, zero-width joiners, soft hyphen,
#: direction marks): removed, so "1.02.01\u2060" and "1.02.01" are one code
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200c-\u200f"
                        "\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\uffa0\ufff9-\ufffb]")


def _clean(text: str, notes: list[str]) -> str:
    """NBSP and other odd spaces -> space, invisible characters removed, then strip; each change
    goes into ``notes``."""
    out = text
    if _INVISIBLE.search(out):
        out = _INVISIBLE.sub("", out)
        notes.append("karakter tak terlihat (mis. U+2060 word joiner) dihapus")
    if _ODD_SPACES.search(out):
        out = _ODD_SPACES.sub(" ", out).replace("\u200b", "").replace("\ufeff", "")
        notes.append("spasi khusus (mis. non-breaking space) diganti spasi biasa")
    stripped = out.strip()
    if stripped != out and stripped:
        notes.append("spasi di awal/akhir dihapus")
    return stripped


def is_blank(raw: Any) -> bool:
    """True for None and for text that holds only (any kind of) whitespace."""
    if raw is None:
        return True
    if isinstance(raw, str) and not isinstance(raw, ExcelError):
        return _ODD_SPACES.sub(" ", raw).strip() == ""
    return False


def _shown(raw: Any) -> str:
    text = repr(raw) if not isinstance(raw, str) else f"“{raw}”"
    return text if len(text) <= 60 else text[:57] + "...”"


# --------------------------------------------------------------------------- numbers
_NUM_CORE = re.compile(r"^[0-9][0-9.,]*$|^[.,][0-9]+$")
_GROUPED_DOT = re.compile(r"^[1-9][0-9]{0,2}(\.[0-9]{3})+$")
_GROUPED_COMMA = re.compile(r"^[1-9][0-9]{0,2}(,[0-9]{3})+$")
_UNIT = re.compile(r"^(?P<num>[-+\u2212]?[0-9.,]*[0-9])\s*(?P<unit>%|[^\W\d_][^\d]{0,29})$")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_RANGE_WORDS = re.compile(r"[0-9]\s*(?:-|–|—|s\.?\s?d\.?|s/d|sampai|hingga)\s*[0-9]", re.IGNORECASE)


def _ambiguous(core: str, sep: str) -> Converted[Any]:
    whole = core.replace(sep, "")
    as_dec = core.replace(",", ".")
    return _fail(
        AMBIGUOUS,
        f"angka {core} ambigu: bisa dibaca {whole} (pemisah ribuan) atau {as_dec} (desimal)",
        "Hapus pemisah ribuan (ketik 1234), atau format sel sebagai Angka lalu ketik nilainya "
        "agar Excel menyimpannya sebagai angka, bukan teks.",
    )


def _parse_core(core: str, context: NumberContext, notes: list[str]) -> Converted[float]:
    """Digits with ``.``/``,`` separators -> float (no sign, no unit)."""
    if not _NUM_CORE.match(core) or core.endswith((".", ",")):
        return _fail(NOT_A_NUMBER, f"{_shown(core)} bukan angka")
    has_dot, has_comma = "." in core, "," in core
    if has_dot and has_comma:
        dec = "," if core.rfind(",") > core.rfind(".") else "."
        thou = "." if dec == "," else ","
        whole, frac = core.rsplit(dec, 1)
        pattern = _GROUPED_DOT if thou == "." else _GROUPED_COMMA
        if dec in whole or not pattern.match(whole) or thou in frac:
            return _fail(NOT_A_NUMBER, f"{_shown(core)} bukan angka: pemisah ribuan/desimal tidak konsisten")
        notes.append(
            f"{core} dibaca dengan format Indonesia (titik ribuan, koma desimal)" if dec == ","
            else f"{core} dibaca dengan format Inggris (koma ribuan, titik desimal)"
        )
        return Converted(float(whole.replace(thou, "") + "." + frac))
    if not has_dot and not has_comma:
        return Converted(float(core))
    sep = "." if has_dot else ","
    count = core.count(sep)
    grouped = (_GROUPED_DOT if sep == "." else _GROUPED_COMMA).match(core)
    if count > 1:
        if not grouped:
            return _fail(NOT_A_NUMBER, f"{_shown(core)} bukan angka")
        notes.append(f"{core}: pemisah ribuan dihapus")
        return Converted(float(core.replace(sep, "")))
    if grouped:  # one separator followed by exactly three digits: 1.234 / 1,234
        if context in ("amount", "integer") and sep == ".":
            notes.append(f"{core}: titik dibaca sebagai pemisah ribuan")
            return Converted(float(core.replace(".", "")))
        return _ambiguous(core, sep)
    if sep == ",":
        notes.append(f"koma desimal: {core} dibaca {core.replace(',', '.')}")
    return Converted(float(core.replace(",", ".") if not core.startswith((".", ",")) else "0" + core.replace(",", ".")))


def _too_long(s: str) -> Converted[Any]:
    return _fail(NOT_A_NUMBER, f"teks sepanjang {len(s):_} karakter bukan angka ".replace("_", ".")
                 + f"(batas {MAX_NUMBER_TEXT} karakter untuk sebuah angka): {_shown(s)}",
                 "Isi dengan angka saja, mis. 85 atau 85,5.")


def _too_large(x: float, shown: str) -> Converted[Any]:
    return _fail(TOO_LARGE, f"angka {shown} terlalu besar (batas ±1.000.000.000.000.000, yaitu 10^15)",
                 "Periksa angkanya; jumlah rupiah ditulis tanpa desimal, mis. 1500000000.")


def _number_from_text(text: str, context: NumberContext, notes: list[str]) -> Converted[float]:
    s = _clean(text, notes)
    if s == "":
        if notes:
            notes.append("sel berisi spasi saja, dianggap kosong")
        return _done(None, notes)  # type: ignore[arg-type]
    if len(s) > MAX_NUMBER_TEXT:
        return _too_long(s)
    if s.upper() in EXCEL_ERRORS:
        return _fail(EXCEL_ERROR, f"sel berisi nilai galat Excel {s}",
                     "Perbaiki rumus atau ketik angkanya langsung.")
    m = _CURRENCY.match(s)
    if m:
        s = s[m.end():]
        notes.append("awalan Rp dihapus")
    if _DMY.match(s):
        return _fail(DATE_IN_NUMBER, f"{_shown(text)} tampak seperti tanggal, padahal harus angka",
                     "Isi dengan angka saja, mis. 85 atau 85,5.")
    if _RANGE_WORDS.search(s) and not re.fullmatch(r"[-+\u2212]?[0-9.,]+", s):
        return _fail(RANGE_NOT_ALLOWED, f"{_shown(text)} berupa rentang; di sini harus satu angka",
                     "Rentang hanya boleh pada kolom Target PK.")
    unit = _UNIT.match(s)
    if unit and unit.group("unit"):
        u = unit.group("unit").strip()
        s = unit.group("num")
        notes.append("tanda % dihapus" if u == "%" else f"satuan “{u}” dihapus dari angka")
    sign = 1.0
    if s[:1] in "-+\u2212":
        sign = -1.0 if s[0] in "-\u2212" else 1.0
        s = s[1:].lstrip()
    res = _parse_core(s, context, notes)
    if not res.ok:
        if res.code == NOT_A_NUMBER:
            return _fail(NOT_A_NUMBER, f"{_shown(text)} bukan angka",
                         "Isi dengan angka saja, mis. 85 atau 85,5.")
        return res
    assert res.value is not None
    if not abs(res.value) <= MAX_MAGNITUDE:  # also inf (310 digits) and nan
        return _too_large(res.value, _shown(text))
    notes.insert(0, "teks diubah menjadi angka")
    return _done(sign * res.value, notes)


def normalize_number(raw: Any, *, context: NumberContext = "number") -> Converted[float]:
    """One number from a raw cell value.  Blank -> ``Converted(None)``; never raises."""
    if raw is None:
        return Converted(None)
    if isinstance(raw, ExcelError):
        return _fail(EXCEL_ERROR, f"sel berisi nilai galat Excel {raw}",
                     "Perbaiki rumus atau ketik angkanya langsung.")
    if isinstance(raw, bool):
        return _fail(BOOL_IN_NUMBER, f"sel berisi nilai logika {'TRUE' if raw else 'FALSE'}, bukan angka",
                     "Ketik angkanya; TRUE/FALSE bukan angka.")
    if isinstance(raw, (int, float)):
        f = float(raw)
        if math.isnan(f) or math.isinf(f):
            return _fail(NOT_A_NUMBER, f"{raw!r} bukan angka terhingga")
        if abs(f) > MAX_MAGNITUDE:
            return _too_large(f, f"{f:.6g}".replace(".", ","))
        if isinstance(raw, PercentNumber):
            pct = round(f * 100, 10)
            return Converted(pct, note=f"sel berformat persen: {_decimal(f)} ({_decimal(pct)}%) dibaca {_decimal(pct)}",
                             code=NOTE)
        return Converted(f)
    if isinstance(raw, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        return _fail(
            DATE_IN_NUMBER, f"sel berisi tanggal/waktu ({raw}), padahal harus angka",
            "Excel mengubah ketikan seperti 1.5 atau 1/5 menjadi tanggal: format sel sebagai "
            "Angka lalu ketik ulang (gunakan koma desimal, mis. 1,5).",
        )
    if isinstance(raw, str):
        return _number_from_text(raw, context, [])
    return _fail(NOT_A_NUMBER, f"{_shown(raw)} bukan angka")


def _decimal(x: float) -> str:
    return f"{x:.10g}".replace(".", ",")


def normalize_integer(raw: Any) -> Converted[int]:
    """A whole number (Tahun, No); a fraction is an error."""
    res = normalize_number(raw, context="integer")
    if not res.ok or res.value is None:
        return res  # type: ignore[return-value]
    if not float(res.value).is_integer():
        return _fail(NOT_A_NUMBER, f"{res.value:g} bukan bilangan bulat", "Isi dengan bilangan bulat.")
    return Converted(int(res.value), note=res.note, code=res.code)


_RANGE = re.compile(
    r"^(?P<lo>.+?)\s*(?:–|—|-|\bs\.?\s?d\.?|\bs/d|\bsampai(?:\s+dengan)?|\bhingga)\s*(?P<hi>[-+\u2212]?\d.*)$",
    re.IGNORECASE,
)


def normalize_target(raw: Any) -> Converted[Target]:
    """A PK target: one number, or a range ``(low, high)`` typed as text ("80-90", "80 s.d. 90").

    The order of the bounds is not checked here (a rule reports a low bound not below the high).
    """
    if not isinstance(raw, str) or isinstance(raw, ExcelError):
        return normalize_number(raw)  # type: ignore[return-value]
    notes: list[str] = []
    s = _clean(raw, notes)
    if len(s) > MAX_NUMBER_TEXT:
        return _too_long(s)
    m = _RANGE.match(s)
    if m is None or not re.search(r"\d", m.group("lo")):
        return normalize_number(raw)  # type: ignore[return-value]
    lo = _number_from_text(m.group("lo"), "number", [])
    hi = _number_from_text(m.group("hi"), "number", [])
    for side in (lo, hi):
        if not side.ok:
            return _fail(side.code or NOT_A_NUMBER, f"rentang {_shown(raw)} tidak dapat dibaca: {side.error}",
                         side.hint or "Tulis rentang sebagai mis. 80-90 atau 80 s.d. 90.")
    assert lo.value is not None and hi.value is not None
    notes.append(f"rentang dibaca sebagai {lo.value:g} s.d. {hi.value:g}")
    return Converted((lo.value, hi.value), note="; ".join(notes), code=NOTE)


# --------------------------------------------------------------------------- text and choices
def _number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else repr(float(x))


def normalize_text(raw: Any) -> Converted[str]:
    """Free text: blank -> ``""``; odd spaces replaced and stripped (reported); numbers as text."""
    if raw is None:
        return Converted("")
    if isinstance(raw, ExcelError):
        return _fail(EXCEL_ERROR, f"sel berisi nilai galat Excel {raw}", "Ganti dengan teks yang benar.")
    if isinstance(raw, bool):
        return Converted("TRUE" if raw else "FALSE")
    if isinstance(raw, float):
        return Converted(_number_text(raw)) if math.isfinite(raw) else _fail(NOT_A_NUMBER, f"{raw!r} tidak sah")
    if isinstance(raw, int):
        return Converted(str(raw))
    if isinstance(raw, (dt.datetime, dt.date)):
        return Converted(raw.isoformat())
    if not isinstance(raw, str):
        return Converted(str(raw))
    if raw.isascii() and raw.isprintable() and raw.strip() == raw:
        return Converted(raw)  # the common case, without a regex
    notes: list[str] = []
    s = _clean(raw, notes)
    if s == "" and notes:
        notes.append("sel berisi spasi saja, dianggap kosong")
    return _done(s, notes)


_CHOICE_SEP = re.compile(r"[\s_\-]+")


@lru_cache(maxsize=1024)
def _choice_key(text: str) -> str:
    return _CHOICE_SEP.sub(" ", text.strip().lower())


@lru_cache(maxsize=64)
def _choice_table(choices: tuple[str, ...], aliases: tuple[tuple[str, str], ...]) -> dict[str, str]:
    table = {_choice_key(c): c for c in choices}
    for k, v in aliases:
        table.setdefault(_choice_key(k), v)
    return table


# Short plain text (type exactly str: an ExcelError compares equal to its text) repeats a lot in a
# workbook ("positif", "Y"): the conversions below are pure, so each distinct text is converted once.
_MEMO_MAX_LEN = 64


def normalize_choice(
    raw: Any,
    choices: Sequence[str],
    aliases: Mapping[str, str] | None = None,
    *,
    what: str = "nilai",
) -> Converted[str]:
    """One of ``choices`` (case, spaces, hyphens and ``aliases`` forgiven; the change is noted)."""
    if type(raw) is str and len(raw) <= _MEMO_MAX_LEN:
        return _choice_memo(raw, tuple(choices), tuple(sorted((aliases or {}).items())), what)
    return _choice(raw, choices, aliases, what)


@lru_cache(maxsize=2048)
def _choice_memo(raw: str, choices: tuple[str, ...], aliases: tuple[tuple[str, str], ...],
                 what: str) -> Converted[str]:
    return _choice(raw, choices, dict(aliases), what)


def _choice(raw: Any, choices: Sequence[str], aliases: Mapping[str, str] | None, what: str) -> Converted[str]:
    txt = normalize_text(raw)
    if not txt.ok:
        return txt
    s = txt.value or ""
    if s == "":
        return Converted(None, note=txt.note, code=txt.code)
    canon = _choice_table(tuple(choices), tuple(sorted((aliases or {}).items()))).get(_choice_key(s))
    if canon is None:
        return _fail(BAD_CHOICE, f"{what} {_shown(s)} tidak dikenal; pilihan: {', '.join(choices)}",
                     f"Pilih salah satu: {', '.join(choices)}.")
    notes = [txt.note] if txt.note else []
    if canon != s:
        notes.append(f"“{s}” dibaca sebagai “{canon}”")
    return _done(canon, notes)

#: one table of answer words (the workbook's formulas read them too)
_ANSWER_ALIASES = ALIAS_JAWABAN


def normalize_answer(raw: Any) -> Converted[str]:
    """An LKE answer: stripped and upper-cased ("ya" -> "Y", "tidak" -> "T").  Validity against the
    criterion's Jenis Jawaban is a rule, not a conversion."""
    if type(raw) is str and len(raw) <= _MEMO_MAX_LEN:
        return _answer_memo(raw)
    return _answer(raw)


@lru_cache(maxsize=2048)
def _answer_memo(raw: str) -> Converted[str]:
    return _answer(raw)


def _answer(raw: Any) -> Converted[str]:
    txt = normalize_text(raw)
    if not txt.ok or not txt.value:
        return Converted(None, note=txt.note, code=txt.code) if txt.ok else txt
    s = txt.value
    up = _ANSWER_ALIASES.get(s.upper(), s.upper())
    notes = [txt.note] if txt.note else []
    if up != s:
        notes.append(f"jawaban “{s}” dibaca “{up}”")
    return _done(up, notes)


# --------------------------------------------------------------------------- dates
_MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6,
    "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8,
    "ags": 8, "aug": 8, "august": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10,
    "okt": 10, "oct": 10, "october": 10, "november": 11, "nov": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_TEXT_DATE = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _make_date(y: int, m: int, d: int, raw: Any) -> Converted[dt.date]:
    try:
        return Converted(dt.date(y, m, d))
    except ValueError:
        return _fail(BAD_DATE, f"{_shown(raw)} bukan tanggal yang sah",
                     "Tulis tanggal sebagai hari/bulan/tahun, mis. 31/12/2025.")


def _date_from_text(raw: str) -> Converted[dt.date]:
    notes: list[str] = []
    s = _clean(raw, notes)
    if s == "":
        return Converted(None)
    if s.upper() in EXCEL_ERRORS:
        return _fail(EXCEL_ERROR, f"sel berisi nilai galat Excel {s}")
    res: Converted[dt.date]
    if m := _YMD.match(s):
        res = _make_date(int(m[1]), int(m[2]), int(m[3]), raw)
    elif m := _DMY.match(s):
        y = int(m[3])
        if len(m[3]) == 2:
            y += 2000
            notes.append(f"tahun dua digit {m[3]} dibaca {y}")
        res = _make_date(y, int(m[2]), int(m[1]), raw)
    elif (m := _TEXT_DATE.match(s)) and m[2].lower() in _MONTHS:
        res = _make_date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]), raw)
    else:
        return _fail(BAD_DATE, f"{_shown(raw)} bukan tanggal",
                     "Tulis tanggal sebagai hari/bulan/tahun, mis. 31/12/2025, atau format sel sebagai Tanggal.")
    if not res.ok or res.value is None:
        return res
    notes.insert(0, f"teks {_shown(s)} dibaca sebagai tanggal {res.value:%d/%m/%Y}")
    return _done(res.value, notes)


def normalize_date(raw: Any) -> Converted[dt.date]:
    """A date from a date cell, an Excel serial number, or text (Indonesian day/month/year)."""
    if raw is None:
        return Converted(None)
    if isinstance(raw, ExcelError):
        return _fail(EXCEL_ERROR, f"sel berisi nilai galat Excel {raw}")
    if isinstance(raw, dt.datetime):
        return Converted(raw.date())
    if isinstance(raw, dt.date):
        return Converted(raw)
    if isinstance(raw, bool):
        return _fail(BAD_DATE, "sel berisi nilai logika, bukan tanggal")
    if isinstance(raw, (int, float)):
        f = float(raw)
        if not math.isfinite(f) or not 1 <= f < 2958466 or not f.is_integer():
            return _fail(BAD_DATE, f"{raw!r} bukan tanggal",
                         "Format sel sebagai Tanggal, mis. 31/12/2025.")
        d = _EXCEL_EPOCH + dt.timedelta(days=int(f))
        return Converted(d, note=f"nomor seri Excel {int(f)} dibaca sebagai tanggal {d:%d/%m/%Y}", code=NOTE)
    if isinstance(raw, str):
        return _date_from_text(raw)
    return _fail(BAD_DATE, f"{_shown(raw)} bukan tanggal")


# --------------------------------------------------------------------------- UDF API
def _flat(values: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(_flat(v))
        else:
            out.append(v)
    return out


def _one(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        cells = _flat(value)
        if len(cells) == 0:
            return None
        if len(cells) > 1:
            raise InvalidInput(
                f"diharapkan satu sel, bukan rentang {len(cells)} sel",
                hint="Rujuk satu sel saja, mis. G5.",
            )
        return cells[0]
    return value


def to_number(value: Any) -> float | None:
    """A number from what Excel passes to a UDF: None for blank, else a float.

    Accepts numbers, Indonesian/English number text ("85,5", "1.234,5", "1,234.5"), "85%",
    a unit after the number ("12 dokumen") and a 1x1 range.  Raises
    :class:`~sakip_xl.errors.InvalidInput` for text that is not a number, ambiguous text
    ("1.234"), booleans, dates, Excel errors and multi-cell ranges.
    """
    res = normalize_number(_one(value))
    if not res.ok:
        raise InvalidInput(res.error or "bukan angka", hint=res.hint)
    return res.value


def to_numbers(values: Any) -> list[float | None]:
    """Every cell of a range (scalars, 1-D or 2-D lists), row by row, through :func:`to_number`."""
    cells = _flat(values) if isinstance(values, (list, tuple)) else [values]
    return [to_number(v) for v in cells]


def to_target(value: Any) -> Target | None:
    """A target for a UDF: a number or a ``(low, high)`` range typed as text; None for blank."""
    res = normalize_target(_one(value))
    if not res.ok:
        raise InvalidInput(res.error or "target tidak sah", hint=res.hint)
    return res.value
