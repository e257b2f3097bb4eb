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


# ---------------------------------------------------------------- inspection plans


class CharacteristicKind(models.TextChoices):
    MEASURED = "measured", _("Measured")
    ATTRIBUTE = "attribute", _("Pass/fail")


class CheckFrequency(models.TextChoices):
    SAMPLING = "sampling", _("Sampling (GB/T 2828.1)")
    FIRST_ARTICLE = "first", _("First article")
    EVERY_NTH = "every_nth", _("Every Nth unit")
    # xgettext:no-python-format
    ALL = "all", _("100 % (every unit)")


# ---------------------------------------------------------------- in-process and final inspection


class ProcessKind(models.TextChoices):
    IN_PROCESS = "in_process", _("In-process inspection")
    FINAL = "final", _("Final inspection")


class ProcessStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("inspection", "Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    PASSED = "passed", pgettext_lazy("inspection", "Passed")
    FAILED = "failed", pgettext_lazy("inspection", "Failed")


# Which status may follow which: started, then decided once.
PROCESS_TRANSITIONS: dict[str, set[str]] = {
    ProcessStatus.PENDING: {ProcessStatus.IN_PROGRESS},
    ProcessStatus.IN_PROGRESS: {ProcessStatus.PASSED, ProcessStatus.FAILED},
    ProcessStatus.PASSED: set(),
    ProcessStatus.FAILED: set(),
}


# ---------------------------------------------------------------- nonconformance and corrective action


class NCStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("nonconformance", "Open")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    CLOSED = "closed", pgettext_lazy("nonconformance", "Closed")


class Disposition(models.TextChoices):
    REWORK = "rework", _("Rework")
    SCRAP = "scrap", _("Scrap")
    USE_AS_IS = "use_as_is", _("Use as is (concession)")
    RETURN = "return", _("Return")


NC_TRANSITIONS: dict[str, set[str]] = {
    NCStatus.OPEN: {NCStatus.AWAITING_APPROVAL, NCStatus.CLOSED},
    NCStatus.AWAITING_APPROVAL: {NCStatus.CLOSED, NCStatus.OPEN},  # approved, or refused
    NCStatus.CLOSED: set(),
}


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("corrective action", "Open")
    DONE = "done", _("Done, to verify")
    CLOSED = "closed", _("Verified and closed")


ACTION_TRANSITIONS: dict[str, set[str]] = {
    ActionStatus.OPEN: {ActionStatus.DONE},
    ActionStatus.DONE: {ActionStatus.CLOSED, ActionStatus.OPEN},  # verified, or not effective
    ActionStatus.CLOSED: {ActionStatus.OPEN},  # a later lot failing the same way reopens it
}
