"""What the customer signed for reaches the risk: a line's delivered quantity is what its proofs of
delivery accepted (received less damaged), not what was shipped."""

from decimal import Decimal

from gendan.delivery.services_pod import delivery_record
from gendan.delivery.tests.conftest import DeliveryFactory, receipt_photo
from gendan.orders.models import Order
from gendan.risk.adapter import engine_orders


def test_a_line_counts_as_delivered_what_the_proofs_accepted(make, users):
    dlv = DeliveryFactory(make, users)
    ready = dlv.order()
    first = dlv.shipped(ready, "60")
    dlv.shipped(ready, "30")  # on its way: not delivered yet
    delivery_record(
        actor=users["logistics"],
        shipment_id=first.pk,
        upload=receipt_photo(),
        signed_by="王先生",
        damaged={first.lines.get().pk: "5"},
    )
    (order,) = engine_orders(Order.objects.filter(pk=ready.order.pk))
    assert order.lines[0].delivered == Decimal(55)
