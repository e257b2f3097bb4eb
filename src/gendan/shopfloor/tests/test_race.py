"""Two team leaders report the same operation at the same moment: both count, and together they
cannot pass on more than the previous operation did."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.shopfloor.models import ProductionReport
from gendan.shopfloor.services import report_create
from gendan.testing import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reports_at_once_are_both_counted(shop, leader):
    p = shop.planned_order(quantity="100")
    op = p.ops[0]
    results = race(2, lambda i: report_create(actor=leader, operation_id=op.pk, good_qty="30", hours="1"))
    assert all(isinstance(r, ProductionReport) for r in results), results
    op.refresh_from_db()
    assert op.good_qty == Decimal(60) and op.hours == Decimal(2)


def test_two_reports_at_once_cannot_pass_the_limit_together(shop, leader):
    p = shop.planned_order(quantity="100")
    op = p.ops[0]
    results = race(2, lambda i: report_create(actor=leader, operation_id=op.pk, good_qty="60"))
    assert sum(isinstance(r, ProductionReport) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    op.refresh_from_db()
    assert op.good_qty == Decimal(60)
    assert ProductionReport.objects.count() == 1
