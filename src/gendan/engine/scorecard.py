"""Supplier scorecards (R-3.4): the arithmetic on plain data, no Django.

A scorecard judges one supplier over one period from four figures:

- acceptance (quality): accepted / inspected quantity of the lots inspected in the period, and the
  lots accepted whole among them;
- on-time delivery: quantity-weighted. Each unit delivered has a due date: the supplier's
  confirmations of its PO line, taken in order of promised date (a line confirmed as 40 by the 1st
  and 60 by the 15th: the first 40 units are due on the 1st, the next 60 on the 15th); units beyond
  what was confirmed, and lines never confirmed, are due on the line's delivery date. A receipt's
  units are placed after the units received before it on the same line; those received on or
  before their due date are on time. So a receipt of 100 on the 10th against that line is 40 late
  and 60 on time, and one receipt can be partly late;
- price trend: per material, the period's quantity-weighted average unit price of the PO lines
  made in it against the previous period's, in per cent; the supplier's trend is the average of
  its materials' trends weighted by the period's value (quantity × previous price);
- service: purchasing's rating 1–5 (the average when several ratings cover the period).

Each figure becomes 0–100 points (acceptance and on-time: the rate in per cent; price: 100 while
prices hold or fall, 5 points off per per cent of rise; service: 20 points per star). The total is
the weighted average of the figures there are (price needs a previous period, service a rating:
their weight goes to the others when missing). Without at least `min_records` inspected lots and
`min_records` deliveries there is no total ("not enough records"): a supplier with one good
delivery is not a 100."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")

FIGURES = ("quality", "delivery", "price", "service")
PRICE_POINTS_PER_PCT = Decimal(5)  # points off the price figure per per cent of price rise


class PeriodError(ValueError):
    """A period that cannot be read (the message says what is expected)."""


# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """A stretch of days [start, end] (both included): a month, a quarter, a year, or the twelve
    months up to a day. `key` is how it is written: 2026-03, 2026-Q1, 2026, or last12."""

    kind: str  # "month", "quarter", "year", "last12"
    start: dt.date
    end: dt.date
    key: str

    def previous(self) -> Period:
        """The period of the same kind just before (for the price trend)."""
        if self.kind == "last12":
            end = self.start - dt.timedelta(days=1)
            return Period("last12", _add_months(self.start, -12), end, f"last12@{end.isoformat()}")
        if self.kind == "year":
            return year(self.start.year - 1)
        if self.kind == "quarter":
            start = _add_months(self.start, -3)
            return quarter(start.year, (start.month - 1) // 3 + 1)
        start = _add_months(self.start, -1)
        return month(start.year, start.month)

    def next(self) -> Period:
        if self.kind == "year":
            return year(self.start.year + 1)
        if self.kind == "quarter":
            start = _add_months(self.start, 3)
            return quarter(start.year, (start.month - 1) // 3 + 1)
        if self.kind == "month":
            start = _add_months(self.start, 1)
            return month(start.year, start.month)
        return self

    def months(self) -> list[Period]:
        """The calendar months the period touches, first to last."""
        found, day = [], self.start.replace(day=1)
        while day <= self.end:
            found.append(month(day.year, day.month))
            day = _add_months(day, 1)
        return found

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _add_months(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + n
    y, m = divmod(index, 12)
    return dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def month(y: int, m: int) -> Period:
    last = calendar.monthrange(y, m)[1]
    return Period("month", dt.date(y, m, 1), dt.date(y, m, last), f"{y:04d}-{m:02d}")


def quarter(y: int, q: int) -> Period:
    start = dt.date(y, 3 * q - 2, 1)
    end = _add_months(start, 2)
    return Period(
        "quarter", start, end.replace(day=calendar.monthrange(end.year, end.month)[1]), f"{y:04d}-Q{q}"
    )


def year(y: int) -> Period:
    return Period("year", dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y:04d}")


def last_twelve_months(today: dt.date) -> Period:
    """The twelve months up to today: from the first of the month eleven months back."""
    return Period("last12", _add_months(today.replace(day=1), -11), today, "last12")


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_period(text: str | None, *, today: dt.date) -> Period:
    """Read a period as written in a link or the API: 2026-03, 2026-Q1, 2026, last12; empty is the
    twelve months up to today. Years 2000–2100 only."""
    text = (text or "").strip()
    if not text or text.lower() == "last12":
        return last_twelve_months(today)
    for pattern in (_MONTH, _QUARTER, _YEAR):
        found = pattern.match(text)
        if not found:
            continue
        y = int(found.group(1))
        if not 2000 <= y <= 2100:
            break
        if pattern is _YEAR:
            return year(y)
        n = int(found.group(2))
        if pattern is _QUARTER:
            return quarter(y, n)
        if 1 <= n <= 12:
            return month(y, n)
        break
    raise PeriodError(text)


# ---------------------------------------------------------------- the records, as plain rows


@dataclass(frozen=True)
class Inspection:
    """A lot inspected in the period."""

    ref: int
    supplier: int
    accepted: Decimal
    rejected: Decimal


@dataclass(frozen=True)
class Confirmation:
    line: int
    quantity: Decimal
    promised: dt.date


@dataclass(frozen=True)
class Delivery:
    """A receipt against a PO line (replacements for rejected goods are not deliveries)."""

    ref: int
    supplier: int
    line: int
    line_due: dt.date  # the line's delivery date
    received: dt.date
    quantity: Decimal


@dataclass(frozen=True)
class DeliveryResult:
    ref: int
    supplier: int
    received: dt.date
    quantity: Decimal
    on_time: Decimal
    due: dt.date  # the due date of its last unit (shown beside it)
    first_due: dt.date  # the due date of its first unit

    @property
    def late(self) -> Decimal:
        return self.quantity - self.on_time

    @property
    def days_late(self) -> int:
        return max((self.received - self.first_due).days, 0)


@dataclass(frozen=True)
class PriceLine:
    ref: int
    supplier: int
    material: int
    quantity: Decimal
    unit_price: Decimal
    made: dt.date


@dataclass(frozen=True)
class Rating:
    supplier: int
    rating: int
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Rules:
    weights: dict[str, int]
    threshold: int
    min_records: int = 3

    def __post_init__(self):
        if set(self.weights) - set(FIGURES) or any(w < 0 for w in self.weights.values()):
            raise ValueError(f"weights are non-negative numbers for {', '.join(FIGURES)}")
        if sum(self.weights.values()) <= 0:
            raise ValueError("at least one weight must be above zero")


# ---------------------------------------------------------------- figures


def deliveries_timed(
    deliveries: Iterable[Delivery], confirmations: Iterable[Confirmation]
) -> list[DeliveryResult]:
    """Each receipt's quantity on time and late (see the module's note). Pass every receipt of the
    lines concerned, also those before the period: they come first on the line."""
    slices: dict[int, list[tuple[Decimal, dt.date]]] = defaultdict(list)
    for c in sorted(confirmations, key=lambda c: (c.line, c.promised)):
        slices[c.line].append((c.quantity, c.promised))
    by_line: dict[int, list[Delivery]] = defaultdict(list)
    for d in deliveries:
        by_line[d.line].append(d)
    results = []
    for line, received in by_line.items():
        received.sort(key=lambda d: (d.received, d.ref))
        # Walk the units: `left` of the current slice remain before its due date moves on.
        queue = list(slices.get(line, []))
        left, due = queue[0] if queue else (None, None)
        index = 0
        for d in received:
            to_place, on_time = d.quantity, ZERO
            first_due = last_due = None
            while to_place > 0:
                if left is None:  # beyond what was confirmed: due on the line's delivery date
                    take, when = to_place, d.line_due
                else:
                    assert due is not None  # a confirmed quantity always has its promised date
                    take, when = min(to_place, left), due
                    left -= take
                    if left <= 0:
                        index += 1
                        left, due = queue[index] if index < len(queue) else (None, None)
                first_due = first_due or when
                last_due = when
                if d.received <= when:
                    on_time += take
                to_place -= take
            results.append(
                DeliveryResult(
                    ref=d.ref,
                    supplier=d.supplier,
                    received=d.received,
                    quantity=d.quantity,
                    on_time=on_time,
                    due=last_due or d.line_due,
                    first_due=first_due or d.line_due,
                )
            )
    return sorted(results, key=lambda r: (r.received, r.ref))


def pct(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole) * HUNDRED).quantize(ONE_PLACE, ROUND_HALF_UP)


@dataclass(frozen=True)
class MaterialTrend:
    material: int
    price: Decimal  # the period's average
    previous: Decimal | None
    quantity: Decimal

    @property
    def change_pct(self) -> Decimal | None:
        if not self.previous:
            return None
        return ((self.price - self.previous) / self.previous * HUNDRED).quantize(ONE_PLACE, ROUND_HALF_UP)


def _average(lines: list[PriceLine]) -> tuple[Decimal, Decimal]:
    qty = sum((line.quantity for line in lines), ZERO)
    value = sum((line.quantity * line.unit_price for line in lines), ZERO)
    return (value / qty if qty else ZERO), qty


def price_trends(current: Iterable[PriceLine], previous: Iterable[PriceLine]) -> list[MaterialTrend]:
    """Per material bought in the period: its average price, and the previous period's."""
    now: dict[int, list[PriceLine]] = defaultdict(list)
    before: dict[int, list[PriceLine]] = defaultdict(list)
    for line in current:
        now[line.material].append(line)
    for line in previous:
        before[line.material].append(line)
    trends = []
    for material, lines in sorted(now.items()):
        price, qty = _average(lines)
        old = _average(before[material])[0] if before.get(material) else None
        trends.append(MaterialTrend(material, price.quantize(Decimal("0.0001")), old, qty))
    return trends


def overall_trend(trends: Iterable[MaterialTrend]) -> Decimal | None:
    """The materials' changes weighted by the period's value at the previous price; None when no
    material was bought in both periods."""
    weighted, weights = ZERO, ZERO
    for t in trends:
        change = t.change_pct
        if change is None or t.previous is None:
            continue
        weight = t.quantity * t.previous
        weighted += change * weight
        weights += weight
    if not weights:
        return None
    return (weighted / weights).quantize(ONE_PLACE, ROUND_HALF_UP)


def price_points(trend_pct: Decimal | None) -> Decimal | None:
    if trend_pct is None:
        return None
    return min(HUNDRED, max(ZERO, HUNDRED - max(trend_pct, ZERO) * PRICE_POINTS_PER_PCT))


# ---------------------------------------------------------------- the scorecard


@dataclass
class Scorecard:
    supplier: int
    lots: int = 0
    lots_accepted: int = 0
    inspected_qty: Decimal = ZERO
    accepted_qty: Decimal = ZERO
    deliveries: int = 0
    late_deliveries: int = 0
    delivered_qty: Decimal = ZERO
    on_time_qty: Decimal = ZERO
    price_trend: Decimal | None = None
    materials: list[MaterialTrend] = field(default_factory=list)
    service: Decimal | None = None
    ratings: int = 0
    points: dict[str, Decimal | None] = field(default_factory=dict)
    score: Decimal | None = None
    flagged: bool = False
    enough: bool = False

    @property
    def acceptance(self) -> Decimal | None:
        return pct(self.accepted_qty, self.inspected_qty)

    @property
    def on_time(self) -> Decimal | None:
        return pct(self.on_time_qty, self.delivered_qty)


def total_score(points: dict[str, Decimal | None], weights: dict[str, int]) -> Decimal | None:
    """The weighted average of the figures there are (a missing figure's weight goes to the rest)."""
    present = {k: v for k, v in points.items() if v is not None and weights.get(k, 0) > 0}
    total_weight = sum(weights[k] for k in present)
    if not total_weight:
        return None
    value = sum((Decimal(weights[k]) * v for k, v in present.items()), ZERO) / total_weight
    return value.quantize(ONE_PLACE, ROUND_HALF_UP)


def scorecards(
    suppliers: Iterable[int],
    *,
    inspections: Iterable[Inspection],
    deliveries: Iterable[DeliveryResult],
    prices: Iterable[PriceLine],
    previous_prices: Iterable[PriceLine],
    ratings: Iterable[Rating],
    rules: Rules,
) -> dict[int, Scorecard]:
    """One scorecard per supplier from the period's records (deliveries already timed and limited
    to those received in the period)."""
    cards = {s: Scorecard(supplier=s) for s in suppliers}
    for i in inspections:
        card = cards.get(i.supplier)
        if card is None:
            continue
        card.lots += 1
        card.lots_accepted += i.rejected == 0
        card.inspected_qty += i.accepted + i.rejected
        card.accepted_qty += i.accepted
    for d in deliveries:
        card = cards.get(d.supplier)
        if card is None:
            continue
        card.deliveries += 1
        card.late_deliveries += d.late > 0
        card.delivered_qty += d.quantity
        card.on_time_qty += d.on_time
    now, before = defaultdict(list), defaultdict(list)
    for p in prices:
        now[p.supplier].append(p)
    for p in previous_prices:
        before[p.supplier].append(p)
    stars: dict[int, list[int]] = defaultdict(list)
    for r in ratings:
        stars[r.supplier].append(r.rating)
    for s, card in cards.items():
        card.materials = price_trends(now.get(s, []), before.get(s, []))
        card.price_trend = overall_trend(card.materials)
        if stars.get(s):
            card.ratings = len(stars[s])
            card.service = (Decimal(sum(stars[s])) / len(stars[s])).quantize(ONE_PLACE, ROUND_HALF_UP)
        card.enough = card.lots >= rules.min_records and card.deliveries >= rules.min_records
        card.points = {
            "quality": card.acceptance,
            "delivery": card.on_time,
            "price": price_points(card.price_trend),
            "service": card.service * 20 if card.service is not None else None,
        }
        if card.enough:
            card.score = total_score(card.points, rules.weights)
            card.flagged = card.score is not None and card.score < rules.threshold
    return cards


def ranked(cards: Iterable[Scorecard]) -> list[Scorecard]:
    """Best first; suppliers without a score after those with one."""
    return sorted(cards, key=lambda c: (c.score is None, -(c.score or ZERO), c.supplier))
