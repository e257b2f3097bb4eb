"""The packing list (装箱单) and the delivery note (送货单) of a shipment, in the reader's language,
with a QR code to the shipment's page. No prices (need to know)."""

from django.utils import translation
from django.utils.translation import gettext as _

from gendan.core import pdf
from gendan.stores.services import fmt

from .models import Shipment


def _info(shipment: Shipment) -> list[tuple[str, str]]:
    order = shipment.order
    address = shipment.address
    return [
        (_("Shipment"), shipment.number),
        (_("Order number"), order.number),
        (_("Customer"), str(order.customer)),
        (_("Customer PO"), order.customer_po or "—"),
        (_("Delivery method"), shipment.get_method_display()),
        (_("Planned time"), f"{shipment.planned_at.astimezone():%Y-%m-%d %H:%M}"),
        (
            _("Delivery address"),
            f"{address.address} {address.city}".strip() if address else (shipment.place or "—"),
        ),
        (_("Place"), shipment.place or "—"),
    ]


def _lines(shipment: Shipment):
    return list(shipment.lines.select_related("order_line__product").order_by("order_line__line_no"))


def packing_list_pdf(shipment: Shipment, *, url: str, lang: str = "zh-hans") -> bytes:
    with translation.override(lang):
        rows = [
            [
                str(line.order_line.line_no),
                line.order_line.product.code if line.order_line.product else "",
                str(line.order_line.product or ""),
                line.order_line.spec or "",
                fmt(line.quantity),
                line.order_line.product.get_unit_display() if line.order_line.product else "",
                line.order_line.packaging_requirements or "",
            ]
            for line in _lines(shipment)
        ]
        blocks = [
            pdf.Row(
                [pdf.KeyValues(_info(shipment), columns=2), pdf.QRCode(url, caption=shipment.number)],
                widths=[4, 1],
            ),
            pdf.Spacer(4),
            pdf.Table(
                [
                    _("Line"),
                    _("Code"),
                    _("Product"),
                    _("Specification"),
                    _("Quantity"),
                    _("Unit"),
                    _("Packaging"),
                ],
                rows,
                align="llllrll",
            ),
            pdf.Spacer(10),
            pdf.Signatures([_("Packed by (warehouse)"), _("Checked by (logistics)")], per_row=2),
        ]
        return pdf.render_pdf(title=_("Packing list"), header_note=shipment.number, blocks=blocks, lang=lang)


def delivery_note_pdf(shipment: Shipment, *, url: str, lang: str = "zh-hans") -> bytes:
    with translation.override(lang):
        rows = [
            [
                str(line.order_line.line_no),
                str(line.order_line.product or ""),
                line.order_line.spec or "",
                fmt(line.quantity),
                "",
                "",
            ]
            for line in _lines(shipment)
        ]
        info = _info(shipment)
        if shipment.carrier or shipment.vehicle_plate or shipment.tracking_number:
            info.append(
                (
                    _("Carrier"),
                    " ".join(
                        x for x in (shipment.carrier, shipment.vehicle_plate, shipment.tracking_number) if x
                    ),
                )
            )
        blocks = [
            pdf.Row(
                [pdf.KeyValues(info, columns=2), pdf.QRCode(url, caption=shipment.number)], widths=[4, 1]
            ),
            pdf.Spacer(4),
            pdf.Table(
                [
                    _("Line"),
                    _("Product"),
                    _("Specification"),
                    _("Quantity shipped"),
                    _("Quantity received"),
                    _("Remarks"),
                ],
                rows,
                align="lllrrl",
            ),
            pdf.Spacer(6),
            pdf.Paragraph(
                _(
                    "Please check the goods on receipt and sign below; note any shortage or damage on this note."
                )
            ),
            pdf.Spacer(6),
            pdf.Signatures([_("Delivered by"), _("Received by (customer signature and date)")], per_row=2),
        ]
        return pdf.render_pdf(title=_("Delivery note"), header_note=shipment.number, blocks=blocks, lang=lang)
