"""Incoming inspection's demo (step 64, after purchasing): defect codes, the factory's sampling
settings, and goods received through `receipt_create` against the sent and confirmed purchase orders
of step 62: partial deliveries, lots inspected and accepted into stock, three lots rejected (each
opens its supplier case, which step 65 works on), and one delivery still waiting in inspection for
the visitor to inspect. Built through the services; a second run adds nothing."""

import datetime as dt
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from gendan.core.demo import DemoPart, DemoSeeder
from gendan.purchasing.choices import POLineStatus, POStatus
from gendan.purchasing.demo_scores import HISTORY_NOTE
from gendan.purchasing.models import PurchaseOrderLine, Receipt, SupplierCase
from gendan.purchasing.services.receiving import receipt_create

from .models import DefectCode, Inspection, SamplingSetting
from .services import inspection_complete, inspection_defect_add, inspection_start

# Lines received: one in two parts (accepted, then waiting), three rejected, one accepted.
LINES_WANTED = 5

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
        _deliveries(users, _open_lines(), {key[0]: obj for key, obj in codes.items()})
    return DemoPart(
        counts={
            # The demo's own deliveries (the scorecards' history and the case's replacement come later).
            "goods receipts": Receipt.objects.exclude(line__order__note=HISTORY_NOTE)
            .filter(case=None)
            .count(),
            "incoming inspections": Inspection.objects.filter(receipt__case=None).count(),
            "supplier cases": SupplierCase.objects.count(),
        },
        # Supplier cases' step (65, purchasing: below quality) inspects its replacement with this.
        provides={"inspect_receipt": lambda receipt: _inspect_clean(users["inspector"], receipt)},
    )


def _inspect_clean(inspector, receipt: Receipt):
    """Inspect a lot and find nothing wrong: accepted."""
    started = inspection_start(actor=inspector, receipt_id=receipt.pk)
    return inspection_complete(actor=inspector, inspection_id=started.pk)


def _open_lines() -> list[PurchaseOrderLine]:
    """Confirmed lines nothing has arrived for yet: the confirmed POs' first, then those of sent POs
    confirmed in part (what the supplier confirmed arrives); the late and unconfirmed lines stay open."""
    today = timezone.localdate()
    return list(
        PurchaseOrderLine.objects.filter(
            order__status__in=[POStatus.SENT, POStatus.CONFIRMED],
            received_qty=0,
            expected_date__gte=today,
        )
        .exclude(status=POLineStatus.CANCELLED)
        .annotate(confirmed=Sum("confirmations__quantity"))
        .select_related("order", "material")
        .order_by("order__status", "order__number", "position")[:LINES_WANTED]
    )


# The rejected lots (for step 65: a replacement, a return, a concession): defect code, what was found.
REJECTED = [
    ("D01", "外径超差 0.05 mm"),
    ("D03", "表面锈蚀，整批拒收"),
    ("D02", "颜色与样板略有差异，不影响功能"),
]


def _part(quantity: Decimal, share: str) -> Decimal:
    return max((quantity * Decimal(share)).quantize(Decimal(1)), Decimal(1))


def _deliveries(users, lines: list[PurchaseOrderLine], codes: dict) -> None:
    """The first line arrives in two parts (the first accepted, the second waiting in inspection);
    the next three are rejected (as many nonconforming parts as their Re: each opens a case; the
    first of them a partial delivery), the last is accepted with as many scratches as its Ac."""
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

    if not lines:
        return
    first, rest = lines[0], lines[1:]
    if first.quantity > 1:
        early = _part(first.quantity, "0.6")
        inspect(receive(first, early, 30, "DN-001"), lambda plan: [])
        receive(first, first.quantity - early, 2, "DN-002")  # waits for the visitor
    else:
        receive(first, first.quantity, 2, "DN-002")
    for n, (line, (code, found)) in enumerate(zip(rest, REJECTED, strict=False)):
        quantity = _part(line.quantity, "0.5") if n == 0 else line.quantity  # the first: partly delivered
        inspect(
            receive(line, quantity, 20 - 2 * n, f"DN-{3 + n:03}"),
            lambda plan, c=code, f=found: [(c, plan.reject_number, f)],  # Re: rejected
        )
    for line in rest[len(REJECTED) :]:
        inspect(
            receive(line, min(line.confirmed or line.quantity, line.quantity), 8, "DN-006"),
            lambda plan: (
                [("D02", plan.accept_number, "轻微划伤")] if plan.accept_number else []
            ),  # Ac: accepted
        )
