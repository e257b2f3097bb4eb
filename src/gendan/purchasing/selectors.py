"""Reads of the material requirements, restricted to what the reader may see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from .choices import RunStatus
from .models import MaterialRequirement, RequirementPeg, RequirementRun

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
