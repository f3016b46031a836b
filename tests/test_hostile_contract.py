"""Issue 13: no file makes sakip-xl crash, hang, lose a file or print a sentence a user cannot act on.

Each failure named in the issue is rebuilt here from the real template (never kept as a binary),
checked to fail the way the issue says on the part of the code it names, and then checked against
the contract (docs/keamanan-berkas.md).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))

import build_corpus as bc  # noqa: E402
from xlsxedit import Book  # noqa: E402

from sakip_xl import check_workbook  # noqa: E402
from sakip_xl.cli.core import main  # noqa: E402
from sakip_xl.cli.env import Environment  # noqa: E402
from sakip_xl.excel.template import write_workbook  # noqa: E402
from sakip_xl.guard import Crash, run_isolated  # noqa: E402
from sakip_xl.models import AnggaranLine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bc.build_base(tmp_path_factory.mktemp("kontrak"))


def _edit(base: Path, out: Path, fn) -> Path:  # type: ignore[no-untyped-def]
    b = Book(base)
    fn(b)
    return b.save(out)


def sst_count(b: Book) -> None:
    b.put("xl/sharedStrings.xml", re.sub(r'uniqueCount="\d+"', 'uniqueCount="4294967296"',
                                         b.text("xl/sharedStrings.xml"), count=1))


def cell_without_space(b: Book) -> None:
    part = b.sheet_part("PK")
    b.put(part, b.text(part).replace("</sheetData>", '<row r="50"><c s="0"r="XFD1048576"><v>1</v></c></row>'
                                                     "</sheetData>"))


def _opd(folder: Path, i: int, **edit: object) -> Path:
    wb = bc.base_workbook()
    wb.profil.opd_kode = f"1.02.{i:02d}"
    wb.profil.opd_nama = f"Dinas {i}"
    for key, value in edit.items():
        setattr(wb, key, value)
    return write_workbook(folder / f"opd_{i:02d}.xlsx", wb)


def _run(env_out: io.StringIO, env_err: io.StringIO, *args: str) -> int:
    return main(list(args), Environment(env_out, env_err))


# --------------------------------------------------------------------------- native aborts
@pytest.mark.parametrize("edit", [sst_count, cell_without_space])
def test_native_abort_inputs_are_refused_before_the_native_reader(base: Path, tmp_path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    path = _edit(base, tmp_path / "abort.xlsx", edit)
    wb, issues = check_workbook(path)  # in this process: an abort would end the test run
    assert wb is None and [i.code for i in issues] in (["BERBAHAYA"], ["LEMBAR_TERLALU_BESAR"])
    assert "batas" in issues[0].message


def test_native_reader_really_aborts_on_them(base: Path, tmp_path: Path) -> None:
    """The reproduction: python-calamine itself ends the process on both files (so the checks above
    are what keeps a batch alive)."""
    for edit in (sst_count, cell_without_space):
        path = _edit(base, tmp_path / f"{edit.__name__}.xlsx", edit)
        code = textwrap.dedent(f"""
            import python_calamine as pc
            wb = pc.CalamineWorkbook.from_path({str(path)!r})
            for name in wb.sheet_names:
                wb.get_sheet_by_name(name).to_python()
        """)
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
        assert r.returncode == -signal.SIGABRT, r.stderr[-500:]


@pytest.fixture
def no_prechecks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader's pre-checks switched off (inherited by forked workers), to show that an abort the
    checks do not foresee is still one error for one file."""
    import sakip_xl.excel.reader as reader

    monkeypatch.setattr(reader, "check_extent", lambda *a, **k: None)
    monkeypatch.setattr(reader, "check_counts", lambda *a, **k: None)


def test_periksa_contains_an_abort_to_its_file(base: Path, tmp_path: Path, no_prechecks: None) -> None:
    good = _opd(tmp_path, 1)
    bad = _edit(base, tmp_path / "bad.xlsx", cell_without_space)
    good2 = _opd(tmp_path, 2)
    out, err = io.StringIO(), io.StringIO()
    status = _run(out, err, "periksa", str(good), str(bad), str(good2), "--json", "--tanggal", "2025-07-01")
    assert status == 3
    files = json.loads(out.getvalue())["berkas"]
    assert [f["dapat_dibaca"] for f in files] == [True, False, True]
    assert "python-calamine" in files[1]["masalah"][0]["message"]


def test_konsolidasi_jobs_1_contains_an_abort(base: Path, tmp_path: Path, no_prechecks: None) -> None:
    src = tmp_path / "opd"
    src.mkdir()
    _opd(src, 1)
    _edit(base, src / "bad_sst.xlsx", sst_count)
    _opd(src, 2)
    out, err = io.StringIO(), io.StringIO()
    status = _run(out, err, "konsolidasi", str(src), "-o", str(tmp_path / "rekap.xlsx"), "--jobs", "1", "--json")
    assert status == 3, err.getvalue()
    data = json.loads(out.getvalue())
    assert sorted(o["opd_kode"] for o in data["opd"]) == ["1.02.01", "1.02.02"]
    assert (tmp_path / "rekap.xlsx").is_file()


def test_isolated_call_reports_abort_and_cpu_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    got = run_isolated(os.abort)
    assert isinstance(got, Crash) and "python-calamine" in got.reason
    import sakip_xl.guard as guard

    monkeypatch.setattr(guard, "CPU_BASE_SECONDS", 1.0)  # inherited by the forked child
    got = run_isolated(_spin_within_budget, timeout=120)
    assert isinstance(got, Crash) and "batas" in got.reason and got.exitcode == -signal.SIGXCPU
    assert run_isolated(divmod, 7, 2) == (3, 1)


def _spin_within_budget() -> None:
    from sakip_xl.guard import cpu_budget

    with cpu_budget(0):
        while True:
            pass


def test_workers_end_with_their_parent(tmp_path: Path) -> None:
    code = textwrap.dedent("""
        import os, sys, time
        from sakip_xl.consolidation.executors import local_executor
        ex = local_executor(2)
        pids = list({ex.submit(os.getpid).result() for _ in range(20)})
        print(" ".join(map(str, pids)), flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None
    pids = [int(x) for x in proc.stdout.readline().split()]
    assert pids
    proc.kill()  # SIGKILL: the parent cannot clean up
    proc.wait()
    deadline = time.monotonic() + 5
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in pids if _alive(p)]
    assert alive == []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


# --------------------------------------------------------------------------- bounded time
@pytest.mark.parametrize("kind", ["target_spaces", "sixty_cells", "comment_errors"])
def test_inputs_that_made_regexes_backtrack_read_fast(base: Path, tmp_path: Path, kind: str) -> None:
    def edit(b: Book) -> None:
        if kind == "target_spaces":
            b.set(*bc.cell("tblPK", "Target", 0), "1" + " " * 32_000 + "x")
        elif kind == "sixty_cells":
            cols = ("Target", "Target Atas", "Indikator Kinerja")
            for col in cols:
                for i in range(20):
                    b.set(*bc.cell("tblPK", col, i), "1" + " " * 4000 + "-")
        else:
            part = b.sheet_part("PK")
            xml = b.text(part)
            b.put(part, xml.replace("</worksheet>", "<!--" + '<c t="e">' * 40_000 + "--></worksheet>"))

    path = _edit(base, tmp_path / f"{kind}.xlsx", edit)
    start = time.process_time()
    wb, issues = check_workbook(path, today=bc.TODAY)
    assert time.process_time() - start < 5  # was more than 60 s
    assert wb is not None
    if kind != "comment_errors":
        assert any(i.code == "NILAI_BUKAN_ANGKA" and "batas 100 karakter" in i.message for i in issues)


# --------------------------------------------------------------------------- one file never stops the batch
def test_pagu_1e308_twice_and_310_digits_do_not_stop_the_batch(tmp_path: Path) -> None:
    src = tmp_path / "opd"
    src.mkdir()
    _opd(src, 1)
    lines = [AnggaranLine(kode=f"P{k}", uraian=f"Program {k}", level="Program", pagu=1e308,
                          realisasi_tw=[1e308, None, None, None]) for k in (1, 2)]
    _opd(src, 2, anggaran=lines)
    p3 = _opd(src, 3)
    b = Book(p3)
    b.set(*bc.cell("tblPK", "Target", 0), "9" * 310)
    b.save(p3)
    out, err = io.StringIO(), io.StringIO()
    status = _run(out, err, "konsolidasi", str(src), "-o", str(tmp_path / "r.xlsx"), "--json", "--jobs", "1")
    assert status == 3, err.getvalue()
    data = json.loads(out.getvalue())
    assert sorted(o["opd_kode"] for o in data["opd"]) == ["1.02.01", "1.02.02", "1.02.03"]
    masalah = [b for b in data["berkas"] if b["n_galat"]]
    assert len(masalah) == 2


# --------------------------------------------------------------------------- nothing lost
def test_output_onto_an_input_is_refused_before_reading(tmp_path: Path) -> None:
    src = tmp_path / "opd"
    src.mkdir()
    victim = _opd(src, 1)
    _opd(src, 2)
    before = victim.read_bytes()
    for args in (["konsolidasi", str(src), "-o", str(victim)],
                 ["konsolidasi", str(victim), str(src / "opd_02.xlsx"), "-o", str(victim)]):
        out, err = io.StringIO(), io.StringIO()
        assert _run(out, err, *args) == 2
        assert "salah satu workbook masukan" in err.getvalue() and "Saran:" in err.getvalue()
        assert "Membaca" not in err.getvalue()
    assert victim.read_bytes() == before
    # a summary sakip-xl wrote there before is replaced (and never read as an input)
    rekap = src / "rekap_kota.xlsx"
    assert _run(io.StringIO(), io.StringIO(), "konsolidasi", str(src), "-o", str(rekap), "--jobs", "1") == 0
    assert _run(io.StringIO(), io.StringIO(), "konsolidasi", str(src), "-o", str(rekap), "--jobs", "1") == 0


@pytest.mark.parametrize(("name", "words"), [("rekap.pdf", "harus berakhiran .xlsx"),
                                             ("ada_berkas/rekap.xlsx", "bukan folder")])
def test_output_checked_before_reading(tmp_path: Path, name: str, words: str) -> None:
    (tmp_path / "ada_berkas").write_text("x")
    src = tmp_path / "opd"
    src.mkdir()
    _opd(src, 1)
    out, err = io.StringIO(), io.StringIO()
    assert _run(out, err, "konsolidasi", str(src), "-o", str(tmp_path / name)) == 2
    assert words in err.getvalue() and "Saran:" in err.getvalue() and "Membaca" not in err.getvalue()
    out = io.StringIO()
    assert _run(out, io.StringIO(), "konsolidasi", str(src), "-o", str(tmp_path / name), "--json") == 2
    assert json.loads(out.getvalue())["kode_keluar"] == 2


def test_summary_has_the_usual_mode_and_no_temporary_file(tmp_path: Path) -> None:
    src = tmp_path / "opd"
    src.mkdir()
    _opd(src, 1)
    old = os.umask(0o022)
    try:
        assert _run(io.StringIO(), io.StringIO(), "konsolidasi", str(src), "-o", str(tmp_path / "r.xlsx"),
                    "--csv", str(tmp_path / "csv")) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "r.xlsx").stat().st_mode) == 0o644
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in (tmp_path / "csv").iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv", "opd", "r.xlsx"]


def test_sigkill_during_the_write_leaves_nothing(tmp_path: Path) -> None:
    code = textwrap.dedent(f"""
        import os, signal
        from sakip_xl.atomic import atomic_path
        with atomic_path({str(tmp_path / 'rekap.xlsx')!r}) as tmp:
            tmp.write_bytes(b"setengah" * 1000)
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    r = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert r.returncode == -signal.SIGKILL
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- safe exports
def test_csv_and_parquet_text_is_escaped_and_reads_back(tmp_path: Path) -> None:
    import pandas as pd

    from sakip_xl.consolidation.export import escape_text, unescape_text

    src = tmp_path / "opd"
    src.mkdir()
    wb = bc.base_workbook()
    wb.profil.opd_kode = "1.02.09"
    wb.profil.opd_nama = "=cmd|' /C calc'!A0"
    wb.indikator[0].nama = "@SUM(1+1)"
    wb.indikator[1].nama = "+1+1"
    write_workbook(src / "opd.xlsx", wb)
    assert _run(io.StringIO(), io.StringIO(), "konsolidasi", str(src), "-o", str(tmp_path / "r.xlsx"),
                "--csv", str(tmp_path / "csv"), "--parquet", str(tmp_path / "pq")) == 0
    bad = 0
    for p in (tmp_path / "csv").glob("*.csv"):
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for col in df.columns:
            for v in df[col]:
                bad += v.lstrip().startswith(("=", "+", "@")) or (v.startswith("-") and not _number(v))
    for p in (tmp_path / "pq").glob("*.parquet"):
        df = pd.read_parquet(p)
        for col in df.columns:
            bad += sum(isinstance(v, str) and v.startswith(("=", "+", "@")) for v in df[col])
    assert bad == 0
    opd = pd.read_csv(tmp_path / "csv" / "opd.csv", dtype=str, encoding="utf-8-sig")
    assert opd["opd_nama"][0] == "'=cmd|' /C calc'!A0"
    for s in ("=1", "'=1", "'", "''x", " =1", "-", "abc", "-5", "\t=1"):
        assert unescape_text(escape_text(s)) == s


def _number(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


@pytest.mark.slow
@pytest.mark.libreoffice
def test_a_spreadsheet_opening_the_csv_sees_text(tmp_path: Path) -> None:
    """LibreOffice, told to evaluate formulas in the CSV, computes the raw control field and shows
    every escaped field as text."""
    import shutil

    import pandas as pd
    import python_calamine as pc

    from sakip_xl.consolidation.export import safe_frame

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice tidak terpasang")
    values = ["=1+1", "+1+1", "-1+1", "@SUM(1,1)", "=cmd|' /C calc'!A0"]
    df = safe_frame(pd.DataFrame({"teks": values}))
    csv = tmp_path / "ekspor.csv"
    df.to_csv(csv, index=False, encoding="utf-8")
    with csv.open("a", encoding="utf-8") as f:
        f.write("=1+1\n")  # the control: an unescaped formula
    with __import__("tempfile").TemporaryDirectory() as prof:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{prof}", "--headless", "--norestore",
                        "--infilter=CSV:44,34,76,1,,1033,false,false,false,false,true", "--convert-to", "xlsx",
                        "--outdir", str(tmp_path), str(csv)], check=True, capture_output=True, timeout=180)
    rows = pc.CalamineWorkbook.from_path(str(tmp_path / "ekspor.xlsx")).get_sheet_by_index(0).to_python()
    cells = [r[0] for r in rows[1:]]
    assert cells[-1] == 2.0  # the control was evaluated: the reader does run formulas
    assert all(isinstance(c, str) for c in cells[:-1]), cells
    assert [c.lstrip("'") for c in cells[:-1]] == values


# --------------------------------------------------------------------------- messages
def test_tahun_that_matches_no_workbook_is_one_line(tmp_path: Path) -> None:
    src = tmp_path / "opd"
    src.mkdir()
    for i in range(3):
        _opd(src, i)
    err = io.StringIO()
    assert _run(io.StringIO(), err, "konsolidasi", str(src), "-o", str(tmp_path / "r.xlsx"), "--tahun", "2019",
                "--jobs", "1") == 2
    line = [x for x in err.getvalue().splitlines() if "galat" in x]
    assert line == ["sakip-xl: galat: tidak ada workbook 2019; 3 workbook bertahun 2025 (Saran: pakai --tahun 2025)"]
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize("command", ["periksa", "konsolidasi"])
def test_same_mistake_same_exit_code_and_json_usage_errors(tmp_path: Path, command: str) -> None:
    missing = str(tmp_path / "tidak_ada")
    extra = ["-o", str(tmp_path / "r.xlsx")] if command == "konsolidasi" else []
    err = io.StringIO()
    assert _run(io.StringIO(), err, command, missing, *extra) == 2
    assert "tidak ditemukan" in err.getvalue() and "Saran:" in err.getvalue()
    out = io.StringIO()
    assert _run(out, io.StringIO(), command, "--json", "--opsi-asing") == 2
    data = json.loads(out.getvalue())
    assert data["kode_keluar"] == 2 and data["galat"]["kode"] == "PEMAKAIAN" and data["galat"]["saran"]


def test_os_errors_are_indonesian(tmp_path: Path) -> None:
    from sakip_xl.cli.errors import translate_error

    for exc in (FileNotFoundError(2, "No such file or directory", "x.xlsx"), IsADirectoryError(21, "Is a directory", "d"),
                PermissionError(13, "Permission denied", "r.xlsx"), OSError(28, "No space left on device", "r.xlsx"),
                OSError(27, "File too large", "r.xlsx"), zipfile.BadZipFile("File is not a zip file")):
        t = translate_error(exc)
        assert t is not None and t.hint
        for english in ("No such", "directory", "Permission", "space left", "too large", "zip file"):
            assert english not in t.message
    r = subprocess.run([sys.executable, "-m", "sakip_xl.cli", "konsolidasi", str(tmp_path), "-o", "/proc/r.xlsx"],
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert r.returncode == 2 and "Saran:" in r.stderr and "Traceback" not in r.stderr


# --------------------------------------------------------------------------- structure drift
def _codes(path: Path) -> dict[str, list[tuple[str | None, str | None]]]:
    wb, issues = check_workbook(path, today=bc.TODAY)
    out: dict[str, list[tuple[str | None, str | None]]] = {}
    for i in issues:
        out.setdefault(i.code, []).append((i.sheet, i.cell))
    return out


def test_decoy_table_on_a_very_hidden_sheet(base: Path, tmp_path: Path) -> None:
    def edit(b: Book) -> None:
        wb = b.text("xl/workbook.xml")
        b.put("xl/workbook.xml", re.sub(r'(<sheet name="PK"[^>]*?)(/>)', r'\1 state="veryHidden"\2', wb, count=1))

    codes = _codes(_edit(base, tmp_path / "umpan.xlsx", edit))
    assert codes["TABEL_TERSEMBUNYI"][0][0] == "PK"


def test_second_table_with_the_contract_name_and_a_copied_table(base: Path, tmp_path: Path) -> None:
    b = Book(base)
    part = b.table_parts("PK")[0]
    xml = b.text(part)
    for n, name in ((90, "TBLPK"), (91, "tblPK2")):
        b.put(f"xl/tables/table{n}.xml", re.sub(r'(displayName|name)="tblPK"', rf'\1="{name}"', xml)
              .replace('id="', f'id="{n}', 1))
        lay = b.sheet_part("Tindak Lanjut")
        rels = lay.replace("worksheets/", "worksheets/_rels/") + ".rels"
        b.put(rels, b.text(rels).replace("</Relationships>", f'<Relationship Id="rIdX{n}" Type="http://schemas.'
              f'openxmlformats.org/officeDocument/2006/relationships/table" Target="../tables/table{n}.xml"/>'
              "</Relationships>"))
    codes = _codes(b.save(tmp_path / "ganda.xlsx"))
    assert codes["TABEL_GANDA"][0][0] == "Tindak Lanjut"
    assert codes["TABEL_SALINAN"][0][0] == "Tindak Lanjut"


@pytest.mark.parametrize("formula", ["[1]Data!G5", "INDIRECT(\"PK!G6\")", "OFFSET(G5,1,0)+TODAY()*0"])
def test_input_cells_with_external_or_volatile_formulas(base: Path, tmp_path: Path, formula: str) -> None:
    sheet, cell = bc.cell("tblPK", "Target", 0)

    def edit(b: Book) -> None:
        part = b.sheet_part(sheet)
        xml = b.text(part)
        xml, n = re.subn(rf'<c r="{cell}"([^>]*?)(?:/>|>.*?</c>)',
                         lambda m: f'<c r="{cell}"{m.group(1)}><f>{formula.replace(chr(34), "&quot;")}</f><v>99</v></c>',
                         xml, count=1, flags=re.S)
        assert n == 1
        b.put(part, xml)

    path = _edit(base, tmp_path / "rumus.xlsx", edit)
    wb, issues = check_workbook(path, today=bc.TODAY)
    assert wb is not None
    found = [i for i in issues if i.code == "RUMUS_DI_ISIAN"]
    assert [(i.sheet, i.cell) for i in found] == [(sheet, cell)]
    assert wb.indikator[0].target is None  # the cached 99 is not an input


def test_duplicated_zip_member_is_refused(base: Path, tmp_path: Path) -> None:
    out = tmp_path / "ganda_zip.xlsx"
    with zipfile.ZipFile(base) as zi, zipfile.ZipFile(out, "w") as zo:
        for item in zi.infolist():
            zo.writestr(item, zi.read(item.filename))
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zo.writestr(Book(base).sheet_part("PK"), b"<worksheet/>")
    wb, issues = check_workbook(out)
    assert wb is None and [i.code for i in issues] == ["ZIP_BAGIAN_GANDA"]


def test_opd_code_with_an_invisible_character_is_one_opd(tmp_path: Path) -> None:
    src = tmp_path / "opd"
    src.mkdir()
    p1 = _opd(src, 1)
    p2 = _opd(src, 2)
    b = Book(p2)
    b.set(*bc.profil("OPD_Kode"), "1.02.01\u2060")
    b.save(p2)
    wb, issues = check_workbook(p2, today=bc.TODAY)
    assert wb is not None and wb.profil.opd_kode == "1.02.01"
    assert [i.code for i in issues if i.code == "KODE_DINORMALKAN"] == ["KODE_DINORMALKAN"]
    out = io.StringIO()
    _run(out, io.StringIO(), "konsolidasi", str(src), "-o", str(tmp_path / "r.xlsx"), "--json", "--jobs", "1")
    data = json.loads(out.getvalue())
    # the same OPD twice: reported as duplicates (never merged), not as a second OPD
    assert data["opd"] == [] and all("Duplikat" in b["status_rekap"] for b in data["berkas"])
    assert p1.exists()


def test_pernyataan_typed_over_with_another_year_and_opd(base: Path, tmp_path: Path) -> None:
    def edit(b: Book) -> None:
        b.set("Pernyataan PK", "A1", "PERJANJIAN KINERJA TAHUN 2019")
        b.set("Pernyataan PK", "A2", "DINAS PERHUBUNGAN")

    codes = _codes(_edit(base, tmp_path / "pernyataan.xlsx", edit))
    assert sorted(codes["PERNYATAAN_BEDA"]) == [("Pernyataan PK", "A1"), ("Pernyataan PK", "A2")]
    assert "PERNYATAAN_BEDA" not in _codes(base)


def test_million_rows_without_r_is_a_located_refusal(base: Path, tmp_path: Path) -> None:
    def edit(b: Book) -> None:
        part = b.sheet_part("PK")
        b.put(part, b.text(part).replace("</sheetData>", "<row><c><v>1</v></c></row>" * 30_000 + "</sheetData>"))

    wb, issues = check_workbook(_edit(base, tmp_path / "tanpa_r.xlsx", edit))
    assert wb is None and [(i.code, i.sheet) for i in issues] == [("LEMBAR_TERLALU_BESAR", "PK")]
