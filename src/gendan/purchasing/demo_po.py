"""Purchase orders in the demo factory (step 62): POs in every state a purchaser meets — a draft, sent,
partly confirmed, confirmed (one line's date changed with its reason), late, cancelled — made
through the services from the approved lines of step 61's purchase plan (the version in force).

Six suppliers' lines are ordered, a few lines each (the rest of the plan waits on the "to order" list);
the later steps go on with these POs: delivery tracking (63) chases the late one, receiving (64)
receives against the sent and confirmed ones, supplier cases (65) work on its rejected lots."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.core.demo import DemoPart

from .choices import PlanLineStatus, PlanStatus, POStatus
from .demo_scores import HISTORY_NOTE
from .models import PurchaseOrder, PurchasePlanLine
from .services.po import (
    po_cancel,
    po_create_from_plan_lines,
    po_line_change,
    po_line_confirm,
    po_send,
)

# draft, sent, partly confirmed, confirmed with a changed line, late, cancelled
STATES = ["draft", "sent", "partly confirmed", "confirmed", "late", "cancelled"]
LINES_PER_PO = 4
LATE_DAYS = 5  # the late PO's first line was promised this many days ago (past the escalation)
# Plans whose approved lines may still be ordered (a superseded version's lines live on in its revision).
PLANS_IN_FORCE = [PlanStatus.SUBMITTED, PlanStatus.DECIDED]


def build_purchase_orders(*, users, **_earlier) -> DemoPart:
    if not demo_orders():
        _purchase_orders(users["purchaser"])
    return DemoPart(
        counts={
            "purchase orders": PurchaseOrder.objects.exclude(note=HISTORY_NOTE).count(),
            "sent or confirmed": PurchaseOrder.objects.filter(
                status__in=[POStatus.SENT, POStatus.CONFIRMED]
            ).count(),
        }
    )


def demo_orders() -> list[PurchaseOrder]:
    """The POs of this step, in the order of STATES (made from plan lines, numbered in that order)."""
    return list(
        PurchaseOrder.objects.filter(lines__plan_line__isnull=False)
        .distinct()
        .order_by("number")[: len(STATES)]
    )


def plan_lines_to_order() -> dict[int, list[int]]:
    """Approved lines of the plan in force bought for orders (pegged: what happens to them shows on
    the orders' timelines), by supplier (those with enough lines), a few each."""
    lines = (
        PurchasePlanLine.objects.filter(
            status=PlanLineStatus.APPROVED,
            plan__status__in=PLANS_IN_FORCE,
            supplier__is_archived=False,
            supplier__is_approved=True,
        )
        .exclude(material__is_archived=True)
        .exclude(pegs__isnull=True)
        .order_by("supplier__code", "need_date", "material__code", "pk")
        .values_list("supplier_id", "pk")
    )
    by_supplier: dict[int, list[int]] = {}
    for supplier_id, pk in lines:
        by_supplier.setdefault(supplier_id, []).append(pk)
    full = {s: ids[:LINES_PER_PO] for s, ids in by_supplier.items() if len(ids) >= LINES_PER_PO}
    return dict(list(full.items())[: len(STATES)])


def _purchase_orders(purchaser) -> None:
    chosen = plan_lines_to_order()
    if not chosen:
        return
    made = po_create_from_plan_lines(actor=purchaser, line_ids=[pk for ids in chosen.values() for pk in ids])
    today = timezone.localdate()
    states = dict(zip(STATES, made, strict=False))
    for name, po in states.items():
        if name != "draft":
            po_send(actor=purchaser, po=po, by_hand=True, note="微信发给供应商业务 (WeChat)")
    # "sent" waits for the supplier.
    if po := states.get("partly confirmed"):  # half of its first line
        line = po.lines.order_by("position").first()
        po_line_confirm(
            actor=purchaser,
            line=line,
            quantity=max((line.quantity / 2).quantize(Decimal("1")), Decimal(1)),
            promised_date=line.delivery_date,
            confirmed_by="供应商业务",
        )
    if po := states.get("confirmed"):  # in full, then one line's date moved with the reason
        lines = list(po.lines.order_by("position"))
        for line in lines:
            po_line_confirm(
                actor=purchaser,
                line=line,
                quantity=line.quantity,
                promised_date=line.delivery_date,
                confirmed_by="供应商",
            )
        po_line_change(
            actor=purchaser,
            line=lines[0],
            delivery_date=lines[0].delivery_date + dt.timedelta(days=5),
            reason="供应商设备检修，交期顺延 5 天 (supplier maintenance)",
        )
    if po := states.get("late"):  # its first line promised for a date that has passed
        line = po.lines.order_by("position").first()
        po_line_confirm(
            actor=purchaser,
            line=line,
            quantity=line.quantity,
            promised_date=today - dt.timedelta(days=LATE_DAYS),
            confirmed_by="供应商",
        )
    if po := states.get("cancelled"):
        po_cancel(actor=purchaser, po=po, reason="客户取消订单，不再需要 (order cancelled)")
