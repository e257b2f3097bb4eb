"""Order services: every write of the order flow, each atomic, validated and audited."""

from .attachments import attachment_add
from .changes import change_request_approve, change_request_create, change_request_reject, version_diff
from .entry import default_address, merchandiser_for, next_order_number, order_create, order_update
from .release import acknowledgement_confirm, acknowledgements_chase, order_release
from .review import (
    check_order,
    clarification_answer,
    clarification_ask,
    finding_resolve,
    order_mark_reviewed,
    order_run_review,
    order_submit,
)
from .status import (
    StepResult,
    order_advance,
    order_back_to_draft,
    order_cancel,
    order_hold,
    order_resume,
)

__all__ = [
    "StepResult",
    "acknowledgement_confirm",
    "acknowledgements_chase",
    "attachment_add",
    "default_address",
    "merchandiser_for",
    "change_request_approve",
    "change_request_create",
    "change_request_reject",
    "check_order",
    "clarification_answer",
    "clarification_ask",
    "finding_resolve",
    "next_order_number",
    "order_advance",
    "order_back_to_draft",
    "order_cancel",
    "order_create",
    "order_hold",
    "order_mark_reviewed",
    "order_release",
    "order_resume",
    "order_run_review",
    "order_submit",
    "order_update",
    "version_diff",
]
