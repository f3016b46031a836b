"""Benchmark: start-up of ``sakip-xl`` commands and of the ribbon's Periksa (run by hand).

    python3 benchmarks/bench_startup.py [--runs 15] [--data /tmp/sakip-startup]

Each case runs ``--runs`` times in a fresh interpreter, as a user's click or command does
(hyperfine-style: one warm-up run, then the runs), and prints the median and minimum wall clock,
the median CPU time of the child (user + system, from ``getrusage``: stable on a shared machine)
and its peak memory.  The reference is ``python3 -c pass`` measured in the same run.  Cases:

* ``--version`` and ``--help``;
* ``periksa`` of one generated workbook of the demo city;
* the ribbon's Periksa handler as ``RunPython`` runs it: a fresh Python imports xlwings (xlwings
  itself imports numpy and pandas when they are installed), then ``sakip_xl.addin.ribbon`` checks
  the saved workbook (:func:`plan_periksa`; writing the Validasi sheet needs Excel);
* ``-X importtime`` of ``periksa``: the ten largest imports.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MiB) of one fresh run of ``cmd`` (``os.wait4``: this child only)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _pid, _status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = 0  # reaped by wait4
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def measure(cmd: list[str], runs: int) -> tuple[float, float, float, float]:
    """(median wall, min wall, median CPU, peak MiB) of ``runs`` fresh runs of ``cmd``."""
    env = dict(os.environ)
    run_once(cmd, env)  # warm-up (file cache, .pyc)
    walls, cpus, peaks = zip(*(run_once(cmd, env) for _ in range(runs)), strict=True)
    return statistics.median(walls), min(walls), statistics.median(cpus), max(peaks)


_WRITE = """
import sys
from pathlib import Path
from sakip_xl.demo import file_name, generate_city, write_city
kota = generate_city(8, seed=2025, kesalahan=False)
target = Path(sys.argv[1]) / file_name(kota.opd[0])
if not target.exists():
    write_city(kota, Path(sys.argv[1]), jobs=1, rusak=False)
print(target)
"""


def workbook(data: Path) -> Path:
    """One workbook of the demo city, written once per data folder (in a child process, so this
    process stays small: a child's peak memory starts from its parent's at fork)."""
    out = subprocess.run([sys.executable, "-c", _WRITE, str(data)], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def importtime(cmd: list[str], top: int = 10) -> list[str]:
    """The ``top`` largest cumulative import times of ``cmd`` (``-X importtime``)."""
    r = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], capture_output=True, text=True)
    rows = []
    for line in r.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        rows.append((int(parts[1]), parts[2].rstrip()))
    return [f"{us / 1000:8.1f} ms  {name}" for us, name in sorted(rows, reverse=True)[:top]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--data", type=Path, default=Path("/tmp/sakip-startup"))
    args = ap.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    wb = workbook(args.data)
    py = sys.executable
    ribbon = ("import xlwings; import sakip_xl.addin.ribbon as r; "
              f"print(r.plan_periksa({str(wb)!r}).message)")
    cases = [
        ("python3 -c pass (acuan)", [py, "-c", "pass"]),
        ("sakip-xl --version", [py, "-m", "sakip_xl.cli", "--version"]),
        ("sakip-xl --help", [py, "-m", "sakip_xl.cli", "--help"]),
        ("sakip-xl periksa (1 workbook)", [py, "-m", "sakip_xl.cli", "periksa", str(wb)]),
        ("python3 -c 'import xlwings'", [py, "-c", "import xlwings"]),
        ("pita Periksa (xlwings + plan_periksa)", [py, "-c", ribbon]),
    ]
    print(f"{'kasus':<40} {'median':>8} {'min':>8} {'CPU med':>8} {'puncak':>9}   (runs={args.runs})")
    for label, cmd in cases:
        med, low, cpu, peak = measure(cmd, args.runs)
        print(f"{label:<40} {med:7.3f}s {low:7.3f}s {cpu:7.3f}s {peak:6.0f} MiB")
    print("\n-X importtime, sakip-xl periksa (kumulatif, 10 terbesar):")
    for line in importtime([py, "-m", "sakip_xl.cli", "periksa", str(wb)]):
        print("  " + line)


if __name__ == "__main__":
    main()
