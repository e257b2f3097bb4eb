"""The delivery demo (step 76): a partial delivery with its signed receipt, a confirmed shipment
waiting for logistics, one waiting for the customer; the goods of every shipped shipment left the
stock ledger; building again adds nothing."""

from decimal import Decimal

from django.db.models import Sum

from gendan.delivery.choices import ShipmentStatus
from gendan.delivery.demo import build_delivery
from gendan.delivery.models import ProofOfDelivery, Shipment, ShipmentMove
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order

S = ShipmentStatus


def check_the_demo_delivers_in_part_and_leaves_work_for_logistics_and_the_customer(demo):
    delivered = Shipment.objects.filter(status=S.DELIVERED)
    assert delivered.exists()
    assert ProofOfDelivery.objects.filter(shipment__in=delivered).count() == delivered.count()
    partial = [
        s for s in delivered if s.order.status in (OrderStatus.IN_PRODUCTION, OrderStatus.READY_TO_SHIP)
    ]
    assert partial, "one order delivered in part, the rest still to ship"
    assert Shipment.objects.filter(status=S.CONFIRMED).count() >= 1
    assert Shipment.objects.filter(status=S.DRAFT).count() >= 1
    for shipment in Shipment.objects.filter(status__in=[S.SHIPPED, S.DELIVERED]):
        for line in shipment.lines.all():
            out = ShipmentMove.objects.filter(line=line).aggregate(n=Sum("quantity"))["n"] or Decimal(0)
            assert out == line.quantity, (shipment, line)
            assert ShipmentMove.objects.filter(line=line, movement__quantity__gte=0).count() == 0
    from gendan.accounts.models import User

    counts = (Shipment.objects.count(), ProofOfDelivery.objects.count())
    build_delivery(users={u.username: u for u in User.objects.all()})
    assert (Shipment.objects.count(), ProofOfDelivery.objects.count()) == counts


def check_an_order_is_shipped_delivered_or_closed_only_through_its_shipments(demo):
    done = Order.objects.filter(status__in=[OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CLOSED])
    full = done.exclude(status=OrderStatus.SHIPPED)
    assert full.exists(), "an order delivered in full (closed when nothing of it is open)"
    assert done.filter(status=OrderStatus.SHIPPED).exists(), "an order shipped and on its way"
    for order in done:
        assert order.shipments.filter(status__in=[S.SHIPPED, S.DELIVERED]).exists(), order
        if order.status != OrderStatus.SHIPPED:
            assert not order.shipments.filter(status=S.SHIPPED).exists(), order
