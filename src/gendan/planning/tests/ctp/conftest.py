"""A small factory for the planning tests: one assembly line (one machine, 08:00–17:00 on
weekdays, 480 minutes a day), a product made on it in 6 minutes a unit (80 a day), and released
orders of two customers loading it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.orders.tests.conftest import Orders, clean_line


@pytest.fixture
def line_centre(make):
    centre = make.work_centre(code="WC-ASM", name="总装线", name_en="Assembly line")
    make.shift(work_centre=centre)
    return centre


@pytest.fixture
def product(make, line_centre):
    product = make.product(code="P-FAN", name="风扇", name_en="Fan", spec="220V", unit="pcs")
    make.operation(product=product, work_centre=line_centre, sequence=10, run_minutes=Decimal("6"))
    return product


@pytest.fixture
def customer(make, users):
    customer = make.customer(name="华南电子", merchandiser=users["merchandiser"])
    make.address(customer=customer, is_default=True)
    return customer


@pytest.fixture
def other_customer(make, users):
    customer = make.customer(name="北方机械", name_en="North Machinery", merchandiser=users["merchandiser"])
    make.address(customer=customer, is_default=True)
    return customer


@pytest.fixture
def orders(make, users, customer, product):
    return Orders(make, users, customer, product)


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def loaded_order(orders, product, other_customer):
    """400 fans (five working days of the line) for another customer, due in a month."""
    return orders.released(
        customer=other_customer,
        lines=[clean_line(product, quantity=Decimal("400"), delivery_date=in_days(30))],
    )


def plan_in_force(order, *, start, end, centre, status="pending"):
    """Give `order` a plan whose version 1 (approved, in force) places each line's operation on
    `centre` from `start` to `end` (test data, as the planners' services would leave it)."""
    from gendan.planning.models import OrderOperation, Plan, PlannedOperation, PlanVersion

    plan = Plan.objects.create(order=order)
    version = PlanVersion.objects.create(
        plan=plan, number=1, status="approved", planned_start=start, planned_finish=end
    )
    for line in order.lines.all():
        op = OrderOperation.objects.create(
            order=order,
            order_line=line,
            job_key=f"L{line.pk}",
            product=line.product,
            sequence=10,
            name="装配",
            quantity=line.quantity,
            status=status,
        )
        PlannedOperation.objects.create(
            version=version, operation=op, quantity=line.quantity, work_centre=centre, start=start, end=end
        )
    Plan.objects.filter(pk=plan.pk).update(in_force=version)
    return version


def at(days: int, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(in_days(days), dt.time(hour)))
