"""``sakip-xl demo``: a fictional city, deterministic for a seed, consolidated in well under a minute."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sakip_xl.demo import DemoFolderError, generate_city, opd_list, run_demo
from sakip_xl.policy import Policy
from sakip_xl.scoring import kerangka_logis, load_kriteria


def demo(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sakip_xl.cli", "demo", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_city_is_plausible_and_deterministic() -> None:
    a = generate_city(40, seed=7)
    b = generate_city(40, seed=7)
    c = generate_city(40, seed=8)
    assert [w.model_dump() for w in a.opd] == [w.model_dump() for w in b.opd]
    assert [w.model_dump() for w in a.opd] != [w.model_dump() for w in c.opd]
    assert len({w.profil.opd_kode for w in a.opd}) == 40
    assert len(a.kesalahan) == 4
    ks = load_kriteria(Policy())
    clean = generate_city(40, seed=7, kesalahan=False)
    for wb in clean.opd:
        assert 3 <= len(wb.indikator) <= 6
        assert len(wb.lke) == len(ks)
        assert not kerangka_logis(wb.jawaban_opd(), ks)  # answers respect the kerangka logis
        progs = [x for x in wb.anggaran if x.level == "Program"]
        kegs = [x for x in wb.anggaran if x.level == "Kegiatan"]
        assert sum(p.pagu or 0 for p in progs) == sum(k.pagu or 0 for k in kegs)
        for line in wb.anggaran:
            assert sum(v or 0 for v in line.realisasi_tw) <= (line.pagu or 0)


def test_opd_list_grows_with_kecamatan() -> None:
    specs = opd_list(60)
    assert len({s.kode for s in specs}) == 60
    assert sum(1 for s in specs if s.jenis == "Kecamatan") == 60 - 32


def test_demo_command_small_city(tmp_path: Path) -> None:
    r = demo("-o", "kota", "--jumlah-opd", "10", "--seed", "3", "--jobs", "2", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "kota" / "rekap_kota.xlsx").exists()
    assert len(list((tmp_path / "kota" / "opd").glob("*.xlsx"))) == 13  # 10 OPDs + 3 bad files
    assert "Kesalahan yang sengaja dimasukkan" in r.stdout and "10 OPD" not in r.stdout
    assert "9 OPD dikonsolidasi" in r.stdout  # one OPD has a duplicate: reported, not merged


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    """Run twice in the same folder: the second run replaces the first with identical files."""

    def digests(folder: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.xlsx"))}

    one = run_demo(tmp_path / "a", jumlah_opd=8, seed=5, jobs=1)
    first = digests(one.folder)
    assert len(first) == 8 + 3 + 1  # OPDs, bad files, rekap_kota.xlsx
    two = run_demo(tmp_path / "a", jumlah_opd=8, seed=5, jobs=1)
    assert digests(two.folder) == first


def test_demo_never_overwrites_foreign_files(tmp_path: Path) -> None:
    (tmp_path / "opd").mkdir()
    (tmp_path / "opd" / "laporan_penting.xlsx").write_bytes(b"milik pengguna")
    with pytest.raises(DemoFolderError):
        run_demo(tmp_path, jumlah_opd=8)
    assert (tmp_path / "opd" / "laporan_penting.xlsx").read_bytes() == b"milik pengguna"
    r = demo("-o", str(tmp_path), "--jumlah-opd", "8", cwd=tmp_path)
    assert r.returncode == 1 and "sudah berisi berkas lain" in r.stderr


@pytest.mark.slow
def test_readme_first_command_default_city(tmp_path: Path) -> None:
    """``sakip-xl demo`` with its defaults: 40 OPDs, ./hasil_demo, well under a minute on an idle machine."""
    start = time.perf_counter()
    r = subprocess.run(["sakip-xl", "demo"], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    elapsed = time.perf_counter() - start
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "hasil_demo" / "rekap_kota.xlsx").exists()
    assert len(list((tmp_path / "hasil_demo" / "opd").glob("*.xlsx"))) == 43
    assert "OPD diterima: 40 dari 41" in r.stdout
    # The suite runs on 2 busy cores next to other tests; alone it takes about 10-15 s.
    assert elapsed < 90, elapsed
