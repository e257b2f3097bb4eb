"""Reads of complaints and ratings, through restrict(user, action): lists, a complaint with its
parts, the trace-back of its order line, what waits for whom, and the figures the KPIs take."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from gendan.masterdata.models import Supplier
from gendan.orders.models import Order
from gendan.planning.models import PlanMaterial
from gendan.purchasing.models import Receipt
from gendan.quality.models import CorrectiveAction, Inspection, ProcessInspection
from gendan.shopfloor.models import ProductionReport
from gendan.stores.models import MaterialIssue

from .choices import ComplaintStatus
from .models import Complaint, Rating, RatingLink

OVERDUE_DAYS = 7  # a complaint not answered a week after it came in is overdue
TRACE_MAX = 200  # rows per kind on the trace-back


def complaint_list(*, user, action: str = "view") -> QuerySet[Complaint]:
    return Complaint.objects.restrict(user, action).select_related(
        "order__customer", "order__merchandiser", "order_line__product", "issue"
    )


def complaint_full(complaint: Complaint) -> Complaint:
    return (
        Complaint.objects.select_related(
            "order__customer",
            "order__merchandiser",
            "order_line__product",
            "issue",
            "action_owner",
            "investigated_by",
            "answered_by",
            "quality_action__nonconformance",
            "rating",
        )
        .prefetch_related("photos")
        .get(pk=complaint.pk)
    )


def rating_list(*, user) -> QuerySet[Rating]:
    return Rating.objects.restrict(user, "view").select_related("order", "complaint", "recorded_by")


def links_of(*, user, order: Order, complaint: Complaint | None = None) -> QuerySet[RatingLink]:
    return RatingLink.objects.restrict(user, "view").filter(order=order, complaint=complaint).order_by("-pk")


def quality_actions_for(complaint: Complaint):
    """The corrective actions of the order's nonconformances, for quality to pick."""

    return (
        CorrectiveAction.objects.filter(nonconformance__order_id=complaint.order_id)
        .select_related("nonconformance")
        .order_by("-pk")
    )


# --- trace-back ----------------------------------------------------------------------------------


@dataclass
class TraceRow:
    """A row of the trace-back: (text, url) per cell; the url is empty when the reader may not see
    the record (or it has no page)."""

    cells: list[tuple[str, str]]


def _row(cells: list, url: str = "") -> TraceRow:
    """Plain texts, the first linked to `url`; a cell given as (text, url) keeps its own link."""
    out = []
    for n, cell in enumerate(cells):
        out.append(cell if isinstance(cell, tuple) else (cell, url if n == 0 else ""))
    return TraceRow(out)


@dataclass
class Trace:
    reports: list[TraceRow] = field(default_factory=list)
    inspections: list[TraceRow] = field(default_factory=list)
    materials: list[TraceRow] = field(default_factory=list)
    receipts: list[TraceRow] = field(default_factory=list)


def _visible(user, model, ids) -> set[int]:
    ids = set(ids)
    if not ids:
        return set()
    return set(
        model._default_manager.all().restrict(user, "view").filter(pk__in=ids).values_list("pk", flat=True)
    )


def _fmt(qty) -> str:
    return f"{Decimal(qty).normalize():f}" if qty is not None else ""


def _person(user) -> str:
    return (getattr(user, "display_name", "") or user.username) if user else "—"


def trace_back(*, user, complaint: Complaint) -> Trace:
    """From the complaint's order line (or the whole order): the production reports, the in-process
    and final inspections, the line's materials issued to the order and the receipts (incoming inspection,
    supplier) they came from. Each row links to its record when the reader may see it."""

    trace = Trace()
    by_line = {"operation__order_line_id": complaint.order_line_id} if complaint.order_line_id else {}
    reports = list(
        ProductionReport.objects.filter(operation__order_id=complaint.order_id, **by_line)
        .select_related("operation", "work_centre", "reported_by")
        .order_by("work_date", "pk")[:TRACE_MAX]
    )
    may_reports = bool(_visible(user, ProductionReport, [r.pk for r in reports]))
    for r in reports:
        trace.reports.append(
            _row(
                [
                    f"{r.operation.sequence} {r.operation.name}",
                    str(r.work_centre),
                    r.work_date.isoformat(),
                    _person(r.reported_by),
                    _fmt(r.good_qty),
                    _fmt(r.scrap_qty),
                ],
                reverse("shopfloor:order", args=[complaint.order_id]) if may_reports else "",
            )
        )
    line_filter = {"order_line_id": complaint.order_line_id} if complaint.order_line_id else {}
    inspections = list(
        ProcessInspection.objects.filter(order_id=complaint.order_id, **line_filter)
        .select_related("inspector", "operation")
        .order_by("created_at", "pk")[:TRACE_MAX]
    )
    seen = _visible(user, ProcessInspection, [i.pk for i in inspections])
    for i in inspections:
        when = i.completed_at or i.started_at or i.created_at
        trace.inspections.append(
            _row(
                [
                    str(i.get_kind_display()),
                    i.operation.name if i.operation_id else "—",
                    str(i.get_status_display()),
                    timezone.localtime(when).strftime("%Y-%m-%d"),
                    _person(i.inspector),
                    f"{i.nonconforming}/{i.sample_size}",
                ],
                reverse("quality:process_detail", args=[i.pk]) if i.pk in seen else "",
            )
        )
    # Materials are issued to the order; the complained line's are those its plans needed (a
    # customer audit asks about the product complained of, not the order's other products).
    mine = (
        set(
            PlanMaterial.objects.filter(order_line_id=complaint.order_line_id).values_list(
                "material_id", flat=True
            )
        )
        if complaint.order_line_id
        else set()
    )
    by_material = {"material_id__in": mine} if mine else {}
    issues = list(
        MaterialIssue.objects.filter(order_id=complaint.order_id, **by_material)
        .select_related("material", "warehouse")
        .order_by("created_at", "pk")[:TRACE_MAX]
    )
    may_issues = bool(_visible(user, MaterialIssue, [m.pk for m in issues]))
    for m in issues:
        trace.materials.append(
            _row(
                [
                    str(m.material),
                    str(m.get_kind_display()),
                    _fmt(m.quantity),
                    str(m.warehouse),
                    timezone.localtime(m.created_at).strftime("%Y-%m-%d"),
                ],
                reverse("stores:order", args=[complaint.order_id]) if may_issues else "",
            )
        )
    materials = {m.material_id for m in issues}
    receipts = list(
        Receipt.objects.filter(
            line__material_id__in=materials, line__plan_line__pegs__order_id=complaint.order_id
        )
        .select_related("line__material", "line__order__supplier")
        .distinct()
        .order_by("received_at", "pk")[:TRACE_MAX]
    )
    inspected = {
        i.receipt_id: i
        for i in Inspection.objects.filter(receipt__in=[r.pk for r in receipts]).select_related("inspector")
    }
    seen_receipts = _visible(user, Receipt, [r.pk for r in receipts])
    seen_inspections = _visible(user, Inspection, [i.pk for i in inspected.values()])
    may_suppliers = user.has_perm("masterdata.view_supplier")
    seen_suppliers = (
        _visible(user, Supplier, [r.line.order.supplier_id for r in receipts]) if may_suppliers else set()
    )
    for r in receipts:
        supplier = r.line.order.supplier
        inspection = inspected.get(r.pk)
        trace.receipts.append(
            _row(
                [
                    (
                        r.number,
                        reverse("receiving:receipt_detail", args=[r.pk]) if r.pk in seen_receipts else "",
                    ),
                    str(r.line.material),
                    r.lot_no or "—",
                    timezone.localtime(r.received_at).strftime("%Y-%m-%d"),
                    (
                        str(inspection.get_result_display() or inspection.get_status_display())
                        if inspection
                        else "—",
                        reverse("quality:inspection_detail", args=[inspection.pk])
                        if inspection and inspection.pk in seen_inspections
                        else "",
                    ),
                    (
                        str(supplier) if may_suppliers else "—",
                        reverse("masterdata:supplier_detail", args=[supplier.pk])
                        if supplier.pk in seen_suppliers
                        else "",
                    ),
                ]
            )
        )
    return trace


# --- what waits ----------------------------------------------------------------------------------


def to_investigate(user) -> QuerySet[Complaint]:
    """Quality: complaints received and not taken yet, or taken and without findings."""
    qs = Complaint.objects.restrict(user, "investigate")
    return qs.filter(status=ComplaintStatus.RECEIVED) | qs.filter(
        status=ComplaintStatus.INVESTIGATING, investigated_at__isnull=True
    )


def to_answer(user) -> QuerySet[Complaint]:
    """The merchandiser: complaints of his orders with quality's findings, to reply to."""
    return Complaint.objects.restrict(user, "change").filter(
        status=ComplaintStatus.INVESTIGATING, investigated_at__isnull=False
    )


def overdue(user) -> QuerySet[Complaint]:
    """The merchandiser: complaints of his orders not answered a week after they came in."""
    since = timezone.localdate() - dt.timedelta(days=OVERDUE_DAYS)
    return Complaint.objects.restrict(user, "change").filter(
        status__in=(ComplaintStatus.RECEIVED, ComplaintStatus.INVESTIGATING), received_on__lt=since
    )


# --- figures for the merchandisers' KPIs (R-7) ---------------------------------------------------


def complaints_for_kpi(
    merchandiser_ids, start: dt.date, end: dt.date
) -> dict[int, list[tuple[int, dt.date]]]:
    """Per merchandiser, the complaints received on his orders from `start` to `end` (inclusive):
    (complaint pk, received on). Two queries' worth of rows, whatever the number of people."""
    result: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    rows = (
        Complaint.objects.filter(
            order__merchandiser_id__in=list(merchandiser_ids), received_on__gte=start, received_on__lte=end
        )
        .order_by("received_on", "pk")
        .values_list("order__merchandiser_id", "pk", "received_on")
    )
    for user_id, pk, received_on in rows:
        result[user_id].append((pk, received_on))
    return dict(result)


def ratings_for_kpi(
    merchandiser_ids, start: dt.date, end: dt.date
) -> dict[int, list[tuple[str, dt.date, Decimal]]]:
    """Per merchandiser, the satisfaction ratings of his orders rated from `start` to `end`: (what
    was rated: the complaint's number or the order's, rated on, score)."""
    result: dict[int, list[tuple[str, dt.date, Decimal]]] = defaultdict(list)
    rows = (
        Rating.objects.filter(
            order__merchandiser_id__in=list(merchandiser_ids), rated_on__gte=start, rated_on__lte=end
        )
        .order_by("rated_on", "pk")
        .values_list("order__merchandiser_id", "order__number", "complaint__number", "rated_on", "score")
    )
    for user_id, order_number, complaint_number, rated_on, score in rows:
        result[user_id].append((complaint_number or order_number, rated_on, Decimal(score)))
    return dict(result)
