"""Production plans (R-2.1 – R-2.4): the operations an order goes through, its plan and the plan's
versions with their placed operations and exploded materials, and the proposals of a reschedule
of all open orders.

`OrderOperation` is the stable thing the shop floor reports against: one per operation of the
routing of each job (an order line, or a sub-assembly of one) of a planned order. Plan versions
come and go; they place OrderOperations (`PlannedOperation`, one row per split part), and reports,
travellers and issues keep pointing at the same OrderOperation."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import OperationStatus, ProposalStatus, VersionSource, VersionStatus
from .querysets import (
    OrderOperationQuerySet,
    PlanPartQuerySet,
    PlanQuerySet,
    PlanVersionQuerySet,
    ProposalQuerySet,
)

ZERO = Decimal(0)


class OrderOperation(models.Model):
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="operations"
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("order line"), on_delete=models.PROTECT, related_name="operations"
    )
    # The engine's job: "L<line id>" for the line's product, "L<line id>.<n>…" for a sub-assembly.
    job_key = models.CharField(_("job"), max_length=40)
    product = models.ForeignKey(
        "masterdata.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    routing_operation = models.ForeignKey(
        "masterdata.RoutingOperation",
        verbose_name=_("routing operation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sequence = models.PositiveIntegerField(_("sequence"))
    name = models.CharField(_("operation"), max_length=100)
    quantity = models.DecimalField(_("quantity to make"), max_digits=14, decimal_places=4)
    status = models.CharField(
        _("status"), max_length=10, choices=OperationStatus.choices, default=OperationStatus.PENDING
    )
    # Running totals of the daily reports (shopfloor), kept by its services with conditional updates.
    good_qty = models.DecimalField(_("good quantity"), max_digits=14, decimal_places=4, default=ZERO)
    scrap_qty = models.DecimalField(_("scrap"), max_digits=14, decimal_places=4, default=ZERO)
    hours = models.DecimalField(_("hours"), max_digits=10, decimal_places=2, default=ZERO)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    work_centre = models.ForeignKey(
        "masterdata.WorkCentre",
        verbose_name=_("work centre (actual)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = OrderOperationQuerySet.as_manager()

    class Meta:
        verbose_name = _("order operation")
        verbose_name_plural = _("order operations")
        ordering = ["order_line_id", "job_key", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["order_line", "job_key", "sequence"], name="order_operation_once"
            ),
            models.CheckConstraint(
                condition=models.Q(good_qty__gte=0), name="order_operation_good_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(scrap_qty__gte=0), name="order_operation_scrap_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["order", "status"])]

    def __str__(self) -> str:
        return f"{self.order.number} / {self.sequence} {self.name}"


class Plan(models.Model):
    """An order's production plan: one per order, with its versions."""

    order = models.OneToOneField(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="plan"
    )
    in_force = models.ForeignKey(
        "PlanVersion",
        verbose_name=_("version in force"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # An approved change request on the order re-opens its plan: the version in
    # force stays in force until a new one is approved, but the planner is asked to re-plan.
    reopened_at = models.DateTimeField(_("re-opened"), null=True, blank=True)
    reopened_reason = models.CharField(_("why re-opened"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("production plan")
        verbose_name_plural = _("production plans")
        ordering = ["-updated_at"]
        permissions = [("approve_plan", _("Can approve or reject production plans"))]

    def __str__(self) -> str:
        return str(_("Plan of %(order)s") % {"order": self.order.number})


class PlanVersion(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    source = models.CharField(
        _("made by"), max_length=12, choices=VersionSource.choices, default=VersionSource.PLANNER
    )
    proposal = models.ForeignKey(
        "ScheduleProposal",
        verbose_name=_("reschedule proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="versions",
    )
    # The engine's answer for this version: the order's planned start and finish, and how late.
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_finish = models.DateTimeField(_("planned finish"), null=True, blank=True)
    tardiness_minutes = models.PositiveIntegerField(_("late by (minutes)"), default=0)
    # Why it is late, as the engine explains it: a key and parameters, worded when shown.
    late_reason = models.JSONField(_("why late"), default=dict, blank=True)
    # The checks' findings (R-2.2): [{"kind", "key", "params", "acknowledged_by", "acknowledged_at"}].
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or rejected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or rejected"), null=True, blank=True)
    reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.plan.order.number} v{self.number}"


class PlannedOperation(models.Model):
    """Where and when one version places (a part of) an order operation."""

    version = models.ForeignKey(
        PlanVersion, verbose_name=_("plan version"), on_delete=models.CASCADE, related_name="operations"
    )
    operation = models.ForeignKey(
        OrderOperation, verbose_name=_("operation"), on_delete=models.PROTECT, related_name="planned"
    )
    part = models.PositiveIntegerField(_("part"), default=1)  # > 1 when the planner split the quantity
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=4)
    work_centre = models.ForeignKey(
        "masterdata.WorkCentre", verbose_name=_("work centre"), on_delete=models.PROTECT, related_name="+"
    )
    machine = models.PositiveIntegerField(_("machine"), default=0)
    start = models.DateTimeField(_("planned start"))
    end = models.DateTimeField(_("planned finish"))
    setup_minutes = models.PositiveIntegerField(_("setup minutes"), default=0)
    run_minutes = models.PositiveIntegerField(_("run minutes"), default=0)
    people = models.PositiveIntegerField(_("people"), default=1)
    # The planner's pins, kept when the version is re-run: on this work centre, from this time.
    pinned_work_centre = models.BooleanField(_("work centre pinned"), default=False)
    pinned_start = models.DateTimeField(_("start pinned at"), null=True, blank=True)
    # Started or finished on the shop floor: the engine leaves it where it is.
    frozen = models.BooleanField(_("frozen"), default=False)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned operation")
        verbose_name_plural = _("planned operations")
        ordering = ["version_id", "start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "operation", "part"], name="planned_part_once")
        ]
        indexes = [models.Index(fields=["work_centre", "start"]), models.Index(fields=["start"])]

    def __str__(self) -> str:
        return f"{self.operation} #{self.part}"


class PlanMaterial(models.Model):
    """A material (or bought part) a version needs, exploded from the BOM with scrap, and the kit
    check's answer when the version was checked: what there is for it and when a shortage is covered."""

    version = models.ForeignKey(
        PlanVersion, verbose_name=_("plan version"), on_delete=models.CASCADE, related_name="materials"
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("order line"), on_delete=models.PROTECT, related_name="+"
    )
    material = models.ForeignKey(
        "masterdata.Material", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity needed"), max_digits=16, decimal_places=4)
    need_date = models.DateField(_("needed by"))
    on_hand = models.DecimalField(_("on hand"), max_digits=16, decimal_places=4, default=ZERO)
    allocated = models.DecimalField(
        _("allocated to other plans"), max_digits=16, decimal_places=4, default=ZERO
    )
    on_order = models.DecimalField(_("on order"), max_digits=16, decimal_places=4, default=ZERO)
    shortage = models.DecimalField(_("short"), max_digits=16, decimal_places=4, default=ZERO)
    covered_on = models.DateField(_("covered on"), null=True, blank=True)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned material")
        verbose_name_plural = _("planned materials")
        ordering = ["version_id", "need_date", "material_id"]
        indexes = [models.Index(fields=["material", "need_date"])]

    def __str__(self) -> str:
        return f"{self.material} × {self.quantity}"


class ScheduleProposal(models.Model):
    """A reschedule of all open orders (R-2.3), run in the worker: what the engine proposes, per
    order, against the schedule in force; the planner accepts all of it or some orders."""

    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.QUEUED
    )
    progress = models.PositiveIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    seconds = models.PositiveIntegerField(_("time limit (seconds)"), default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted or discarded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("accepted or discarded"), null=True, blank=True)
    # Per order: {"order": id, "before": {...}, "after": {...}, "late_reason": {...}} and the
    # proposed operations per order (planning/reschedule.py writes and reads this shape).
    result = models.JSONField(_("result"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("reschedule proposal")
        verbose_name_plural = _("reschedule proposals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(_("Reschedule of %(when)s") % {"when": self.created_at.strftime("%Y-%m-%d %H:%M")})
