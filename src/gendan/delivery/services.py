"""Delivery: shipments arranged by the merchandiser, confirmed with the customer, shipped by
logistics (the goods leave the stock ledger), proven delivered by the signed receipt; and the
order's status driven by it (ready to ship, shipped, delivered, closed).

An order line is put on shipments no more than it has stocked in less what its other live
shipments hold: a conditional UPDATE of its `ShipmentTotal` (two shipments at once cannot both take
the last units). Stock leaves only through `inventory.services.stock_move` (never negative)."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.inventory.choices import MovementKind
from gendan.inventory.models import Warehouse
from gendan.inventory.services import stock_move
from gendan.masterdata.models import DeliveryAddress
from gendan.notifications.services import notify
from gendan.orders.choices import OrderStatus, Step
from gendan.orders.models import Order, OrderLine
from gendan.orders.services.common import move_status
from gendan.stores.models import FinishedGoodsIn, StockedInTotal
from gendan.stores.services import fmt, quantity_of

from .choices import SHIPPABLE_ORDER_STATES, TRANSITIONS, ConfirmedVia, Method, ShipmentStatus
from .models import Shipment, ShipmentLine, ShipmentMove, ShipmentTotal
from .querysets import visible_orders

ZERO = Decimal(0)
S = ShipmentStatus


# ---------------------------------------------------------------- small parsers


def _text(value: Any, field: str, limit: int, *, required: bool = False, message: str = "") -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: message or _("This field is required.")})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}})
    return text


def _when(value: Any, field: str, *, required: bool = True) -> dt.datetime | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Enter a date and time.")})
        return None
    return _moment(value, field)


def _moment(value: Any, field: str) -> dt.datetime:
    found: dt.datetime | None = value if isinstance(value, dt.datetime) else None
    if found is None:
        text = str(value).strip()[:40]
        try:
            found = parse_datetime(text) or dt.datetime.combine(dt.date.fromisoformat(text), dt.time(9))
        except ValueError:
            raise ValidationError({field: _("Enter a valid date and time.")}) from None
    if timezone.is_naive(found):
        found = timezone.make_aware(found)
    if abs((found - timezone.now()).days) > 3650:
        raise ValidationError({field: _("Enter a date within ten years of today.")})
    return found


def _choice(value: Any, field: str, choices) -> str:
    if value not in choices.values:
        raise ValidationError({field: _("Choose one of the offered values.")})
    return str(value)


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _audit(actor, shipment: Shipment, action: str, note: Any = "") -> None:
    audit_record(actor=actor, obj=shipment, action=action, note=note, scope=f"order:{shipment.order_id}")


# ---------------------------------------------------------------- what each line has


def shipped_of(line_ids) -> dict[int, Decimal]:
    rows = (
        ShipmentLine.objects.filter(
            order_line_id__in=list(line_ids), shipment__status__in=[S.SHIPPED, S.DELIVERED]
        )
        .values("order_line_id")
        .annotate(total=Sum("quantity"))
    )
    return {r["order_line_id"]: r["total"] for r in rows}


def accepted_of(line_ids) -> dict[int, Decimal]:
    found: dict[int, Decimal] = {}
    for line in ShipmentLine.objects.filter(order_line_id__in=list(line_ids), shipment__status=S.DELIVERED):
        found[line.order_line_id] = found.get(line.order_line_id, ZERO) + line.accepted
    return found


def _live_lines(order_id: int) -> list[OrderLine]:
    return list(OrderLine.objects.filter(order_id=order_id, is_cancelled=False).order_by("pk"))


def _all_reach(lines: list[OrderLine], have: dict[int, Decimal]) -> bool:
    return bool(lines) and all(have.get(line.pk, ZERO) >= (line.quantity or ZERO) for line in lines)


def _move_order(actor, order: Order, to: str, step: str) -> bool:
    """Move the order if it is where the step starts; someone else moving it first is no error."""
    with contextlib.suppress(WorkflowConflict):
        move_status(actor=actor, order=order, to=to, step=step, expected=order.status)
        return True
    return False


# ---------------------------------------------------------------- ready to ship (stores' listener)


def _refuse_below_shipments(order_id: int) -> None:
    """A reversal may not take a line's stocked-in total below what its shipments hold: the goods
    are promised to the customer (or already gone). The shipment is cancelled or changed first."""
    stocked = dict(
        StockedInTotal.objects.filter(order_line__order_id=order_id).values_list("order_line_id", "quantity")
    )
    for line_id, committed in ShipmentTotal.objects.filter(
        order_line__order_id=order_id, committed__gt=0
    ).values_list("order_line_id", "committed"):
        if committed <= stocked.get(line_id, ZERO):
            continue
        line = OrderLine.objects.get(pk=line_id)
        held = (
            Shipment.objects.filter(lines__order_line_id=line_id)
            .exclude(status=ShipmentStatus.CANCELLED)
            .order_by("pk")
            .distinct()
        )
        raise ValidationError(
            {
                "record": _(
                    "Line %(line)s has %(committed)s on shipments %(shipments)s; after this reversal only "
                    "%(stocked)s would be stocked in. Cancel or change the shipment first."
                )
                % {
                    "line": line.line_no,
                    "committed": fmt(committed),
                    "shipments": ", ".join(s.number for s in held),
                    "stocked": fmt(stocked.get(line_id, ZERO)),
                }
            }
        )


def order_stock_changed(order_id: int) -> None:
    """Stores' listener (registered in apps.py), in the stock-in's transaction: an order in production
    whose every line has stocked in its quantity is ready to ship (its merchandiser is told); a ready
    order a reversal took below goes back to production."""
    _refuse_below_shipments(order_id)
    order = Order.objects.filter(pk=order_id).select_related("merchandiser").first()
    if order is None or order.status not in (OrderStatus.IN_PRODUCTION, OrderStatus.READY_TO_SHIP):
        return
    lines = _live_lines(order.pk)
    stocked = dict(
        StockedInTotal.objects.filter(order_line__in=lines).values_list("order_line_id", "quantity")
    )
    ready = _all_reach(lines, stocked)
    if ready and order.status == OrderStatus.IN_PRODUCTION:
        if _move_order(None, order, OrderStatus.READY_TO_SHIP, Step.READY) and order.merchandiser_id:
            number = order.number
            notify(
                event="delivery.ready",
                recipients=[order.merchandiser],
                title=lambda lang: _("Order %(number)s is ready to ship") % {"number": number},
                body=lambda lang: _("Every line's finished goods are stocked in: arrange the shipment."),
                url=reverse("delivery:order", args=[order.pk]),
                obj=order,
            )
    elif not ready and order.status == OrderStatus.READY_TO_SHIP:
        _move_order(None, order, OrderStatus.IN_PRODUCTION, Step.UNREADY)


# ---------------------------------------------------------------- arrange


def _total_row(line_id: int) -> None:
    try:
        with transaction.atomic():
            ShipmentTotal.objects.get_or_create(order_line_id=line_id)
    except IntegrityError:
        pass


def _take(line: OrderLine, qty: Decimal) -> None:
    """Put `qty` of the line on a shipment: no more than stocked in less what live shipments hold."""
    _total_row(line.pk)
    stocked = Subquery(
        StockedInTotal.objects.filter(order_line_id=OuterRef("order_line_id")).values("quantity")[:1]
    )
    rows = ShipmentTotal.objects.filter(order_line_id=line.pk)
    if rows.filter(committed__lte=stocked - qty).update(committed=F("committed") + qty):
        return
    has = rows.values_list("committed", flat=True).get()
    done = (
        StockedInTotal.objects.filter(order_line_id=line.pk).values_list("quantity", flat=True).first()
        or ZERO
    )
    raise ValidationError(
        {
            "lines": _(
                "Line %(line)s: more than can be shipped. %(done)s stocked in, %(has)s already on "
                "shipments, so at most %(left)s."
            )
            % {"line": line.line_no, "done": fmt(done), "has": fmt(has), "left": fmt(max(done - has, ZERO))}
        }
    )


def _release(shipment: Shipment) -> None:
    for line in shipment.lines.order_by("order_line_id"):
        ShipmentTotal.objects.filter(order_line_id=line.order_line_id).update(
            committed=F("committed") - line.quantity
        )


def shipment_create(
    *,
    actor,
    order: Order | int,
    lines: list[tuple[Any, Any]],
    method: str,
    address: DeliveryAddress | int | None,
    planned_at: Any,
    place: str = "",
    notes: str = "",
) -> Shipment:
    """The merchandiser arranges a shipment of his order: `lines` of (order line or its id, quantity)."""
    require(actor, Shipment, "add")
    pk = order.pk if isinstance(order, Order) else _pk(order)
    orders = Order.objects.all() if actor is None else visible_orders(actor)
    found = orders.filter(pk=pk).first()
    if found is None:
        raise ValidationError({"order": _("No such order.")})
    if actor is not None and not actor.is_admin and found.merchandiser_id != actor.pk:
        raise ValidationError({"order": _("Only the order's merchandiser arranges its shipments.")})
    if found.status not in SHIPPABLE_ORDER_STATES:
        raise ValidationError(
            {
                "order": _(
                    "Order %(number)s is “%(status)s”: shipments are arranged in production or ready to ship."
                )
                % {"number": found.number, "status": found.get_status_display()}
            }
        )
    method = _choice(method, "method", Method)
    place = _text(place, "place", 200)
    notes = _text(notes, "notes", 500)
    when = _moment(planned_at, "planned_at") if planned_at not in (None, "") else None
    if when is None:
        raise ValidationError({"planned_at": _("Enter a date and time.")})
    chosen = None
    if address not in (None, ""):
        address_pk = address.pk if isinstance(address, DeliveryAddress) else _pk(address)
        chosen = DeliveryAddress.objects.filter(
            pk=address_pk, customer_id=found.customer_id, is_archived=False
        ).first()
        if chosen is None:
            raise ValidationError({"address": _("Choose one of this order's customer's delivery addresses.")})
    elif method != Method.PICKUP:
        raise ValidationError({"address": _("Choose the delivery address (only a pick-up needs none).")})
    order_lines = {line.pk: line for line in _live_lines(found.pk)}
    parsed: dict[int, Decimal] = {}
    for index, (line, raw) in enumerate(lines or []):
        line_pk = line.pk if isinstance(line, OrderLine) else _pk(line)
        if line_pk not in order_lines:
            raise ValidationError({"lines": _("Row %(row)s: not a line of this order.") % {"row": index + 1}})
        if raw in (None, "", 0, "0"):
            continue
        try:
            qty = quantity_of(raw)
        except ValidationError as exc:
            raise ValidationError(
                {
                    "lines": _("Line %(line)s: %(why)s")
                    % {"line": order_lines[line_pk].line_no, "why": " ".join(exc.messages)}
                }
            ) from None
        parsed[line_pk] = parsed.get(line_pk, ZERO) + qty
    if not parsed:
        raise ValidationError({"lines": _("Enter a quantity to ship on at least one line.")})
    with transaction.atomic():
        for line_pk in sorted(parsed):
            _take(order_lines[line_pk], parsed[line_pk])
        shipment = Shipment.objects.create(
            order=found,
            method=method,
            address=chosen,
            planned_at=when,
            place=place,
            notes=notes,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        ShipmentLine.objects.bulk_create(
            [
                ShipmentLine(shipment=shipment, order_line_id=pk, quantity=qty)
                for pk, qty in sorted(parsed.items())
            ]
        )
        _audit(
            actor,
            shipment,
            "shipment_arranged",
            lambda: ", ".join(f"{order_lines[pk].line_no}: {fmt(q)}" for pk, q in sorted(parsed.items())),
        )
    return shipment


# ---------------------------------------------------------------- the workflow


def _shipment(actor, shipment_id: Any, action: str, *, order_id: Any = None) -> Shipment:
    """The shipment, if the actor sees it (Shipment.DoesNotExist otherwise: a 404) and may take
    `action` on it (PermissionDenied otherwise)."""
    rows = Shipment.objects.select_related("order", "order__merchandiser")
    if actor is not None:
        rows = rows.restrict(actor, "view")
    if order_id is not None:
        rows = rows.filter(order_id=_pk(order_id))
    return rows.get_for(actor, action, pk=_pk(shipment_id))


def _step(shipment: Shipment, to: str, **fields: Any) -> None:
    """The conditional UPDATE of a shipment's status: the loser of two at once is told."""
    if to not in TRANSITIONS[shipment.status]:
        raise WorkflowConflict(
            _("A shipment that is “%(current)s” cannot become “%(target)s”.")
            % {"current": shipment.get_status_display(), "target": ShipmentStatus(to).label}
        )
    if not Shipment.objects.filter(pk=shipment.pk, status=shipment.status).update(
        status=to, updated_at=timezone.now(), **fields
    ):
        raise WorkflowConflict(
            _("Someone else changed shipment %(number)s first; reload and try again.")
            % {"number": shipment.number}
        )
    old = shipment.status
    shipment.refresh_from_db()
    shipment._old_status = old  # type: ignore[attr-defined]


def shipment_confirm(
    *, actor, shipment_id: Any, confirmed_by_name: str, confirmed_via: str, confirmed_at: Any = None
) -> Shipment:
    """The merchandiser records the customer's confirmation of the time and place: who, how, when."""
    shipment = _shipment(actor, shipment_id, "confirm")
    name = _text(
        confirmed_by_name,
        "confirmed_by_name",
        100,
        required=True,
        message=_("Who at the customer confirmed?"),
    )
    via = _choice(confirmed_via, "confirmed_via", ConfirmedVia)
    when = _when(confirmed_at, "confirmed_at", required=False) or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"confirmed_at": _("The confirmation cannot be in the future.")})
    with transaction.atomic():
        _step(
            shipment,
            S.CONFIRMED,
            confirmed_by_name=name,
            confirmed_via=via,
            confirmed_at=when,
            confirmation_recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        _audit(actor, shipment, "shipment_confirmed", lambda: f"{name} · {ConfirmedVia(via).label}")
    return shipment


def shipment_cancel(*, actor, shipment_id: Any, reason: str) -> Shipment:
    """Cancel an arranged or confirmed shipment: its quantities are free for another."""
    shipment = _shipment(actor, shipment_id, "cancel")
    reason = _text(reason, "reason", 300, required=True, message=_("Say why the shipment is cancelled."))
    with transaction.atomic():
        _step(shipment, S.CANCELLED, cancel_reason=reason)
        _release(shipment)
        _audit(actor, shipment, "shipment_cancelled", lambda: reason)
    return shipment


def _sources(line: ShipmentLine) -> list[tuple[int, Decimal]]:
    """Warehouse id → what of the order line is there still: stocked in less what shipments took."""
    stocked = (
        FinishedGoodsIn.objects.filter(order_line_id=line.order_line_id, reversed_at__isnull=True)
        .values("warehouse_id")
        .annotate(total=Sum("quantity"))
        .order_by("warehouse_id")
    )
    taken = dict(
        ShipmentMove.objects.filter(line__order_line_id=line.order_line_id)
        .values("warehouse_id")
        .annotate(total=Sum("quantity"))
        .values_list("warehouse_id", "total")
    )
    return [(r["warehouse_id"], r["total"] - taken.get(r["warehouse_id"], ZERO)) for r in stocked]


def shipment_ship(
    *,
    actor,
    shipment_id: Any,
    carrier: str = "",
    tracking_number: str = "",
    vehicle_plate: str = "",
    driver: str = "",
    driver_phone: str = "",
    shipped_at: Any = None,
) -> Shipment:
    """Logistics ships a confirmed shipment: the goods leave the warehouses they were stocked in."""
    shipment = _shipment(actor, shipment_id, "ship")
    if shipment.status == S.DRAFT:
        raise WorkflowConflict(
            _(
                "Shipment %(number)s is not confirmed by the customer yet: the merchandiser records the confirmation first."
            )
            % {"number": shipment.number}
        )
    fields = {
        "carrier": _text(carrier, "carrier", 100),
        "tracking_number": _text(tracking_number, "tracking_number", 60),
        "vehicle_plate": _text(vehicle_plate, "vehicle_plate", 20),
        "driver": _text(driver, "driver", 60),
        "driver_phone": _text(driver_phone, "driver_phone", 40),
    }
    if shipment.method in (Method.LOGISTICS, Method.EXPRESS) and not fields["tracking_number"]:
        raise ValidationError(
            {"tracking_number": _("Enter the tracking number of the logistics company or express.")}
        )
    if shipment.method == Method.OWN_TRUCK and not fields["vehicle_plate"]:
        raise ValidationError({"vehicle_plate": _("Enter the truck's plate.")})
    when = _when(shipped_at, "shipped_at", required=False) or timezone.now()
    with transaction.atomic():
        _step(
            shipment,
            S.SHIPPED,
            shipped_at=when,
            shipped_by=actor if getattr(actor, "pk", None) else None,
            **fields,
        )
        for line in shipment.lines.select_related("order_line__product").order_by("order_line_id"):
            left = line.quantity
            for warehouse_id, there in _sources(line):
                take = min(left, there)
                if take <= 0:
                    continue
                try:
                    movement = stock_move(
                        actor=actor,
                        warehouse=_warehouse(warehouse_id),
                        quantity=-take,
                        kind=MovementKind.SHIPMENT,
                        product=line.order_line.product,
                        reference=shipment.order.number,
                        note=shipment.number,
                    )
                except ValidationError as exc:
                    raise ValidationError(
                        {
                            "lines": _("Line %(line)s: %(why)s")
                            % {"line": line.order_line.line_no, "why": " ".join(exc.messages)}
                        }
                    ) from None
                ShipmentMove.objects.create(
                    line=line, warehouse_id=warehouse_id, quantity=take, movement=movement
                )
                left -= take
            if left > 0:
                raise ValidationError(
                    {
                        "lines": _("Line %(line)s: only %(has)s of it are still in stock.")
                        % {"line": line.order_line.line_no, "has": fmt(line.quantity - left)}
                    }
                )
        _audit(actor, shipment, "shipment_shipped", lambda: " ".join(v for v in fields.values() if v))
        order = shipment.order
        lines = _live_lines(order.pk)
        if order.status == OrderStatus.READY_TO_SHIP and _all_reach(lines, shipped_of([x.pk for x in lines])):
            _move_order(actor, order, OrderStatus.SHIPPED, Step.SHIP)
        if order.merchandiser_id:
            number = shipment.number
            notify(
                event="delivery.shipped",
                recipients=[order.merchandiser],
                title=lambda lang: _("Shipment %(number)s has left") % {"number": number},
                url=reverse("delivery:detail", args=[shipment.pk]),
                obj=shipment,
            )
    return shipment


def _warehouse(pk: int):

    return Warehouse.objects.get(pk=pk)
