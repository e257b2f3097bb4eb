"""The status steps besides review and release: hold, resume, cancel, back to draft, and the progress
recorded by hand after release. Which step applies is the transition table's (choices.TRANSITIONS):
after release, hold, resume and cancel record a change request that applies when approved (R-1.6)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.core.exceptions import WorkflowConflict

from ..choices import ChangeKind, OrderStatus, Step, forward_step
from ..models import ChangeRequest, Order
from .changes import change_request_create
from .common import move_status, order_for_step


@dataclass(frozen=True)
class StepResult:
    """What a hold, resume or cancel did: moved the order, or (after release) recorded `change`, a
    change request that moves it once approved."""

    order: Order
    change: ChangeRequest | None = None


def _required(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": message})
    return reason


def _step_or_request(
    *, actor, order: Order, target: str, step: str, kind: str, reason: str, extra: dict | None = None
) -> StepResult:
    if order.step_to(target) == Step.CHANGE_REQUEST:
        change = change_request_create(actor=actor, order_id=order.pk, kind=kind, reason=reason)
        return StepResult(order=order, change=change)
    moved = move_status(actor=actor, order=order, to=target, step=step, reason=reason, extra=extra)
    return StepResult(order=moved)


def order_hold(*, actor, order_id: int, reason: str) -> StepResult:
    """Put an order on hold, remembering where it was, so resuming returns it there."""
    reason = _required(reason, _("Give the reason for putting the order on hold."))
    with transaction.atomic():
        order = order_for_step(actor, order_id, Step.HOLD, lock=True)
        return _step_or_request(
            actor=actor,
            order=order,
            target=OrderStatus.ON_HOLD,
            step=Step.HOLD,
            kind=ChangeKind.HOLD,
            reason=reason,
            extra={"held_from": order.status},
        )


def order_resume(*, actor, order_id: int, reason: str = "") -> StepResult:
    """Return a held order to the status it was held in. Before release the reason is optional."""
    with transaction.atomic():
        order = order_for_step(actor, order_id, Step.RESUME, lock=True)
        if order.status != OrderStatus.ON_HOLD or not order.held_from:
            raise WorkflowConflict(_("The order is not on hold."))
        if order.step_to(order.held_from) == Step.CHANGE_REQUEST:
            reason = _required(reason, _("Give the reason for the change."))
        return _step_or_request(
            actor=actor,
            order=order,
            target=order.held_from,
            step=Step.RESUME,
            kind=ChangeKind.RESUME,
            reason=(reason or "").strip(),
            extra={"held_from": ""},
        )


def order_cancel(*, actor, order_id: int, reason: str) -> StepResult:
    reason = _required(reason, _("Give the reason for cancelling the order."))
    with transaction.atomic():
        order = order_for_step(actor, order_id, Step.CANCEL, lock=True)
        return _step_or_request(
            actor=actor,
            order=order,
            target=OrderStatus.CANCELLED,
            step=Step.CANCEL,
            kind=ChangeKind.CANCEL,
            reason=reason,
        )


def order_back_to_draft(*, actor, order_id: int) -> Order:
    with transaction.atomic():
        order = order_for_step(actor, order_id, Step.BACK_TO_DRAFT)
        return move_status(
            actor=actor,
            order=order,
            to=OrderStatus.DRAFT,
            step=Step.BACK_TO_DRAFT,
            expected=OrderStatus.IN_REVIEW,
        )


def order_advance(*, actor, order_id: int, expected: str) -> Order:
    """Record the next step towards closing (production started or finished, shipped, delivered,
    closed) from `expected`, the status the user saw."""
    target = forward_step(expected)
    if target is None:
        raise WorkflowConflict(_("This order has no next step from here."))
    with transaction.atomic():
        order = order_for_step(actor, order_id, Step.ADVANCE)
        return move_status(actor=actor, order=order, to=target, step=Step.ADVANCE, expected=expected)
