"""Shipments (发货单) of an order's finished goods, their lines, and the proof of delivery (签收单).

What each order line may still be put on a shipment is what it has stocked in (stores'
StockedInTotal) less what live shipments hold: `ShipmentTotal` is that running total, raised by a
conditional UPDATE (services.py), so two shipments arranged at once cannot both take the last units."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.models import generated_upload_name

from .choices import ConfirmedVia, Method, ShipmentStatus
from .querysets import ShipmentPartQuerySet, ShipmentQuerySet

ZERO = Decimal(0)
USER = settings.AUTH_USER_MODEL


class Shipment(models.Model):
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="shipments"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ShipmentStatus.choices,
        default=ShipmentStatus.DRAFT,
        db_index=True,
    )
    method = models.CharField(_("delivery method"), max_length=20, choices=Method.choices)
    address = models.ForeignKey(
        "masterdata.DeliveryAddress",
        verbose_name=_("delivery address"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    planned_at = models.DateTimeField(_("planned time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    # The customer's confirmation of time and place, recorded by the merchandiser.
    confirmed_by_name = models.CharField(_("confirmed by (customer)"), max_length=100, blank=True)
    confirmed_via = models.CharField(
        _("confirmed via"), max_length=20, choices=ConfirmedVia.choices, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_recorded_by = models.ForeignKey(
        USER,
        verbose_name=_("confirmation recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Logistics.
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    vehicle_plate = models.CharField(_("vehicle plate"), max_length=20, blank=True)
    driver = models.CharField(_("driver"), max_length=60, blank=True)
    driver_phone = models.CharField(_("driver's phone"), max_length=40, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    shipped_by = models.ForeignKey(
        USER, verbose_name=_("shipped by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    cancel_reason = models.CharField(_("why cancelled"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name=_("arranged by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("arranged"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ShipmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-planned_at", "-pk"]
        permissions = [("ship_shipment", _("Can ship a shipment"))]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"FH-{self.pk:05d}" if self.pk else "FH-"


class ShipmentLine(models.Model):
    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE, related_name="lines"
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("order line"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)
    received = models.DecimalField(_("received"), max_digits=16, decimal_places=4, null=True, blank=True)
    damaged = models.DecimalField(_("damaged"), max_digits=16, decimal_places=4, default=ZERO)
    difference_note = models.CharField(_("difference"), max_length=300, blank=True)

    objects = ShipmentPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("shipment line")
        verbose_name_plural = _("shipment lines")
        ordering = ["shipment_id", "order_line__line_no", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="shipmentline_positive"),
            models.UniqueConstraint(fields=["shipment", "order_line"], name="shipmentline_once"),
        ]

    def __str__(self) -> str:
        return f"{self.shipment_id}/{self.order_line_id} {self.quantity.normalize()}"

    @property
    def accepted(self) -> Decimal:
        """What the customer took in good order (received less damaged)."""
        return max((self.received or ZERO) - self.damaged, ZERO)


class ShipmentMove(models.Model):
    """The stock movement that took a shipment line's goods out of one warehouse."""

    line = models.ForeignKey(
        ShipmentLine, verbose_name=_("shipment line"), on_delete=models.CASCADE, related_name="moves"
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)
    movement = models.OneToOneField(
        "inventory.StockMovement",
        verbose_name=_("stock movement"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ShipmentPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("shipment stock movement")
        verbose_name_plural = _("shipment stock movements")

    def __str__(self) -> str:
        return f"{self.line_id} {self.warehouse_id} {self.quantity}"


class ShipmentTotal(models.Model):
    """What an order line has on live shipments, shipped and accepted (the lock of the limit)."""

    order_line = models.OneToOneField(
        "orders.OrderLine", verbose_name=_("order line"), on_delete=models.PROTECT, related_name="+"
    )
    committed = models.DecimalField(_("on shipments"), max_digits=16, decimal_places=4, default=ZERO)

    class Meta:
        verbose_name = _("on shipments for an order line")
        verbose_name_plural = _("on shipments for order lines")
        constraints = [
            models.CheckConstraint(condition=Q(committed__gte=0), name="shipmenttotal_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.order_line_id} {self.committed}"


def receipt_upload_to(instance, filename: str) -> str:
    return generated_upload_name("deliveries", filename)


class ProofOfDelivery(models.Model):
    """签收单: the customer's signed receipt (a photo or scan), who signed and when."""

    shipment = models.OneToOneField(
        Shipment, verbose_name=_("shipment"), on_delete=models.PROTECT, related_name="proof"
    )
    file = models.FileField(_("signed receipt"), upload_to=receipt_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    signed_by = models.CharField(_("signed by"), max_length=100)
    signed_at = models.DateTimeField(_("signed at"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    issue = models.ForeignKey(
        "issues.Issue",
        verbose_name=_("issue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ShipmentPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("proof of delivery")
        verbose_name_plural = _("proofs of delivery")
        ordering = ["-signed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.shipment} {self.signed_by}"
