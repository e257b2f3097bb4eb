"""Escalation (上报, R-4.4): ladders of people above an issue, the rules that escalate open issues
to them, and the escalations themselves (who was told, why, who acknowledged, where it climbed)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.i18n import LocalName
from gendan.core.models import MasterRecord
from gendan.issues.choices import Severity

from .choices import LIVE_STATES, EscalationStatus, LevelRole, ReasonKind, RuleKind
from .querysets import EscalationQuerySet


class Ladder(LocalName, MasterRecord):
    """Who is told, level by level, while nobody acknowledges an escalation."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    is_default = models.BooleanField(
        _("default ladder"),
        default=False,
        help_text=_("Escalations by hand climb this ladder."),
    )

    class Meta:
        verbose_name = _("escalation ladder")
        verbose_name_plural = _("escalation ladders")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


class LadderLevel(MasterRecord):
    ladder = models.ForeignKey(
        Ladder, verbose_name=_("ladder"), on_delete=models.PROTECT, related_name="levels"
    )
    position = models.PositiveSmallIntegerField(_("level"), help_text=_("1 is the first level told."))
    role = models.CharField(_("who is told"), max_length=20, choices=LevelRole.choices)
    climb_hours = models.PositiveIntegerField(
        _("passed up after (hours)"),
        default=4,
        help_text=_("Not acknowledged within this time, the escalation goes to the next level."),
    )

    class Meta:
        verbose_name = _("ladder level")
        verbose_name_plural = _("ladder levels")
        ordering = ["ladder_id", "position"]

    def __str__(self) -> str:
        return f"{self.ladder.code} · {self.position} {self.get_role_display()}"


class Rule(LocalName, MasterRecord):
    """Escalate an open issue when … (one condition per rule): its severity, how long past its due
    date, how many departments it involves, or its order's delivery at risk."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("when"), max_length=20, choices=RuleKind.choices)
    min_severity = models.CharField(
        _("severity at least"), max_length=10, choices=Severity.choices, blank=True
    )
    threshold = models.PositiveIntegerField(
        _("threshold"),
        null=True,
        blank=True,
        help_text=_(
            "Days past the due date; number of departments involved; days the planned finish is "
            "after the delivery date."
        ),
    )
    ladder = models.ForeignKey(
        Ladder, verbose_name=_("ladder"), on_delete=models.PROTECT, related_name="rules"
    )
    level = models.PositiveSmallIntegerField(_("escalate to level"), default=1)

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.local_name}"


class Escalation(models.Model):
    issue = models.ForeignKey(
        "issues.Issue", verbose_name=_("issue"), on_delete=models.PROTECT, related_name="escalations"
    )
    ladder = models.ForeignKey(Ladder, verbose_name=_("ladder"), on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        LadderLevel, verbose_name=_("level"), on_delete=models.PROTECT, related_name="escalations"
    )
    role = models.CharField(_("who is told"), max_length=20, choices=LevelRole.choices)
    notified = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("people told"), related_name="escalations", blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    reason_kind = models.CharField(_("how escalated"), max_length=4, choices=ReasonKind.choices)
    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    # Set for escalations by rule: "<issue>:<level>", so a rule escalates an issue to a level once.
    fingerprint = models.CharField(max_length=60, blank=True)
    climbed_from = models.OneToOneField(
        "self",
        verbose_name=_("passed up from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="climbed_to",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("escalated at"), default=timezone.now)
    # When it goes to the next level unless acknowledged; empty at the top of its ladder.
    climbs_at = models.DateTimeField(_("passed up at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("escalation", "acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(
        pgettext_lazy("escalation", "acknowledged at"), null=True, blank=True
    )
    acknowledgement = models.TextField(_("acknowledgement note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at", "-pk"]
        permissions = [("acknowledge_escalation", _("Can acknowledge escalations"))]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"], condition=~Q(fingerprint=""), name="escalation_fingerprint_once"
            ),
            models.UniqueConstraint(
                fields=["issue"], condition=Q(status__in=LIVE_STATES), name="escalation_one_live_per_issue"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "climbs_at"]),
            # The inbox's order (newest first): a page is read from the index, not sorted.
            models.Index(fields=["-created_at", "-id"], name="escalation_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.issue.number} → {self.get_role_display()}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATES
