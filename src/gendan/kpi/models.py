"""The KPI settings (R-7.1): one current record of the targets and weights management judges the
merchandisers by. No row yet means the defaults of `engine.kpi.KpiSettings`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan.core.permissions import RestrictedQuerySet

CURRENT = 1  # the one row's primary key


class KpiSettings(models.Model):
    """Hours per follow-up step, a target per figure (null: shown, not judged) and a weight per
    figure, each keyed by the engine's codes (engine/kpi.py: STEPS, FIGURES)."""

    step_hours = models.JSONField(_("hours per step"), default=dict)
    targets = models.JSONField(_("targets"), default=dict)
    weights = models.JSONField(_("weights"), default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    audit_exclude = ("updated_at",)

    class Meta:
        verbose_name = _("KPI settings")
        verbose_name_plural = _("KPI settings")
        permissions = [
            ("view_kpi", _("Can read merchandiser KPIs (his own)")),
            ("view_all_kpi", _("Can read every merchandiser's KPIs")),
        ]

    def __str__(self) -> str:
        return str(_("KPI settings"))


class KpiSnapshot(models.Model):
    """A merchandiser's report of one period as the worker last computed it (`snapshots.py`): the
    overview of a year for twenty merchandisers reads these in one query instead of tens of
    thousands of records. Derived data, rewritten every few minutes; a row older than the freshness
    limit, or computed under other settings, is not used (the figures are then computed live)."""

    period_key = models.CharField(max_length=20)
    merchandiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    computed_at = models.DateTimeField()
    settings_key = models.CharField(max_length=64)  # the settings in force then (snapshots.settings_key)
    report = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period_key", "merchandiser"], name="kpi_snapshot_one_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.period_key} {self.merchandiser_id}"
