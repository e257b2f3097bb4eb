"""The sources of the documents the system makes or keeps elsewhere (sources.py): the order's own
attachments (the customer's PO, order copies of each version, clarifications), its job traveller,
the purchase orders serving it and the minutes of the meetings that discussed it. Each lists an
order's records in a query or two and opens one on demand; nothing is copied into the archive."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import can_see
from gendan.meetings.choices import MeetingStatus
from gendan.meetings.models import Meeting
from gendan.meetings.pdf_minutes import minutes_pdf
from gendan.orders.choices import AttachmentKind
from gendan.orders.models import Order, OrderAttachment
from gendan.purchasing.models import PurchaseOrder
from gendan.purchasing.pdf_po import po_pdf
from gendan.quality.choices import ProcessStatus
from gendan.quality.models import ProcessInspection
from gendan.shopfloor.traveller import traveller_pdf, traveller_version

from .choices import Level
from .pdf_inspection import inspection_report_pdf
from .sources import Opened, Source, SourceRecord, register_source


def _id(ref: str, prefix: str) -> int | None:
    head, _sep, tail = ref.partition(":")
    if head != prefix:
        return None
    try:
        return int(tail.split(":")[0])
    except ValueError:
        return None


def _local(moment):
    return timezone.localdate(moment) if moment else timezone.localdate()


# --- order attachments ------------------------------------------------------------------------


def _attachments_of(*kinds: str):
    def list_for_order(order):
        return [
            SourceRecord(
                ref=f"attachment:{a.pk}",
                title=a.original_name,
                filed_on=_local(a.uploaded_at),
                version=a.version,
                # The customer's own PO carries his prices and terms.
                level=Level.CONFIDENTIAL if a.kind == AttachmentKind.CUSTOMER_PO else Level.INTERNAL,
            )
            for a in OrderAttachment.objects.filter(order=order, kind__in=kinds).order_by("pk")
        ]

    return list_for_order


def _open_attachment(ref, *, user, lang):
    a = OrderAttachment.objects.filter(pk=_id(ref, "attachment")).first()
    if a is None or not a.file:
        return None
    return Opened(filename=a.original_name, file=a.file)


# --- job traveller ----------------------------------------------------------------------------


def _travellers(order):
    version = traveller_version(order)
    if version is None:
        return []
    return [
        SourceRecord(
            ref=f"traveller:{order.pk}:v{version.number}",
            title=str(_("Job traveller")),
            filed_on=_local(version.created_at),
            version=version.number,
        )
    ]


def _url_for(token: str) -> str:
    path = reverse("shopfloor_scan:scan", kwargs={"token": token})
    return f"{getattr(settings, 'GENDAN_SITE_URL', '').rstrip('/')}{path}"


def _open_traveller(ref, *, user, lang):

    order = Order.objects.filter(pk=_id(ref, "traveller")).first()
    if order is None or traveller_version(order) is None:
        return None
    return Opened(
        filename=f"{order.number}-traveller.pdf", data=traveller_pdf(order, url_for=_url_for, lang=lang)
    )


# --- purchase orders --------------------------------------------------------------------------


def _pos(order):
    pos = (
        PurchaseOrder.objects.filter(lines__plan_line__pegs__order=order)
        .exclude(status="draft")
        .distinct()
        .order_by("pk")
    )
    return [
        SourceRecord(ref=f"po:{po.pk}", title=po.number, filed_on=_local(po.sent_at or po.created_at))
        for po in pos
    ]


def _open_po(ref, *, user, lang):
    po = PurchaseOrder.objects.filter(pk=_id(ref, "po")).first()
    if po is None:
        return None
    data = po_pdf(po, show_prices=can_see(user, "supplier_prices"), lang=lang)
    return Opened(filename=f"{po.number}.pdf", data=data)


# --- meeting minutes --------------------------------------------------------------------------


def _minutes(order):
    meetings = (
        Meeting.objects.filter(agenda__issue__order=order, status=MeetingStatus.MINUTES_SENT)
        .distinct()
        .order_by("pk")
    )
    return [
        SourceRecord(
            ref=f"minutes:{m.pk}",
            title=f"{m.number} {m.title}"[:200],
            filed_on=_local(m.minutes_sent_at or m.held_on),
        )
        for m in meetings
    ]


def _open_minutes(ref, *, user, lang):
    meeting = Meeting.objects.filter(pk=_id(ref, "minutes")).first()
    if meeting is None:
        return None
    with translation.override(lang):
        return Opened(filename=f"{meeting.number}-minutes.pdf", data=minutes_pdf(meeting, lang=lang))


# --- inspection reports -----------------------------------------------------------------------


def _inspections(order):
    done = ProcessInspection.objects.filter(
        order=order, status__in=(ProcessStatus.PASSED, ProcessStatus.FAILED)
    ).order_by("pk")
    return [
        SourceRecord(
            ref=f"inspection:{i.pk}",
            title=f"QC-{i.pk} {i.get_kind_display()}"[:200],
            filed_on=_local(i.completed_at),
        )
        for i in done
    ]


def _open_inspection(ref, *, user, lang):
    inspection = (
        ProcessInspection.objects.select_related("order", "order_line__product", "inspector")
        .filter(pk=_id(ref, "inspection"))
        .first()
    )
    if inspection is None:
        return None
    return Opened(
        filename=f"{inspection.order.number}-QC-{inspection.pk}.pdf",
        data=inspection_report_pdf(inspection, lang=lang),
    )


def register_system_sources() -> None:
    for kind, label, attachment_kinds in (
        ("order_copy", _("Order copy"), (AttachmentKind.ORDER_COPY,)),
        ("customer_po", _("Customer's PO"), (AttachmentKind.CUSTOMER_PO,)),
        ("order_attachment", _("Order attachment"), (AttachmentKind.CLARIFICATION, AttachmentKind.OTHER)),
    ):
        register_source(Source(kind, label, _attachments_of(*attachment_kinds), _open_attachment, order=10))
    register_source(Source("traveller", _("Job traveller"), _travellers, _open_traveller, order=30))
    register_source(Source("purchase_order", _("Purchase order"), _pos, _open_po, order=40))
    register_source(
        Source("inspection_report", _("Inspection report"), _inspections, _open_inspection, order=45)
    )
    register_source(Source("meeting_minutes", _("Meeting minutes"), _minutes, _open_minutes, order=50))
