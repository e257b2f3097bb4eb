"""Supplier scorecards' arithmetic (R-3.4): rates, on-time by the confirmed dates, price trend,
weights, threshold, and no score without enough records."""

import datetime as dt
from decimal import Decimal as D

import pytest

from gendan.engine.scorecard import (
    Confirmation,
    Delivery,
    Inspection,
    PeriodError,
    PriceLine,
    Rating,
    Rules,
    deliveries_timed,
    last_twelve_months,
    month,
    parse_period,
    price_points,
    price_trends,
    quarter,
    ranked,
    scorecards,
    total_score,
    year,
)

TODAY = dt.date(2026, 11, 30)
RULES = Rules(
    weights={"quality": 40, "delivery": 30, "price": 15, "service": 15}, threshold=70, min_records=2
)


def day(m, d, y=2026):
    return dt.date(y, m, d)


# ---------------------------------------------------------------- periods


@pytest.mark.parametrize(
    "text, start, end, key",
    [
        ("2026-03", day(3, 1), day(3, 31), "2026-03"),
        ("2024-2", day(2, 1, 2024), day(2, 29, 2024), "2024-02"),
        ("2026-Q1", day(1, 1), day(3, 31), "2026-Q1"),
        ("2026q4", day(10, 1), day(12, 31), "2026-Q4"),
        ("2025", day(1, 1, 2025), day(12, 31, 2025), "2025"),
        ("", day(12, 1, 2025), TODAY, "last12"),
        ("last12", day(12, 1, 2025), TODAY, "last12"),
    ],
)
def test_a_period_is_read_as_written_in_links_and_the_api(text, start, end, key):
    period = parse_period(text, today=TODAY)
    assert (period.start, period.end, period.key) == (start, end, key)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "1999", "March", "2026-03-01", "x" * 300])
def test_a_period_that_cannot_be_read_is_refused(text):
    with pytest.raises(PeriodError):
        parse_period(text, today=TODAY)


def test_the_period_before_is_of_the_same_kind():
    assert month(2026, 1).previous() == month(2025, 12)
    assert quarter(2026, 1).previous() == quarter(2025, 4)
    assert year(2026).previous() == year(2025)
    before = last_twelve_months(TODAY).previous()
    assert (before.start, before.end) == (day(12, 1, 2024), day(11, 30, 2025))
    assert quarter(2026, 4).next() == quarter(2027, 1)
    assert [p.key for p in quarter(2026, 2).months()] == ["2026-04", "2026-05", "2026-06"]


# ---------------------------------------------------------------- on time


def test_a_receipt_is_on_time_up_to_the_quantity_promised_by_its_date():
    # 40 promised by 1 March, 60 by 15 March; the line's own date is 10 March.
    confirmations = [Confirmation(1, D(60), day(3, 15)), Confirmation(1, D(40), day(3, 1))]
    deliveries = [
        Delivery(1, 7, 1, day(3, 10), day(3, 1), D(30)),  # on time
        Delivery(2, 7, 1, day(3, 10), day(3, 10), D(50)),  # 10 of the first 40 late, 40 on time
        Delivery(
            3, 7, 1, day(3, 10), day(3, 20), D(30)
        ),  # 20 late (promised 15 March), 10 beyond: due 10 March
    ]
    timed = {r.ref: r for r in deliveries_timed(deliveries, confirmations)}
    assert (timed[1].on_time, timed[1].late) == (D(30), D(0))
    assert (timed[2].on_time, timed[2].late) == (D(40), D(10))
    assert (timed[2].first_due, timed[2].due) == (day(3, 1), day(3, 15))
    assert timed[2].days_late == 9
    assert (timed[3].on_time, timed[3].late) == (D(0), D(30))


def test_a_line_never_confirmed_is_due_on_its_delivery_date():
    timed = deliveries_timed(
        [Delivery(1, 7, 5, day(4, 10), day(4, 10), D(5)), Delivery(2, 7, 5, day(4, 10), day(4, 11), D(5))], []
    )
    assert [(r.on_time, r.late) for r in timed] == [(D(5), D(0)), (D(0), D(5))]


# ---------------------------------------------------------------- price


def test_the_price_trend_compares_the_average_price_with_the_period_before():
    now = [PriceLine(1, 7, 100, D(10), D("11"), day(3, 1)), PriceLine(2, 7, 100, D(30), D("11.4"), day(3, 9))]
    before = [PriceLine(3, 7, 100, D(20), D("10"), day(2, 1)), PriceLine(4, 7, 200, D(5), D(3), day(2, 2))]
    (trend,) = price_trends(now, before)
    assert trend.price == D("11.3")  # (110 + 342) / 40
    assert trend.change_pct == D("13.0")
    assert price_points(trend.change_pct) == D(35)  # 5 points off per per cent of rise
    assert price_points(D("-4")) == 100 and price_points(D(0)) == 100 and price_points(D(25)) == 0


def test_a_material_not_bought_before_has_no_trend():
    (trend,) = price_trends([PriceLine(1, 7, 100, D(1), D(5), day(3, 1))], [])
    assert trend.change_pct is None


# ---------------------------------------------------------------- the score


def _cards(**kwargs):
    base = {"inspections": [], "deliveries": [], "prices": [], "previous_prices": [], "ratings": []}
    return scorecards([7], rules=RULES, **(base | kwargs))[7]


def _timed(*rows):
    return deliveries_timed(
        [Delivery(n, 7, n, day(5, 10), received, qty) for n, (received, qty) in enumerate(rows, 1)], []
    )


def test_rates_weights_and_the_total():
    card = _cards(
        inspections=[Inspection(1, 7, D(90), D(10)), Inspection(2, 7, D(100), D(0))],
        deliveries=_timed((day(5, 9), D(60)), (day(5, 12), D(20))),
        prices=[PriceLine(1, 7, 100, D(1), D(10), day(5, 1))],
        previous_prices=[PriceLine(2, 7, 100, D(1), D(10), day(4, 1))],
        ratings=[Rating(7, 4, day(5, 1), day(5, 31)), Rating(7, 3, day(4, 1), day(6, 30))],
    )
    assert (card.lots, card.lots_accepted, card.acceptance) == (2, 1, D("95.0"))
    assert (card.deliveries, card.late_deliveries, card.on_time) == (2, 1, D("75.0"))
    assert (card.price_trend, card.service) == (D("0.0"), D("3.5"))
    assert card.points == {"quality": D("95.0"), "delivery": D("75.0"), "price": D(100), "service": D("70.0")}
    # (40×95 + 30×75 + 15×100 + 15×70) / 100
    assert card.score == D("86.0") and not card.flagged


def test_a_missing_figure_gives_its_weight_to_the_others():
    assert total_score(
        {"quality": D(90), "delivery": D(60), "price": None, "service": None}, RULES.weights
    ) == D("77.1")


def test_below_the_threshold_a_supplier_is_flagged():
    card = _cards(
        inspections=[Inspection(1, 7, D(50), D(50)), Inspection(2, 7, D(60), D(40))],
        deliveries=_timed((day(5, 20), D(10)), (day(5, 9), D(10))),
    )
    assert card.score == D("52.9") and card.flagged


def test_too_few_records_give_no_score_not_a_hundred():
    card = _cards(inspections=[Inspection(1, 7, D(100), D(0))], deliveries=_timed((day(5, 9), D(10))))
    assert card.acceptance == D("100.0") and card.on_time == D("100.0")
    assert card.score is None and not card.enough and not card.flagged


def test_the_ranking_puts_the_best_first_and_the_unscored_last():
    cards = scorecards(
        [1, 2, 3],
        inspections=[
            Inspection(n, s, D(q), D(100 - q))
            for n, (s, q) in enumerate([(1, 80), (1, 80), (2, 99), (2, 99)])
        ],
        deliveries=[
            r
            for s in (1, 2)
            for r in deliveries_timed(
                [Delivery(s * 10 + k, s, s * 10 + k, day(5, 10), day(5, 9), D(1)) for k in (1, 2)], []
            )
        ],
        prices=[],
        previous_prices=[],
        ratings=[],
        rules=RULES,
    )
    assert [c.supplier for c in ranked(cards.values())] == [2, 1, 3]


def test_weights_must_make_sense():
    with pytest.raises(ValueError):
        Rules(weights={"quality": -1, "delivery": 1}, threshold=70)
    with pytest.raises(ValueError):
        Rules(weights={"looks": 10}, threshold=70)
    with pytest.raises(ValueError):
        Rules(weights={"quality": 0}, threshold=70)
