"""What later areas do when something happens to an order. Orders cannot import the apps above it
(planning, purchasing …), so they register a function here from their AppConfig.ready, and the
orders services call every registered function inside their own transaction.

- `register_after_change_approved(fn)`: `fn(*, actor, change, order)` runs when a change request
  is approved and applied (the order as it is after the change: a hold or a cancel has moved its
  status). Planning re-opens the order's plan with it (R-1.6)."""

from collections.abc import Callable

_AFTER_CHANGE_APPROVED: list[Callable[..., None]] = []


def register_after_change_approved(fn: Callable[..., None]) -> None:
    if fn not in _AFTER_CHANGE_APPROVED:  # ready() may run twice (tests)
        _AFTER_CHANGE_APPROVED.append(fn)


def after_change_approved(*, actor, change, order) -> None:
    for fn in list(_AFTER_CHANGE_APPROVED):
        fn(actor=actor, change=change, order=order)
