"""The UDFs inside the real template: every ``=SAKIP_*`` cell, fed what Excel would pass it,
gives the value the core computed for that cell.

The template generator writes each formula cell with the value the core computes as its cached
result.  Here each ``=SAKIP_*(...)`` formula of a written workbook is parsed, its references are
read from the workbook (2-D lists, blanks as None, other formula cells as their values, exactly
what xlwings hands a UDF with ``ndim=2``), the add-in's UDF is called and its answer compared with
the cached value.  OPDs with deliberate mistakes are included, so error texts are compared too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from sakip_xl.addin import udfs
from sakip_xl.demo import generate_city
from sakip_xl.excel.template import write_workbook

CALL = re.compile(r"^=(SAKIP_[A-Z_]+)\((.*)\)$")
REF = re.compile(r"^(?:(?:'(?P<qs>[^']+)'|(?P<s>[A-Za-z_][\w ]*))!)?(?P<a>\$?[A-Z]+\$?\d+(?::\$?[A-Z]+\$?\d+)?)$")


pytestmark = pytest.mark.usefixtures("national_policy")


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    kota = generate_city(8, seed=5, kesalahan=True)
    assert kota.kesalahan  # target 0, realisasi over pagu, kerangka logis, formula-like text
    salah = [wb for wb in kota.opd if any(n.startswith(f"{wb.profil.opd_nama}:") for n in kota.kesalahan)]
    bersih = next(wb for wb in kota.opd if wb not in salah)
    d = tmp_path_factory.mktemp("udf_template")
    return [write_workbook(d / f"opd_{i}.xlsx", wb, rumus="udf") for i, wb in enumerate([bersih, *salah])]


def _split_args(text: str) -> list[str]:
    out, depth, cur, quoted = [], 0, "", False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if not quoted and ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += (ch == "(") - (ch == ")") if not quoted else 0
        cur += ch
    if cur or out:
        out.append(cur)
    return out


def _arg(raw: str, sheet: str, values: openpyxl.Workbook) -> Any:
    raw = raw.strip()
    if raw.startswith('"'):
        return [[raw[1:-1].replace('""', '"')]]
    m = REF.match(raw)
    if m:
        ws = values[m.group("qs") or m.group("s") or sheet]
        c1, r1, c2, r2 = range_boundaries(m.group("a").replace("$", ""))
        return [[ws.cell(r, c).value for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
    return [[float(raw)]]


@pytest.mark.slow
def test_every_udf_cell_of_real_workbooks_equals_the_cached_core_value(workbooks: list[Path]) -> None:
    compared: dict[str, int] = {}
    errors_seen = 0
    for path in workbooks:
        formulas = openpyxl.load_workbook(path)
        values = openpyxl.load_workbook(path, data_only=True)
        for ws in formulas.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    m = CALL.match(cell.value) if isinstance(cell.value, str) else None
                    if not m:
                        continue
                    args = [_arg(a, ws.title, values) for a in _split_args(m.group(2))]
                    got = getattr(udfs, m.group(1))(*args)
                    want = values[ws.title][cell.coordinate].value
                    want = "" if want is None else want
                    where = f"[{path.name}]{ws.title}!{cell.coordinate} {cell.value}"
                    if isinstance(want, (int, float)):
                        assert isinstance(got, float) and got == pytest.approx(float(want), rel=1e-12, abs=1e-9), where
                    else:
                        assert got == want, (where, got, want)
                        errors_seen += isinstance(got, str) and got.startswith("#")
                    compared[m.group(1)] = compared.get(m.group(1), 0) + 1
    assert set(compared) >= set(udfs.UDF_NAMES) - {"SAKIP_VERSI"}, compared
    assert sum(compared.values()) > 1000
    assert errors_seen > 0
