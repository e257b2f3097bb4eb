"""What the purchase plan tests share: a computed requirements run with pegs to orders of two
merchandisers, materials with approved suppliers, and a plan drafted from it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.accounts.models import User
from gendan.orders.models import Order, OrderLine
from gendan.purchasing.choices import RunStatus
from gendan.purchasing.models import MaterialRequirement, RequirementPeg, RequirementRun

D = Decimal


class Buying:
    def __init__(self, make, users):
        self.make, self.users = make, users
        m1 = users["merchandiser"]
        self.m2 = User.objects.create(
            username="merch2", display_name="Merch Two", role="merchandiser", department=m1.department
        )
        self.today = timezone.localdate()
        self.product = make.product(unit="pcs")
        self.run = RequirementRun.objects.create(status=RunStatus.DONE)
        self.order1 = self.order(m1)
        self.order2 = self.order(self.m2)
        self.steel = make.material(code="STEEL", name="圆钢", unit="kg", spec="Φ40")
        self.seal = make.material(code="SEAL", name="密封圈")
        self.bolt = make.material(code="BOLT", name="螺栓")
        self.fast = make.supplier(code="FAST", name="快钢")
        self.cheap = make.supplier(code="CHEAP", name="廉钢")
        make.supplier_material(supplier=self.fast, material=self.steel, unit_price=D("10"), lead_time_days=3)
        make.supplier_material(supplier=self.cheap, material=self.steel, unit_price=D("8"), lead_time_days=60)
        make.supplier_material(supplier=self.fast, material=self.seal, unit_price=D("2"), lead_time_days=2)
        make.supplier_material(supplier=self.fast, material=self.bolt, unit_price=D("1"), lead_time_days=2)
        day = self.today + dt.timedelta(days=20)
        # Steel serves both orders, seals the first only, bolts no order (safety stock).
        self.r_steel = self.requirement(self.steel, day, D(150), {self.order1: D(100), self.order2: D(50)})
        self.r_seal = self.requirement(self.seal, day, D(40), {self.order1: D(40)})
        self.r_bolt = self.requirement(self.bolt, day, D(500), {})

    def order(self, merchandiser, status="released"):
        n = self.make.n()
        order = Order.objects.create(
            number=f"SO-{n:05}",
            customer=self.make.customer(merchandiser=merchandiser),
            merchandiser=merchandiser,
            status=status,
            released_at=timezone.now(),
        )
        OrderLine.objects.create(
            order=order, line_no=1, product=self.product, quantity=D(10), delivery_date=self.today
        )
        return order

    def requirement(self, material, need_date, to_buy, shares, order_by=None):
        req = MaterialRequirement.objects.create(
            run=self.run,
            material=material,
            need_date=need_date,
            gross=to_buy,
            net=to_buy,
            to_buy=to_buy,
            order_by=order_by or need_date - dt.timedelta(days=10),
        )
        for order, qty in shares.items():
            RequirementPeg.objects.create(
                requirement=req, order=order, order_line=order.lines.get(), quantity=qty
            )
        return req


@pytest.fixture
def buying(make, users):
    return Buying(make, users)


@pytest.fixture
def drafted(buying, users):
    from gendan.purchasing.services.plans import plan_draft

    return plan_draft(actor=users["purchasing"])


def line_of(plan, material):
    return plan.lines.get(material=material)
