"""The record lists behind the quality records' pictures (R-4.2), as Excel sheets: the defects found
(the incoming Pareto), the lots inspected (acceptance rate, p chart) and the shop floor's reports
(scrap Pareto, first-pass yield, scrap per product). Rows are read in one query each, streamed;
text that starts like a formula is escaped by core.excel. The scrap value column is there only
for a reader who may see order prices."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.excel import write_report

from .forms_records import RecordFilter
from .selectors_records import defects_in, inspections_in, may_see_value, reports_in


def _local_date(value):
    return timezone.localtime(value).date() if value else None


def _defects(user, f: RecordFilter):
    headers = [
        _("Completed"),
        _("Receipt"),
        _("Supplier code"),
        _("Supplier"),
        _("Material code"),
        _("Material"),
        _("Defect code"),
        _("Defect"),
        _("Count"),
        _("Note"),
    ]
    rows = (
        defects_in(user=user, f=f)
        .select_related("inspection__receipt", "inspection__supplier", "inspection__material", "code")
        .order_by("inspection__completed_at", "pk")
    )
    return (
        _("Defects found"),
        headers,
        (
            [
                _local_date(d.inspection.completed_at),
                d.inspection.receipt.number,
                d.inspection.supplier.code,
                d.inspection.supplier.local_name,
                d.inspection.material.code,
                d.inspection.material.local_name,
                d.code.code,
                d.code.local_name,
                d.count,
                d.note,
            ]
            for d in rows.iterator(chunk_size=2000)
        ),
    )


def _lots(user, f: RecordFilter):
    headers = [
        _("Completed"),
        _("Receipt"),
        _("Supplier code"),
        _("Supplier"),
        _("Material code"),
        _("Material"),
        _("Lot size"),
        _("Sample size"),
        _("Nonconforming"),
        _("Result"),
        _("Note"),
    ]
    rows = (
        inspections_in(user=user, f=f)
        .select_related("receipt", "supplier", "material")
        .order_by("completed_at", "pk")
    )
    return (
        _("Lots inspected"),
        headers,
        (
            [
                _local_date(i.completed_at),
                i.receipt.number,
                i.supplier.code,
                i.supplier.local_name,
                i.material.code,
                i.material.local_name,
                i.lot_size,
                i.sample_size,
                i.nonconforming,
                i.get_result_display(),
                i.note,
            ]
            for i in rows.iterator(chunk_size=2000)
        ),
    )


def _reports(user, f: RecordFilter):
    value = may_see_value(user)
    headers = [
        _("Date"),
        _("Order"),
        _("Product code"),
        _("Product"),
        _("Operation"),
        _("Work centre"),
        _("Good quantity"),
        _("Scrap"),
        _("Scrap reason"),
        _("Remarks"),
    ]
    if value:
        headers.append(_("Scrap value (selling price)"))
    rows = (
        reports_in(user=user, f=f)
        .select_related(
            "operation__order", "operation__product", "operation__order_line", "work_centre", "scrap_reason"
        )
        .order_by("work_date", "pk")
    )

    def row(r):
        op = r.operation
        cells = [
            r.work_date,
            op.order.number,
            op.product.code,
            op.product.local_name,
            f"{op.sequence} {op.name}",
            str(r.work_centre),
            r.good_qty,
            r.scrap_qty,
            str(r.scrap_reason) if r.scrap_reason else "",
            r.remarks,
        ]
        if value:
            price = op.order_line.unit_price if op.product_id == op.order_line.product_id else None
            cells.append(r.scrap_qty * price if price is not None else None)
        return cells

    return _("Production reports"), headers, (row(r) for r in rows.iterator(chunk_size=2000))


LISTS: dict[str, Callable] = {"defects": _defects, "lots": _lots, "reports": _reports}


def records_workbook(kind: str, *, user, f: RecordFilter):
    """The sheet of one record list (`kind` from LISTS), or KeyError."""
    title, headers, rows = LISTS[kind](user, f)
    return write_report(f"{title} {f.key}", headers, rows)
