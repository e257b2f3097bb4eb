"""Material requirements (engine/mrp.py) on a generated factory, beside a straightforward loop.

    uv run python bench/mrp.py                                  # 10,000 order lines, 5,000 materials
    uv run python bench/mrp.py --lines 2000 --seed 3 --json /tmp/mrp.json

The factory: `--materials` bought materials (lead times 3-30 days, a third with a minimum order
quantity, a third with an order multiple, some with safety stock and stock on hand), 600 products
made in-house in five levels (each product uses 2-4 components of the next level down, or of the
materials at the lowest level, with 0-10 % scrap), and `--lines` order lines for the top-level
products over four months, each its own demand (pegged to the line), plus open purchase orders on a
fifth of the materials.

The engine nets level by level with pegging. The straightforward loop explodes each order line
through its BOM on its own (the way a spreadsheet does it: line after line, level after level), sums
the gross requirements per material and day, then nets them material by material in date order
with the same rules. Made items carry no stock or lot sizes here, so the two must agree: the script
checks every material's requirements and planned orders, and that every planned unit is pegged.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections import defaultdict
from decimal import ROUND_CEILING, Decimal

from _common import write_json

from gendan.engine.mrp import BomLine, Demand, Item, Receipt, run_mrp

ZERO = Decimal(0)
QUANT = Decimal("0.0001")
TODAY = dt.date(2026, 12, 1)
LEVELS = 5
PRODUCTS_PER_LEVEL = 120


def make_factory(lines: int, materials: int, seed: int):
    rng = random.Random(seed)
    items: dict = {}
    for m in range(materials):
        key = ("M", m)
        items[key] = Item(
            key,
            lead_time_days=rng.randint(3, 30),
            on_hand=Decimal(rng.choice([0, 0, 0, rng.randint(1, 500)])),
            safety_stock=Decimal(rng.choice([0, 0, 0, 0, rng.randint(1, 50)])),
            min_order=Decimal(rng.choice([0, 0, rng.randint(10, 200)])),
            multiple=Decimal(rng.choice([0, 0, rng.choice([5, 10, 25, 50])])),
        )
    bom: dict = defaultdict(list)
    levels = [[("P", lv, p) for p in range(PRODUCTS_PER_LEVEL)] for lv in range(LEVELS)]
    for lv, products in enumerate(levels):
        below = levels[lv + 1] if lv + 1 < LEVELS else [("M", m) for m in range(materials)]
        for product in products:
            items[product] = Item(product, lead_time_days=rng.randint(1, 5), made=True)
            for component in rng.sample(below, rng.randint(2, 4)):
                bom[product].append(
                    BomLine(
                        product,
                        component,
                        Decimal(rng.choice([1, 1, 2, 3, "0.5", "1.5"])),
                        Decimal(rng.choice([0, 0, 2, 5, 10])),
                    )
                )
    demands = [
        Demand(
            rng.choice(levels[0]),
            Decimal(rng.randint(10, 500)),
            TODAY + dt.timedelta(days=rng.randint(10, 120)),
            f"line:{n}",
        )
        for n in range(lines)
    ]
    receipts = [
        Receipt(
            ("M", m), Decimal(rng.randint(50, 2000)), TODAY + dt.timedelta(days=rng.randint(0, 60)), f"PO{m}"
        )
        for m in rng.sample(range(materials), materials // 5)
    ]
    return items, dict(bom), demands, receipts


def straightforward(items, bom, demands, receipts):
    """Each line exploded alone down to its materials, then each material netted in date order."""
    gross: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: ZERO)))

    def explode(item, quantity, date, peg):
        spec = items[item]
        if not spec.made:
            gross[item][date][peg] += quantity
            return
        start = date - dt.timedelta(days=spec.lead_time_days)
        for line in bom.get(item, []):
            need = (quantity * line.quantity * (1 + line.scrap_pct / 100)).quantize(QUANT)
            explode(line.component, need, start, peg)

    for d in demands:
        explode(d.item, d.quantity, d.date, d.peg)
    on_order = defaultdict(list)
    for r in sorted(receipts, key=lambda r: (r.date, str(r.ref))):
        on_order[r.item].append([r.date, r.quantity])
    planned = []
    for item, spec in items.items():
        if spec.made:
            continue
        by_date = gross[item]  # a material nobody needs may still be below its safety stock
        stock = spec.on_hand - spec.safety_stock
        if stock < 0:
            by_date[TODAY][None] += -stock
            stock = ZERO
        surplus = ZERO
        for date in sorted(by_date):
            left = sum(by_date[date].values(), ZERO)
            used = min(stock, left)
            stock, left = stock - used, left - used
            for receipt in on_order[item]:
                if receipt[0] > date:
                    break
                used = min(receipt[1], left)
                receipt[1], left = receipt[1] - used, left - used
            used = min(surplus, left)
            surplus, left = surplus - used, left - used
            if left > 0:
                quantity = max(left, spec.min_order)
                if spec.multiple > 0:
                    quantity = (quantity / spec.multiple).to_integral_value(
                        rounding=ROUND_CEILING
                    ) * spec.multiple
                quantity = quantity.quantize(QUANT)
                surplus += quantity - left
                planned.append((item, date, quantity))
    return planned


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--materials", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    items, bom, demands, receipts = make_factory(args.lines, args.materials, args.seed)
    print(
        f"# {args.lines} order lines, {args.materials} materials, {LEVELS * PRODUCTS_PER_LEVEL} products in {LEVELS} levels"
    )

    started = time.perf_counter()
    result = run_mrp(items, bom, demands, receipts, today=TODAY)
    engine_s = time.perf_counter() - started
    started = time.perf_counter()
    reference = straightforward(items, bom, demands, receipts)
    loop_s = time.perf_counter() - started

    engine_materials = sorted(
        (p.item, p.need_date, p.quantity) for p in result.planned if not items[p.item].made
    )
    same = engine_materials == sorted(reference)
    pegged = all(sum((q for _p, q in p.pegs), ZERO) == p.quantity for p in result.planned)
    requirements = [r for r in result.requirements if not items[r.item].made]
    pegs = sum(len(r.pegs) for r in requirements)
    print(
        f"engine (levels, pegging) : {engine_s:6.2f} s  {len(requirements):,} material requirements, {pegs:,} pegs"
    )
    print(f"straightforward loop     : {loop_s:6.2f} s")
    print(
        f"planned purchases        : {len(engine_materials):,}  same as the loop: {same}  every unit pegged: {pegged}"
    )
    if not (same and pegged):
        raise SystemExit("the engine and the loop disagree")
    write_json(
        args.json,
        {
            "lines": args.lines,
            "materials": args.materials,
            "seed": args.seed,
            "engine_seconds": round(engine_s, 3),
            "loop_seconds": round(loop_s, 3),
            "requirements": len(requirements),
            "pegs": pegs,
            "planned": len(engine_materials),
            "same": same,
        },
    )


if __name__ == "__main__":
    main()
