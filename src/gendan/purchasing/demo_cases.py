"""Supplier cases' part of the demo (step 65): three rejected lots bought for a released order, one
case closed by an accepted replacement, one return under way, one concession waiting for quality's
manager. The purchase plan, PO and receipts are plain rows here (receiving's own demo makes the real
ones; the lead wires the two together at merge); every case step goes through the services."""

import datetime as dt
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from gendan.core.demo import DemoPart
from gendan.inventory.choices import MovementKind
from gendan.inventory.models import Warehouse
from gendan.inventory.services import stock_move
from gendan.masterdata.models import SupplierMaterial
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order

from .choices import (
    CaseKind,
    CaseStatus,
    PlanLineStatus,
    PlanStatus,
    POLineStatus,
    POStatus,
    ReceiptStatus,
)
from .models import (
    PlanLinePeg,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlan,
    PurchasePlanLine,
    Receipt,
    SupplierCase,
)
from .services.cases import case_decide, case_open, case_replacement_inspected
from .services.common import insert_numbered

# (quantity ordered, rejected of it, what was wrong)
LOTS = [
    (Decimal(200), Decimal(40), "外径超差 0.05 mm（抽样 32 件，不合格 6 件）"),
    (Decimal(100), Decimal(100), "表面锈蚀，整批拒收"),
    (Decimal(500), Decimal(60), "颜色与样板略有差异，不影响功能"),
]


def build_cases(*, users, **_earlier) -> DemoPart:
    if not SupplierCase.objects.exists():
        _cases(users)
    return DemoPart(
        counts={
            "supplier cases": SupplierCase.objects.count(),
            "open supplier cases": SupplierCase.objects.exclude(status=CaseStatus.CLOSED).count(),
        }
    )


def _cases(users) -> None:
    purchaser, inspector = users["purchaser"], users["inspector"]
    order = (
        Order.objects.filter(status__in=[OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION])
        .order_by("released_at", "pk")
        .first()
    )
    warehouse = Warehouse.objects.filter(is_archived=False).order_by("pk").first()
    offers = list(SupplierMaterial.objects.select_related("supplier", "material").order_by("pk")[:20])
    if order is None or warehouse is None or not offers:
        return
    supplier = offers[0].supplier
    materials = [o.material for o in offers if o.supplier_id == supplier.pk][: len(LOTS)]
    materials += [o.material for o in offers if o.material not in materials][: len(LOTS) - len(materials)]
    if len(materials) < len(LOTS):
        return
    today = timezone.localdate()
    plan = insert_numbered(PurchasePlan(status=PlanStatus.DECIDED, created_by=purchaser), "CG")
    po = insert_numbered(
        PurchaseOrder(
            supplier=supplier, status=POStatus.CONFIRMED, warehouse=warehouse, created_by=purchaser
        ),
        "PO",
    )
    receipts = []
    for position, (material, (ordered, rejected, _why)) in enumerate(zip(materials, LOTS, strict=True), 1):
        plan_line = PurchasePlanLine.objects.create(
            plan=plan,
            position=position * 10,
            material=material,
            quantity=ordered,
            order_by=today - dt.timedelta(days=20),
            need_date=today + dt.timedelta(days=10),
            supplier=supplier,
            status=PlanLineStatus.ORDERED,
        )
        PlanLinePeg.objects.create(line=plan_line, order=order, quantity=ordered)
        line = PurchaseOrderLine.objects.create(
            order=po,
            position=position * 10,
            plan_line=plan_line,
            material=material,
            quantity=ordered,
            delivery_date=today - dt.timedelta(days=3),
            status=POLineStatus.RECEIVED,
            received_qty=ordered,
            accepted_qty=ordered - rejected,
            rejected_qty=rejected,
        )
        receipt = insert_numbered(
            Receipt(
                line=line,
                quantity=ordered,
                warehouse=warehouse,
                status=ReceiptStatus.REJECTED if rejected == ordered else ReceiptStatus.PARTLY_ACCEPTED,
                accepted_qty=ordered - rejected,
                rejected_qty=rejected,
                received_by=users["warehouse"],
                received_at=timezone.now() - dt.timedelta(days=2),
                inspected_at=timezone.now() - dt.timedelta(days=1),
            ),
            "SH",
        )
        if ordered > rejected:
            stock_move(
                actor=inspector,
                warehouse=warehouse,
                quantity=ordered - rejected,
                kind=MovementKind.RECEIPT,
                material=material,
                reference=receipt.number,
            )
        receipts.append(receipt)
    cases = [
        case_open(actor=inspector, receipt=receipt, quantity=rejected, description=why)
        for receipt, (_o, rejected, why) in zip(receipts, LOTS, strict=True)
    ]
    replaced, returned, conceded = cases
    # 1. A replacement, received and accepted: the case closes.
    replaced = case_decide(actor=purchaser, case=replaced, kind=CaseKind.REPLACEMENT, note="供应商同意补发")
    line = replaced.receipt.line
    replacement = insert_numbered(
        Receipt(
            line=line,
            quantity=replaced.quantity,
            warehouse=warehouse,
            is_replacement=True,
            case=replaced,
            status=ReceiptStatus.ACCEPTED,
            accepted_qty=replaced.quantity,
            received_by=users["warehouse"],
            received_at=timezone.now() - dt.timedelta(hours=5),
            inspected_at=timezone.now() - dt.timedelta(hours=2),
        ),
        "SH",
    )
    PurchaseOrderLine.objects.filter(pk=line.pk).update(
        received_qty=F("received_qty") + replaced.quantity,
        accepted_qty=F("accepted_qty") + replaced.quantity,
        status=POLineStatus.RECEIVED,
    )
    stock_move(
        actor=inspector,
        warehouse=warehouse,
        quantity=replaced.quantity,
        kind=MovementKind.RECEIPT,
        material=replaced.material,
        reference=replacement.number,
    )
    case_replacement_inspected(actor=inspector, receipt=replacement)
    # 2. A return decided: waiting for the goods to go back.
    case_decide(
        actor=purchaser,
        case=returned,
        kind=CaseKind.RETURN,
        note="整批退回，供应商重新安排生产",
        due_date=today + dt.timedelta(days=5),
    )
    # 3. A concession asked: quality's manager approves it (or not).
    case_decide(actor=purchaser, case=conceded, kind=CaseKind.CONCESSION, note="色差不影响装配，申请让步接收")
