"""Merchandiser KPIs' arithmetic (R-7.1): each figure on small cases worked out by hand, the day a
record belongs to, no data, the weighted score, the monthly trend."""

import dataclasses
import datetime as dt
import random
from decimal import Decimal as D

import pytest

from gendan.engine.kpi import (
    FIGURES,
    NO_RECORDS,
    NO_SHIPMENTS,
    NO_TARGET,
    NO_VALUE,
    NO_WEIGHT,
    NOT_STARTED,
    Complaint,
    DueLine,
    Issue,
    KpiError,
    KpiSettings,
    Rating,
    Records,
    Shipped,
    Step,
    months_between,
    points,
    report,
    trend,
)
from gendan.engine.scorecard import month

MARCH = month(2026, 3)
LATER = dt.datetime(2026, 4, 10, 12, 0)  # well after March: every March outcome is known


def at(m, d, h=0, mi=0):
    return dt.datetime(2026, m, d, h, mi)


def day(m, d):
    return dt.date(2026, m, d)


def figure(records, code, period=MARCH, as_of=LATER, settings=None):
    return report(records, period, as_of=as_of, settings=settings).figures[code]


# ---------------------------------------------------------------- follow-up timeliness

REVIEWS = [
    Step(1, "review", at(3, 2, 8), at(3, 2, 20)),  # 12 h: on time
    Step(2, "review", at(3, 5, 8), at(3, 6, 8)),  # exactly 24 h: on time (the target is included)
    Step(3, "review", at(3, 10, 8), at(3, 12, 8)),  # 48 h: late
    Step(4, "review", at(3, 20, 8)),  # never reviewed: late once 24 h passed, no duration
    Step(5, "review", at(2, 28, 23), at(3, 1, 1)),  # received in February: February's
    Step(6, "review", at(3, 31, 23, 59), at(4, 1, 0, 59)),  # received on the 31st: March's, 1 h
]


def test_the_review_share_counts_steps_within_their_target_hours():
    f = figure(Records(steps=REVIEWS), "review_on_time")
    # counted 1, 2, 3, 4, 6 (by the day received); missed 3 (48 h) and 4 (still open, 24 h gone)
    assert f.counted == (1, 2, 3, 4, 6)
    assert f.missed == (3, 4)
    assert (f.value, f.unit, f.target, f.met) == (D("60.0"), "%", D(90), False)


def test_the_review_median_is_over_the_steps_done():
    f = figure(Records(steps=REVIEWS), "review_median")
    # durations 12, 24, 48, 1: median (12 + 24) / 2 = 18 h; the open step 4 has no duration
    assert (f.value, f.unit, f.met) == (D("18.0"), "h", True)
    assert f.counted == (1, 2, 3, 6)
    assert f.missed == (3,)


def test_a_step_not_done_and_not_yet_late_is_not_counted():
    f = figure(Records(steps=[Step(4, "review", at(3, 20, 8))]), "review_on_time", as_of=at(3, 21, 7))
    assert (f.value, f.reason, f.counted) == (None, NO_RECORDS, ())
    f = figure(Records(steps=[Step(4, "review", at(3, 20, 8))]), "review_on_time", as_of=at(3, 21, 9))
    assert (f.value, f.missed) == (D("0.0"), (4,))


def test_what_happens_after_as_of_has_not_happened_yet():
    # reviewed on the 3rd at 10:00, looked at on the 2nd at 20:00: open, 12 h, not late yet
    step = Step(1, "review", at(3, 2, 8), at(3, 3, 10))
    assert figure(Records(steps=[step]), "review_on_time", as_of=at(3, 2, 20)).value is None
    # a step begun after as_of is not there either
    assert figure(Records(steps=[step]), "review_on_time", as_of=at(3, 1)).counted == ()


def test_each_step_kind_has_its_own_target():
    steps = [
        Step("r1", "release", at(3, 2), at(3, 2, 6)),  # 6 h
        Step("a1", "ack", at(3, 2), at(3, 3, 1)),  # 25 h: late against 24
        Step("a2", "ack", at(3, 2), at(3, 2, 5)),
        Step("p1", "plan", at(3, 2), at(3, 3, 23)),  # 47 h: on time against 48
        Step("p2", "plan", at(3, 2), at(3, 4, 1)),  # 49 h: late
    ]
    records = Records(steps=steps)
    assert figure(records, "release_on_time").value == D("100.0")
    assert figure(records, "release_median").value == D("6.0")
    ack = figure(records, "ack_on_time")
    assert (ack.value, ack.missed) == (D("50.0"), ("a1",))
    plan = figure(records, "plan_on_time")
    assert (plan.value, plan.missed) == (D("50.0"), ("p2",))
    tight = KpiSettings(step_hours={"review": 24, "release": 5, "ack": 24, "plan": 48})
    assert figure(records, "release_on_time", settings=tight).missed == ("r1",)


# ---------------------------------------------------------------- issue resolution

ISSUES = [
    Issue(1, at(3, 1, 8), day(3, 3), at(3, 3, 8)),  # 2 days, closed on its due date: in time
    Issue(2, at(3, 1, 8), day(3, 5), at(3, 9, 8)),  # 8 days, overdue
    Issue(3, at(3, 2), None, at(3, 5)),  # 3 days, no due date: cannot be overdue
    Issue(4, at(3, 10), day(3, 30)),  # open at the end of March, due the 30th: open overdue
    Issue(5, at(3, 10), day(3, 31)),  # open, due on the last day: still in time
    Issue(6, at(2, 1), day(2, 10), at(4, 2)),  # open all March (closed in April), overdue
    Issue(7, at(3, 10, 8), day(3, 15), at(3, 31, 23)),  # 21 d 15 h, overdue; closed by March's end
    Issue(8, at(4, 1), day(3, 20)),  # opened in April: not open at the end of March
]


def test_the_median_days_to_close_are_of_the_issues_closed_in_the_period():
    f = figure(Records(issues=ISSUES), "issue_close_median")
    # closed in March: 1 (2 d), 2 (8 d), 3 (3 d), 7 (21.625 d): median (3 + 8) / 2 = 5.5
    assert (f.value, f.unit, f.target, f.met) == (D("5.5"), "d", D(3), False)
    assert f.counted == (1, 3, 2, 7)  # in the order they were closed


def test_the_share_closed_overdue_counts_a_close_after_the_due_day():
    f = figure(Records(issues=ISSUES), "issues_closed_overdue")
    assert (f.value, f.missed, f.met) == (D("50.0"), (2, 7), False)


def test_open_overdue_counts_at_the_end_of_the_period():
    f = figure(Records(issues=ISSUES), "issues_open_overdue")
    assert f.counted == (6, 4, 5)  # open at the end of the 31st, oldest first
    assert (f.value, f.missed, f.unit, f.met) == (D(2), (6, 4), "count", False)


def test_open_overdue_in_a_running_period_is_counted_on_as_of_day():
    # on 20 March issue 4 (due the 30th) is not overdue yet, and 7 (due the 15th) is
    f = figure(Records(issues=ISSUES), "issues_open_overdue", as_of=at(3, 20, 12))
    assert f.missed == (6, 7)
    assert f.value == D(2)


def test_open_issues_none_overdue_is_zero_and_no_open_issue_is_no_value():
    f = figure(Records(issues=[Issue(1, at(3, 30), day(4, 30))]), "issues_open_overdue")
    assert (f.value, f.met) == (D(0), True)
    f = figure(Records(issues=[Issue(1, at(3, 1), day(3, 2), at(3, 2))]), "issues_open_overdue")
    assert (f.value, f.reason) == (None, NO_RECORDS)


def test_a_period_that_has_not_begun_has_no_open_overdue():
    f = figure(Records(issues=ISSUES), "issues_open_overdue", period=month(2026, 5))
    assert (f.value, f.reason) == (None, NOT_STARTED)


# ---------------------------------------------------------------- delivery and complaints

LINES = [
    DueLine("L1", day(3, 10), D(100), (Shipped("S1", day(3, 8), D(60)), Shipped("S2", day(3, 10), D(40)))),
    DueLine("L2", day(3, 15), D(100), (Shipped("S2", day(3, 10), D(50)), Shipped("S3", day(3, 20), D(50)))),
    DueLine("L3", day(3, 31), D(10)),  # nothing delivered, the promised day is over: late
    DueLine("L4", day(4, 2), D(10), (Shipped("S4", day(4, 1), D(10)),)),  # promised in April
    DueLine("L5", day(3, 20), D(10), (Shipped("S0", day(3, 1), D(10)),)),  # early: on time
]


def test_a_line_is_on_time_when_complete_by_its_promised_date():
    f = figure(Records(lines=LINES), "delivery_on_time")
    # L1 complete on its promised day; L2 half on time, complete on the 20th: late, not 50 %
    assert f.counted == ("L1", "L2", "L5", "L3")
    assert f.missed == ("L2", "L3")
    assert (f.value, f.unit, f.target, f.met) == (D("50.0"), "%", D(95), False)


def test_a_line_is_judged_once_its_outcome_is_known():
    line = DueLine("L9", day(4, 15), D(10))
    records = Records(lines=[line])
    april = month(2026, 4)
    # on its promised day it may still arrive in time; the next day it is late
    assert figure(records, "delivery_on_time", april, as_of=at(4, 15, 18)).value is None
    assert figure(records, "delivery_on_time", april, as_of=at(4, 16, 8)).missed == ("L9",)
    # a delivery after as_of has not happened yet
    shipped = Records(lines=[dataclasses.replace(line, deliveries=(Shipped("S9", day(4, 14), D(10)),))])
    assert figure(shipped, "delivery_on_time", april, as_of=at(4, 13)).value is None
    assert figure(shipped, "delivery_on_time", april, as_of=at(4, 14)).value == D("100.0")


def test_complaints_per_100_shipments_count_each_shipment_once():
    records = Records(lines=LINES, complaints=[Complaint("C1", day(3, 5)), Complaint("C2", day(4, 1))])
    count = figure(records, "complaints")
    assert (count.value, count.counted, count.target, count.met) == (D(1), ("C1",), None, None)
    rate = figure(records, "complaints_per_100")
    # March's shipments S0, S1, S2 (two lines, one shipment), S3: 1 complaint / 4 × 100
    assert sorted(rate.counted) == ["S0", "S1", "S2", "S3"]
    assert (rate.value, rate.missed, rate.unit, rate.met) == (D("25.0"), ("C1",), "per 100 shipments", False)


def test_complaints_without_shipments_have_no_rate():
    records = Records(complaints=[Complaint("C1", day(3, 5))])
    assert figure(records, "complaints").value == D(1)
    rate = figure(records, "complaints_per_100")
    assert (rate.value, rate.reason) == (None, NO_SHIPMENTS)


# ---------------------------------------------------------------- satisfaction

RATINGS = [
    Rating("R1", day(3, 1), D(5)),
    Rating("R2", day(3, 31), D(4)),
    Rating("R3", day(3, 15), D(3)),
    Rating("R4", day(4, 1), D(1)),  # April's
]


def test_satisfaction_is_the_mean_rating_of_the_period():
    f = figure(Records(ratings=RATINGS), "satisfaction")
    assert (f.value, f.unit, f.target, f.met) == (D("4.0"), "rating", D(4), True)
    assert f.counted == ("R1", "R3", "R2")
    assert f.missed == ("R3",)  # below the target


def test_satisfaction_on_the_callers_scale():
    settings = KpiSettings(rating_scale=(0, 10), targets={"satisfaction": 8})
    ratings = [Rating(1, day(3, 1), D(10)), Rating(2, day(3, 2), D(5))]
    f = figure(Records(ratings=ratings), "satisfaction", settings=settings)
    assert (f.value, f.met, f.points) == (D("7.5"), False, D("93.8"))  # 7.5 / 8 × 100
    with pytest.raises(KpiError, match="outside the scale"):
        report(Records(ratings=[Rating(1, day(3, 1), D(6))]), MARCH, as_of=LATER)


# ---------------------------------------------------------------- no data, records once


def test_no_records_means_no_values_no_score_and_every_reason_said():
    r = report(Records(), MARCH, as_of=LATER)
    assert list(r.figures) == list(FIGURES)
    for code, f in r.figures.items():
        if code == "complaints":
            assert (f.value, f.met) == (D(0), None)  # a count of nothing is 0; it has no target
            continue
        assert f.value is None and f.met is None and f.points is None, code
        assert f.reason in (NO_RECORDS, NO_SHIPMENTS), code
    assert r.score is None and r.weights_used == {}
    assert r.left_out["delivery_on_time"] == NO_VALUE
    assert r.left_out["complaints"] == NO_WEIGHT  # no default weight: judged per 100 shipments
    assert r.left_out["review_median"] == NO_WEIGHT


def test_the_same_record_given_twice_counts_once():
    step = Step(1, "review", at(3, 2, 8), at(3, 3, 20))  # 36 h: late
    f = figure(Records(steps=[step, step, Step(1, "plan", at(3, 2), at(3, 2, 1))]), "review_on_time")
    assert (f.counted, f.value) == ((1,), D("0.0"))  # and a plan may share the number of a review


@pytest.mark.parametrize(
    "records, message",
    [
        (Records(steps=[Step(1, "review", at(3, 1)), Step(1, "review", at(3, 2))]), "share the id 1"),
        (Records(issues=[Issue(1, at(3, 1)), Issue(1, at(3, 2))]), "share the id 1"),
        (Records(steps=[Step(1, "approval", at(3, 1))]), "kind is one of"),
        (Records(lines=[DueLine(1, day(3, 1), D(0))]), "quantity is above zero"),
    ],
)
def test_records_that_cannot_be_counted_are_refused(records, message):
    with pytest.raises(KpiError, match=message):
        report(records, MARCH, as_of=LATER)


# ---------------------------------------------------------------- points and the score


@pytest.mark.parametrize(
    "value, target, better, worst, expected",
    [
        (D(45), D(90), "higher", D(0), D("50.0")),
        (D(95), D(90), "higher", D(0), D(100)),
        (D("2.5"), D(4), "higher", D(1), D("50.0")),  # a rating: from the scale's lowest
        (D("0.5"), D(4), "higher", D(1), D(0)),  # below the worst: clipped
        (D(24), D(24), "lower", D(0), D(100)),
        (D(48), D(24), "lower", D(0), D("51.0")),  # 25 / 49
        (D(1), D(0), "lower", D(0), D("50.0")),  # one open overdue issue against none
        (D(3), D(0), "lower", D(0), D("25.0")),
    ],
)
def test_points_against_the_target(value, target, better, worst, expected):
    assert points(value, target, better, worst) == expected


def _scored_records():
    return Records(lines=LINES, ratings=RATINGS)  # delivery 50 %, satisfaction 4.0


def test_the_score_is_the_weighted_mean_of_the_figures_with_data():
    settings = KpiSettings(
        targets={"delivery_on_time": 100, "satisfaction": 4, "review_on_time": 90},
        weights={"delivery_on_time": 3, "satisfaction": 1, "review_on_time": 6},
    )
    r = report(_scored_records(), MARCH, as_of=LATER, settings=settings)
    # delivery 50 points × 3, satisfaction 100 × 1; reviews have no data: their 6 leave the score
    assert r.figures["delivery_on_time"].points == D("50.0")
    assert r.score == D("62.5")
    assert r.weights_used == {"delivery_on_time": D("0.75"), "satisfaction": D("0.25")}
    assert r.left_out["review_on_time"] == NO_VALUE
    assert r.left_out["complaints_per_100"] == NO_WEIGHT


def test_weights_need_not_sum_to_one():
    base = {"targets": {"delivery_on_time": 100, "satisfaction": 4}}
    big = KpiSettings(**base, weights={"delivery_on_time": 30, "satisfaction": 10})
    small = KpiSettings(**base, weights={"delivery_on_time": D("0.3"), "satisfaction": D("0.1")})
    scores = [report(_scored_records(), MARCH, as_of=LATER, settings=s).score for s in (big, small)]
    assert scores == [D("62.5"), D("62.5")]


def test_a_figure_without_a_target_is_shown_but_not_judged():
    settings = KpiSettings(
        targets={"delivery_on_time": None, "satisfaction": 4},
        weights={"delivery_on_time": 3, "satisfaction": 1},
    )
    r = report(_scored_records(), MARCH, as_of=LATER, settings=settings)
    assert r.figures["delivery_on_time"].value == D("50.0")
    assert r.figures["delivery_on_time"].met is None
    assert r.left_out["delivery_on_time"] == NO_TARGET
    assert r.score == D(100)


def test_the_default_settings_score_a_whole_month():
    records = Records(
        steps=REVIEWS, issues=ISSUES, lines=LINES, complaints=[Complaint("C1", day(3, 5))], ratings=RATINGS
    )
    r = report(records, MARCH, as_of=LATER)
    # points × default weights: review 60/90 → 66.7 × 10, issues median 5.5 d vs 3 → 4/6.5 → 61.5 × 10,
    # closed overdue 50 % vs 10 → 11/51 → 21.6 × 10, open overdue 2 vs 0 → 33.3 × 5,
    # delivery 50/95 → 52.6 × 20, complaints 25 per 100 vs 2 → 3/26 → 11.5 × 10, satisfaction 100 × 10
    expected = (
        D("66.7") * 10
        + D("61.5") * 10
        + D("21.6") * 10
        + D("33.3") * 5
        + D("52.6") * 20
        + D("11.5") * 10
        + 100 * 10
    ) / 75
    assert r.score == expected.quantize(D("0.1"))
    assert set(r.left_out) >= {"release_on_time", "ack_on_time", "plan_on_time"}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"weights": {"delivery_on_time": -1}}, "zero or more"),
        ({"weights": {"speed": 1}}, "unknown figures: speed"),
        ({"targets": {"satisfaction": -1}}, "zero or more"),
        ({"step_hours": {"review": 24}}, "step hours"),
        ({"step_hours": {"review": 0, "release": 1, "ack": 1, "plan": 1}}, "step hours"),
        ({"rating_scale": (5, 1)}, "scale"),
    ],
)
def test_settings_that_make_no_sense_are_refused(kwargs, message):
    with pytest.raises(KpiError, match=message):
        KpiSettings(**kwargs)


def test_the_same_records_in_any_order_give_the_same_report():
    records = Records(
        steps=REVIEWS, issues=ISSUES, lines=LINES, complaints=[Complaint("C1", day(3, 5))], ratings=RATINGS
    )
    first = report(records, MARCH, as_of=LATER)
    for seed in range(5):
        rnd = random.Random(seed)
        shuffled = Records(
            **{
                f.name: rnd.sample(list(getattr(records, f.name)), len(getattr(records, f.name)))
                for f in dataclasses.fields(records)
            }
        )
        assert report(shuffled, MARCH, as_of=LATER) == first


# ---------------------------------------------------------------- the trend


def test_the_trend_gives_each_month_its_own_records_once():
    records = Records(steps=REVIEWS, issues=ISSUES, lines=LINES, ratings=RATINGS)
    months = trend(records, day(2, 15), day(4, 3), as_of=LATER)
    assert [m.period.key for m in months] == ["2026-02", "2026-03", "2026-04"]
    assert months[1] == report(records, MARCH, as_of=LATER)
    reviews = [r for m in months for r in m.figures["review_on_time"].counted]
    assert sorted(reviews) == [1, 2, 3, 4, 5, 6]  # every step once, in the month it was received
    ratings = [r for m in months for r in m.figures["satisfaction"].counted]
    assert sorted(ratings) == ["R1", "R2", "R3", "R4"]
    lines = [r for m in months for r in m.figures["delivery_on_time"].counted]
    assert sorted(lines) == ["L1", "L2", "L3", "L4", "L5"]


def test_months_between_crosses_a_year_and_refuses_a_backward_range():
    assert [p.key for p in months_between(dt.date(2025, 11, 30), dt.date(2026, 2, 1))] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    with pytest.raises(KpiError):
        months_between(day(3, 2), day(3, 1))
