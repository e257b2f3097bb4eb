"""Changes to purchase order lines and orders (R-3.3): a quantity, date or price changed, a line's
open quantity cancelled, a PO cancelled or closed; each a `POLineChange` row with its reason, never
an edit in place."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.exceptions import WorkflowConflict

from ..choices import (
    PO_LINE_OPEN_STATES,
    PO_OPEN_STATES,
    PO_STEP_ACTION,
    LineChangeKind,
    POLineStatus,
    POStatus,
    POStep,
)
from ..models import (
    POLineChange,
    PurchaseOrder,
    PurchaseOrderLine,
)
from . import tracking
from .common import audit_for_orders, num
from .po_common import (
    REASON_MAX,
    confirmed_sum,
    line_for,
    line_order_ids,
    move,
    order_ids_of,
    po_for,
    settle,
)

# ------------------------------------------------------------------------------------- changes


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the change.")]})
    return reason[:REASON_MAX]


def _changeable(line: PurchaseOrderLine) -> None:
    po = line.order
    label = f"{po.number} / {line.position}"
    if po.status not in PO_OPEN_STATES:
        raise WorkflowConflict(
            _("Purchase order %(number)s is “%(status)s”: its lines can no longer change.")
            % {"number": po.number, "status": po.get_status_display()}
        )
    if line.status not in PO_LINE_OPEN_STATES:
        raise WorkflowConflict(
            _("Line %(line)s is “%(status)s”: it can no longer change.")
            % {"line": label, "status": line.get_status_display()}
        )


def _record(*, actor, line: PurchaseOrderLine, kind: str, old: str, new: str, reason: str) -> POLineChange:
    change = POLineChange.objects.create(
        line=line,
        kind=kind,
        old_value=old[:100],
        new_value=new[:100],
        reason=reason,
        changed_by=actor if getattr(actor, "pk", None) else None,
    )
    label = f"{line.order.number} / {line.position}"
    audit_for_orders(
        actor=actor,
        obj=line.order,
        action="po_line_changed" if kind != LineChangeKind.CANCEL else "po_line_cancelled",
        order_ids=line_order_ids(line),
        # Prices are not for every reader of the order's timeline: the note names the kind only.
        note=lambda lb=label, k=kind, r=reason: (
            _("Line %(line)s: %(change)s changed (%(reason)s)")
            % {"line": lb, "change": LineChangeKind(k).label, "reason": r}
            if k != LineChangeKind.CANCEL
            else _("Line %(line)s cancelled (%(reason)s)") % {"line": lb, "reason": r}
        ),
    )
    return change


def po_line_change(
    *,
    actor,
    line: PurchaseOrderLine | int,
    quantity: Decimal | None = None,
    delivery_date: dt.date | None = None,
    unit_price: Decimal | None = None,
    reason: str,
) -> list[POLineChange]:
    """Change a line's quantity, delivery date or unit price: one recorded change per value, with
    the reason. The quantity never goes below what was received."""
    reason = _reason(reason)
    with transaction.atomic():
        line = line_for(actor, line, "change")
        _changeable(line)
        label = f"{line.order.number} / {line.position}"
        made: list[POLineChange] = []
        if quantity is not None and quantity != line.quantity:
            if quantity <= 0:
                raise ValidationError(
                    {
                        "quantity": [
                            _("Line %(line)s: the quantity must be above zero (cancel the line instead).")
                            % {"line": label}
                        ]
                    }
                )
            if quantity < line.received_qty:
                raise ValidationError(
                    {
                        "quantity": [
                            _(
                                "Line %(line)s: %(received)s have already been received; the quantity cannot be less."
                            )
                            % {"line": label, "received": num(line.received_qty)}
                        ]
                    }
                )
            won = PurchaseOrderLine.objects.filter(
                pk=line.pk, quantity=line.quantity, received_qty__lte=quantity
            ).update(quantity=quantity)
            if not won:
                raise WorkflowConflict(
                    _("Someone else changed line %(line)s first; reload and try again.") % {"line": label}
                )
            made.append(
                _record(
                    actor=actor,
                    line=line,
                    kind=LineChangeKind.QUANTITY,
                    old=num(line.quantity),
                    new=num(quantity),
                    reason=reason,
                )
            )
            confirmed = confirmed_sum(line.pk)
            if line.status == POLineStatus.CONFIRMED and confirmed < quantity:
                PurchaseOrderLine.objects.filter(pk=line.pk).update(status=POLineStatus.OPEN)
            elif line.status == POLineStatus.OPEN and confirmed >= quantity:
                PurchaseOrderLine.objects.filter(pk=line.pk).update(status=POLineStatus.CONFIRMED)
            line.quantity = quantity
        if delivery_date is not None and delivery_date != line.delivery_date:
            PurchaseOrderLine.objects.filter(pk=line.pk).update(delivery_date=delivery_date)
            made.append(
                _record(
                    actor=actor,
                    line=line,
                    kind=LineChangeKind.DATE,
                    old=line.delivery_date.isoformat(),
                    new=delivery_date.isoformat(),
                    reason=reason,
                )
            )
        if unit_price is not None and unit_price != line.unit_price:
            if unit_price < 0:
                raise ValidationError(
                    {"unit_price": [_("Line %(line)s: the unit price cannot be negative.") % {"line": label}]}
                )
            PurchaseOrderLine.objects.filter(pk=line.pk).update(unit_price=unit_price)
            made.append(
                _record(
                    actor=actor,
                    line=line,
                    kind=LineChangeKind.PRICE,
                    old=num(line.unit_price),
                    new=num(unit_price),
                    reason=reason,
                )
            )
        if not made:
            raise ValidationError({"reason": [_("Line %(line)s: nothing to change.") % {"line": label}]})
        tracking.lines_moved(line_ids=[line.pk], actor=actor)
        if line.order.status in (POStatus.SENT, POStatus.CONFIRMED):
            settle(actor=actor, po=line.order)
    return made


def _cancel_open(*, actor, line: PurchaseOrderLine, reason: str) -> POLineChange:
    """Cancel what is still open of a line: nothing received → the line is cancelled; partly received
    → its quantity becomes what was received (the line is then received in full)."""
    label = f"{line.order.number} / {line.position}"
    if line.received_qty > 0:
        won = PurchaseOrderLine.objects.filter(
            pk=line.pk, quantity=line.quantity, received_qty=line.received_qty, status__in=PO_LINE_OPEN_STATES
        ).update(quantity=line.received_qty, status=POLineStatus.RECEIVED)
        new = num(line.received_qty)
    else:
        won = PurchaseOrderLine.objects.filter(
            pk=line.pk, received_qty=0, status__in=PO_LINE_OPEN_STATES
        ).update(status=POLineStatus.CANCELLED)
        new = "0"
    if not won:
        raise WorkflowConflict(
            _("Someone else changed line %(line)s first; reload and try again.") % {"line": label}
        )
    return _record(
        actor=actor, line=line, kind=LineChangeKind.CANCEL, old=num(line.open_qty), new=new, reason=reason
    )


def po_line_cancel(*, actor, line: PurchaseOrderLine | int, reason: str) -> POLineChange:
    """Cancel what is still open of one line, with the reason."""
    reason = _reason(reason)
    with transaction.atomic():
        line = line_for(actor, line, "change")
        _changeable(line)
        change = _cancel_open(actor=actor, line=line, reason=reason)
        tracking.lines_moved(line_ids=[line.pk], actor=actor)
        if line.order.status in (POStatus.SENT, POStatus.CONFIRMED):
            settle(actor=actor, po=line.order)
    return change


def po_cancel(*, actor, po: PurchaseOrder | int, reason: str) -> PurchaseOrder:
    """Cancel a whole PO of which nothing was received: every open line is cancelled with the reason."""
    reason = _reason(reason)
    with transaction.atomic():
        po = po_for(actor, po if isinstance(po, int) else po.pk, PO_STEP_ACTION[POStep.CANCEL])
        lines = list(PurchaseOrderLine.objects.select_for_update().filter(order=po))
        if any(line.received_qty > 0 for line in lines):
            raise ValidationError(
                {
                    "reason": [
                        _("Goods were already received against %(number)s: close it instead.")
                        % {"number": po.number}
                    ]
                }
            )
        old = po.status
        move(actor=actor, po=po, to=POStatus.CANCELLED, extra={"closed_at": timezone.now()})
        moved = []
        for line in lines:
            if line.status in PO_LINE_OPEN_STATES:
                line.order = po
                _cancel_open(actor=actor, line=line, reason=reason)
                moved.append(line.pk)
        audit_for_orders(
            actor=actor,
            obj=po,
            action="po_cancelled",
            order_ids=order_ids_of(po),
            note=reason,
            changes={"status": [old, POStatus.CANCELLED]},
        )
        if moved:
            tracking.lines_moved(line_ids=moved, actor=actor)
    return po


def po_close(*, actor, po: PurchaseOrder | int, reason: str = "") -> PurchaseOrder:
    """Close a sent PO: what is still open of its lines is cancelled (a reason is needed then)."""
    reason = (reason or "").strip()[:REASON_MAX]
    with transaction.atomic():
        po = po_for(actor, po if isinstance(po, int) else po.pk, PO_STEP_ACTION[POStep.CLOSE])
        lines = list(PurchaseOrderLine.objects.select_for_update().filter(order=po))
        still_open = [line for line in lines if line.status in PO_LINE_OPEN_STATES]
        if still_open and not reason:
            raise ValidationError(
                {
                    "reason": [
                        _("%(n)s lines are still open: give the reason for closing.") % {"n": len(still_open)}
                    ]
                }
            )
        old = po.status
        move(actor=actor, po=po, to=POStatus.CLOSED, extra={"closed_at": timezone.now()})
        for line in still_open:
            line.order = po
            _cancel_open(actor=actor, line=line, reason=reason)
        audit_for_orders(
            actor=actor,
            obj=po,
            action="po_closed",
            order_ids=order_ids_of(po),
            note=reason,
            changes={"status": [old, POStatus.CLOSED]},
        )
        if still_open:
            tracking.lines_moved(line_ids=[line.pk for line in still_open], actor=actor)
    return po
