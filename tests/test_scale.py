"""National scale: detail sheets split within Excel's row limit (issue 18).  Excel's real limit
(1 048 576 rows) is lowered for the test, so the same code path runs on a small city."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from sakip_xl.consolidation import consolidate, summary_xlsx
from sakip_xl.demo import generate_city, write_city


def test_detail_sheets_are_split_within_the_row_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_city(generate_city(8, seed=3, kesalahan=False), tmp_path / "opd", jobs=1, rusak=False)
    rk = consolidate(tmp_path / "opd", jobs=1)
    limit = 7  # rows per sheet, header included
    monkeypatch.setattr(summary_xlsx, "EXCEL_MAX_ROWS", limit)
    out = rk.to_excel(tmp_path / "rekap.xlsx")
    wb = CalamineWorkbook.from_path(str(out))
    for base, df in (("Detail Indikator", rk.indikator), ("Anggaran", rk.anggaran)):
        names = [n for n in wb.sheet_names if n == base or n.startswith(base + " (")]
        assert len(names) == -(-len(df) // (limit - 1)) > 1, (base, names)
        rows = []
        for n, name in enumerate(names, start=1):
            assert name == (base if n == 1 else f"{base} ({n})")
            sheet = wb.get_sheet_by_name(name).to_python()
            assert 2 <= len(sheet) <= limit
            assert sheet[0] == wb.get_sheet_by_name(base).to_python()[0]  # the same header on every part
            rows.extend(sheet[1:])
        assert len(rows) == len(df)
        assert [r[0] for r in rows] == list(df["opd_kode"])  # every row once, in order
