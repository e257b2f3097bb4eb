"""What the purchase order services share: reading a PO or a line for an action (locked), its
status move by the transition table, the orders it serves, settling its status after a line moved."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from gendan.core.exceptions import WorkflowConflict

from ..choices import (
    PO_LINE_OPEN_STATES,
    PO_TRANSITIONS,
    POLineStatus,
    POStatus,
)
from ..models import (
    PlanLinePeg,
    POLineConfirmation,
    PurchaseOrder,
    PurchaseOrderLine,
)
from .common import audit_for_orders

ZERO = Decimal(0)
REASON_MAX = 300
LANGUAGES = ("zh-hans", "en")
PDF_LANGUAGE = "zh-hans"  # Chinese by default; English on request (the header's language)
HEADER_FIELDS = ("warehouse", "quality_requirements", "packaging_requirements", "note", "language")


def po_for(actor, po_id: int, action: str) -> PurchaseOrder:
    """The PO `actor` may take `action` on: PermissionDenied if he may not, DoesNotExist if none."""
    return PurchaseOrder.objects.select_related("supplier").get_for(actor, action, pk=po_id)


def order_ids_of(po: PurchaseOrder) -> list[int]:
    """The customer orders a PO serves (through its plan lines' pegs)."""
    return list(
        PlanLinePeg.objects.filter(line__po_line__order=po).values_list("order_id", flat=True).distinct()
    )


def line_order_ids(line: PurchaseOrderLine) -> list[int]:
    if not line.plan_line_id:
        return []
    return list(PlanLinePeg.objects.filter(line_id=line.plan_line_id).values_list("order_id", flat=True))


def move(*, actor, po: PurchaseOrder, to: str, extra: dict | None = None) -> None:
    """Move `po` to `to` if the table allows it from the status the caller saw."""
    expected = po.status
    if to not in PO_TRANSITIONS.get(expected, {}):
        raise WorkflowConflict(
            _("A purchase order that is “%(current)s” cannot become “%(target)s”.")
            % {"current": POStatus(expected).label, "target": POStatus(to).label}
        )
    won = PurchaseOrder.objects.filter(pk=po.pk, status=expected).update(status=to, **(extra or {}))
    if not won:
        raise WorkflowConflict(
            _("Someone else changed purchase order %(number)s first; reload and try again.")
            % {"number": po.number}
        )
    po.status = to
    for name, value in (extra or {}).items():
        setattr(po, name, value)


def confirmed_sum(line_id: int) -> Decimal:
    return POLineConfirmation.objects.filter(line_id=line_id).aggregate(s=Sum("quantity"))["s"] or ZERO


def line_for(actor, line: PurchaseOrderLine | int, action: str) -> PurchaseOrderLine:
    """The line, freshly read and locked, if `actor` may take `action` on its PO."""
    line_id = line if isinstance(line, int) else line.pk
    order_id = PurchaseOrderLine.objects.filter(pk=line_id).values_list("order_id", flat=True).first()
    if order_id is None:
        raise PurchaseOrderLine.DoesNotExist
    # The PO's row first: actions on its lines queue one after the other, so the PO's status
    # (confirmed when every open line is) is worked out from what the one before committed.
    list(PurchaseOrder.objects.select_for_update().filter(pk=order_id).values_list("pk", flat=True))
    found = PurchaseOrderLine.objects.select_for_update().get(pk=line_id)
    po = po_for(actor, found.order_id, action)
    found.order = po
    return found


def settle(*, actor, po: PurchaseOrder) -> None:
    """A sent PO is confirmed when every open line is; a confirmed one goes back to waiting when a
    change (or a new quantity) leaves a line unconfirmed."""
    po.refresh_from_db(fields=["status"])
    open_lines = po.lines.filter(status__in=PO_LINE_OPEN_STATES)
    waiting = open_lines.filter(status=POLineStatus.OPEN).exists()
    if po.status == POStatus.SENT and open_lines.exists() and not waiting:
        move(actor=actor, po=po, to=POStatus.CONFIRMED)
        audit_for_orders(
            actor=actor,
            obj=po,
            action="po_confirmed",
            order_ids=order_ids_of(po),
            changes={"status": [POStatus.SENT, POStatus.CONFIRMED]},
        )
    elif po.status == POStatus.CONFIRMED and waiting:
        move(actor=actor, po=po, to=POStatus.SENT)
        audit_for_orders(
            actor=actor,
            obj=po,
            action="po_reopened",
            order_ids=[],
            changes={"status": [POStatus.CONFIRMED, POStatus.SENT]},
        )
