"""Receiving (R-3.6): the warehouse receives goods against an open line of a sent or confirmed PO,
in parts and a little over within the line's tolerance, never beyond; the goods wait in inspection,
not in stock."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from gendan.inventory.models import StockLevel
from gendan.purchasing.choices import POLineStatus, ReceiptStatus
from gendan.purchasing.models import PurchaseOrderLine, Receipt
from gendan.purchasing.services.receiving import receipt_create
from gendan.testing import race

from .receiving_rows import po_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(users):
    return users["warehouse"]


@pytest.fixture
def line(make, users):
    return po_line(make, actor=users["purchasing"], merchandiser=users["merchandiser"])


def test_a_partial_delivery_waits_in_inspection_not_in_stock(keeper, line):
    receipt = receipt_create(actor=keeper, line=line, quantity=Decimal("40"))
    line.refresh_from_db()
    assert receipt.number.startswith("SH-") and receipt.status == ReceiptStatus.IN_INSPECTION
    assert line.received_qty == 40 and line.status == POLineStatus.PARTLY_RECEIVED
    assert not StockLevel.objects.filter(material=line.material).exclude(quantity=0).exists()


def test_the_rest_and_a_little_over_within_the_tolerance_completes_the_line(keeper, line):
    receipt_create(actor=keeper, line=line, quantity=Decimal("60"))
    line.refresh_from_db()
    assert line.status == POLineStatus.PARTLY_RECEIVED
    # 40 open, 5 % tolerance: 42 is allowed.
    receipt_create(actor=keeper, line=line, quantity=Decimal("42"))
    line.refresh_from_db()
    assert line.received_qty == 102 and line.status == POLineStatus.RECEIVED


def test_beyond_the_tolerance_is_refused_with_the_allowed_maximum_and_nothing_changes(keeper, line):
    receipt_create(actor=keeper, line=line, quantity=Decimal("60"))
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        receipt_create(actor=keeper, line=line, quantity=Decimal("42.5"))
    assert "at most 42 can be received" in exc.value.message_dict["quantity"][0]
    line.refresh_from_db()
    assert line.received_qty == 60 and Receipt.objects.count() == 1


@pytest.mark.parametrize("qty", ["0", "-3", "abc", "1.00001"])
def test_a_quantity_that_is_not_a_positive_number_is_refused(keeper, line, qty):
    with pytest.raises(ValidationError) as exc:
        receipt_create(actor=keeper, line=line, quantity=qty)
    assert "quantity" in exc.value.message_dict
    assert Receipt.objects.count() == 0


def test_a_draft_po_or_a_cancelled_line_receives_nothing(make, users, keeper):
    draft = po_line(make, actor=users["purchasing"], status="draft")
    with pytest.raises(ValidationError):
        receipt_create(actor=keeper, line=draft, quantity=1)
    cancelled = po_line(make, actor=users["purchasing"])
    PurchaseOrderLine.objects.filter(pk=cancelled.pk).update(status=POLineStatus.CANCELLED)
    with pytest.raises(ValidationError):
        receipt_create(actor=keeper, line=cancelled, quantity=1)
    assert Receipt.objects.count() == 0


@pytest.mark.parametrize("role", ["quality", "purchasing", "merchandiser"])
def test_only_the_warehouse_receives(users, line, role):
    with pytest.raises(PermissionDenied):
        receipt_create(actor=users[role], line=line, quantity=1)


def test_receiving_notifies_quality(keeper, line, users, django_capture_on_commit_callbacks):
    from gendan.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        receipt_create(actor=keeper, line=line, quantity=Decimal("10"))
    assert Notification.objects.filter(recipient=users["quality"]).exists()


@pytest.mark.django_db(transaction=True)
def test_two_keepers_receiving_the_last_units_at_once_cannot_both_pass_the_tolerance(make, users):
    line = po_line(make, actor=users["purchasing"], quantity="10", tolerance="10")
    keeper2 = make.user(role="warehouse")
    keepers = [users["warehouse"], keeper2]

    def receive(i):
        return receipt_create(actor=keepers[i], line=line, quantity=Decimal("8"))

    results = race(2, receive)
    assert sum(isinstance(r, Receipt) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    line.refresh_from_db()
    assert line.received_qty == 8
