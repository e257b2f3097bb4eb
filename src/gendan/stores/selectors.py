"""Reads of the warehouse's work on orders, restricted to what the reader may see: an order's
picking list, the orders waiting for material, the order lines whose finished goods wait to be
stocked in, and the issue and stock-in records."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, DecimalField, Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat

from gendan.inventory.models import StockLevel
from gendan.masterdata.models import Material
from gendan.orders.models import Order
from gendan.planning.models import OrderOperation, Plan, PlanMaterial

from .choices import ISSUABLE_ORDER_STATES, STOCK_IN_ORDER_STATES
from .models import FinishedGoodsIn, IssuedTotal, MaterialIssue, StockedInTotal
from .querysets import visible_orders

ZERO = Decimal(0)


def order_for(*, user, pk) -> Order | None:
    """The order if the user may see it (pages answer 404 otherwise)."""
    return visible_orders(user).select_related("customer").filter(pk=pk).first()


@dataclass
class Stock:
    warehouse: object
    on_hand: Decimal
    suggested: Decimal = ZERO  # what to take from here now


@dataclass
class PickRow:
    """One material of an order's picking list."""

    material: Material
    need_date: object = None
    required: Decimal = ZERO
    issued: Decimal = ZERO
    stock: list[Stock] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return max(self.required - self.issued, ZERO)

    @property
    def on_hand(self) -> Decimal:
        return sum((s.on_hand for s in self.stock), ZERO)

    @property
    def to_issue(self) -> Decimal:
        """What can be issued now: what is still needed, as far as the stock goes."""
        return min(self.remaining, self.on_hand)

    @property
    def short(self) -> Decimal:
        return self.remaining - self.to_issue


@dataclass
class PickingList:
    order: Order
    version: object  # the plan version in force, or None: not planned
    rows: list[PickRow]


def picking_list(*, user, order: Order) -> PickingList:
    """What to issue to the order per material (its plan in force: required with scrap, first need
    date), what it already has, what each warehouse holds and what to take from where now (the
    warehouses in code order). Materials issued beyond the plan are listed too (they can be
    returned). A fixed number of queries."""
    if not visible_orders(user).filter(pk=order.pk).exists():
        return PickingList(order, None, [])
    plan = Plan.objects.filter(order=order).select_related("in_force").first()
    version = plan.in_force if plan else None
    rows: dict[int, PickRow] = {}
    if version is not None:
        grouped: dict[int, list] = defaultdict(lambda: [ZERO, None])
        for row in PlanMaterial.objects.filter(version=version).values(
            "material_id", "quantity", "need_date"
        ):
            entry = grouped[row["material_id"]]
            entry[0] += row["quantity"]
            entry[1] = min(filter(None, [entry[1], row["need_date"]]))
        for material_id, (total, need_date) in grouped.items():
            rows[material_id] = PickRow(material=None, need_date=need_date, required=total)  # type: ignore[arg-type]
    for material_id, qty in IssuedTotal.objects.filter(order=order).values_list("material_id", "quantity"):
        if material_id in rows:
            rows[material_id].issued = qty
        elif qty:
            rows[material_id] = PickRow(material=None, issued=qty)  # type: ignore[arg-type]
    materials = Material.objects.in_bulk(list(rows))
    levels = (
        StockLevel.objects.filter(material_id__in=list(rows), quantity__gt=0, warehouse__is_archived=False)
        .select_related("warehouse")
        .order_by("warehouse__code")
    )
    for level in levels:
        rows[level.material_id].stock.append(Stock(level.warehouse, level.quantity))
    for material_id, row in rows.items():
        row.material = materials[material_id]
        left = row.to_issue
        for stock in row.stock:
            stock.suggested = min(left, stock.on_hand)
            left -= stock.suggested
    ordered = sorted(rows.values(), key=lambda r: (r.need_date is None, r.need_date, r.material.code))
    return PickingList(order, version, ordered)


@dataclass
class OrderToPick:
    order: Order
    first_need: object
    materials: int
    done: int  # materials fully issued


def orders_to_pick(*, user, q: str = "") -> list[OrderToPick]:
    """Released orders with a plan in force, the earliest need first, with how many of their
    materials are fully issued. Four queries for any number of orders."""
    orders = (
        visible_orders(user)
        .filter(status__in=ISSUABLE_ORDER_STATES, plan__in_force__isnull=False)
        .select_related("customer", "plan")
    )
    q = (q or "").strip()[:30]
    if q:
        orders = orders.filter(number__icontains=q)
    orders = list(orders.order_by("number")[:200])
    versions = {o.plan.in_force_id: o for o in orders}
    totals: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    firsts: dict[int, object] = {}
    for row in PlanMaterial.objects.filter(version_id__in=list(versions)).values(
        "version_id", "material_id", "quantity", "need_date"
    ):
        order = versions[row["version_id"]]
        totals[(order.pk, row["material_id"])] += row["quantity"]
        firsts[order.pk] = min(filter(None, [firsts.get(order.pk), row["need_date"]]))
    issued = {
        (o, m): q
        for o, m, q in IssuedTotal.objects.filter(order__in=orders).values_list(
            "order_id", "material_id", "quantity"
        )
    }
    result = []
    for order in orders:
        keys = [key for key in totals if key[0] == order.pk]
        done = sum(1 for key in keys if issued.get(key, ZERO) >= totals[key])
        result.append(OrderToPick(order, firsts.get(order.pk), len(keys), done))
    result.sort(key=lambda r: (r.done >= r.materials, r.first_need is None, r.first_need, r.order.number))
    return result


def issue_list(*, user) -> QuerySet[MaterialIssue]:
    return MaterialIssue.objects.restrict(user, "view").select_related(
        "order", "material", "warehouse", "created_by", "over_allowed_by"
    )


def finished_list(*, user) -> QuerySet[FinishedGoodsIn]:
    return FinishedGoodsIn.objects.restrict(user, "view").select_related(
        "order", "order_line", "product", "warehouse", "created_by"
    )


def waiting_to_stock_in(*, user, order: Order | None = None) -> QuerySet[OrderOperation]:
    """The last operations (top job, last sequence) of visible order lines that reported more good
    units than were stocked in, annotated with `stocked` and `waiting`."""
    if not FinishedGoodsIn.objects.all().role_allows(user, "view"):
        return OrderOperation.objects.none()
    later = OrderOperation.objects.filter(
        order_line=OuterRef("order_line"), job_key=OuterRef("job_key"), sequence__gt=OuterRef("sequence")
    )
    stocked = StockedInTotal.objects.filter(order_line=OuterRef("order_line")).values("quantity")[:1]
    qs = (
        OrderOperation.objects.filter(
            order__in=visible_orders(user).filter(status__in=STOCK_IN_ORDER_STATES).values("pk"),
            good_qty__gt=0,
        )
        .annotate(top=Concat(Value("L"), Cast("order_line_id", CharField()), output_field=CharField()))
        .filter(job_key=F("top"))
        .exclude(Exists(later))
        .annotate(
            stocked=Coalesce(
                Subquery(stocked), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=4)
            )
        )
        .filter(good_qty__gt=F("stocked"))
        .annotate(waiting=F("good_qty") - F("stocked"))
        .select_related("order", "order_line", "product")
        .order_by("order__number", "order_line__line_no")
    )
    if order is not None:
        qs = qs.filter(order=order)
    return qs
