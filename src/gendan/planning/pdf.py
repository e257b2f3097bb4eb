"""The delivery-date reply (交期回复, R-2.3): what we tell the customer after asking "can we deliver?".

It carries only what the customer may read: his name (optional), the products and quantities, the
date we can promise, how long the reply is valid and a signature line. The bottleneck and the other
customers' orders a squeeze would delay stay on the internal page."""

import datetime as dt

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.core import pdf

from .services.ctp import CtpAnswer


def _num(value) -> str:
    value = value.normalize()
    return format(value, ",f") if value == value.to_integral() else format(value, "f")


def delivery_reply_blocks(answer: CtpAnswer, *, customer: str = "", valid_days: int = 7) -> list:
    today = timezone.localdate()
    info = []
    if customer:
        info.append((_("Customer"), customer))
    info += [
        (_("Date of reply"), today.isoformat()),
        (_("Date you asked for"), answer.requested.isoformat()),
        (_("Date we can promise"), answer.promise_date.isoformat()),
        (_("Valid until"), (today + dt.timedelta(days=valid_days)).isoformat()),
    ]
    rows = [
        [
            item.product.code,
            item.product.local_name,
            item.product.spec or "—",
            _num(item.quantity),
            item.product.get_unit_display(),
        ]
        for item in answer.items
    ]
    if answer.without_delaying_others:
        wording = _("We can deliver the products below by the date you asked for.")
    else:
        wording = _(
            "We cannot deliver by the date you asked for; the earliest date we can promise is %(date)s."
        ) % {"date": answer.promise_date.isoformat()}
    return [
        pdf.Paragraph(_("Thank you for your enquiry. Our reply on the delivery date:")),
        pdf.Spacer(3),
        pdf.KeyValues(info, columns=2),
        pdf.Spacer(4),
        pdf.Heading(_("Products")),
        pdf.Table(
            [_("Product code"), _("Product"), _("Specification"), _("Quantity"), _("Unit")],
            rows,
            col_widths=[1.6, 2.6, 2.4, 1.2, 0.8],
            align="lllrl",
        ),
        pdf.Spacer(4),
        pdf.Paragraph(wording),
        pdf.Paragraph(
            _(
                "This reply holds until the date above, provided the order is confirmed by then; "
                "after that please ask us again."
            ),
            muted=True,
        ),
        pdf.Spacer(10),
        pdf.Signatures([_("Prepared by"), _("Approved by"), _("Customer confirmation")], per_row=3),
    ]


def delivery_reply_pdf(
    answer: CtpAnswer, *, customer: str = "", valid_days: int = 7, lang: str = "zh-hans"
) -> bytes:
    with translation.override(lang):
        blocks = delivery_reply_blocks(answer, customer=customer, valid_days=valid_days)
        return pdf.render_pdf(title=_("Delivery date reply"), blocks=blocks, lang=lang)
