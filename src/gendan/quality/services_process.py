"""In-process and final inspection's writes (R-4.2). Tasks appear when the shop floor reports good
units (`report_made`, registered as its report listener) or are created by hand; an inspector
starts one (the sample size and Ac/Re are fixed from the plan then), records measurements per
plan item and sample unit, defects and photos, and completes it: the lot passes with at most Ac
defective units (a unit with any value out of limits is defective), fails with Re or more. A
failure tells production and the merchandiser. A passed final inspection lets its lot be stocked
in (`final_stock_in_refusal`, the stores' gate)."""

import logging
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind
from gendan.accounts.models import Department, User
from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.core.uploads import files_removed_on_rollback, save_file
from gendan.notifications.services import notify
from gendan.orders.models import OrderLine
from gendan.planning.models import OrderOperation
from gendan.stores.services import last_operation, stocked_in_of

from .choices import PROCESS_TRANSITIONS, CharacteristicKind, CheckFrequency, ProcessKind, ProcessStatus
from .models import DefectCode
from .models_plans import MAX_UNITS, InspectionPlan, InspectionPlanItem
from .models_process import ProcessDefect, ProcessInspection, ProcessMeasurement, ProcessPhoto
from .services import check_photo
from .services_nc import nc_open

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- which plan


def plan_for(*, product_id: int | None, routing_operation_id: int | None) -> InspectionPlan | None:
    """The plan in force for a product at a routing operation (None: its final inspection)."""
    if product_id is None:
        return None
    return InspectionPlan.objects.filter(
        is_archived=False, product_id=product_id, routing_operation_id=routing_operation_id
    ).first()


def has_final_plan(product_id: int | None) -> bool:
    return (
        product_id is not None
        and InspectionPlan.objects.filter(
            is_archived=False, product_id=product_id, routing_operation__isnull=True
        ).exists()
    )


def sampling_of(plan: InspectionPlan, lot: int) -> tuple[int, int, int]:
    """Sample size, Ac and Re for a lot: the most units any item asks for; the strictest Ac of the
    sampling items (no sampling item: no defective unit is accepted)."""
    items = list(plan.items.filter(is_archived=False))
    if not items:
        raise ValidationError({"plan": _("The inspection plan has no items: add what is checked first.")})
    size = max(item.sample_size(lot) for item in items)
    plans = [item.sampling_plan(lot) for item in items if item.frequency == CheckFrequency.SAMPLING]
    if not plans:
        return size, 0, 1
    strictest = min(plans, key=lambda p: (p.accept, p.reject))
    return size, strictest.accept, strictest.reject


# ---------------------------------------------------------------- tasks


def _lot(value: Any) -> int:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"lot_quantity": _("Lot quantity: enter a whole number.")}) from None
    if not number.is_finite() or number < 1:
        raise ValidationError({"lot_quantity": _("The lot quantity must be at least 1.")})
    if number > MAX_UNITS:
        raise ValidationError({"lot_quantity": _("The lot quantity is too large.")})
    return math.ceil(number)


def _task(
    *,
    actor,
    kind: str,
    line: OrderLine,
    operation: OrderOperation | None,
    plan,
    lot: int,
    add_to_pending: bool,
):
    """A pending task; reports made before anyone starts it add to its lot (one task per step)."""
    pending = ProcessInspection.objects.filter(
        kind=kind, order_line=line, operation=operation, plan=plan, status=ProcessStatus.PENDING
    )
    if add_to_pending:
        found = pending.order_by("pk").first()
        if found and ProcessInspection.objects.filter(pk=found.pk, status=ProcessStatus.PENDING).update(
            lot_quantity=F("lot_quantity") + lot
        ):
            found.refresh_from_db()
            return found
    task = ProcessInspection.objects.create(
        kind=kind, order=line.order, order_line=line, operation=operation, plan=plan, lot_quantity=lot
    )
    audit_record(actor=actor, obj=task, action="create", scope=line.order.scope)
    return task


def report_made(report) -> list[ProcessInspection]:
    """The shop floor's report listener (after its commit): good units of an operation with a plan
    wait for in-process inspection; good units of an order line's last operation wait for final
    inspection when the product has a final inspection plan."""
    if report.reverses_id is not None or report.good_qty <= 0:
        return []
    made = []
    with transaction.atomic():
        op = OrderOperation.objects.select_related("order_line__order").get(pk=report.operation_id)
        line, lot = op.order_line, _lot(report.good_qty)
        # A plan covers the units reported after it was made (the demo's, made later, none before).
        if op.routing_operation_id is not None:
            plan = plan_for(product_id=op.product_id, routing_operation_id=op.routing_operation_id)
            if plan is not None and plan.created_at <= report.reported_at:
                made.append(
                    _task(
                        actor=None,
                        kind=ProcessKind.IN_PROCESS,
                        line=line,
                        operation=op,
                        plan=plan,
                        lot=lot,
                        add_to_pending=True,
                    )
                )
        last = last_operation(line)
        if last is not None and last.pk == op.pk:
            plan = plan_for(product_id=line.product_id, routing_operation_id=None)
            if plan is not None and plan.created_at <= report.reported_at:
                made.append(
                    _task(
                        actor=None,
                        kind=ProcessKind.FINAL,
                        line=line,
                        operation=None,
                        plan=plan,
                        lot=lot,
                        add_to_pending=True,
                    )
                )
    return made


def process_inspection_create(
    *, actor, kind: str, order_line_id: Any, lot_quantity: Any, operation_id: Any = None
) -> ProcessInspection:
    """An inspection asked for by hand (a patrol check, a re-inspection): in-process at one of the
    line's operations, or final; the product's plan for it must exist."""
    require(actor, ProcessInspection, "add")
    if kind not in ProcessKind.values:
        raise ValidationError({"kind": _("Choose in-process or final inspection.")})
    lot = _lot(lot_quantity)
    line = (
        OrderLine.objects.restrict(actor, "view")
        .select_related("order")
        .filter(pk=_pk(order_line_id))
        .first()
    )
    if line is None or line.is_cancelled:
        raise ValidationError({"order_line": _("No such order line.")})
    operation = None
    if kind == ProcessKind.IN_PROCESS:
        operation = OrderOperation.objects.filter(pk=_pk(operation_id), order_line=line).first()
        if operation is None:
            raise ValidationError({"operation": _("Choose an operation of this order line.")})
        plan = plan_for(product_id=operation.product_id, routing_operation_id=operation.routing_operation_id)
        if operation.routing_operation_id is None or plan is None:
            raise ValidationError({"operation": _("This operation has no inspection plan.")})
    else:
        plan = plan_for(product_id=line.product_id, routing_operation_id=None)
        if plan is None:
            raise ValidationError({"order_line": _("This product has no final inspection plan.")})
    with transaction.atomic():
        return _task(
            actor=actor, kind=kind, line=line, operation=operation, plan=plan, lot=lot, add_to_pending=False
        )


def _pk(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**31 else 0


# ---------------------------------------------------------------- the inspection


def _move(inspection: ProcessInspection, to: str, **values) -> None:
    """A transition by the table, as a conditional update: the loser of a race is told."""
    before = inspection.status
    if to not in PROCESS_TRANSITIONS[before]:
        raise WorkflowConflict(
            _("This inspection is “%(status)s”: it cannot be changed so.")
            % {"status": inspection.get_status_display()}
        )
    if not ProcessInspection.objects.filter(pk=inspection.pk, status=before).update(status=to, **values):
        raise WorkflowConflict(_("Someone else has just changed this inspection: reload the page."))
    inspection.refresh_from_db()


def process_inspection_start(*, actor, inspection_id: Any) -> ProcessInspection:
    """Start a pending inspection: the sample size and Ac/Re are fixed from the plan and the lot."""
    with transaction.atomic():
        inspection = ProcessInspection.objects.get_for(actor, "change", pk=_pk(inspection_id))
        size, ac, re = sampling_of(inspection.plan, inspection.lot_quantity)
        _move(
            inspection,
            ProcessStatus.IN_PROGRESS,
            sample_size=size,
            accept_number=ac,
            reject_number=re,
            inspector=actor,
            started_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            obj=inspection,
            action="inspection_start",
            changes={
                "status": [ProcessStatus.PENDING, ProcessStatus.IN_PROGRESS],
                "sample_size": [None, size],
            },
            scope=inspection.order.scope,
        )
    return inspection


def _open(actor, inspection_id: Any) -> ProcessInspection:
    inspection = ProcessInspection.objects.get_for(actor, "change", pk=_pk(inspection_id))
    if inspection.status != ProcessStatus.IN_PROGRESS:
        raise WorkflowConflict(_("Start the inspection first; a completed one cannot be changed."))
    return inspection


# Units whose readings may fall below zero though a plan's limits do not (a cold store at 2–8 ℃).
SIGNED_UNITS = frozenset({"°c", "℃", "°f", "℉", "degc", "degf"})


def _value(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"value": _("Value: enter a number.")}) from None
    if not number.is_finite():  # NaN, Infinity
        raise ValidationError({"value": _("Value: enter a number.")})
    if abs(number) >= Decimal(10) ** 10:
        raise ValidationError(
            {
                "value": _("Value: %(value)s is beyond anything measured; check the value and its unit.")
                % {"value": str(value).strip()[:30]}
            }
        )
    return number.quantize(Decimal("0.0001"))


def _impossible(item: InspectionPlanItem, number: Decimal) -> str | None:
    """Why a measured value cannot be a reading of the item, or None: below zero where the plan's
    limits are not (a length, a weight, a hardness: a slip of the sign), or far outside any
    plausible value (a slip of the decimal point or the unit)."""
    if number < 0 <= item.lower_limit and item.unit.strip().lower() not in SIGNED_UNITS:
        return _("%(value)s: %(item)s cannot be below zero (%(limits)s); check the sign.") % {
            "value": format(number.normalize(), "f"),
            "item": item.characteristic,
            "limits": item.limits_text,
        }
    if not item.plausible(number):
        return _(
            "%(value)s is far outside anything plausible for %(item)s (%(limits)s): "
            "check the value and its unit."
        ) % {
            "value": format(number.normalize(), "f"),
            "item": item.characteristic,
            "limits": item.limits_text,
        }
    return None


def process_measurement_record(
    *, actor, inspection_id: Any, item_id: Any, unit_no: Any, value: Any = None, ok: Any = None
) -> ProcessMeasurement:
    """What one sample unit showed for one plan item: a measured value (outside the limits it is
    flagged; implausibly far from the nominal it is refused as a typing error) or pass/fail.
    Recording the same unit again replaces the value."""
    with transaction.atomic():
        inspection = _open(actor, inspection_id)
        item = InspectionPlanItem.objects.filter(
            pk=_pk(item_id), plan_id=inspection.plan_id, is_archived=False
        ).first()
        if item is None:
            raise ValidationError({"item": _("Choose a characteristic of this inspection's plan.")})
        unit = _pk(unit_no)
        if not 1 <= unit <= inspection.sample_size:
            raise ValidationError(
                {"unit_no": _("Sample unit: a number from 1 to %(n)s.") % {"n": inspection.sample_size}}
            )
        if item.kind == CharacteristicKind.MEASURED:
            if value is None or str(value).strip() == "":
                raise ValidationError({"value": _("Enter the measured value.")})
            number = _value(value)
            why = _impossible(item, number)
            if why:
                raise ValidationError({"value": why})
            passed = item.within(number)
        else:
            if ok in (None, ""):
                raise ValidationError({"ok": _("Say whether the unit passed.")})
            number, passed = None, str(ok).lower() in ("1", "true", "on", "yes", "pass")
        found, created = ProcessMeasurement.objects.update_or_create(
            inspection=inspection,
            item=item,
            unit_no=unit,
            defaults={"value": number, "ok": passed, "recorded_by": actor},
        )
        _recount(inspection)
        audit_record(
            actor=actor, obj=found, action="create" if created else "update", scope=inspection.order.scope
        )
    return found


def process_defect_add(
    *, actor, inspection_id: Any, code_id: Any, count: Any, note: str = ""
) -> ProcessDefect:
    try:
        number = int(str(count).strip())
    except (TypeError, ValueError):
        raise ValidationError({"count": _("Count: enter a whole number.")}) from None
    if not 1 <= number <= 10**9:
        raise ValidationError({"count": _("Count: a whole number from 1.")})
    with transaction.atomic():
        inspection = _open(actor, inspection_id)
        code = DefectCode.objects.filter(pk=_pk(code_id), is_archived=False).first()
        if code is None:
            raise ValidationError({"code": _("Choose a defect code from the list.")})
        defect = ProcessDefect.objects.create(
            inspection=inspection, code=code, count=number, note=(note or "")[:300], recorded_by=actor
        )
        _recount(inspection)
        audit_record(actor=actor, obj=defect, action="create", scope=inspection.order.scope)
    return defect


def process_defect_remove(*, actor, inspection_id: Any, defect_id: Any) -> None:
    with transaction.atomic():
        inspection = _open(actor, inspection_id)
        defect = ProcessDefect.objects.filter(pk=_pk(defect_id), inspection=inspection).first()
        if defect is None:
            raise ValidationError({"defect": _("No such defect on this inspection.")})
        audit_record(actor=actor, obj=defect, action="delete", note=str(defect), scope=inspection.order.scope)
        defect.delete()
        _recount(inspection)


def process_photo_add(*, actor, inspection_id: Any, upload) -> ProcessPhoto:
    """A photo, checked like an incoming inspection's (an image, not too large, a generated name)."""
    check_photo(upload)
    with files_removed_on_rollback(), transaction.atomic():
        inspection = _open(actor, inspection_id)
        photo = ProcessPhoto(
            inspection=inspection,
            original_name=(upload.name or "photo")[:255],
            size=upload.size or 0,
            uploaded_by=actor,
        )
        save_file(photo.file, upload.name or "photo.jpg", upload)
        photo.save()
        audit_record(actor=actor, obj=photo, action="create", scope=inspection.order.scope)
    return photo


def defective_units(inspection: ProcessInspection) -> int:
    """Units with any measured value out of limits (or failed), plus the defects counted."""
    failed_units = (
        ProcessMeasurement.objects.filter(inspection=inspection, ok=False)
        .values("unit_no")
        .distinct()
        .count()
    )
    counted = ProcessDefect.objects.filter(inspection=inspection).aggregate(n=Sum("count"))["n"] or 0
    return failed_units + counted


def _recount(inspection: ProcessInspection) -> int:
    total = defective_units(inspection)
    ProcessInspection.objects.filter(pk=inspection.pk).update(nonconforming=total)
    inspection.nonconforming = total
    return total


def process_inspection_complete(*, actor, inspection_id: Any, note: str = "") -> ProcessInspection:
    """Decide the lot against the plan: passed with at most Ac defective units, failed with Re or
    more. Every measured item needs at least one value. Of two inspectors deciding at once, one
    wins. A failure tells production and the order's merchandiser."""
    with transaction.atomic():
        inspection = ProcessInspection.objects.get_for(actor, "change", pk=_pk(inspection_id))
        if inspection.status != ProcessStatus.IN_PROGRESS:
            raise WorkflowConflict(
                _("This inspection is “%(status)s”: it cannot be completed.")
                % {"status": inspection.get_status_display()}
            )
        measured = set(
            ProcessMeasurement.objects.filter(inspection=inspection).values_list("item_id", flat=True)
        )
        missing = [
            item.characteristic
            for item in inspection.plan.items.filter(is_archived=False, kind=CharacteristicKind.MEASURED)
            if item.pk not in measured
        ]
        if missing:
            raise ValidationError(
                {"item": _("Record a value for: %(items)s.") % {"items": ", ".join(missing)}}
            )
        found = _recount(inspection)
        to = ProcessStatus.PASSED if found <= inspection.accept_number else ProcessStatus.FAILED
        _move(inspection, to, note=(note or "")[:2000], completed_at=timezone.now())
        audit_record(
            actor=actor,
            obj=inspection,
            action="complete",
            changes={"status": [ProcessStatus.IN_PROGRESS, to], "nonconforming": [None, found]},
            scope=inspection.order.scope,
        )
        if to == ProcessStatus.FAILED:
            _tell_failure(inspection, nc_open(inspection))
    return inspection


def _tell_failure(inspection: ProcessInspection, nc) -> None:
    order = inspection.order
    production = User.objects.filter(department__kind=DepartmentKind.PRODUCTION, is_active=True)
    recipients = [*production, *([order.merchandiser] if order.merchandiser_id else [])]
    number, line_no, n = order.number, inspection.order_line.line_no, inspection.nonconforming
    notify(
        event="quality.process_failed",
        recipients=recipients,
        departments=Department.objects.filter(kind=DepartmentKind.PRODUCTION),
        title=lambda lang: _("Inspection failed: %(order)s/%(line)s") % {"order": number, "line": line_no},
        body=lambda lang: (
            _("%(kind)s failed with %(n)s defective units in the sample.")
            % {"kind": ProcessKind(inspection.kind).label, "n": n}
        ),
        url=reverse("quality:nc_detail", args=[nc.pk]),
        obj=inspection,
    )


# ---------------------------------------------------------------- the stock-in gate


def final_stock_in_refusal(order_line, quantity: Decimal) -> str | None:
    """The stores' gate: finished goods of a product WITH a final inspection plan are stocked in
    only as far as passed final inspections of the order line cover them (passed lot quantity less
    what was stocked in already). Products without a final inspection plan pass as before. Asked
    by the stock-in under its lock of the line's last operation, so two stock-ins count each other."""
    if not has_final_plan(order_line.product_id):
        return None
    passed = (
        ProcessInspection.objects.filter(
            order_line_id=order_line.pk, kind=ProcessKind.FINAL, status=ProcessStatus.PASSED
        ).aggregate(n=Sum("lot_quantity"))["n"]
        or 0
    )
    left = Decimal(passed) - stocked_in_of(order_line)
    if Decimal(quantity) <= left:
        return None
    return _(
        "Final inspection has passed %(passed)s of line %(line)s; %(left)s of them are not stocked in yet: "
        "the rest waits for final inspection."
    ) % {"passed": passed, "line": order_line.line_no, "left": format(max(left, Decimal(0)).normalize(), "f")}
