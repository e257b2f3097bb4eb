"""Supplier cases (R-3.6): what is done about a rejected lot, tracked to closure."""


def case_open(*, actor, receipt, quantity, description: str = ""):
    """Open a case for the rejected part of `receipt` (called by incoming inspection when a lot is
    rejected, in its transaction); returns the SupplierCase."""
    raise NotImplementedError  # filled by the supplier-case work
