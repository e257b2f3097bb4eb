"""Statuses of the purchasing area."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RunTrigger(models.TextChoices):
    CHANGE = "change", _("Plans, stock or orders changed")
    HAND = "hand", _("Asked for")
