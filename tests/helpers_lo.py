"""LibreOffice (headless) for the template tests, and the random OPD data the parity tests use.

* :func:`lo_profile` makes a private LibreOffice user profile whose ``OOXMLRecalcMode`` is 0
  ("always recalculate"), so LibreOffice recomputes every formula of an .xlsx on load instead of
  trusting the cached values.  Each caller passes its own directory, so parallel pytest workers
  never share a profile.
* :func:`soffice_convert` converts many files in **one** soffice run (start-up dominates).
* :func:`opd_workbooks` is a hypothesis strategy of whole OPD workbooks (negatif, stabil and range
  targets, empty quarters, zero pagu, invalid LKE answers ...).

Run ``python3 tests/helpers_lo.py`` to regenerate the screenshots in ``docs/img/``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from sakip_xl.models import AnggaranLine, Indikator, LKEJawaban, OPDWorkbook, Profil, TindakLanjut
from sakip_xl.scoring.lke import load_kriteria

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def lo_profile(base: Path) -> Path:
    """A private LibreOffice profile under ``base`` that always recalculates .xlsx files."""
    user = base / "lo_profile" / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_XCU, encoding="utf-8")
    return base / "lo_profile"


def soffice_convert(files: Iterable[Path], outdir: Path, profile: Path, target: str = "xlsx",
                    timeout: float = 600) -> list[Path]:
    """Convert ``files`` with one soffice run; returns the output paths (in input order)."""
    files = [Path(f).resolve() for f in files]
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [
        SOFFICE, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
        "--convert-to", target, "--outdir", str(outdir), *map(str, files),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    ext = target.split(":")[0]
    outs = [outdir / f"{f.stem}.{ext}" for f in files]
    missing = [o for o in outs if not o.exists()]
    if proc.returncode != 0 or missing:
        raise RuntimeError(f"soffice gagal ({proc.returncode}): {proc.stderr[-2000:]} missing={missing[:3]}")
    return outs


def set_cached_value(path: Path, sheet_xml: str, cell: str, value: str) -> None:
    """Overwrite the cached ``<v>`` of one formula cell in an .xlsx (to prove recalculation)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == sheet_xml:
                text = data.decode("utf-8")
                pat = re.compile(rf'(<c r="{cell}"[^>]*>)(<f>.*?</f>)(<v>.*?</v>|<v/>)?(</c>)')
                new, n = pat.subn(lambda m: f"{m.group(1)}{m.group(2)}<v>{value}</v>{m.group(4)}", text)
                assert n == 1, f"{cell} not found in {sheet_xml}"
                data = new.encode("utf-8")
            zout.writestr(item, data)
    tmp.replace(path)


def sheet_xml_name(path: Path, sheet: str) -> str:
    """The part name (``xl/worksheets/sheetN.xml``) of ``sheet`` in a workbook written by XlsxWriter."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    return f"xl/worksheets/sheet{wb.sheetnames.index(sheet) + 1}.xml"


# --------------------------------------------------------------------------- comparing values
def same_value(expected: Any, actual: Any, rel: float = 1e-9) -> bool:
    """Equality of a core value and a spreadsheet's computed value (blank = "" = None)."""
    if expected in ("", None):
        return actual in ("", None)
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return (isinstance(actual, (int, float)) and not isinstance(actual, bool)
                and math.isclose(float(expected), float(actual), rel_tol=rel, abs_tol=1e-9))
    return expected == actual


def mismatches(expected: Mapping[tuple[str, str], Any], actual: Mapping[tuple[str, str], Any],
               label: str = "") -> list[str]:
    return [
        f"[{label}]{sheet}!{cell}: inti={exp!r}, spreadsheet={actual.get((sheet, cell))!r}"
        for (sheet, cell), exp in expected.items()
        if not same_value(exp, actual.get((sheet, cell)))
    ]


def read_cells(path: Path, cells: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """Cached values of ``cells`` as python-calamine reads them."""
    from python_calamine import CalamineWorkbook
    from xlsxwriter.utility import xl_cell_to_rowcol

    wb = CalamineWorkbook.from_path(str(path))
    grids: dict[str, list[list[Any]]] = {}
    out: dict[tuple[str, str], Any] = {}
    for sheet, cell in cells:
        if sheet not in grids:
            grids[sheet] = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        r, c = xl_cell_to_rowcol(cell)
        grid = grids[sheet]
        out[(sheet, cell)] = grid[r][c] if r < len(grid) and c < len(grid[r]) else None
    return out


# --------------------------------------------------------------------------- random OPDs
_KRITERIA = load_kriteria()
_TW_NONE = st.none()


def _amount(lo: int, hi: int, scale: int = 100) -> st.SearchStrategy[float]:
    return st.integers(lo * scale, hi * scale).map(lambda n: n / scale)


def _quarters(value: st.SearchStrategy[float]) -> st.SearchStrategy[list[float | None]]:
    return st.lists(st.one_of(_TW_NONE, value), min_size=4, max_size=4)


@st.composite
def _indikator(draw: st.DrawFn, kode: str) -> Indikator:
    polaritas = draw(st.sampled_from(["positif", "negatif", "stabil"]))
    tipe = draw(st.sampled_from(["kumulatif", "akhir", "rata-rata"]))
    kind = draw(st.sampled_from(["titik", "titik", "rentang", "nol", "kosong"]))
    target: Any
    if kind == "rentang":
        lo = draw(_amount(0, 500))
        target = (lo, lo + draw(_amount(1, 100)))
    elif kind == "nol":
        target = 0.0
    elif kind == "kosong":
        target = None
    else:
        target = draw(_amount(1, 1000))
    return Indikator(
        kode=kode,
        sasaran=draw(st.sampled_from(["Meningkatnya kualitas layanan", "Menurunnya angka kemiskinan",
                                      "Terkendalinya inflasi daerah"])),
        nama=draw(st.sampled_from(["Persentase layanan tepat waktu", "Angka kemiskinan",
                                   "Laju inflasi", "Jumlah dokumen perencanaan"])),
        satuan=draw(st.sampled_from(["%", "dokumen", "indeks", ""])),
        polaritas=polaritas, tipe_agregasi=tipe, target=target,
        target_tw=draw(_quarters(_amount(0, 300))),
        realisasi_tw=draw(_quarters(_amount(-20, 1200))),
    )


@st.composite
def opd_workbooks(draw: st.DrawFn) -> OPDWorkbook:
    n = draw(st.integers(0, 8))
    indikator = [draw(_indikator(f"IKU-{i + 1:02d}")) for i in range(n)]
    anggaran = []
    for i in range(draw(st.integers(0, 6))):
        level = draw(st.sampled_from(["Program", "Program", "Kegiatan", "Sub Kegiatan"]))
        anggaran.append(AnggaranLine(
            kode=f"A{i + 1}", uraian=f"Uraian {i + 1}", level=level,
            induk=None if level == "Program" else "A1",
            pagu=draw(st.one_of(st.none(), st.just(0.0), _amount(0, 10**9, 1))),
            realisasi_tw=draw(_quarters(_amount(0, 10**8, 1))),
        ))
    lke = []
    for k in draw(st.lists(st.sampled_from(_KRITERIA), max_size=40, unique_by=lambda k: k.kode)):
        opts = ["Y", "T"] if k.jenis_jawaban == "Y/T" else ["A", "B", "C", "D", "E"]
        answer = st.one_of(st.none(), st.sampled_from(opts), st.sampled_from(["x", " b ", "y"]))
        lke.append(LKEJawaban(kode=k.kode, jawaban_opd=draw(answer), jawaban_evaluator=draw(answer)))
    tl = [TindakLanjut(no=i + 1, rekomendasi="Perbaiki indikator", status="Proses",
                       batas_waktu=dt.date(2025, 6, 30)) for i in range(draw(st.integers(0, 2)))]
    profil = Profil(opd_kode=draw(st.sampled_from(["1.02", "2.01"])), opd_nama="Dinas Uji",
                    jenis_pk=draw(st.sampled_from(["Murni", "Perubahan"])),
                    tahun=draw(st.integers(2020, 2030)), kepala_nama="Nama Kepala",
                    kepala_jabatan="Kepala Dinas", atasan_nama="Nama Atasan", atasan_jabatan="Wali Kota")
    return OPDWorkbook(profil=profil, indikator=indikator, anggaran=anggaran, lke=lke, tindak_lanjut=tl)


def hypothesis_opds(n: int) -> list[OPDWorkbook]:
    """``n`` OPDs generated by hypothesis (deterministic), collected so that one soffice run can
    convert them all.  Each example is one OPD, so hypothesis never runs out of entropy."""
    from hypothesis import HealthCheck, Phase, given, settings

    out: list[OPDWorkbook] = []

    @settings(max_examples=n, derandomize=True, phases=[Phase.generate], database=None,
              deadline=None, suppress_health_check=list(HealthCheck))
    @given(opd_workbooks())
    def collect(data: OPDWorkbook) -> None:
        out.append(data)

    collect()
    return out


def covers_the_cases(opds: list[OPDWorkbook], anggaran: bool = True) -> bool:
    """True when ``opds`` hold every polaritas and tipe, a range target, a zero target, a partly
    empty year, LKE answers (valid and invalid) and, with ``anggaran``, Program lines."""
    inds = [i for d in opds for i in d.indikator]
    answers = {j.jawaban_opd for d in opds for j in d.lke}
    ok = (
        {"positif", "negatif", "stabil"} <= {i.polaritas for i in inds}
        and {"kumulatif", "akhir", "rata-rata"} <= {i.tipe_agregasi for i in inds}
        and any(isinstance(i.target_value, tuple) for i in inds)
        and any(i.target_value == 0 for i in inds)
        and any(None in i.realisasi_tw and any(v is not None for v in i.realisasi_tw) for i in inds)
        and bool(answers & {"Y", "A", "B"}) and bool(answers & {"x", " b ", "y"})
    )
    if anggaran:
        ok = ok and any(line.level == "Program" and line.pagu for d in opds for line in d.anggaran)
    return ok


# --------------------------------------------------------------------------- docs screenshots
#: Text that marks the first page of a sheet in the PDF: the header shows the sheet name, except
#: on the Pernyataan PK letter, which starts with its title.
_PAGE_MARKERS = {"Pernyataan PK": "PERJANJIAN KINERJA TAHUN"}


def render_pngs(xlsx: Path, workdir: Path, resolution: int = 90) -> dict[str, Path]:
    """Render ``xlsx`` to PDF with LibreOffice; return the first page image of each sheet
    (and ``"Pernyataan PK (lampiran)"``, the page after the letter)."""
    from sakip_xl.excel.contract import SHEETS

    pdf = soffice_convert([xlsx], workdir, lo_profile(workdir), target="pdf")[0]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    first: dict[str, int] = {}
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        head = [ln.strip() for ln in text.splitlines() if ln.strip()][:3]
        for sheet in SHEETS:
            marker = _PAGE_MARKERS.get(sheet, sheet)
            if any(line.startswith(marker) for line in head) and sheet not in first:
                first[sheet] = page
    if "Pernyataan PK" in first and first["Pernyataan PK"] < pages:
        first["Pernyataan PK (lampiran)"] = first["Pernyataan PK"] + 1
    out: dict[str, Path] = {}
    for sheet, page in first.items():
        stem = workdir / f"page-{page}"
        subprocess.run(["pdftoppm", "-r", str(resolution), "-png", "-singlefile", "-f", str(page),
                        "-l", str(page), str(pdf), str(stem)], check=True)
        out[sheet] = stem.with_suffix(".png")
    return out


def _docs() -> None:  # pragma: no cover - a maintenance script
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from sakip_xl.excel.template import write_workbook

    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        xlsx = write_workbook(work / "contoh.xlsx", contoh_opd(), rumus="native")
        for sheet, png in render_pngs(xlsx, work).items():
            slug = sheet.lower().replace(" (", "-").replace(")", "").replace(" ", "-")
            shutil.copy(png, root / "docs" / "img" / f"template-{slug}.png")
            print(f"docs/img/template-{slug}.png")


def contoh_opd() -> OPDWorkbook:
    """A small, realistic filled OPD (used for the documentation screenshots)."""
    return OPDWorkbook(
        profil=Profil(opd_kode="1.02.01", opd_nama="Dinas Kesehatan", tahun=2025, jenis_pk="Murni",
                      kepala_nama="dr. Siti Rahmawati, M.Kes", kepala_nip="19750312 200212 2 004",
                      kepala_jabatan="Kepala Dinas Kesehatan", atasan_nama="H. Ahmad Fauzi, S.H.",
                      atasan_jabatan="Wali Kota"),
        indikator=[
            Indikator(kode="IKU-01", sasaran="Meningkatnya derajat kesehatan masyarakat",
                      nama="Angka kematian ibu per 100.000 kelahiran hidup", satuan="kasus",
                      polaritas="negatif", tipe_agregasi="kumulatif", target=75,
                      target_tw=[20, 20, 20, 15], realisasi_tw=[25, 30, 28, 21.7],
                      faktor_penghambat="Rujukan terlambat di dua puskesmas"),
            Indikator(kode="IKU-02", sasaran="Meningkatnya derajat kesehatan masyarakat",
                      nama="Persentase balita gizi buruk yang ditangani", satuan="%",
                      polaritas="positif", tipe_agregasi="akhir", target=100,
                      target_tw=[100, 100, 100, 100], realisasi_tw=[96, 98, 100, None],
                      faktor_pendukung="Kader posyandu aktif"),
            Indikator(kode="IKU-03", sasaran="Meningkatnya mutu layanan kesehatan",
                      nama="Indeks kepuasan masyarakat layanan puskesmas", satuan="indeks",
                      polaritas="stabil", tipe_agregasi="rata-rata", target=(80, 90),
                      realisasi_tw=[82.5, 84, 86.2, None]),
            Indikator(kode="IKU-04", sasaran="Meningkatnya mutu layanan kesehatan",
                      nama="Jumlah puskesmas terakreditasi paripurna", satuan="puskesmas",
                      polaritas="positif", tipe_agregasi="kumulatif", target=6,
                      target_tw=[1, 2, 2, 1], realisasi_tw=[1, 1, None, None]),
        ],
        anggaran=[
            AnggaranLine(kode="1.02.02", uraian="Program Pemenuhan Upaya Kesehatan", level="Program",
                         pagu=12_500_000_000, realisasi_tw=[2_100_000_000, 3_400_000_000, 3_000_000_000, None]),
            AnggaranLine(kode="1.02.02.2.02", uraian="Penyediaan Layanan Kesehatan UKM dan UKP",
                         level="Kegiatan", induk="1.02.02", pagu=12_500_000_000,
                         realisasi_tw=[2_100_000_000, 3_400_000_000, 3_000_000_000, None]),
        ],
        lke=[LKEJawaban(kode=k.kode, jawaban_opd=("Y" if k.jenis_jawaban == "Y/T" else "B"))
             for k in _KRITERIA[:30]],
        tindak_lanjut=[TindakLanjut(no=1, rekomendasi="Selaraskan indikator Renstra dan PK",
                                    rencana_tindak_lanjut="Reviu IKU bersama Bappeda",
                                    penanggung_jawab="Sekretaris Dinas", batas_waktu=dt.date(2025, 6, 30),
                                    status="Proses")],
    )


if __name__ == "__main__":  # pragma: no cover
    _docs()
