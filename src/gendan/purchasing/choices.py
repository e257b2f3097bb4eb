"""Statuses of the purchasing area."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RunTrigger(models.TextChoices):
    CHANGE = "change", _("Plans, stock or orders changed")
    HAND = "hand", _("Asked for")


class PlanStatus(models.TextChoices):
    """A purchase plan version: purchasing drafts and submits it, the merchandisers decide its lines;
    a revision supersedes it (the old version stays readable)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    DECIDED = "decided", _("Decided")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PlanLineStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ORDERED = "ordered", _("Ordered")


class Decision(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class POStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to supplier")
    CONFIRMED = "confirmed", _("Confirmed by supplier")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class POLineStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")
    PARTLY_RECEIVED = "partly_received", _("Partly received")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")


class LineChangeKind(models.TextChoices):
    QUANTITY = "quantity", _("Quantity")
    DATE = "date", _("Delivery date")
    PRICE = "price", _("Unit price")
    CANCEL = "cancel", _("Cancelled")


class ReceiptStatus(models.TextChoices):
    """Goods received wait in inspection, not in stock, until quality decides (R-3.6)."""

    IN_INSPECTION = "in_inspection", _("In inspection")
    ACCEPTED = "accepted", pgettext_lazy("inspection result", "Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    REJECTED = "rejected", pgettext_lazy("inspection result", "Rejected")


class CaseKind(models.TextChoices):
    """What is done with a rejected lot (R-3.6)."""

    RETURN = "return", _("Return to supplier")
    REPLACEMENT = "replacement", _("Replacement")
    CONCESSION = "concession", _("Concession (use as is)")


class CaseStatus(models.TextChoices):
    """A supplier case (R-3.6): inspection opens it, purchasing decides what is done, and it is
    tracked until the goods went back, the replacement was accepted, or the concession approved."""

    OPEN = "open", _("To decide")
    AWAITING_RETURN = "awaiting_return", _("Awaiting return")
    AWAITING_REPLACEMENT = "awaiting_replacement", _("Awaiting replacement")
    AWAITING_APPROVAL = "awaiting_approval", _("Concession awaiting approval")
    CLOSED = "closed", _("Closed")


class PlanStep(models.TextChoices):
    """The named ways a purchase plan version moves; each is one service in services/plans.py."""

    SUBMIT = "submit", _("Submit for approval")  # plan_submit
    DECIDE = "decide", _("Every line decided")  # by plan_line_decide, when nothing is pending
    WITHDRAW = "withdraw", _("Withdraw")  # plan_withdraw: purchasing takes it back (or drops a draft)
    REVISE = "revise", _("Revised by a newer version")  # plan_revise


_P = PlanStatus

# The whole purchase plan workflow. A withdrawn or decided version is revised into a new draft
# version (approved lines carried as they were); the old one is superseded and stays readable.
PLAN_TRANSITIONS: dict[str, dict[str, str]] = {
    _P.DRAFT: {_P.SUBMITTED: PlanStep.SUBMIT, _P.WITHDRAWN: PlanStep.WITHDRAW},
    _P.SUBMITTED: {_P.DECIDED: PlanStep.DECIDE, _P.WITHDRAWN: PlanStep.WITHDRAW},
    _P.DECIDED: {_P.SUPERSEDED: PlanStep.REVISE},
    _P.WITHDRAWN: {_P.SUPERSEDED: PlanStep.REVISE},
    _P.SUPERSEDED: {},
}

# The restrict() action each step needs on PurchasePlan (decisions are asked of PlanLineDecision).
PLAN_STEP_ACTION: dict[str, str] = {
    PlanStep.SUBMIT: "submit",
    PlanStep.WITHDRAW: "change",
    PlanStep.REVISE: "change",
}

# Versions whose lines cover a requirement (a new draft does not propose it again).
OPEN_PLAN_STATES = frozenset({_P.DRAFT, _P.SUBMITTED, _P.DECIDED})
# Versions whose approved lines may become purchase order lines (a superseded version's approved
# lines live on in its revision, a withdrawn one's are not in use).
ORDERABLE_PLAN_STATES = frozenset({_P.SUBMITTED, _P.DECIDED})


class POStep(models.TextChoices):
    """The named ways a purchase order moves; each is one service in services/po.py."""

    SEND = "send", _("Send to supplier")  # po_send
    CONFIRM = "confirm", _("Confirmed by supplier")  # po_line_confirm, when every open line is
    REOPEN = "reopen", _("Back to awaiting confirmation")  # a change asks the supplier again
    CLOSE = "close", _("Close")  # po_close
    CANCEL = "cancel", _("Cancel")  # po_cancel


S = POStatus
# The whole life of a purchase order, readable in one place: status → {status: the step}.
PO_TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {S.SENT: POStep.SEND, S.CANCELLED: POStep.CANCEL},
    S.SENT: {S.CONFIRMED: POStep.CONFIRM, S.CLOSED: POStep.CLOSE, S.CANCELLED: POStep.CANCEL},
    S.CONFIRMED: {S.SENT: POStep.REOPEN, S.CLOSED: POStep.CLOSE, S.CANCELLED: POStep.CANCEL},
    S.CLOSED: {},
    S.CANCELLED: {},
}
# Who may take each step: the action asked of PurchaseOrder.objects.restrict(user, action).
PO_STEP_ACTION: dict[str, str] = {
    POStep.SEND: "send",
    POStep.CONFIRM: "confirm",
    POStep.REOPEN: "change",
    POStep.CLOSE: "change",
    POStep.CANCEL: "change",
}
# A PO whose lines may still be confirmed, changed or received.
PO_OPEN_STATES = frozenset({S.DRAFT, S.SENT, S.CONFIRMED})
# A line still waiting for goods.
PO_LINE_OPEN_STATES = frozenset({POLineStatus.OPEN, POLineStatus.CONFIRMED, POLineStatus.PARTLY_RECEIVED})


class CaseStep(models.TextChoices):
    """The named ways a case moves; each is one service in purchasing/services/cases.py."""

    DECIDE = "decide", _("Decide the disposition")  # case_decide
    RECORD_RETURN = "record_return", _("Record the return")  # case_return_record
    REPLACED = "replaced", _("Replacement accepted")  # case_replacement_inspected
    APPROVE = "approve", _("Approve the concession")  # case_concession_approve
    REJECT = "reject", _("Reject the concession")  # case_concession_reject
    RECONSIDER = "reconsider", _("Decide again")  # case_reconsider


_C = CaseStatus

CASE_TRANSITIONS: dict[str, dict[str, str]] = {
    _C.OPEN: {
        _C.AWAITING_RETURN: CaseStep.DECIDE,
        _C.AWAITING_REPLACEMENT: CaseStep.DECIDE,
        _C.AWAITING_APPROVAL: CaseStep.DECIDE,
    },
    _C.AWAITING_RETURN: {_C.CLOSED: CaseStep.RECORD_RETURN, _C.OPEN: CaseStep.RECONSIDER},
    _C.AWAITING_REPLACEMENT: {_C.CLOSED: CaseStep.REPLACED, _C.OPEN: CaseStep.RECONSIDER},
    _C.AWAITING_APPROVAL: {_C.CLOSED: CaseStep.APPROVE, _C.OPEN: CaseStep.REJECT},
    _C.CLOSED: {},
}

# Who may take each step: the action asked of SupplierCase.objects.restrict(user, action).
CASE_STEP_ACTION: dict[str, str] = {
    CaseStep.DECIDE: "change",
    CaseStep.RECORD_RETURN: "change",
    CaseStep.RECONSIDER: "change",
    CaseStep.REPLACED: "change",
    CaseStep.APPROVE: "approve_concession",
    CaseStep.REJECT: "approve_concession",
}

# The disposition each decision leads to.
CASE_KIND_STATUS: dict[str, str] = {
    CaseKind.RETURN: _C.AWAITING_RETURN,
    CaseKind.REPLACEMENT: _C.AWAITING_REPLACEMENT,
    CaseKind.CONCESSION: _C.AWAITING_APPROVAL,
}
