"""Kit check (齐套, R-2.2): will each material a plan needs be there by its need date? Pure Python.

Per material, the plan's needs are served in need-date order from what is free: stock on hand less
what other plans in force have been allocated, plus what is on order and arrives by the need date.
A shortage is covered when the order arrives (if it brings enough) or else when a purchase made
today arrives (today + the material's lead time)."""

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
    on_order: Decimal = ZERO
    on_order_date: dt.date | None = None  # when what is on order arrives


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
        free = max(ZERO, supply.on_hand - supply.allocated)
        incoming = supply.on_order
        for i in sorted(indexes, key=lambda k: (needs[k].need_date, k)):
            need = needs[i]
            arrived = supply.on_order_date is not None and supply.on_order_date <= need.need_date
            take = min(free, need.quantity)
            free -= take
            missing = need.quantity - take
            if arrived and missing > 0:
                got = min(incoming, missing)
                incoming -= got
                missing -= got
            covered_on = None
            if missing > 0:
                if supply.on_order_date is not None and incoming >= missing:
                    covered_on = supply.on_order_date
                    incoming -= missing
                else:
                    covered_on = today + dt.timedelta(days=need.lead_time_days)
            lines[i] = KitLine(
                need=need,
                on_hand=supply.on_hand,
                allocated=supply.allocated,
                on_order=supply.on_order,
                shortage=missing,
                covered_on=covered_on,
            )
    return [lines[i] for i in range(len(needs))]
