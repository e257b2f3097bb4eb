"""The gates finished goods pass before they are stocked in, besides the shop floor's count: the final
inspection (the quality app) registers one that refuses units not inspected or rejected, without
this app knowing the quality app:

    register_stock_in_gate(fn)   # fn(order_line, quantity) -> None, or why not (a message)

A gate is asked inside the stock-in's transaction, after the line's last operation is locked
(`services.stock_in_lock`): two stock-ins of one line ask it one after the other, each seeing what
the other stocked in. Whatever takes back what a gate allowed (a passed final inspection undone)
takes the same lock in its own transaction, so it cannot slip between a gate's answer and the
stock-in it allowed.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

Gate = Callable[[Any, Decimal], str | None]
_GATES: list[Gate] = []


def register_stock_in_gate(fn: Gate) -> None:
    if fn not in _GATES:
        _GATES.append(fn)


def stock_in_refusal(order_line, quantity: Decimal) -> str | None:
    """Why `quantity` of `order_line` may not be stocked in, or None when it may."""
    for gate in _GATES:
        reason = gate(order_line, quantity)
        if reason:
            return reason
    return None


# Who wants to know, in the stock-in's own transaction, that what an order has stocked in changed
# (a stock-in or its reversal): the delivery area moves the order to ready to ship and back.
# fn(order_id) -> None; an exception rolls the stock-in back.
Listener = Callable[[int], None]
_LISTENERS: list[Listener] = []


def register_stock_in_listener(fn: Listener) -> None:
    if fn not in _LISTENERS:
        _LISTENERS.append(fn)


def stocked_in_changed(order_id: int) -> None:
    for listener in _LISTENERS:
        listener(order_id)
