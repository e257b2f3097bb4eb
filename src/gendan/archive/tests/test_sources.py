"""The system's documents filed from other apps' records and rendered on demand (sources.py)."""

import io

from django.utils import translation
from pypdf import PdfReader

from gendan.archive.models import Document
from gendan.archive.services import archive_file_order, document_open


def test_a_decided_inspection_is_filed_as_its_report_and_opens_as_a_pdf(make, users):
    from gendan.quality import services_process as svc
    from gendan.quality.tests.process_rows import planned_with_plans

    w = planned_with_plans(make, users)
    inspector = users["quality"]
    made = svc.process_inspection_create(
        actor=inspector, kind="in_process", order_line_id=w.line.pk, operation_id=w.ops[0].pk, lot_quantity=80
    )
    order = w.line.order
    archive_file_order(order=order)
    assert not Document.objects.filter(kind="inspection_report").exists()  # not decided yet
    svc.process_inspection_start(actor=inspector, inspection_id=made.pk)
    svc.process_measurement_record(
        actor=inspector, inspection_id=made.pk, item_id=w.diameter.pk, unit_no=1, value="20.4"
    )
    svc.process_inspection_complete(actor=inspector, inspection_id=made.pk)
    with translation.override("en"):  # whoever opens the archive first, the title reads in both
        archive_file_order(order=order)
    archive_file_order(order=order)
    doc = Document.objects.get(kind="inspection_report")
    zh, en = doc.title.split(" / ")
    assert "检验" in zh and "nspection" in en
    assert doc.source_ref == f"inspection:{made.pk}" and doc.level == "internal"
    opened = document_open(actor=users["quality"], document_id=doc.pk)
    text = PdfReader(io.BytesIO(opened.data)).pages[0].extract_text()
    assert order.number in text and "80" in text
