"""Reads of purchase orders and their lines, restricted to what the reader may see: the PO list, a
PO with its lines, confirmations, changes and receipts, the open PO lines with their flags (late,
at risk) worked out in the database, and the approved plan lines waiting to be ordered.

Late: the expected date (or, unconfirmed, the delivery date) has passed with quantity still open.
At risk: not fully confirmed within GENDAN_PO_AT_RISK_DAYS of its delivery date, or confirmed for
after its delivery date. Every list reads in a fixed number of queries, whatever its length."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from gendan.orders.models import Order

from .choices import (
    ORDERABLE_PLAN_STATES,
    PO_LINE_OPEN_STATES,
    PO_OPEN_STATES,
    LineChangeKind,
    PlanLineStatus,
)
from .models import (
    PlanLinePeg,
    POLineChange,
    POLineConfirmation,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlanLine,
    Receipt,
)

ZERO = Decimal(0)
QTY = DecimalField(max_digits=16, decimal_places=4)


def at_risk_days() -> int:
    return int(getattr(settings, "GENDAN_PO_AT_RISK_DAYS", 7))


def _confirmed_subquery():
    return Coalesce(
        Subquery(
            POLineConfirmation.objects.filter(line=OuterRef("pk"))
            .order_by()
            .values("line")
            .annotate(s=Sum("quantity"))
            .values("s")[:1],
            output_field=QTY,
        ),
        Value(ZERO),
        output_field=QTY,
    )


def with_flags(qs: QuerySet[PurchaseOrderLine], today: dt.date | None = None) -> QuerySet[PurchaseOrderLine]:
    """Each line's confirmed and open quantities, and whether it is late or at risk."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=at_risk_days())
    is_open = Q(status__in=PO_LINE_OPEN_STATES, order__status__in=PO_OPEN_STATES)
    return qs.annotate(
        confirmed_qty=_confirmed_subquery(),
        open_quantity=ExpressionWrapper(F("quantity") - F("received_qty"), output_field=QTY),
        due_date=Coalesce("expected_date", "delivery_date"),
    ).annotate(
        is_late=Case(
            When(is_open & Q(due_date__lt=today, open_quantity__gt=0), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        is_at_risk=Case(
            When(
                is_open
                & (
                    Q(confirmed_qty__lt=F("quantity"), delivery_date__lte=horizon)
                    | Q(expected_date__gt=F("delivery_date"))
                ),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def po_list(*, user, filters=None, request=None) -> QuerySet[PurchaseOrder]:
    from .filters_po import POFilter

    today = timezone.localdate()
    late_line = PurchaseOrderLine.objects.filter(
        order=OuterRef("pk"), status__in=PO_LINE_OPEN_STATES, received_qty__lt=F("quantity")
    ).filter(Q(expected_date__lt=today) | Q(expected_date__isnull=True, delivery_date__lt=today))
    qs = (
        PurchaseOrder.objects.restrict(user, "view")
        .select_related("supplier", "created_by")
        .annotate(
            line_count=Count("lines", distinct=True),
            has_late=Case(
                When(Q(status__in=PO_OPEN_STATES) & Exists(late_line), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("-created_at", "-pk")
    )
    if filters is not None:
        qs = POFilter(filters, queryset=qs, request=request).qs
    return qs


def open_line_list(*, user, filters=None, request=None) -> QuerySet[PurchaseOrderLine]:
    """Every open PO line (of a PO not closed or cancelled, goods still to come) with its flags."""
    from .filters_po import OpenLineFilter

    visible = PurchaseOrder.objects.restrict(user, "view").values("pk")
    qs = with_flags(
        PurchaseOrderLine.objects.restrict(user, "view").filter(
            order__in=visible, status__in=PO_LINE_OPEN_STATES, order__status__in=PO_OPEN_STATES
        )
    ).select_related("order__supplier", "material")
    qs = qs.order_by("due_date", "order__number", "position")
    if filters is not None:
        qs = OpenLineFilter(filters, queryset=qs, request=request).qs
    return qs


def po_detail(*, user, pk: int) -> PurchaseOrder:
    """A PO the user may see (DoesNotExist otherwise), with its lines and their records."""
    changes = POLineChange.objects.select_related("changed_by").order_by("changed_at", "pk")
    from gendan.core.fieldaccess import hidden_fields

    if "unit_price" in hidden_fields(user, PurchaseOrderLine):
        changes = changes.exclude(kind=LineChangeKind.PRICE)  # a price change shows prices
    lines = with_flags(PurchaseOrderLine.objects.all()).select_related("material", "plan_line__plan")
    lines = lines.prefetch_related(
        Prefetch("confirmations", queryset=POLineConfirmation.objects.select_related("recorded_by")),
        Prefetch("changes", queryset=changes),
        Prefetch("receipts", queryset=Receipt.objects.order_by("received_at", "pk")),
        Prefetch(
            "plan_line__pegs",
            queryset=PlanLinePeg.objects.filter(order__in=Order.objects.restrict(user, "view").values("pk"))
            .select_related("order")
            .order_by("order__number"),
        ),
    )
    return (
        PurchaseOrder.objects.restrict(user, "view")
        .select_related("supplier", "warehouse", "created_by")
        .prefetch_related(Prefetch("lines", queryset=lines.order_by("position", "pk")))
        .get(pk=pk)
    )


def plan_lines_to_order(*, user) -> QuerySet[PurchasePlanLine]:
    """Approved plan lines not yet ordered, by supplier (what a purchaser turns into POs)."""
    if not PurchaseOrder.objects.all().role_allows(user, "add"):
        return PurchasePlanLine.objects.none()
    return (
        PurchasePlanLine.objects.filter(
            status=PlanLineStatus.APPROVED, plan__status__in=ORDERABLE_PLAN_STATES
        )
        .select_related("plan", "material", "supplier")
        .order_by("supplier__code", "need_date", "material__code", "pk")
    )
