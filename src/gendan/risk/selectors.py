"""Reads of the delivery risk, restricted like the orders themselves (`restrict(user, "view")`):
what a merchandiser's home, the management's home, the order page and the API show.

The stored assessments (`OrderRisk`, refreshed every minute) are read in one query; open orders
without a recent one (just released, or the worker not running for a day) are assessed on the
spot, in the adapter's fixed number of queries, and not stored (a page that is read writes nothing).
Recent is today's or yesterday's: just after midnight every stored row is yesterday's until the
worker's next minute, and assessing thousands of open orders on each page in that minute took
seconds a page; a day's slack shifted for a minute is the lesser harm."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from gendan.engine import delivery_risk as dr
from gendan.orders.models import Order

from .choices import LEVEL_CSS, RISK_STATES, Level
from .models import OrderRisk
from .services import assess_orders
from .wording import reason_texts

TOP_REASONS = 3


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
    def top_reasons(self) -> list[str]:
        """The gravest reasons, for a row of a list (the order page lists them all)."""
        return reason_texts(self.reasons[:TOP_REASONS])

    @property
    def more_reasons(self) -> int:
        return max(len(self.reasons) - TOP_REASONS, 0)

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


# The engine's sort_key in the database: the score's bands sort as the levels do.
ORDERING = ("-score", F("slack_days").asc(nulls_last=True), "order__number")


@dataclass
class RiskPage:
    rows: list[RiskRow]  # the page's rows, gravest first
    total: int  # of the level asked, or all
    counts: dict[str, int]  # orders per level, gravest first (whatever level was asked)


def risk_page(
    orders: QuerySet[Order], *, level: str | None = None, start: int = 0, stop: int | None = None
) -> RiskPage:
    """A page of the risks of `orders` (already restricted), gravest first, and the count per level.

    Stored assessments are counted and cut to the page in the database (a fixed number of queries,
    whatever the number of orders); open orders without a recent assessment are assessed here and
    merged in Python (none once the worker has refreshed: then only an empty query)."""
    today = timezone.localdate()
    recent = today - dt.timedelta(days=1)
    stored = OrderRisk.objects.filter(order__in=orders.values("pk"), assessed_on__gte=recent)
    live = [_row(r, r.order) for r in _live(orders, today, recent)]
    counts = {lv: 0 for lv in reversed(dr.LEVELS)}
    for lv, n in stored.values_list("level").annotate(n=Count("pk")).order_by():
        counts[lv] += n
    for row in live:
        counts[row.level] += 1
    if level:
        stored = stored.filter(level=level)
        live = [r for r in live if r.level == level]
    total = counts[level] if level else sum(counts.values())
    # The live rows may fall anywhere: read the stored ones up to the page's end, merge, then cut.
    head = stored.select_related("order__customer", "order__merchandiser").order_by(*ORDERING)
    upto = None if stop is None else stop
    rows = [_row(r, r.order) for r in (head[:upto] if upto is not None else head)]
    rows = sorted(rows + live, key=RiskRow.sort_key)
    return RiskPage(rows=rows[start:stop], total=total, counts=counts)


def _live(orders: QuerySet[Order], today: dt.date, recent: dt.date) -> list[OrderRisk]:
    stale = orders.filter(Q(risk__isnull=True) | Q(risk__assessed_on__lt=recent))
    rows = assess_orders(stale, today=today)
    if rows:
        heads = Order.objects.select_related("customer", "merchandiser").in_bulk([r.order_id for r in rows])
        for r in rows:
            r.order = heads[r.order_id]
    return rows


def risk_rows(orders: QuerySet[Order], *, level: str | None = None) -> list[RiskRow]:
    """The risk of every order of `orders` (already restricted), gravest first."""
    return risk_page(orders, level=level).rows


def order_risk(*, user, order: Order) -> RiskRow | None:
    """The risk of one order `user` may see (None when it is not open)."""
    rows = risk_rows(open_orders(user=user).filter(pk=order.pk))
    return rows[0] if rows else None
