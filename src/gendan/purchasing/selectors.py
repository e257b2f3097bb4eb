"""Reads of the material requirements and of an order's materials, restricted to what the reader
may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.choices import Role
from gendan.core.attention import AttentionItem
from gendan.orders.engine_adapter import LOADING_STATES
from gendan.orders.models import Order
from gendan.planning.models import Plan, PlanMaterial

from .choices import ReceiptStatus, RunStatus
from .models import (
    MaterialRequirement,
    PlanLinePeg,
    PurchaseOrderLine,
    Receipt,
    RequirementPeg,
    RequirementRun,
)
from .supply import OPEN_LINE_STATES, OPEN_PO_STATES

ZERO = Decimal(0)


def current_run() -> RequirementRun | None:
    """The newest finished computation: the requirements in use."""
    return RequirementRun.objects.filter(status=RunStatus.DONE).order_by("-pk").first()


def latest_run() -> RequirementRun | None:
    """The newest computation, finished or not (the page shows one under way)."""
    return RequirementRun.objects.order_by("-pk").first()


def requirement_list(*, user, filters=None, request=None) -> QuerySet[MaterialRequirement]:
    from .filters import RequirementFilter

    run = current_run()
    qs = (
        MaterialRequirement.objects.restrict(user, "view")
        .filter(run=run)
        .select_related("material")
        .prefetch_related(
            Prefetch(
                "pegs",
                queryset=RequirementPeg.objects.restrict(user, "view")
                .select_related("order")
                .order_by("order__number", "order_line_id"),
            )
        )
    )
    if filters is not None:
        qs = RequirementFilter(filters, queryset=qs, request=request).qs
    return qs


@dataclass
class OrderMaterial:
    """One material of an order: what the order needs of it, and when, and whether it is covered."""

    material: object
    quantity: Decimal = ZERO
    first_need: object = None
    to_buy: bool = False
    late: bool = False
    order_by: object = None
    needs: list[MaterialRequirement] = field(default_factory=list)


def order_materials(*, user, order) -> list[OrderMaterial]:
    """The order's materials (R-3.1, every order shows its materials): its share of each
    requirement, with the requirement's cover."""
    run = current_run()
    pegs = (
        RequirementPeg.objects.restrict(user, "view")
        .filter(order=order, requirement__run=run)
        .select_related("requirement__material")
        .order_by("requirement__material__code", "requirement__need_date")
    )
    found: dict[int, OrderMaterial] = defaultdict(lambda: OrderMaterial(material=None))
    for peg in pegs:
        req = peg.requirement
        row = found[req.material_id]
        row.material = req.material
        row.quantity += peg.quantity
        row.first_need = min(filter(None, [row.first_need, req.need_date]))
        row.needs.append(req)
        if req.net > 0:
            row.to_buy = True
            row.order_by = min(filter(None, [row.order_by, req.order_by])) if req.order_by else row.order_by
        row.late = row.late or req.late
    return sorted(found.values(), key=lambda m: (not m.late, not m.to_buy, m.material.code))


@dataclass
class OnOrderLine:
    """A PO line bought for the order: its number, what is still to come and when."""

    line: PurchaseOrderLine
    for_order: Decimal  # the order's share of the purchase
    open_qty: Decimal
    arrives: dt.date
    late: bool


@dataclass
class MaterialStatus:
    """One material an order needs (R-3.5, issue item 8): required, available from stock, on order
    (its PO lines and dates), late, in inspection, rejected, short (the kit check of its plan in
    force) and when the shortage is covered."""

    material: object
    required: Decimal = ZERO
    need_date: dt.date | None = None
    available: Decimal = ZERO
    lines: list[OnOrderLine] = field(default_factory=list)
    in_inspection: Decimal = ZERO
    rejected: Decimal = ZERO
    short: Decimal = ZERO
    covered_on: dt.date | None = None
    checked: bool = False  # the kit check ran (a plan in force); else only the requirements know

    @property
    def on_order(self) -> Decimal:
        return sum((ln.open_qty for ln in self.lines), ZERO)

    @property
    def late(self) -> Decimal:
        return sum((ln.open_qty for ln in self.lines if ln.late), ZERO)


def order_for_materials(*, user, pk) -> Order:
    """The order, if the user may see it (a 404 otherwise: Order.DoesNotExist)."""
    return Order.objects.restrict(user, "view").select_related("customer", "merchandiser").get(pk=pk)


def order_material_status(*, user, order: Order, today: dt.date | None = None) -> list[MaterialStatus]:
    """Each material the order needs: from the kit check of its plan in force, or (not planned yet)
    from its share of the requirements; the PO lines bought for it, receipts in inspection and
    rejected. A fixed number of queries, whatever the number of materials."""
    today = today or timezone.localdate()
    found: dict[int, MaterialStatus] = {}
    version_id = Plan.objects.filter(order=order).values_list("in_force_id", flat=True).first()
    if version_id:
        rows = PlanMaterial.objects.filter(version_id=version_id).select_related("material")
        for row in rows.order_by("need_date", "pk"):
            m = found.setdefault(row.material_id, MaterialStatus(row.material, checked=True))
            m.required += row.quantity
            m.need_date = m.need_date or row.need_date
            m.available = max(row.on_hand - row.allocated, ZERO)  # the same for each row
            m.short += row.shortage
            if row.shortage and row.covered_on and (m.covered_on is None or row.covered_on > m.covered_on):
                m.covered_on = row.covered_on
        for m in found.values():
            m.available = min(m.available, m.required)
    else:
        pegs = (
            RequirementPeg.objects.restrict(user, "view")
            .filter(order=order, requirement__run=current_run())
            .select_related("requirement__material")
            .order_by("requirement__need_date", "pk")
        )
        for peg in pegs:
            req = peg.requirement
            m = found.setdefault(req.material_id, MaterialStatus(req.material))
            m.required += peg.quantity
            m.need_date = m.need_date or req.need_date
            if req.gross:  # the order's share of what stock gives the requirement
                m.available += (req.from_stock * peg.quantity / req.gross).quantize(Decimal("0.0001"))
    pegs = (
        PlanLinePeg.objects.filter(order=order, line__po_line__isnull=False)
        .filter(
            line__po_line__status__in=OPEN_LINE_STATES,
            line__po_line__order__status__in=OPEN_PO_STATES,
        )
        .select_related("line__po_line__order", "line__po_line__material")
        .annotate(arrives=Coalesce("line__po_line__expected_date", "line__po_line__delivery_date"))
        .order_by("arrives", "pk")
    )
    for peg in pegs:
        line = peg.line.po_line
        m = found.setdefault(line.material_id, MaterialStatus(line.material))
        if line.open_qty > 0:
            m.lines.append(OnOrderLine(line, peg.quantity, line.open_qty, peg.arrives, peg.arrives < today))
    served = PlanLinePeg.objects.filter(order=order).values("line__po_line")
    receipts = (
        Receipt.objects.filter(line__in=served)
        .values("line__material_id", "status")
        .annotate(q=Sum("quantity"), a=Sum("accepted_qty"), r=Sum("rejected_qty"))
    )
    for row in receipts:
        m = found.get(row["line__material_id"])
        if m is None:
            continue
        if row["status"] == ReceiptStatus.IN_INSPECTION:
            m.in_inspection += row["q"] - row["a"] - row["r"]
        m.rejected += row["r"] or ZERO
    return sorted(
        found.values(),
        key=lambda m: (not m.short, not m.late, m.need_date or dt.date.max, m.material.code),
    )


def orders_short(*, user) -> QuerySet[Order]:
    """The open orders the user may see whose plan in force is short of a material."""
    short = PlanMaterial.objects.filter(
        version__plan__order=OuterRef("pk"), version__plan__in_force=F("version"), shortage__gt=0
    )
    return (
        Order.objects.restrict(user, "view")
        .filter(status__in=LOADING_STATES)
        .filter(Exists(short))
        .select_related("customer")
        .order_by("number")
    )


def materials_attention(user) -> list[AttentionItem]:
    """The merchandiser's home: his orders short of material, each linked to its materials."""
    if user.role != Role.MERCHANDISER or not user.has_perm("purchasing.view_materialrequirement"):
        return []
    orders = orders_short(user=user).filter(merchandiser=user)
    count = orders.count()
    if not count:
        return []
    examples = [
        (f"{o.number} · {o.customer.local_name}", reverse("purchasing:order_materials", args=[o.pk]))
        for o in orders[:5]
    ]
    return [
        AttentionItem(
            _("Orders short of material"),
            count,
            reverse("purchasing:order_materials", args=[orders[0].pk]),
            examples,
            "danger",
        )
    ]
