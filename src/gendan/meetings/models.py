"""Coordination meetings (协调会, R-4.3): a meeting takes open issues as its agenda, records a
decision on each and the actions agreed; each action is tracked as an issue (source "meeting"), so
the register's reminders and escalation follow it up. The minutes print and go to the attendees."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import MeetingStatus
from .querysets import ActionItemQuerySet, AgendaItemQuerySet, MeetingQuerySet


class Meeting(models.Model):
    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(pgettext_lazy("meeting", "subject"), max_length=200)
    held_on = models.DateTimeField(pgettext_lazy("meeting", "when"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), blank=True, related_name="meetings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    held_at = models.DateTimeField(_("marked held"), null=True, blank=True)
    minutes_sent_at = models.DateTimeField(_("minutes sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("coordination meeting")
        verbose_name_plural = _("coordination meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class AgendaItem(models.Model):
    """An open issue the meeting discusses, and what it decided about it."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    issue = models.ForeignKey(
        "issues.Issue", verbose_name=_("issue"), on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    decision = models.TextField(pgettext_lazy("meeting", "decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("meeting", "decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(pgettext_lazy("meeting", "decided"), null=True, blank=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "issue"], name="meeting_issue_once")]

    def __str__(self) -> str:
        return f"{self.meeting.number} #{self.position}"


class ActionItem(models.Model):
    """An action agreed in the meeting: who does what by when. It is followed up as an issue."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="actions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    text = models.TextField(pgettext_lazy("meeting", "action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    issue = models.OneToOneField(
        "issues.Issue",
        verbose_name=_("followed up as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_action",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["meeting_id", "pk"]

    def __str__(self) -> str:
        return self.text[:50]
