"""The quality records' pictures (R-4.2), read as a person reads them: the Pareto's bars in order
with their names and the 80 % line, a control chart's limits and its red points exactly where a
rule fires, the yield line with its gaps, and a defect's name that looks like markup shown as text."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from gendan.engine.spc import p_chart, pareto, xbar_r
from gendan.quality.charts import control_svg, fpy_svg, pareto_svg

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def by_class(root, css: str) -> list[ET.Element]:
    return [e for e in root.iter() if css in (e.get("class") or "").split()]


def text_of(element) -> str:
    return "".join(element.itertext())


def test_the_pareto_shows_bars_largest_first_with_names_counts_and_the_80_line():
    with translation.override("zh-hans"):
        root = parse(pareto_svg(pareto({"划伤": 5, "尺寸超差": 20, "生锈": 9})))
    assert root.get("viewBox") and root.get("role") == "img"
    assert root.find("s:title", NS).text == "缺陷排列图（帕累托）"
    bars = by_class(root, "bar")
    xs = [float(b.get("x")) for b in bars]
    assert xs == sorted(xs)
    heights = [float(b.get("height")) for b in bars]
    assert heights == sorted(heights, reverse=True)
    assert [text_of(t) for t in by_class(root, "count")] == ["20", "9", "5"]
    assert [t.text for t in by_class(root, "label")] == ["尺寸超差", "生锈", "划伤"]
    assert bars[0].find("s:title", NS).text == "尺寸超差：20（占 58.8%，累计 58.8%）"
    assert len(by_class(root, "eighty")) == 1 and len(by_class(root, "cumulative")) == 1


def test_a_long_defect_name_is_shortened_under_its_bar_and_whole_in_its_tooltip():
    counts = {"表面氧化发黑严重": 30, **{f"缺陷{i}": 10 - i for i in range(8)}}  # nine bars
    root = parse(pareto_svg(pareto(counts)))
    label = by_class(root, "label")[0]
    assert label.text == "表面氧化…" and label.find("s:title", NS).text == "表面氧化发黑严重"
    assert by_class(root, "label")[1].text == "缺陷0"  # a short name is whole
    alone = by_class(parse(pareto_svg(pareto({"表面氧化发黑严重": 3}))), "label")[0]
    assert alone.text == "表面氧化发黑严重"  # one wide bar has room for it


def test_a_defect_name_that_looks_like_markup_is_text():
    name = '<script>alert("x")</script> & "co"'
    svg = str(pareto_svg(pareto({name: 2})))
    assert "<script>" not in svg
    root = parse(svg)  # still well-formed
    bar = by_class(root, "bar")[0]
    assert name in bar.find("s:title", NS).text
    assert not list(root.iter("{http://www.w3.org/2000/svg}script"))


def test_the_other_bar_is_grey_and_last():
    rows = pareto({"a": 9, "b": 8, "c": 1, "d": 1}, top=2, other="其他")
    root = parse(pareto_svg(rows))
    bars = by_class(root, "bar")
    assert by_class(root, "label")[-1].text == "其他"
    assert bars[-1].get("fill") != bars[0].get("fill")


def test_an_empty_period_says_so():
    with translation.override("en"):
        for svg in (pareto_svg([]), fpy_svg([("W1", None)])):
            assert "No records in this period" in text_of(parse(svg))


def test_the_control_chart_draws_limits_and_red_points_where_rule_one_fires():
    subgroups = [(f"S{i}", [9.9, 10.1]) for i in range(6)] + [("S6", [12.0, 12.2])]
    xbar, _r = xbar_r(subgroups)
    root = parse(control_svg(xbar, title="X̄"))
    points = by_class(root, "point")
    assert len(points) == 7
    red = [p for p in points if p.get("fill") == "#d64545"]
    assert len(red) == 1 and red[0] is points[-1]
    assert "signal" in red[0].get("class") and "S6" in red[0].find("s:title", NS).text
    assert by_class(root, "ucl") and by_class(root, "lcl") and by_class(root, "centre")
    # The red point is drawn above the upper limit (SVG's y grows downwards).
    ucl_y = float(by_class(root, "ucl")[0].get("points").split()[0].split(",")[1])
    assert float(red[0].get("cy")) < ucl_y


def test_a_run_of_nine_is_marked_apart_from_a_point_beyond_a_limit_and_says_why():
    chart = p_chart([(f"W{i}", 6, 100) for i in range(9)] + [("W9", 9, 300), ("W10", 9, 300)])
    with translation.override("en"):
        root = parse(control_svg(chart, title="p", percent=True))
    points = by_class(root, "point")
    assert [("signal" in p.get("class")) for p in points] == [True] * 9 + [False, False]
    assert "9 in a row on one side" in points[0].find("s:title", NS).text
    assert points[0].get("fill") not in ("#d64545", "#3b7dd8")  # neither red nor blue
    assert "n = 100" in points[0].find("s:title", NS).text


def test_a_p_chart_with_sample_sizes_that_differ_has_a_stepped_upper_limit():
    chart = p_chart([("W1", 3, 100), ("W2", 2, 50), ("W3", 5, 200)])
    root = parse(control_svg(chart, title="p", percent=True))
    ys = {pt.split(",")[1] for pt in by_class(root, "ucl")[0].get("points").split()}
    assert len(ys) == 3  # one height per sample size


def test_the_fpy_line_leaves_a_gap_for_a_week_without_production():
    root = parse(fpy_svg([("W1", 0.95), ("W2", 0.97), ("W3", None), ("W4", 0.9)]))
    assert len(by_class(root, "series")) == 2
    assert len(by_class(root, "point")) == 3
    assert [t.text for t in by_class(root, "label")] == ["W1", "W2", "W3", "W4"]
    assert "W4: 90.0 %" in by_class(root, "point")[-1].find("s:title", NS).text


@pytest.mark.parametrize("label", ['W1"><script>', "<b>&"])
def test_point_labels_are_escaped(label):
    chart = p_chart([(label, 1, 10), ("W2", 1, 10)])
    root = parse(control_svg(chart, title='<t> & "x"', percent=True))
    assert root.find("s:title", NS).text == '<t> & "x"'
    assert root.get("aria-label") == '<t> & "x"'
    assert by_class(root, "label")[0].text.startswith(label[:7])
