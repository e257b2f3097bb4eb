"""Purchase plans (R-3.2): a draft from the requirements, and purchasing's adjustments of a draft
(its workflow is plans_flow.py). A draft proposes every requirement to buy that no open plan
version or newer purchase order covers yet (same material and need date)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.masterdata.models import Material, Supplier, SupplierMaterial

from .. import scorecard
from ..choices import (
    OPEN_PLAN_STATES,
    PlanLineStatus,
    PlanStatus,
    POLineStatus,
    RunTrigger,
)
from ..models import (
    MaterialRequirement,
    PlanLinePeg,
    POLineChange,
    PurchaseOrderLine,
    PurchasePlan,
    PurchasePlanLine,
    Receipt,
    RequirementPeg,
    RequirementRun,
)
from ..suggest import offers_for, suggest
from .common import insert_numbered
from .requirements import requirements_request

P, L = PlanStatus, PlanLineStatus
ZERO = Decimal(0)
REASON_MAX = 300
EDITABLE = ("quantity", "supplier", "unit_price", "order_by", "need_date", "spec", "note")


def plan_url(plan: PurchasePlan) -> str:
    return reverse("purchasing:plan_detail", args=[plan.pk])


# --- draft --------------------------------------------------------------------------------------


def covered_keys(run: RequirementRun) -> set[tuple[int, Any]]:
    """(material, need date) that an open plan version proposes or approves to buy, or that a
    purchase order made after the requirements were computed brings. Purchase orders that existed
    then are already netted in the requirements (purchasing/supply.py); an ordered plan line
    covers through its PO line, so cancelling that line leaves the need to be proposed again."""
    keys = set(
        PurchasePlanLine.objects.filter(
            plan__status__in=OPEN_PLAN_STATES, status__in=[L.PROPOSED, L.APPROVED]
        ).values_list("material_id", "need_date")
    )
    po_lines = PurchaseOrderLine.objects.exclude(status=POLineStatus.CANCELLED).filter(
        order__created_at__gte=run.created_at
    )
    keys |= set(po_lines.filter(plan_line__isnull=False).values_list("material_id", "plan_line__need_date"))
    keys |= set(po_lines.filter(plan_line__isnull=True).values_list("material_id", "delivery_date"))
    return keys


def supply_fell_since(run: RequirementRun) -> bool:
    """Did something the requirements counted on stop coming after they were computed: a PO line
    cancelled, reduced or moved, or goods rejected at inspection? Then their figures are too low."""
    return (
        POLineChange.objects.filter(changed_at__gte=run.created_at).exists()
        or Receipt.objects.filter(inspected_at__gte=run.created_at, rejected_qty__gt=0).exists()
    )


def last_prices(material_ids) -> dict[int, Decimal]:
    """Each material's latest purchase order line price, whatever the supplier."""
    found: dict[int, Decimal] = {}
    rows = (
        PurchaseOrderLine.objects.filter(material_id__in=list(material_ids), unit_price__isnull=False)
        .order_by("material_id", "-order__created_at", "-pk")
        .values_list("material_id", "unit_price")
    )
    for material, price in rows:
        if price is not None:
            found.setdefault(material, price)
    return found


def plan_draft(*, actor) -> PurchasePlan:
    """Version 1 of a new plan: every requirement of the newest computation with something to buy
    that no open plan version or purchase order covers yet, with its orders, a suggested supplier,
    the last and the current price."""
    from ..selectors import current_run

    require(actor, PurchasePlan, "add")
    run = current_run()
    if run is None:
        raise ValidationError(_("The requirements have not been computed yet."))
    if supply_fell_since(run):
        requirements_request(trigger=RunTrigger.CHANGE)
        raise ValidationError(
            _(
                "Purchase orders were changed or cancelled, or goods rejected, after the requirements "
                "were computed: they are being computed again. Draft the plan when they are done."
            )
        )
    today = timezone.localdate()
    with transaction.atomic():
        covered = covered_keys(run)
        requirements = [
            r
            for r in MaterialRequirement.objects.filter(run=run, to_buy__gt=0, material__is_archived=False)
            .select_related("material")
            .order_by("order_by", "need_date", "material__code", "pk")
            if (r.material_id, r.need_date) not in covered
        ]
        if not requirements:
            raise ValidationError(
                _("Nothing to propose: every requirement to buy is already in a plan or on order.")
            )
        materials = {r.material_id for r in requirements}
        offers = offers_for(materials)
        scores = scorecard.current_scores({o.supplier_id for rows in offers.values() for o in rows})
        last = last_prices(materials)
        plan = PurchasePlan(version=1, status=P.DRAFT, run=run, created_by=actor)
        insert_numbered(plan, "CG")
        lines = []
        for position, req in enumerate(requirements, start=1):
            order_by = req.order_by or req.need_date
            tip = suggest(
                offers.get(req.material_id, []),
                quantity=req.to_buy,
                order_by=order_by,
                need_date=req.need_date,
                today=today,
                scores=scores,
            )
            lines.append(
                PurchasePlanLine(
                    plan=plan,
                    position=position * 10,
                    material=req.material,
                    spec=req.material.spec,
                    quantity=tip.quantity if tip else req.to_buy,
                    order_by=order_by,
                    need_date=req.need_date,
                    supplier_id=tip.supplier_id if tip else None,
                    suggested_supplier_id=tip.supplier_id if tip else None,
                    suggestion_reason=tip.reason if tip else "none",
                    unit_price=tip.unit_price if tip else None,
                    last_price=last.get(req.material_id),
                )
            )
        PurchasePlanLine.objects.bulk_create(lines, batch_size=500)
        by_requirement = dict(zip((r.pk for r in requirements), lines, strict=True))
        shares = (
            RequirementPeg.objects.filter(requirement_id__in=list(by_requirement))
            .values("requirement_id", "order_id")
            .annotate(total=Sum("quantity"))
            .order_by("requirement_id", "order_id")
        )
        PlanLinePeg.objects.bulk_create(
            [
                PlanLinePeg(
                    line=by_requirement[s["requirement_id"]], order_id=s["order_id"], quantity=s["total"]
                )
                for s in shares
            ],
            batch_size=1000,
        )
        audit_record(
            actor=actor, obj=plan, action="create", note=lambda: _("%(n)s lines") % {"n": len(lines)}
        )
    return plan


# --- adjust (draft only) ------------------------------------------------------------------------


def _draft_plan(actor, plan_id: int) -> PurchasePlan:
    plan = PurchasePlan.objects.get_for(actor, "change", pk=plan_id)
    plan = PurchasePlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != P.DRAFT:
        raise WorkflowConflict(
            _("Plan %(plan)s is “%(status)s”: only a draft can be changed.")
            % {"plan": plan, "status": plan.get_status_display()}
        )
    return plan


def _editable_line(actor, line_id: int) -> PurchasePlanLine:
    line = PurchasePlanLine.objects.get_for(actor, "view", pk=line_id)
    _draft_plan(actor, line.plan_id)
    line = PurchasePlanLine.objects.select_related("material", "plan").get(pk=line.pk)
    if line.status != L.PROPOSED:
        raise WorkflowConflict(
            _("Line %(line)s is “%(status)s” and carried as it was: it cannot be changed.")
            % {"line": line.position, "status": line.get_status_display()}
        )
    return line


def _decimal(value, field: str, errors: dict, *, optional=False) -> Decimal | None:
    if value in (None, "") and optional:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = _("Enter a number.")
        return None
    if not number.is_finite() or number <= 0:
        errors[field] = _("Must be more than zero.")
        return None
    if abs(number) >= Decimal(10) ** 10 or number.as_tuple().exponent < -4:  # type: ignore[operator]
        errors[field] = _("At most ten digits before and four after the decimal point.")
        return None
    return number


def _supplier(value, errors: dict) -> Supplier | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Supplier) else value
    supplier = Supplier.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if supplier is None:
        errors["supplier"] = _("No such supplier.")
    elif supplier.is_archived or not supplier.is_approved:
        errors["supplier"] = _("Supplier %(supplier)s is archived or not approved.") % {"supplier": supplier}
        return None
    return supplier


def _clean(line: PurchasePlanLine, data: dict) -> dict:
    """The new values of `line` from `data` (only EDITABLE keys), or ValidationError naming each
    field; a new supplier brings his price unless a price is given."""
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    unknown = set(data) - set(EDITABLE)
    if unknown:
        errors.update({name: _("This field cannot be set here.") for name in sorted(unknown)})
    if "quantity" in data:
        values["quantity"] = _decimal(data["quantity"], "quantity", errors)
    if "unit_price" in data:
        values["unit_price"] = _decimal(data["unit_price"], "unit_price", errors, optional=True)
    if "supplier" in data:
        values["supplier"] = _supplier(data["supplier"], errors)
        if values["supplier"] is not None and "unit_price" not in data and "supplier" not in errors:
            offer = SupplierMaterial.objects.filter(
                supplier=values["supplier"], material_id=line.material_id, is_archived=False
            ).first()
            values["unit_price"] = offer.unit_price if offer else None
    for name in ("order_by", "need_date"):
        if name in data:
            if not data[name] or not hasattr(data[name], "isoformat"):
                errors[name] = _("Enter a date.")
            else:
                values[name] = data[name]
    for name, limit in (("spec", 200), ("note", 300)):
        if name in data:
            text = str(data[name] or "").strip()
            if len(text) > limit:
                errors[name] = _("At most %(n)s characters.") % {"n": limit}
            values[name] = text
    order_by = values.get("order_by", line.order_by)
    need_date = values.get("need_date", line.need_date)
    if order_by and need_date and order_by > need_date and not errors.keys() & {"order_by", "need_date"}:
        errors["order_by"] = _("The order-by date is after the need date.")
    if errors:
        raise ValidationError(errors)
    return values


def _snapshot(line: PurchasePlanLine) -> dict:
    return {name: str(getattr(line, f"{name}_id" if name == "supplier" else name)) for name in EDITABLE}


def plan_line_update(*, actor, line_id: int, data: dict) -> PurchasePlanLine:
    """Purchasing changes a proposed line of a draft: quantity, supplier, price, dates, text."""
    with transaction.atomic():
        line = _editable_line(actor, line_id)
        values = _clean(line, data)
        before = _snapshot(line)
        for name, value in values.items():
            setattr(line, name, value)
        line.save()
        audit_record(actor=actor, obj=line, action="update", before=before, after=_snapshot(line))
    return line


def plan_line_add(
    *,
    actor,
    plan_id: int,
    material,
    quantity,
    need_date,
    order_by=None,
    supplier=None,
    unit_price=None,
    note="",
) -> PurchasePlanLine:
    """Purchasing adds a line to a draft (it serves no order: management decides it)."""
    with transaction.atomic():
        plan = _draft_plan(actor, plan_id)
        pk = material.pk if isinstance(material, Material) else material
        found = Material.objects.filter(pk=pk).first() if str(pk).isdigit() else None
        if found is None or found.is_archived:
            raise ValidationError({"material": _("No such material, or it is archived.")})
        last = plan.lines.aggregate(n=Max("position"))["n"] or 0
        line = PurchasePlanLine(
            plan=plan,
            position=last + 10,
            material=found,
            spec=found.spec,
            quantity=Decimal(1),
            order_by=order_by or need_date,
            need_date=need_date,
            last_price=last_prices([found.pk]).get(found.pk),
        )
        data: dict[str, Any] = {
            "quantity": quantity,
            "need_date": need_date,
            "order_by": order_by or need_date,
        }
        data["note"] = note
        if supplier not in (None, ""):
            data["supplier"] = supplier
        if unit_price not in (None, ""):
            data["unit_price"] = unit_price
        for name, value in _clean(line, data).items():
            setattr(line, name, value)
        line.save()
        audit_record(actor=actor, obj=line, action="create")
    return line


def plan_line_remove(*, actor, line_id: int) -> None:
    with transaction.atomic():
        line = _editable_line(actor, line_id)
        audit_record(actor=actor, obj=line, action="delete", before=_snapshot(line))
        line.delete()
