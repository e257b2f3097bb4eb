"""Shipments' statuses and their transitions, and the fixed lists of a delivery."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShipmentStatus(models.TextChoices):
    DRAFT = "draft", _("Arranged")
    CONFIRMED = "confirmed", _("Confirmed by the customer")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


S = ShipmentStatus

# The whole workflow: status → the statuses it may become.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.CONFIRMED, S.CANCELLED},
    S.CONFIRMED: {S.SHIPPED, S.CANCELLED},
    S.SHIPPED: {S.DELIVERED},
    S.DELIVERED: set(),
    S.CANCELLED: set(),
}
# Shipments that hold their lines' quantities (what may still be shipped is stocked in less these).
LIVE = frozenset({S.DRAFT, S.CONFIRMED, S.SHIPPED, S.DELIVERED})


class Method(models.TextChoices):
    OWN_TRUCK = "own_truck", _("Our own truck")
    LOGISTICS = "logistics", _("Logistics company")
    EXPRESS = "express", _("Express")
    PICKUP = "pickup", _("Customer pick-up")


class ConfirmedVia(models.TextChoices):
    PHONE = "phone", _("Phone")
    WECOM = "wecom", _("WeCom")
    EMAIL = "email", _("E-mail")
    FAX = "fax", _("Fax")
    IN_PERSON = "in_person", _("In person")


# Orders whose finished goods may be arranged for shipping (partial deliveries while in production).
SHIPPABLE_ORDER_STATES = frozenset({"in_production", "ready_to_ship"})
