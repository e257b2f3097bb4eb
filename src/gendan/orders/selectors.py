"""Reads of the order flow, always through Order.objects.visible_to(user)."""

from django.db.models import Count, F, Min, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.core.attention import AttentionItem
from gendan.core.models import AuditEntry

from .choices import OrderStatus
from .filters import attention_condition
from .models import Acknowledgement, Finding, Order, OrderLine, OrderVersion


def order_list(*, user):
    return (
        Order.objects.visible_to(user)
        .select_related("customer", "merchandiser")
        .annotate(
            line_count=Count("lines", filter=Q(lines__is_cancelled=False), distinct=True),
            first_delivery=Min("lines__delivery_date", filter=Q(lines__is_cancelled=False)),
        )
    )


def order_dossier(*, user, pk: int) -> Order:
    """One order with everything its dossier page shows, in a fixed number of queries."""
    return (
        Order.objects.visible_to(user)
        .select_related(
            "customer", "merchandiser", "delivery_address", "reviewed_by", "released_by", "created_by"
        )
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("product").order_by("line_no")),
            Prefetch(
                "findings",
                queryset=Finding.objects.select_related("line", "resolved_by").order_by(
                    "-is_current", "created_at"
                ),
            ),
            Prefetch(
                "acknowledgements",
                queryset=Acknowledgement.objects.select_related("department", "acknowledged_by").order_by(
                    "-order_version", "department__code"
                ),
            ),
            "clarifications__findings",
            "clarifications__attachments",
            "clarifications__asked_by",
            "clarifications__answer_recorded_by",
            "changes__line",
            "changes__requested_by",
            "changes__decided_by",
            Prefetch(
                "versions",
                queryset=OrderVersion.objects.select_related("created_by", "change").order_by("number"),
            ),
            "attachments__uploaded_by",
        )
        .get(pk=pk)
    )


def order_timeline(*, order: Order, limit: int = 300):
    return (
        AuditEntry.objects.filter(scope=order.scope)
        .select_related("actor", "content_type")
        .order_by("-at", "-id")[:limit]
    )


def open_findings(order: Order) -> list[Finding]:
    return [f for f in order.findings.all() if f.is_open]


def merchandiser_attention_counts(*, user) -> dict[str, int]:
    qs = Order.objects.visible_to(user)
    return {
        key: qs.filter(attention_condition(key)).count() for key in ("findings", "acks", "changes", "due")
    }


def pending_acknowledgements(*, user):
    """Released orders the user's department has not acknowledged yet."""
    if user.department_id is None:
        return Acknowledgement.objects.none()
    return (
        Acknowledgement.objects.filter(
            department_id=user.department_id, acknowledged_at__isnull=True, order_version=F("order__version")
        )
        .filter(order__in=Order.objects.visible_to(user))
        .exclude(order__status__in=[OrderStatus.CANCELLED, OrderStatus.CLOSED])
        .select_related("order", "order__customer")
        .order_by("requested_at")
    )


def orders_attention(user):
    """Home page: what needs the merchandiser now (a manager sees every merchandiser's), and the
    released orders the user's department still has to acknowledge."""
    items = []
    if not user.has_perm("orders.view_order"):
        return items
    base = reverse("orders:order_list")
    if (
        user.has_perm("orders.change_order")
        or user.has_perm("orders.review_order")
        or user.is_admin
        or user.role == "management"
    ):
        titles = {
            "findings": (_("Orders with review findings to resolve"), "danger"),
            "acks": (_("Released orders with acknowledgements missing"), "warn"),
            "changes": (_("Change requests waiting for approval"), "warn"),
            "due": (_("Orders due within 7 days"), "info"),
        }
        qs = Order.objects.visible_to(user)
        for key, (title, level) in titles.items():
            matching = qs.filter(attention_condition(key)).select_related("customer").order_by("created_at")
            count = matching.count()
            if count:
                examples = [
                    (f"{o.number} {o.customer.code}", reverse("orders:order_detail", args=[o.pk]))
                    for o in matching[:5]
                ]
                items.append(AttentionItem(title, count, f"{base}?attention={key}", examples, level))
    if user.has_perm("orders.acknowledge_order"):
        pending = pending_acknowledgements(user=user)
        count = pending.count()
        if count:
            examples = [
                (
                    f"{a.order.number} {a.order.customer.code}",
                    reverse("orders:order_detail", args=[a.order_id]),
                )
                for a in pending[:5]
            ]
            items.append(
                AttentionItem(
                    _("Released orders your department has not acknowledged"),
                    count,
                    examples[0][1] if count == 1 else base,
                    examples,
                    "danger",
                )
            )
    return items
