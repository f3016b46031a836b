"""Benchmark: the ``=SAKIP_*`` worksheet functions, called as xlwings calls them.

xlwings' UDF server converts every argument with the options the UDF declares (``ndim=2``:
a single cell arrives as ``[[v]]``, a column as ``[[v1], [v2], ...]``) and calls the Python
function.  This script does exactly that for ``SAKIP_CAPAIAN`` (three value arguments and a text
polarity) and prints, against the registry rule itself (``Rule.cell``, no conversion) measured in
the same run:

* one call (one cell), in microseconds (target: at most 25 µs);
* one call over a 500-row column, per row (target: at most 8 µs per row).

The COM round trip between Excel and the UDF server is not part of this (there is no Excel here).
Run::

    python benchmarks/bench_udf.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import timeit

from sakip_xl.addin import udfs
from sakip_xl.policy import default_policy
from sakip_xl.rules import RULES


def _best(fn: object, number: int, runs: int) -> float:
    times = timeit.repeat(fn, number=number, repeat=runs)  # type: ignore[arg-type]
    return statistics.median(times) / number


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ns = ap.parse_args(argv)
    udf = udfs.SAKIP_CAPAIAN  # type: ignore[attr-defined]
    rule = RULES["capaian"]
    policy = default_policy()
    one = ([[100.0]], [[85.0]], [["positif"]], [[None]])
    rows = 500
    col = ([[100.0 + i] for i in range(rows)], [[80.0 + i % 30] for i in range(rows)],
           [["positif" if i % 3 else "negatif"] for i in range(rows)], [[None]] * rows)
    udf(*one), udf(*col)  # warm up: the policy lookup and the text memo of the first call
    t_rule = _best(lambda: rule.cell(100.0, 85.0, "positif", None, policy=policy), 20000, ns.runs)
    t_one = _best(lambda: udf(*one), 20000, ns.runs)
    t_col = _best(lambda: udf(*col), 20, ns.runs) / rows
    print(f"aturan saja (Rule.cell)        {t_rule * 1e6:7.2f} µs")
    print(f"SAKIP_CAPAIAN satu sel          {t_one * 1e6:7.2f} µs  ({t_one / t_rule:4.1f}x aturan; target <= 25 µs)")
    print(f"SAKIP_CAPAIAN kolom {rows} baris  {t_col * 1e6:7.2f} µs/baris ({t_col / t_rule:4.1f}x aturan; target <= 8 µs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
