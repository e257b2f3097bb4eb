"""Customer complaint (客户投诉) statuses, their transitions, and the words a complaint is told in."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("complaint", "Received")
    INVESTIGATING = "investigating", _("Being investigated")
    ANSWERED = "answered", pgettext_lazy("complaint", "Answered")
    CLOSED = "closed", pgettext_lazy("complaint", "Closed")


C = ComplaintStatus


class Step(models.TextChoices):
    TAKE = "take", _("Take for investigation")  # quality takes it; the quality issue is opened
    ANSWER = "answer", _("Mark the reply sent")  # the merchandiser sent the reply to the customer
    CLOSE = "close", _("Close the complaint")  # rated, or closed by the merchandiser
    REOPEN = "reopen", _("Reopen the complaint")  # back to quality; the history stays


TRANSITIONS: dict[str, dict[str, str]] = {
    C.RECEIVED: {C.INVESTIGATING: Step.TAKE},
    C.INVESTIGATING: {C.ANSWERED: Step.ANSWER},
    C.ANSWERED: {C.CLOSED: Step.CLOSE, C.INVESTIGATING: Step.REOPEN},
    C.CLOSED: {C.INVESTIGATING: Step.REOPEN},
}

# The restrict() action each step needs: quality investigates, the order's merchandiser does the rest.
STEP_ACTION = {Step.TAKE: "investigate", Step.ANSWER: "change", Step.CLOSE: "change", Step.REOPEN: "change"}

OPEN_STATES = frozenset({C.RECEIVED, C.INVESTIGATING, C.ANSWERED})


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    OTHER = "other", _("Other")


class RatingSource(models.TextChoices):
    MERCHANDISER = "merchandiser", _("Entered by the merchandiser")
    LINK = "link", _("Given by the customer through a link")


SCORES = [(n, str(n)) for n in range(1, 6)]
