"""Executable documentation: every ```python block in docs/**/*.md runs.

Convention: inside a ``python`` block, lines starting with ``#> `` give the output that the
``print`` calls above them write (in order).  The blocks of one page share one namespace and run in
a fresh temporary working directory.  A page whose blocks print something not stated (or state
something not printed) fails.

A sketch that cannot run on its own (it needs a folder of OPD workbooks, a Dask cluster ...) says
so in its fence: ```` ```python tidak-dijalankan ````; it is still compiled (no syntax errors).
"""

from __future__ import annotations

import contextlib
import io
import re
import tomllib
from pathlib import Path

import pytest

from sakip_xl.policy import LKESettings, Policy, policy_from_dict
from sakip_xl.rules import RULES

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
_FENCE = re.compile(r"^```([\w-]*)([^\n]*)\n(.*?)^```\s*$", re.S | re.M)
SKIP = "tidak-dijalankan"


def blocks(page: Path, lang: str, *, skipped: bool = False) -> list[str]:
    """Bodies of the ``lang`` blocks of a page (the runnable ones, or with skipped=True the others)."""
    return [body for kind, info, body in _FENCE.findall(page.read_text("utf-8"))
            if kind == lang and (SKIP in info) == skipped]


def expected_output(code: str) -> str:
    lines = []
    for line in code.splitlines():
        stripped = line.strip()
        if stripped == "#>":
            lines.append("")
        elif stripped.startswith("#> "):
            lines.append(stripped[3:])
    return "".join(f"{x}\n" for x in lines)


def run_page(page: Path) -> int:
    namespace: dict[str, object] = {"__name__": f"docs.{page.stem}"}
    ran = 0
    for code in blocks(page, "python", skipped=True):
        compile(code, f"{page.relative_to(DOCS)} (tidak-dijalankan)", "exec")
    for n, code in enumerate(blocks(page, "python"), start=1):
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(code, f"{page.relative_to(DOCS)} blok {n}", "exec"), namespace)  # noqa: S102
        except Exception as exc:
            raise AssertionError(
                f"{page.relative_to(DOCS)}: blok python ke-{n} gagal ({type(exc).__name__}: {exc}). "
                f"Perbaiki contohnya, atau tandai sketsa yang memang tidak dapat berjalan sendiri "
                f"dengan ```python {SKIP}"
            ) from exc
        want = expected_output(code)
        assert out.getvalue() == want, f"{page.name} blok {n}: keluaran berbeda"
        ran += 1
    return ran


def test_docs_exist() -> None:
    assert PAGES, "docs/ has no pages"
    assert (DOCS / "glosarium.md").exists() and (DOCS / "kebijakan.md").exists()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_python_blocks_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_page(page) == len(blocks(page, "python"))


def test_at_least_one_block_runs() -> None:
    """The blocks are run by test_python_blocks_run (one test per page); here: there are some."""
    runnable = {p: len(blocks(p, "python")) for p in PAGES}
    assert sum(runnable.values()) > 0
    for page in (DOCS / "aturan").glob("*.md"):
        assert runnable[page] > 0, f"{page.name}: no executable example"


def test_expected_output_convention() -> None:
    code = 'print(1)\n#> 1\nprint("")\n#>\nx = 2  # a normal comment\n'
    assert expected_output(code) == "1\n\n"


# --------------------------------------------------------------------------- rule pages
RULE_PAGES = sorted((DOCS / "aturan").glob("*.md"))


def test_every_registry_rule_has_a_page() -> None:
    documented: set[str] = set()
    for page in RULE_PAGES:
        # "Kunci registri: `serapan` · `efisiensi` · fungsi lembar kerja: ..."
        for line in re.findall(r"^Kunci registri: (.*)$", page.read_text("utf-8"), re.M):
            documented |= set(re.findall(r"`(\w+)`", line.split("fungsi")[0]))
    assert documented == set(RULES)


@pytest.mark.parametrize("page", RULE_PAGES, ids=lambda p: p.name)
def test_rule_page_structure(page: Path) -> None:
    text = page.read_text("utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    for needed in ("Rumus", "Kasus tepi", "Sumber"):
        assert any(h.startswith(needed) for h in headings), f"{page.name}: bagian '{needed}' tidak ada"
    assert headings[-1] == "English summary", f"{page.name}: English summary must come last"
    assert blocks(page, "python"), f"{page.name}: no executable example"


# --------------------------------------------------------------------------- kebijakan.md
def test_every_policy_key_is_documented() -> None:
    text = (DOCS / "kebijakan.md").read_text("utf-8")
    keys = [k for k in Policy.model_fields if k != "lke"]
    keys += [f"lke.{k}" for k in LKESettings.model_fields]
    missing = [k for k in keys if f"`{k}`" not in text]
    assert not missing, f"kunci kebijakan tanpa dokumentasi: {missing}"


def test_example_kebijakan_toml_is_valid() -> None:
    examples = blocks(DOCS / "kebijakan.md", "toml")
    assert examples
    for text in examples:
        policy = policy_from_dict(tomllib.loads(text), source="docs/kebijakan.md")
        assert isinstance(policy, Policy)


# --------------------------------------------------------------------------- glosarium.md
def test_glossary_covers_the_sakip_terms() -> None:
    text = (DOCS / "glosarium.md").read_text("utf-8")
    terms = set(re.findall(r"^\*\*(.+?)\*\*", text, re.M))
    for needed in ("SAKIP", "OPD", "PK", "LKE", "Capaian", "Realisasi", "Target", "Predikat", "Polaritas",
                   "TW", "Sasaran", "IKU", "LKjIP", "Serapan", "Pagu", "Kategori capaian",
                   "Tipe agregasi", "Kerangka logis", "Rencana Aksi"):
        assert any(t == needed or t.startswith(needed + " ") for t in terms), needed
