"""Shop-floor test data built directly (planning's services are another team's): a released order
with one line, its operations (a job and, on request, a sub-assembly job), a plan whose version in
force places every operation on a work centre with a shift."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order, OrderLine
from gendan.planning.choices import VersionStatus
from gendan.planning.models import OrderOperation, Plan, PlannedOperation, PlanVersion
from gendan.shopfloor.models import ScrapReason


@dataclass
class Planned:
    order: Order
    line: OrderLine
    ops: list[OrderOperation]  # the job's operations, by sequence
    version: PlanVersion
    work_centre: object
    sub_ops: list[OrderOperation] = field(default_factory=list)  # the sub-assembly's, by sequence

    def refresh(self) -> None:
        self.order.refresh_from_db()
        for op in [*self.ops, *self.sub_ops]:
            op.refresh_from_db()


class ShopFactory:
    def __init__(self, make, users):
        self.make, self.users = make, users

    def reason(self, **kw) -> ScrapReason:
        n = self.make.n()
        return ScrapReason.objects.create(
            **{"code": f"SR{n:03}", "name": f"原因{n}", "name_en": f"Reason {n}", **kw}
        )

    def planned_order(
        self,
        *,
        quantity: str = "100",
        steps: int = 2,
        status: str = OrderStatus.RELEASED,
        sub_assembly: str | None = None,
        in_force: bool = True,
        start: dt.datetime | None = None,
        received_days_ago: int = 10,
    ) -> Planned:
        make = self.make
        work_centre = make.work_centre()
        make.shift(work_centre, weekdays="1,2,3,4,5,6,7")  # 08:00–17:00, 1 h break: 8 h
        product = make.product()
        n = make.n()
        order = Order.objects.create(
            number=f"SO-T{n:05}",
            customer=make.customer(),
            merchandiser=self.users["merchandiser"],
            status=status,
            received_on=timezone.localdate() - dt.timedelta(days=received_days_ago),
            released_at=timezone.now(),
        )
        line = OrderLine.objects.create(
            order=order,
            line_no=1,
            product=product,
            quantity=Decimal(quantity),
            delivery_date=timezone.localdate() + dt.timedelta(days=30),
        )
        job = f"L{line.pk}"
        ops = [
            OrderOperation.objects.create(
                order=order,
                order_line=line,
                job_key=job,
                product=product,
                sequence=10 * (i + 1),
                name=["下料", "焊接", "装配", "包装"][i % 4],
                quantity=Decimal(quantity),
            )
            for i in range(steps)
        ]
        sub_ops = []
        if sub_assembly:
            sub_product = make.product()
            sub_ops = [
                OrderOperation.objects.create(
                    order=order,
                    order_line=line,
                    job_key=f"{job}.1",
                    product=sub_product,
                    sequence=10 * (i + 1),
                    name=["冲压", "折弯"][i % 2],
                    quantity=Decimal(sub_assembly),
                )
                for i in range(2)
            ]
        plan = Plan.objects.create(order=order)
        version = PlanVersion.objects.create(plan=plan, number=1, status=VersionStatus.APPROVED)
        at = start or timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
        for i, op in enumerate([*sub_ops, *ops]):
            PlannedOperation.objects.create(
                version=version,
                operation=op,
                quantity=op.quantity,
                work_centre=work_centre,
                start=at + dt.timedelta(minutes=30 * i),
                end=at + dt.timedelta(minutes=30 * (i + 1)),
            )
        if in_force:
            plan.in_force = version
            plan.save(update_fields=["in_force"])
        return Planned(order, line, ops, version, work_centre, sub_ops)
