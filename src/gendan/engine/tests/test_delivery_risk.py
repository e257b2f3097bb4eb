"""Delivery risk of open orders: the level a merchandiser sees, the reasons he reads, the slack in
days and the order his home lists orders in. Dates are calendar days; today is Monday 2 June."""

import datetime as dt
import itertools
from dataclasses import replace
from decimal import Decimal

import pytest

from gendan.engine.delivery_risk import (
    AT_RISK,
    LATE,
    LEVELS,
    ON_TRACK,
    REASON_CODES,
    WATCH,
    DeliveryRiskError,
    Line,
    Order,
    OrderIssue,
    Reason,
    Rules,
    Shortage,
    assess,
    by_ref,
    rank,
    sort_key,
)

TODAY = dt.date(2025, 6, 2)


def day(n: int) -> dt.date:
    """Today + n calendar days."""
    return TODAY + dt.timedelta(days=n)


def line(number=1, *, due=30, finish=20, quantity=100, produced=0, delivered=0, shortages=(), lead=None):
    return Line(
        number=number,
        quantity=quantity,
        delivery_date=day(due),
        produced=produced,
        delivered=delivered,
        planned_finish=None if finish is None else day(finish),
        shortages=tuple(shortages),
        lead_days=lead,
    )


def risk(*lines, issues=(), number="SO-1", **kw):
    return assess(Order(number=number, lines=tuple(lines), issues=tuple(issues)), today=TODAY, **kw)


def codes(r):
    return [reason.code for reason in r.reasons]


# ---------------------------------------------------------------- nothing to fear


def test_an_order_without_lines_is_on_track_with_nothing_to_say():
    r = risk()
    assert (r.level, r.score, r.slack_days, r.expected_finish, r.reasons) == (ON_TRACK, 0, None, None, ())


def test_a_planned_line_finishing_well_before_delivery_is_on_track_with_its_slack():
    r = risk(line(due=30, finish=20))
    assert r.level == ON_TRACK and r.reasons == ()
    assert r.slack_days == 10 and r.expected_finish == day(20)
    assert r.score == 0


def test_a_line_delivered_in_full_carries_no_risk_even_past_its_date_and_plan():
    r = risk(line(due=-5, finish=-3, delivered=100, shortages=[Shortage("M-01", day(-10))]))
    assert r.level == ON_TRACK and r.reasons == () and r.slack_days is None


def test_a_line_produced_in_full_carries_no_risk_from_its_schedule_or_materials():
    late_plan = line(due=10, finish=15, produced=100, shortages=[Shortage("M-01", day(5))])
    r = risk(late_plan)
    assert r.level == ON_TRACK and r.reasons == ()
    assert r.lines[0].expected_finish is None and r.slack_days is None


def test_a_produced_line_beside_a_tight_one_leaves_the_order_as_tight_as_the_other():
    r = risk(line(1, due=3, finish=2, produced=100), line(2, due=10, finish=8))
    assert r.slack_days == 2 and r.level == AT_RISK
    assert r.reasons == (("slack_low", {"days": 2}),)


# ---------------------------------------------------------------- late


def test_a_schedule_that_finishes_after_delivery_makes_the_order_late_by_those_days():
    r = risk(line(1, due=10, finish=20), line(2, due=10, finish=13))
    assert r.level == LATE
    assert r.reasons == (
        ("schedule_after_due", {"line": 1, "days": 10}),
        ("schedule_after_due", {"line": 2, "days": 3}),
    )
    assert r.slack_days == -10 and r.expected_finish == day(20)


def test_a_delivery_date_passed_undelivered_is_late_even_when_everything_is_made():
    r = risk(line(due=-4, finish=-6, produced=100))
    assert r.level == LATE and r.reasons == (("overdue", {"line": 1, "days": 4}),)
    assert r.slack_days == -4


def test_a_partial_delivery_does_not_make_a_passed_date_on_time():
    r = risk(line(due=-1, finish=-3, produced=100, delivered=60))
    assert r.level == LATE and codes(r) == ["overdue"]


def test_an_unplanned_line_past_its_date_is_late_by_its_days():
    r = risk(line(due=-2, finish=None))
    assert r.level == LATE and r.slack_days == -2
    assert r.reasons == (("overdue", {"line": 1, "days": 2}), ("not_planned", {"line": 1}))


# ---------------------------------------------------------------- delivery date today


def test_delivery_today_finishing_today_is_not_late_but_has_no_slack():
    r = risk(line(due=0, finish=0))
    assert r.level == AT_RISK and r.slack_days == 0
    assert r.reasons == (("slack_low", {"days": 0}),)


def test_delivery_today_of_goods_already_made_is_on_track():
    assert risk(line(due=0, finish=-2, produced=100)).level == ON_TRACK


def test_delivery_yesterday_is_late_by_one_day():
    r = risk(line(due=-1, finish=-1, produced=100))
    assert r.level == LATE and r.slack_days == -1


# ---------------------------------------------------------------- progress behind the plan


def test_a_line_behind_its_schedule_cannot_finish_before_today():
    r = risk(line(due=20, finish=-3, produced=40))
    assert r.level == WATCH
    assert r.reasons == (("behind_schedule", {"line": 1, "days": 3}),)
    assert r.expected_finish == TODAY and r.slack_days == 20


# ---------------------------------------------------------------- not planned


def test_an_unplanned_order_far_from_delivery_is_watched_and_has_no_slack():
    r = risk(line(due=40, finish=None))
    assert r.level == WATCH and r.reasons == (("not_planned", {"line": 1}),)
    assert r.slack_days is None and r.expected_finish is None


def test_an_unplanned_order_close_to_delivery_is_at_risk():
    assert risk(line(due=14, finish=None)).level == AT_RISK
    assert risk(line(due=15, finish=None)).level == WATCH
    assert risk(line(due=15, finish=None), rules=Rules(unplanned_at_risk_days=20)).level == AT_RISK


# ---------------------------------------------------------------- materials


def test_material_covered_before_its_need_date_is_no_reason():
    r = risk(line(due=30, finish=20, shortages=[Shortage("M-01", day(5), covered_on=day(5))]))
    assert r.level == ON_TRACK and r.reasons == () and r.slack_days == 10


def test_late_material_slides_the_finish_by_its_delay_and_is_watched_when_the_slack_absorbs_it():
    # Needed on day 5, arrives on day 10: the plan's 15 days after the need date follow it.
    r = risk(line(due=40, finish=20, shortages=[Shortage("M-01", day(5), covered_on=day(10))]))
    assert r.level == WATCH
    assert r.reasons == (("material_late", {"line": 1, "material": "M-01", "days": 5}),)
    assert r.expected_finish == day(25) and r.slack_days == 15


def test_late_material_that_pushes_the_finish_past_delivery_makes_the_order_late():
    r = risk(line(due=22, finish=20, shortages=[Shortage("M-01", day(5), covered_on=day(10))]))
    assert r.level == LATE and r.slack_days == -3
    assert r.reasons == (
        ("finish_after_due", {"line": 1, "days": 3}),
        ("material_late", {"line": 1, "material": "M-01", "days": 5}),
    )


def test_the_latest_covering_supply_sets_the_finish():
    shortages = [Shortage("M-02", day(5), covered_on=day(8)), Shortage("M-01", day(5), covered_on=day(12))]
    r = risk(line(due=40, finish=20, shortages=shortages))
    assert r.expected_finish == day(27)
    assert [p["material"] for _c, p in r.reasons] == ["M-01", "M-02"]


def test_the_remaining_processing_days_given_by_the_caller_replace_the_plans_lead():
    r = risk(line(due=40, finish=20, lead=3, shortages=[Shortage("M-01", day(5), covered_on=day(10))]))
    assert r.expected_finish == day(20)  # 10 + 3 = 13, the schedule's 20 is later
    r = risk(line(due=40, finish=20, lead=12, shortages=[Shortage("M-01", day(5), covered_on=day(10))]))
    assert r.expected_finish == day(22)


def test_an_unplanned_line_with_dated_late_material_finishes_after_it_plus_the_default_lead():
    late = [Shortage("M-01", day(5), covered_on=day(10))]
    assert risk(line(due=40, finish=None, shortages=late)).expected_finish == day(10)
    r = risk(line(due=40, finish=None, shortages=late), rules=Rules(default_lead_days=7))
    assert r.expected_finish == day(17) and r.slack_days == 23


def test_a_supply_already_overdue_counts_from_today():
    r = risk(line(due=40, finish=20, shortages=[Shortage("M-01", day(-10), covered_on=day(-2))]))
    # The plan's 30 days after the need date start today, not on the (passed) supply date.
    assert r.expected_finish == day(30) and r.slack_days == 10


def test_a_shortage_nothing_covers_puts_the_order_at_risk():
    r = risk(line(due=60, finish=20, shortages=[Shortage("M-01", day(5))]))
    assert r.level == AT_RISK
    assert r.reasons == (("material_uncovered", {"line": 1, "material": "M-01"}),)
    assert r.slack_days == 40  # the schedule's slack: the missing supply has no date to count from


def test_a_supply_without_a_date_puts_the_order_at_risk_as_undated():
    r = risk(line(due=60, finish=20, shortages=[Shortage("M-01", day(5), on_order=True)]))
    assert r.level == AT_RISK
    assert r.reasons == (("material_undated", {"line": 1, "material": "M-01"}),)


# ---------------------------------------------------------------- issues


def test_an_overdue_grave_issue_puts_the_order_at_risk_a_light_one_on_watch():
    grave = OrderIssue("Q-7", "high", due_date=day(-3))
    r = risk(line(), issues=[grave])
    assert r.level == AT_RISK
    assert r.reasons == (("issue_overdue", {"number": "Q-7", "severity": "high", "days": 3}),)
    assert risk(line(), issues=[OrderIssue("Q-8", "medium", due_date=day(-1))]).level == WATCH


def test_an_issue_the_issues_app_calls_overdue_is_overdue_whatever_its_date():
    r = risk(line(), issues=[OrderIssue(12, "low", overdue=True)])
    assert r.level == WATCH and r.reasons == (
        ("issue_overdue", {"number": 12, "severity": "low", "days": 0}),
    )


def test_an_open_critical_issue_is_watched_an_open_light_one_is_no_reason():
    r = risk(line(), issues=[OrderIssue(3, "critical", due_date=day(5)), OrderIssue(4, "low")])
    assert r.level == WATCH and r.reasons == (("issue_open", {"number": 3, "severity": "critical"}),)
    assert risk(line(), issues=[OrderIssue(4, "medium", due_date=TODAY)]).level == ON_TRACK


def test_an_unknown_severity_or_an_empty_line_is_refused_with_the_reason():
    with pytest.raises(DeliveryRiskError, match="severity"):
        risk(line(), issues=[OrderIssue(1, "urgent")])
    with pytest.raises(DeliveryRiskError, match="line 2"):
        risk(line(2, quantity=0))


# ---------------------------------------------------------------- several reasons, in one order


def _troubled_order(number="SO-9"):
    lines = [
        line(2, due=-1, finish=-2, produced=10, shortages=[Shortage("M-02", day(-5), on_order=True)]),
        line(
            1,
            due=12,
            finish=15,
            shortages=[Shortage("M-09", day(3), covered_on=day(6)), Shortage("M-01", day(3))],
        ),
        line(3, due=60, finish=None),
    ]
    issues = [OrderIssue(20, "critical"), OrderIssue(7, "high", due_date=day(-2))]
    return lines, issues


def test_several_reasons_on_one_order_come_gravest_first_then_by_line_and_material():
    lines, issues = _troubled_order()
    r = risk(*lines, issues=issues)
    assert r.level == LATE
    assert r.reasons == (
        ("overdue", {"line": 2, "days": 1}),
        ("schedule_after_due", {"line": 1, "days": 3}),
        ("finish_after_due", {"line": 1, "days": 6}),
        ("material_uncovered", {"line": 1, "material": "M-01"}),
        ("material_undated", {"line": 2, "material": "M-02"}),
        ("material_late", {"line": 1, "material": "M-09", "days": 3}),
        ("issue_overdue", {"number": 7, "severity": "high", "days": 2}),
        ("behind_schedule", {"line": 2, "days": 2}),
        ("not_planned", {"line": 3}),
        ("issue_open", {"number": 20, "severity": "critical"}),
    )
    assert r.slack_days == -6 and [lr.number for lr in r.lines] == [2, 1, 3]


def test_the_reasons_do_not_depend_on_the_order_lines_and_issues_are_given_in():
    lines, issues = _troubled_order()
    first = risk(*lines, issues=issues).reasons
    flipped = [replace(ln, shortages=ln.shortages[::-1]) for ln in lines]
    for ls in [*itertools.permutations(lines), flipped]:
        for iss in [issues, issues[::-1]]:
            assert risk(*ls, issues=iss).reasons == first


def test_every_reason_code_is_listed_and_a_reason_unpacks_as_a_pair():
    lines, issues = _troubled_order()
    r = risk(*lines, issues=issues)
    assert {c for c in codes(r)} <= set(REASON_CODES)
    code, params = r.reasons[0]
    assert isinstance(r.reasons[0], Reason) and code == "overdue" and params["line"] == 2


# ---------------------------------------------------------------- score and thresholds


def test_the_score_keeps_to_its_levels_band_and_never_leaves_0_to_100():
    lines, issues = _troubled_order()
    cases = [risk(), risk(line(due=9, finish=0)), risk(line(due=5, finish=0)), risk(line(due=1, finish=0))]
    cases += [risk(line(due=0, finish=0)), risk(*lines, issues=issues), risk(line(due=-300, finish=-300))]
    for r in cases:
        band = LEVELS.index(r.level)
        assert 25 * band <= r.score <= (100 if r.level == LATE else 25 * band + 24), r
    assert risk(*lines, issues=issues).score == 100


def test_within_a_level_less_slack_and_more_trouble_score_higher():
    tight = risk(line(due=3, finish=2))  # slack 1
    tighter = risk(line(due=2, finish=2))  # slack 0
    tighter_with_issue = risk(line(due=2, finish=2), issues=[OrderIssue(1, "critical")])
    assert AT_RISK == tight.level == tighter.level == tighter_with_issue.level
    assert tight.score < tighter.score < tighter_with_issue.score
    assert (tight.score, tighter.score, tighter_with_issue.score) == (50 + 9 + 0, 50 + 10, 50 + 10 + 4)


def test_the_slack_thresholds_are_rules_the_caller_may_change():
    assert risk(line(due=27, finish=20)).level == WATCH  # 7 days
    assert risk(line(due=28, finish=20)).level == ON_TRACK
    assert risk(line(due=23, finish=20)).level == WATCH  # 3 days
    assert risk(line(due=22, finish=20)).level == AT_RISK  # 2 days
    strict = Rules(watch_slack_days=14, at_risk_slack_days=5)
    assert risk(line(due=28, finish=20), rules=strict).level == WATCH
    assert risk(line(due=23, finish=20), rules=strict).level == AT_RISK


# ---------------------------------------------------------------- ranking


def test_rank_sorts_by_level_then_score_then_slack_then_number():
    orders = [
        Order("SO-A", (line(due=40, finish=20),), ref=1),  # on track
        Order("SO-B", (line(due=10, finish=13),), ref=2),  # late by 3
        Order("SO-C", (line(due=22, finish=20),), ref=3),  # at risk, slack 2
        Order("SO-D", (line(due=10, finish=11),), ref=4),  # late by 1
        Order("SO-E", (line(due=60, finish=None),), ref=5),  # watch, no slack
        Order("SO-F", (line(due=26, finish=20),), ref=6),  # watch, slack 6
        Order("SO-G", (line(due=26, finish=20),), ref=7),  # the same as F
    ]
    ranked = rank(orders, today=TODAY)
    assert [r.order for r in ranked] == ["SO-B", "SO-D", "SO-C", "SO-F", "SO-G", "SO-E", "SO-A"]
    assert [r.level for r in ranked] == [LATE, LATE, AT_RISK, WATCH, WATCH, WATCH, ON_TRACK]
    assert by_ref(ranked)[3].order == "SO-C"
    assert rank(reversed(orders), today=TODAY) == ranked


def test_unknown_slack_sorts_after_known_slack_of_the_same_level_and_score():
    known = risk(line(due=90, finish=0), issues=[OrderIssue(1, "critical")], number="SO-2")
    unknown = risk(issues=[OrderIssue(1, "critical")], number="SO-1")
    assert (known.level, known.score) == (unknown.level, unknown.score)
    assert sorted([unknown, known], key=sort_key) == [known, unknown]


def test_quantities_may_be_decimals():
    r = risk(line(quantity=Decimal("12.5"), produced=Decimal("12.5"), due=-1, finish=-1))
    assert r.level == LATE and codes(r) == ["overdue"]
