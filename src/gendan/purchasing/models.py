"""Material requirements (R-3.1): each computation of what the plans in force and the released
orders not yet planned need of every material, netted against stock and what is on order (engine/
mrp.py), and the orders each requirement serves (its pegs)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import RunStatus, RunTrigger
from .querysets import PegQuerySet, RequirementQuerySet, RunQuerySet

ZERO = Decimal(0)


def _qty(label):
    return models.DecimalField(label, max_digits=16, decimal_places=4, default=ZERO)


class RequirementRun(models.Model):
    """One computation of the requirements, run by the worker; the newest finished one is in use."""

    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    trigger = models.CharField(_("why"), max_length=10, choices=RunTrigger.choices, default=RunTrigger.CHANGE)
    progress = models.PositiveIntegerField(_("progress (%)"), default=0)
    # What the requirements were computed from (plans in force, open orders, stock, material
    # settings): the worker computes again when it changes.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = _("requirements computation")
        verbose_name_plural = _("requirements computations")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return str(_("Requirements of %(when)s") % {"when": self.created_at.strftime("%Y-%m-%d %H:%M")})


class MaterialRequirement(models.Model):
    """What a material is needed for on one date, and how it is covered: from stock, by what is on
    order, or by a purchase still to make (the planned quantity, ordered by `order_by`)."""

    run = models.ForeignKey(RequirementRun, on_delete=models.CASCADE, related_name="requirements")
    material = models.ForeignKey(
        "masterdata.Material", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    need_date = models.DateField(_("needed by"))
    gross = _qty(_("gross requirement"))
    from_stock = _qty(_("from stock"))
    on_order = _qty(_("on order"))
    net = _qty(_("net requirement"))
    to_buy = _qty(_("to buy"))  # the planned purchase raised on this date (minimum and multiple)
    order_by = models.DateField(_("order by"), null=True, blank=True)
    late = models.BooleanField(_("order date passed"), default=False)
    unplanned = models.BooleanField(_("for orders not yet planned"), default=False)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        verbose_name = _("material requirement")
        verbose_name_plural = _("material requirements")
        ordering = ["need_date", "material__code", "pk"]
        indexes = [models.Index(fields=["run", "material", "need_date"])]

    def __str__(self) -> str:
        return f"{self.material} {self.need_date:%Y-%m-%d}"


class RequirementPeg(models.Model):
    """The share of a requirement one order (one of its lines, by its plan in force or not yet
    planned) causes."""

    requirement = models.ForeignKey(MaterialRequirement, on_delete=models.CASCADE, related_name="pegs")
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.CASCADE, related_name="+"
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("order line"), on_delete=models.CASCADE, related_name="+"
    )
    version = models.ForeignKey(
        "planning.PlanVersion",
        verbose_name=_("plan version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quantity = _qty(_("quantity"))

    objects = PegQuerySet.as_manager()

    class Meta:
        verbose_name = _("requirement of an order")
        verbose_name_plural = _("requirements of orders")
        indexes = [models.Index(fields=["order"])]

    def __str__(self) -> str:
        return f"{self.requirement} · {self.order_id}: {self.quantity.normalize()}"


# The buying side (plans, POs, confirmations, changes, receipts) lives beside this file.
from .models_buy import (  # noqa: E402
    PlanLineDecision,
    PlanLinePeg,
    POLineChange,
    POLineConfirmation,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlan,
    PurchasePlanLine,
    Receipt,
    SupplierCase,
)
from .models_scores import ServiceRating  # noqa: E402

__all__ = [
    "MaterialRequirement",
    "PlanLineDecision",
    "PlanLinePeg",
    "POLineChange",
    "POLineConfirmation",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "PurchasePlan",
    "PurchasePlanLine",
    "Receipt",
    "RequirementPeg",
    "RequirementRun",
    "ServiceRating",
    "SupplierCase",
]
