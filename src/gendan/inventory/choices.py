from django.db import models
from django.utils.translation import gettext_lazy as _


class MovementKind(models.TextChoices):
    OPENING = "opening", _("Opening balance")
    RECEIPT = "receipt", _("Stock-in")
    ISSUE = "issue", _("Issue to production")
    RETURN = "return", _("Return from production")  # unused material an order gives back
    PRODUCTION = "production", _("Finished goods in")
    SHIPMENT = "shipment", _("Shipment out")
    ADJUSTMENT = "adjustment", _("Stock-take adjustment")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")


# Kinds whose quantity must be positive (goods in) or negative (goods out); adjustments go either way.
INBOUND = {
    MovementKind.OPENING,
    MovementKind.RECEIPT,
    MovementKind.RETURN,
    MovementKind.PRODUCTION,
    MovementKind.TRANSFER_IN,
}
OUTBOUND = {MovementKind.ISSUE, MovementKind.SHIPMENT, MovementKind.TRANSFER_OUT}
