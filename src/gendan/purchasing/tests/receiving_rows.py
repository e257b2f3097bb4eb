"""Plain PO rows for the receiving and inspection tests (the PO services are another stage's): a
sent purchase order with one line, bought for one order of a merchandiser."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone


def po_line(
    make,
    *,
    actor,
    quantity="100",
    tolerance="5",
    status="sent",
    material=None,
    supplier=None,
    merchandiser=None,
    warehouse=None,
):
    from gendan.orders.models import Order
    from gendan.purchasing.models import (
        PlanLinePeg,
        PurchaseOrder,
        PurchaseOrderLine,
        PurchasePlan,
        PurchasePlanLine,
    )

    n = make.n()
    supplier = supplier or make.supplier()
    material = material or make.material()
    warehouse = warehouse or make.warehouse()
    today = timezone.localdate()
    plan = PurchasePlan.objects.create(number=f"CG-2026-{n:04}", created_by=actor)
    plan_line = PurchasePlanLine.objects.create(
        plan=plan,
        material=material,
        quantity=Decimal(quantity),
        order_by=today,
        need_date=today,
        supplier=supplier,
        status="ordered",
    )
    if merchandiser is not None:
        order = Order.objects.create(
            number=f"SO-T-{n:04}", customer=make.customer(), merchandiser=merchandiser
        )
        PlanLinePeg.objects.create(line=plan_line, order=order, quantity=Decimal(quantity))
    po = PurchaseOrder.objects.create(
        number=f"PO-2026-{n:04}", supplier=supplier, status=status, warehouse=warehouse, created_by=actor
    )
    return PurchaseOrderLine.objects.create(
        order=po,
        plan_line=plan_line,
        material=material,
        quantity=Decimal(quantity),
        delivery_date=today + dt.timedelta(days=7),
        tolerance_pct=Decimal(tolerance),
    )
