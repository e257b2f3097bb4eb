"""The job traveller (工序流转卡, R-2.5): one sheet per planned order that travels with the work.

Per operation of the version in force (or the latest approved one), in the order the work is done
(sub-assemblies before the job they go into, each job's operations by sequence): where and when it
is planned, boxes for the good and scrapped quantities and the signature, and a QR code that opens
the operation's report form on a phone."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.core import pdf
from gendan.core.audit import audit_record
from gendan.orders.models import Order
from gendan.planning.choices import VersionStatus
from gendan.planning.models import Plan, PlannedOperation, PlanVersion

from .tokens import operation_token


def traveller_version(order: Order) -> PlanVersion | None:
    """The version a traveller prints: the one in force, else the latest approved one."""
    plan = Plan.objects.filter(order=order).select_related("in_force").first()
    if plan is not None and plan.in_force_id:
        return plan.in_force
    return (
        PlanVersion.objects.filter(plan__order=order, status=VersionStatus.APPROVED)
        .order_by("-number")
        .first()
    )


def _num(value) -> str:
    if value is None:
        return "—"
    value = value.normalize()
    return format(value, ",f")


def _when(value) -> str:
    return timezone.localtime(value).strftime("%m-%d %H:%M") if value else "—"


def traveller_rows(version: PlanVersion) -> list[dict]:
    """The version's operations, one per order operation (its parts joined), in working order."""
    parts = (
        PlannedOperation.objects.filter(version=version)
        .select_related("operation__product", "operation__order_line", "work_centre")
        .order_by("operation_id", "part")
    )
    rows: dict[int, dict] = {}
    for part in parts:
        row = rows.get(part.operation_id)
        if row is None:
            rows[part.operation_id] = {
                "operation": part.operation,
                "work_centres": [part.work_centre],
                "start": part.start,
                "end": part.end,
            }
        else:
            if part.work_centre not in row["work_centres"]:
                row["work_centres"].append(part.work_centre)
            row["start"], row["end"] = min(row["start"], part.start), max(row["end"], part.end)

    def key(row):
        op = row["operation"]
        return (op.order_line.line_no, -op.job_key.count("."), op.job_key, op.sequence)

    return sorted(rows.values(), key=key)


def traveller_pdf(order: Order, *, url_for: Callable[[str], str], lang: str = "zh-hans") -> bytes:
    """`url_for(token)` makes the absolute address a QR code opens (`<site>/s/<token>`)."""
    version = traveller_version(order)
    with translation.override(lang):
        lines = list(order.lines.filter(is_cancelled=False).select_related("product").order_by("line_no"))
        products = "; ".join(
            f"{line.product.code} {line.product.local_name}" if line.product else line.product_code
            for line in lines
        )
        quantities = "; ".join(_num(line.quantity) for line in lines)
        dates = sorted(line.delivery_date for line in lines if line.delivery_date)
        info = [
            (_("Order number"), order.number),
            (_("Customer"), str(order.customer)),
            (_("Product"), products or "—"),
            (_("Quantity"), quantities or "—"),
            (_("Delivery date"), dates[0].isoformat() if dates else "—"),
            (_("Plan version"), f"v{version.number}" if version else "—"),
        ]
        blocks: list = [
            pdf.Row(
                [pdf.KeyValues(info, columns=2), pdf.QRCode(order.number, caption=order.number)],
                widths=[5, 1],
            ),
            pdf.Spacer(4),
        ]
        rows = traveller_rows(version) if version else []
        if not rows:
            blocks.append(pdf.Paragraph(_("This order has no approved plan yet."), muted=True))
        job = None
        for row in rows:
            op = row["operation"]
            if op.job_key != job:
                job = op.job_key
                blocks += [pdf.Spacer(2), pdf.Heading(f"{op.product.code} {op.product.local_name}", level=2)]
            centres = ", ".join(f"{wc.code} {wc.local_name}" for wc in row["work_centres"])
            table = pdf.Table(
                [
                    _("Seq."),
                    _("Operation"),
                    _("Work centre"),
                    _("Planned start"),
                    _("Planned finish"),
                    _("Good"),
                    _("Scrap"),
                    _("Signature"),
                ],
                [[str(op.sequence), op.name, centres, _when(row["start"]), _when(row["end"]), "", "", ""]],
                col_widths=[0.6, 1.6, 1.8, 1.2, 1.2, 1, 1, 1.2],
                align="llllllll",
            )
            qr = pdf.QRCode(url_for(operation_token(op.pk)), caption=f"{op.sequence} {op.name}", size=20)
            blocks.append(pdf.Row([table, qr], widths=[6, 1]))
        blocks += [
            pdf.Spacer(6),
            pdf.Paragraph(_("Scan an operation's code with a phone to report it."), muted=True),
        ]
        return pdf.render_pdf(title=_("Job traveller"), blocks=blocks, lang=lang, header_note=order.number)


def traveller_print(*, actor, order: Order, url_for: Callable[[str], str], lang: str = "zh-hans") -> bytes:
    """Print the traveller: who printed which order's traveller, and when, is on its timeline."""
    data = traveller_pdf(order, url_for=url_for, lang=lang)
    audit_record(actor=actor, obj=order, action="traveller_printed", note=lang, scope=order.scope)
    return data
