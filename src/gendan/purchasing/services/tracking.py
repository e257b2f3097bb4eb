"""Delivery tracking (R-3.5): open PO lines chased and escalated, and the orders a moved date makes
short."""

from collections.abc import Iterable


def lines_moved(*, line_ids: Iterable[int], actor=None) -> None:
    """Call inside the transaction that changed the expected date or quantity of PO lines (a
    confirmation, a change, a cancellation, a receipt): after commit the kit check of every order
    those lines serve is recomputed and the merchandisers are told which orders are now short."""
    return None  # filled by the delivery-tracking work
