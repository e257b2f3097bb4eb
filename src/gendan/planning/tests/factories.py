"""Plans built directly as rows (the plan builder is another stage): a released order with one line,
its operations, and versions placing them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.orders.choices import RELEASED_STATES, OrderStatus
from gendan.orders.models import Order, OrderLine
from gendan.planning.choices import VersionStatus
from gendan.planning.models import OrderOperation, Plan, PlanMaterial, PlannedOperation, PlanVersion


class PlanFactory:
    def __init__(self, make, users):
        self.make, self.users = make, users
        self.product = make.product(unit="pcs")
        self.work_centre = make.work_centre()

    def order(self, *, merchandiser=None, status=OrderStatus.RELEASED, days=30, quantity=100) -> Order:
        merchandiser = merchandiser or self.users["merchandiser"]
        customer = self.make.customer(merchandiser=merchandiser)
        n = self.make.n()
        order = Order.objects.create(
            number=f"SO-{n:05}",
            customer=customer,
            merchandiser=merchandiser,
            status=status,
            released_at=timezone.now()
            if status in RELEASED_STATES or status == OrderStatus.ON_HOLD
            else None,
        )
        OrderLine.objects.create(
            order=order,
            line_no=1,
            product=self.product,
            quantity=Decimal(quantity),
            delivery_date=timezone.localdate() + dt.timedelta(days=days),
        )
        return order

    def operations(self, order: Order, names=("下料", "焊接", "装配")) -> list[OrderOperation]:
        line = order.lines.get()
        return [
            OrderOperation.objects.get_or_create(
                order=order,
                order_line=line,
                job_key=f"L{line.pk}",
                sequence=10 * (i + 1),
                defaults={"product": self.product, "name": name, "quantity": line.quantity},
            )[0]
            for i, name in enumerate(names)
        ]

    def plan(self, order: Order) -> Plan:
        return Plan.objects.get_or_create(order=order)[0]

    def version(
        self,
        order: Order | None = None,
        *,
        status=VersionStatus.DRAFT,
        warnings=None,
        shift_hours=0,
        operations=True,
        planner=None,
        **kw,
    ) -> PlanVersion:
        order = order or self.order()
        plan = self.plan(order)
        number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(
            days=1, hours=shift_hours
        )
        version = PlanVersion.objects.create(
            plan=plan,
            number=number,
            status=status,
            warnings=warnings or [],
            created_by=planner or self.users["production"],
            planned_start=start,
            planned_finish=start + dt.timedelta(hours=6),
            **kw,
        )
        if operations:
            for i, op in enumerate(self.operations(order)):
                PlannedOperation.objects.create(
                    version=version,
                    operation=op,
                    quantity=op.quantity,
                    work_centre=self.work_centre,
                    start=start + dt.timedelta(hours=2 * i),
                    end=start + dt.timedelta(hours=2 * i + 2),
                )
        if status == VersionStatus.APPROVED:
            Plan.objects.filter(pk=plan.pk).update(in_force=version)
        return version

    def material(self, version: PlanVersion, material, quantity, need_date) -> PlanMaterial:
        return PlanMaterial.objects.create(
            version=version,
            order_line=version.plan.order.lines.get(),
            material=material,
            quantity=Decimal(quantity),
            need_date=need_date,
        )
