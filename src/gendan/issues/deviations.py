"""Deviations from the plan in force (R-2.6): the system flags an operation that is behind plan or
scraps more than its work centre allows, by opening one issue for it (its `fingerprint` says
what was found, so a re-scan opens no duplicate while that issue is open). Production then records
the cause and the solution; the merchandiser follows it up until it is closed.

`deviations_scan()` runs every five minutes in the worker; `check_operation()` checks one
operation, right after a shop-floor report on it."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import SEVERITY_RANK, IssueKind, IssueSource, Severity
from .models import Issue
from .services import issue_open, open_issue_with
from .services.common import add_working_days

_BY_RANK = {rank: severity for severity, rank in SEVERITY_RANK.items()}
_PRIORITY_SHIFT = {"low": -1, "normal": 0, "high": 1, "urgent": 2}


@dataclass
class PlannedSpan:
    """Where the plan in force places one operation: its first start, its last finish."""

    operation_id: int
    start: dt.datetime
    end: dt.datetime
    work_centre_id: int
    threshold_hours: int


def _planned_spans(operation_ids=None) -> dict[int, PlannedSpan]:
    Plan = apps.get_model("planning", "Plan")
    PlannedOperation = apps.get_model("planning", "PlannedOperation")
    parts = PlannedOperation.objects.filter(
        version_id__in=Plan.objects.filter(in_force__isnull=False).values("in_force")
    ).exclude(operation__status="finished")
    if operation_ids is not None:
        parts = parts.filter(operation_id__in=operation_ids)
    spans: dict[int, PlannedSpan] = {}
    rows = parts.values_list(
        "operation_id", "start", "end", "work_centre_id", "work_centre__delay_threshold_hours"
    )
    for op_id, start, end, wc_id, threshold in rows.order_by("operation_id", "start"):
        span = spans.get(op_id)
        if span is None:
            spans[op_id] = PlannedSpan(op_id, start, end, wc_id, threshold)
            continue
        span.start = min(span.start, start)
        if end > span.end:
            span.end, span.work_centre_id, span.threshold_hours = end, wc_id, threshold
    return spans


def _severity(hours_late: float, priority: str) -> str:
    rank = 1 if hours_late <= 8 else 2 if hours_late <= 24 else 3 if hours_late <= 72 else 4
    rank = max(1, min(4, rank + _PRIORITY_SHIFT.get(priority, 0)))
    return _BY_RANK[rank]


def _department(kind: str):
    Department = apps.get_model("accounts", "Department")
    return Department.objects.filter(kind=kind, is_archived=False).order_by("pk").first()


def _due_date(now: dt.datetime) -> dt.date:
    CalendarDay = apps.get_model("masterdata", "CalendarDay")
    today = timezone.localdate(now)
    holidays = set(
        CalendarDay.objects.filter(
            work_centre__isnull=True,
            kind="holiday",
            is_archived=False,
            date__gt=today,
            date__lte=today + dt.timedelta(days=30),
        ).values_list("date", flat=True)
    )
    return add_working_days(today, 1, holidays)


def _open_once(*, operation, fingerprint: str, **fields) -> Issue | None:
    """Open the issue unless one with this fingerprint is open. The operation's row is locked
    first, so two scans at once (two workers) open it once."""
    OrderOperation = apps.get_model("planning", "OrderOperation")
    with transaction.atomic():
        OrderOperation.objects.select_for_update().filter(pk=operation.pk).first()
        if open_issue_with(fingerprint) is not None:
            return None
        return issue_open(
            actor=None, operation=operation, order=operation.order, fingerprint=fingerprint, **fields
        )


def _behind(operation, span: PlannedSpan, now: dt.datetime) -> float | None:
    """Hours beyond the threshold that the operation is behind, or None when it is not."""
    threshold = dt.timedelta(hours=span.threshold_hours)
    late = []
    if now > span.end + threshold:
        late.append(now - span.end)
    started = operation.started_at
    if started is None and now > span.start + threshold:
        late.append(now - span.start)
    elif started is not None and started > span.start + threshold:
        late.append(started - span.start)
    if not late:
        return None
    return max(late).total_seconds() / 3600


def _check_behind(operation, span: PlannedSpan, now: dt.datetime) -> Issue | None:
    hours = _behind(operation, span, now)
    if hours is None:
        return None
    order = operation.order
    title = _("%(order)s operation %(seq)s %(name)s is behind plan (%(hours)s h)") % {
        "order": order.number,
        "seq": operation.sequence,
        "name": operation.name,
        "hours": round(hours),
    }
    return _open_once(
        operation=operation,
        fingerprint=f"behind:{operation.pk}",
        kind=IssueKind.DELAY,
        title=title[:200],
        severity=_severity(hours, order.priority),
        description=_("Planned %(start)s – %(end)s; started: %(started)s.")
        % {
            "start": timezone.localtime(span.start).strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(span.end).strftime("%Y-%m-%d %H:%M"),
            "started": timezone.localtime(operation.started_at).strftime("%Y-%m-%d %H:%M")
            if operation.started_at
            else _("not yet"),
        },
        work_centre=apps.get_model("masterdata", "WorkCentre").objects.filter(pk=span.work_centre_id).first(),
        source=IssueSource.BEHIND_PLAN,
        responsible_department=_department("production"),
        due_date=_due_date(now),
    )


def _scrap_centre(operation, span: PlannedSpan | None):
    WorkCentre = apps.get_model("masterdata", "WorkCentre")
    wc_id = operation.work_centre_id or (span.work_centre_id if span else None)
    return WorkCentre.objects.filter(pk=wc_id).first() if wc_id else None


def _check_scrap(operation, span: PlannedSpan | None, now: dt.datetime) -> Issue | None:
    made = operation.good_qty + operation.scrap_qty
    if operation.scrap_qty <= 0 or made <= 0:
        return None
    centre = _scrap_centre(operation, span)
    if centre is None:
        return None
    pct = operation.scrap_qty * 100 / made
    allowance = centre.scrap_allowance_pct
    if pct <= allowance:
        return None
    order = operation.order
    title = _("%(order)s operation %(seq)s %(name)s scraps %(pct)s%% (allowed %(allowed)s%%)") % {
        "order": order.number,
        "seq": operation.sequence,
        "name": operation.name,
        "pct": pct.quantize(Decimal("0.1")),
        "allowed": allowance.normalize(),
    }
    return _open_once(
        operation=operation,
        fingerprint=f"scrap:{operation.pk}",
        kind=IssueKind.QUALITY,
        title=title[:200],
        severity=Severity.HIGH if pct > 2 * allowance else Severity.MEDIUM,
        work_centre=centre,
        source=IssueSource.SCRAP,
        responsible_department=_department("quality") or _department("production"),
        due_date=_due_date(now),
    )


def _run(operations, spans: dict[int, PlannedSpan], now: dt.datetime) -> list[Issue]:
    opened = []
    for operation in operations:
        span = spans.get(operation.pk)
        if span is not None and operation.status != "finished":
            issue = _check_behind(operation, span, now)
            if issue is not None:
                opened.append(issue)
        issue = _check_scrap(operation, span, now)
        if issue is not None:
            opened.append(issue)
    return opened


def deviations_scan(now: dt.datetime | None = None) -> list[Issue]:
    """Every operation of a plan in force behind plan, and every one scrapping over allowance."""
    from django.db.models import Q

    OrderOperation = apps.get_model("planning", "OrderOperation")
    now = now or timezone.now()
    spans = _planned_spans()
    operations = (
        OrderOperation.objects.filter(Q(pk__in=list(spans)) | Q(scrap_qty__gt=0))
        .select_related("order")
        .order_by("pk")
    )
    return _run(operations, spans, now)


def check_operation(*, operation_id: int, now: dt.datetime | None = None) -> list[Issue]:
    """The same checks for one operation (the shop floor calls it after a report on it)."""
    OrderOperation = apps.get_model("planning", "OrderOperation")
    now = now or timezone.now()
    operations = OrderOperation.objects.filter(pk=operation_id).select_related("order")
    return _run(operations, _planned_spans([operation_id]), now)
