"""The gate finished goods pass before they are stocked in. Today nothing stops them but the shop
floor's count; the final inspection (the quality issue) registers a gate here that refuses units
not inspected or rejected, without this app knowing the quality app:

    register_stock_in_gate(fn)   # fn(order_line, quantity) -> None, or why not (a message)
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
