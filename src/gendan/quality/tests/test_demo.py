"""The demo (step 64): partial deliveries received, lots inspected with the right sample sizes, one
rejected with its case opened, one waiting in inspection; building again adds nothing."""

import pytest

from gendan.engine import sampling
from gendan.purchasing.choices import ReceiptStatus
from gendan.purchasing.models import PurchaseOrder, Receipt, SupplierCase
from gendan.quality.demo import DEMO_PO_NOTE, build_quality
from gendan.quality.models import Inspection


@pytest.mark.django_db
def test_the_demo_receives_inspects_and_rejects_one_lot(demo_factory):
    statuses = sorted(Receipt.objects.values_list("status", flat=True))
    assert statuses.count(ReceiptStatus.ACCEPTED) == 2
    assert statuses.count(ReceiptStatus.REJECTED) == 1
    assert statuses.count(ReceiptStatus.IN_INSPECTION) == 1
    rejected = Receipt.objects.get(status=ReceiptStatus.REJECTED)
    assert SupplierCase.objects.filter(receipt=rejected).count() == 1
    # Each lot has the plan of GB/T 2828.1 for its size at the factory default (level II, AQL 1.0);
    # with the demo's own POs: lots of 600, 500 and 300, letters J and H, 80 and 50 units.
    for i in Inspection.objects.all():
        expected = sampling.plan(i.lot_size, "II", "1.0", i.severity)
        assert (i.code_letter, i.sample_size, i.accept_number, i.reject_number) == (
            expected.code_letter,
            expected.sample_size,
            expected.accept,
            expected.reject,
        )
    if PurchaseOrder.objects.filter(note=DEMO_PO_NOTE).count() == 3:
        plans = {i.lot_size: (i.code_letter, i.sample_size) for i in Inspection.objects.all()}
        assert plans == {600: ("J", 80), 500: ("H", 50), 300: ("H", 50)}
    from gendan.accounts.models import User

    build_quality(users={u.username: u for u in User.objects.all()})
    assert Receipt.objects.count() == 4 and Inspection.objects.count() == 3
