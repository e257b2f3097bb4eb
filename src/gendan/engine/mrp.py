"""Material requirements (MRP, R-3.1): what to buy or make, how much and by when, and for whom.
Pure Python on plain data.

For every item, level by level from the end items down (an item's level is its deepest place in
any BOM, so all its demand is known before it is netted):

- gross requirements: the demands given (a plan's materials on their need dates, a released order's
  products on their delivery dates), plus, for an item made in-house, what its parents' planned
  production needs of it (quantity per unit, scrap included) on the day that production must start;
- netted in date order against stock on hand less safety stock, then against what is on order
  (scheduled receipts, each from its promised date on: a receipt later than a need does not cover
  it, as the line would stop waiting for it);
- what is left is a net requirement on that date, which becomes a planned order: lot for lot,
  raised to the minimum order quantity and rounded up to the order multiple (the surplus covers
  later needs), to be ordered by the need date less the item's lead time.

Every quantity is pegged: each gross requirement carries the demands it serves (an order line, a
plan), through every level of the BOM, so a requirement shows the orders behind it and an order
shows its materials. What no demand asks for (safety stock, rounding surplus) is pegged to None.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
QUANT = Decimal("0.0001")  # quantities as the database keeps them

Peg = Hashable | None  # the caller's reference of a demand ("line:12"); None: safety stock, rounding


@dataclass(frozen=True)
class Item:
    """A material or a product. `made`: made in-house, so its planned orders are production that
    needs its BOM's components; otherwise bought."""

    id: Hashable
    lead_time_days: int = 0
    on_hand: Decimal = ZERO
    safety_stock: Decimal = ZERO
    min_order: Decimal = ZERO
    multiple: Decimal = ZERO
    made: bool = False


@dataclass(frozen=True)
class BomLine:
    parent: Hashable
    component: Hashable
    quantity: Decimal  # per unit of the parent
    scrap_pct: Decimal = ZERO


@dataclass(frozen=True)
class Demand:
    item: Hashable
    quantity: Decimal
    date: dt.date
    peg: Peg


@dataclass(frozen=True)
class Receipt:
    """What is on order: a purchase order line (or production) arriving on its promised date."""

    item: Hashable
    quantity: Decimal
    date: dt.date
    ref: Hashable


@dataclass
class Requirement:
    """The gross requirement of an item on one date, and how it is covered."""

    item: Hashable
    date: dt.date
    quantity: Decimal
    pegs: list[tuple[Peg, Decimal]]
    from_stock: Decimal = ZERO
    from_receipts: list[tuple[Hashable, Decimal]] = field(default_factory=list)
    from_planned: Decimal = ZERO  # by planned orders (this date's, or an earlier one's surplus)

    @property
    def net(self) -> Decimal:
        """What stock and orders already placed do not cover."""
        return self.quantity - self.from_stock - sum((q for _r, q in self.from_receipts), ZERO)


@dataclass
class PlannedOrder:
    """A proposed purchase (or production, for a made item)."""

    item: Hashable
    quantity: Decimal  # after minimum order quantity and multiple
    net: Decimal  # the net requirement it was raised for
    need_date: dt.date
    order_by: dt.date
    pegs: list[tuple[Peg, Decimal]]  # the net requirement's demands; the surplus pegged to None
    late: bool = False  # its order-by date has passed: it cannot arrive in time any more


@dataclass
class MrpResult:
    requirements: list[Requirement]
    planned: list[PlannedOrder]

    def planned_for(self, peg: Peg) -> list[tuple[PlannedOrder, Decimal]]:
        """The planned orders that serve a demand, with the quantity each carries for it."""
        return [(p, q) for p in self.planned for ref, q in p.pegs if ref == peg]

    def requirements_for(self, peg: Peg) -> list[tuple[Requirement, Decimal]]:
        """Every requirement a demand causes, at every level: an order's materials."""
        return [(r, q) for r in self.requirements for ref, q in r.pegs if ref == peg]


class BomCycle(ValueError):
    pass


def levels(items: Mapping[Hashable, Item], bom: Mapping[Hashable, list[BomLine]]) -> dict[Hashable, int]:
    """Low-level codes: each item's deepest place in the BOMs (end items 0)."""
    level: dict[Hashable, int] = {}
    on_path: list[Hashable] = []

    def visit(item: Hashable, depth: int) -> None:
        if item in on_path:
            cycle = on_path[on_path.index(item) :] + [item]
            raise BomCycle("BOM cycle: " + " -> ".join(map(str, cycle)))
        if level.get(item, -1) >= depth:
            return  # already placed at least this deep, and so were its components
        level[item] = depth
        if items.get(item) is not None and items[item].made:
            on_path.append(item)
            for line in bom.get(item, []):
                visit(line.component, depth + 1)
            on_path.pop()

    for item in sorted(items, key=str):
        visit(item, 0)
    return level


def _order_quantity(net: Decimal, item: Item) -> Decimal:
    quantity = max(net, item.min_order)
    if item.multiple > 0:
        quantity = (quantity / item.multiple).to_integral_value(rounding=ROUND_CEILING) * item.multiple
    return quantity.quantize(QUANT)


def _after(pegs: list[tuple[Peg, Decimal]], covered: Decimal) -> list[tuple[Peg, Decimal]]:
    """The pegs of a requirement left once `covered` of it is served: what is covered first serves
    the demands in the order they came."""
    if covered <= 0:
        return pegs
    left = []
    for peg, q in pegs:
        if covered >= q:
            covered -= q
            continue
        left.append((peg, q - covered))
        covered = ZERO
    return left


def run_mrp(
    items: Mapping[Hashable, Item],
    bom: Mapping[Hashable, list[BomLine]],
    demands: Iterable[Demand],
    receipts: Iterable[Receipt] = (),
    today: dt.date | None = None,
) -> MrpResult:
    """Net every item's requirements, level by level (module docstring). `items` must hold every
    item named by a demand, a receipt or a BOM line of a made item."""
    today = today or dt.date.today()
    level = levels(items, bom)
    gross: dict[Hashable, dict[dt.date, list[tuple[Peg, Decimal]]]] = defaultdict(lambda: defaultdict(list))
    for d in demands:
        if d.item not in items:
            raise KeyError(f"demand for an unknown item: {d.item}")
        if d.quantity > 0:
            gross[d.item][d.date].append((d.peg, d.quantity))
    on_order: dict[Hashable, list[list]] = defaultdict(list)
    for r in sorted(receipts, key=lambda r: (r.date, str(r.ref))):
        if r.quantity > 0:
            on_order[r.item].append([r.ref, r.date, r.quantity])

    requirements: list[Requirement] = []
    planned: list[PlannedOrder] = []
    for item_id in sorted(level, key=lambda i: (level[i], str(i))):
        item = items[item_id]
        dates = gross.get(item_id, {})
        stock = item.on_hand - item.safety_stock
        if stock < 0:  # stock below its safety level is a need today, for nobody in particular
            dates.setdefault(today, []).insert(0, (None, -stock))
            stock = ZERO
        receipts_left = on_order.get(item_id, [])  # by date; used up from the front
        first = 0
        surplus = ZERO  # what earlier planned orders brought beyond their net requirement
        for date in sorted(dates):
            pegs = dates[date]
            quantity = sum((q for _p, q in pegs), ZERO)
            req = Requirement(item_id, date, quantity, pegs)
            left = quantity
            if stock > 0:
                used = min(stock, left)
                stock -= used
                left -= used
                req.from_stock = used
            while first < len(receipts_left) and receipts_left[first][2] <= 0:
                first += 1
            for receipt in receipts_left[first:]:
                ref, arrives, available = receipt
                if left <= 0 or arrives > date:
                    break  # the rest arrive later still: they serve later needs
                used = min(available, left)
                receipt[2] -= used
                left -= used
                req.from_receipts.append((ref, used))
            if surplus > 0:
                used = min(surplus, left)
                surplus -= used
                left -= used
                req.from_planned = used
            requirements.append(req)
            if left <= 0:
                continue
            order_quantity = _order_quantity(left, item)
            surplus += order_quantity - left
            req.from_planned += left
            order_pegs = _after(pegs, quantity - left)
            if order_quantity > left:
                order_pegs = [*order_pegs, (None, order_quantity - left)]
            order_by = date - dt.timedelta(days=item.lead_time_days)
            order = PlannedOrder(
                item_id, order_quantity, left, date, order_by, order_pegs, late=order_by < today
            )
            planned.append(order)
            if item.made:
                _explode(order, bom.get(item_id, []), gross, items)
    return MrpResult(requirements, planned)


def _explode(order: PlannedOrder, lines: list[BomLine], gross, items: Mapping[Hashable, Item]) -> None:
    """A made item's planned production needs its components when it starts (its order-by date),
    each demand's share carried down to them."""
    for line in lines:
        if line.component not in items:
            raise KeyError(f"BOM line of {order.item} names an unknown item: {line.component}")
        factor = line.quantity * (1 + line.scrap_pct / HUNDRED)
        entries = gross[line.component][order.order_by]
        append = entries.append
        for peg, q in order.pegs:
            need = (q * factor).quantize(QUANT)
            if need > 0:
                append((peg, need))
