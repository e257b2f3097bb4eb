"""Planning's answers to what happens to an order (registered in orders/hooks.py at start-up), and
what the apps above planning give it: what is on order for the kit check (purchasing registers
`register_supply_source(fn)` in its AppConfig.ready; planning does not import purchasing)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal

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


# fn(material_ids) -> {material id: [(date, quantity), …]}: what arrives for each material, when.
SupplySource = Callable[[list[int]], dict[int, list[tuple[dt.date, Decimal]]]]
_SUPPLY_SOURCES: list[SupplySource] = []


def register_supply_source(fn: SupplySource) -> None:
    if fn not in _SUPPLY_SOURCES:  # ready() may run twice (tests)
        _SUPPLY_SOURCES.append(fn)


def supply_on_order(material_ids: Iterable[int]) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """What every registered source has on order for the materials (nothing without purchasing)."""
    ids = sorted(set(material_ids))
    found: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    if not ids:
        return {}
    for fn in list(_SUPPLY_SOURCES):
        for material, arrivals in fn(ids).items():
            found[material].extend(arrivals)
    return dict(found)
