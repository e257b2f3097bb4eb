"""A purchase plan as an Excel sheet (R-3.2): its lines with their orders and decisions; prices
only for roles that may see supplier prices; text cells escaped (core.excel.write_report)."""

from django.utils.translation import gettext as _

from gendan.accounts.roles import can_see
from gendan.core.excel import write_report

from .suggest import reason_text


def plan_rows(*, user, lines):
    prices = can_see(user, "supplier_prices")
    headers = [
        _("Line"),
        _("Material code"),
        _("Material"),
        _("Specification"),
        _("Quantity"),
        _("Unit"),
        _("Order by"),
        _("Needed by"),
        _("Supplier"),
        _("Why this supplier"),
    ]
    if prices:
        headers += [_("Unit price"), _("Last price"), _("Price change (%)")]
    headers += [_("Status"), _("For orders"), _("Decisions"), _("Note")]
    rows = []
    for line in lines:
        row = [
            line.position,
            line.material.code,
            line.material.local_name,
            line.spec,
            line.quantity,
            line.material.get_unit_display(),
            line.order_by,
            line.need_date,
            str(line.supplier) if line.supplier else "",
            reason_text(line.suggestion_reason),
        ]
        if prices:
            row += [line.unit_price, line.last_price, line.price_change_pct]
        row += [
            line.get_status_display(),
            ", ".join(f"{p.order.number} {p.quantity.normalize():f}" for p in line.pegs.all()),
            "; ".join(
                f"{d.merchandiser}: {d.get_decision_display()}{' — ' + d.reason if d.reason else ''}"
                for d in line.decisions.all()
            ),
            line.note,
        ]
        rows.append(row)
    return headers, rows


def plan_workbook(*, user, plan, lines):
    headers, rows = plan_rows(user=user, lines=lines)
    return write_report(f"{plan.number} v{plan.version}", headers, rows)
