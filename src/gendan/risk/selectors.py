"""Reads of the delivery risk, restricted like the orders themselves (`restrict(user, "view")`):
what a merchandiser's home, the management's home, the order page and the API show.

The stored assessments (`OrderRisk`, refreshed every minute) are read in one query; open orders
without one assessed today (just released, or the worker not running) are assessed on the spot,
in the adapter's fixed number of queries, and not stored (a page that is read writes nothing)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gendan.engine import delivery_risk as dr
from gendan.orders.models import Order

from .choices import LEVEL_CSS, RISK_STATES, Level
from .models import OrderRisk
from .services import assess_orders
from .wording import reason_texts


@dataclass
class RiskRow:
    order_id: int
    number: str
    customer: str
    merchandiser: str
    merchandiser_id: int | None
    status: str
    status_label: str
    level: str
    score: int
    slack_days: int | None
    expected_finish: dt.date | None
    delivery_date: dt.date | None
    reasons: list = field(default_factory=list)  # [(code, params)]
    assessed_at: dt.datetime | None = None

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    @property
    def css(self) -> str:
        return LEVEL_CSS[Level(self.level)]

    @property
    def reason_texts(self) -> list[str]:
        return reason_texts(self.reasons)

    @property
    def finish_late(self) -> bool:
        return bool(self.expected_finish and self.delivery_date and self.expected_finish > self.delivery_date)

    def sort_key(self) -> tuple:
        """As the engine's sort_key: gravest level, highest score, least slack, order number."""
        slack: Any = math.inf if self.slack_days is None else self.slack_days
        return (-dr.LEVELS.index(self.level), -self.score, slack, self.number)


def open_orders(*, user, mine: bool = False) -> QuerySet[Order]:
    """The open orders `user` may see (his own only, with `mine`)."""
    qs = Order.objects.restrict(user, "view").filter(status__in=RISK_STATES)
    if mine:
        qs = qs.filter(merchandiser=user)
    return qs


def _row(risk: OrderRisk, order: Order) -> RiskRow:
    merchandiser = order.merchandiser
    return RiskRow(
        order_id=order.pk,
        number=order.number,
        customer=str(order.customer) if order.customer_id else "",
        merchandiser=str(merchandiser) if merchandiser else "",
        merchandiser_id=order.merchandiser_id,
        status=order.status,
        status_label=order.get_status_display(),
        level=risk.level,
        score=risk.score,
        slack_days=risk.slack_days,
        expected_finish=risk.expected_finish,
        delivery_date=risk.delivery_date,
        reasons=[tuple(r) for r in risk.reasons],
        assessed_at=risk.assessed_at,
    )


def risk_rows(orders: QuerySet[Order], *, level: str | None = None) -> list[RiskRow]:
    """The risk of every order of `orders` (already restricted), gravest first."""
    today = timezone.localdate()
    related = ("order__customer", "order__merchandiser")
    stored = list(
        OrderRisk.objects.filter(order__in=orders.values("pk"), assessed_on=today).select_related(*related)
    )
    rows = [_row(r, r.order) for r in stored]
    stale = orders.filter(Q(risk__isnull=True) | ~Q(risk__assessed_on=today))
    live = assess_orders(stale, today=today)
    if live:
        heads = Order.objects.select_related("customer", "merchandiser").in_bulk([r.order_id for r in live])
        rows += [_row(r, heads[r.order_id]) for r in live]
    if level:
        rows = [r for r in rows if r.level == level]
    return sorted(rows, key=RiskRow.sort_key)


def risk_counts(rows: list[RiskRow]) -> dict[str, int]:
    """Orders per level, gravest first."""
    counts = {lv: 0 for lv in reversed(dr.LEVELS)}
    for row in rows:
        counts[row.level] += 1
    return counts


def order_risk(*, user, order: Order) -> RiskRow | None:
    """The risk of one order `user` may see (None when it is not open)."""
    rows = risk_rows(open_orders(user=user).filter(pk=order.pk))
    return rows[0] if rows else None
