"""The link delivery puts on the order's dossier (core.registry.register_record_link): its
delivery panel (lines ordered, stocked in, on shipments, shipped, delivered; its shipments)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.orders.choices import OrderStatus

SHOWN = {
    OrderStatus.IN_PRODUCTION,
    OrderStatus.READY_TO_SHIP,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.CLOSED,
}


def order_links(user, order) -> list[tuple[str, str]]:
    if not user.has_perm("delivery.view_shipment") or order.status not in SHOWN:
        return []
    return [(_("Shipping and delivery"), reverse("delivery:order", args=[order.pk]))]
