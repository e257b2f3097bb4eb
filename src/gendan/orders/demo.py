"""Demo orders: about 60 orders of 粤顺电器's customers in every status, built through the real
services, so findings, clarifications, acknowledgements (some missing and chased), change requests,
versions, order copies and the timeline are all genuine. Built once: skipped if orders exist."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from gendan.core.demo import DemoPart
from gendan.masterdata.models import BomLine, Customer, Product, RoutingOperation

from . import services
from .choices import ChangeKind, OrderStatus, Priority, ReceivedVia
from .models import Acknowledgement, Order
from .services import review
from .services.changes import change_approvers

QUALITY = [
    "AQL 1.0 抽检，外观无划伤",
    "按客户样机验收，噪音 ≤ 55 dB",
    "CCC 认证，安规测试 100%",
    "出口 CE/ROHS，附检验报告",
]
PACKAGING = [
    "彩盒 + 五层瓦楞外箱，每箱 2 台",
    "白盒，每托 48 箱，缠绕膜",
    "客户唛头，英文说明书",
    "中性包装，外箱印客户 PO 号",
]

# (final status, how many)
PLAN = [
    (OrderStatus.DRAFT, 5),
    (OrderStatus.IN_REVIEW, 8),
    (OrderStatus.AWAITING_CLARIFICATION, 5),
    (OrderStatus.REVIEWED, 4),
    (OrderStatus.RELEASED, 12),
    (OrderStatus.IN_PRODUCTION, 9),
    # Shipped, delivered and closed come only from the delivery area's records (its demo, step 76).
    (OrderStatus.READY_TO_SHIP, 12),
    (OrderStatus.ON_HOLD, 3),
    (OrderStatus.CANCELLED, 2),
]
REVIEWED_OR_LATER = {
    OrderStatus.REVIEWED,
    OrderStatus.RELEASED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.READY_TO_SHIP,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.CLOSED,
}


def _sellable_products():
    has_routing = Exists(RoutingOperation.objects.filter(product=OuterRef("pk"), is_archived=False))
    has_bom = Exists(BomLine.objects.filter(parent=OuterRef("pk"), is_archived=False))
    return list(
        Product.objects.filter(is_archived=False, kind="finished")
        .filter(has_routing, has_bom)
        .order_by("code")
    )


def _lines(rng: random.Random, products, today: dt.date, *, clean: bool, spoil: str = "") -> list[dict]:
    lines = []
    for n in range(rng.randint(1, 3)):
        product = rng.choice(products)
        lead = product.lead_time_days
        lines.append(
            {
                "product": product,
                "quantity": Decimal(rng.choice([100, 150, 200, 300, 400, 500, 600, 800, 1000])),
                "unit_price": Decimal(rng.choice([68, 79, 95, 120, 135, 168, 199, 260])),
                "delivery_date": today + dt.timedelta(days=lead + rng.randint(10, 60)),
                "quality_requirements": rng.choice(QUALITY),
                "packaging_requirements": rng.choice(PACKAGING),
                "line_no": n + 1,
            }
        )
    if not clean:
        line = lines[0]
        if spoil == "past":
            line["delivery_date"] = today - dt.timedelta(days=3)
        elif spoil == "short":
            line["delivery_date"] = today + dt.timedelta(days=max(1, line["product"].lead_time_days // 3))
        elif spoil == "unknown":
            line["product"] = None
            line["product_code"] = "FS-45X"
        elif spoil == "spec":
            line["spec"] = "110V 60Hz"
        elif spoil == "packaging":
            line["packaging_requirements"] = ""
        elif spoil == "qty":
            line["quantity"] = Decimal(0)
    return lines


def build_orders(*, users, **_earlier) -> DemoPart:
    """The demo's orders, in every status (after the people and the master data, see core.demo)."""
    if Order.objects.exists():
        return DemoPart(counts={"orders": Order.objects.count()})
    counts = _build(users)
    # The orders still under review get their check from the worker once the demo is running.
    for order in Order.objects.filter(status__in=[OrderStatus.IN_REVIEW, OrderStatus.AWAITING_CLARIFICATION]):
        review.request_capacity_check(order)
    return DemoPart(counts=counts)


def _build(users) -> dict[str, int]:
    products = _sellable_products()
    customers = list(
        Customer.objects.filter(is_archived=False).select_related("merchandiser").order_by("code")
    )
    if not products or not customers:
        return {"orders": 0}
    rng = random.Random(20261125)
    today = timezone.localdate()
    spoils = ["past", "short", "unknown", "spec", "packaging", "qty"]
    planner, purchaser, inspector = users["planner"], users["purchaser"], users["inspector"]
    ackers = {"production": planner, "purchasing": purchaser, "quality": inspector}
    order_no = 0
    for status, count in PLAN:
        for _ in range(count):
            order_no += 1
            customer = customers[order_no % len(customers)]
            if customer.credit_status == "hold" and status in REVIEWED_OR_LATER:
                customer = customers[(order_no + 1) % len(customers)]
            owner = customer.merchandiser or users["merchandiser"]
            clean = (
                status in REVIEWED_OR_LATER
                or status in (OrderStatus.DRAFT, OrderStatus.CANCELLED)
                and rng.random() < 0.6
            )
            with transaction.atomic():
                order = services.order_create(
                    actor=owner,
                    data={
                        "customer": customer,
                        "customer_po": f"PO{today:%y}{order_no:04d}" if order_no % 17 else "",
                        "merchandiser": owner,
                        "priority": rng.choice(
                            [Priority.NORMAL] * 5 + [Priority.HIGH, Priority.URGENT, Priority.LOW]
                        ),
                        "received_via": rng.choice(
                            [ReceivedVia.EMAIL, ReceivedVia.EMAIL, ReceivedVia.PAPER, ReceivedVia.EXCEL]
                        ),
                        "received_on": today - dt.timedelta(days=rng.randint(0, 20)),
                    },
                    lines=_lines(rng, products, today, clean=clean, spoil=spoils[order_no % len(spoils)]),
                )
                _drive(order, status, owner, rng, ackers)
    _age_acknowledgements(rng)
    services.acknowledgements_chase()
    return {"orders": Order.objects.count()}


def _resolve_all(order, owner) -> None:
    for finding in order.findings.all():
        if finding.is_open:
            services.finding_resolve(
                actor=owner, finding_id=finding.pk, resolution="已与客户电话确认，按订单执行"
            )


def _drive(order, status, owner, rng, ackers) -> None:
    """Take a fresh draft to `status` the way people would."""
    if status == OrderStatus.DRAFT:
        return
    if status == OrderStatus.CANCELLED:
        services.order_cancel(actor=owner, order_id=order.pk, reason="客户取消采购计划")
        return
    # Sixty capacity checks at once would keep the worker busy for minutes after `gendan demo`
    # starts; demo orders are built without them (the ones under review get theirs below).
    services.order_submit(actor=owner, order_id=order.pk, check_capacity=False)
    if status == OrderStatus.IN_REVIEW:
        if rng.random() < 0.4 and order.findings.exists():
            clar = services.clarification_ask(
                actor=owner,
                order_id=order.pk,
                finding_ids=[f.pk for f in order.findings.all() if f.is_open][:2],
                question="请确认交货日期和规格，我方标准交期较长。",
                channel="email",
                contact="采购经理",
            )
            services.clarification_answer(
                actor=owner, clarification_id=clar.pk, answer="交期可顺延两周，规格按贵司标准。"
            )
        return
    if status == OrderStatus.AWAITING_CLARIFICATION:
        open_ids = [f.pk for f in order.findings.all() if f.is_open]
        services.clarification_ask(
            actor=owner,
            order_id=order.pk,
            finding_ids=open_ids[:3],
            question="订单有以下问题需要贵司确认，请回复：\n"
            + "\n".join(f"- {f.message}" for f in order.findings.all() if f.is_open),
            channel=rng.choice(["email", "wechat", "phone"]),
            contact="客户采购",
        )
        return
    if status == OrderStatus.ON_HOLD and rng.random() < 0.5:
        _resolve_all(order, owner)
        services.order_mark_reviewed(actor=owner, order_id=order.pk, require_capacity_check=False)
        services.order_hold(actor=owner, order_id=order.pk, reason="客户要求暂缓，等待付款")
        return
    _resolve_all(order, owner)
    services.order_mark_reviewed(actor=owner, order_id=order.pk, require_capacity_check=False)
    if status == OrderStatus.REVIEWED:
        return
    services.order_release(actor=owner, order_id=order.pk)
    order.refresh_from_db()
    acks = list(order.acknowledgements.select_related("department"))
    missing = status == OrderStatus.RELEASED and rng.random() < 0.7
    for ack in acks:
        if missing and rng.random() < 0.6:
            continue
        services.acknowledgement_confirm(actor=ackers.get(ack.department.kind, owner), ack_id=ack.pk)
    if status == OrderStatus.ON_HOLD:
        change = services.change_request_create(
            actor=owner, order_id=order.pk, kind=ChangeKind.HOLD, reason="客户仓库满，要求暂停生产两周"
        )
        services.change_request_approve(actor=_approver(change), change_id=change.pk, note="同意")
        return
    if status == OrderStatus.RELEASED:
        roll = rng.random()
        line = order.lines.first()
        if roll < 0.25:
            services.change_request_create(
                actor=owner,
                order_id=order.pk,
                kind=ChangeKind.QUANTITY,
                line_id=line.pk,
                new_value=str(line.quantity + 500),
                reason="客户追加 500 台",
                customer_reference="邮件 " + order.customer_po,
            )
        elif roll < 0.45:
            change = services.change_request_create(
                actor=owner,
                order_id=order.pk,
                kind=ChangeKind.DELIVERY_DATE,
                line_id=line.pk,
                new_value=(line.delivery_date + dt.timedelta(days=14)).isoformat(),
                reason="客户要求延期两周交货",
            )
            services.change_request_approve(
                actor=_approver(change), change_id=change.pk, note="生产计划可调整"
            )
        elif roll < 0.55:
            change = services.change_request_create(
                actor=owner,
                order_id=order.pk,
                kind=ChangeKind.PACKAGING,
                line_id=line.pk,
                new_value="改为客户指定彩盒，每箱 1 台",
                reason="客户更换包装设计",
            )
            services.change_request_reject(
                actor=_approver(change), change_id=change.pk, note="包材已采购，本批次无法更改，下批执行"
            )
        return
    for step in (OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION):
        if status == step:
            return
        order.refresh_from_db()
        services.order_advance(actor=owner, order_id=order.pk, expected=order.status)
        order.refresh_from_db()
        if order.status == status:
            return


def _approver(change):
    """A second person decides the customer's change: the merchandiser's manager, or management."""
    return change_approvers(change)[0]


def _age_acknowledgements(rng: random.Random) -> None:
    """Demo orders were all released a moment ago; spread the requests over the past days so the
    missing acknowledgements are overdue, reminded and escalated as they would be in real life."""
    now = timezone.now()
    for ack in Acknowledgement.objects.filter(acknowledged_at__isnull=True):
        Acknowledgement.objects.filter(pk=ack.pk).update(
            requested_at=now - dt.timedelta(hours=rng.choice([2, 6, 20, 30, 50, 75]))
        )
