"""Issue (异常) kinds, severities, statuses and their allowed transitions, maintenance kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IssueKind(models.TextChoices):
    DELAY = "delay", _("Delay")
    QUALITY = "quality", _("Quality")
    MATERIAL = "material", _("Material")
    EQUIPMENT = "equipment", _("Equipment")
    CUSTOMER = "customer", _("Customer")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}


class IssueSource(models.TextChoices):
    """How an issue was opened: by hand, or by the system from a deviation it found (R-2.6)."""

    MANUAL = "manual", _("Opened by hand")
    BEHIND_PLAN = "behind_plan", _("Behind plan")
    SCRAP = "scrap", _("Scrap over allowance")
    BREAKDOWN = "breakdown", _("Equipment breakdown")
    INSPECTION = "inspection", _("From an inspection")
    INCOMING = "incoming", _("Incoming rejection")
    MEETING = "meeting", _("Coordination meeting action")
    COMPLAINT = "complaint", _("Customer complaint")


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("Being solved")
    RESOLVED = "resolved", _("Solved, to confirm")
    CLOSED = "closed", _("Closed")


I = IssueStatus  # noqa: E741


class Step(models.TextChoices):
    ACCEPT = "accept", _("Take on")  # issue_accept: the responsible department records cause and solution
    RESOLVE = "resolve", _("Mark solved")  # issue_resolve: needs the solution
    CLOSE = "close", _("Close")  # issue_close: the merchandiser (or the opener) confirms
    REOPEN = "reopen", _("Reopen")  # issue_reopen: keeps the history


TRANSITIONS: dict[str, dict[str, str]] = {
    I.OPEN: {I.IN_PROGRESS: Step.ACCEPT, I.RESOLVED: Step.RESOLVE, I.CLOSED: Step.CLOSE},
    I.IN_PROGRESS: {I.RESOLVED: Step.RESOLVE, I.CLOSED: Step.CLOSE},
    I.RESOLVED: {I.CLOSED: Step.CLOSE, I.IN_PROGRESS: Step.REOPEN},
    I.CLOSED: {I.IN_PROGRESS: Step.REOPEN},
}

STEP_ACTION: dict[str, str] = {
    Step.ACCEPT: "change",
    Step.RESOLVE: "change",
    Step.CLOSE: "close",
    Step.REOPEN: "close",
}

OPEN_STATES = frozenset({I.OPEN, I.IN_PROGRESS, I.RESOLVED})


class MaintenanceKind(models.TextChoices):
    PREVENTIVE = "preventive", _("Preventive maintenance")
    REPAIR = "repair", _("Repair")
    INSPECTION = "inspection", _("Inspection")
    CALIBRATION = "calibration", _("Calibration")
