"""The purchase order PDF (采购订单, R-3.3) and its e-mail to the supplier.

Chinese by default, English on request (the PO's language, or the reader's choice on the page). It
carries the supplier, the deliver-to warehouse, every line (material, specification, quantity, unit,
delivery date, and the price for a reader who may see supplier prices), the quality and packaging
requirements, and a QR code with the PO number and its page's address. The copy mailed to the
supplier carries the prices: they are what he agreed to. core.pdf embeds a Chinese font, so the
text shows on a machine without one."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.core import pdf
from gendan.core.audit import audit_record
from gendan.notifications.services import absolute_url, notify

from .choices import POLineStatus
from .models import PurchaseOrder

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Delay after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure gives up and tells the sender.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(minutes=60),
)


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = value.normalize()
    return format(value, ",f") if value == value.to_integral() else format(value, "f")


def po_url(po: PurchaseOrder) -> str:
    path = reverse("purchasing:po_detail", args=[po.pk])
    return absolute_url(path) or path


def po_blocks(po: PurchaseOrder, *, show_prices: bool, url: str) -> list:
    """The PDF's blocks, in the active language."""
    supplier = po.supplier
    info = [
        (_("PO number"), po.number),
        (_("Date"), timezone.localtime(po.sent_at or po.created_at).date().isoformat()),
        (_("Supplier"), f"{supplier.code} {supplier.local_name}"),
        (_("Supplier address"), supplier.address or "—"),
        (_("Supplier phone"), supplier.phone or "—"),
        (_("Supplier e-mail"), supplier.email or "—"),
        (
            _("Deliver to"),
            f"{po.warehouse.local_name} {po.warehouse.address}".strip() if po.warehouse else "—",
        ),
        (_("Currency"), po.currency),
    ]
    headers = [
        _("Line"),
        _("Material code"),
        _("Material"),
        _("Specification"),
        _("Quantity"),
        _("Unit"),
        _("Delivery date"),
    ]
    widths = [0.6, 1.4, 2.2, 2.0, 1.1, 0.7, 1.3]
    align = "llllrll"
    if show_prices:
        headers += [_("Unit price"), _("Amount")]
        widths += [1.1, 1.3]
        align += "rr"
    rows = []
    total = Decimal(0)
    lines = [line for line in po.lines.all() if line.status != POLineStatus.CANCELLED]
    for line in lines:
        row = [
            str(line.position),
            line.material.code,
            line.material.local_name,
            line.spec or "—",
            _num(line.quantity),
            line.material.get_unit_display(),
            line.delivery_date.isoformat(),
        ]
        if show_prices:
            amount = line.quantity * line.unit_price if line.unit_price is not None else None
            total += amount or 0
            row += [
                _num(line.unit_price) or "—",
                _num(amount.quantize(Decimal("0.01"))) if amount is not None else "—",
            ]
        rows.append(row)
    footer = None
    if show_prices and rows:
        footer = ["", "", _("Total"), "", "", "", "", "", _num(total.quantize(Decimal("0.01")))]
    blocks: list = [
        pdf.Row(
            [pdf.KeyValues(info, columns=2), pdf.QRCode(f"{po.number} {url}", caption=po.number, size=26)],
            widths=[5, 1],
        ),
        pdf.Spacer(4),
        pdf.Heading(_("Lines")),
        pdf.Table(headers, rows, col_widths=widths, align=align, footer=footer),
        pdf.Spacer(4),
    ]
    if po.quality_requirements:
        blocks += [pdf.Heading(_("Quality requirements"), level=2), pdf.Paragraph(po.quality_requirements)]
    if po.packaging_requirements:
        blocks += [
            pdf.Heading(_("Packaging requirements"), level=2),
            pdf.Paragraph(po.packaging_requirements),
        ]
    if po.note:
        blocks += [pdf.Heading(_("Note"), level=2), pdf.Paragraph(po.note)]
    blocks += [
        pdf.Spacer(3),
        pdf.Paragraph(
            _("Please confirm the quantities and delivery dates of each line within two working days."),
            muted=True,
        ),
        pdf.Spacer(8),
        pdf.Signatures([_("Buyer"), _("Approved by"), _("Supplier confirmation")], per_row=3),
    ]
    return blocks


def po_pdf(po: PurchaseOrder, *, show_prices: bool, lang: str | None = None, url: str | None = None) -> bytes:
    """The PDF in `lang` (the PO's language by default)."""
    lang = lang or po.language or "zh-hans"
    po = (
        PurchaseOrder.objects.select_related("supplier", "warehouse")
        .prefetch_related("lines__material")
        .get(pk=po.pk)
    )
    with translation.override(lang):
        blocks = po_blocks(po, show_prices=show_prices, url=url or po_url(po))
        return pdf.render_pdf(title=_("Purchase order"), blocks=blocks, lang=lang, header_note=po.number)


def po_email_send(*, po_id: int, attempt: int = 1) -> str:
    """The worker's part of sending: mail the PDF (with prices, in the PO's language) to the address
    the PO was sent to. A failure is retried with back-off; the last one tells the sender."""
    po = PurchaseOrder.objects.select_related("supplier", "created_by").filter(pk=po_id).first()
    if po is None or "@" not in (po.sent_to or ""):
        return "nothing to send"
    try:
        data = po_pdf(po, show_prices=True)
        with translation.override(po.language or "zh-hans"):
            subject = _("Purchase order %(number)s") % {"number": po.number}
            body = _(
                "Dear %(supplier)s,\n\nplease find our purchase order %(number)s attached. Please confirm "
                "the quantities and delivery dates of each line.\n\nThank you."
            ) % {"supplier": po.supplier.local_name, "number": po.number}
        message = EmailMessage(subject, body, None, [po.sent_to])
        message.attach(f"{po.number}.pdf", data, "application/pdf")
        message.send(fail_silently=False)
    except Exception as exc:  # SMTP errors, refused connections: tried again later
        error = f"{type(exc).__name__}: {exc}"[:300]
        logger.warning("purchase order %s e-mail failed (attempt %s): %s", po.number, attempt, error)
        if attempt < MAX_ATTEMPTS:
            _retry(po.pk, attempt + 1, timezone.now() + RETRY_DELAYS[attempt - 1])
            return "retry"
        audit_record(actor=None, obj=po, action="po_email_failed", note=error)
        notify(
            event="po.email_failed",
            recipients=[po.created_by],
            title=lambda lang, n=po.number: _failed_title(lang, n),
            body=error,
            url=reverse("purchasing:po_detail", args=[po.pk]),
            obj=po,
        )
        return "failed"
    audit_record(actor=None, obj=po, action="po_emailed", note=po.sent_to)
    return "sent"


def _failed_title(lang: str, number: str) -> str:
    with translation.override(lang):
        return _("The e-mail of purchase order %(number)s failed") % {"number": number}


def _retry(po_id: int, attempt: int, at: dt.datetime) -> None:
    from .tasks import po_email_task

    try:
        backend = po_email_task.get_backend()
        if backend.supports_defer:
            po_email_task.using(run_after=at).enqueue(po_id, attempt)
        else:
            po_email_task.enqueue(po_id, attempt)
    except Exception:
        logger.exception("cannot schedule the retry of purchase order %s's e-mail", po_id)
