"""A sent PO line received into inspection, and the defect codes the inspectors count."""

from decimal import Decimal

import pytest

from gendan.purchasing.tests.receiving_rows import po_line


@pytest.fixture
def inspector(users):
    return users["quality"]


@pytest.fixture
def defect(db):
    from gendan.quality.models import DefectCode

    return DefectCode.objects.create(code="D01", name="尺寸超差", name_en="Out of tolerance")


@pytest.fixture
def receive(make, users):
    """receive(quantity, line=None, **line_kw) -> a receipt waiting in inspection."""
    from gendan.purchasing.services.receiving import receipt_create

    def run(quantity="500", line=None, **kw):
        line = line or po_line(
            make, actor=users["purchasing"], merchandiser=users["merchandiser"], quantity=quantity, **kw
        )
        return receipt_create(actor=users["warehouse"], line=line, quantity=Decimal(quantity))

    return run


@pytest.fixture
def line_with_plans(make, users):
    """A released order planned on the shop floor (two operations, each linked to its routing
    operation), an in-process plan at the first (outer diameter 20 ± 0.1 mm, sampling II/1.0) and a
    final plan (appearance pass/fail, first article)."""
    from gendan.quality.tests.process_rows import planned_with_plans

    return planned_with_plans(make, users)


@pytest.fixture
def nc(line_with_plans, inspector):
    """The open nonconformance of an in-process inspection that failed (lot 80: a diameter out of
    limits and a burr counted) on the merchandiser's order."""
    from gendan.quality import services_process as svc
    from gendan.quality.models import DefectCode, Nonconformance

    w = line_with_plans
    made = svc.process_inspection_create(
        actor=inspector, kind="in_process", order_line_id=w.line.pk, operation_id=w.ops[0].pk, lot_quantity=80
    )
    svc.process_inspection_start(actor=inspector, inspection_id=made.pk)
    svc.process_measurement_record(
        actor=inspector, inspection_id=made.pk, item_id=w.diameter.pk, unit_no=1, value="20.4"
    )
    code = DefectCode.objects.create(code="D04", name="毛刺")
    svc.process_defect_add(actor=inspector, inspection_id=made.pk, code_id=code.pk, count=1)
    svc.process_inspection_complete(actor=inspector, inspection_id=made.pk)
    return Nonconformance.objects.get(inspection=made)
