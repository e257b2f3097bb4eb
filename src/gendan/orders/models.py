"""Customer orders and their follow-up records (R-1.1 – R-1.6).

Status changes happen only in services.py, each as a conditional update, so two people acting on
the same order cannot both win. Findings, clarifications, acknowledgements, change requests and
versions are kept forever: the dossier tells the whole story."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gendan.core.fieldaccess import hidden_fields
from gendan.core.models import generated_upload_name
from gendan.masterdata.models import Customer

from .choices import (
    EDITABLE,
    RELEASED_STATES,
    AttachmentKind,
    ChangeKind,
    ChangeStatus,
    ClarificationChannel,
    FindingCode,
    FindingStatus,
    OrderStatus,
    Priority,
    ReceivedVia,
    next_steps,
    step_between,
)
from .messages import finding_text
from .querysets import (
    AcknowledgementQuerySet,
    ChangeRequestQuerySet,
    ClarificationQuerySet,
    FindingQuerySet,
    OrderPartQuerySet,
    OrderQuerySet,
)


class Order(models.Model):
    number = models.CharField(_("order number"), max_length=30, unique=True)
    customer = models.ForeignKey(
        "masterdata.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="orders"
    )
    customer_po = models.CharField(_("customer PO number"), max_length=60, blank=True)
    merchandiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merchandiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=30, choices=OrderStatus.choices, default=OrderStatus.DRAFT, db_index=True
    )
    held_from = models.CharField(
        _("status before hold"), max_length=30, choices=OrderStatus.choices, blank=True
    )
    received_via = models.CharField(
        _("received via"), max_length=10, choices=ReceivedVia.choices, default=ReceivedVia.EMAIL
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    delivery_address = models.ForeignKey(
        "masterdata.DeliveryAddress",
        verbose_name=_("delivery address"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The capacity-and-materials check asks the scheduling engine and runs in the worker; the order
    # can be marked reviewed only after it has answered for the current content.
    capacity_checked_at = models.DateTimeField(_("capacity checked at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrderQuerySet.as_manager()
    # Who created the order is the actor of its "created" entry.
    audit_exclude = ("created_at", "updated_at", "created_by")
    # What the entry form, the API and order_create/order_update may set; everything else (status,
    # version, review and release stamps, creator) changes only through its own service.
    ENTRY_FIELDS = (
        "customer",
        "customer_po",
        "merchandiser",
        "priority",
        "received_via",
        "received_on",
        "delivery_address",
        "currency",
        "notes",
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("review_order", "Can review orders"),
            ("release_order", "Can release orders"),
            ("acknowledge_order", "Can acknowledge released orders"),
        ]
        indexes = [models.Index(fields=["customer", "customer_po"])]

    def __str__(self) -> str:
        return self.number

    @property
    def scope(self) -> str:
        return f"order:{self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    def step_to(self, target: str) -> str | None:
        """The workflow step that takes this order to `target` now (choices.TRANSITIONS), or None."""
        return step_between(self.status, target, held_from=self.held_from)

    def next_steps(self) -> dict[str, str]:
        """Status this order may become now → the step that does it."""
        return next_steps(self.status, held_from=self.held_from)

    def can_release(self) -> bool:
        return self.step_to(OrderStatus.RELEASED) is not None

    @property
    def is_after_release(self) -> bool:
        """Released and not final, also while on hold after release: it changes by change request."""
        if self.status == OrderStatus.ON_HOLD:
            return self.held_from in RELEASED_STATES
        return self.status in RELEASED_STATES

    @property
    def earliest_delivery(self):
        dates = [line.delivery_date for line in self.lines.all() if line.delivery_date]
        return min(dates) if dates else None


class OrderLine(models.Model):
    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="lines")
    line_no = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        "masterdata.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_lines",
    )
    # What the customer wrote, kept even when it matches no product, so review can point at it.
    product_code = models.CharField(_("product code as ordered"), max_length=60, blank=True)
    spec = models.CharField(_("specification"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=4, null=True, blank=True)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=4, null=True, blank=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    quality_requirements = models.TextField(_("quality requirements"), blank=True)
    packaging_requirements = models.TextField(_("packaging requirements"), blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)

    objects = OrderPartQuerySet.as_manager()
    # What a line's entry may set (besides its line number); cancelling is a change request.
    ENTRY_FIELDS = (
        "product",
        "product_code",
        "spec",
        "quantity",
        "unit_price",
        "delivery_date",
        "quality_requirements",
        "packaging_requirements",
        "notes",
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order_id", "line_no"]
        constraints = [models.UniqueConstraint(fields=["order", "line_no"], name="orderline_unique_no")]

    def __str__(self) -> str:
        return f"{self.order.number}/{self.line_no}"

    @property
    def amount(self):
        if self.quantity is None or self.unit_price is None:
            return None
        return self.quantity * self.unit_price


def attachment_upload_to(instance, filename: str) -> str:
    return generated_upload_name("orders", filename)


class OrderAttachment(models.Model):
    """A file kept with the order: stored under a generated name, always served as a download."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="attachments"
    )
    clarification = models.ForeignKey(
        "Clarification",
        verbose_name=_("clarification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.OTHER
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    version = models.PositiveIntegerField(_("order version"), default=1)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = OrderPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Finding(models.Model):
    """One problem found by the order review, resolved by the merchandiser or asked of the customer."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="findings"
    )
    line = models.ForeignKey(
        OrderLine,
        verbose_name=_("line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    code = models.CharField(_("finding"), max_length=20, choices=FindingCode.choices)
    key = models.CharField(max_length=40)  # message key in messages.FINDING_MESSAGES
    params = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=200)  # same problem on a re-review = same fingerprint
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    is_current = models.BooleanField(default=True)  # False once a later review no longer finds it
    # False for information (the product's standard applies): shown, never waited for.
    blocking = models.BooleanField(_("must be resolved"), default=True)
    created_at = models.DateTimeField(_("found at"), auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("review finding")
        verbose_name_plural = _("review findings")
        ordering = ["order_id", "created_at", "id"]
        indexes = [models.Index(fields=["order", "is_current", "status"])]

    def __str__(self) -> str:
        # The audit trail names the finding by it, and every department reads that.
        return self.public_message

    @property
    def message(self) -> str:
        return finding_text(self.key, self.params)

    @property
    def public_message(self) -> str:
        """The wording any reader may see: the audit trail's note, read by every department."""
        return finding_text(self.key, self.params, confidential=True)

    def message_for(self, user) -> str:
        """The message as `user` may read it: a customer's credit only for those who see credit."""
        if "credit_limit" in hidden_fields(user, Customer):
            return self.public_message
        return self.message

    @property
    def is_open(self) -> bool:
        """Waits to be resolved before the order can be marked reviewed."""
        return self.is_current and self.blocking and self.status != FindingStatus.RESOLVED


class Clarification(models.Model):
    """A question sent to the customer about findings, and the answer when it comes (R-1.3)."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="clarifications"
    )
    findings = models.ManyToManyField(Finding, blank=True, related_name="clarifications")
    question = models.TextField(_("question"))
    channel = models.CharField(
        _("channel"), max_length=10, choices=ClarificationChannel.choices, default=ClarificationChannel.EMAIL
    )
    contact = models.CharField(_("customer contact"), max_length=100, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answer recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ClarificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        ordering = ["order_id", "asked_at", "id"]

    def __str__(self) -> str:
        return gettext("Clarification %(n)s") % {"n": self.pk}

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class Acknowledgement(models.Model):
    """A receiving department's confirmation that it has the released order (R-1.5)."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="acknowledgements"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    order_version = models.PositiveIntegerField(_("order version"), default=1)
    requested_at = models.DateTimeField(_("sent at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chased_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    chase_count = models.PositiveIntegerField(_("reminders"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["order_id", "order_version", "department__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "department", "order_version"], name="ack_unique_per_version"
            )
        ]
        indexes = [models.Index(fields=["acknowledged_at", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.order.number} · {self.department}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class ChangeRequest(models.Model):
    """A customer's change after release, or a hold/cancel, approved by the merchandiser (R-1.6)."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="changes"
    )
    number = models.PositiveIntegerField(_("change number"))
    kind = models.CharField(_("change"), max_length=20, choices=ChangeKind.choices)
    line = models.ForeignKey(
        OrderLine,
        verbose_name=_("line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    old_value = models.CharField(_("old value"), max_length=300, blank=True)
    new_value = models.CharField(_("new value"), max_length=300, blank=True)
    reason = models.TextField(_("reason"))
    customer_reference = models.CharField(_("customer reference"), max_length=100, blank=True)
    impact = models.JSONField(_("impact"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    resulting_version = models.PositiveIntegerField(_("resulting version"), null=True, blank=True)
    # A new quantity or date is checked against capacity and materials by the engine, in the worker;
    # its answer is added to `impact`.
    capacity_checked_at = models.DateTimeField(_("capacity checked at"), null=True, blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["order_id", "number"]
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="change_unique_number")]
        permissions = [("approve_changerequest", "Can approve or reject change requests")]

    def __str__(self) -> str:
        return f"{self.order.number} CR{self.number}"

    @property
    def wants_capacity_check(self) -> bool:
        """A new quantity or delivery date: can the factory still make it in time?"""
        return self.kind in (ChangeKind.QUANTITY, ChangeKind.DELIVERY_DATE) and self.line_id is not None

    @property
    def capacity_pending(self) -> bool:
        return (
            self.wants_capacity_check
            and self.capacity_checked_at is None
            and self.status == ChangeStatus.PENDING
        )

    @property
    def shown_old_value(self) -> str:
        """The value before the change; for a hold, resume or cancel the order's status, by its label."""
        if self.line_id is None and self.old_value in OrderStatus.values:
            return str(OrderStatus(self.old_value).label)
        return self.old_value


class OrderVersion(models.Model):
    """A frozen copy of the order and its lines. Version 1 is what was released; every approved
    change adds one. Nothing is overwritten silently: every version stays readable."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField()
    change = models.ForeignKey(
        ChangeRequest,
        verbose_name=_("change request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrderPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("order version")
        verbose_name_plural = _("order versions")
        ordering = ["order_id", "number"]
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="orderversion_unique")]

    def __str__(self) -> str:
        return f"{self.order.number} v{self.number}"


OPEN_FINDING = Q(is_current=True, blocking=True) & ~Q(status=FindingStatus.RESOLVED)
PENDING_CHANGE = Q(status=ChangeStatus.PENDING)
__all__ = [
    "Order",
    "OrderLine",
    "OrderAttachment",
    "Finding",
    "Clarification",
    "Acknowledgement",
    "ChangeRequest",
    "OrderVersion",
    "OPEN_FINDING",
    "PENDING_CHANGE",
    "AttachmentKind",
    "ChangeKind",
]
