"""The consolidation's result cache: a re-run reads only what changed, and never says anything
different from a fresh read (issue 18)."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pandas as pd
import pytest

from sakip_xl.consolidation import cache as cache_mod
from sakip_xl.consolidation import consolidate
from sakip_xl.consolidation.cache import ResultCache, valid_range
from sakip_xl.consolidation.engine import process_file
from sakip_xl.consolidation.rekap import DATAFRAMES, Rekap
from sakip_xl.demo import file_name, generate_city, write_city
from sakip_xl.excel.template import write_workbook
from sakip_xl.models import OPDWorkbook
from sakip_xl.policy import Policy


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[OPDWorkbook]]:
    """Eight OPD workbooks of the demo city, the demo's deliberate mistakes and bad files included."""
    folder = tmp_path_factory.mktemp("kota")
    kota = generate_city(8, seed=5)
    write_city(kota, folder, jobs=1, rusak=True)
    return folder, kota.opd


@pytest.fixture
def folder(city: tuple[Path, list[OPDWorkbook]], tmp_path: Path) -> Path:
    """A private copy of the city (tests change files)."""
    out = tmp_path / "opd"
    shutil.copytree(city[0], out)
    return out


def same(a: Rekap, b: Rekap) -> None:
    """Two summaries are identical: every table, the city figures and every issue."""
    for name in DATAFRAMES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert a.kota == b.kota
    assert a.issues == b.issues
    assert (a.tahun, a.sampai_tw) == (b.tahun, b.sampai_tw)


def run(folder: Path, db: Path | None, policy: Policy | None = None, **kw: object) -> Rekap:
    return consolidate(folder, policy, jobs=1, cache=db, **kw)  # type: ignore[arg-type]


def test_rerun_reads_only_the_changed_file(folder: Path, tmp_path: Path,
                                           city: tuple[Path, list[OPDWorkbook]]) -> None:
    db = tmp_path / "c.sqlite3"
    first = run(folder, db)
    n = len(first.sumber)
    assert first.meta["cache_terpakai"] == 0 and first.meta["cache_dibaca"] == n
    same(first, run(folder, None))

    again = run(folder, db)
    stable = {"kiriman_email_rusak.xlsx"}  # unreadable files are not kept (their failure may not repeat)
    assert again.meta["cache_dibaca"] == len([x for x in first.sumber["berkas"] if x in stable])
    same(again, first)

    # One OPD resubmits: a changed realisation.
    wb = city[1][2].model_copy(deep=True)
    wb.indikator[0].realisasi_tw[0] = (wb.indikator[0].realisasi_tw[0] or 0) + 7
    write_workbook(folder / file_name(wb), wb)
    after = run(folder, db)
    assert after.meta["cache_dibaca"] == 1 + len(stable)
    assert after.meta["cache_terpakai"] == n - 1 - len(stable)
    fresh = run(folder, None)
    same(after, fresh)
    assert not after.indikator.equals(first.indikator)  # the change did reach the summary


def test_policy_change_reads_again(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    run(folder, db)
    other = Policy(cap_rata_rata=100.0, batas_predikat="inklusif")
    cached = run(folder, db, other)
    assert cached.meta["cache_terpakai"] == 0
    same(cached, run(folder, None, other))
    same(run(folder, db, other), cached)  # and now that policy is cached too
    assert run(folder, db, other).meta["cache_dibaca"] <= 1
    tw = run(folder, db, sampai_tw=2)
    assert tw.meta["cache_terpakai"] == 0
    same(tw, run(folder, None, sampai_tw=2))


def test_version_change_reads_again(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.sqlite3"
    first = run(folder, db)
    monkeypatch.setattr(cache_mod, "code_version", lambda: "9.9.9+lain")
    later = run(folder, db)
    assert later.meta["cache_terpakai"] == 0
    same(later, first)


def test_code_version_covers_the_package_files() -> None:
    v = cache_mod.code_version()
    import sakip_xl

    assert v.startswith(sakip_xl.__version__ + "+") and len(v.split("+")[1]) == 16


def test_policy_hash_covers_a_city_criteria_file(tmp_path: Path) -> None:
    src = tmp_path / "kriteria.csv"
    src.write_text("a,b\n", encoding="utf-8")
    p = Policy.model_validate({"lke": {"varian": str(src)}})
    h1 = cache_mod.policy_hash(p)
    src.write_text("a,c\n", encoding="utf-8")
    assert cache_mod.policy_hash(p) != h1
    assert cache_mod.policy_hash(Policy()) != cache_mod.policy_hash(Policy(cap_rata_rata=110.0))


@pytest.mark.parametrize("damage", ["garbage", "truncated", "pages"])
def test_corrupt_cache_never_breaks_a_run(folder: Path, tmp_path: Path, damage: str) -> None:
    db = tmp_path / "c.sqlite3"
    first = run(folder, db)
    raw = db.read_bytes()
    if damage == "garbage":
        db.write_bytes(b"\x00not a database\xff" * 500)
    elif damage == "truncated":
        db.write_bytes(raw[: len(raw) // 3])
    else:  # a valid header, scrambled pages
        db.write_bytes(raw[:100] + bytes((b ^ 0x5A) for b in raw[100:]))
    later = run(folder, db)
    same(later, first)
    assert later.meta["cache_catatan"] and "rusak" in later.meta["cache_catatan"]
    assert db.with_name(db.name + ".rusak").exists()
    # The fresh cache works again from the next run.
    assert run(folder, db).meta["cache_terpakai"] > 0


def test_a_foreign_entry_is_never_unpickled(folder: Path, tmp_path: Path) -> None:
    """An entry that would run code (or is not a result) is a miss; the file is read instead."""
    db = tmp_path / "c.sqlite3"
    first = run(folder, db)

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("touch " + str(tmp_path / "pwned"),))

    con = sqlite3.connect(db)
    con.execute("UPDATE hasil SET data=?", (zlib.compress(pickle.dumps(Evil())),))
    con.commit()
    con.close()
    later = run(folder, db)
    assert not (tmp_path / "pwned").exists()
    assert later.meta["cache_terpakai"] == 0
    same(later, first)


def test_unwritable_cache_place_is_only_a_note(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "berkas"
    blocker.write_text("x")
    rk = run(folder, blocker / "c.sqlite3")  # its parent is a file: cannot be created
    assert rk.meta["cache_catatan"]
    same(rk, run(folder, None))


def test_result_valid_until_the_first_deadline_ahead(city: tuple[Path, list[OPDWorkbook]],
                                                     tmp_path: Path) -> None:
    folder, opds = city
    wb = next(w for w in opds if any(t.batas_waktu for t in w.tindak_lanjut))
    res = process_file(0, str(folder / file_name(wb)), file_name(wb))
    day = min(t.batas_waktu for t in wb.tindak_lanjut if t.batas_waktu) - dt.timedelta(days=3)
    lo, hi = valid_range(res, day)
    assert lo == day and hi == min(t.batas_waktu for t in wb.tindak_lanjut if t.batas_waktu)
    db = tmp_path / "c.sqlite3"
    with ResultCache(db, Policy(), today=day) as c:
        c.put_many([res])
    key = [(res.sha256 or "", res.nama)]
    for when, hit in ((day, True), (hi, True), (hi + dt.timedelta(days=1), False),
                      (day - dt.timedelta(days=1), False)):
        with ResultCache(db, Policy(), today=when) as c:
            assert bool(c.get_many(key)) is hit, when


# --------------------------------------------------------------------------- the CLI
def cli(*args: str, cache_dir: Path) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"SAKIP_CACHE_DIR": str(cache_dir), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "sakip_xl.cli", "konsolidasi", *args], capture_output=True,
                          text=True, timeout=300, env=env)


def test_cli_uses_the_cache_and_tanpa_cache_reads_all(folder: Path, tmp_path: Path) -> None:
    cdir = tmp_path / "cache"
    out = tmp_path / "rekap.xlsx"
    r1 = cli(str(folder), "-o", str(out), "--json", "-j", "1", cache_dir=cdir)
    assert r1.returncode in (0, 3), r1.stderr
    d1 = json.loads(r1.stdout)
    assert (cdir / "hasil.sqlite3").exists() and d1["cache"]["cache_terpakai"] == 0
    r2 = cli(str(folder), "-o", str(out), "--json", "-j", "1", cache_dir=cdir)
    d2 = json.loads(r2.stdout)
    assert d2["cache"]["cache_terpakai"] == len(d2["berkas"]) - 1
    assert {k: v for k, v in d2.items() if k != "cache"} == {k: v for k, v in d1.items() if k != "cache"}
    r3 = cli(str(folder), "-o", str(out), "--tanpa-cache", "-j", "1", cache_dir=tmp_path / "lain")
    assert r3.returncode in (0, 3) and "Cache:" not in r3.stdout
    assert not (tmp_path / "lain").exists()
    r4 = cli(str(folder), "--tanpa-cache", "--cache", str(tmp_path / "x.sqlite3"), cache_dir=cdir)
    assert r4.returncode == 2 and "tidak boleh bersama" in r4.stderr


def test_only_data_classes_of_sakip_xl_are_unpickled() -> None:
    from sakip_xl.consolidation.cache import _Unpickler

    def load(obj: object) -> object:
        import io

        return _Unpickler(io.BytesIO(pickle.dumps(obj))).load()

    assert load(dt.date(2025, 1, 2)) == dt.date(2025, 1, 2)
    assert load(Policy()) == Policy()  # a pydantic model of sakip-xl
    for bad in (os.system, subprocess.Popen, ResultCache, Path("x"), sqlite3.connect):
        with pytest.raises(pickle.UnpicklingError):
            load(bad)
