"""Quality records' arithmetic (R-4.2): Pareto with its "other" bar, first-pass and rolled
throughput yield, the X̄-R chart against a hand-worked example, the p chart with sample sizes that
differ, and the two rules that mark a point out of control."""

import math

import pytest

from gendan.engine.spc import (
    CONSTANTS,
    SpcError,
    Subgroups,
    by_inspection,
    capability,
    consecutive,
    first_pass_yield,
    p_chart,
    pareto,
    rolled_throughput_yield,
    rule_beyond_limits,
    rule_run,
    xbar_r,
    yields,
)

# ---------------------------------------------------------------- Pareto


def test_pareto_sorts_largest_first_with_cumulative_percent():
    rows = pareto({"scratch": 10, "dent": 30, "rust": 60})
    assert [r.category for r in rows] == ["rust", "dent", "scratch"]
    assert [r.count for r in rows] == [60, 30, 10]
    assert [r.percent for r in rows] == [60, 30, 10]
    assert [r.cumulative for r in rows] == [60, 90, 100]


def test_pareto_puts_what_is_beyond_the_top_into_one_other_bar_drawn_last():
    counts = [("a", 50), ("b", 20), ("c", 12), ("d", 9), ("e", 5), ("f", 4)]
    rows = pareto(counts, top=3, other="其他")
    assert [(r.category, r.count, r.is_other) for r in rows] == [
        ("a", 50, False),
        ("b", 20, False),
        ("c", 12, False),
        ("其他", 18, True),
    ]
    assert rows[-1].cumulative == 100


def test_the_other_bar_stays_last_even_when_it_is_the_largest():
    rows = pareto([("a", 5), ("b", 4), ("c", 3), ("d", 3), ("e", 3)], top=1)
    assert [r.category for r in rows] == ["a", "other"] and rows[1].count == 13


def test_pareto_adds_the_same_category_leaves_out_zeros_and_breaks_ties_by_name():
    rows = pareto([("b", 2), ("a", 1), ("a", 1), ("z", 0)])
    assert [(r.category, r.count) for r in rows] == [("a", 2), ("b", 2)]


def test_pareto_of_nothing_is_empty_and_bad_input_is_refused():
    assert pareto({}) == [] and pareto({"a": 0}) == []
    with pytest.raises(SpcError):
        pareto({"a": -1})
    with pytest.raises(SpcError):
        pareto({"a": 1}, top=0)


def test_pareto_of_quantities_keeps_their_fractions():
    rows = pareto([("burr", 2.5), ("crack", 7.5)])
    assert [(r.category, r.count, r.percent) for r in rows] == [("crack", 7.5, 75), ("burr", 2.5, 25)]


def test_pareto_without_more_categories_than_top_has_no_other_bar():
    rows = pareto({"a": 1, "b": 1}, top=2)
    assert not any(r.is_other for r in rows)


# ---------------------------------------------------------------- yield


def test_first_pass_yield_is_good_first_time_over_started():
    assert first_pass_yield(200, 190) == pytest.approx(0.95)
    assert first_pass_yield(0, 0) is None  # nothing started: no yield, not 0
    assert first_pass_yield(10, 12) == 1.0  # never above 100 %
    with pytest.raises(SpcError):
        first_pass_yield(10, -1)


def test_yields_per_group_add_up_the_same_key():
    rows = yields([("cut", 100, 90), ("weld", 50, 50), ("cut", 100, 100), ("paint", 0, 0)])
    assert [(r.key, r.started, r.good) for r in rows] == [
        ("cut", 200, 190),
        ("weld", 50, 50),
        ("paint", 0, 0),
    ]
    assert rows[0].fpy == pytest.approx(0.95) and rows[1].fpy == 1 and rows[2].fpy is None


def test_rolled_throughput_yield_multiplies_the_steps():
    # Three steps at 95 %, 90 % and 98 %: 0.95 × 0.90 × 0.98 = 0.8379.
    assert rolled_throughput_yield([0.95, 0.90, 0.98]) == pytest.approx(0.8379)
    assert rolled_throughput_yield([0.9, None]) == pytest.approx(0.9)
    assert rolled_throughput_yield([None]) is None and rolled_throughput_yield([]) is None


# ---------------------------------------------------------------- X̄-R


def test_the_constants_are_the_standard_table():
    assert sorted(CONSTANTS) == list(range(2, 11))
    assert CONSTANTS[2] == (1.880, 0.000, 3.267, 1.128)
    assert CONSTANTS[5] == (0.577, 0.000, 2.114, 2.326)
    assert CONSTANTS[7][1:3] == (0.076, 1.924)
    assert CONSTANTS[10] == (0.308, 0.223, 1.777, 3.078)
    for n, (a2, d3, d4, d2) in CONSTANTS.items():
        # A2 = 3 / (d2·√n): the table and its definition agree to its three decimals.
        assert a2 == pytest.approx(3 / (d2 * math.sqrt(n)), abs=0.002)
        assert d3 < 1 < d4


def test_xbar_r_against_a_hand_worked_example():
    # Four subgroups of n = 3 (A2 = 1.023, D3 = 0, D4 = 2.574), worked by hand:
    #   10 12 11 → X̄ 11, R 2;   11 13 12 → X̄ 12, R 2;   9 11 10 → X̄ 10, R 2;   12 14 10 → X̄ 12, R 4
    #   X̄̄ = (11 + 12 + 10 + 12) / 4 = 11.25      R̄ = (2 + 2 + 2 + 4) / 4 = 2.5
    #   X̄: UCL = 11.25 + 1.023 × 2.5 = 13.8075   LCL = 11.25 − 2.5575 = 8.6925
    #   R:  UCL = 2.574 × 2.5 = 6.435              LCL = 0 × 2.5 = 0
    xbar, r = xbar_r([("1", [10, 12, 11]), ("2", [11, 13, 12]), ("3", [9, 11, 10]), ("4", [12, 14, 10])])
    assert [p.value for p in xbar.points] == [11, 12, 10, 12]
    assert [p.value for p in r.points] == [2, 2, 2, 4]
    assert xbar.centre == pytest.approx(11.25) and r.centre == pytest.approx(2.5)
    assert xbar.ucl == pytest.approx(13.8075) and xbar.lcl == pytest.approx(8.6925)
    assert r.ucl == pytest.approx(6.435) and r.lcl == 0
    assert not xbar.signals and not r.signals
    assert [p.size for p in xbar.points] == [3] * 4 and xbar.kind == "xbar" and r.kind == "r"


def test_a_subgroup_mean_beyond_its_limit_is_flagged():
    # n = 2 (A2 = 1.880): ten quiet pairs around 10 with R = 0.2, then one pair at 12.
    subgroups = [(str(i), [9.9, 10.1]) for i in range(10)] + [("11", [12.0, 12.2])]
    xbar, r = xbar_r(subgroups)
    # R̄ = (10 × 0.2 + 0.2) / 11 = 0.2; X̄̄ = (10 × 10 + 12.1) / 11 = 10.1909…
    assert r.centre == pytest.approx(0.2)
    assert xbar.ucl == pytest.approx(112.1 / 11 + 1.880 * 0.2)
    assert [p.label for p in xbar.points if p.beyond] == ["11"]


@pytest.mark.parametrize(
    "subgroups, message",
    [
        ([("1", [1, 2])], "two subgroups"),
        ([("1", [1, 2]), ("2", [1, 2, 3])], "same size"),
        ([("1", [1]), ("2", [2])], "2 to 10"),
        ([("1", list(range(11))), ("2", list(range(11)))], "2 to 10"),
    ],
)
def test_xbar_r_refuses_what_it_cannot_chart(subgroups, message):
    with pytest.raises(SpcError, match=message):
        xbar_r(subgroups)


# ---------------------------------------------------------------- p chart


def test_p_chart_limits_follow_each_samples_size():
    # 3 + 2 + 5 = 10 nonconforming in 100 + 50 + 50 = 200 inspected: p̄ = 0.05.
    chart = p_chart([("W1", 3, 100), ("W2", 2, 50), ("W3", 5, 50)])
    assert chart.centre == pytest.approx(0.05)
    assert [p.value for p in chart.points] == pytest.approx([0.03, 0.04, 0.10])
    sigma100 = math.sqrt(0.05 * 0.95 / 100)  # 0.021794…
    sigma50 = math.sqrt(0.05 * 0.95 / 50)  # 0.030822…
    assert chart.points[0].ucl == pytest.approx(0.05 + 3 * sigma100)  # 0.11538
    assert chart.points[1].ucl == pytest.approx(0.05 + 3 * sigma50)  # 0.14247
    # 0.05 − 3σ is below 0: the lower limit is clipped at 0.
    assert all(p.lcl == 0 for p in chart.points)
    assert [p.size for p in chart.points] == [100, 50, 50]


def test_p_chart_keeps_a_positive_lower_limit_for_large_samples_and_flags_points_beyond():
    chart = p_chart([("a", 100, 1000), ("b", 90, 1000), ("c", 110, 1000), ("d", 200, 1000)])
    pbar = 500 / 4000
    sigma = math.sqrt(pbar * (1 - pbar) / 1000)
    assert chart.points[0].lcl == pytest.approx(pbar - 3 * sigma) and chart.points[0].lcl > 0
    assert [p.label for p in chart.points if p.beyond] == ["b", "d"]


def test_p_chart_skips_samples_of_nothing_and_refuses_impossible_counts():
    chart = p_chart([("a", 1, 10), ("empty", 0, 0), ("b", 0, 10)])
    assert [p.label for p in chart.points] == ["a", "b"]
    with pytest.raises(SpcError, match="more nonconforming"):
        p_chart([("a", 11, 10)])
    with pytest.raises(SpcError, match="negative"):
        p_chart([("a", -1, 10)])
    with pytest.raises(SpcError, match="nothing"):
        p_chart([("a", 0, 0)])


def test_p_chart_of_all_good_lots_has_limits_on_the_centre_and_no_signal():
    chart = p_chart([("a", 0, 10), ("b", 0, 20)])
    assert chart.centre == 0 and chart.ucl == 0 and not chart.signals


# ---------------------------------------------------------------- rules


def test_rule_one_a_point_on_a_limit_is_inside():
    assert rule_beyond_limits([1, 2, 3, 0], [2, 2, 2, 2], [1, 1, 1, 1]) == [False, False, True, True]


def test_rule_two_nine_in_a_row_on_one_side_flags_the_whole_run():
    values = [1] * 9 + [-1]
    assert rule_run(values, 0) == [True] * 9 + [False]
    assert rule_run([1] * 8 + [-1], 0) == [False] * 9  # eight is not enough


def test_rule_two_a_point_on_the_centre_line_breaks_the_run():
    values = [1] * 5 + [0] + [1] * 5
    assert not any(rule_run(values, 0))


def test_rule_two_finds_a_run_below_the_centre_after_other_points():
    values = [1, -1, 1] + [-2] * 10
    assert rule_run(values, 0) == [False] * 3 + [True] * 10


def test_a_control_chart_reports_both_rules():
    # Nine weeks just above the centre, then one far above: a run and a point beyond.
    chart = p_chart([(f"W{i}", 6, 100) for i in range(9)] + [("W9", 40, 100)] + [("W10", 0, 900)])
    flags = [(p.label, p.beyond, p.run) for p in chart.points]
    assert flags[:9] == [(f"W{i}", False, True) for i in range(9)]
    assert flags[9] == ("W9", True, True) and flags[10][1] is True  # 0 of 900 is below its LCL
    assert len(chart.signals) == 11


# ---------------------------------------------------------------- subgroups and capability


def test_by_inspection_cuts_every_inspection_to_the_size_most_reached():
    groups = by_inspection(
        [
            ("a", [1, 2, 3, 4, 5]),
            ("b", [2, 3, 4, 5, 6, 7, 8]),  # more values: its first five
            ("c", [1, 2, 3]),  # fewer: left out
            ("d", [5, 4, 3, 2, 1]),
            ("e", [9]),  # one value: left out
        ]
    )
    assert groups.n == 5 and groups.left_out == 2
    assert groups.groups == (
        ("a", (1, 2, 3, 4, 5)),
        ("b", (2, 3, 4, 5, 6)),
        ("d", (5, 4, 3, 2, 1)),
    )


def test_by_inspection_takes_at_most_ten_and_nothing_from_single_values():
    many = by_inspection([(str(i), list(range(32))) for i in range(3)])
    assert many.n == 10 and all(len(values) == 10 for _label, values in many.groups)
    assert by_inspection([("a", [1]), ("b", [2])]) == Subgroups(0, (), 2)
    # Two sizes as frequent: the larger one.
    assert by_inspection([("a", [1, 2]), ("b", [1, 2, 3])]).n == 3


def test_consecutive_groups_keep_the_newest_value_and_leave_out_the_oldest_rest():
    values = [(f"v{i}", float(i)) for i in range(1, 12)]  # 11 values in groups of 5: v1 left out
    groups = consecutive(values, 5)
    assert groups.n == 5
    assert groups.groups == (("v6", (2, 3, 4, 5, 6)), ("v11", (7, 8, 9, 10, 11)))
    with pytest.raises(SpcError, match="2 to 10"):
        consecutive(values, 1)


def test_capability_from_the_average_range():
    # n = 5 (d2 = 2.326): R̄ = 0.02326 → σ̂ = 0.01; spec 49.95–50.05 around a mean of 50.02:
    #   Cp = 0.1 / 0.06 = 1.667;  Cpk = min(0.03, 0.07) / 0.03 = 1.0
    cap = capability(50.02, 0.02326, 5, 49.95, 50.05)
    assert cap.sigma == pytest.approx(0.01)
    assert cap.cp == pytest.approx(0.1 / 0.06) and cap.cpk == pytest.approx(1.0)
    assert capability(50.0, 0.0, 5, 49.95, 50.05).cpk is None  # no variation seen: no estimate
    with pytest.raises(SpcError):
        capability(50.0, 0.01, 5, 50.05, 49.95)
