"""Escalation (上报, R-4.4): who a ladder's levels are, what a rule looks at, an escalation's life."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LevelRole(models.TextChoices):
    """Who is told at a level of a ladder, from the bottom up."""

    DEPARTMENT_MANAGER = "department_manager", _("Manager of the responsible department")
    PRODUCTION_MANAGER = "production_manager", _("Production manager")
    GENERAL_MANAGER = "general_manager", _("General manager")


# A ladder climbs: each level's role ranks above the one below it (a level "pointing back" loops).
ROLE_RANK: dict[str, int] = {
    LevelRole.DEPARTMENT_MANAGER: 1,
    LevelRole.PRODUCTION_MANAGER: 2,
    LevelRole.GENERAL_MANAGER: 3,
}


class RuleKind(models.TextChoices):
    SEVERITY = "severity", _("Severity at least")
    OVERDUE = "overdue", _("Days past the due date")
    DEPARTMENTS = "departments", _("Departments involved")
    DELIVERY_RISK = "delivery_risk", _("Delivery at risk")


class ReasonKind(models.TextChoices):
    RULE = "rule", _("By rule")
    HAND = "hand", _("By hand")


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for acknowledgement")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("escalation", "Acknowledged")
    CLIMBED = "climbed", _("Passed up")
    CLOSED = "closed", _("Closed")


E = EscalationStatus


class Step(models.TextChoices):
    RAISE = "raise", _("Escalated")
    ACKNOWLEDGE = "acknowledge", _("Escalation acknowledged")
    CLIMB = "climb", _("Escalation passed up")
    CLOSE = "close", _("Escalation closed")


# The whole life of an escalation. Passed up: nobody acknowledged in the level's time (or it was
# escalated higher by hand or by rule); the next level's escalation carries on.
TRANSITIONS: dict[str, dict[str, str]] = {
    E.OPEN: {E.ACKNOWLEDGED: Step.ACKNOWLEDGE, E.CLIMBED: Step.CLIMB, E.CLOSED: Step.CLOSE},
    E.ACKNOWLEDGED: {E.CLIMBED: Step.CLIMB, E.CLOSED: Step.CLOSE},
    E.CLIMBED: {},
    E.CLOSED: {},
}

# An issue has at most one live escalation (a unique constraint says so).
LIVE_STATES = (E.OPEN, E.ACKNOWLEDGED)
