"""The same consolidation on a Dask LocalCluster (the distributed path) as on the local pool."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sakip_xl.consolidation import consolidate, dask_executor
from sakip_xl.consolidation.executors import batch_size, worker_count
from sakip_xl.demo import generate_city, write_city

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("dask")
    write_city(generate_city(9, seed=31), base, jobs=1)
    return base


def test_dask_localcluster_gives_the_local_result(folder: Path) -> None:
    local = consolidate(folder, jobs=1)
    seen: list[tuple[int, int]] = []
    with dask_executor(n_workers=2) as ex:
        assert worker_count(ex) == 2
        remote = consolidate(folder, executor=ex, progress=lambda d, t, _: seen.append((d, t)))
        # pure=False: a second identical run is computed again, not served from memory
        again = consolidate(folder, executor=ex)
    for name in ("opd", "indikator", "anggaran", "lke", "masalah", "sumber"):
        assert getattr(local, name).equals(getattr(remote, name)), name
        assert getattr(local, name).equals(getattr(again, name)), name
    assert local.kota == remote.kota
    assert seen[-1] == (12, 12)  # 9 workbooks + duplicate, broken and foreign files
    assert len(seen) == -(-12 // batch_size(12, 2))


def test_any_executor_works(folder: Path) -> None:
    with ThreadPoolExecutor(max_workers=3) as ex:
        threaded = consolidate(folder, executor=ex)
    assert threaded.opd.equals(consolidate(folder, jobs=2).opd)


def test_cli_dask_executor(folder: Path, tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "sakip_xl.cli", "konsolidasi", str(folder), "-o",
                        str(tmp_path / "r.xlsx"), "--executor", "dask", "--jobs", "2"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 3, r.stderr
    assert "9 OPD" not in r.stdout and "8 OPD dikonsolidasi" in r.stdout


def test_unreachable_scheduler_is_a_usage_error(folder: Path, tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "sakip_xl.cli", "konsolidasi", str(folder), "-o",
                        str(tmp_path / "r.xlsx"), "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2, r.stderr
    assert "penjadwal Dask" in r.stderr
