"""Every read of the delivery area, restricted to what the user may see (core.permissions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from gendan.orders.models import Order, OrderLine
from gendan.stores.models import StockedInTotal

from .choices import ShipmentStatus
from .models import ProofOfDelivery, Shipment, ShipmentLine, ShipmentTotal
from .querysets import visible_orders

ZERO = Decimal(0)
S = ShipmentStatus


def shipment_list(*, user) -> QuerySet[Shipment]:
    return (
        Shipment.objects.restrict(user, "view")
        .select_related("order", "order__customer", "address")
        .prefetch_related(
            Prefetch("lines", queryset=ShipmentLine.objects.select_related("order_line__product"))
        )
    )


def shipment_for(*, user, pk) -> Shipment | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (
        shipment_list(user=user)
        .select_related("order__merchandiser", "confirmation_recorded_by", "shipped_by", "created_by")
        .filter(pk=pk)
        .first()
    )


def proof_for(*, user, shipment: Shipment) -> ProofOfDelivery | None:
    return (
        ProofOfDelivery.objects.restrict(user, "view")
        .filter(shipment=shipment)
        .select_related("issue")
        .first()
    )


def order_for(*, user, pk) -> Order | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return visible_orders(user).select_related("customer", "merchandiser").filter(pk=pk).first()


# ---------------------------------------------------------------- seams for KPIs and delivery risk


def shipped_by_line(line_ids) -> dict[int, Decimal]:
    """Order line id → what of it has left the factory (shipments shipped or delivered)."""
    rows = (
        ShipmentLine.objects.filter(
            order_line_id__in=list(line_ids), shipment__status__in=[S.SHIPPED, S.DELIVERED]
        )
        .values("order_line_id")
        .annotate(total=Sum("quantity"))
    )
    return {r["order_line_id"]: r["total"] for r in rows}


def delivered_by_line(line_ids) -> dict[int, list[tuple[dt.date, Decimal, int]]]:
    """Order line id → (delivered on, quantity accepted, shipment id), from the proofs of delivery,
    earliest first."""
    found: dict[int, list[tuple[dt.date, Decimal, int]]] = {}
    rows = (
        ShipmentLine.objects.filter(order_line_id__in=list(line_ids), shipment__status=S.DELIVERED)
        .select_related("shipment__proof")
        .order_by("shipment__proof__signed_at", "pk")
    )
    for line in rows:
        signed = line.shipment.proof.signed_at
        found.setdefault(line.order_line_id, []).append(
            (timezone.localdate(signed), line.accepted, line.shipment_id)
        )
    return found


# ---------------------------------------------------------------- the order's delivery panel


@dataclass
class LineRow:
    line: OrderLine
    stocked: Decimal = ZERO
    on_shipments: Decimal = ZERO
    shipped: Decimal = ZERO
    delivered: Decimal = ZERO

    @property
    def to_arrange(self) -> Decimal:
        return max(self.stocked - self.on_shipments, ZERO)


@dataclass
class DeliveryPanel:
    order: Order
    rows: list[LineRow] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)

    @property
    def partly_shipped(self) -> bool:
        shipped = [r.shipped > 0 for r in self.rows]
        return any(shipped) and not all(r.shipped >= (r.line.quantity or ZERO) for r in self.rows)


def delivery_panel(*, user, order: Order) -> DeliveryPanel:
    lines = list(order.lines.filter(is_cancelled=False).select_related("product").order_by("line_no"))
    ids = [line.pk for line in lines]
    stocked = dict(
        StockedInTotal.objects.filter(order_line_id__in=ids).values_list("order_line_id", "quantity")
    )
    committed = dict(
        ShipmentTotal.objects.filter(order_line_id__in=ids).values_list("order_line_id", "committed")
    )
    shipped = shipped_by_line(ids)
    delivered: dict[int, Decimal] = {}
    for line_id, entries in delivered_by_line(ids).items():
        delivered[line_id] = sum((q for _d, q, _s in entries), ZERO)
    rows = [
        LineRow(
            line,
            stocked.get(line.pk, ZERO),
            committed.get(line.pk, ZERO),
            shipped.get(line.pk, ZERO),
            delivered.get(line.pk, ZERO),
        )
        for line in lines
    ]
    shipments = list(shipment_list(user=user).filter(order=order).order_by("planned_at", "pk"))
    return DeliveryPanel(order, rows, shipments)


def arrangeable_lines(order: Order) -> list[LineRow]:
    """The lines of an order with what may still be put on a shipment."""
    lines = list(order.lines.filter(is_cancelled=False).select_related("product").order_by("line_no"))
    ids = [line.pk for line in lines]
    stocked = dict(
        StockedInTotal.objects.filter(order_line_id__in=ids).values_list("order_line_id", "quantity")
    )
    committed = dict(
        ShipmentTotal.objects.filter(order_line_id__in=ids).values_list("order_line_id", "committed")
    )
    return [LineRow(line, stocked.get(line.pk, ZERO), committed.get(line.pk, ZERO)) for line in lines]
