"""What a quality disposition does to the shop floor's counts (R-4.2): a lot that failed inspection
and is reworked goes back to its operation, to be done again; a scrapped lot is scrap of the
operation. Either way the operation has fewer good units, so the order's remaining work, its
progress on the board and the next schedule see the shortfall; a rework, reported again, is
inspected again (quality listens to reports).

The change is a report of its own (channel "quality disposition"), like a reversal: the reports
still add up to the operation's totals, and the history says who set the units back and why. Only
units still at the operation go back: those the next step has already taken are not pulled back
from it (its reports would no longer add up)."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.issues.deviations import check_operation
from gendan.planning.choices import OperationStatus
from gendan.planning.models import OrderOperation

from .choices import ReportChannel
from .models import ProductionReport, ScrapReason
from .services import QUANT, _check_next_steps, _next_steps, placement_in_force

REASON_MAX = 300


def still_at(operation: OrderOperation) -> Decimal:
    """Good units of the operation that no later step has taken yet."""
    taken = Decimal(0)
    for step in _next_steps(operation):
        if step.job_key == operation.job_key:
            taken = max(taken, step.good_qty)
        elif step.quantity > 0:  # a parent job: its good units need this many of the sub-assembly
            need = (step.good_qty * operation.quantity / step.quantity).quantize(
                QUANT, rounding=ROUND_CEILING
            )
            taken = max(taken, need)
    return max(Decimal(0), operation.good_qty - taken)


def _work_centre(op: OrderOperation) -> int | None:
    if op.work_centre_id:
        return op.work_centre_id
    placed = placement_in_force(op)
    if placed:
        return placed.work_centre_id
    return op.routing_operation.work_centre_id if op.routing_operation_id else None


def operation_set_back(
    *,
    actor,
    operation_id: int,
    quantity: Decimal,
    scrap: bool,
    reason: str,
    scrap_reason: ScrapReason | None = None,
) -> ProductionReport | None:
    """Take up to `quantity` good units back from the operation: as scrap, or to be done again.
    Returns the report written, or None when no unit was still at the operation. Call it inside
    the transaction that records the disposition."""
    reason = (reason or "").strip()[:REASON_MAX]
    if not reason:
        raise ValidationError({"reason": _("Say why the units are set back.")})
    if quantity <= 0:
        raise ValidationError({"quantity": _("Enter a quantity greater than zero.")})
    with transaction.atomic():
        op = OrderOperation.objects.select_for_update().select_related("order").get(pk=operation_id)
        units = min(Decimal(quantity), still_at(op)).quantize(QUANT)
        work_centre_id = _work_centre(op)
        if units <= 0 or work_centre_id is None:  # nothing reported there, nothing to set back
            return None
        fields = {"good_qty": F("good_qty") - units}
        if scrap:
            fields["scrap_qty"] = F("scrap_qty") + units
        if op.status == OperationStatus.FINISHED and not scrap:
            fields.update(status=OperationStatus.STARTED, finished_at=None)  # there is work again
        if not OrderOperation.objects.filter(pk=op.pk, good_qty__gte=units).update(**fields):
            raise WorkflowConflict(_("The operation's totals have just changed; reload and try again."))
        _check_next_steps(op)  # the warehouse's guard: not below what was stocked in
        report = ProductionReport.objects.create(
            operation=op,
            work_date=timezone.localdate(),
            work_centre_id=work_centre_id,
            good_qty=-units,
            scrap_qty=units if scrap else Decimal(0),
            scrap_reason=scrap_reason if scrap else None,
            remarks=reason,
            channel=ReportChannel.QUALITY,
            reported_by=actor,
        )
        audit_record(
            actor=actor,
            obj=report,
            action="set_back",
            changes={"good_qty": [None, str(-units)], "scrap_qty": [None, str(report.scrap_qty)]},
            note=reason,
            scope=op.order.scope,
        )
        # More scrap than the work centre allows, or now behind plan: its issue opens.
        check_operation(operation_id=op.pk, now=timezone.now())
    return report
