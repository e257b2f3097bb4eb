"""The warehouse's work on orders (issue item 7): material issued to production against the
order's plan in force, unused material returned, and finished goods stocked in from the last
operation's good units.

Every row points at the stock movement that carried it (inventory's ledger is the only place stock
changes). Two running totals, kept by conditional UPDATEs, are the limits' locks: what an order
has net of each material (never more than its plan needs unless allowed, never returned below
zero), and what an order line has stocked in (never more than its last operation reported good)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import IssueKind
from .querysets import IssueQuerySet, OrderScopedQuerySet

ZERO = Decimal(0)


class MaterialIssue(models.Model):
    """发料 / 退料: material issued to an order's production, or returned unused."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="material_issues"
    )
    material = models.ForeignKey(
        "masterdata.Material", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=IssueKind.choices, default=IssueKind.ISSUE)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)
    movement = models.OneToOneField(
        "inventory.StockMovement",
        verbose_name=_("stock movement"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    over_allowed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("more than needed allowed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("material issue")
        verbose_name_plural = _("material issues")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("allow_over_issue", _("Can allow issuing more material than the order still needs")),
            ("request_issue", _("Can ask the warehouse to issue an order's material")),
        ]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="materialissue_positive")]
        indexes = [models.Index(fields=["order", "material"])]

    def __str__(self) -> str:
        return f"{self.order.number} {self.get_kind_display()} {self.material} {self.quantity.normalize()}"


class IssuedTotal(models.Model):
    """What an order has of a material, net: issued less returned (the lock of both limits)."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    material = models.ForeignKey(
        "masterdata.Material", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("issued"), max_digits=16, decimal_places=4, default=ZERO)

    objects = OrderScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued to an order")
        verbose_name_plural = _("issued to orders")
        constraints = [
            models.UniqueConstraint(fields=["order", "material"], name="issuedtotal_once"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="issuedtotal_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.material_id} {self.quantity}"


class FinishedGoodsIn(models.Model):
    """成品入库: finished goods of an order line stocked in."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="finished_goods_in"
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("order line"), on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        "masterdata.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # A stock-in booked by mistake is reversed, never deleted: the goods leave the stock again by a
    # movement of their own and the record keeps who did it and why.
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reversed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reverse_reason = models.CharField(_("why reversed"), max_length=300, blank=True)
    reversal_movement = models.OneToOneField(
        "inventory.StockMovement",
        verbose_name=_("reversing movement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = OrderScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("finished goods in")
        verbose_name_plural = _("finished goods in")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="finishedgoodsin_positive")]

    def __str__(self) -> str:
        return f"{self.order.number} {self.product} {self.quantity.normalize()}"


class StockedInTotal(models.Model):
    """What an order line has stocked in, in all (the lock of "never more than reported good")."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    order_line = models.OneToOneField(
        "orders.OrderLine", verbose_name=_("order line"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("stocked in"), max_digits=16, decimal_places=4, default=ZERO)

    objects = OrderScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stocked in for an order line")
        verbose_name_plural = _("stocked in for order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stockedintotal_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.order_line_id} {self.quantity}"
