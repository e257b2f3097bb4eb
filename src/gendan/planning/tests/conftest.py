"""Planning fixtures: a factory with two work centres on a day shift, a product with a two-level
BOM (a sub-assembly made first, materials with scrap), and released orders for it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.orders.tests.conftest import Orders, clean_line

from .factories import PlanFactory


@pytest.fixture(autouse=True)
def deterministic_engine(settings):
    settings.GENDAN_PLAN_WORK_LIMIT = 1


@pytest.fixture
def factory(make):
    """Machining (1 machine) and assembly (2 machines, 3 people), 08:00–17:00 Monday to Sunday."""
    every_day = "1,2,3,4,5,6,7"
    cnc = make.work_centre(code="CNC", name="数控车间", name_en="Machining", machines=1, headcount=2)
    asm = make.work_centre(code="ASM", name="装配线", name_en="Assembly", machines=2, headcount=3)
    spare = make.work_centre(code="CNC2", name="备用数控", name_en="Spare CNC", machines=1, headcount=2)
    for wc in (cnc, asm, spare):
        make.shift(work_centre=wc, break_minutes=0, weekdays=every_day)
    return {"cnc": cnc, "asm": asm, "spare": spare}


@pytest.fixture
def product(make, factory):
    """A pump (assembled) made of a shaft (a sub-assembly machined first) and bought materials."""
    pump = make.product(code="PUMP", name="水泵", unit="台", lead_time_days=5)
    shaft = make.product(code="SHAFT", name="泵轴")
    steel = make.material(code="STEEL", name="圆钢", unit="kg", lead_time_days=10)
    seal = make.material(code="SEAL", name="密封圈", lead_time_days=3)
    make.bom_line(parent=pump, product=shaft, quantity=Decimal(1))
    make.bom_line(parent=pump, material=seal, quantity=Decimal(2), scrap_pct=Decimal(5))
    make.bom_line(parent=shaft, material=steel, quantity=Decimal("1.5"), scrap_pct=Decimal(10))
    make.operation(
        product=shaft,
        sequence=10,
        name="车削",
        work_centre=factory["cnc"],
        run_minutes=Decimal(3),
        alternatives=[factory["spare"]],
    )
    make.operation(
        product=pump,
        sequence=10,
        name="装配",
        work_centre=factory["asm"],
        run_minutes=Decimal(2),
        setup_minutes=Decimal(30),
        people=2,
    )
    make.operation(product=pump, sequence=20, name="测试", work_centre=factory["asm"], run_minutes=Decimal(1))
    return pump


@pytest.fixture
def customer(make, users):
    customer = make.customer(merchandiser=users["merchandiser"])
    make.address(customer=customer, is_default=True)
    return customer


@pytest.fixture
def orders(make, users, customer, product):
    return Orders(make, users, customer, product)


@pytest.fixture
def released(orders, product):
    """A released order for 100 pumps due in 30 days."""
    day = timezone.localdate() + dt.timedelta(days=30)
    return orders.released(lines=[clean_line(product, delivery_date=day)])


@pytest.fixture
def planner(users):
    return users["production"]


@pytest.fixture
def plans(make, users):
    """Plans, versions and operations built as rows (planning/tests/factories.py)."""
    return PlanFactory(make, users)
