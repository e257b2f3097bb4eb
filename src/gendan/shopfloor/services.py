"""Daily production reports (R-2.5): recording one, and reversing a wrong one.

A report adds to the running totals of its order operation with one conditional UPDATE (F
expressions), so two team leaders reporting the same operation at once both count, and the rule
"no more good units than the previous operation passed on" is part of the same UPDATE's WHERE: of
two reports that together would pass the limit, the second is refused.

What "passed on" means (decided here, shown on the form):
- an operation after the first of its job: the previous operation's cumulative good quantity;
- the first operation of a job: the job's quantity to make;
- the first operation of a job with sub-assemblies (jobs "L7.1", "L7.2" under "L7"): also no more
  than each sub-assembly passed on, its last operation's good quantity converted to units of the
  job by the ratio of the two jobs' quantities (2 brackets per unit: 40 brackets → 20 units).
A user with `shopfloor.allow_over_report` (a supervisor) may allow more; the report records him.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.issues.deviations import check_operation
from gendan.masterdata.models import Shift
from gendan.orders.choices import OrderStatus
from gendan.orders.choices import Step as OrderStep
from gendan.orders.services.common import move_status
from gendan.planning.choices import OperationStatus
from gendan.planning.models import OrderOperation, PlannedOperation

from .choices import ReportChannel
from .models import ProductionReport, ScrapReason

# An order is reported on between release and the end of production; cancelled, on hold, draft or
# in review: refused.
REPORTABLE_ORDER_STATES = frozenset({OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION})
MAX_QTY = Decimal("1000000000")
MAX_PEOPLE = 500
QUANT = Decimal("0.0001")


def _decimal(value: Any, field: str, *, places: int = 4, maximum: Decimal = MAX_QTY) -> Decimal:
    """A non-negative number from a form, the API or a test; a clear error naming the field."""
    if value is None or value == "":
        return Decimal(0)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    if number < 0:
        raise ValidationError({field: _("Must not be negative.")})
    if number > maximum:
        raise ValidationError({field: _("Must be at most %(max)s.") % {"max": maximum}})
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError({field: _("At most %(n)s decimal places.") % {"n": places}})
    return number


def _people(value: Any) -> int:
    try:
        people = int(str(value).strip()) if value not in (None, "") else 1
    except (ValueError, TypeError):
        raise ValidationError({"people": _("Enter a whole number.")}) from None
    if people < 1 or people > MAX_PEOPLE:
        raise ValidationError({"people": _("Between 1 and %(max)s people.") % {"max": MAX_PEOPLE}})
    return people


def shift_now(work_centre_id: int | None, at: dt.datetime | None = None) -> Shift | None:
    """The work centre's shift under way at `at` (now): the team leader's current shift."""
    if not work_centre_id:
        return None
    at = timezone.localtime(at or timezone.now())
    now_min = at.hour * 60 + at.minute
    weekday = at.isoweekday()
    yesterday = weekday - 1 or 7
    shifts = Shift.objects.filter(work_centre_id=work_centre_id, is_archived=False).order_by("start_time")
    for shift in shifts:
        start = shift.start_time.hour * 60 + shift.start_time.minute
        end = shift.end_time.hour * 60 + shift.end_time.minute
        days = shift.weekday_list
        if end > start and start <= now_min < end and weekday in days:
            return shift
        if end <= start and ((now_min >= start and weekday in days) or (now_min < end and yesterday in days)):
            return shift  # runs past midnight
    return None


@dataclass(frozen=True)
class Placement:
    """Where the plan in force puts an operation: its version and work centre."""

    version_id: int
    work_centre_id: int


def placement_in_force(operation: OrderOperation) -> Placement | None:
    row = (
        PlannedOperation.objects.filter(operation_id=operation.pk, version__plan__in_force=F("version_id"))
        .order_by("part")
        .values("version_id", "work_centre_id")
        .first()
    )
    return Placement(row["version_id"], row["work_centre_id"]) if row else None


def passed_on(operation: OrderOperation) -> Decimal:
    """How many good units this operation may have reported in all (module docstring)."""
    rows = list(
        OrderOperation.objects.filter(order_line_id=operation.order_line_id).values(
            "job_key", "sequence", "quantity", "good_qty"
        )
    )
    same_job = [r for r in rows if r["job_key"] == operation.job_key and r["sequence"] < operation.sequence]
    if same_job:
        return max(same_job, key=lambda r: r["sequence"])["good_qty"]
    limit = operation.quantity
    prefix = operation.job_key + "."
    children: dict[str, list[Any]] = {}
    for r in rows:
        rest = r["job_key"][len(prefix) :] if r["job_key"].startswith(prefix) else ""
        if rest and "." not in rest:
            children.setdefault(r["job_key"], []).append(r)
    for ops in children.values():
        last = max(ops, key=lambda r: r["sequence"])
        if last["quantity"] > 0:
            units = (last["good_qty"] * operation.quantity / last["quantity"]).quantize(
                QUANT, rounding=ROUND_FLOOR
            )
            limit = min(limit, units)
    return limit


def _checked_order(operation: OrderOperation) -> None:
    order = operation.order
    if order.status not in REPORTABLE_ORDER_STATES:
        raise ValidationError(
            {
                "operation": _(
                    "Order %(number)s is “%(status)s”: only released orders in production take reports."
                )
                % {"number": order.number, "status": order.get_status_display()}
            }
        )


def _operation(actor, operation_id: Any) -> OrderOperation:
    pk = _int_or_none(operation_id)
    if pk is None:
        raise ValidationError({"operation": _("No such operation.")})
    try:
        return OrderOperation.objects.select_related("order", "order_line").get_for(actor, "report", pk=pk)
    except OrderOperation.DoesNotExist:
        raise ValidationError({"operation": _("No such operation.")}) from None


@dataclass
class ReportInput:
    """A report's values before they are checked (the phone form, one grid row, the API)."""

    operation_id: Any
    work_date: Any = None
    good_qty: Any = 0
    scrap_qty: Any = 0
    scrap_reason_id: Any = None
    hours: Any = 0
    people: Any = 1
    shift_id: Any = None
    finished: bool = False
    remarks: str = ""
    allow_over: bool = False


@dataclass
class CheckedReport:
    operation: OrderOperation
    placement: Placement
    values: dict[str, Any]
    limit: Decimal | None  # the most good units in all; None when a supervisor allowed more


def _work_date(value: Any, operation: OrderOperation) -> dt.date:
    if value in (None, ""):
        return timezone.localdate()
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError({"work_date": _("Enter a date (YYYY-MM-DD).")}) from None
    if value > timezone.localdate():
        raise ValidationError({"work_date": _("The date is in the future.")})
    if value < operation.order.received_on:
        raise ValidationError({"work_date": _("The date is before the order was received.")})
    return value


def report_check(*, actor, data: ReportInput) -> CheckedReport:
    """Every guard of a report, without writing: the grid checks all rows before saving any."""
    operation = _operation(actor, data.operation_id)
    _checked_order(operation)
    placement = placement_in_force(operation)
    if placement is None:
        raise ValidationError(
            {
                "operation": _("This operation is not in the plan in force of order %(number)s.")
                % {"number": operation.order.number}
            }
        )
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for field, parse in (
        ("work_date", lambda v: _work_date(v, operation)),
        ("good_qty", lambda v: _decimal(v, "good_qty")),
        ("scrap_qty", lambda v: _decimal(v, "scrap_qty")),
        ("hours", lambda v: _decimal(v, "hours", places=2, maximum=Decimal(24 * MAX_PEOPLE))),
        ("people", _people),
    ):
        try:
            values[field] = parse(getattr(data, field))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    work_centre_id = operation.work_centre_id or placement.work_centre_id
    shift = None
    if data.shift_id not in (None, ""):
        shift = Shift.objects.filter(
            pk=_int_or_none(data.shift_id) or 0, work_centre_id=work_centre_id
        ).first()
        if shift is None:
            errors["shift"] = _("Choose a shift of this work centre.")
    reason = None
    if data.scrap_reason_id not in (None, ""):
        reason = ScrapReason.objects.filter(
            pk=_int_or_none(data.scrap_reason_id) or 0, is_archived=False
        ).first()
        if reason is None:
            errors["scrap_reason"] = _("Choose a reason from the list.")
    if errors:
        raise ValidationError(errors)
    good, scrap, hours, people = values["good_qty"], values["scrap_qty"], values["hours"], values["people"]
    if scrap > 0 and reason is None:
        errors["scrap_reason"] = _("Give the reason for the scrap.")
    if not (good or scrap or hours or data.finished):
        errors["good_qty"] = _("Nothing to report: enter a quantity, hours, or tick “operation finished”.")
    shift_hours = Decimal(shift.minutes) / 60 if shift else Decimal(24)
    if hours > shift_hours * people:
        errors["hours"] = _("%(hours)s hours is more than %(people)s people can work in %(shift)s hours.") % {
            "hours": hours,
            "people": people,
            "shift": shift_hours.quantize(Decimal("0.01")),
        }
    remarks = (data.remarks or "").strip()
    if len(remarks) > 300:
        errors["remarks"] = _("At most 300 characters.")
    if data.allow_over and not actor.has_perm("shopfloor.allow_over_report"):
        errors["allow_over"] = _("Only a supervisor may allow more than the previous operation passed on.")
    if errors:
        raise ValidationError(errors)
    limit = None if data.allow_over else passed_on(operation)
    if limit is not None and operation.good_qty + good > limit:
        raise ValidationError({"good_qty": _over_message(operation, limit)})
    values.update(
        shift=shift,
        scrap_reason=reason,
        remarks=remarks,
        finished=bool(data.finished),
        work_centre_id=work_centre_id,
    )
    return CheckedReport(operation, placement, values, limit)


def _int_or_none(value: Any) -> int | None:
    """A record id, or None for anything that cannot be one (a database takes 64-bit ids only)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number < 2**63 else None


def _over_message(operation: OrderOperation, limit: Decimal) -> str:
    return _(
        "More good units than the previous step passed on: %(limit)s in all, %(done)s already "
        "reported. A supervisor may allow it."
    ) % {"limit": _fmt(limit), "done": _fmt(operation.good_qty)}


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())


def report_create(
    *, actor, channel: str = ReportChannel.DESKTOP, at: dt.datetime | None = None, **fields: Any
) -> ProductionReport:
    """Record what one operation produced on one day (the guards: report_check). `at`: when the work
    was reported, for reports taken over from paper afterwards (the demo's past days); never from a
    form or the API, which report now."""
    data = ReportInput(**fields)
    with transaction.atomic():
        checked = report_check(actor=actor, data=data)
        return _save(actor=actor, checked=checked, channel=channel, at=at)


def reports_create(*, actor, rows: list[ReportInput], channel: str = ReportChannel.DESKTOP):
    """The desktop grid: every row is checked, in order (a row sees what the rows before it passed
    on); one wrong row saves none. Returns the reports, or raises RowErrors with each row's errors
    by field."""
    saved, errors = [], {}
    with transaction.atomic():
        for index, row in enumerate(rows):
            try:
                saved.append(_save(actor=actor, checked=report_check(actor=actor, data=row), channel=channel))
            except ValidationError as exc:
                errors[index] = exc.message_dict if hasattr(exc, "error_dict") else {"good_qty": exc.messages}
            except PermissionDenied as exc:
                errors[index] = {"operation": [str(exc)]}
        if errors:
            raise RowErrors(errors)  # leaving the block by an exception undoes the rows saved
    return saved


class RowErrors(Exception):
    def __init__(self, errors: dict[int, dict[str, list[str]]]):
        super().__init__(errors)
        self.errors = errors


def _save(*, actor, checked: CheckedReport, channel: str, at: dt.datetime | None = None) -> ProductionReport:
    op, v = checked.operation, checked.values
    now = min(at, timezone.now()) if at is not None else timezone.now()
    qs = OrderOperation.objects.filter(pk=op.pk)
    if checked.limit is not None:
        # The limit, in the same statement: a report made meanwhile is counted.
        qs = qs.filter(good_qty__lte=checked.limit - v["good_qty"])
    status = (
        Value(OperationStatus.FINISHED)
        if v["finished"]
        else Case(
            When(status=OperationStatus.PENDING, then=Value(OperationStatus.STARTED)), default=F("status")
        )
    )
    won = qs.update(
        good_qty=F("good_qty") + v["good_qty"],
        scrap_qty=F("scrap_qty") + v["scrap_qty"],
        hours=F("hours") + v["hours"],
        status=status,
        started_at=Coalesce(F("started_at"), Value(now)),
        finished_at=Value(now) if v["finished"] else F("finished_at"),
        work_centre_id=Coalesce(F("work_centre_id"), Value(v["work_centre_id"])),
    )
    if not won:
        op.refresh_from_db(fields=["good_qty"])
        raise ValidationError({"good_qty": _over_message(op, passed_on(op))})
    report = ProductionReport.objects.create(
        operation=op,
        work_date=v["work_date"],
        shift=v["shift"],
        work_centre_id=v["work_centre_id"],
        good_qty=v["good_qty"],
        scrap_qty=v["scrap_qty"],
        scrap_reason=v["scrap_reason"],
        hours=v["hours"],
        people=v["people"],
        finished=v["finished"],
        remarks=v["remarks"],
        channel=channel,
        over_allowed_by=actor if checked.limit is None else None,
        reported_by=actor,
    )
    # Started and finished operations stay where they are when the schedule is re-run.
    PlannedOperation.objects.filter(
        version_id=checked.placement.version_id, operation_id=op.pk, frozen=False
    ).update(frozen=True)
    audit_record(
        actor=actor,
        obj=report,
        action="report",
        changes={"good_qty": [None, str(v["good_qty"])], "scrap_qty": [None, str(v["scrap_qty"])]},
        scope=op.order.scope,
    )
    if op.order.status == OrderStatus.RELEASED:
        # Of two first reports at once, one moves the order; the other finds it moved.
        with contextlib.suppress(WorkflowConflict):
            move_status(
                actor=actor,
                order=op.order,
                to=OrderStatus.IN_PRODUCTION,
                step=OrderStep.ADVANCE,
                expected=OrderStatus.RELEASED,
            )
    for listener in _REPORT_LISTENERS:
        transaction.on_commit(partial(listener, report), robust=True)
    # Scrap over the work centre's allowance (or an operation behind plan) opens its issue at once,
    # in the same transaction: the report and what it revealed are recorded together.
    check_operation(operation_id=op.pk, now=now)
    return report


# Who wants to know that good units were reported (quality opens its in-process and final
# inspection tasks): fn(report), called after the report's transaction commits, so a listener never
# delays or undoes a report; one that fails is logged (on_commit's robust mode).
_REPORT_LISTENERS: list[Callable[[ProductionReport], None]] = []


def register_report_listener(fn: Callable[[ProductionReport], None]) -> None:
    if fn not in _REPORT_LISTENERS:
        _REPORT_LISTENERS.append(fn)


def _next_steps(operation: OrderOperation) -> list[OrderOperation]:
    """The operations that take this one's good units: the next of its own job, or when it is its
    job's last, the first of the parent job (a sub-assembly feeds its parent)."""
    rows = list(OrderOperation.objects.filter(order_line_id=operation.order_line_id))
    later = [r for r in rows if r.job_key == operation.job_key and r.sequence > operation.sequence]
    if later:
        return [min(later, key=lambda r: r.sequence)]
    parent_key, dot, _rest = operation.job_key.rpartition(".")
    parent = [r for r in rows if dot and r.job_key == parent_key]
    return [min(parent, key=lambda r: r.sequence)] if parent else []


# Whoever takes an operation's good units further than the shop floor (the warehouse stocks in the
# last operation's) says here why a reversal may not lower them: fn(operation) -> None or why not.
_REVERSAL_GUARDS: list[Callable[[OrderOperation], str | None]] = []


def register_reversal_guard(fn: Callable[[OrderOperation], str | None]) -> None:
    if fn not in _REVERSAL_GUARDS:
        _REVERSAL_GUARDS.append(fn)


def _check_next_steps(operation: OrderOperation) -> None:
    """After a reversal, no later step may have reported more good units than this one now passes
    on: the later report is reversed first (or the reversal is wrong)."""
    for guard in _REVERSAL_GUARDS:
        refusal = guard(OrderOperation.objects.get(pk=operation.pk))
        if refusal:
            raise WorkflowConflict(refusal)
    for step in _next_steps(operation):
        limit = passed_on(step)
        if step.good_qty > limit:
            raise WorkflowConflict(
                _(
                    "Operation %(seq)s %(name)s has already reported %(done)s good units, more than the "
                    "%(limit)s this one would pass on after the reversal: reverse that report first."
                )
                % {"seq": step.sequence, "name": step.name, "done": _fmt(step.good_qty), "limit": _fmt(limit)}
            )


def report_reverse(*, actor, report_id: Any, reason: str) -> ProductionReport:
    """Correct a wrong report by a report of the opposite quantities; the original stays."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the report is reversed.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("At most 300 characters.")})
    pk = _int_or_none(report_id) or 0
    with transaction.atomic():
        try:
            original = (
                ProductionReport.objects.select_related("operation__order")
                .select_for_update(of=("self",))
                .get_for(actor, "reverse", pk=pk)
            )
        except ProductionReport.DoesNotExist:
            raise ValidationError({"report": _("No such report.")}) from None
        if original.is_reversal:
            raise WorkflowConflict(_("A reversal cannot be reversed; record a new report instead."))
        if ProductionReport.objects.filter(reverses=original).exists():
            raise WorkflowConflict(_("This report has already been reversed."))
        op = original.operation
        _checked_order(op)
        fields: dict[str, Any] = {
            "good_qty": F("good_qty") - original.good_qty,
            "scrap_qty": F("scrap_qty") - original.scrap_qty,
            "hours": F("hours") - original.hours,
        }
        if original.finished:
            fields.update(status=OperationStatus.STARTED, finished_at=None)
        won = OrderOperation.objects.filter(
            pk=op.pk,
            good_qty__gte=original.good_qty,
            scrap_qty__gte=original.scrap_qty,
            hours__gte=original.hours,
        ).update(**fields)
        if not won:
            raise WorkflowConflict(_("The operation's totals would become negative; reload and try again."))
        _check_next_steps(op)
        reversal = ProductionReport.objects.create(
            operation=op,
            work_date=timezone.localdate(),
            shift=original.shift,
            work_centre_id=original.work_centre_id,
            good_qty=-original.good_qty,
            scrap_qty=-original.scrap_qty,
            scrap_reason=original.scrap_reason,
            hours=-original.hours,
            people=original.people,
            remarks=reason,
            channel=original.channel,
            reverses=original,
            reported_by=actor,
        )
        audit_record(
            actor=actor,
            obj=original,
            action="report_reversed",
            changes={"good_qty": [str(original.good_qty), "0"], "scrap_qty": [str(original.scrap_qty), "0"]},
            note=reason,
            scope=op.order.scope,
        )
    return reversal


__all__ = [
    "REPORTABLE_ORDER_STATES",
    "ReportInput",
    "RowErrors",
    "passed_on",
    "report_check",
    "report_create",
    "report_reverse",
    "reports_create",
    "shift_now",
]
