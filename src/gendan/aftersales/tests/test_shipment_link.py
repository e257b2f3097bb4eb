"""A complaint names the delivery the customer complains about: a shipment of its own order only."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gendan.aftersales import services
from gendan.aftersales.models import Complaint
from gendan.delivery.tests.conftest import DeliveryFactory

pytestmark = pytest.mark.django_db


def _complaint(users, order, shipment):
    return services.complaint_create(
        actor=users["merchandiser"],
        order=order,
        order_line=order.lines.first(),
        shipment=shipment,
        quantity=Decimal(3),
        description="第二批到货 3 件压伤",
        channel="phone",
        received_on=timezone.localdate() - dt.timedelta(days=1),
    )


def test_a_complaint_names_the_shipment_it_is_about_and_its_page_shows_it(make, users, client):
    dlv = DeliveryFactory(make, users)
    ready = dlv.order()
    shipment = dlv.shipped(ready, "60")
    complaint = _complaint(users, ready.order, shipment)
    assert complaint.shipment == shipment
    client.force_login(users["merchandiser"])
    page = client.get(f"/aftersales/complaint/{complaint.pk}/").content.decode()
    assert shipment.number in page


def test_another_orders_shipment_is_refused_naming_the_field(make, users):
    dlv = DeliveryFactory(make, users)
    first, second = dlv.order(), dlv.order()
    other = dlv.shipped(second, "10")
    with pytest.raises(ValidationError) as refused:
        _complaint(users, first.order, other)
    assert "shipment" in refused.value.message_dict
    assert not Complaint.objects.exists()
