"""What the supplier-case tests share: a PO line bought for the merchandiser's released order, and
rejected receipts against it made as plain rows (receiving is another stage), each with its case
opened by incoming inspection. Quality's department is managed by the quality user: he approves
concessions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order
from gendan.purchasing.choices import POLineStatus, POStatus, ReceiptStatus
from gendan.purchasing.models import (
    PlanLinePeg,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlan,
    PurchasePlanLine,
    Receipt,
)
from gendan.purchasing.services.cases import case_open
from gendan.purchasing.services.common import insert_numbered

D = Decimal
HUNDRED, FORTY = D(100), D(40)


class Buying:
    def __init__(self, make, users, departments):
        self.make, self.users = make, users
        departments["quality"].manager = users["quality"]
        departments["quality"].save()
        self.supplier = make.supplier()
        self.material = make.material()
        self.warehouse = make.warehouse()
        self.order = self.released_order(users["merchandiser"])

    def released_order(self, merchandiser):
        n = self.make.n()
        return Order.objects.create(
            number=f"SO-{n:04}",
            customer=self.make.customer(merchandiser=merchandiser),
            merchandiser=merchandiser,
            status=OrderStatus.RELEASED,
            released_at=timezone.now(),
            created_by=merchandiser,
        )

    def line(self, quantity=HUNDRED, order=None) -> PurchaseOrderLine:
        purchaser = self.users["purchasing"]
        plan = insert_numbered(PurchasePlan(created_by=purchaser), "CG")
        plan_line = PurchasePlanLine.objects.create(
            plan=plan,
            material=self.material,
            quantity=quantity,
            order_by=timezone.localdate(),
            need_date=timezone.localdate() + dt.timedelta(days=10),
            supplier=self.supplier,
        )
        PlanLinePeg.objects.create(line=plan_line, order=order or self.order, quantity=quantity)
        po = insert_numbered(
            PurchaseOrder(supplier=self.supplier, status=POStatus.CONFIRMED, created_by=purchaser), "PO"
        )
        return PurchaseOrderLine.objects.create(
            order=po,
            plan_line=plan_line,
            material=self.material,
            quantity=quantity,
            delivery_date=timezone.localdate(),
        )

    def receipt(self, line, quantity, rejected, *, case=None) -> Receipt:
        """Goods received and inspected against `line`, as receiving would leave them."""
        accepted = quantity - rejected
        receipt = insert_numbered(
            Receipt(
                line=line,
                quantity=quantity,
                warehouse=self.warehouse,
                status=ReceiptStatus.REJECTED if not accepted else ReceiptStatus.PARTLY_ACCEPTED,
                accepted_qty=accepted,
                rejected_qty=rejected,
                received_at=timezone.now(),
                inspected_at=timezone.now(),
                case=case,
                is_replacement=case is not None,
            ),
            "SH",
        )
        line.received_qty += quantity
        line.accepted_qty += accepted
        line.rejected_qty += rejected
        line.status = (
            POLineStatus.RECEIVED if line.received_qty >= line.quantity else POLineStatus.PARTLY_RECEIVED
        )
        line.save()
        return receipt

    def case(self, *, ordered=HUNDRED, rejected=FORTY, order=None):
        line = self.line(ordered, order=order)
        receipt = self.receipt(line, ordered, rejected)
        return case_open(
            actor=self.users["quality"], receipt=receipt, quantity=rejected, description="burrs on the edge"
        )


@pytest.fixture(name="buying")
def buying_fixture(make, users, departments):
    return Buying(make, users, departments)
