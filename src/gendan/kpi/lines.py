"""The on-time delivery records of the KPIs: each order line promised in the period, with what its
proofs of delivery accepted (delivery's `delivered_by_line`). Registered from KpiConfig.ready():
kpi sits above delivery, so delivery need not know the KPIs exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.urls import reverse

from gendan.delivery.models import Shipment
from gendan.delivery.selectors import delivered_by_line
from gendan.engine import kpi as engine
from gendan.orders.choices import RELEASED_STATES, OrderStatus
from gendan.orders.models import OrderLine

# A line counts once the order was released (a draft's date is no promise yet) and not cancelled.
COUNTED_STATES = (*RELEASED_STATES, OrderStatus.CLOSED)


def lines(merchandiser_ids: Sequence[int], start: dt.date, end: dt.date) -> dict[int, list[engine.DueLine]]:
    rows = list(
        OrderLine.objects.filter(
            order__merchandiser_id__in=list(merchandiser_ids),
            order__status__in=COUNTED_STATES,
            is_cancelled=False,
            quantity__gt=0,
            delivery_date__range=(start, end),
        ).values_list("pk", "order__merchandiser_id", "delivery_date", "quantity")
    )
    delivered = delivered_by_line([pk for pk, *_ in rows])
    found: dict[int, list[engine.DueLine]] = {}
    for pk, user_id, promised, quantity in rows:
        deliveries = tuple(
            engine.Shipped(shipment, on, Decimal(qty)) for on, qty, shipment in delivered.get(pk, ())
        )
        found.setdefault(user_id, []).append(engine.DueLine(pk, promised, Decimal(quantity), deliveries))
    return found


def describe(kind: str, ids) -> dict:
    """The drill-down names a line by its order and line number (the order's delivery page), a
    shipment by its number."""
    ids = list(ids)
    if kind == "line":
        rows = OrderLine.objects.filter(pk__in=ids).values_list("pk", "order_id", "order__number", "line_no")
        return {
            pk: (f"{number} / {line_no}", reverse("delivery:order", args=[order_id]))
            for pk, order_id, number, line_no in rows
        }
    if kind == "shipment":
        return {
            pk: (Shipment(pk=pk).number, reverse("delivery:detail", args=[pk]))
            for pk in Shipment.objects.filter(pk__in=ids).values_list("pk", flat=True)
        }
    return {}
