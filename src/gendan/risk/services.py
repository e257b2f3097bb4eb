"""Writes of the delivery risk: the stored assessment of every open order (`OrderRisk`).

The rows are derived from the sources (adapter.py) and rewritten whole; they are not audited
(nobody decides anything in them: the audit trail has the records they come from)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import cast

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gendan.engine import delivery_risk as dr
from gendan.orders.models import Order

from .adapter import engine_orders, first_delivery
from .choices import RISK_STATES
from .models import OrderRisk


def assess_orders(orders: QuerySet[Order], *, today: dt.date | None = None) -> list[OrderRisk]:
    """The assessments of the open orders among `orders` as unsaved rows, gravest first; a fixed
    number of queries whatever their number."""
    today = today or timezone.localdate()
    now = timezone.now()
    rows = []
    inputs = engine_orders(orders.filter(status__in=RISK_STATES))
    for order, risk in zip(inputs, [dr.assess(o, today=today) for o in inputs], strict=True):
        rows.append(
            OrderRisk(
                order_id=cast(int, order.ref),  # engine_orders sets ref = the pk
                level=risk.level,
                score=risk.score,
                slack_days=risk.slack_days,
                expected_finish=risk.expected_finish,
                delivery_date=first_delivery(order),
                reasons=[[code, params] for code, params in risk.reasons],
                assessed_on=today,
                assessed_at=now,
            )
        )
    return rows


def order_lateness(order_ids: Iterable[int], today: dt.date) -> dict[int, int]:
    """Days late each late order's delivery is expected (the negative slack of the assessment), for
    escalations' "delivery at risk" rule; assessed now, not read from the stored rows."""
    rows = assess_orders(Order.objects.filter(pk__in=list(order_ids)), today=today)
    return {
        r.pk: -r.slack_days
        for r in rows
        if r.level == dr.LATE and r.slack_days is not None and r.slack_days < 0
    }


FIELDS = [
    "level",
    "score",
    "slack_days",
    "expected_finish",
    "delivery_date",
    "reasons",
    "assessed_on",
    "assessed_at",
]


def risk_refresh(*, order_ids: Iterable[int] | None = None, today: dt.date | None = None) -> int:
    """Assess the open orders again (all of them, or those of `order_ids`) and store the results;
    the rows of orders no longer open are removed. Returns the number of orders assessed."""
    orders = Order.objects.all()
    if order_ids is not None:
        orders = orders.filter(pk__in=list(order_ids))
    rows = assess_orders(orders, today=today)
    with transaction.atomic():
        gone = OrderRisk.objects.exclude(order__status__in=RISK_STATES)
        if order_ids is not None:
            gone = gone.filter(order__in=orders)
        gone.delete()
        OrderRisk.objects.bulk_create(
            rows, batch_size=500, update_conflicts=True, unique_fields=["order"], update_fields=FIELDS
        )
    return len(rows)
