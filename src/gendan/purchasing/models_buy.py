"""Purchase plans (R-3.2), purchase orders with the supplier's confirmations and recorded changes
(R-3.3, R-3.5), and goods received against them waiting in inspection (R-3.6).

A purchase plan is a numbered document with versions: purchasing drafts a version from the
requirements, adjusts and submits it; each merchandiser approves or rejects the lines that serve
his orders (`PlanLineDecision`); only approved lines become purchase order lines. A revision is a
new version (the old one stays readable). A PO line is never edited in place: a change of quantity,
date or price, or a cancellation, is a `POLineChange` with its reason, and the line shows the values
in force. Running totals (received, accepted, rejected) are kept by the services with conditional
updates."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.permissions import RestrictedQuerySet

from .choices import (
    CaseKind,
    CaseStatus,
    Decision,
    LineChangeKind,
    PlanLineStatus,
    PlanStatus,
    POLineStatus,
    POStatus,
    ReceiptStatus,
)
from .querysets_cases import SupplierCaseQuerySet
from .querysets_plans import (
    PlanLineDecisionQuerySet,
    PlanLinePegQuerySet,
    PlanLineQuerySet,
    PurchasePlanQuerySet,
)
from .querysets_po import PurchaseOrderLineQuerySet, PurchaseOrderQuerySet, ReceiptQuerySet

ZERO = Decimal(0)


def _qty(label, **kwargs):
    return models.DecimalField(
        label, max_digits=16, decimal_places=4, default=ZERO, validators=[MinValueValidator(ZERO)], **kwargs
    )


def _price(label):
    return models.DecimalField(
        label, max_digits=14, decimal_places=4, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )


def _user(label, **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=label, on_delete=models.PROTECT, related_name="+", **kwargs
    )


class PurchasePlan(models.Model):
    """One version of a purchase plan (number CG-<year>-<nnnn>, version 1, 2, …)."""

    number = models.CharField(_("number"), max_length=20)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("revises"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # The requirements computation it was drafted from (rows of older runs are not kept).
    run = models.ForeignKey(
        "purchasing.RequirementRun",
        verbose_name=_("from the requirements of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    created_by = _user(_("drafted by"))
    created_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    submitted_by = _user(_("submitted by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = PurchasePlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase plan")
        verbose_name_plural = _("purchase plans")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="purchase_plan_version_once")
        ]
        permissions = [("submit_purchaseplan", _("Can submit purchase plans"))]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"


class PurchasePlanLine(models.Model):
    """A proposed purchase: what, how much, ordered by and needed by when, from whom, at what price."""

    plan = models.ForeignKey(
        PurchasePlan, verbose_name=_("purchase plan"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("line"), default=10)
    material = models.ForeignKey(
        "masterdata.Material", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    spec = models.CharField(_("specification"), max_length=200, blank=True)
    quantity = _qty(_("quantity"))
    order_by = models.DateField(_("order by"))
    need_date = models.DateField(_("needed by"))
    supplier = models.ForeignKey(
        "masterdata.Supplier",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    suggested_supplier = models.ForeignKey(
        "masterdata.Supplier",
        verbose_name=_("suggested supplier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggestion_reason = models.CharField(_("why this supplier"), max_length=300, blank=True)
    unit_price = _price(_("unit price"))
    last_price = _price(_("last price"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanLineStatus.choices, default=PlanLineStatus.PROPOSED
    )
    # The line of the previous version it carries on (a revision keeps approved lines as they were).
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = PlanLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase plan line")
        verbose_name_plural = _("purchase plan lines")
        ordering = ["plan_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="purchase_plan_line_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.plan} / {self.position} {self.material}"

    @property
    def price_change_pct(self) -> Decimal | None:
        """How much the price moved from the last purchase (None when either is unknown)."""
        if not self.unit_price or not self.last_price:
            return None
        return ((self.unit_price - self.last_price) / self.last_price * 100).quantize(Decimal("0.1"))


class PlanLinePeg(models.Model):
    """The share of a proposed purchase one order causes (copied from the requirement's pegs)."""

    line = models.ForeignKey(PurchasePlanLine, on_delete=models.CASCADE, related_name="pegs")
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = _qty(_("quantity"))

    objects = PlanLinePegQuerySet.as_manager()

    class Meta:
        verbose_name = _("order served by a purchase")
        verbose_name_plural = _("orders served by purchases")
        indexes = [models.Index(fields=["order"])]

    def __str__(self) -> str:
        return f"{self.line} · {self.order_id}: {self.quantity.normalize():f}"


class PlanLineDecision(models.Model):
    """A merchandiser's approval or rejection (with its reason) of a line serving his orders."""

    line = models.ForeignKey(PurchasePlanLine, on_delete=models.CASCADE, related_name="decisions")
    merchandiser = _user(_("merchandiser"))
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = PlanLineDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase line decision")
        verbose_name_plural = _("purchase line decisions")
        constraints = [
            models.UniqueConstraint(fields=["line", "merchandiser"], name="plan_line_decision_once")
        ]

    def __str__(self) -> str:
        return f"{self.line} · {self.get_decision_display()}"


class PurchaseOrder(models.Model):
    """A purchase order to one supplier (number PO-<year>-<nnnn>)."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    supplier = models.ForeignKey(
        "masterdata.Supplier",
        verbose_name=_("supplier"),
        on_delete=models.PROTECT,
        related_name="purchase_orders",
    )
    status = models.CharField(_("status"), max_length=10, choices=POStatus.choices, default=POStatus.DRAFT)
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        verbose_name=_("deliver to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    quality_requirements = models.TextField(_("quality requirements"), blank=True)
    packaging_requirements = models.TextField(_("packaging requirements"), blank=True)
    note = models.TextField(_("note"), blank=True)
    language = models.CharField(_("language of the PDF"), max_length=10, default="zh-hans")
    created_by = _user(pgettext_lazy("document", "made by"))
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = PurchaseOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("send_purchaseorder", _("Can send purchase orders")),
            ("confirm_purchaseorder", _("Can record supplier confirmations")),
        ]

    def __str__(self) -> str:
        return self.number


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("purchase order"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("line"), default=10)
    plan_line = models.OneToOneField(
        PurchasePlanLine,
        verbose_name=_("purchase plan line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="po_line",
    )
    material = models.ForeignKey(
        "masterdata.Material", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    spec = models.CharField(_("specification"), max_length=200, blank=True)
    # The values in force; each change is a POLineChange row, never an edit in place.
    quantity = _qty(_("quantity"))
    unit_price = _price(_("unit price"))
    delivery_date = models.DateField(_("delivery date"))
    # The date the goods are now expected: the supplier's latest confirmed date, or purchasing's
    # estimate after chasing; the requirements net against it.
    expected_date = models.DateField(_("expected"), null=True, blank=True)
    # Over-delivery accepted at receiving, in per cent of the open quantity.
    tolerance_pct = models.DecimalField(
        _("over-delivery tolerance (%)"), max_digits=5, decimal_places=2, default=Decimal(5)
    )
    status = models.CharField(
        _("status"), max_length=16, choices=POLineStatus.choices, default=POLineStatus.OPEN
    )
    received_qty = _qty(_("received"))
    accepted_qty = _qty(_("accepted"))
    rejected_qty = _qty(_("rejected"))
    chased_at = models.DateTimeField(_("last chased"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    objects = PurchaseOrderLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["order_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="po_line_quantity_positive"),
            models.CheckConstraint(condition=Q(received_qty__gte=0), name="po_line_received_not_negative"),
            models.CheckConstraint(
                condition=Q(accepted_qty__gte=0) & Q(rejected_qty__gte=0),
                name="po_line_inspected_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["material", "status"])]

    def __str__(self) -> str:
        return f"{self.order.number} / {self.position} {self.material}"

    @property
    def open_qty(self) -> Decimal:
        """Still to come: ordered less received (never below zero)."""
        return max(self.quantity - self.received_qty, ZERO)


class POLineConfirmation(models.Model):
    """The supplier's confirmation of a quantity by a date (a line may be confirmed in parts)."""

    line = models.ForeignKey(PurchaseOrderLine, on_delete=models.CASCADE, related_name="confirmations")
    quantity = _qty(_("quantity"))
    promised_date = models.DateField(_("promised date"))
    confirmed_by = models.CharField(_("confirmed by (supplier)"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = _user(_("recorded by"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("supplier confirmation")
        verbose_name_plural = _("supplier confirmations")
        ordering = ["line_id", "promised_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="po_confirmation_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.line} · {self.quantity.normalize():f} @ {self.promised_date:%Y-%m-%d}"


class POLineChange(models.Model):
    """A recorded change of a PO line: what it was, what it became, why, by whom."""

    line = models.ForeignKey(PurchaseOrderLine, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=10, choices=LineChangeKind.choices)
    old_value = models.CharField(_("was"), max_length=100, blank=True)
    new_value = models.CharField(_("now"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = _user(_("changed by"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase order change")
        verbose_name_plural = _("purchase order changes")
        ordering = ["line_id", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.line} · {self.get_kind_display()}: {self.old_value} → {self.new_value}"


class Receipt(models.Model):
    """Goods received against a PO line (number SH-<year>-<nnnn>). They wait in inspection; only the
    quantity quality accepts is stocked in through the stock ledger."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    line = models.ForeignKey(
        PurchaseOrderLine,
        verbose_name=_("purchase order line"),
        on_delete=models.PROTECT,
        related_name="receipts",
    )
    quantity = _qty(_("quantity received"))
    warehouse = models.ForeignKey(
        "inventory.Warehouse", verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="+"
    )
    delivery_note = models.CharField(_("supplier's delivery note"), max_length=60, blank=True)
    lot_no = models.CharField(_("supplier's lot"), max_length=60, blank=True)
    # A replacement for rejected goods (a supplier case) goes through inspection again.
    is_replacement = models.BooleanField(_("replacement"), default=False)
    case = models.ForeignKey(
        "purchasing.SupplierCase",
        verbose_name=_("replacement for case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replacements",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReceiptStatus.choices, default=ReceiptStatus.IN_INSPECTION
    )
    accepted_qty = _qty(_("accepted"))
    rejected_qty = _qty(_("rejected"))
    received_by = _user(_("received by"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"))
    inspected_at = models.DateTimeField(_("inspected"), null=True, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="receipt_quantity_positive"),
            models.CheckConstraint(
                condition=Q(accepted_qty__gte=0) & Q(rejected_qty__gte=0),
                name="receipt_inspected_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return self.number


class SupplierCase(models.Model):
    """What is done about a rejected lot (number SC-<year>-<nnnn>): returned, replaced (the
    replacement is received and inspected again) or used as is by an approved concession; tracked
    to closure. The workflow is choices.CASE_TRANSITIONS; who may see and act is
    querysets_cases.SupplierCaseQuerySet."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    receipt = models.ForeignKey(
        Receipt, verbose_name=_("rejected receipt"), on_delete=models.PROTECT, related_name="cases"
    )
    supplier = models.ForeignKey(
        "masterdata.Supplier", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    material = models.ForeignKey(
        "masterdata.Material", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = _qty(_("rejected quantity"))
    kind = models.CharField(_("disposition"), max_length=12, choices=CaseKind.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    description = models.TextField(_("what was wrong"), blank=True)
    resolution = models.TextField(_("how it was settled"), blank=True)
    # A rejected replacement delivery opens its own case, which continues this one.
    follows = models.ForeignKey(
        "self",
        verbose_name=_("continues case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followed_by",
    )
    due_date = models.DateField(_("settle by"), null=True, blank=True)
    decided_by = _user(_("decided by"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # A return: does the supplier still owe the returned quantity on the PO line?
    redeliver = models.BooleanField(_("supplier delivers the quantity again"), default=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    return_carrier = models.CharField(_("carrier / waybill"), max_length=100, blank=True)
    # A replacement: how much of the rejected quantity replacement deliveries have settled.
    replaced_qty = _qty(_("replacement inspected"))
    conceded_qty = _qty(_("used as is"))
    approved_by = _user(_("concession approved by"), null=True, blank=True)
    approved_at = models.DateTimeField(_("concession approved"), null=True, blank=True)
    opened_by = _user(_("opened by"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = SupplierCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("supplier case")
        verbose_name_plural = _("supplier cases")
        ordering = ["-opened_at", "-pk"]
        permissions = [("approve_concession", _("Can approve concessions"))]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supplier_case_quantity_positive"),
            models.CheckConstraint(
                condition=Q(replaced_qty__lte=F("quantity")) & Q(conceded_qty__lte=F("quantity")),
                name="supplier_case_settled_within_rejected",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.number

    @property
    def remaining_qty(self) -> Decimal:
        """Still to settle by a replacement."""
        return max(self.quantity - self.replaced_qty, ZERO)

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.status != CaseStatus.CLOSED and self.due_date and self.due_date < timezone.localdate()
        )
