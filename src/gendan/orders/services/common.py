"""What the order services share: the conditional status update, snapshots, the audit scope."""

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record, snapshot
from gendan.core.exceptions import WorkflowConflict

from ..choices import DRIVEN, STEP_ACTION, OrderStatus, Step, step_between
from ..models import Order


def order_for(actor, order_id: int, action: str, *, lock: bool = False) -> Order:
    """The order a service acts on, if `actor` may take `action` on it (core.permissions):
    PermissionDenied if he may not, Order.DoesNotExist if there is no such order."""
    orders = Order.objects.select_for_update(of=("self",)) if lock else Order.objects.all()
    return orders.select_related("customer").get_for(actor, action, pk=order_id)


def order_for_step(actor, order_id: int, step: str, *, lock: bool = False) -> Order:
    return order_for(actor, order_id, STEP_ACTION[step], lock=lock)


def move_status(
    *,
    actor,
    order: Order,
    to: str,
    step: str,
    expected: str | None = None,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> Order:
    """Move an order to `to` by `step`, if the transition table (choices.TRANSITIONS, or DRIVEN for
    the delivery area's steps) has that step from the status the caller saw. The UPDATE only matches that status, so when two people act at
    once the second one changes nothing and is told why."""
    expected = expected or order.status
    allowed = step_between(expected, to, held_from=order.held_from)
    if allowed != step and DRIVEN.get((expected, to)) != step:
        if allowed == Step.CHANGE_REQUEST:
            raise WorkflowConflict(
                _("After release this needs a change request, approved before it applies (order %(number)s).")
                % {"number": order.number}
            )
        raise WorkflowConflict(
            _("An order that is “%(current)s” cannot become “%(target)s”.")
            % {"current": OrderStatus(expected).label, "target": OrderStatus(to).label}
        )
    fields = {"status": to, "updated_at": timezone.now(), **(extra or {})}
    if reason:
        fields["status_reason"] = reason[:300]
    won = Order.objects.filter(pk=order.pk, status=expected).update(**fields)
    if not won:
        current = Order.objects.filter(pk=order.pk).values_list("status", flat=True).first()
        label = OrderStatus(current).label if current else "?"
        raise WorkflowConflict(
            _("Someone else changed order %(number)s first (it is now “%(status)s”); reload and try again.")
            % {"number": order.number, "status": label}
        )
    audit_record(
        actor=actor,
        obj=order,
        action=f"status:{to}",
        changes={"status": [expected, to]},
        note=reason,
        scope=order.scope,
    )
    order.refresh_from_db()
    return order


def order_snapshot(order: Order) -> dict[str, Any]:
    """The order and its lines as plain data, for versions and their diffs."""
    lines = []
    for line in order.lines.select_related("product").order_by("line_no"):
        data = snapshot(line)
        data.pop("order", None)
        lines.append(data)
    head = snapshot(order)
    for key in (
        "status",
        "held_from",
        "status_reason",
        "reviewed_at",
        "reviewed_by",
        "released_at",
        "released_by",
        "version",
        "created_by",
    ):
        head.pop(key, None)
    return {"order": head, "lines": lines}


def audit(actor, obj: models.Model, action: str, order: Order, **kwargs):
    return audit_record(actor=actor, obj=obj, action=action, scope=order.scope, **kwargs)
