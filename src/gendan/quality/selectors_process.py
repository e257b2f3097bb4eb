"""Reads of inspection plans and in-process / final inspections, restricted to what the user may
see: the customer's quality requirements shown beside a plan, the inspector's queue, the list."""

from django.db.models import QuerySet

from gendan.orders.choices import OrderStatus
from gendan.orders.models import OrderLine

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
