"""Delivery tracking's demo (step 63): purchase order lines for the materials of the demo's plans in
force, one late past the escalation threshold, one late a day, one not confirmed and due soon, one
confirmed in time; chased and escalated as the hourly job would, and the orders' kit checks run
again as after a moved date.

The purchase plan and the PO are plain rows here (this branch has no PO services; the lead wires
the PO work's services in at merge). Idempotent: a second run finds its PO and only chases again
(which, on the same day, tells nobody twice)."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from gendan.core.audit import audit_source
from gendan.core.demo import DemoPart
from gendan.masterdata.models import Supplier
from gendan.planning.models import PlanMaterial

from .choices import PlanLineStatus, PlanStatus, POLineStatus, POStatus
from .models import (
    PlanLinePeg,
    POLineConfirmation,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlan,
    PurchasePlanLine,
)
from .services.common import insert_numbered
from .services.tracking import orders_recheck, po_lines_chase

DEMO_NOTE = "demo: delivery tracking"

# (days from today the goods are expected, confirmed by the supplier?)
LINES = [(-5, True), (-1, True), (3, False), (2, True)]


def build_tracking(*, users, **_earlier) -> DemoPart:
    po = PurchaseOrder.objects.filter(note=DEMO_NOTE).first()
    with audit_source("command"):
        if po is None:
            po = _purchase_order(users["purchaser"])
        if po is not None:
            reminded, escalated = po_lines_chase()
            orders_recheck(line_ids=list(po.lines.values_list("pk", flat=True)))
    lines = PurchaseOrderLine.objects.filter(order__note=DEMO_NOTE)
    return DemoPart(
        counts={
            "PO lines tracked": lines.count(),
            "chased": lines.filter(chased_at__isnull=False).count(),
            "escalated": lines.filter(escalated_at__isnull=False).count(),
        }
    )


def _purchase_order(purchaser) -> PurchaseOrder | None:
    supplier = Supplier.objects.order_by("pk").first()
    needs = list(
        PlanMaterial.objects.filter(version__plan__in_force=F("version"))
        .select_related("material", "version__plan__order")
        .order_by("need_date", "pk")[: len(LINES)]
    )
    if supplier is None or not needs:
        return None
    today = timezone.localdate()
    with transaction.atomic():
        plan = PurchasePlan(status=PlanStatus.DECIDED, created_by=purchaser, note=DEMO_NOTE)
        insert_numbered(plan, "CG")
        po = PurchaseOrder(
            supplier=supplier,
            status=POStatus.CONFIRMED,
            created_by=purchaser,
            note=DEMO_NOTE,
            sent_at=timezone.now() - dt.timedelta(days=20),
        )
        insert_numbered(po, "PO")
        for position, (need, (days, confirmed)) in enumerate(zip(needs, LINES, strict=False), 1):
            arrives = today + dt.timedelta(days=days)
            quantity = need.quantity
            plan_line = PurchasePlanLine.objects.create(
                plan=plan,
                position=position * 10,
                material=need.material,
                quantity=quantity,
                order_by=arrives - dt.timedelta(days=need.material.lead_time_days),
                need_date=need.need_date,
                supplier=supplier,
                status=PlanLineStatus.ORDERED,
            )
            PlanLinePeg.objects.create(line=plan_line, order=need.version.plan.order, quantity=quantity)
            line = PurchaseOrderLine.objects.create(
                order=po,
                position=position * 10,
                plan_line=plan_line,
                material=need.material,
                quantity=quantity,
                delivery_date=arrives,
                expected_date=arrives if confirmed else None,
                status=POLineStatus.CONFIRMED if confirmed else POLineStatus.OPEN,
            )
            if confirmed:
                POLineConfirmation.objects.create(
                    line=line, quantity=quantity, promised_date=arrives, recorded_by=purchaser
                )
    return po
