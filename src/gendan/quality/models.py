"""Incoming inspection (R-3.6): sampling settings per material and/or supplier, defect codes, the
switching state of each supplier × material, and the inspection of each goods receipt with its
sampling plan (fixed when it starts), the defects counted and the photos taken."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.i18n import LocalName
from gendan.core.models import MasterRecord, generated_upload_name
from gendan.core.permissions import RestrictedQuerySet

from .choices import AQL_CHOICES, InspectionResult, InspectionStatus, Level, Severity


class DefectCode(LocalName, MasterRecord):
    """A kind of defect the inspectors count (dimension out of tolerance, scratch, rust, …)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("defect code")
        verbose_name_plural = _("defect codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


class SamplingSetting(MasterRecord):
    """How a material, a supplier's deliveries, or one supplier's material are sampled: inspection
    level and AQL. The most particular setting wins: supplier + material, then material, then
    supplier, then the factory default (neither)."""

    supplier = models.ForeignKey(
        "masterdata.Supplier",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    material = models.ForeignKey(
        "masterdata.Material",
        verbose_name=_("material"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField(_("inspection level"), max_length=4, choices=Level.choices, default=Level.II)
    aql = models.CharField(_("AQL"), max_length=6, choices=AQL_CHOICES, default="1.0")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("sampling setting")
        verbose_name_plural = _("sampling settings")
        ordering = ["supplier_id", "material_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "material"],
                condition=Q(is_archived=False),
                name="sampling_setting_once",
                violation_error_message=_("There is already a setting for this supplier and material."),
            ),
        ]

    def __str__(self) -> str:
        who = " · ".join(str(x) for x in (self.supplier, self.material) if x) or _("Factory default")
        return f"{who}: {self.level} / AQL {self.aql}"

    def clean(self) -> None:
        # A unique constraint treats empty columns as all different: the factory default, and a
        # material's or a supplier's own setting, are checked here.
        if self.is_archived:
            return
        same = SamplingSetting.objects.filter(
            is_archived=False, supplier_id=self.supplier_id, material_id=self.material_id
        ).exclude(pk=self.pk)
        if (self.supplier_id is None or self.material_id is None) and same.exists():
            raise ValidationError(_("There is already a setting for this supplier and material."))


class SwitchingState(models.Model):
    """Where a supplier's material stands in the switching rules (GB/T 2828.1 clause 9): the
    severity for its next lot and the counts the rules read (engine.sampling.Switching)."""

    supplier = models.ForeignKey(
        "masterdata.Supplier", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    material = models.ForeignKey(
        "masterdata.Material", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    severity = models.CharField(
        pgettext_lazy("inspection", "severity"),
        max_length=10,
        choices=Severity.choices,
        default=Severity.NORMAL,
    )
    recent = models.JSONField(_("last lots on normal inspection"), default=list, blank=True)
    score = models.PositiveIntegerField(_("switching score"), default=0)
    consecutive_accepted = models.PositiveIntegerField(_("accepted in a row on tightened"), default=0)
    tightened_not_accepted = models.PositiveIntegerField(_("not accepted on tightened"), default=0)
    discontinued = models.BooleanField(_("inspection discontinued"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("switching state")
        verbose_name_plural = _("switching states")
        constraints = [models.UniqueConstraint(fields=["supplier", "material"], name="switching_state_once")]

    def __str__(self) -> str:
        return f"{self.supplier} · {self.material}: {self.get_severity_display()}"


class Inspection(models.Model):
    """The incoming inspection of one goods receipt. Starting it fixes the lot size, the severity
    and the sampling plan (code letter, sample size, Ac, Re); completing it decides the lot."""

    receipt = models.OneToOneField(
        "purchasing.Receipt",
        verbose_name=_("goods receipt"),
        on_delete=models.PROTECT,
        related_name="inspection",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.IN_PROGRESS
    )
    # The supplier and material, copied from the receipt's line: the list filters on them.
    supplier = models.ForeignKey(
        "masterdata.Supplier", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    material = models.ForeignKey(
        "masterdata.Material", verbose_name=_("material"), on_delete=models.PROTECT, related_name="+"
    )
    lot_size = models.PositiveIntegerField(_("lot size"))
    level = models.CharField(_("inspection level"), max_length=4, choices=Level.choices)
    aql = models.CharField(_("AQL"), max_length=6, choices=AQL_CHOICES)
    setting_source = models.CharField(_("setting from"), max_length=200, blank=True)
    severity = models.CharField(
        pgettext_lazy("inspection", "severity"), max_length=10, choices=Severity.choices
    )
    code_letter = models.CharField(_("code letter"), max_length=1)
    # The row whose plan is used (another one when the table's arrow was followed).
    plan_letter = models.CharField(_("plan row"), max_length=1)
    sample_size = models.PositiveIntegerField(_("sample size"))
    accept_number = models.PositiveIntegerField(_("Ac"))
    reject_number = models.PositiveIntegerField(_("Re"))
    # xgettext:no-python-format
    hundred_percent = models.BooleanField(_("100 % inspection"), default=False)
    nonconforming = models.PositiveIntegerField(_("nonconforming found"), default=0)
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices, blank=True)
    # The verdict by Ac/Re; the result differs only when the inspector overrode it, with a reason.
    verdict = models.CharField(
        _("by the sampling plan"), max_length=10, choices=InspectionResult.choices, blank=True
    )
    override_reason = models.CharField(_("reason for overriding"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(pgettext_lazy("inspection", "started"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("incoming inspection")
        verbose_name_plural = _("incoming inspections")
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "started_at"]),
            models.Index(fields=["status", "completed_at"], name="inspection_done_idx"),  # quality records
        ]

    def __str__(self) -> str:
        return f"{self.receipt} · {self.get_status_display()}"

    @property
    def overridden(self) -> bool:
        return bool(self.result and self.verdict and self.result != self.verdict)


class InspectionDefect(models.Model):
    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="defects"
    )
    code = models.ForeignKey(DefectCode, verbose_name=_("defect"), on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("count"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("defect found")
        verbose_name_plural = _("defects found")
        ordering = ["inspection_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="inspection_defect_count_positive")
        ]

    def __str__(self) -> str:
        return f"{self.code} × {self.count}"


def photo_upload_to(instance, filename: str) -> str:
    return generated_upload_name("inspections", filename)


class InspectionPhoto(models.Model):
    """A photo of what was found: stored under a generated name, always served as a download."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("photo"), upload_to=photo_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
        ordering = ["inspection_id", "pk"]

    def __str__(self) -> str:
        return self.original_name


from .models_nc import ActionEvidence, CorrectiveAction, Nonconformance  # noqa: E402
from .models_plans import InspectionPlan, InspectionPlanItem  # noqa: E402
from .models_process import ProcessDefect, ProcessInspection, ProcessMeasurement, ProcessPhoto  # noqa: E402

__all__ = [
    "ActionEvidence",
    "CorrectiveAction",
    "Nonconformance",
    "DefectCode",
    "Inspection",
    "InspectionDefect",
    "InspectionPhoto",
    "InspectionPlan",
    "InspectionPlanItem",
    "ProcessDefect",
    "ProcessInspection",
    "ProcessMeasurement",
    "ProcessPhoto",
    "SamplingSetting",
    "SwitchingState",
]
