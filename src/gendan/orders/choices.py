"""Order statuses, their allowed transitions, and the other fixed lists of the order flow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
# The whole workflow in one table. Putting on hold and resuming are handled by their own services
# (resume returns to the status the order was held in); cancelling after release is a change request.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.IN_REVIEW, S.CANCELLED},
    S.IN_REVIEW: {S.REVIEWED, S.AWAITING_CLARIFICATION, S.DRAFT, S.CANCELLED, S.ON_HOLD},
    S.AWAITING_CLARIFICATION: {S.IN_REVIEW, S.CANCELLED, S.ON_HOLD},
    S.REVIEWED: {S.RELEASED, S.IN_REVIEW, S.CANCELLED, S.ON_HOLD},
    S.RELEASED: {S.IN_PRODUCTION, S.ON_HOLD, S.CANCELLED},
    S.IN_PRODUCTION: {S.READY_TO_SHIP, S.ON_HOLD, S.CANCELLED},
    S.READY_TO_SHIP: {S.SHIPPED, S.ON_HOLD},
    S.SHIPPED: {S.DELIVERED},
    S.DELIVERED: {S.CLOSED},
    S.ON_HOLD: {
        S.IN_REVIEW,
        S.AWAITING_CLARIFICATION,
        S.REVIEWED,
        S.RELEASED,
        S.IN_PRODUCTION,
        S.READY_TO_SHIP,
        S.CANCELLED,
    },
    S.CLOSED: set(),
    S.CANCELLED: set(),
}

# Lines and header can be edited directly only before release; afterwards through change requests.
EDITABLE = {S.DRAFT, S.IN_REVIEW, S.AWAITING_CLARIFICATION, S.REVIEWED}
# Orders past release (the departments are working on them).
RELEASED_STATES = {S.RELEASED, S.IN_PRODUCTION, S.READY_TO_SHIP, S.SHIPPED, S.DELIVERED}
OPEN_STATES = set(S.values) - {S.CLOSED, S.CANCELLED, S.DELIVERED}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_WEIGHT = {Priority.LOW: 1, Priority.NORMAL: 2, Priority.HIGH: 4, Priority.URGENT: 8}


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


LINE_CHANGE_FIELDS = {
    ChangeKind.QUANTITY: "quantity",
    ChangeKind.DELIVERY_DATE: "delivery_date",
    ChangeKind.SPEC: "spec",
    ChangeKind.PACKAGING: "packaging_requirements",
}


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AttachmentKind(models.TextChoices):
    CUSTOMER_PO = "customer_po", _("Customer's PO")
    CLARIFICATION = "clarification", _("Clarification")
    ORDER_COPY = "order_copy", _("Order copy")
    OTHER = "other", _("Other")
