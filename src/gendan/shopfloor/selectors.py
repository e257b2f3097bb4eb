"""Reads of the shop floor, restricted to what the user may see (core.permissions)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.attention import AttentionItem
from gendan.orders.models import Order
from gendan.planning.choices import OperationStatus
from gendan.planning.models import OrderOperation, PlannedOperation

from .filters import ReportFilter
from .models import ProductionReport
from .services import REPORTABLE_ORDER_STATES


def report_list(*, user, filters=None, request=None) -> QuerySet[ProductionReport]:
    qs = ProductionReport.objects.all().restrict(user, "view")
    if filters is not None:
        qs = ReportFilter(filters, queryset=qs, request=request).qs
    return qs.select_related(
        "operation__order", "work_centre", "scrap_reason", "shift", "reported_by", "reverses"
    ).order_by("-work_date", "-pk")


def operation_list(*, user, action: str = "view") -> QuerySet[OrderOperation]:
    return OrderOperation.objects.all().restrict(user, action)


def _in_force():
    return PlannedOperation.objects.filter(version__plan__in_force=F("version"))


def order_progress(*, user, order: Order) -> list[dict]:
    """Each operation of the order: planned (version in force) against actual, in working order."""
    ops = list(
        operation_list(user=user).filter(order=order).select_related("product", "order_line", "work_centre")
    )
    planned: dict[int, dict] = {}
    for part in _in_force().filter(operation__order=order).select_related("work_centre"):
        row = planned.setdefault(part.operation_id, {"start": part.start, "end": part.end, "centres": []})
        row["start"], row["end"] = min(row["start"], part.start), max(row["end"], part.end)
        if part.work_centre not in row["centres"]:
            row["centres"].append(part.work_centre)
    rows = [{"op": op, "plan": planned.get(op.pk)} for op in ops]
    rows.sort(
        key=lambda r: (
            r["op"].order_line.line_no,
            -r["op"].job_key.count("."),
            r["op"].job_key,
            r["op"].sequence,
        )
    )
    return rows


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def daily_rows(*, user, work_centre_id: int, day: dt.date) -> list[OrderOperation]:
    """The grid's rows: operations the plan in force places on the work centre that day, and those
    started there and not finished."""
    start, end = _day_bounds(day)
    in_force = _in_force().filter(operation=OuterRef("pk"), work_centre_id=work_centre_id)
    planned_today = in_force.filter(start__lt=end, end__gt=start)
    qs = (
        operation_list(user=user, action="report")
        .filter(order__status__in=REPORTABLE_ORDER_STATES)
        .filter(Q(Exists(planned_today)) | Q(Exists(in_force), status=OperationStatus.STARTED))
        .select_related("order", "product", "order_line")
        .order_by("order__number", "order_line__line_no", "job_key", "sequence")
    )
    return list(qs[:300])


def today_attention(user) -> list[AttentionItem]:
    """Team leaders: today's operations per work centre that are planned or started and have no
    report today yet, with a link to each work centre's grid."""
    if not user.has_perm("shopfloor.add_productionreport"):
        return []
    today = timezone.localdate()
    start, end = _day_bounds(today)
    reported_today = ProductionReport.objects.filter(operation=OuterRef("operation"), work_date=today)
    rows = (
        _in_force()
        .filter(start__lt=end, end__gt=start, operation__order__status__in=REPORTABLE_ORDER_STATES)
        .exclude(operation__status=OperationStatus.FINISHED)
        .filter(~Exists(reported_today))
        .values("work_centre_id", "work_centre__code", "operation_id")
        .distinct()
    )
    per_centre: dict[tuple[int, str], set[int]] = defaultdict(set)
    for row in rows[:2000]:
        per_centre[(row["work_centre_id"], row["work_centre__code"])].add(row["operation_id"])
    if not per_centre:
        return []
    grid = reverse("shopfloor:daily")
    examples = [
        (f"{code}: {len(ops)}", f"{grid}?work_centre={pk}&date={today.isoformat()}")
        for (pk, code), ops in sorted(per_centre.items(), key=lambda kv: kv[0][1])
    ]
    return [
        AttentionItem(
            title=_("Operations planned today, not yet reported"),
            count=sum(len(ops) for ops in per_centre.values()),
            url=f"{grid}?date={today.isoformat()}",
            examples=examples[:8],
            level="info",
        )
    ]
