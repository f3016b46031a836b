"""Issue 13: the generated hostile corpus (tests/fixtures/hostile_corpus.py) against the contract.

For any bytes given as a workbook, reading gives Issues or one error for that file, never another
exception, never an abort, never a hang: each file within a CPU time linear in its size, the input
never modified, nothing extracted.  ``periksa`` over the whole corpus plus good workbooks finishes
and reads every good one.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

import build_corpus as bc  # noqa: E402
import hostile_corpus as hc  # noqa: E402

from sakip_xl import check_workbook  # noqa: E402
from sakip_xl.cli.core import main  # noqa: E402
from sakip_xl.cli.env import Environment  # noqa: E402
from sakip_xl.excel.codes import CODES  # noqa: E402

#: CPU seconds a file may take here: a base plus a part linear in its size (docs/keamanan-berkas.md);
#: the reader's own cost is far lower (0,01-0,5 s), this leaves room for a loaded CI machine
BASE_S, PER_MIB_S = 5.0, 2.0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hc.build_all(tmp_path_factory.mktemp("hostile"))


def test_every_family_has_cases() -> None:
    families = {fam for fam, _ in hc.CASES.values()}
    assert families == set(hc.FAMILIES)
    assert len(hc.CASES) >= 40


@pytest.mark.parametrize("name", sorted(hc.CASES))
def test_each_case_holds_the_contract(corpus: dict[str, Path], name: str) -> None:
    path = corpus[name]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    start = time.process_time()
    wb, issues = check_workbook(path, today=bc.TODAY)
    spent = time.process_time() - start
    assert spent < BASE_S + PER_MIB_S * path.stat().st_size / 2**20, f"{name}: {spent:.1f} s CPU"
    assert issues or wb is not None
    for i in issues:
        assert i.code in CODES and i.code != "INTERNAL", (name, str(i))
        assert i.message and i.hint, (name, str(i))
    if wb is None:
        assert len(issues) == 1, (name, [str(i) for i in issues])
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # never modified
    assert not Path("/tmp/sakip_traversal.txt").exists() and not Path("/etc/sakip_abs.txt").exists()


EXPECTED = {
    "sst_uniquecount_4294967296": "BERBAHAYA", "sel_tanpa_spasi_sebelum_r": "LEMBAR_TERLALU_BESAR",
    "sejuta_baris_tanpa_r": "BERBAHAYA",  # so repetitive that it is refused as a zip bomb first
    "tigapuluh_ribu_baris_tanpa_r": "LEMBAR_TERLALU_BESAR", "sel_tanpa_r_200ribu": "LEMBAR_TERLALU_BESAR",
    "bagian_ganda": "ZIP_BAGIAN_GANDA", "umpan_lembar_sangat_tersembunyi": "TABEL_TERSEMBUNYI",
    "tabel_ganda_dan_salinan": "TABEL_GANDA", "isian_tautan_eksternal": "RUMUS_DI_ISIAN",
    "isian_indirect": "RUMUS_DI_ISIAN", "pernyataan_diketik_ulang": "PERNYATAAN_BEDA",
    "kode_opd_word_joiner": "KODE_DINORMALKAN", "pagu_1e308_dua_kali": "NILAI_TERLALU_BESAR",
    "angka_310_digit": "NILAI_BUKAN_ANGKA", "dtd_entitas": "BERBAHAYA", "bom_zip_rasio": "BERBAHAYA",
}


@pytest.mark.parametrize(("name", "code"), sorted(EXPECTED.items()))
def test_named_cases_give_their_code(corpus: dict[str, Path], name: str, code: str) -> None:
    _, issues = check_workbook(corpus[name], today=bc.TODAY)
    assert code in {i.code for i in issues}, [str(i) for i in issues]


@pytest.mark.slow
def test_periksa_over_the_whole_corpus_reads_every_good_workbook(corpus: dict[str, Path], tmp_path: Path) -> None:
    folder = next(iter(corpus.values())).parent
    good = [bc.build_base(tmp_path / f"baik{i}") for i in range(3)]
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    status = main(["periksa", str(folder), *map(str, good), "--json", "--tanggal", bc.TODAY.isoformat()],
                  Environment(out, err))
    assert time.perf_counter() - start < 300
    assert status == 3, err.getvalue()
    files = {Path(f["berkas"]).name if "baik" not in f["berkas"] else f["berkas"]: f
             for f in json.loads(out.getvalue())["berkas"]}
    for g in good:
        assert files[str(g)]["dapat_dibaca"] and not files[str(g)]["ada_galat"]
    assert len(files) == len(corpus) + 1 + len(good)  # the corpus, its base workbook, the good ones
