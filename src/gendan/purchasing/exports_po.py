"""Excel export of the open PO lines (R-3.5), as the page lists them: ordered, confirmed, received and
open quantities, delivery, promised and expected dates, late and at risk; the unit price only for a
reader who may see supplier prices. Written row by row (memory stays flat however long the list)."""

from django.utils.translation import gettext as _

from gendan.core.excel import escape_cell, write_report
from gendan.core.fieldaccess import hidden_fields

from .models import PurchaseOrderLine


def _date(value) -> str:
    return value.isoformat() if value else ""


def open_lines_report(*, user, lines):
    """A file-like workbook of `lines` (open_line_list's rows)."""
    show_prices = "unit_price" not in hidden_fields(user, PurchaseOrderLine)
    headers = [
        _("PO number"),
        _("Line"),
        _("Supplier"),
        _("Material code"),
        _("Material"),
        _("Specification"),
        _("Unit"),
        _("Ordered"),
        _("Confirmed"),
        _("Received"),
        _("Open"),
        _("Delivery date"),
        _("Expected"),
        _("Late"),
        _("At risk"),
    ]
    if show_prices:
        headers.append(_("Unit price"))
    yes, no = _("yes"), ""

    def rows():
        for line in lines.iterator(chunk_size=2000):
            row = [
                line.order.number,
                line.position,
                line.order.supplier.local_name,
                line.material.code,
                line.material.local_name,
                line.spec,
                line.material.get_unit_display(),
                float(line.quantity),
                float(line.confirmed_qty),
                float(line.received_qty),
                float(line.open_quantity),
                _date(line.delivery_date),
                _date(line.expected_date),
                yes if line.is_late else no,
                yes if line.is_at_risk else no,
            ]
            if show_prices:
                row.append(float(line.unit_price) if line.unit_price is not None else "")
            yield [escape_cell(v) for v in row]

    return write_report(_("Open PO lines"), [str(h) for h in headers], rows())
