"""The SVG charts draw the numbers they are given, in proportion, and mark what they are asked to."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from sqltrain.site import charts

SVG = "{http://www.w3.org/2000/svg}"


def _marks(svg: str, tag: str) -> list[ET.Element]:
    return [e for e in ET.fromstring(svg).iter(f"{SVG}{tag}") if e.get("data-value") is not None]


def test_bar_heights_are_proportional_and_the_current_bar_is_marked():
    svg = charts.bar_chart([("a", 1000), ("b", 2500), ("c", 0)], name="rows", title="Rows", highlight="b")
    bars = _marks(svg, "rect")
    heights = {b.get("data-label"): float(b.get("height")) for b in bars}
    assert heights["c"] == 0
    assert heights["b"] == pytest.approx(2.5 * heights["a"], rel=1e-3)
    assert [b.get("data-label") for b in bars if "current" in b.get("class")] == ["b"]
    assert "2,500" in svg  # the value is written on the bar


def test_line_leaves_a_gap_for_a_missing_value():
    svg = charts.line_chart([("a", 0.1), ("b", None), ("c", 0.3)], name="rate", title="Rate")
    points = _marks(svg, "circle")
    assert [p.get("data-label") for p in points] == ["a", "c"]
    path = ET.fromstring(svg).find(f"{SVG}path").get("d")
    assert re.fullmatch(r"M[\d.]+,[\d.]+ M[\d.]+,[\d.]+", path)  # two separate pieces, no line through b
    ys = {p.get("data-label"): float(p.get("cy")) for p in points}
    assert ys["c"] < ys["a"]  # higher value, higher on the page


def test_hbar_marks_bars_over_their_own_limit_else_the_set_limit():
    svg = charts.hbar_chart([("x", 0.7), ("y", 0.7), ("z", 0.2)], name="nulls", title="Nulls",
                            limit=0.6, limits={"y": 1.0})
    over = {b.get("data-label"): "over" in b.get("class") for b in _marks(svg, "rect")}
    assert over == {"x": True, "y": False, "z": False}


@pytest.mark.parametrize("value, top", [(0.041, 0.05), (0.3, 0.5), (2070, 2500), (1, 1), (12000, 20000), (0, 1)])
def test_axis_tops_are_round(value, top):
    assert charts._nice_top(value) == pytest.approx(top)
