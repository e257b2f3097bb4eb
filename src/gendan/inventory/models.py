"""Warehouses and stock. A balance changes only through a recorded movement (the ledger);
StockLevel is the running balance the movement service keeps, never edited by hand."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.i18n import LocalName
from gendan.core.models import MasterRecord
from gendan.core.permissions import RestrictedQuerySet

from .choices import MovementKind


class Warehouse(LocalName, MasterRecord):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    keeper = models.ForeignKey(
        "accounts.User",
        verbose_name=_("keeper"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


_ONE_ITEM = (Q(material__isnull=False) & Q(product__isnull=True)) | (
    Q(material__isnull=True) & Q(product__isnull=False)
)


class StockLevel(models.Model):
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="levels"
    )
    material = models.ForeignKey(
        "masterdata.Material",
        verbose_name=_("material"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_levels",
    )
    product = models.ForeignKey(
        "masterdata.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_levels",
    )
    quantity = models.DecimalField(_("on hand"), max_digits=16, decimal_places=4, default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["warehouse__code", "material__code", "product__code"]
        constraints = [
            models.CheckConstraint(condition=_ONE_ITEM, name="stocklevel_one_item"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stocklevel_not_negative"),
            models.UniqueConstraint(
                fields=["warehouse", "material"],
                condition=Q(material__isnull=False),
                name="stocklevel_unique_material",
            ),
            models.UniqueConstraint(
                fields=["warehouse", "product"],
                condition=Q(product__isnull=False),
                name="stocklevel_unique_product",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse.code} {self.item} {self.quantity}"

    @property
    def item(self):
        return self.material or self.product


class StockMovement(models.Model):
    """One line of the stock ledger. Positive quantity = goods in, negative = goods out."""

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="movements"
    )
    material = models.ForeignKey(
        "masterdata.Material",
        verbose_name=_("material"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    product = models.ForeignKey(
        "masterdata.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=4)
    balance_after = models.DecimalField(_("balance after"), max_digits=16, decimal_places=4)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=_ONE_ITEM, name="stockmovement_one_item")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item} {self.quantity}"

    @property
    def item(self):
        return self.material or self.product
