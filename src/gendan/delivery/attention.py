"""Home page "needs your attention" for deliveries: the merchandiser's ready orders not fully
arranged and his shipments waiting for the customer's confirmation; logistics' confirmed shipments
to ship and shipped ones waiting for the proof of delivery."""

from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.accounts.choices import Role
from gendan.core.attention import AttentionItem
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order, OrderLine

from .choices import ShipmentStatus
from .models import Shipment, ShipmentTotal

EXAMPLES = 5


def _shipments(title, rows, status: str, level: str = "warn") -> AttentionItem:
    count = rows.count()
    examples = []
    if count:
        for s in rows.select_related("order", "order__customer").order_by("planned_at", "pk")[:EXAMPLES]:
            examples.append(
                (
                    f"{s.number} · {s.order.number} · {s.order.customer} · {s.planned_at:%m-%d %H:%M}",
                    reverse("delivery:detail", args=[s.pk]),
                )
            )
    return AttentionItem(title, count, reverse("delivery:list") + f"?status={status}", examples, level)


def attention(user) -> list[AttentionItem]:
    if not getattr(user, "is_authenticated", False) or not user.has_perm("delivery.view_shipment"):
        return []
    items = []
    if user.role == Role.MERCHANDISER:
        mine = Shipment.objects.filter(order__merchandiser=user)
        items.append(
            _shipments(
                _("Shipments waiting for the customer's confirmation"),
                mine.filter(status=ShipmentStatus.DRAFT),
                ShipmentStatus.DRAFT,
            )
        )
        # A ready order one of whose lines is not all on shipments.
        short = OrderLine.objects.filter(order=OuterRef("pk"), is_cancelled=False).exclude(
            Exists(
                ShipmentTotal.objects.filter(
                    order_line=OuterRef("pk"), committed__gte=F("order_line__quantity")
                )
            )
        )
        ready = Order.objects.filter(merchandiser=user, status=OrderStatus.READY_TO_SHIP).filter(
            Exists(short)
        )
        count = ready.count()
        examples = (
            [
                (f"{o.number} · {o.customer}", reverse("delivery:order", args=[o.pk]))
                for o in ready.select_related("customer").order_by("number")[:EXAMPLES]
            ]
            if count
            else []
        )
        items.append(
            AttentionItem(
                _("Orders ready to ship, not all arranged"),
                count,
                reverse("orders:order_list") + "?status=ready_to_ship",
                examples,
            )
        )
    if user.has_perm("delivery.ship_shipment"):
        items.append(
            _shipments(
                _("Confirmed shipments to ship"),
                Shipment.objects.filter(status=ShipmentStatus.CONFIRMED),
                ShipmentStatus.CONFIRMED,
            )
        )
        items.append(
            _shipments(
                _("Shipped, waiting for the proof of delivery"),
                Shipment.objects.filter(status=ShipmentStatus.SHIPPED),
                ShipmentStatus.SHIPPED,
                "info",
            )
        )
    return items
