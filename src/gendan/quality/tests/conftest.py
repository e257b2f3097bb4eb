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
