"""The issue register (异常, R-2.6, R-4.3): delays, quality problems, shortages, breakdowns and
other problems that need coordination, each followed up until closed; equipment maintenance
records per work centre (R-6.2). Later areas (quality, purchasing, delivery) open issues too."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import IssueKind, IssueSource, IssueStatus, MaintenanceKind, Severity
from .querysets import IssueNoteQuerySet, IssueQuerySet, MaintenanceQuerySet


class Issue(models.Model):
    audit_exclude = ("fingerprint",)

    number = models.CharField(_("number"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=IssueKind.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=12, choices=IssueStatus.choices, default=IssueStatus.OPEN
    )
    source = models.CharField(
        _("source"), max_length=12, choices=IssueSource.choices, default=IssueSource.MANUAL
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )
    operation = models.ForeignKey(
        "planning.OrderOperation",
        verbose_name=_("operation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )
    work_centre = models.ForeignKey(
        "masterdata.WorkCentre",
        verbose_name=_("work centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issues",
    )
    cause = models.TextField(_("cause"), blank=True)
    solution = models.TextField(_("solution"), blank=True)
    responsible_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # An equipment breakdown may take its work centre out of the calendar for these days; the
    # next schedule respects it (the service writes the work centre's calendar days).
    blocks_from = models.DateField(_("work centre down from"), null=True, blank=True)
    blocks_until = models.DateField(_("work centre down until"), null=True, blank=True)
    # What the system found, so the same deviation opens one issue, not one per check. An internal
    # key: the issue page shows the record it names, the history does not show the key.
    fingerprint = models.CharField(max_length=120, blank=True, db_index=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    resolved_at = models.DateTimeField(_("solved"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-opened_at"]
        permissions = [("close_issue", _("Can close issues"))]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["order", "status"]),
            # The list's order (newest first, then by id): a page is read from the index, not sorted.
            models.Index(fields=["-opened_at", "id"], name="issue_opened_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class IssueNote(models.Model):
    """A follow-up note on an issue: what was done, said or decided (the history beside the audit)."""

    issue = models.ForeignKey(Issue, verbose_name=_("issue"), on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = IssueNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue note")
        verbose_name_plural = _("issue notes")
        ordering = ["issue_id", "created_at"]

    def __str__(self) -> str:
        return self.text[:50]


class MaintenanceRecord(models.Model):
    work_centre = models.ForeignKey(
        "masterdata.WorkCentre",
        verbose_name=_("work centre"),
        on_delete=models.PROTECT,
        related_name="maintenance",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MaintenanceKind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    description = models.TextField(_("work done"))
    downtime_hours = models.DecimalField(_("downtime (hours)"), max_digits=8, decimal_places=2, default=0)
    performed_by = models.CharField(_("performed by"), max_length=100, blank=True)
    next_due = models.DateField(_("next due"), null=True, blank=True)
    issue = models.ForeignKey(
        Issue,
        verbose_name=_("breakdown"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="maintenance",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = MaintenanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("maintenance record")
        verbose_name_plural = _("maintenance records")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.work_centre} {self.date} {self.get_kind_display()}"
