"""The policy (kebijakan) that travels inside an OPD workbook, as data.

The template writes the whole policy it was made with into workbook-level defined names
``SAKIP_Kebijakan``, ``SAKIP_Kebijakan_2`` ... (JSON text in chunks: a name holds at most 255
characters).  Two readers, two roles:

* the ``=SAKIP_*`` add-in functions compute with it, so a UDF workbook shows the same kategori and
  predikat on every PC, whatever that PC's own ``kebijakan.toml`` says
  (:func:`sakip_xl.addin.udfs.call_policy`);
* the checker (``periksa``, ``konsolidasi``) never obeys it: it computes with the city policy it
  was given, compares, and warns (``KEBIJAKAN_BERBEDA``) when the workbook carries another one
  (:func:`policy_warnings`).

A policy naming a city criteria file (``lke.varian`` a path) is not obeyed from a workbook: a
workbook does not choose which file of this PC is read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ..errors import PolicyError
from ..policy import Policy, policy_from_dict

__all__ = ["POLICY_NAME", "CHUNK", "policy_names", "policy_from_names", "policy_differences",
           "is_portable"]

POLICY_NAME = "SAKIP_Kebijakan"
#: characters of JSON per defined name (Excel's limit for a text constant is 255)
CHUNK = 200
_BUILTIN_VARIANTS = ("88/2021",)


def policy_names(policy: Policy) -> list[tuple[str, str]]:
    """``(name, formula)`` pairs that carry ``policy`` (formula: a quoted Excel text constant)."""
    text = policy.model_dump_json()
    parts = [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]
    return [(POLICY_NAME if i == 0 else f"{POLICY_NAME}_{i + 1}", '="' + part.replace('"', '""') + '"')
            for i, part in enumerate(parts)]


def _text(formula: str) -> str:
    s = formula.strip()
    if s.startswith("="):
        s = s[1:].strip()
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        return s[1:-1].replace('""', '"')
    raise PolicyError(f"nama {POLICY_NAME} bukan teks: {formula[:40]!r}")


def policy_from_names(names: Mapping[str, str]) -> Policy | None:
    """The policy carried by the workbook's defined names (name -> formula text, any case), or
    None when it carries none.  Raises :class:`~sakip_xl.errors.PolicyError` for a damaged one."""
    by_key = {k.casefold(): v for k, v in names.items()}
    first = by_key.get(POLICY_NAME.casefold())
    if first is None:
        return None
    chunks = [_text(first)]
    i = 2
    while (more := by_key.get(f"{POLICY_NAME}_{i}".casefold())) is not None:
        chunks.append(_text(more))
        i += 1
    try:
        data = json.loads("".join(chunks))
    except ValueError as exc:
        raise PolicyError(f"kebijakan di workbook rusak (bukan JSON: {exc})") from exc
    if not isinstance(data, dict):
        raise PolicyError("kebijakan di workbook rusak (bukan objek)")
    return policy_from_dict(data, source="kebijakan di workbook")


def is_portable(policy: Policy) -> bool:
    """True when the policy names no file of the PC (a built-in LKE criteria list)."""
    return policy.lke.varian in _BUILTIN_VARIANTS


def policy_differences(carried: Policy, used: Policy) -> list[str]:
    """Top-level settings in which the two policies differ (names, for a message)."""
    a, b = carried.model_dump(mode="json"), used.model_dump(mode="json")
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
