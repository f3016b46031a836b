"""The ribbon as a user clicks it: the shipped VBA in pyOpenVBA's interpreter, then Python for real.

Excel's dialogs (folder and file pickers, Protected View, open workbooks: module ``SakipDialog``)
and the file access (``SakipBerkas``) are replaced by doubles; ``RunPython`` by one that records the
command.  Each button must ask its questions in VBA and pass the answers to exactly one handler of
:mod:`sakip_xl.addin.ribbon` as arguments; the recorded command is then run in this process on
real workbooks, and its result file shown by the shipped ``SakipTampilkanHasil``.
"""

from __future__ import annotations

import ast
import os
import stat
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pyopenvba import ExcelFile
from pyopenvba.apps.excel import ExcelApplication

from sakip_xl.addin import ribbon
from sakip_xl.addin.build import build_addin
from sakip_xl.addin.vba import (
    BERKAS_VBA_MODULE,
    DIALOG_VBA_MODULE,
    KONFIG_VBA_MODULE,
    RIBBON_VBA_MODULE,
)
from sakip_xl.demo import generate_city
from sakip_xl.excel.reader import read_workbook
from sakip_xl.excel.template import write_workbook

pytestmark = pytest.mark.usefixtures("national_policy")
ROOT = Path(__file__).resolve().parents[1]
YES, NO, CANCEL = 6, 7, 2
BUTTONS = ("SakipPeriksa", "SakipHitungUlang", "SakipUbahVarian", "SakipKonsolidasi", "SakipTemplateBaru",
           "SakipBantuan")

RUNPYTHON_DOUBLE = """Public Calls As String
Public Function RunPython(PythonCommand As String)
    Calls = Calls & PythonCommand & "|"
End Function
Public Function Dicatat() As String
    Dicatat = Calls
End Function
"""

DIALOG_DOUBLE = """Public Folder As String, Berkas As String, Simpan As String, Terbuka As String
Public Terproteksi As Boolean, Dibuka As String
Public Sub Siapkan(ByVal f As String, ByVal b As String, ByVal s As String, ByVal t As String, ByVal p As Boolean)
    Folder = f: Berkas = b: Simpan = s: Terbuka = t: Terproteksi = p
End Sub
Public Function SakipPilihFolder(ByVal judul As String) As String
    SakipPilihFolder = Folder
End Function
Public Function SakipPilihBerkas(ByVal judul As String, ByVal saring As String) As String
    SakipPilihBerkas = Berkas
End Function
Public Function SakipSimpanSebagai(ByVal usul As String, ByVal saring As String) As String
    SakipSimpanSebagai = Simpan
End Function
Public Function SakipTampilanTerproteksi() As Boolean
    SakipTampilanTerproteksi = Terproteksi
End Function
Public Function SakipBerkasTerbuka(ByVal berkas As String) As Boolean
    SakipBerkasTerbuka = (Terbuka <> "" And LCase$(berkas) = LCase$(Terbuka))
End Function
Public Sub SakipBukaBerkas(ByVal berkas As String)
    Dibuka = Dibuka & berkas & "|"
End Sub
Public Sub SakipHitungPenuh()
    Dibuka = Dibuka & "<hitung penuh>|"
End Sub
Public Function DibukaSemua() As String
    DibukaSemua = Dibuka
End Function
"""

FS_DOUBLE = """Private mFS As Object
Private mEnv As Object
Private Function FS() As Object
    If mFS Is Nothing Then Set mFS = CreateObject("Scripting.Dictionary")
    Set FS = mFS
End Function
Private Function Env() As Object
    If mEnv Is Nothing Then Set mEnv = CreateObject("Scripting.Dictionary")
    Set Env = mEnv
End Function
Public Sub TaruhBerkas(ByVal berkas As String, ByVal isi As String)
    FS()(berkas) = isi
End Sub
Public Sub TaruhLingkungan(ByVal nama As String, ByVal nilai As String)
    Env()(UCase$(nama)) = nilai
End Sub
Public Function SakipLingkungan(ByVal nama As String) As String
    If Env().Exists(UCase$(nama)) Then SakipLingkungan = Env()(UCase$(nama))
End Function
Public Function SakipAdaBerkas(ByVal berkas As String) As Boolean
    SakipAdaBerkas = FS().Exists(berkas)
End Function
Public Function SakipAdaFolder(ByVal folder As String) As Boolean
    SakipAdaFolder = FS().Exists(folder)
End Function
Public Function SakipBacaTeks(ByVal berkas As String) As String
    If FS().Exists(berkas) Then SakipBacaTeks = FS()(berkas)
End Function
Public Sub SakipTulisTeks(ByVal berkas As String, ByVal isi As String)
    FS()(berkas) = isi
End Sub
Public Sub SakipHapusBerkas(ByVal berkas As String)
    If FS().Exists(berkas) Then FS().Remove berkas
End Sub
"""


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    built = build_addin(tmp_path_factory.mktemp("pita") / "sakip.xlam").path
    with ExcelFile(str(built)) as wb:
        return {n: wb.get_module(n) for n in wb.module_names()}


@pytest.fixture(scope="module")
def city_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kota")
    for i, wb in enumerate(generate_city(3, seed=7, kesalahan=False).opd):
        write_workbook(folder / f"opd_{i}.xlsx", wb)
    return folder


class Ribbon:
    """The shipped ribbon module with its doubles, in pyOpenVBA's Excel."""

    def __init__(self, shipped: dict[str, str], tmp: Path, active: Path | None = None) -> None:
        self.app = ExcelApplication()
        if active is None:
            self.app.add_workbook()
        else:
            self.app.open_workbook(active)
        self.app.add_module(RUNPYTHON_DOUBLE, name="RunPythonDouble")
        self.app.add_module(DIALOG_DOUBLE, name=DIALOG_VBA_MODULE)
        self.app.add_module(FS_DOUBLE, name=BERKAS_VBA_MODULE)
        self.app.add_module(shipped[RIBBON_VBA_MODULE], name=RIBBON_VBA_MODULE)
        self.app.add_module("".join(f"Sub Tekan{b}()\n    {b} Nothing\nEnd Sub\n" for b in BUTTONS), name="Pengemudi")
        self.app.run("TaruhLingkungan", "TEMP", str(tmp))

    def dialogs(self, folder: str = "", berkas: str = "", simpan: str = "", terbuka: str = "",
                terproteksi: bool = False) -> None:
        self.app.run("Siapkan", folder, berkas, simpan, terbuka, terproteksi)

    def click(self, sub: str, *answers: object) -> list[str]:
        if answers:
            self.app.answer_dialogs(*answers)
        self.app.run(f"Tekan{sub}")
        return [c for c in str(self.app.run("Dicatat")).split("|") if c]

    def messages(self) -> list[str]:
        return [prompt for kind, prompt, _title, _style in self.app.interpreter.dialogs if kind == "MsgBox"]

    def show_result(self, hasil: str) -> None:
        """Python ran: its result file as the shipped VBA reads it."""
        self.app.run("TaruhBerkas", hasil, Path(hasil).read_bytes().decode("cp1252"))
        self.app.run("SakipTampilkanHasil", hasil)


def call_of(command: str) -> tuple[str, list[object], dict[str, object]]:
    """The handler a RunPython command calls and its literal arguments."""
    assert '"' not in command and "%" not in command and "&" not in command and "^" not in command
    tree = ast.parse(command)
    imp, expr = tree.body
    assert isinstance(imp, ast.Import) and imp.names[0].name == ribbon.__name__
    assert isinstance(expr, ast.Expr) and isinstance(expr.value, ast.Call)
    func = expr.value.func
    assert isinstance(func, ast.Attribute)
    args = [ast.literal_eval(a) for a in expr.value.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in expr.value.keywords if k.arg}
    return func.attr, args, kwargs


def run_python(command: str) -> None:
    """What RunPython does with the command (without the Excel process)."""
    exec(compile(command, "<RunPython>", "exec"), {})  # noqa: S102  (the ribbon's own command)


# --------------------------------------------------------------------------- Konsolidasi
@pytest.mark.slow
def test_konsolidasi_asks_in_vba_and_python_gets_the_answers(
        shipped: dict[str, str], city_folder: Path, tmp_path: Path) -> None:
    daftar = tmp_path / "daftar_opd.csv"
    daftar.write_text("kode,nama\n" + "".join(f"{wb.profil.opd_kode},{wb.profil.opd_nama}\n"
                                              for wb in generate_city(3, seed=7, kesalahan=False).opd),
                      encoding="utf-8")
    rb = Ribbon(shipped, tmp_path)
    rb.dialogs(folder=str(city_folder), berkas=str(daftar))
    cmds = rb.click("SakipKonsolidasi", "2025", "2", YES, NO)
    assert len(cmds) == 1, cmds
    name, args, kwargs = call_of(cmds[0])
    assert name == "konsolidasi_folder" and args == [str(city_folder)]
    assert kwargs["tahun"] == 2025 and kwargs["sampai_tw"] == 2
    assert kwargs["daftar_opd"] == str(daftar) and kwargs["rekap_lalu"] is None
    hasil = str(kwargs["hasil"])
    assert hasil.startswith(str(tmp_path) + "\\sakip-hasil-")  # %TEMP%\sakip-hasil-...
    run_python(cmds[0])
    rb.show_result(hasil)
    rekap = city_folder / ribbon.REKAP_NAMA
    assert rekap.is_file() and openpyxl.load_workbook(rekap, read_only=True).sheetnames
    assert str(rb.app.run("DibukaSemua")) == f"{rekap}|"
    closing = rb.messages()[-1]
    assert "Rekap 3 workbook OPD" in closing and "TW II" in closing  # the one-screen summary


def test_cancelling_the_folder_picker_runs_nothing(shipped: dict[str, str], tmp_path: Path) -> None:
    rb = Ribbon(shipped, tmp_path)
    rb.dialogs(folder="")
    assert rb.click("SakipKonsolidasi") == [] and rb.messages() == []


def test_an_open_summary_is_named_before_any_file_is_read(shipped: dict[str, str], city_folder: Path,
                                                          tmp_path: Path) -> None:
    rb = Ribbon(shipped, tmp_path)
    rb.dialogs(folder=str(city_folder), terbuka=str(city_folder) + "\\" + ribbon.REKAP_NAMA)
    assert rb.click("SakipKonsolidasi") == []
    assert rb.messages() == [f"Tutup {ribbon.REKAP_NAMA} di Excel, lalu ulangi."]


def test_a_locked_output_gives_the_indonesian_message_before_reading(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows locks a workbook open in Excel: opening it for writing raises PermissionError.  The
    same OS error is made here with a file the OS refuses to open for writing (immutable for root,
    read-only otherwise)."""
    import sakip_xl.consolidation as consolidation

    folder = tmp_path / "kota"
    folder.mkdir()
    rekap = folder / ribbon.REKAP_NAMA
    rekap.write_bytes(b"rekap lama")
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(rekap)], capture_output=True, check=False).returncode != 0:
            pytest.skip("chattr +i tidak tersedia: tidak ada cara membuat berkas tak tertulis bagi root")
    else:
        rekap.chmod(stat.S_IRUSR)

    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("konsolidasi membaca berkas sebelum memeriksa keluaran")

    monkeypatch.setattr(consolidation, "consolidate", boom)
    hasil = tmp_path / "hasil.txt"
    try:
        ribbon.konsolidasi_folder(str(folder), hasil=str(hasil))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(rekap)], check=False)
    status, buka, *pesan = hasil.read_bytes().decode("cp1252").splitlines()
    assert status == "GALAT" and buka == ""
    assert pesan[0] == f"Tutup {ribbon.REKAP_NAMA} di Excel, lalu ulangi."
    assert rekap.read_bytes() == b"rekap lama"


# --------------------------------------------------------------------------- preconditions
@pytest.mark.parametrize("sub", ["SakipPeriksa", "SakipHitungUlang", "SakipUbahVarian"])
def test_protected_view_gets_its_own_message(shipped: dict[str, str], tmp_path: Path, sub: str) -> None:
    rb = Ribbon(shipped, tmp_path)
    rb.dialogs(terproteksi=True)
    assert rb.click(sub) == []
    (msg,) = rb.messages()
    assert "Tampilan Terproteksi" in msg and "klik Aktifkan Pengeditan" in msg


@pytest.mark.parametrize("sub", ["SakipPeriksa", "SakipHitungUlang", "SakipUbahVarian"])
def test_an_unsaved_new_workbook_gets_a_message_and_no_python(shipped: dict[str, str], tmp_path: Path,
                                                              sub: str) -> None:
    rb = Ribbon(shipped, tmp_path)
    rb.dialogs()
    assert rb.click(sub) == []
    assert len(rb.messages()) == 1 and "Simpan" in rb.messages()[0]


# --------------------------------------------------------------------------- the other buttons
def test_hitung_ulang_passes_the_saved_workbook(shipped: dict[str, str], city_folder: Path, tmp_path: Path) -> None:
    book = city_folder / "opd_0.xlsx"
    rb = Ribbon(shipped, tmp_path, active=book)
    rb.dialogs()
    (cmd,) = rb.click("SakipHitungUlang")
    assert str(rb.app.run("DibukaSemua")) == "<hitung penuh>|"  # Excel recalculates first, in VBA
    name, args, kwargs = call_of(cmd)
    assert name == "hitung_ulang" and Path(str(args[0])).name == "opd_0.xlsx"
    run_python(cmd.replace(repr(args[0]), repr(str(book))) if args[0] != str(book) else cmd)
    rb.show_result(str(kwargs["hasil"]))
    assert "Capaian rata-rata" in rb.messages()[-1]


def test_template_baru_asks_everything_in_vba_and_defaults_to_native(shipped: dict[str, str], tmp_path: Path) -> None:
    target = tmp_path / "SAKIP 1.02.01 2025.xlsx"
    rb = Ribbon(shipped, tmp_path)
    rb.dialogs(simpan=str(target))
    (cmd,) = rb.click("SakipTemplateBaru", "1.02.01", "Dinas Kesehatan & KB \"Sehat\" 100%", "2025", YES)
    name, args, kwargs = call_of(cmd)
    assert name == "template_baru" and kwargs["rumus"] == "native"
    assert args == [str(target), "1.02.01", "Dinas Kesehatan & KB \"Sehat\" 100%", 2025]
    run_python(cmd)
    rb.show_result(str(kwargs["hasil"]))
    wb, _ = read_workbook(target)
    assert wb.profil.opd_nama == "Dinas Kesehatan & KB \"Sehat\" 100%" and wb.profil.tahun == 2025
    assert str(rb.app.run("DibukaSemua")) == f"{target}|"
    formulas = [c.value for row in openpyxl.load_workbook(target)["Rencana Aksi"].iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and not any("SAKIP_" in f for f in formulas)


def test_ubah_varian_carries_the_active_workbook(shipped: dict[str, str], city_folder: Path, tmp_path: Path) -> None:
    book = city_folder / "opd_1.xlsx"
    target = tmp_path / "opd_1 (udf).xlsx"
    rb = Ribbon(shipped, tmp_path, active=book)
    rb.dialogs(simpan=str(target))
    (cmd,) = rb.click("SakipUbahVarian", NO)  # No = the add-in variant
    name, args, kwargs = call_of(cmd)
    assert name == "ubah_varian" and args[1:] == [str(target), "udf"]
    run_python(cmd.replace(repr(args[0]), repr(str(book))))
    rb.show_result(str(kwargs["hasil"]))
    assert "Semua isian terbawa" in rb.messages()[-1]
    a, _ = read_workbook(book)
    b, _ = read_workbook(target)
    assert a.model_dump(exclude={"sumber"}) == b.model_dump(exclude={"sumber"})


def test_bantuan_and_an_unexpected_failure_are_indonesian(shipped: dict[str, str], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    rb = Ribbon(shipped, tmp_path)
    rb.dialogs()
    (cmd,) = rb.click("SakipBantuan")
    assert call_of(cmd)[0] == "bantuan"
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    hasil = tmp_path / "h.txt"
    ribbon.hitung_ulang(str(tmp_path / "tidak_ada.xlsx"), hasil=str(hasil))
    assert hasil.read_bytes().decode("cp1252").startswith("OK")  # an unreadable file is an issue, not a crash

    def broken(_path: object) -> object:
        raise KeyError("kolom")

    monkeypatch.setattr(ribbon, "plan_hitung_ulang", broken)
    ribbon.hitung_ulang("x.xlsx", hasil=str(hasil))
    text = hasil.read_bytes().decode("cp1252")
    assert text.startswith("GALAT") and "Galat internal sakip-xl (KeyError)" in text and "Traceback" not in text
    assert "Traceback" in ribbon.galat_path().read_text(encoding="utf-8")


def test_py_literals_survive_any_path(shipped: dict[str, str], tmp_path: Path) -> None:
    rb = Ribbon(shipped, tmp_path)
    nasty = "C:\\Users\\Bu Ani\\OneDrive - Pemkot\\SAKIP 'TW' \"2025\" %TEMP% & ^ é ü.xlsx"
    rb.app.add_module("Function Lit(s As String) As String\n    Lit = PyTeks(s)\nEnd Function\n", name="Uji")
    # PyTeks is Private to the ribbon module: run it through a public copy of its text
    src = shipped[RIBBON_VBA_MODULE]
    start = src.index("Private Function PyTeks")
    body = src[start:src.index("End Function", start) + len("End Function")]
    rb.app.add_module(body.replace("Private Function PyTeks", "Public Function PyTeksUji").replace(
        "PyTeks = ", "PyTeksUji = "), name="Salinan")
    lit = str(rb.app.run("PyTeksUji", nasty))
    assert '"' not in lit and "%" not in lit and "&" not in lit and "^" not in lit
    assert ast.literal_eval(lit) == nasty


def test_konfig_module_is_loaded_for_the_ribbon(shipped: dict[str, str]) -> None:
    """The ribbon's module list as built: every helper it calls lives in a shipped module."""
    for name in ("SakipTulisTeks", "SakipBacaTeks", "SakipPilihFolder", "SakipBerkasTerbuka",
                 "SakipTampilanTerproteksi", "SakipLingkungan"):
        assert name in shipped[RIBBON_VBA_MODULE]
        assert any(f"Function {name}(" in shipped[m] or f"Sub {name}(" in shipped[m]
                   for m in (BERKAS_VBA_MODULE, DIALOG_VBA_MODULE, KONFIG_VBA_MODULE))
