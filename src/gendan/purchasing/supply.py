"""What is on order, by material and date: the one reader the material requirements (engine/mrp.py's
receipts) and planning's kit check (through `planning.hooks.register_supply_source`) both use, so
the two give the same numbers.

- An open purchase order line (open, confirmed or partly received; not cancelled or received in
  full) brings its open quantity (ordered less received) on its expected date, or its delivery date
  while none is known. Its purchase order must not be closed or cancelled. A draft purchase order
  counts too: its lines come from approved purchase plan lines, which the requirements would
  otherwise propose to buy a second time while the order waits to be sent.
- Goods received and still in inspection are not stock yet: they count as on order on the day they
  were received (the quantity quality has not decided on yet).

A date in the past stays as it is (a late line is expected any day: it covers the needs after its
date, which it would not if it were moved to "today"; the chasing and the order's materials page
flag it as late)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from .choices import POLineStatus, POStatus, ReceiptStatus
from .models import PurchaseOrderLine, Receipt

ZERO = Decimal(0)

OPEN_LINE_STATES = [POLineStatus.OPEN, POLineStatus.CONFIRMED, POLineStatus.PARTLY_RECEIVED]
OPEN_PO_STATES = [POStatus.DRAFT, POStatus.SENT, POStatus.CONFIRMED]


@dataclass(frozen=True)
class Arrival:
    """A quantity of a material expected on a date: a PO line's open quantity, or a receipt waiting
    in inspection."""

    material_id: int
    quantity: Decimal
    date: dt.date
    line_id: int
    receipt_id: int | None = None

    @property
    def ref(self) -> str:
        return f"receipt:{self.receipt_id}" if self.receipt_id else f"po_line:{self.line_id}"


def open_lines():
    """The PO lines still to come (see the module's docstring)."""
    return PurchaseOrderLine.objects.filter(
        status__in=OPEN_LINE_STATES, order__status__in=OPEN_PO_STATES, quantity__gt=F("received_qty")
    )


def on_order(material_ids: Iterable[int] | None = None) -> list[Arrival]:
    """Every arrival (of the given materials, or all), by material, date and line; two queries."""
    lines = open_lines().annotate(arrives=Coalesce("expected_date", "delivery_date"))
    receipts = Receipt.objects.filter(status=ReceiptStatus.IN_INSPECTION)
    if material_ids is not None:
        ids = list(material_ids)
        lines = lines.filter(material_id__in=ids)
        receipts = receipts.filter(line__material_id__in=ids)
    arrivals = [
        Arrival(material, quantity - received, arrives, pk)
        for pk, material, quantity, received, arrives in lines.values_list(
            "pk", "material_id", "quantity", "received_qty", "arrives"
        )
    ]
    for pk, line, material, quantity, accepted, rejected, received_at in receipts.values_list(
        "pk", "line_id", "line__material_id", "quantity", "accepted_qty", "rejected_qty", "received_at"
    ):
        waiting = quantity - accepted - rejected
        if waiting > 0:
            arrivals.append(Arrival(material, waiting, timezone.localdate(received_at), line, pk))
    arrivals.sort(key=lambda a: (a.material_id, a.date, a.line_id, a.receipt_id or 0))
    return arrivals


def on_order_by_material(material_ids: Iterable[int]) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """{material: [(date, quantity), …]}: what the kit check needs (planning's supply source)."""
    found: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for a in on_order(material_ids):
        found[a.material_id].append((a.date, a.quantity))
    return dict(found)
