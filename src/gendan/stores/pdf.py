"""The picking list on paper (Chinese by default, English on request): what the keeper takes from
which warehouse for an order, with room for who issued and who received."""

from django.utils import translation
from django.utils.translation import gettext as _

from gendan.core import pdf

from .selectors import PickingList
from .services import fmt


def picking_pdf(picking: PickingList, *, lang: str = "zh-hans") -> bytes:
    with translation.override(lang):
        order = picking.order
        rows = []
        for row in picking.rows:
            where = (
                "; ".join(f"{s.warehouse.code} {fmt(s.suggested)}" for s in row.stock if s.suggested) or "—"
            )
            rows.append(
                [
                    row.material.code,
                    str(row.material),
                    row.material.spec,
                    row.need_date.isoformat() if row.need_date else "—",
                    fmt(row.required),
                    fmt(row.issued),
                    fmt(row.to_issue),
                    row.material.get_unit_display(),
                    where,
                    "",
                ]
            )
        info = [
            (_("Order number"), order.number),
            (_("Customer"), str(order.customer)),
            (_("Plan version"), str(picking.version.number) if picking.version else "—"),
        ]
        blocks = [
            pdf.KeyValues(info, columns=3),
            pdf.Spacer(4),
            pdf.Table(
                [
                    _("Code"),
                    _("Material"),
                    _("Specification"),
                    _("Needed by"),
                    _("Required"),
                    _("Issued so far"),
                    _("To issue"),
                    _("Unit"),
                    _("From warehouse"),
                    _("Actually issued"),
                ],
                rows,
                col_widths=[1.2, 1.8, 1.4, 1.2, 0.9, 0.9, 0.9, 0.6, 1.6, 1.0],
                align="llllrrrlll",
            )
            if rows
            else pdf.Paragraph(_("The order's plan in force needs no material.")),
            pdf.Spacer(10),
            pdf.Signatures([_("Issued by (warehouse)"), _("Received by (production)")], per_row=2),
        ]
        return pdf.render_pdf(title=_("Picking list"), header_note=order.number, blocks=blocks, lang=lang)
