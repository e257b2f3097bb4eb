"""Reads of inspection plans and in-process / final inspections, restricted to what the user may
see: the customer's quality requirements shown beside a plan, the inspector's queue, the list."""

from django.db.models import QuerySet

from gendan.orders.choices import OrderStatus
from gendan.orders.models import OrderLine

from .choices import ProcessKind, ProcessStatus
from .filters import ProcessInspectionFilter
from .models_process import ProcessInspection

# Orders whose lines are still made or shipped: their requirements matter to the inspector.
OPEN_ORDER_STATES = (
    OrderStatus.REVIEWED,
    OrderStatus.RELEASED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.READY_TO_SHIP,
    OrderStatus.ON_HOLD,
)


def customer_requirements(*, user, product_id: int) -> QuerySet[OrderLine]:
    """The open order lines of a product that carry the customer's quality requirements."""
    return (
        OrderLine.objects.restrict(user, "view")
        .filter(product_id=product_id, is_cancelled=False, order__status__in=OPEN_ORDER_STATES)
        .exclude(quality_requirements="")
        .select_related("order__customer")
        .order_by("order__number", "line_no")
    )


def process_list(*, user, filters=None, request=None) -> QuerySet[ProcessInspection]:
    qs = ProcessInspection.objects.restrict(user, "view").select_related(
        "order", "order_line__product", "operation", "plan", "inspector"
    )
    if filters:
        qs = ProcessInspectionFilter(filters, queryset=qs, request=request).qs
    return qs


def process_queue(*, user, kind: str = "") -> QuerySet[ProcessInspection]:
    """What waits for an inspector: pending and in progress, oldest first, of one kind or both."""
    qs = process_list(user=user).filter(status__in=[ProcessStatus.PENDING, ProcessStatus.IN_PROGRESS])
    if kind in ProcessKind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("created_at", "pk")


def process_detail(*, user, pk: int) -> ProcessInspection:
    return (
        process_list(user=user)
        .select_related("order__customer", "plan__product", "plan__routing_operation")
        .prefetch_related("defects__code", "photos", "measurements__item")
        .get(pk=pk)
    )


def process_attention(user) -> list:
    """Home page: an inspector sees the in-process and final inspections waiting."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from gendan.core.attention import AttentionItem

    if not ProcessInspection.objects.all().role_allows(user, "change") or getattr(user, "is_admin", False):
        return []
    waiting = process_queue(user=user).filter(status=ProcessStatus.PENDING)
    count = waiting.count()
    if not count:
        return []
    url = reverse("quality:process_queue")
    examples = [
        (f"{i.order.number}/{i.order_line.line_no} · {i.get_kind_display()} · {i.lot_quantity}", url)
        for i in waiting[:5]
    ]
    return [AttentionItem(_("Lots waiting for in-process or final inspection"), count, url, examples, "warn")]
