"""The documents of an order's end (R-5, R-6.1): each shipment's packing list and delivery note once
it has left, its signed receipt, and the reply to each complaint the customer was sent. Listed in a
query per kind and rendered on demand by delivery's and after-sales' own PDF code."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.aftersales.choices import ComplaintStatus
from gendan.aftersales.models import Complaint
from gendan.aftersales.pdf_reply import reply_pdf
from gendan.delivery.choices import ShipmentStatus
from gendan.delivery.models import ProofOfDelivery, Shipment
from gendan.delivery.pdf import delivery_note_pdf, packing_list_pdf

from .sources import Opened, Source, SourceRecord, register_source

LEFT = (ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED)
REPLIED = (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED)


def _pk(ref: str, prefix: str) -> int | None:
    head, _sep, tail = ref.partition(":")
    return int(tail) if head == prefix and tail.isdigit() else None


def _shipment_url(shipment: Shipment) -> str:
    path = reverse("delivery:detail", args=[shipment.pk])
    return f"{getattr(settings, 'GENDAN_SITE_URL', '').rstrip('/')}{path}"


def _shipments(prefix: str, title):
    def list_for_order(order):
        return [
            SourceRecord(
                ref=f"{prefix}:{s.pk}",
                title=f"{title} {s.number}",
                filed_on=timezone.localdate(s.shipped_at) if s.shipped_at else timezone.localdate(),
            )
            for s in Shipment.objects.filter(order=order, status__in=LEFT).order_by("pk")
        ]

    return list_for_order


def _open_shipment(prefix: str, render, name: str):
    def open_(ref, *, user, lang):
        shipment = Shipment.objects.select_related("order__customer", "address").filter(pk=_pk(ref, prefix))
        found = shipment.first()
        if found is None:
            return None
        return Opened(
            filename=f"{name}-{found.number}.pdf", data=render(found, url=_shipment_url(found), lang=lang)
        )

    return open_


def _receipts(order):
    proofs = ProofOfDelivery.objects.filter(shipment__order=order).select_related("shipment").order_by("pk")
    return [
        SourceRecord(
            ref=f"receipt:{p.pk}",
            title=f"{_('Signed receipt')} {p.shipment.number}",
            filed_on=timezone.localdate(p.signed_at),
        )
        for p in proofs
    ]


def _open_receipt(ref, *, user, lang):
    proof = ProofOfDelivery.objects.filter(pk=_pk(ref, "receipt")).first()
    if proof is None or not proof.file:
        return None
    return Opened(filename=proof.original_name, file=proof.file)


def _replies(order):
    return [
        SourceRecord(
            ref=f"reply:{c.pk}",
            title=f"{_('Complaint reply')} {c.number}",
            filed_on=timezone.localdate(c.answered_at) if c.answered_at else timezone.localdate(),
        )
        for c in Complaint.objects.filter(order=order, status__in=REPLIED).order_by("pk")
    ]


def _open_reply(ref, *, user, lang):
    complaint = (
        Complaint.objects.select_related("order__customer", "order__merchandiser", "order_line__product")
        .filter(pk=_pk(ref, "reply"))
        .first()
    )
    if complaint is None:
        return None
    return Opened(filename=f"{complaint.number}-reply.pdf", data=reply_pdf(complaint, lang=lang))


def register_delivery_sources() -> None:
    register_source(
        Source(
            "packing_list",
            _("Packing list"),
            _shipments("packing", _("Packing list")),
            _open_shipment("packing", packing_list_pdf, "packing-list"),
            order=60,
        )
    )
    register_source(
        Source(
            "delivery_note",
            _("Delivery note"),
            _shipments("note", _("Delivery note")),
            _open_shipment("note", delivery_note_pdf, "delivery-note"),
            order=61,
        )
    )
    register_source(Source("signed_receipt", _("Signed receipt"), _receipts, _open_receipt, order=62))
    register_source(Source("complaint_reply", _("Complaint reply"), _replies, _open_reply, order=70))
