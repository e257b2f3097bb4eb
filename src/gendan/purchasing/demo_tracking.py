"""Delivery tracking's demo (step 63): on the late purchase order of step 62 (its first line promised
five days ago, past the escalation threshold) the supplier's other answers come in through the PO
services: one line promised for yesterday (a day late), one line's delivery date brought forward to
in three days with nothing confirmed yet (due soon), one confirmed in time. Then the lines are chased
and escalated as the hourly job would, and the orders' kit checks run again as after a moved date.

Idempotent: its confirmations carry DEMO_NOTE; a second run finds them and does nothing (the hourly
job chases from then on)."""

import datetime as dt

from django.utils import timezone

from gendan.core.audit import audit_source
from gendan.core.demo import DemoPart

from .demo_po import STATES, demo_orders
from .models import POLineConfirmation, PurchaseOrder, PurchaseOrderLine
from .services.po import po_line_change, po_line_confirm
from .services.tracking import orders_recheck, po_lines_chase

DEMO_NOTE = "demo: delivery tracking"


def late_order() -> PurchaseOrder | None:
    orders = dict(zip(STATES, demo_orders(), strict=False))
    return orders.get("late")


def build_tracking(*, users, **_earlier) -> DemoPart:
    po = late_order()
    with audit_source("command"):
        if po is not None and not POLineConfirmation.objects.filter(note=DEMO_NOTE).exists():
            _answers(users["purchaser"], po)
            po_lines_chase()
            orders_recheck(line_ids=list(po.lines.values_list("pk", flat=True)))
    lines = PurchaseOrderLine.objects.filter(order=po) if po else PurchaseOrderLine.objects.none()
    return DemoPart(
        counts={
            "PO lines tracked": lines.count(),
            "chased": PurchaseOrderLine.objects.filter(chased_at__isnull=False).count(),
            "escalated": PurchaseOrderLine.objects.filter(escalated_at__isnull=False).count(),
        }
    )


def _answers(purchaser, po: PurchaseOrder) -> None:
    today = timezone.localdate()
    lines = list(po.lines.order_by("position"))[1:4]
    if len(lines) < 3:
        return
    yesterday, soon, in_time = lines
    po_line_confirm(
        actor=purchaser,
        line=yesterday,
        quantity=yesterday.quantity,
        promised_date=today - dt.timedelta(days=1),
        confirmed_by="供应商",
        note=DEMO_NOTE,
    )
    po_line_change(
        actor=purchaser,
        line=soon,
        delivery_date=today + dt.timedelta(days=3),
        reason="客户订单提前，要求供应商提前交货 (order brought forward)",
    )
    in_time_date = max(in_time.delivery_date, today + dt.timedelta(days=2))
    if in_time_date != in_time.delivery_date:
        po_line_change(
            actor=purchaser,
            line=in_time,
            delivery_date=in_time_date,
            reason="与供应商商定交期 (agreed with the supplier)",
        )
    po_line_confirm(
        actor=purchaser,
        line=in_time,
        quantity=in_time.quantity,
        promised_date=in_time_date,
        confirmed_by="供应商",
        note=DEMO_NOTE,
    )
