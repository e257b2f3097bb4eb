"""The demo (step 64): partial deliveries received against the demo's purchase orders, lots inspected
with the right sample sizes, three rejected (each with its case opened by the inspection), one
waiting in inspection; building again adds nothing."""

from gendan.engine import sampling
from gendan.purchasing.choices import POStatus, ReceiptStatus
from gendan.purchasing.models import Receipt, SupplierCase
from gendan.quality.demo import build_quality
from gendan.quality.models import Inspection


def check_the_demo_receives_against_its_purchase_orders_and_rejects_three_lots(demo):
    # The year taken over from paper (step 66) has no plan behind its orders; today's receipts do.
    today = Receipt.objects.filter(line__plan_line__isnull=False)
    assert not today.exclude(line__order__status__in=[POStatus.SENT, POStatus.CONFIRMED]).exists()
    assert not today.filter(line__confirmations__isnull=True).exists()  # what the supplier confirmed
    deliveries = list(today.filter(is_replacement=False).values_list("status", flat=True))
    assert deliveries.count(ReceiptStatus.ACCEPTED) == 2
    assert deliveries.count(ReceiptStatus.REJECTED) == 3
    assert deliveries.count(ReceiptStatus.IN_INSPECTION) == 1
    # One line delivered in two parts: the first accepted, the second waiting.
    waiting = today.get(status=ReceiptStatus.IN_INSPECTION)
    assert today.filter(line=waiting.line, status=ReceiptStatus.ACCEPTED).exists()
    for rejected in today.filter(status=ReceiptStatus.REJECTED):
        assert SupplierCase.objects.filter(receipt=rejected, quantity=rejected.quantity).count() == 1
    # Each lot has the plan of GB/T 2828.1 for its size at the factory default (level II, AQL 1.0).
    for i in Inspection.objects.all():
        expected = sampling.plan(i.lot_size, "II", "1.0", i.severity)
        assert (i.code_letter, i.sample_size, i.accept_number, i.reject_number) == (
            expected.code_letter,
            expected.sample_size,
            expected.accept,
            expected.reject,
        )
    from gendan.accounts.models import User

    counts = (Receipt.objects.count(), Inspection.objects.count(), SupplierCase.objects.count())
    build_quality(users={u.username: u for u in User.objects.all()})
    assert (Receipt.objects.count(), Inspection.objects.count(), SupplierCase.objects.count()) == counts
