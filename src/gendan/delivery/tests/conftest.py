"""Delivery's test data: an order in production whose single line's finished goods are stocked in
through the warehouse's service (which tells delivery), the customer's delivery address, and a
receipt photo as a phone would send it."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gendan.masterdata.models import DeliveryAddress
from gendan.orders.choices import OrderStatus
from gendan.stores.services import finished_goods_in
from gendan.stores.tests.conftest import StoreFactory

from ..services import shipment_confirm, shipment_create, shipment_ship


@dataclass
class Ready:
    order: object
    line: object
    last: object
    warehouse: object
    address: object


class DeliveryFactory:
    def __init__(self, make, users):
        self.make, self.users = make, users
        self.store = StoreFactory(make, users)

    def order(self, quantity="100", stock_in="100", *, status=OrderStatus.IN_PRODUCTION) -> Ready:
        o = self.store.order(quantity=quantity, needs=(), status=status)
        (warehouse,) = self.store.warehouses(1)
        o.report_good(quantity)
        address = DeliveryAddress.objects.create(
            customer=o.order.customer,
            label="总仓",
            address="苏州工业园区星湖街 1 号",
            receiver="王先生",
            phone="13800000000",
        )
        ready = Ready(o.order, o.line, o.last, warehouse, address)
        if stock_in:
            self.stock_in(ready, stock_in)
        return ready

    def stock_in(self, ready: Ready, qty) -> None:
        finished_goods_in(
            actor=self.users["warehouse"], order_line=ready.line, warehouse=ready.warehouse, quantity=qty
        )

    def shipment(self, ready: Ready, qty="100", **kw):
        data = {
            "method": "own_truck",
            "address": ready.address.pk,
            "planned_at": timezone.now() + dt.timedelta(days=1),
            "place": "1 号门",
            **kw,
        }
        return shipment_create(
            actor=self.users["merchandiser"], order=ready.order, lines=[(ready.line.pk, qty)], **data
        )

    def confirmed(self, ready: Ready, qty="100"):
        shipment = self.shipment(ready, qty)
        return shipment_confirm(
            actor=self.users["merchandiser"],
            shipment_id=shipment.pk,
            confirmed_by_name="李经理",
            confirmed_via="phone",
        )

    def shipped(self, ready: Ready, qty="100"):
        shipment = self.confirmed(ready, qty)
        return shipment_ship(
            actor=self.users["logistics"], shipment_id=shipment.pk, vehicle_plate="苏E12345", driver="张师傅"
        )


def receipt_photo(name="receipt.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def dlv(make, users):
    return DeliveryFactory(make, users)


D = Decimal
