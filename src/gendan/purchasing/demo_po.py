"""Purchase orders in the demo factory (step 62): POs in every state a purchaser meets — a draft, sent,
partly confirmed, confirmed (one line's date changed with its reason), late, cancelled — made
through the services from approved purchase plan lines.

Purchase plans are built by their own demo step; until it exists, `_stand_in_plan_lines` writes a
small approved plan as plain rows (clearly apart from the rest, for the lead to wire to the plan
demo at merge). It only runs when no approved line waits to be ordered."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.core.demo import DemoPart
from gendan.masterdata.models import SupplierMaterial
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order

from .choices import PlanLineStatus, PlanStatus, POStatus
from .models import PlanLinePeg, PurchaseOrder, PurchasePlan, PurchasePlanLine
from .services.common import insert_numbered
from .services.po import (
    po_cancel,
    po_create_from_plan_lines,
    po_line_change,
    po_line_confirm,
    po_send,
)

SUPPLIERS_WANTED = 6


def build_purchase_orders(*, users, **_earlier) -> DemoPart:
    if not PurchaseOrder.objects.exists():
        _purchase_orders(users["purchaser"], users)
    return DemoPart(
        counts={
            "purchase orders": PurchaseOrder.objects.count(),
            "sent or confirmed": PurchaseOrder.objects.filter(
                status__in=[POStatus.SENT, POStatus.CONFIRMED]
            ).count(),
        }
    )


def _purchase_orders(purchaser, users) -> None:
    waiting = PurchasePlanLine.objects.filter(status=PlanLineStatus.APPROVED, supplier__isnull=False)
    if waiting.values("supplier").distinct().count() < SUPPLIERS_WANTED:
        _stand_in_plan_lines(purchaser)
    ids = list(
        PurchasePlanLine.objects.filter(
            status=PlanLineStatus.APPROVED, supplier__is_archived=False, supplier__is_approved=True
        )
        .exclude(material__is_archived=True)
        .values_list("pk", flat=True)
    )
    if not ids:
        return
    made = po_create_from_plan_lines(actor=purchaser, line_ids=ids)
    today = timezone.localdate()
    # made[0] stays a draft.
    states = made[1:]
    for po in states:
        po_send(actor=purchaser, po=po, by_hand=True, note="微信发给供应商业务 (WeChat)")
    # states[0] is sent and waits for the supplier.
    if len(states) >= 2:  # partly confirmed: half of its first line
        line = states[1].lines.order_by("position").first()
        po_line_confirm(
            actor=purchaser,
            line=line,
            quantity=(line.quantity / 2).quantize(Decimal("1")) or line.quantity,
            promised_date=line.delivery_date,
            confirmed_by="供应商业务",
        )
    if len(states) >= 3:  # confirmed in full, then one line's date moved with the reason
        lines = list(states[2].lines.order_by("position"))
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
    if len(states) >= 4:  # confirmed for a date that has passed: late
        line = states[3].lines.order_by("position").first()
        po_line_confirm(
            actor=purchaser,
            line=line,
            quantity=line.quantity,
            promised_date=today - dt.timedelta(days=3),
            confirmed_by="供应商",
        )
    if len(states) >= 5:  # cancelled
        po_cancel(actor=purchaser, po=states[4], reason="客户取消订单，不再需要 (order cancelled)")


# ---------------------------------------------------------------- stand-in for the plan demo


def _stand_in_plan_lines(purchaser) -> None:
    """An approved purchase plan written as plain rows: two lines per supplier offer for the first
    suppliers, pegged to released orders. Replaced by the purchase plan demo at merge."""
    offers = list(
        SupplierMaterial.objects.filter(
            supplier__is_archived=False, supplier__is_approved=True, material__is_archived=False
        )
        .select_related("supplier", "material")
        .order_by("supplier__code", "material__code")
    )
    per_supplier: dict[int, list[SupplierMaterial]] = {}
    for offer in offers:
        mine = per_supplier.setdefault(offer.supplier_id, [])
        if len(mine) < 2:
            mine.append(offer)
    chosen = [o for group in list(per_supplier.values())[:SUPPLIERS_WANTED] for o in group]
    if not chosen:
        return
    orders = list(
        Order.objects.filter(status__in=[OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION]).order_by("pk")[:10]
    )
    today = timezone.localdate()
    plan = PurchasePlan(status=PlanStatus.DECIDED, created_by=purchaser, note="演示 (demo stand-in)")
    insert_numbered(plan, "CG")
    for n, offer in enumerate(chosen):
        quantity = max(offer.min_order_qty or Decimal(0), Decimal(100 * (n % 4 + 1)))
        line = PurchasePlanLine.objects.create(
            plan=plan,
            position=10 * (n + 1),
            material=offer.material,
            spec=offer.material.spec,
            quantity=quantity,
            order_by=today + dt.timedelta(days=n % 3),
            need_date=today + dt.timedelta(days=7 + 3 * n),
            supplier=offer.supplier,
            suggested_supplier=offer.supplier,
            unit_price=offer.unit_price,
            last_price=offer.unit_price,
            status=PlanLineStatus.APPROVED,
        )
        if orders:
            PlanLinePeg.objects.create(line=line, order=orders[n % len(orders)], quantity=quantity)
