"""Planning's answers to what happens to an order (registered in orders/hooks.py at start-up)."""

from gendan.orders.choices import ChangeKind, OrderStatus

from .services.flow import plan_reopen


def reopen_after_change(*, actor, change, order) -> None:
    """An approved change request re-opens the order's plan (R-1.6, R-2.4). A hold or a cancel also
    withdraws the versions being planned or waiting for approval; a cancelled order is not re-planned."""
    reason = f"CR{change.number}: {change.reason}".strip()
    stopped = change.kind in (ChangeKind.HOLD, ChangeKind.CANCEL) or order.status in (
        OrderStatus.ON_HOLD,
        OrderStatus.CANCELLED,
    )
    plan_reopen(
        actor=actor,
        order=order,
        reason=reason,
        withdraw_open=stopped,
        reopen=order.status != OrderStatus.CANCELLED,
    )
