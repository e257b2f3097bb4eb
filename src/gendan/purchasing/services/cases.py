"""Supplier cases (R-3.6): what is done about a rejected lot, tracked to closure."""

from decimal import Decimal

from gendan.core.audit import audit_record

from ..models import Receipt, SupplierCase
from .common import insert_numbered


def case_open(*, actor, receipt: Receipt, quantity: Decimal, description: str = "") -> SupplierCase:
    """Open a case for the rejected part of `receipt` (called by incoming inspection when a lot is
    rejected, inside its transaction)."""
    line = receipt.line
    case = SupplierCase(
        receipt=receipt,
        supplier_id=line.order.supplier_id,
        material_id=line.material_id,
        quantity=quantity,
        description=description,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    insert_numbered(case, "SC")
    audit_record(actor=actor, obj=case, action="create")
    return case


def case_replacement_inspected(*, actor, receipt: Receipt) -> None:
    """Called by incoming inspection when a replacement delivery (`receipt.case`) has been inspected,
    inside its transaction: the case closes when the replacement is accepted."""
    return None  # filled by the supplier-case work
