"""Demo warehouses and their opening stock (after the master data, see core.demo): booked through
the stock ledger, only for items that have no stock level yet, so a second run books nothing."""

import random
from decimal import Decimal
from typing import Any

from gendan.core.demo import DemoPart, DemoSeeder
from gendan.masterdata.demo_data import MATERIALS

from .choices import MovementKind
from .models import StockLevel, StockMovement, Warehouse
from .services import stock_move

# The master data's seed, so the opening stock is the same whatever else the demo holds.
SEED = 20260315
DECIMAL_UNITS = {"kg", "米", "L"}

WAREHOUSES = [
    # code, name, English, address
    ("RM", "原材料仓", "Raw material warehouse", "厂区 B 栋 1 楼"),
    ("WIP", "半成品仓", "Work-in-process warehouse", "厂区 A 栋 2 楼"),
    ("FG", "成品仓", "Finished goods warehouse", "厂区 C 栋 1 楼 (靠装货平台)"),
]

# Opening stock of products: (warehouse, product code, quantity)
PRODUCT_STOCK = [
    ("FG", "FS-30", 120),
    ("FG", "FS-40", 260),
    ("FG", "FL-40", 80),
    ("FG", "FW-40", 60),
    ("FG", "FI-50", 15),
    ("FG", "FA-23", 48),
    ("WIP", "MT-45", 150),
    ("WIP", "BL-16", 300),
    ("WIP", "GD-16", 180),
    ("WIP", "PCB-R01", 240),
    ("WIP", "RT-08", 400),
]


def _rng(*key: Any) -> random.Random:
    return random.Random(":".join(str(k) for k in (SEED, *key)))


def build_inventory(*, users, materials, products, **_earlier) -> DemoPart:
    seeder = DemoSeeder(users["admin"])
    rows = [
        {"code": code, "name": name, "name_en": en, "address": address, "keeper": users["warehouse"]}
        for code, name, en, address in WAREHOUSES
    ]
    warehouses = {key[0]: obj for key, obj in seeder.ensure(Warehouse, ("code",), rows).items()}
    _opening_stock(users["warehouse"], warehouses, materials, products)
    counts = {
        "warehouses": Warehouse.objects.count(),
        # What this step puts in (later steps receive and issue: their own counts say so).
        "opening balances": StockMovement.objects.filter(kind=MovementKind.OPENING).count(),
    }
    return DemoPart(counts=counts)


def _material_stock_plan() -> dict[str, Decimal]:
    """Opening quantity per material code: ~13% have none, ~17% are below safety stock."""
    codes = sorted(row[0] for row in MATERIALS)
    random.Random(SEED).shuffle(codes)
    none, low = set(codes[:20]), set(codes[20:46])
    plan = {}
    for code, _n, _e, _s, _k, unit, _p, _l, moq, _m, safety in MATERIALS:
        if code in none:
            continue
        rng = _rng("stock", code)
        base = Decimal(safety or moq or 100)
        factor = rng.uniform(0.2, 0.8) if code in low and safety else rng.uniform(1.2, 4.0)
        places = Decimal("0.1") if unit in DECIMAL_UNITS else Decimal("1")
        quantity = (base * Decimal(str(factor))).quantize(places)
        plan[code] = max(quantity, places)
    return plan


def _opening_stock(keeper, warehouses, materials, products) -> None:
    raw = warehouses["RM"]
    stocked = set(
        StockLevel.objects.filter(warehouse=raw, material__isnull=False).values_list("material_id", flat=True)
    )
    for code, quantity in _material_stock_plan().items():
        material = materials[code]
        if material.pk not in stocked:
            stock_move(
                actor=keeper,
                warehouse=raw,
                material=material,
                quantity=quantity,
                kind=MovementKind.OPENING,
                reference="期初",
            )
    stocked = set(StockLevel.objects.filter(product__isnull=False).values_list("warehouse_id", "product_id"))
    for wh, code, quantity in PRODUCT_STOCK:
        warehouse, product = warehouses[wh], products[code]
        if (warehouse.pk, product.pk) not in stocked:
            stock_move(
                actor=keeper,
                warehouse=warehouse,
                product=product,
                quantity=Decimal(quantity),
                kind=MovementKind.OPENING,
                reference="期初",
            )
