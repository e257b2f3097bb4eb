"""Inspection plans (检验计划, R-4.2): what quality checks on a product, at one of its routing
operations (in-process inspection) or on the finished product (final inspection, no operation),
item by item: a characteristic measured against its nominal and limits, or judged pass/fail, and
how many units of a lot are checked (sampling by GB/T 2828.1, first article, every Nth, or all)."""

import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.models import MasterRecord
from gendan.engine import sampling

from .choices import AQL_CHOICES, CharacteristicKind, CheckFrequency, Level

MAX_UNITS = 2**31 - 1


class InspectionPlan(MasterRecord):
    """The plan for a product at one routing operation, or for the finished product (final
    inspection) when the operation is empty. One plan in force per product and operation."""

    product = models.ForeignKey(
        "masterdata.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    routing_operation = models.ForeignKey(
        "masterdata.RoutingOperation",
        verbose_name=_("routing operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the final inspection of the finished product."),
    )
    name = models.CharField(_("name"), max_length=100)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["product__code", "routing_operation__sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "routing_operation"],
                condition=Q(is_archived=False),
                name="inspection_plan_once",
                violation_error_message=_("This product already has a plan for this operation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.code} · {self.stage_label} · {self.name}"

    @property
    def is_final(self) -> bool:
        return self.routing_operation_id is None

    @property
    def stage_label(self) -> str:
        if self.routing_operation_id is None:
            return str(_("Final inspection"))
        op = self.routing_operation
        return f"#{op.sequence} {op.name}"

    def clean(self) -> None:
        op = self.routing_operation
        if op is not None and self.product_id and op.product_id != self.product_id:
            raise ValidationError({"routing_operation": _("Choose an operation of this product's routing.")})
        if self.is_archived or not self.product_id:
            return
        # The unique constraint treats an empty operation as all different: the final plan is here.
        same = InspectionPlan.objects.filter(
            is_archived=False, product_id=self.product_id, routing_operation_id=self.routing_operation_id
        ).exclude(pk=self.pk)
        if self.routing_operation_id is None and same.exists():
            raise ValidationError(_("This product already has a final inspection plan."))


class InspectionPlanItem(MasterRecord):
    """One characteristic of a plan: measured (nominal, limits, unit) or pass/fail, and how many
    units of a lot are checked for it."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("inspection plan"), on_delete=models.PROTECT, related_name="items"
    )
    sequence = models.PositiveIntegerField(_("sequence"), default=10)
    characteristic = models.CharField(_("characteristic"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=CharacteristicKind.choices, default=CharacteristicKind.MEASURED
    )
    nominal = models.DecimalField(_("nominal"), max_digits=14, decimal_places=4, null=True, blank=True)
    lower_limit = models.DecimalField(
        _("lower limit"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    upper_limit = models.DecimalField(
        _("upper limit"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    frequency = models.CharField(
        _("how many to check"), max_length=12, choices=CheckFrequency.choices, default=CheckFrequency.SAMPLING
    )
    level = models.CharField(_("inspection level"), max_length=4, choices=Level.choices, blank=True)
    aql = models.CharField(_("AQL"), max_length=6, choices=AQL_CHOICES, blank=True)
    every_n = models.PositiveIntegerField(
        _("every Nth unit"), null=True, blank=True, validators=[MinValueValidator(2)]
    )
    method = models.CharField(_("method / gauge"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("inspection plan item")
        verbose_name_plural = _("inspection plan items")
        ordering = ["plan_id", "sequence", "pk"]

    def __str__(self) -> str:
        return f"{self.sequence} {self.characteristic}"

    @property
    def limits_text(self) -> str:
        if self.kind != CharacteristicKind.MEASURED:
            return str(_("pass/fail"))
        fmt = lambda v: format(v.normalize(), "f")  # noqa: E731
        return f"{fmt(self.nominal)} [{fmt(self.lower_limit)}, {fmt(self.upper_limit)}] {self.unit}".strip()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == CharacteristicKind.MEASURED:
            for name in ("nominal", "lower_limit", "upper_limit"):
                if getattr(self, name) is None:
                    errors[name] = _("A measured characteristic needs its nominal and both limits.")
            if not errors and not (self.lower_limit <= self.nominal <= self.upper_limit):
                errors["nominal"] = _("The nominal must lie between the lower and the upper limit.")
            if not errors and self.lower_limit == self.upper_limit:
                errors["upper_limit"] = _("The upper limit must be above the lower limit.")
        else:
            self.nominal = self.lower_limit = self.upper_limit = None
            self.unit = ""
        if self.frequency == CheckFrequency.SAMPLING:
            if not self.level:
                errors["level"] = _("Sampling needs an inspection level.")
            if not self.aql:
                errors["aql"] = _("Sampling needs an AQL.")
        else:
            self.level = self.aql = ""
        if self.frequency == CheckFrequency.EVERY_NTH:
            if not self.every_n or self.every_n < 2:
                errors["every_n"] = _("Say every how many units one is checked (2 or more).")
        else:
            self.every_n = None
        if errors:
            raise ValidationError(errors)

    def sample_size(self, lot: int) -> int:
        """How many units of a lot of `lot` are checked for this item."""
        lot = max(1, min(int(lot), MAX_UNITS))
        if self.frequency == CheckFrequency.FIRST_ARTICLE:
            return 1
        if self.frequency == CheckFrequency.EVERY_NTH:
            return max(1, math.ceil(lot / (self.every_n or 1)))
        if self.frequency == CheckFrequency.ALL:
            return lot
        return self.sampling_plan(lot).sample_size

    def sampling_plan(self, lot: int) -> sampling.SamplingPlan:
        return sampling.plan(
            max(1, min(int(lot), MAX_UNITS)), self.level or "II", self.aql or "1.0", "normal"
        )

    def plausible(self, value: Decimal) -> bool:
        """A value more than ten tolerance bands from the nominal is a typing error, not a part."""
        band = self.upper_limit - self.lower_limit
        return abs(value - self.nominal) <= 10 * band

    def within(self, value: Decimal) -> bool:
        return self.lower_limit <= value <= self.upper_limit
