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
from decimal import ROUND_HALF_EVEN, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)

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
    peg_units: list[tuple[Peg, int]]  # the demands behind it, in ten-thousandths (see `pegs`)
    from_stock: Decimal = ZERO
    from_receipts: list[tuple[Hashable, Decimal]] = field(default_factory=list)
    from_planned: Decimal = ZERO  # by planned orders (this date's, or an earlier one's surplus)

    @property
    def pegs(self) -> list[tuple[Peg, Decimal]]:
        """The demands behind it, with the quantity each causes."""
        return [(peg, _dec(q)) for peg, q in self.peg_units]

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
    peg_units: list[tuple[Peg, int]]  # see `pegs`
    late: bool = False  # its order-by date has passed: it cannot arrive in time any more

    @property
    def pegs(self) -> list[tuple[Peg, Decimal]]:
        """The net requirement's demands; the surplus (minimum quantity, multiple) pegged to None."""
        return [(peg, _dec(q)) for peg, q in self.peg_units]


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


# Quantities are counted in ten-thousandths (the database's four decimals) as integers inside:
# exact like Decimal, several times faster over the millions of pegs a factory's backlog makes.
SCALE = 10_000


def _units(value: Decimal) -> int:
    return int((value * SCALE).to_integral_value(rounding=ROUND_HALF_EVEN))


def _dec(units: int) -> Decimal:
    return Decimal(units).scaleb(-4)


def _round_div(a: int, b: int) -> int:
    """a / b to the nearest integer, halves to even (as Decimal.quantize rounds)."""
    q, r = divmod(a, b)
    if 2 * r > b or (2 * r == b and q % 2):
        q += 1
    return q


def _order_quantity(net: int, min_order: int, multiple: int) -> int:
    quantity = max(net, min_order)
    if multiple > 0:
        quantity = -(-quantity // multiple) * multiple
    return quantity


def _after(pegs: list[tuple[Peg, int]], covered: int) -> list[tuple[Peg, int]]:
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
        covered = 0
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
    gross: dict[Hashable, dict[dt.date, list[tuple[Peg, int]]]] = defaultdict(lambda: defaultdict(list))
    for d in demands:
        if d.item not in items:
            raise KeyError(f"demand for an unknown item: {d.item}")
        if d.quantity > 0:
            gross[d.item][d.date].append((d.peg, _units(d.quantity)))
    on_order: dict[Hashable, list[list]] = defaultdict(list)
    for r in sorted(receipts, key=lambda r: (r.date, str(r.ref))):
        if r.quantity > 0:
            on_order[r.item].append([r.ref, r.date, _units(r.quantity)])
    factors = {
        id(line): (line.quantity * (1 + line.scrap_pct / HUNDRED)).as_integer_ratio()
        for lines in bom.values()
        for line in lines
    }

    requirements: list[Requirement] = []
    planned: list[PlannedOrder] = []
    for item_id in sorted(level, key=lambda i: (level[i], str(i))):
        item = items[item_id]
        min_order, multiple = _units(item.min_order), _units(item.multiple)
        dates = gross.get(item_id, {})
        stock = _units(item.on_hand) - _units(item.safety_stock)
        if stock < 0:  # stock below its safety level is a need today, for nobody in particular
            dates.setdefault(today, []).insert(0, (None, -stock))
            stock = 0
        receipts_left = on_order.get(item_id, [])  # by date; used up from the front
        first = 0
        surplus = 0  # what earlier planned orders brought beyond their net requirement
        for date in sorted(dates):
            pegs = dates[date]
            quantity = sum(q for _p, q in pegs)
            left = quantity
            from_stock = from_surplus = 0
            from_receipts = []
            if stock > 0:
                from_stock = min(stock, left)
                stock -= from_stock
                left -= from_stock
            while first < len(receipts_left) and receipts_left[first][2] <= 0:
                first += 1
            for receipt in receipts_left[first:]:
                ref, arrives, available = receipt
                if left <= 0 or arrives > date:
                    break  # the rest arrive later still: they serve later needs
                used = min(available, left)
                receipt[2] -= used
                left -= used
                from_receipts.append((ref, _dec(used)))
            if surplus > 0:
                from_surplus = min(surplus, left)
                surplus -= from_surplus
                left -= from_surplus
            requirements.append(
                Requirement(
                    item_id,
                    date,
                    _dec(quantity),
                    pegs,
                    from_stock=_dec(from_stock),
                    from_receipts=from_receipts,
                    from_planned=_dec(from_surplus + max(left, 0)),
                )
            )
            if left <= 0:
                continue
            order_quantity = _order_quantity(left, min_order, multiple)
            surplus += order_quantity - left
            order_pegs = _after(pegs, quantity - left)
            if order_quantity > left:
                order_pegs = [*order_pegs, (None, order_quantity - left)]
            order_by = date - dt.timedelta(days=item.lead_time_days)
            order = PlannedOrder(
                item_id, _dec(order_quantity), _dec(left), date, order_by, order_pegs, late=order_by < today
            )
            planned.append(order)
            if item.made:
                _explode(order, bom.get(item_id, []), gross, items, factors)
    return MrpResult(requirements, planned)


def _explode(
    order: PlannedOrder, lines: list[BomLine], gross, items: Mapping[Hashable, Item], factors
) -> None:
    """A made item's planned production needs its components when it starts (its order-by date),
    each demand's share carried down to them (rounded to four decimals, as the database keeps it)."""
    for line in lines:
        if line.component not in items:
            raise KeyError(f"BOM line of {order.item} names an unknown item: {line.component}")
        num, den = factors[id(line)]
        entries = gross[line.component][order.order_by]
        append = entries.append
        for peg, q in order.peg_units:
            need = _round_div(q * num, den)
            if need > 0:
                append((peg, need))
