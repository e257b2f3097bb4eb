"""Incoming inspection's choices: the inspection levels and AQLs of GB/T 2828.1 (from the engine's
tables, so the two cannot differ), an inspection's status and result."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.engine.sampling import AQLS, LEVELS


class Level(models.TextChoices):
    S1 = "S-1", _("Special level S-1")
    S2 = "S-2", _("Special level S-2")
    S3 = "S-3", _("Special level S-3")
    S4 = "S-4", _("Special level S-4")
    I = "I", _("General level I")  # noqa: E741 - the standard's name
    II = "II", _("General level II")
    III = "III", _("General level III")


assert tuple(Level.values) == LEVELS  # the engine's table decides

AQL_CHOICES = [(str(a), str(a)) for a in AQLS]


class Severity(models.TextChoices):
    """Normal, tightened or reduced inspection (the switching rules decide per supplier × material)."""

    NORMAL = "normal", _("Normal")
    TIGHTENED = "tightened", _("Tightened")
    REDUCED = "reduced", _("Reduced")


class InspectionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class InspectionResult(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("inspection result", "Accepted")
    REJECTED = "rejected", pgettext_lazy("inspection result", "Rejected")
