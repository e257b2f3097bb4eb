"""What the order services share: the conditional status update, snapshots, the audit scope."""

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record, snapshot
from gendan.core.exceptions import WorkflowConflict

from ..choices import OrderStatus, can_transition
from ..models import Order


def move_status(
    *,
    actor,
    order: Order,
    to: str,
    expected: str | None = None,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> Order:
    """Move an order to `to`. The UPDATE only matches the status the caller saw, so when two people
    act at once the second one changes nothing and is told why."""
    expected = expected or order.status
    if not can_transition(expected, to):
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
