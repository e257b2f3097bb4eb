"""What the purchase order tests share: approved purchase plan lines (written as rows: plans are
another stage's), pegged to a released order, and POs made from them through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.purchasing.choices import PlanLineStatus, PlanStatus
from gendan.purchasing.models import PlanLinePeg, PurchasePlan, PurchasePlanLine
from gendan.purchasing.services.common import insert_numbered
from gendan.purchasing.services.po import po_create_from_plan_lines, po_send


class Buying:
    def __init__(self, make, users, order):
        self.make, self.users, self.order = make, users, order
        self.purchaser = users["purchasing"]
        self.plan = PurchasePlan(status=PlanStatus.DECIDED, created_by=self.purchaser)
        insert_numbered(self.plan, "CG")
        self.warehouse = make.warehouse(code="RAW", name="原料仓")
        self.supplier = make.supplier(name="华钢金属", email="sales@example.cn")
        self.n = 0

    def plan_line(self, *, supplier=None, material=None, quantity="100", price="2.5", days=20, **kw):
        self.n += 1
        kw.setdefault("status", PlanLineStatus.APPROVED)
        line = PurchasePlanLine.objects.create(
            plan=self.plan,
            position=10 * self.n,
            material=material or self.make.material(name=f"钢板{self.n}", spec="Q235 2mm"),
            quantity=Decimal(quantity),
            order_by=timezone.localdate(),
            need_date=timezone.localdate() + dt.timedelta(days=days),
            supplier=supplier if supplier is not None else self.supplier,
            unit_price=Decimal(price) if price is not None else None,
            **kw,
        )
        PlanLinePeg.objects.create(line=line, order=self.order, quantity=line.quantity)
        return line

    def po(self, *lines, sent=False, by_hand=True):
        lines = lines or (self.plan_line(),)
        (po,) = po_create_from_plan_lines(actor=self.purchaser, line_ids=[x.pk for x in lines])
        if sent:
            po = po_send(actor=self.purchaser, po=po, by_hand=by_hand, note="传真 fax" if by_hand else "")
        return po


@pytest.fixture
def buying(make, users, released):
    return Buying(make, users, released)
