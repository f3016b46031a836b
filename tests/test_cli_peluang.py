"""``sakip-xl peluang`` as a user runs it: a subprocess on a real workbook, its exit code and output."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from sakip_xl.excel.reader import read_workbook
from sakip_xl.excel.template import write_workbook
from sakip_xl.models import LKEJawaban
from sakip_xl.policy import Policy
from sakip_xl.scoring.kategori import predikat
from sakip_xl.scoring.lke import load_kriteria, nilai_lke
from sakip_xl.scoring.rencana import nilai_terbit

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

import build_corpus as bc  # noqa: E402


def peluang(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sakip_xl.cli", "peluang", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-assessment around B (evaluator not started)."""
    rng = random.Random(3)
    wb = bc.base_workbook()
    answers = []
    for k in load_kriteria():
        labels = ["T", "Y"] if k.jenis_jawaban == "Y/T" else ["E", "D", "C", "B", "A"]
        answers.append(LKEJawaban(kode=k.kode, jawaban_opd=labels[min(int(rng.random() ** 0.6 * len(labels)),
                                                                        len(labels) - 1)]))
    wb.lke = answers
    return write_workbook(tmp_path_factory.mktemp("peluang") / "opd.xlsx", wb)


def test_text_plan(workbook: Path) -> None:
    r = peluang(workbook)
    assert r.returncode == 0, r.stderr
    assert "Dinas Kesehatan 2025" in r.stdout
    assert "Nilai LKE" in r.stdout and "sumber nilai: mandiri (opd)" in r.stdout
    assert "Rencana terkecil:" in r.stdout and " -> " in r.stdout
    assert "Traceback" not in r.stdout + r.stderr


def test_json_steps_reach_the_promised_predikat(workbook: Path) -> None:
    r = peluang(workbook, "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["sumber_nilai"] == "Mandiri (OPD)" and data["opd_kode"] == "1.02.01"
    wb, _ = read_workbook(workbook)
    answers = wb.jawaban_opd()
    ks = load_kriteria()
    p = Policy()
    assert data["nilai"] == nilai_terbit(nilai_lke(answers, ks, p).total)
    assert data["rencana"], "a mid-level self-assessment has a next predikat"
    for plan in data["rencana"]:
        new = dict(answers)
        for step in plan["langkah"]:
            assert {"kode", "jawaban_sekarang", "jawaban", "poin"} <= set(step)
            assert answers[step["kode"]] == step["jawaban_sekarang"]
            new[step["kode"]] = step["jawaban"]
        after = predikat(nilai_terbit(nilai_lke(new, ks, p).total), p)
        labels = p.predikat_labels
        assert labels.index(after) <= labels.index(plan["predikat_tujuan"])
        assert plan["metode"] == "tepat"
        assert plan["n_kriteria"] == len(plan["langkah"])


def test_unreadable_file_exits_3(tmp_path: Path) -> None:
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"bukan zip")
    r = peluang(bad)
    assert r.returncode == 3 and "rusak.xlsx" in r.stderr and "Traceback" not in r.stderr
    r = peluang(bad, "--json")
    assert r.returncode == 3 and json.loads(r.stdout)["dapat_dibaca"] is False
