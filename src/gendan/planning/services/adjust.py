"""A planner's adjustments of a draft (R-2.1): pin an operation to a work centre or a start time,
unpin it, split its quantity into parts; each re-runs the draft at once so the page re-checks at
once. And the acknowledgement of a warning before submission (R-2.2)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.engine.scheduler import Options

from ..models import PlannedOperation, PlanVersion
from .build import apply_pins, draft_for, rerun_draft
from .jobs import Part


def _planned_in_draft(actor, planned_id) -> PlannedOperation:
    planned = PlannedOperation.objects.select_related("operation__routing_operation", "version").get_for(
        actor, "change", pk=planned_id
    )
    if planned.frozen:
        raise WorkflowConflict(_("This operation has started on the shop floor; it stays where it is."))
    return planned


def plan_pin(*, actor, planned_id: int, work_centre_id=None, start=None, options: Options | None = None):
    """Pin an operation (all its parts) to a work centre and/or a start time, and re-run."""
    with transaction.atomic():
        planned = _planned_in_draft(actor, planned_id)
        version = draft_for(actor, planned.version_id)
        if not work_centre_id and not start:
            raise ValidationError({"work_centre": _("Choose a work centre or a start time to pin.")})
        pins = {planned.operation_id: {"work_centre_id": work_centre_id, "start": start}}
        return rerun_draft(
            actor=actor,
            version=version,
            options=options,
            action="plan_pin",
            change=lambda factory, e: apply_pins(factory, e, pins),
        )


def plan_unpin(*, actor, planned_id: int, options: Options | None = None) -> PlanVersion:
    with transaction.atomic():
        planned = _planned_in_draft(actor, planned_id)
        version = draft_for(actor, planned.version_id)
        op = planned.operation

        def unpin(factory, e):
            key = (op.job_key, op.sequence)
            e.parts[key] = [Part(quantity=p.quantity) for p in e.parts[key]]

        return rerun_draft(actor=actor, version=version, options=options, action="plan_unpin", change=unpin)


MAX_PARTS = 10


def plan_split(*, actor, planned_id: int, quantities, options: Options | None = None) -> PlanVersion:
    """Split an operation's quantity into parts the engine places separately (on parallel machines
    or alternative centres); the next operation waits for every part. One quantity joins them."""
    with transaction.atomic():
        planned = _planned_in_draft(actor, planned_id)
        version = draft_for(actor, planned.version_id)
        op = planned.operation
        try:
            amounts = [Decimal(str(q)) for q in quantities]
        except (ArithmeticError, TypeError, ValueError) as exc:
            raise ValidationError({"quantities": _("Enter quantities as numbers.")}) from exc
        if not 1 <= len(amounts) <= MAX_PARTS or any(not q.is_finite() or q <= 0 for q in amounts):
            raise ValidationError(
                {"quantities": _("Enter 1 to %(n)s positive quantities.") % {"n": MAX_PARTS}}
            )
        if sum(amounts) != op.quantity:
            raise ValidationError(
                {
                    "quantities": _("The parts must add up to %(total)s.")
                    % {"total": format(op.quantity.normalize(), "f")}
                }
            )

        def split(factory, e):
            e.parts[(op.job_key, op.sequence)] = [
                Part(quantity=q.quantize(Decimal("0.0001"))) for q in amounts
            ]

        return rerun_draft(actor=actor, version=version, options=options, action="plan_split", change=split)


def plan_acknowledge_warning(*, actor, version_id: int, index: int) -> PlanVersion:
    """The planner has read a warning and submits anyway: who and when, on the warning itself."""
    with transaction.atomic():
        version = draft_for(actor, version_id)
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        warnings = list(version.warnings or [])
        try:
            index = int(index)
            warning = warnings[index] if index >= 0 else None
        except (TypeError, ValueError, IndexError):
            warning = None
        if warning is None:
            raise ValidationError({"index": _("There is no such warning.")})
        if warning.get("acknowledged_by"):
            return version
        warning["acknowledged_by"] = actor.pk
        warning["acknowledged_at"] = timezone.now().isoformat()
        version.warnings = warnings
        version.save(update_fields=["warnings"])
        audit_record(
            actor=actor,
            obj=version,
            action="acknowledge_warning",
            changes={},
            note=lambda: _("Warning acknowledged: %(key)s") % {"key": warning.get("key", "")},
            scope=f"order:{version.plan.order_id}",
        )
    return version
