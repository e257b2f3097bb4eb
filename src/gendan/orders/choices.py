"""Order statuses, their allowed transitions, and the other fixed lists of the order flow."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    AWAITING_CLARIFICATION = "awaiting_clarification", _("Awaiting clarification")
    REVIEWED = "reviewed", _("Reviewed")
    RELEASED = "released", _("Released")
    IN_PRODUCTION = "in_production", _("In production")
    READY_TO_SHIP = "ready_to_ship", _("Ready to ship")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    ON_HOLD = "on_hold", _("On hold")
    CANCELLED = "cancelled", _("Cancelled")


S = OrderStatus


class Step(models.TextChoices):
    """The named ways an order moves from one status to another; each is one service."""

    SUBMIT = "submit", _("Send to review")  # order_submit
    BACK_TO_DRAFT = "back_to_draft", _("Back to draft")  # order_back_to_draft
    ASK_CUSTOMER = "ask_customer", _("Ask the customer")  # clarification_ask
    CUSTOMER_ANSWERED = "customer_answered", _("Customer answered")  # clarification_answer
    MARK_REVIEWED = "mark_reviewed", _("Mark reviewed")  # order_mark_reviewed
    REOPEN_REVIEW = "reopen_review", _("Edited after review")  # order_update
    RELEASE = "release", _("Release")  # order_release
    # Production started or finished, recorded by hand (order_advance) where the shop floor and the
    # warehouse do not drive it (the first report starts production; stocking in the last finished
    # goods makes the order ready to ship). Shipped, delivered and closed are never by hand: they
    # carry the customer's confirmation, the proofs of delivery and the "nothing open" rule (DRIVEN).
    ADVANCE = "advance", _("Record progress")
    HOLD = "hold", _("Put on hold")  # order_hold
    RESUME = "resume", _("Resume")  # order_resume
    CANCEL = "cancel", _("Cancel")  # order_cancel
    # After release the customer's wishes change an order only through an approved change request
    # order_hold / order_resume / order_cancel then record one, and its approval moves.
    CHANGE_REQUEST = "change_request", _("By an approved change request")
    # Taken by the delivery area (see DRIVEN below): all finished goods stocked in, a stock-in
    # reversed below the order, everything shipped, everything delivered, closed by the merchandiser.
    READY = "ready", _("All finished goods stocked in")
    UNREADY = "unready", _("Stock-in reversed")
    SHIP = "ship", _("Everything shipped")
    DELIVER = "deliver", _("Everything delivered")
    CLOSE = "close", _("Close")


# The whole workflow in one table: status → {status it may become: the step that does it}.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {S.IN_REVIEW: Step.SUBMIT, S.CANCELLED: Step.CANCEL},
    S.IN_REVIEW: {
        S.REVIEWED: Step.MARK_REVIEWED,
        S.AWAITING_CLARIFICATION: Step.ASK_CUSTOMER,
        S.DRAFT: Step.BACK_TO_DRAFT,
        S.ON_HOLD: Step.HOLD,
        S.CANCELLED: Step.CANCEL,
    },
    S.AWAITING_CLARIFICATION: {
        S.IN_REVIEW: Step.CUSTOMER_ANSWERED,
        S.ON_HOLD: Step.HOLD,
        S.CANCELLED: Step.CANCEL,
    },
    S.REVIEWED: {
        S.RELEASED: Step.RELEASE,
        S.IN_REVIEW: Step.REOPEN_REVIEW,
        S.ON_HOLD: Step.HOLD,
        S.CANCELLED: Step.CANCEL,
    },
    S.RELEASED: {
        S.IN_PRODUCTION: Step.ADVANCE,
        S.ON_HOLD: Step.CHANGE_REQUEST,
        S.CANCELLED: Step.CHANGE_REQUEST,
    },
    S.IN_PRODUCTION: {
        S.READY_TO_SHIP: Step.ADVANCE,
        S.ON_HOLD: Step.CHANGE_REQUEST,
        S.CANCELLED: Step.CHANGE_REQUEST,
    },
    S.READY_TO_SHIP: {
        S.ON_HOLD: Step.CHANGE_REQUEST,
        S.CANCELLED: Step.CHANGE_REQUEST,
    },
    # Shipped, delivered, closed: only by the delivery area's records (DRIVEN below).
    S.SHIPPED: {},
    S.DELIVERED: {},
    # An order on hold resumes to the status it was held in (`held_from`); cancelling it follows the
    # row of that status (see `step_between`), so before release it is direct, after release by request.
    S.ON_HOLD: {
        S.IN_REVIEW: Step.RESUME,
        S.AWAITING_CLARIFICATION: Step.RESUME,
        S.REVIEWED: Step.RESUME,
        S.RELEASED: Step.CHANGE_REQUEST,
        S.IN_PRODUCTION: Step.CHANGE_REQUEST,
        S.READY_TO_SHIP: Step.CHANGE_REQUEST,
    },
    S.CLOSED: {},
    S.CANCELLED: {},
}

# Who may take each step: the action asked of Order.objects.restrict(user, action) (core.permissions;
# the actions' permissions are in accounts/roles.py, the rule "his own orders" in OrderQuerySet).
STEP_ACTION: dict[str, str] = {
    Step.SUBMIT: "review",
    Step.ASK_CUSTOMER: "review",
    Step.CUSTOMER_ANSWERED: "review",
    Step.MARK_REVIEWED: "review",
    Step.RELEASE: "release",
    Step.BACK_TO_DRAFT: "change",
    Step.REOPEN_REVIEW: "change",
    Step.ADVANCE: "change",
    Step.HOLD: "change",
    Step.RESUME: "change",
    Step.CANCEL: "change",
    Step.CHANGE_REQUEST: "change",
    Step.READY: "view",
    Step.UNREADY: "view",
    Step.SHIP: "view",
    Step.DELIVER: "view",
    Step.CLOSE: "change",
}

# The moves the delivery area drives from its own records (stock-in, shipments, proofs of
# delivery, the merchandiser's close), beside TRANSITIONS: (from, to) → its step. Ready to ship
# also stays recordable by hand (Step.ADVANCE: goods made outside the shop floor's records; with
# nothing stocked in there is nothing to ship); the others only here.
DRIVEN: dict[tuple[str, str], str] = {
    (S.IN_PRODUCTION, S.READY_TO_SHIP): Step.READY,
    (S.READY_TO_SHIP, S.IN_PRODUCTION): Step.UNREADY,
    (S.READY_TO_SHIP, S.SHIPPED): Step.SHIP,
    (S.SHIPPED, S.DELIVERED): Step.DELIVER,
    (S.DELIVERED, S.CLOSED): Step.CLOSE,
    # Delivered short or damaged, the difference settled with the customer (delivery.close_refusal).
    (S.SHIPPED, S.CLOSED): Step.CLOSE,
}


def step_between(current: str, target: str, *, held_from: str = "") -> str | None:
    """The step that takes an order from `current` to `target`, or None if no step does."""
    if current == S.ON_HOLD:
        if target == S.CANCELLED:
            return TRANSITIONS.get(held_from, {}).get(S.CANCELLED)
        if target != held_from:
            return None  # a held order resumes only to where it was
    return TRANSITIONS.get(current, {}).get(target)


def next_steps(current: str, *, held_from: str = "") -> dict[str, str]:
    """Status it may become → step, from `current` (for an order on hold: resuming and cancelling)."""
    if current == S.ON_HOLD:
        targets = [t for t in (held_from, S.CANCELLED) if t]
    else:
        targets = list(TRANSITIONS.get(current, {}))
    found = {t: step_between(current, t, held_from=held_from) for t in targets}
    return {t: step for t, step in found.items() if step is not None}


def forward_step(current: str) -> str | None:
    """The next status on the way to closed that is recorded by hand (Step.ADVANCE), if any."""
    return next((t for t, step in TRANSITIONS.get(current, {}).items() if step == Step.ADVANCE), None)


# Statuses in which the order itself (header and lines) is edited and its review checks re-run;
# afterwards it changes only through change requests.
EDITABLE = frozenset({S.DRAFT, S.IN_REVIEW, S.AWAITING_CLARIFICATION, S.REVIEWED})
# Statuses whose capacity answer is still wanted (a reviewed order keeps the one it was reviewed with).
AWAITING_CAPACITY_CHECK = EDITABLE - {S.REVIEWED}
# Orders past release (the departments are working on them).
RELEASED_STATES = frozenset({S.RELEASED, S.IN_PRODUCTION, S.READY_TO_SHIP, S.SHIPPED, S.DELIVERED})
OPEN_STATES = frozenset(set(S.values) - {S.CLOSED, S.CANCELLED, S.DELIVERED})


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_WEIGHT: dict[str, int] = {Priority.LOW: 1, Priority.NORMAL: 2, Priority.HIGH: 4, Priority.URGENT: 8}


class ReceivedVia(models.TextChoices):
    PAPER = "paper", _("Paper / fax")
    EMAIL = "email", _("E-mail")
    EXCEL = "excel", _("Excel import")
    API = "api", _("API / EDI")
    PHONE = "phone", _("Phone")


class FindingCode(models.TextChoices):
    MISSING_FIELD = "missing_field", _("Missing information")
    UNKNOWN_PRODUCT = "unknown_product", _("Unknown product")
    UNKNOWN_SPEC = "unknown_spec", _("Unknown specification")
    BAD_QUANTITY = "bad_quantity", _("Quantity not positive")
    PAST_DATE = "past_date", _("Delivery date in the past")
    SHORT_LEAD_TIME = "short_lead_time", _("Shorter than lead time")
    CAPACITY = "capacity", _("Capacity or materials")
    DUPLICATE_PO = "duplicate_po", _("Duplicate customer PO")
    CREDIT_HOLD = "credit_hold", _("Customer on hold")
    CREDIT_LIMIT = "credit_limit", _("Over credit limit")
    STANDARD_APPLIES = "standard", _("Standard applies")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ASKED = "asked", _("Asked the customer")
    RESOLVED = "resolved", _("Resolved")


class ClarificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


class ChangeKind(models.TextChoices):
    QUANTITY = "quantity", _("Quantity")
    DELIVERY_DATE = "delivery_date", _("Delivery date")
    SPEC = "spec", _("Specification")
    PACKAGING = "packaging", _("Packaging")
    HOLD = "hold", _("Put on hold")
    RESUME = "resume", _("Resume")
    CANCEL = "cancel", _("Cancel order")


LINE_CHANGE_FIELDS: dict[str, str] = {
    ChangeKind.QUANTITY: "quantity",
    ChangeKind.DELIVERY_DATE: "delivery_date",
    ChangeKind.SPEC: "spec",
    ChangeKind.PACKAGING: "packaging_requirements",
}


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    # A context of its own: suppliers are "approved" (合格) too, in other words.
    APPROVED = "approved", pgettext_lazy("change request", "Approved")
    REJECTED = "rejected", pgettext_lazy("change request", "Rejected")


class AttachmentKind(models.TextChoices):
    CUSTOMER_PO = "customer_po", _("Customer's PO")
    CLARIFICATION = "clarification", _("Clarification")
    ORDER_COPY = "order_copy", _("Order copy")
    OTHER = "other", _("Other")
