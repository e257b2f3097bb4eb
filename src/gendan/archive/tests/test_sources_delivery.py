"""An order's end in its archive: a shipment that left files its packing list and delivery note, its
proof of delivery the signed receipt, an answered complaint its reply; each opens as its PDF (or the
photo as taken)."""

import io

from pypdf import PdfReader

from gendan.aftersales.tests.conftest import ComplaintFactory
from gendan.archive.models import Document
from gendan.archive.services import archive_file_order, document_open
from gendan.delivery.services_pod import delivery_record
from gendan.delivery.tests.conftest import DeliveryFactory, receipt_photo


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_shipment_that_left_files_its_papers_and_its_signed_receipt(make, users):
    dlv = DeliveryFactory(make, users)
    ready = dlv.order()
    waiting = dlv.confirmed(ready, "40")
    archive_file_order(order=ready.order)
    assert not Document.objects.filter(kind__in=["delivery_note", "packing_list"]).exists()  # not left yet

    shipped = dlv.shipped(ready, "60")
    delivery_record(
        actor=users["logistics"], shipment_id=shipped.pk, upload=receipt_photo(), signed_by="王先生"
    )
    archive_file_order(order=ready.order)
    archive_file_order(order=ready.order)
    kinds = sorted(Document.objects.exclude(kind="traveller").values_list("kind", flat=True))
    assert kinds == ["delivery_note", "packing_list", "signed_receipt"]
    note = Document.objects.get(kind="delivery_note")
    assert note.source_ref == f"note:{shipped.pk}" and waiting.number not in note.title
    text = _text(document_open(actor=users["merchandiser"], document_id=note.pk).data)
    assert ready.order.number in text and shipped.number in text
    receipt = document_open(
        actor=users["merchandiser"], document_id=Document.objects.get(kind="signed_receipt").pk
    )
    assert receipt.data[:2] == b"\xff\xd8"  # the photo as the phone took it


def test_an_answered_complaint_files_its_reply(make, users, departments):
    f = ComplaintFactory(make, users, departments)
    complaint = f.investigating()
    archive_file_order(order=complaint.order)
    assert not Document.objects.filter(kind="complaint_reply").exists()
    f_answered = f.answered(order=complaint.order)
    archive_file_order(order=complaint.order)
    reply = Document.objects.get(kind="complaint_reply", source_ref=f"reply:{f_answered.pk}")
    text = _text(document_open(actor=users["merchandiser"], document_id=reply.pk).data)
    assert f_answered.number in text and "增加珍珠棉隔层" in text
