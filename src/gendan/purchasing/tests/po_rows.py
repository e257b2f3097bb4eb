"""PO rows made directly with the models for delivery tracking's tests (the PO services are the
purchase order work's): a purchase order line, pegged to the orders it is bought for."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.purchasing.models import (
    PlanLinePeg,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlan,
    PurchasePlanLine,
    Receipt,
)
from gendan.purchasing.services.common import insert_numbered


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def po_line(
    *,
    make,
    actor,
    material,
    quantity,
    delivery: dt.date,
    expected: dt.date | None = None,
    status: str = "open",
    po_status: str = "sent",
    orders=(),
    supplier=None,
) -> PurchaseOrderLine:
    quantity = Decimal(quantity)
    po = PurchaseOrder(supplier=supplier or make.supplier(), status=po_status, created_by=actor)
    insert_numbered(po, "PO")
    plan_line = None
    if orders:
        plan = PurchasePlan(status="decided", created_by=actor)
        insert_numbered(plan, "CG")
        plan_line = PurchasePlanLine.objects.create(
            plan=plan, material=material, quantity=quantity, order_by=delivery, need_date=delivery
        )
        for order in orders:
            PlanLinePeg.objects.create(line=plan_line, order=order, quantity=quantity / len(orders))
    return PurchaseOrderLine.objects.create(
        order=po,
        position=10,
        plan_line=plan_line,
        material=material,
        quantity=quantity,
        delivery_date=delivery,
        expected_date=expected,
        status=status,
    )


def receipt(
    *, make, line: PurchaseOrderLine, quantity, status="in_inspection", accepted=0, rejected=0, when=None
):
    quantity = Decimal(quantity)
    r = Receipt(
        line=line,
        quantity=quantity,
        warehouse=make.warehouse(),
        status=status,
        accepted_qty=Decimal(accepted),
        rejected_qty=Decimal(rejected),
        received_at=when or timezone.now(),
    )
    insert_numbered(r, "SH")
    PurchaseOrderLine.objects.filter(pk=line.pk).update(received_qty=line.received_qty + quantity)
    line.refresh_from_db()
    return r
