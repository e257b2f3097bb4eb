"""In-process and final inspection (巡检 / 终检, R-4.2): a lot of an order line, at one of its
operations (in-process) or finished (final), checked against the inspection plan of its product:
the measurements taken per plan item and sample unit, the defects counted, the photos; the result
passes or fails the lot."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.models import generated_upload_name

from .choices import ProcessKind, ProcessStatus
from .models_plans import InspectionPlan, InspectionPlanItem
from .querysets import ProcessInspectionQuerySet, ProcessPartQuerySet


class ProcessInspection(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=ProcessKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=ProcessStatus.choices, default=ProcessStatus.PENDING
    )
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("order line"), on_delete=models.PROTECT, related_name="+"
    )
    operation = models.ForeignKey(
        "planning.OrderOperation",
        verbose_name=_("operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("inspection plan"), on_delete=models.PROTECT, related_name="+"
    )
    lot_quantity = models.PositiveIntegerField(_("lot quantity"), validators=[MinValueValidator(1)])
    # Fixed when the inspection starts, from the plan and the lot.
    sample_size = models.PositiveIntegerField(_("sample size"), default=0)
    accept_number = models.PositiveIntegerField(_("Ac"), default=0)
    reject_number = models.PositiveIntegerField(_("Re"), default=1)
    nonconforming = models.PositiveIntegerField(_("defective units"), default=0)
    note = models.TextField(_("note"), blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(pgettext_lazy("inspection", "started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = ProcessInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("in-process or final inspection")
        verbose_name_plural = _("in-process and final inspections")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["order_line", "kind"]),
            # The quality records: inspections decided in a period, and a plan's newest ones.
            models.Index(fields=["status", "completed_at", "order", "plan"], name="process_insp_done_idx"),
            models.Index(fields=["plan", "completed_at"], name="process_insp_plan_done_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(lot_quantity__gt=0), name="process_inspection_lot_positive"),
            models.CheckConstraint(
                condition=Q(kind="final", operation__isnull=True)
                | Q(kind="in_process", operation__isnull=False),
                name="process_inspection_operation_by_kind",
            ),
        ]

    def __str__(self) -> str:
        where = self.operation.name if self.operation_id else self.get_kind_display()
        return f"{self.get_kind_display()} #{self.pk} · {self.order_line} · {where}"

    @property
    def is_open(self) -> bool:
        return self.status in (ProcessStatus.PENDING, ProcessStatus.IN_PROGRESS)


class ProcessMeasurement(models.Model):
    """What was found on one sample unit for one plan item: a measured value (out of limits
    flagged) or pass/fail."""

    inspection = models.ForeignKey(
        ProcessInspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="measurements"
    )
    item = models.ForeignKey(
        InspectionPlanItem, verbose_name=_("characteristic"), on_delete=models.PROTECT, related_name="+"
    )
    unit_no = models.PositiveIntegerField(_("sample unit"), validators=[MinValueValidator(1)])
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    ok = models.BooleanField(_("within limits"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    objects = ProcessPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["inspection_id", "item__sequence", "unit_no"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item", "unit_no"], name="process_measurement_once")
        ]
        # The few units out of limits, for the quality records' Pareto: a small index to start from.
        indexes = [models.Index(fields=["inspection"], condition=Q(ok=False), name="process_meas_bad_idx")]

    def __str__(self) -> str:
        shown = self.value.normalize() if self.value is not None else (_("pass") if self.ok else _("fail"))
        return f"{self.item.characteristic} #{self.unit_no}: {shown}"


class ProcessDefect(models.Model):
    inspection = models.ForeignKey(
        ProcessInspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="defects"
    )
    code = models.ForeignKey(
        "quality.DefectCode", verbose_name=_("defect"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("count"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ProcessPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("defect found")
        verbose_name_plural = _("defects found")
        ordering = ["inspection_id", "pk"]
        constraints = [models.CheckConstraint(condition=Q(count__gt=0), name="process_defect_count_positive")]

    def __str__(self) -> str:
        return f"{self.code} × {self.count}"


def process_photo_upload_to(instance, filename: str) -> str:
    return generated_upload_name("inspections", filename)


class ProcessPhoto(models.Model):
    """A photo of what was found: stored under a generated name, always served as a download."""

    inspection = models.ForeignKey(
        ProcessInspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("photo"), upload_to=process_photo_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ProcessPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["inspection_id", "pk"]

    def __str__(self) -> str:
        return self.original_name
