"""The order copy (订单副本, R-1.4): a printable PDF for production, purchasing and quality."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.core import pdf

from .models import Order


def _num(value) -> str:
    if value is None:
        return "—"
    return format(value.normalize(), ",f") if value == value.to_integral() else format(value.normalize(), "f")


def order_copy_pdf(order: Order, *, lang: str = "zh-hans") -> bytes:
    with translation.override(lang):
        lines = list(order.lines.filter(is_cancelled=False).select_related("product").order_by("line_no"))
        info = [
            (_("Order number"), order.number),
            (_("Version"), str(order.version)),
            (_("Customer"), str(order.customer)),
            (_("Customer PO number"), order.customer_po or "—"),
            (_("Merchandiser"), str(order.merchandiser or "—")),
            (_("Priority"), order.get_priority_display()),
            (_("Received on"), order.received_on.isoformat()),
            (
                _("Released at"),
                timezone.localtime(order.released_at).strftime("%Y-%m-%d %H:%M")
                if order.released_at
                else "—",
            ),
        ]
        if order.delivery_address_id:
            # The address only: who receives the goods is for logistics (accounts/roles.py,
            # FIELD_GROUPS "delivery_contact"), and the copy goes to every department.
            info.append((_("Delivery address"), order.delivery_address.address))
        rows = []
        requirements = []
        for line in lines:
            rows.append(
                [
                    str(line.line_no),
                    line.product.code if line.product else line.product_code,
                    line.product.local_name if line.product else "",
                    line.spec or "—",
                    _num(line.quantity),
                    line.product.get_unit_display() if line.product else "",
                    line.delivery_date.isoformat() if line.delivery_date else "—",
                ]
            )
            requirements.append(
                [
                    str(line.line_no),
                    line.quality_requirements
                    or (line.product.quality_standard if line.product else "")
                    or "—",
                    line.packaging_requirements
                    or (line.product.packaging_standard if line.product else "")
                    or "—",
                ]
            )
        blocks = [
            pdf.Row(
                [pdf.KeyValues(info, columns=2), pdf.QRCode(order.number, caption=order.number)],
                widths=[5, 1],
            ),
            pdf.Spacer(4),
            pdf.Heading(_("Order lines")),
            pdf.Table(
                [
                    _("Line"),
                    _("Product code"),
                    _("Product"),
                    _("Specification"),
                    _("Quantity"),
                    _("Unit"),
                    _("Delivery date"),
                ],
                rows,
                col_widths=[0.6, 1.6, 2.2, 2.2, 1.2, 0.7, 1.4],
                align="llllrll",
            ),
            pdf.Spacer(4),
            pdf.Heading(_("Quality and packaging requirements")),
            pdf.Table(
                [_("Line"), _("Quality requirements"), _("Packaging requirements")],
                requirements,
                col_widths=[0.6, 4, 4],
            ),
        ]
        if order.notes:
            blocks += [pdf.Spacer(3), pdf.Heading(_("Notes")), pdf.Paragraph(order.notes)]
        blocks += [
            pdf.Spacer(8),
            pdf.Paragraph(_("Received by (sign and date):"), muted=True),
            pdf.Signatures([_("Merchandiser"), _("Production"), _("Purchasing"), _("Quality")]),
        ]
        return pdf.render_pdf(title=_("Order copy"), blocks=blocks, lang=lang, header_note=order.number)
