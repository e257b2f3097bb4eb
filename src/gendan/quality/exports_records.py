"""The record lists behind the quality records' pictures (R-4.2), as Excel sheets: the defects found
(the incoming Pareto), the lots inspected (acceptance rate, p chart), the in-process and final
inspections decided (lots passed, their defects), the X̄-R chart's data (one row per subgroup: its
values, mean, range and the limits) and the shop floor's reports (scrap Pareto, first-pass yield,
scrap per product). Rows are read in one query each, streamed;
text that starts like a formula is escaped by core.excel. The scrap value column is there only
for a reader who may see order prices."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.excel import write_report

from .forms_records import RecordFilter
from .selectors_records import defects_in, inspections_in, may_see_value, reports_in
from .selectors_spc import decided_in, measured_chart


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


def _process(user, f: RecordFilter):
    headers = [
        _("Completed"),
        _("Kind"),
        _("Order"),
        _("Line"),
        _("Product code"),
        _("Product"),
        _("Operation"),
        _("Lot quantity"),
        _("Sample size"),
        _("Defective units"),
        _("Result"),
        _("Inspector"),
        _("Note"),
    ]
    rows = (
        decided_in(user=user, f=f)
        .select_related("order", "order_line", "operation", "plan__product", "inspector")
        .order_by("completed_at", "pk")
    )
    return (
        _("In-process and final inspections"),
        headers,
        (
            [
                _local_date(i.completed_at),
                i.get_kind_display(),
                i.order.number,
                i.order_line.line_no,
                i.plan.product.code,
                i.plan.product.local_name,
                f"{i.operation.sequence} {i.operation.name}" if i.operation_id else "",
                i.lot_quantity,
                i.sample_size,
                i.nonconforming,
                i.get_status_display(),
                str(i.inspector) if i.inspector_id else "",
                i.note,
            ]
            for i in rows.iterator(chunk_size=2000)
        ),
    )


def _xbar(user, f: RecordFilter):
    """The chart as drawn: per subgroup its values, X̄ and R with the centre lines and limits,
    the rules that fired, and how many values lie outside the specification."""
    chart = measured_chart(user=user, f=f)
    n = max(chart.n, 1)
    headers = [
        _("Subgroup"),
        _("Characteristic"),
        *[_("Value %(n)s") % {"n": i} for i in range(1, n + 1)],
        _("Mean (X̄)"),
        _("Range (R)"),
        _("X̄ centre line"),
        _("X̄ UCL"),
        _("X̄ LCL"),
        _("R centre line"),
        _("R UCL"),
        _("R LCL"),
        _("Out of control"),
        _("Values outside the specification"),
        _("Lower limit"),
        _("Nominal"),
        _("Upper limit"),
    ]
    title = _("X̄-R chart")
    if chart.xbar is None or chart.r is None:
        return title, headers, iter(())
    spec = chart.spec or (None, None, None)

    def rules(xp, rp) -> str:
        fired = []
        for name, p in (("X̄", xp), ("R", rp)):
            if p.beyond:
                fired.append(f"{name}: " + _("beyond a control limit"))
            if p.run:
                fired.append(f"{name}: " + _("9 in a row on one side"))
        return "; ".join(fired)

    def row(group, xp, rp):
        off = sum(1 for v in group.values if spec[0] is not None and not spec[0] <= v <= spec[2])
        return [
            group.label,
            chart.label,
            *group.values,
            xp.value,
            rp.value,
            chart.xbar.centre,
            xp.ucl,
            xp.lcl,
            chart.r.centre,
            rp.ucl,
            rp.lcl,
            rules(xp, rp),
            off,
            *spec,
        ]

    return (
        title,
        headers,
        (row(g, xp, rp) for g, xp, rp in zip(chart.groups, chart.xbar.points, chart.r.points, strict=True)),
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


LISTS: dict[str, Callable] = {
    "defects": _defects,
    "lots": _lots,
    "process": _process,
    "reports": _reports,
    "xbar": _xbar,
}


def records_workbook(kind: str, *, user, f: RecordFilter):
    """The sheet of one record list (`kind` from LISTS), or KeyError."""
    title, headers, rows = LISTS[kind](user, f)
    return write_report(f"{title} {f.key}", headers, rows)
