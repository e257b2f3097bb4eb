"""Kit check (齐套, R-2.2): will each material a plan needs be there by its need date? Pure Python.

Per material, the plan's needs are served in need-date order from what is free: stock on hand less
what other plans in force have been allocated, then what is on order and arrives by the need date
(each arrival on its own date, earliest first; an arrival after the need date does not cover it,
as the line would stop waiting for it). The plans in force come first on what is on order too: the
part of their allocation stock does not cover takes the earliest arrivals. A shortage is covered
when later arrivals bring enough (the date the last of them needed arrives) or else when a purchase
made today arrives (today + the material's lead time)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Need:
    material: int | str
    quantity: Decimal
    need_date: dt.date
    lead_time_days: int = 0
    ref: object = None  # the caller's row, handed back on its KitLine


@dataclass(frozen=True)
class Supply:
    on_hand: Decimal = ZERO
    allocated: Decimal = ZERO  # needs of other plans in force not yet consumed
    on_order: Decimal = ZERO  # one arrival of this quantity on `on_order_date` (see `arrivals`)
    on_order_date: dt.date | None = None  # when what is on order arrives
    arrivals: tuple[tuple[dt.date, Decimal], ...] = ()  # what is on order, each on its date

    def incoming(self) -> list[list]:
        """[date, quantity] of every arrival, earliest first (a copy the check uses up)."""
        if self.arrivals:
            return [[d, q] for d, q in sorted(self.arrivals) if q > 0]
        if self.on_order > 0 and self.on_order_date is not None:
            return [[self.on_order_date, self.on_order]]
        return []

    @property
    def total_on_order(self) -> Decimal:
        if self.arrivals:
            return sum((q for _d, q in self.arrivals), ZERO)
        return self.on_order


@dataclass(frozen=True)
class KitLine:
    need: Need
    on_hand: Decimal
    allocated: Decimal
    on_order: Decimal
    shortage: Decimal
    covered_on: dt.date | None  # None when nothing is short

    @property
    def short(self) -> bool:
        return self.shortage > 0

    @property
    def late(self) -> bool:
        """Short, and not covered before the need date."""
        return self.short and (self.covered_on is None or self.covered_on > self.need.need_date)


def kit_check(needs: Iterable[Need], supplies: Mapping[int | str, Supply], today: dt.date) -> list[KitLine]:
    """One KitLine per need, in the order given."""
    needs = list(needs)
    by_material: dict[int | str, list[int]] = defaultdict(list)
    for i, need in enumerate(needs):
        by_material[need.material].append(i)
    lines: dict[int, KitLine] = {}
    for material, indexes in by_material.items():
        supply = supplies.get(material, Supply())
        free = supply.on_hand - supply.allocated
        incoming = supply.incoming()
        if free < 0:  # the plans in force need more than the stock: they take the first arrivals
            _take(incoming, -free, until=None)
            free = ZERO
        for i in sorted(indexes, key=lambda k: (needs[k].need_date, k)):
            need = needs[i]
            take = min(free, need.quantity)
            free -= take
            missing = need.quantity - take
            if missing > 0:
                missing -= _take(incoming, missing, until=need.need_date)
            covered_on = None
            if missing > 0:
                later = sum((q for _d, q in incoming), ZERO)
                if later >= missing:
                    covered_on = _last_date_taken(incoming, missing)
                    _take(incoming, missing, until=None)
                else:
                    covered_on = today + dt.timedelta(days=need.lead_time_days)
            lines[i] = KitLine(
                need=need,
                on_hand=supply.on_hand,
                allocated=supply.allocated,
                on_order=supply.total_on_order,
                shortage=missing,
                covered_on=covered_on,
            )
    return [lines[i] for i in range(len(needs))]


def _take(incoming: list[list], quantity: Decimal, *, until: dt.date | None) -> Decimal:
    """Use up to `quantity` of the arrivals (earliest first, those by `until` only); how much."""
    got = ZERO
    for arrival in incoming:
        if got >= quantity or (until is not None and arrival[0] > until):
            break
        used = min(arrival[1], quantity - got)
        arrival[1] -= used
        got += used
    incoming[:] = [a for a in incoming if a[1] > 0]
    return got


def _last_date_taken(incoming: list[list], quantity: Decimal) -> dt.date:
    """The date of the arrival that completes `quantity` (the arrivals hold at least that much)."""
    total = ZERO
    for when, q in incoming:
        total += q
        if total >= quantity:
            return when
    return incoming[-1][0]
