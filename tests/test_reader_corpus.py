"""The fixture corpus (tests/fixtures/build_corpus.py): each file gives exactly its Issues or error.

The corpus is built once per test session from the real template; LibreOffice cases are built on
demand (slow).  Cells come from the template's own layout, so every expectation is pinned to a
code and a cell.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

import build_corpus as bc  # noqa: E402

from sakip_xl import check_workbook, read_workbook  # noqa: E402
from sakip_xl.errors import SakipError  # noqa: E402
from sakip_xl.issues import Issue, Severity  # noqa: E402

FAST = [n for n, c in bc.CASES.items() if not c.slow]
SLOW = [n for n, c in bc.CASES.items() if c.slow]


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus")


@pytest.fixture(scope="session")
def corpus(corpus_dir: Path) -> dict[str, Path]:
    return bc.build_corpus(corpus_dir)


@pytest.fixture(scope="session")
def base_file(corpus: dict[str, Path], corpus_dir: Path) -> Path:
    return corpus_dir / "_dasar.xlsx"


def _where(i: Issue) -> str | None:
    if not i.sheet:
        return None
    return i.sheet + (f"!{i.cell}" if i.cell else "")


def _check(name: str, path: Path) -> None:
    c = bc.CASES[name]
    if c.raises is not None:
        with pytest.raises(c.raises) as info:
            read_workbook(path, today=bc.TODAY)
        assert isinstance(info.value, SakipError)
        assert c.match and c.match in info.value.message, info.value.message
        wb, issues = check_workbook(path, today=bc.TODAY)
        assert wb is None
        assert [(i.code, i.severity) for i in issues] == [(info.value.code, Severity.ERROR)]
        assert issues[0].file == os.fspath(path) and issues[0].hint
        return
    wb, issues = read_workbook(path, today=bc.TODAY)
    got = sorted((i.code, _where(i)) for i in issues)
    assert got == sorted(c.expect), "\n".join(str(i) for i in issues)
    for i in issues:
        assert i.file == os.fspath(path) and i.message and i.hint
    assert wb.sumber == os.fspath(path)
    if c.same_model:
        assert bc.strip_provenance(wb) == bc.strip_provenance(bc.base_workbook())


@pytest.mark.parametrize("name", FAST)
def test_case(name: str, corpus: dict[str, Path]) -> None:
    _check(name, corpus[name])


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", SLOW)
def test_case_libreoffice(name: str, corpus_dir: Path, base_file: Path) -> None:
    out = corpus_dir / f"lo_{name}"
    out.mkdir(exist_ok=True)
    _check(name, bc.CASES[name].build(out, base_file))


def test_every_case_is_named_after_its_file(corpus: dict[str, Path]) -> None:
    for name, path in corpus.items():
        assert path.stem == name


def test_lokasi_points_at_the_cells(corpus: dict[str, Path]) -> None:
    """Provenance: every number of the model names the cell it came from."""
    wb, _ = read_workbook(corpus["opd_bersih"], today=bc.TODAY)
    lay = bc.layout()
    ind = wb.indikator[3]
    assert ind.lokasi["target"] == f"PK!{lay.pk.a1('Target', 3)}"
    assert ind.lokasi["realisasi_tw.1"] == f"Rencana Aksi!{lay.ra.a1('Realisasi TW II', 3)}"
    assert ind.lokasi["capaian"] == f"Rencana Aksi!{lay.ra.a1('Capaian (%)', 3)}"
    assert wb.anggaran[0].lokasi["pagu"] == f"Anggaran!{lay.anggaran.a1('Pagu', 0)}"
    assert wb.lke[0].lokasi["jawaban_opd"] == f"LKE!{lay.lke.a1('Jawaban OPD', 0)}"
    assert wb.tindak_lanjut[1].lokasi["batas_waktu"] == f"Tindak Lanjut!{lay.tindak_lanjut.a1('Batas Waktu', 1)}"
    moved, _ = read_workbook(corpus["opd_tabel_dipindah"], today=bc.TODAY)
    assert moved.anggaran[0].lokasi["pagu"] == "Anggaran!G7"  # two rows down, two columns right


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_input_files_are_never_modified(corpus: dict[str, Path]) -> None:
    """Hash every corpus file before and after reading; half of them read-only."""
    files = sorted(corpus.values())
    before = {p: (_digest(p), p.stat().st_mtime_ns) for p in files}
    for n, p in enumerate(files):
        if n % 2:
            p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        for p in files:
            check_workbook(p, today=bc.TODAY)
    finally:
        for p in files:
            p.chmod(stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    assert {p: (_digest(p), p.stat().st_mtime_ns) for p in files} == before
    assert not [x for x in files[0].parent.iterdir() if x.name.startswith((".~lock", "~$"))]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    wb, issues = check_workbook(tmp_path / "tidak_ada.xlsx")
    assert wb is None and [i.code for i in issues] == ["BACA"]
    wb, issues = check_workbook(tmp_path)
    assert wb is None and [i.code for i in issues] == ["BACA"]
