"""Two merchandisers' sessions arranging the last units of a line at once (file database, real
threads): one shipment gets them, the other is told, and the running total is what was taken."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gendan.testing import race

from ..models import Shipment, ShipmentTotal
from ..services import shipment_create

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_shipments_of_the_last_units_at_once_cannot_both_be_arranged(dlv, users):
    ready = dlv.order(quantity="100", stock_in="100")

    results = race(
        2,
        lambda i: shipment_create(
            actor=users["merchandiser"],
            order=ready.order.pk,
            lines=[(ready.line.pk, "60")],
            method="pickup",
            address=None,
            planned_at=timezone.now(),
        ),
    )

    assert sum(isinstance(r, Shipment) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert Shipment.objects.count() == 1
    assert ShipmentTotal.objects.get(order_line=ready.line).committed == Decimal(60)
