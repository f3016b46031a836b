"""The workbook's "points to the next predikat" cells: the rule's native formula equals the core."""

from __future__ import annotations

import pytest
from test_rules_registry import POLICIES

from sakip_xl.policy import Policy
from sakip_xl.rules import cell_value, formula
from sakip_xl.scoring import next_predikat


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_cell_values_are_the_core_next_predikat(name: str) -> None:
    p = POLICIES[name]
    for x in (0.0, 29.99, 30.0, 55.5, 68.13, 70.0, 70.01, 89.99, 90.0, 95.0, 100.0):
        step = next_predikat(x, p)
        if step is None:
            assert cell_value("predikat_berikut", x, policy=p) == ""
            assert cell_value("poin_predikat", x, policy=p) == ""
        else:
            assert cell_value("predikat_berikut", x, policy=p) == step[0]
            assert cell_value("poin_predikat", x, policy=p) == pytest.approx(step[1])
    assert cell_value("poin_predikat", "", policy=p) == ""
    assert cell_value("poin_predikat", 101, policy=p) == "#INPUT?"


def test_native_formula_follows_the_bands() -> None:
    text = formula("poin_predikat", {"nilai": "D25"}, "native", Policy())
    assert "70-ROUND(D25*100,0)/100+0.01" in text and ">90" in text
    text = formula("poin_predikat", {"nilai": "D25"}, "native", Policy(batas_predikat="inklusif"))
    assert "70-ROUND(D25*100,0)/100" in text and "+0.01" not in text and ">=90" in text
