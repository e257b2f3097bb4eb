"""Plan statuses, their allowed transitions, and the other fixed lists of production planning."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    """A plan version's life (R-2.4): the planner drafts it (the engine places it, he pins and
    splits and re-runs), submits it, the order's merchandiser approves or rejects it. Only an
    approved version is in force; approving a newer one supersedes the one before."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved (in force)")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


V = VersionStatus


class Step(models.TextChoices):
    """The named ways a version moves; each is one service in planning/services."""

    SUBMIT = "submit", _("Submit for approval")  # plan_submit
    APPROVE = "approve", _("Approve")  # plan_approve
    REJECT = "reject", _("Reject")  # plan_reject
    WITHDRAW = "withdraw", _("Withdraw")  # plan_withdraw (the planner takes it back, or a newer draft)
    SUPERSEDE = "supersede", _("Superseded by a newer version")  # by plan_approve of the next one


TRANSITIONS: dict[str, dict[str, str]] = {
    V.DRAFT: {V.SUBMITTED: Step.SUBMIT, V.WITHDRAWN: Step.WITHDRAW},
    V.SUBMITTED: {V.APPROVED: Step.APPROVE, V.REJECTED: Step.REJECT, V.WITHDRAWN: Step.WITHDRAW},
    V.APPROVED: {V.SUPERSEDED: Step.SUPERSEDE},
    V.REJECTED: {},
    V.SUPERSEDED: {},
    V.WITHDRAWN: {},
}

# Who may take each step: the action asked of PlanVersion.objects.restrict(user, action).
STEP_ACTION: dict[str, str] = {
    Step.SUBMIT: "change",
    Step.WITHDRAW: "change",
    Step.APPROVE: "approve",
    Step.REJECT: "approve",
    Step.SUPERSEDE: "approve",
}

OPEN_VERSION_STATES = frozenset({V.DRAFT, V.SUBMITTED})


class PlanState(models.TextChoices):
    """Where an order's plan stands, for lists and home panels (worked out from its versions)."""

    TO_PLAN = "to_plan", _("To plan")
    DRAFT = "draft", _("Being planned")
    SUBMITTED = "submitted", _("Waiting for approval")
    IN_FORCE = "in_force", _("In force")
    REJECTED = "rejected", _("Rejected")
    REOPENED = "reopened", _("To re-plan")


class VersionSource(models.TextChoices):
    PLANNER = "planner", _("Planned by hand")
    RESCHEDULE = "reschedule", _("Reschedule of all open orders")


class OperationStatus(models.TextChoices):
    """An order operation on the shop floor: the schedule freezes started and finished ones."""

    PENDING = "pending", _("Not started")
    STARTED = "started", _("Started")
    FINISHED = "finished", _("Finished")


class WarningKind(models.TextChoices):
    """What a plan's checks find before it is submitted (R-2.2); each must be acknowledged."""

    OVERLOAD = "overload", _("Work centre overloaded")
    PEOPLE = "people", _("Not enough people")
    SHORTAGE = "shortage", _("Material short")
    LATE = "late", _("Finishes after the delivery date")


class ProposalStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready to review")
    ACCEPTED = "accepted", _("Accepted")
    DISCARDED = "discarded", _("Discarded")
    FAILED = "failed", _("Failed")
