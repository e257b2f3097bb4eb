"""The warehouse's test data: a released order planned by the shop floor's factory (its line's
job with two operations, a plan version in force), the materials that version needs with their
need dates, two warehouses and their opening stock (through the ledger)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.inventory.choices import MovementKind
from gendan.inventory.models import StockLevel, Warehouse
from gendan.inventory.services import stock_move
from gendan.planning.models import OrderOperation, PlanMaterial
from gendan.shopfloor.tests.factories import ShopFactory


@dataclass
class Stocked:
    order: object
    line: object
    ops: list
    version: object
    materials: list = field(default_factory=list)

    @property
    def last(self) -> OrderOperation:
        return self.ops[-1]

    def report_good(self, qty) -> None:
        """The shop floor's running total of good units on the last operation (its service is
        shopfloor's, tested there)."""
        OrderOperation.objects.filter(pk=self.last.pk).update(good_qty=Decimal(qty))


class StoreFactory:
    def __init__(self, make, users):
        self.make, self.users = make, users
        self.shop = ShopFactory(make, users)
        self._warehouses: list[Warehouse] = []

    def warehouse(self, **kw) -> Warehouse:
        n = self.make.n()
        return Warehouse.objects.create(**{"code": f"W{n:03}", "name": f"仓库{n}", **kw})

    def warehouses(self, n: int = 2) -> list[Warehouse]:
        while len(self._warehouses) < n:
            self._warehouses.append(self.warehouse())
        return self._warehouses[:n]

    def stock(self, material, warehouse, qty) -> None:
        stock_move(
            actor=None,
            warehouse=warehouse,
            quantity=Decimal(qty),
            kind=MovementKind.OPENING,
            material=material,
        )

    def order(self, needs=(("100", 5), ("40", 9)), **kw) -> Stocked:
        """A planned order whose plan in force needs each (quantity, days from today) of a new material."""
        p = self.shop.planned_order(**kw)
        stocked = Stocked(p.order, p.line, p.ops, p.version)
        for qty, days in needs:
            material = self.make.material()
            PlanMaterial.objects.create(
                version=p.version,
                order_line=p.line,
                material=material,
                quantity=Decimal(qty),
                need_date=timezone.localdate() + dt.timedelta(days=days),
            )
            stocked.materials.append(material)
        return stocked


def on_hand(material, warehouse) -> Decimal:
    found = StockLevel.objects.filter(material=material, warehouse=warehouse).values_list(
        "quantity", flat=True
    )
    return found.first() or Decimal(0)


@pytest.fixture
def store(make, users):
    return StoreFactory(make, users)


@pytest.fixture
def keeper(users):
    return users["warehouse"]
