"""Rows of the board built directly: an order in a status, its operations, a plan in force placing
them, materials with their kit check, and issues. No engine and no services: the board reads
what planning and the shop floor wrote, and these tests say what it makes of it."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from gendan.issues.models import Issue
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order, OrderLine
from gendan.planning.choices import OperationStatus, VersionStatus
from gendan.planning.models import OrderOperation, Plan, PlanMaterial, PlannedOperation, PlanVersion

_seq = itertools.count(1)


class BoardFactory:
    def __init__(self, make, merchandiser, work_centre=None):
        self.make = make
        self.merchandiser = merchandiser
        self.customer = make.customer(merchandiser=merchandiser)
        self.product = make.product(code=f"FAN{next(_seq):04d}")
        self.work_centre = work_centre or make.work_centre()

    def order(
        self,
        *,
        status=OrderStatus.RELEASED,
        quantity=100,
        due_in_days=30,
        customer=None,
        merchandiser=None,
        unit_price=Decimal("987.65"),
    ) -> Order:
        n = next(_seq)
        order = Order.objects.create(
            number=f"SO-B{n:05d}",
            customer=customer or self.customer,
            merchandiser=merchandiser or self.merchandiser,
            status=status,
            released_at=timezone.now() - dt.timedelta(days=5),
            reviewed_at=timezone.now() - dt.timedelta(days=6),
        )
        OrderLine.objects.create(
            order=order,
            line_no=1,
            product=self.product,
            quantity=Decimal(quantity),
            unit_price=unit_price,
            delivery_date=timezone.localdate() + dt.timedelta(days=due_in_days),
        )
        return order

    def operations(self, order: Order, *, names=("注塑", "装配", "包装"), sub=0) -> list[OrderOperation]:
        line = order.lines.get()
        ops = [
            OrderOperation.objects.create(
                order=order,
                order_line=line,
                job_key=f"L{line.pk}",
                product=self.product,
                sequence=(i + 1) * 10,
                name=name,
                quantity=line.quantity,
            )
            for i, name in enumerate(names)
        ]
        for i in range(sub):  # a sub-assembly's operations: counted, not one chip each
            OrderOperation.objects.create(
                order=order,
                order_line=line,
                job_key=f"L{line.pk}.0",
                product=self.product,
                sequence=(i + 1) * 10,
                name=f"子件{i}",
                quantity=line.quantity,
            )
        return ops

    def plan(
        self,
        order: Order,
        *,
        finish_in_days=20,
        start_in_days=1,
        work_centre=None,
    ) -> PlanVersion:
        """A version in force placing every operation of the order one after the other."""
        plan, _ = Plan.objects.get_or_create(order=order)
        number = plan.versions.count() + 1
        now = timezone.now()
        start = now + dt.timedelta(days=start_in_days)
        finish = now + dt.timedelta(days=finish_in_days)
        version = PlanVersion.objects.create(
            plan=plan,
            number=number,
            status=VersionStatus.APPROVED,
            planned_start=start,
            planned_finish=finish,
        )
        ops = list(order.operations.order_by("job_key", "sequence"))
        step = (finish - start) / max(1, len(ops))
        for i, op in enumerate(ops):
            PlannedOperation.objects.create(
                version=version,
                operation=op,
                quantity=op.quantity,
                work_centre=work_centre or self.work_centre,
                start=start + step * i,
                end=start + step * (i + 1),
            )
        plan.in_force = version
        plan.save(update_fields=["in_force"])
        return version

    def place(self, version: PlanVersion, op: OrderOperation, *, start, end, work_centre=None):
        PlannedOperation.objects.filter(version=version, operation=op).update(
            start=start, end=end, work_centre=work_centre or self.work_centre
        )

    def report(self, op: OrderOperation, *, good, finished=False):
        OrderOperation.objects.filter(pk=op.pk).update(
            good_qty=Decimal(good),
            status=OperationStatus.FINISHED if finished else OperationStatus.STARTED,
            started_at=timezone.now(),
            finished_at=timezone.now() if finished else None,
        )

    def shortage(self, version: PlanVersion, *, covered_in_days: int | None, need_in_days=5):
        today = timezone.localdate()
        return PlanMaterial.objects.create(
            version=version,
            order_line=version.plan.order.lines.get(),
            material=self.make.material(),
            quantity=Decimal(100),
            need_date=today + dt.timedelta(days=need_in_days),
            shortage=Decimal(40),
            covered_on=None if covered_in_days is None else today + dt.timedelta(days=covered_in_days),
        )

    def issue(self, order: Order, *, severity="medium", status="open"):
        return Issue.objects.create(
            number=f"YC-{next(_seq):05d}",
            kind="delay",
            severity=severity,
            status=status,
            title="缺料等待",
            order=order,
        )
