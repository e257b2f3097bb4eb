"""Coordination meeting (协调会) statuses and their allowed transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("meeting", "Planned")
    HELD = "held", _("Held")
    MINUTES_SENT = "minutes_sent", _("Minutes sent")


M = MeetingStatus


class Step(models.TextChoices):
    HOLD = "hold", _("Mark held")  # meeting_hold: the meeting took place
    SEND = "send", _("Send the minutes")  # minutes_send: the minutes go to the attendees


TRANSITIONS: dict[str, dict[str, str]] = {
    M.DRAFT: {M.HELD: Step.HOLD},
    M.HELD: {M.MINUTES_SENT: Step.SEND},
    M.MINUTES_SENT: {},
}

# Agenda, attendees, decisions and actions are recorded until the minutes are sent.
EDITABLE_STATES = frozenset({M.DRAFT, M.HELD})
