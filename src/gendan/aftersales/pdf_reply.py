"""The reply to the customer on a complaint (客户投诉回复, R-5.3) as a PDF in the reader's language:
the complaint, quality's findings (root cause, containment, corrective action), the reply and a
signature block. Nothing internal: no issue numbers, no prices."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from gendan.core import pdf

from .models import Complaint
from .selectors import complaint_full


def _person(user) -> str:
    return (getattr(user, "display_name", "") or user.username) if user else "—"


def reply_blocks(complaint: Complaint) -> list:
    order = complaint.order
    line = complaint.order_line
    info = [
        (_("Complaint number"), complaint.number),
        (_("Order"), order.number),
        (_("Customer"), str(order.customer)),
        (_("Product"), str(line.product) if line else "—"),
        (_("Quantity affected"), f"{complaint.quantity.normalize():f}"),
        (_("Received on"), complaint.received_on.isoformat()),
        (_("Channel"), str(complaint.get_channel_display())),
        (_("Merchandiser"), _person(order.merchandiser)),
    ]
    findings = [
        (_("Root cause"), complaint.root_cause or "—"),
        (_("Containment"), complaint.containment or "—"),
        (_("Corrective action"), complaint.corrective_action or "—"),
        (_("Action owner"), _person(complaint.action_owner) if complaint.action_owner_id else "—"),
        (_("Action due"), complaint.action_due.isoformat() if complaint.action_due else "—"),
    ]
    blocks = [
        pdf.KeyValues(info, columns=2),
        pdf.Spacer(3),
        pdf.Heading(_("What you reported")),
        pdf.Paragraph(complaint.description),
        pdf.Spacer(3),
        pdf.Heading(_("Our investigation")),
        pdf.KeyValues(findings, columns=1),
    ]
    if complaint.reply:
        blocks += [pdf.Spacer(3), pdf.Heading(_("Our reply")), pdf.Paragraph(complaint.reply)]
    blocks += [
        pdf.Spacer(8),
        pdf.Signatures([_("Quality"), _("Merchandiser"), _("Customer")], per_row=3),
    ]
    return blocks


def reply_pdf(complaint: Complaint, *, lang: str = "zh-hans") -> bytes:
    complaint = complaint_full(complaint)
    with translation.override(lang):
        return pdf.render_pdf(
            title=_("Reply to a customer complaint"),
            blocks=reply_blocks(complaint),
            lang=lang,
            header_note=complaint.number,
        )
