"""Nonconformance and corrective action (不合格品 / 纠正措施, R-4.2): a failed in-process or final
inspection opens a nonconformance for its lot (quantity, main defect) whose disposition quality
decides (rework, scrap, use as is with approval: the customer's too where the order line asks for
it, return); a corrective action (containment, root cause, action, owner, due date) closes only
when quality has verified it with evidence, by someone other than who did the action; a later lot
that fails the same way reopens it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.models import generated_upload_name

from .choices import ActionStatus, Disposition, NCStatus
from .querysets import EvidenceQuerySet, NCPartQuerySet, NonconformanceQuerySet


class Nonconformance(models.Model):
    inspection = models.OneToOneField(
        "quality.ProcessInspection",
        verbose_name=_("inspection"),
        on_delete=models.PROTECT,
        related_name="nonconformance",
    )
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    order_line = models.ForeignKey(
        "orders.OrderLine", verbose_name=_("order line"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    defect = models.ForeignKey(
        "quality.DefectCode",
        verbose_name=_("main defect"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("what was found"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=NCStatus.choices, default=NCStatus.OPEN)
    disposition = models.CharField(_("disposition"), max_length=12, choices=Disposition.choices, blank=True)
    disposition_note = models.CharField(_("disposition note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Use as is: approved inside (by someone else than who decided), and by the customer where the
    # order line carries the customer's quality requirements (or quality says so).
    customer_approval_required = models.BooleanField(_("customer must approve"), default=False)
    customer_approval = models.CharField(
        _("customer's approval (who, reference)"), max_length=200, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NonconformanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("nonconformance")
        verbose_name_plural = _("nonconformances")
        ordering = ["-created_at", "-pk"]
        permissions = [("approve_nonconformance", _("Can approve using a nonconforming lot as is"))]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"NC-{self.pk:05d} · {self.order_line}"


class CorrectiveAction(models.Model):
    nonconformance = models.ForeignKey(
        Nonconformance, verbose_name=_("nonconformance"), on_delete=models.PROTECT, related_name="actions"
    )
    containment = models.TextField(_("containment"))
    root_cause = models.TextField(_("root cause"))
    action = models.TextField(_("corrective action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_note = models.TextField(_("what was done"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verification_note = models.TextField(_("verification"), blank=True)
    effectiveness_note = models.TextField(_("effectiveness check"), blank=True)
    reopened_count = models.PositiveIntegerField(_("reopened"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NCPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["-created_at", "-pk"]
        permissions = [("verify_correctiveaction", _("Can verify and close a corrective action"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(verified_by__isnull=False),
                name="corrective_action_closed_verified",
            )
        ]

    def __str__(self) -> str:
        return f"CA-{self.pk:05d} · {self.nonconformance}"


def evidence_upload_to(instance, filename: str) -> str:
    return generated_upload_name("corrective-actions", filename)


class ActionEvidence(models.Model):
    """What shows the action works (a photo, a report): a generated name, served as a download."""

    action = models.ForeignKey(
        CorrectiveAction,
        verbose_name=_("corrective action"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["action_id", "pk"]

    def __str__(self) -> str:
        return self.original_name
