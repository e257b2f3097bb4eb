"""The supplier suggestion (a pure function): in time first, then the score, the preferred flag,
the price; the minimum order quantity respected; the reason worded for the reader."""

import datetime as dt
from decimal import Decimal

from django.utils import translation

from gendan.purchasing.suggest import Offer, reason_text, suggest

D = Decimal
TODAY = dt.date(2026, 3, 2)
NEED = dt.date(2026, 3, 20)


HUNDRED = D(100)
MID_MARCH = dt.date(2026, 3, 10)


def best(offers, scores=None, quantity=HUNDRED, order_by=MID_MARCH):
    return suggest(offers, quantity=quantity, order_by=order_by, need_date=NEED, today=TODAY, scores=scores)


def test_a_supplier_who_delivers_in_time_beats_a_better_scored_cheaper_preferred_one():
    late = Offer(1, lead_time_days=30, unit_price=D(1), preferred=True)
    in_time = Offer(2, lead_time_days=5, unit_price=D(9))
    tip = best([late, in_time], scores={1: D(99), 2: D(10)})
    assert tip.supplier_id == 2 and tip.reason.startswith("in_time")


def test_among_those_in_time_the_score_then_preferred_then_price_decide():
    a = Offer(1, 5, D(5), preferred=True)
    b = Offer(2, 5, D(4))
    c = Offer(3, 5, D(3))
    assert best([a, b, c], scores={1: D(70), 2: D(90), 3: D(80)}).supplier_id == 2
    assert best([a, b, c]).supplier_id == 1  # no scores: the preferred one
    assert best([b, c]).supplier_id == 3  # then the cheaper
    assert best([a, b], scores={2: D(50)}).supplier_id == 2  # a score beats none


def test_the_order_by_date_passed_counts_from_today():
    tip = best([Offer(1, 15)], order_by=dt.date(2026, 2, 1))
    assert tip.arrives == TODAY + dt.timedelta(days=15) and "in_time" in tip.reason
    tip = best([Offer(1, 25)], order_by=dt.date(2026, 2, 1))
    assert tip.reason.startswith("late")


def test_the_minimum_order_quantity_is_respected():
    tip = best([Offer(1, 5, D(2), min_order_qty=D(250))], quantity=D(100))
    assert tip.quantity == D(250) and "moq:250" in tip.reason


def test_no_offer_no_suggestion():
    assert best([]) is None


def test_the_reason_in_words():
    with translation.override("en"):
        text = reason_text("in_time,score:82.5,preferred,cheapest,moq:100")
    assert text == (
        "can deliver by the need date; score 82.5; preferred supplier; lowest price; "
        "raised to his minimum order quantity 100"
    )
    with translation.override("zh-hans"):
        text = reason_text("in_time,only")
    assert text == "能在需用日期前交货；该物料唯一的供应商"
