"""``sakip-xl addin install``: put the add-in where Excel loads it, and write its config (Windows).

* The add-in goes to the user's ``XLSTART`` folder (``%APPDATA%\\Microsoft\\Excel\\XLSTART``,
  loaded at every start, a trusted location by default) or the ``AddIns`` folder
  (``%APPDATA%\\Microsoft\\AddIns``, ticked once under File > Options > Add-ins).
* The config ``%USERPROFILE%\\.sakip\\sakip.conf`` (the xlwings config file of the project name
  ``sakip``, format ``"KEY","value"`` per line as VBA's ``Write #`` makes it) names the Python
  interpreter (``pythonw.exe`` of this very installation) and the UDF module; other keys already
  in the file are kept.
* Optionally a city's ``kebijakan.toml`` is checked and copied to ``%USERPROFILE%\\.sakip\\``,
  where the UDFs find it.

:func:`plan_install` is pure (paths from an environment mapping), :func:`apply_install` does the
file work; :func:`install` refuses to run outside Windows.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import xlwings

from ..errors import SakipError
from ..policy import load_policy
from .vba import ADDIN_NAME, UDF_MODULE

__all__ = [
    "InstallError",
    "NotWindows",
    "InstallPlan",
    "Lokasi",
    "config_text",
    "parse_config",
    "plan_install",
    "apply_install",
    "install",
    "dll_name",
]

Lokasi = Literal["xlstart", "addins"]


class InstallError(SakipError, OSError):
    code = "ADDIN_INSTALL"


class NotWindows(InstallError):
    code = "ADDIN_BUKAN_WINDOWS"


def dll_name(bits: int = 64) -> str:
    """The xlwings DLL the add-in's VBA declares (pinned version)."""
    return f"xlwings{bits}-{xlwings.__version__}.dll"


def _q(value: str) -> str:
    if '"' in value or "\n" in value or "\r" in value:
        raise InstallError(f"Nilai konfigurasi tidak boleh memuat tanda kutip atau baris baru: {value!r}")
    return f'"{value}"'


def config_text(values: Mapping[str, str]) -> str:
    """The config file text: ``"KEY","value"`` lines with CRLF, as VBA ``Write #`` writes them."""
    return "".join(f"{_q(k)},{_q(v)}\r\n" for k, v in values.items())


def parse_config(text: str) -> dict[str, str]:
    """Read a config file written by :func:`config_text` or by xlwings' VBA (keys upper-cased)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        key, sep, value = line.partition(",")
        if not sep:
            continue
        out[key.strip().strip('"').upper()] = value.strip().strip('"')
    return out


@dataclass(frozen=True)
class InstallPlan:
    source: Path
    target: Path
    config_path: Path
    config: dict[str, str]
    interpreter: Path
    dll_found: bool
    kebijakan: Path | None = None
    kebijakan_target: Path | None = None


def _pythonw(executable: Path) -> Path:
    w = executable.with_name("pythonw.exe")
    return w if w.is_file() else executable


def plan_install(source: str | Path, *, environ: Mapping[str, str] | None = None,
                 executable: str | Path | None = None, prefix: str | Path | None = None,
                 lokasi: Lokasi = "xlstart", kebijakan: str | Path | None = None) -> InstallPlan:
    """Where everything goes for this user (no file is touched)."""
    env = os.environ if environ is None else environ
    src = Path(source)
    if not src.is_file():
        raise InstallError(f"Berkas add-in tidak ditemukan: {src}",
                           hint="Buat dulu dengan 'sakip-xl addin build -o dist/sakip.xlam'.")
    appdata, profile = env.get("APPDATA"), env.get("USERPROFILE")
    if not appdata or not profile:
        raise InstallError("Variabel lingkungan APPDATA/USERPROFILE tidak ada: jalankan di Windows sebagai pengguna Excel.")
    folder = (Path(appdata) / "Microsoft" / "Excel" / "XLSTART" if lokasi == "xlstart"
              else Path(appdata) / "Microsoft" / "AddIns")
    conf_dir = Path(profile) / f".{ADDIN_NAME}"
    conf_path = conf_dir / f"{ADDIN_NAME}.conf"
    existing = parse_config(conf_path.read_text(encoding="cp1252", errors="replace")) if conf_path.is_file() else {}
    interpreter = _pythonw(Path(executable or sys.executable))
    values = dict(existing)
    values["INTERPRETER_WIN"] = str(interpreter)
    values["UDF MODULES"] = UDF_MODULE
    # where the add-in's preflight looks for sakip_xl-<version>.dist-info (this very Python)
    values["SAKIP_SITE_PACKAGES"] = sysconfig.get_paths()["purelib"]
    pre = Path(prefix or sys.prefix)
    dll_found = any((d / dll_name(b)).is_file() for d in (pre, interpreter.parent, interpreter.parent.parent)
                    for b in (64, 32))
    keb = Path(kebijakan) if kebijakan else None
    if keb is not None:
        load_policy(keb)  # a bad city policy is refused here, not in a cell later
    return InstallPlan(
        source=src, target=folder / f"{ADDIN_NAME}.xlam", config_path=conf_path, config=values,
        interpreter=interpreter, dll_found=dll_found, kebijakan=keb,
        kebijakan_target=(conf_dir / "kebijakan.toml") if keb else None,
    )


def apply_install(plan: InstallPlan) -> list[Path]:
    """Copy the add-in, write the config (and the policy); the paths written."""
    written = []
    plan.target.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copyfile(plan.source, plan.target)
    except PermissionError as exc:
        raise InstallError(f"Tidak dapat menulis {plan.target}: {exc}",
                           hint="Tutup Excel terlebih dahulu, lalu ulangi.") from exc
    # A copy must not carry the "downloaded from the internet" mark that blocks macros.
    try:
        os.remove(f"{plan.target}:Zone.Identifier")
    except OSError:
        pass
    written.append(plan.target)
    plan.config_path.parent.mkdir(parents=True, exist_ok=True)
    plan.config_path.write_bytes(config_text(plan.config).encode("cp1252", errors="replace"))
    written.append(plan.config_path)
    if plan.kebijakan and plan.kebijakan_target:
        shutil.copyfile(plan.kebijakan, plan.kebijakan_target)
        written.append(plan.kebijakan_target)
    return written


def install(source: str | Path, *, lokasi: Lokasi = "xlstart", kebijakan: str | Path | None = None,
            platform: str | None = None) -> tuple[InstallPlan, list[Path]]:
    """Install for the current Windows user; :class:`NotWindows` elsewhere."""
    if not (platform or sys.platform).startswith("win"):
        raise NotWindows(
            "Perintah 'sakip-xl addin install' hanya untuk Windows (Excel desktop). "
            "Di mesin ini gunakan 'sakip-xl addin build', lalu pasang add-in di PC Windows.",
            hint="Lihat docs/addin-instalasi.md.",
        )
    plan = plan_install(source, lokasi=lokasi, kebijakan=kebijakan)
    return plan, apply_install(plan)
