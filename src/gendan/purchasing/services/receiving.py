"""Receiving (R-3.6): goods received against a PO line wait in inspection; only what quality accepts
is stocked in."""

import datetime as dt
from decimal import Decimal

from ..models import PurchaseOrderLine, Receipt


def receipt_create(
    *,
    actor,
    line: PurchaseOrderLine,
    quantity: Decimal,
    warehouse,
    delivery_note: str = "",
    lot_no: str = "",
    received_at: dt.datetime | None = None,
    case=None,
) -> Receipt:
    """Record goods received against `line` (a replacement for a supplier case names the case)."""
    raise NotImplementedError  # filled by the receiving work


def receipt_inspected(*, actor, receipt: Receipt, accepted: Decimal, rejected: Decimal) -> Receipt:
    """Quality's decision on a receipt: the accepted quantity is stocked in through the ledger, the
    rejected one opens a supplier case (not for a concession)."""
    raise NotImplementedError  # filled by the receiving work
