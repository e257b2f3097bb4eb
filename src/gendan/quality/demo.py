"""Incoming inspection's demo (step 64, after purchasing): defect codes, the factory's sampling
settings, and goods received against sent purchase orders: partial deliveries, lots inspected and
accepted into stock, one lot rejected (its supplier case opened), and one delivery still waiting in
inspection for the visitor to inspect.

Purchase orders are another stage's work: when the demo has no sent PO yet, `_purchase_orders` makes
three as plain rows (kept apart here, so the lead can hand it to the PO demo at merge)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.core.demo import DemoPart, DemoSeeder
from gendan.inventory.models import Warehouse
from gendan.masterdata.models import SupplierMaterial
from gendan.purchasing.choices import POStatus
from gendan.purchasing.models import (
    MaterialRequirement,
    PlanLinePeg,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlan,
    PurchasePlanLine,
    Receipt,
    RequirementPeg,
    SupplierCase,
)
from gendan.purchasing.services.common import insert_numbered
from gendan.purchasing.services.receiving import receipt_create

from .models import DefectCode, Inspection, SamplingSetting
from .services import inspection_complete, inspection_defect_add, inspection_start

# The note on the POs the demo makes itself (when no other part of the demo has sent any).
DEMO_PO_NOTE = "演示: 收货检验 / demo: receiving and inspection"

DEFECT_CODES = [
    ("D01", "尺寸超差", "Out of tolerance"),
    ("D02", "外观划伤", "Scratch"),
    ("D03", "锈蚀", "Rust"),
    ("D04", "毛刺", "Burr"),
    ("D05", "包装破损", "Damaged packaging"),
    ("D06", "材质不符", "Wrong material"),
]


def build_quality(*, users, **_earlier) -> DemoPart:
    seeder = DemoSeeder(users["inspector"])
    codes = seeder.ensure(
        DefectCode, ("code",), [{"code": c, "name": n, "name_en": en} for c, n, en in DEFECT_CODES]
    )
    if not SamplingSetting.objects.filter(supplier__isnull=True, material__isnull=True).exists():
        seeder.ensure(
            SamplingSetting,
            ("supplier", "material"),
            [
                {
                    "supplier": None,
                    "material": None,
                    "level": "II",
                    "aql": "1.0",
                    "note": "工厂默认 / factory default",
                }
            ],
        )
    if not Receipt.objects.exists():
        lines = _open_lines() or _purchase_orders(users)
        _deliveries(users, lines, {key[0]: obj for key, obj in codes.items()})
    return DemoPart(
        counts={
            "goods receipts": Receipt.objects.count(),
            "incoming inspections": Inspection.objects.count(),
            "supplier cases": SupplierCase.objects.count(),
        }
    )


def _open_lines() -> list[PurchaseOrderLine]:
    return list(
        PurchaseOrderLine.objects.filter(
            order__status__in=[POStatus.SENT, POStatus.CONFIRMED], received_qty=0
        )
        .exclude(status="cancelled")
        .select_related("order", "material")
        .order_by("order__number", "position")[:3]
    )


def _purchase_orders(users) -> list[PurchaseOrderLine]:
    """Three sent POs as plain rows, for the materials the requirements say are to buy (pegged to
    the orders they serve), bought from each material's preferred supplier."""
    warehouse = Warehouse.objects.filter(code="RM").first() or Warehouse.objects.order_by("pk").first()
    today = timezone.localdate()
    wanted = list(
        MaterialRequirement.objects.filter(to_buy__gt=0)
        .order_by("need_date", "material__code")
        .select_related("material")
    )
    chosen, seen = [], set()
    for requirement in wanted:
        offer = (
            SupplierMaterial.objects.filter(material=requirement.material)
            .order_by("-is_preferred", "pk")
            .first()
        )
        if offer is None or requirement.material_id in seen:
            continue
        seen.add(requirement.material_id)
        chosen.append((requirement, offer))
        if len(chosen) == 3:
            break
    if len(chosen) < 3:  # no requirements to buy: any three materials a supplier offers
        for offer in SupplierMaterial.objects.order_by("material__code", "-is_preferred")[:20]:
            if offer.material_id not in seen and len(chosen) < 3:
                seen.add(offer.material_id)
                chosen.append((None, offer))
    if not chosen:
        return []
    plan = PurchasePlan(status="decided", created_by=users["purchaser"], decided_at=timezone.now())
    insert_numbered(plan, "CG")
    lines = []
    for i, ((requirement, offer), quantity) in enumerate(
        zip(chosen, (Decimal(1000), Decimal(500), Decimal(300)), strict=False)
    ):
        plan_line = PurchasePlanLine.objects.create(
            plan=plan,
            position=10 * (i + 1),
            material=offer.material,
            quantity=quantity,
            order_by=today - dt.timedelta(days=10),
            need_date=today + dt.timedelta(days=5),
            supplier=offer.supplier,
            unit_price=offer.unit_price,
            status="ordered",
        )
        if requirement is not None:
            for order_id in RequirementPeg.objects.filter(requirement=requirement).values_list(
                "order_id", flat=True
            ):
                PlanLinePeg.objects.get_or_create(
                    line=plan_line, order_id=order_id, defaults={"quantity": quantity}
                )
        po = PurchaseOrder(
            supplier=offer.supplier,
            status=POStatus.SENT,
            warehouse=warehouse,
            created_by=users["purchaser"],
            sent_at=timezone.now() - dt.timedelta(days=9),
            quality_requirements="按 GB/T 2828.1 一般检验水平 II 抽样检验",
            note=DEMO_PO_NOTE,
        )
        insert_numbered(po, "PO")
        lines.append(
            PurchaseOrderLine.objects.create(
                order=po,
                position=10,
                plan_line=plan_line,
                material=offer.material,
                quantity=quantity,
                unit_price=offer.unit_price,
                delivery_date=today - dt.timedelta(days=1),
                expected_date=today - dt.timedelta(days=1),
            )
        )
    return lines


def _deliveries(users, lines: list[PurchaseOrderLine], codes: dict) -> None:
    """The first line arrives in two parts (the first accepted, the second waiting in inspection),
    the second is rejected (as many out-of-tolerance parts as its Re: a case is opened), the third
    is accepted with as many scratches as its Ac."""
    keeper, inspector = users["warehouse"], users["inspector"]
    now = timezone.now()

    def receive(line, quantity, hours_ago, note):
        return receipt_create(
            actor=keeper,
            line=line,
            quantity=Decimal(quantity),
            delivery_note=note,
            lot_no=f"L{now:%y%m%d}-{line.pk}",
            received_at=now - dt.timedelta(hours=hours_ago),
        )

    def inspect(receipt, defects):
        started = inspection_start(actor=inspector, receipt_id=receipt.pk)
        # What is found is worded against the lot's own plan, so the outcome does not depend on
        # the quantities of the POs the demo finds.
        for code, count, note in defects(started):
            inspection_defect_add(
                actor=inspector, inspection_id=started.pk, code_id=codes[code].pk, count=count, note=note
            )
        return inspection_complete(actor=inspector, inspection_id=started.pk)

    if len(lines) >= 1:
        first = lines[0]
        inspect(receive(first, first.quantity * Decimal("0.6"), 30, "DN-001"), lambda plan: [])
        receive(first, first.quantity * Decimal("0.4"), 2, "DN-002")  # waits for the visitor
    if len(lines) >= 2:
        inspect(
            receive(lines[1], lines[1].quantity, 20, "DN-003"),
            lambda plan: [("D01", plan.reject_number, "外径超差 0.05 mm")],  # Re: rejected
        )
    if len(lines) >= 3:
        inspect(
            receive(lines[2], lines[2].quantity, 8, "DN-004"),
            lambda plan: (
                [("D02", plan.accept_number, "轻微划伤")] if plan.accept_number else []
            ),  # Ac: accepted
        )
