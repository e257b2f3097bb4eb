"""Rows for the issue register's tests, built directly: an order released to the departments, its
operations, a plan with a version in force placing them."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.issues import services
from gendan.orders.models import Order, OrderLine
from gendan.planning.models import OrderOperation, Plan, PlannedOperation, PlanVersion


class IssueFactory:
    def __init__(self, make, users, departments):
        self.make, self.users, self.departments = make, users, departments

    def order(self, *, merchandiser=None, priority="normal", released=True) -> Order:
        n = self.make.n()
        order = Order.objects.create(
            number=f"SO-T{n:04}",
            customer=self.make.customer(),
            merchandiser=merchandiser or self.users["merchandiser"],
            priority=priority,
            status="released" if released else "draft",
            released_at=timezone.now() if released else None,
        )
        product = self.make.product()
        OrderLine.objects.create(order=order, line_no=1, product=product, quantity=Decimal(100))
        return order

    def operation(self, order=None, *, seq=10, status="pending", **kw) -> OrderOperation:
        order = order or self.order()
        line = order.lines.first()
        return OrderOperation.objects.create(
            order=order,
            order_line=line,
            job_key=f"L{line.pk}",
            product=line.product,
            sequence=seq,
            name=kw.pop("name", "冲压"),
            quantity=Decimal(100),
            status=status,
            **kw,
        )

    def plan_in_force(self, operation, *, start, end, work_centre=None) -> PlannedOperation:
        plan, _ = Plan.objects.get_or_create(order=operation.order)
        version = plan.in_force or PlanVersion.objects.create(plan=plan, number=1, status="approved")
        if plan.in_force_id is None:
            plan.in_force = version
            plan.save()
        return PlannedOperation.objects.create(
            version=version,
            operation=operation,
            quantity=operation.quantity,
            work_centre=work_centre or self.make.work_centre(),
            start=start,
            end=end,
        )

    def issue(self, *, actor=None, order=None, **kw):
        actor = actor or self.users["production"]
        data = {
            "kind": "quality",
            "title": "毛刺超标",
            "severity": "medium",
            "responsible_department": self.departments["production"],
            "due_date": timezone.localdate() + dt.timedelta(days=3),
            **kw,
        }
        return services.issue_open(actor=actor, order=order, **data)
