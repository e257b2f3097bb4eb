"""Supplier scorecards (R-3.4), read from the system's own records: the lots quality inspected, the
receipts against the supplier's confirmed dates, the PO lines' prices, purchasing's service ratings.
The arithmetic is `engine/scorecard.py`; this module fetches the records (five queries for any
number of suppliers and any period) and hands each page its drill-down rows.

`current_scores(supplier_ids)` -> {supplier id: score 0–100}: the last twelve months' score of each
supplier (one without enough records is left out). It is the one entry point other purchasing code
uses (the purchase plan's supplier suggestion)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from gendan.accounts.roles import can_see
from gendan.engine import scorecard as engine
from gendan.engine.scorecard import Period, Scorecard
from gendan.masterdata.models import Material, Supplier, SupplierMaterial

from .choices import POLineStatus, POStatus, ReceiptStatus
from .models import POLineConfirmation, PurchaseOrderLine, Receipt, ServiceRating

INSPECTED = (ReceiptStatus.ACCEPTED, ReceiptStatus.PARTLY_ACCEPTED, ReceiptStatus.REJECTED)


def rules() -> engine.Rules:
    return engine.Rules(
        weights=dict(settings.GENDAN_SUPPLIER_SCORE_WEIGHTS),
        threshold=settings.GENDAN_SUPPLIER_SCORE_THRESHOLD,
        min_records=settings.GENDAN_SUPPLIER_SCORE_MIN_RECORDS,
    )


def read_period(text: str | None) -> Period:
    """The period asked for (engine.PeriodError when it cannot be read)."""
    return engine.parse_period(text, today=timezone.localdate())


def shows_prices(user) -> bool:
    """Unit prices (the drill-down's price lines, a material's average price) are supplier prices;
    the price trend in per cent is not a price, and every scorecard reader sees it."""
    return can_see(user, "supplier_prices")


# ---------------------------------------------------------------- the records


@dataclass
class Records:
    """Everything a window of days holds for the scorecards, as the engine's plain rows."""

    inspections: list[tuple[dt.date, engine.Inspection]] = field(default_factory=list)
    deliveries: list[engine.DeliveryResult] = field(default_factory=list)
    prices: list[engine.PriceLine] = field(default_factory=list)
    ratings: list[engine.Rating] = field(default_factory=list)


def _day(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def _range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The window as aware datetimes [start 00:00, the day after end 00:00)."""
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    return first, dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def records(
    supplier_ids: Iterable[int] | None, start: dt.date, end: dt.date, *, prices_from: dt.date
) -> Records:
    """The records of `supplier_ids` (None: all) between `start` and `end`, in five queries; the
    prices from `prices_from` (the period before, which the trend compares with)."""
    ids = None if supplier_ids is None else list(supplier_ids)
    of_supplier = Q() if ids is None else Q(line__order__supplier_id__in=ids)
    since, until = _range(start, end)
    priced_since = _range(prices_from, end)[0]
    found = Records()
    inspected = Receipt.objects.filter(
        of_supplier, status__in=INSPECTED, inspected_at__gte=since, inspected_at__lt=until
    ).values_list("pk", "line__order__supplier_id", "accepted_qty", "rejected_qty", "inspected_at")
    for pk, supplier, accepted, rejected, at in inspected:
        found.inspections.append((_day(at), engine.Inspection(pk, supplier, accepted, rejected)))

    # Every receipt of a line received in the window, also the earlier ones: they come first on
    # the line when its units are matched with the dates promised. Replacements for rejected goods
    # are not deliveries (their inspection still counts for quality).
    lines = Receipt.objects.filter(
        of_supplier, is_replacement=False, received_at__gte=since, received_at__lt=until
    ).values("line_id")
    deliveries = [
        engine.Delivery(pk, supplier, line, due, _day(at), qty)
        for pk, supplier, line, due, at, qty in Receipt.objects.filter(
            is_replacement=False, line_id__in=lines
        ).values_list(
            "pk", "line__order__supplier_id", "line_id", "line__delivery_date", "received_at", "quantity"
        )
    ]
    confirmations = [
        engine.Confirmation(*row)
        for row in POLineConfirmation.objects.filter(line_id__in=lines).values_list(
            "line_id", "quantity", "promised_date"
        )
    ]
    found.deliveries = [
        r for r in engine.deliveries_timed(deliveries, confirmations) if start <= r.received <= end
    ]

    of_order = Q() if ids is None else Q(order__supplier_id__in=ids)
    priced = (
        PurchaseOrderLine.objects.filter(
            of_order,
            unit_price__isnull=False,
            order__created_at__gte=priced_since,
            order__created_at__lt=until,
        )
        .exclude(status=POLineStatus.CANCELLED)
        .exclude(order__status=POStatus.CANCELLED)
        .values_list("pk", "order__supplier_id", "material_id", "quantity", "unit_price", "order__created_at")
    )
    found.prices = [engine.PriceLine(pk, s, m, q, p, _day(at)) for pk, s, m, q, p, at in priced]

    rated = ServiceRating.objects.filter(start__lte=end, end__gte=start)
    if ids is not None:
        rated = rated.filter(supplier_id__in=ids)
    found.ratings = [
        engine.Rating(*row) for row in rated.values_list("supplier_id", "rating", "start", "end")
    ]
    return found


def cards_of(suppliers: Iterable[int], period: Period, found: Records) -> dict[int, Scorecard]:
    """The period's scorecards from records fetched for a window that holds it (and the period
    before it, for the prices)."""
    before = period.previous()
    return engine.scorecards(
        suppliers,
        inspections=[i for day, i in found.inspections if period.contains(day)],
        deliveries=[d for d in found.deliveries if period.contains(d.received)],
        prices=[p for p in found.prices if period.contains(p.made)],
        previous_prices=[p for p in found.prices if before.contains(p.made)],
        ratings=[r for r in found.ratings if r.start <= period.end and r.end >= period.start],
        rules=rules(),
    )


def period_cards(supplier_ids: Iterable[int] | None, period: Period) -> tuple[dict[int, Scorecard], Records]:
    """The period's scorecards of these suppliers (None: every supplier with records)."""
    found = records(supplier_ids, period.start, period.end, prices_from=period.previous().start)
    ids = set(supplier_ids) if supplier_ids is not None else _suppliers_in(found, period)
    return cards_of(ids, period, found), found


def _suppliers_in(found: Records, period: Period) -> set[int]:
    return (
        {i.supplier for _day, i in found.inspections}
        | {d.supplier for d in found.deliveries}
        | {p.supplier for p in found.prices if period.contains(p.made)}
        | {r.supplier for r in found.ratings}
    )


def current_scores(supplier_ids: Iterable[int]) -> dict[int, Decimal]:
    """The last twelve months' score of each supplier that has one (five queries, however many)."""
    ids = list(supplier_ids)
    if not ids:
        return {}
    cards, _found = period_cards(ids, engine.last_twelve_months(timezone.localdate()))
    return {s: card.score for s, card in cards.items() if card.score is not None}


# ---------------------------------------------------------------- pages' reads


@dataclass
class Row:
    supplier: Supplier
    card: Scorecard
    rank: int | None = None
    material_trend: engine.MaterialTrend | None = None


def visible_suppliers(user):
    return Supplier.objects.restrict(user, "view")


def scorecard_list(*, user, period: Period) -> list[Row]:
    """Every supplier the reader may see that is active or has records in the period, best first;
    ranks only for those with a score."""
    cards, found = period_cards(None, period)
    suppliers = visible_suppliers(user).filter(Q(is_archived=False) | Q(pk__in=list(cards)))
    rows = []
    for supplier in suppliers:
        card = (
            cards.get(supplier.pk)
            or engine.scorecards(
                [supplier.pk],
                inspections=[],
                deliveries=[],
                prices=[],
                previous_prices=[],
                ratings=[],
                rules=rules(),
            )[supplier.pk]
        )
        rows.append(Row(supplier, card))
    return _ranked(rows)


def _ranked(rows: list[Row]) -> list[Row]:
    order = {id(c): n for n, c in enumerate(engine.ranked([r.card for r in rows]))}
    rows.sort(key=lambda r: order[id(r.card)])
    rank = 0
    for row in rows:
        if row.card.score is not None:
            rank += 1
            row.rank = rank
    return rows


def material_ranking(*, user, material: Material, period: Period) -> list[Row]:
    """The suppliers of one material (those offering it, and those it was bought from in the
    period), ordered by their score, each with the material's own price trend."""
    offering = SupplierMaterial.objects.filter(material=material, is_archived=False).values("supplier_id")
    since, until = _range(period.start, period.end)
    bought = PurchaseOrderLine.objects.filter(
        material=material, order__created_at__gte=since, order__created_at__lt=until
    ).values("order__supplier_id")
    suppliers = list(visible_suppliers(user).filter(Q(pk__in=offering) | Q(pk__in=bought)))
    cards, _found = period_cards([s.pk for s in suppliers], period)
    rows = []
    for supplier in suppliers:
        card = cards[supplier.pk]
        trend = next((t for t in card.materials if t.material == material.pk), None)
        rows.append(Row(supplier, card, material_trend=trend))
    return _ranked(rows)


def materials_with_suppliers():
    return (
        Material.objects.filter(is_archived=False, supplier_offers__is_archived=False)
        .distinct()
        .order_by("code")
    )


@dataclass
class Delivered:
    receipt: Receipt
    result: engine.DeliveryResult


@dataclass
class Detail:
    supplier: Supplier
    period: Period
    card: Scorecard
    inspected: list[Receipt]
    deliveries: list[Delivered]
    late: list[Delivered]
    price_lines: list[PurchaseOrderLine]
    previous_price_lines: list[PurchaseOrderLine]
    trends: list[tuple[engine.MaterialTrend, Material]]
    ratings: list[ServiceRating]


def scorecard_detail(*, supplier: Supplier, period: Period) -> Detail:
    """One supplier's scorecard with the records behind each figure (the same records it counted)."""
    cards, found = period_cards([supplier.pk], period)
    card = cards[supplier.pk]
    before = period.previous()
    inspected_ids = [i.ref for day, i in found.inspections if period.contains(day)]
    timed = [d for d in found.deliveries if period.contains(d.received)]
    price_ids = [p.ref for p in found.prices if period.contains(p.made)]
    previous_ids = [p.ref for p in found.prices if before.contains(p.made)]
    receipts = Receipt.objects.select_related("line__order", "line__material").in_bulk(
        inspected_ids + [d.ref for d in timed]
    )
    lines = PurchaseOrderLine.objects.select_related("order", "material").in_bulk(price_ids + previous_ids)
    deliveries = [Delivered(receipts[d.ref], d) for d in timed]
    materials = Material.objects.in_bulk([t.material for t in card.materials])
    return Detail(
        supplier=supplier,
        period=period,
        card=card,
        inspected=sorted((receipts[pk] for pk in inspected_ids), key=lambda r: (r.inspected_at, r.pk)),
        deliveries=deliveries,
        late=[d for d in deliveries if d.result.late > 0],
        price_lines=sorted(
            (lines[pk] for pk in price_ids), key=lambda li: (li.material.code, li.order.created_at)
        ),
        previous_price_lines=sorted(
            (lines[pk] for pk in previous_ids), key=lambda li: (li.material.code, li.order.created_at)
        ),
        trends=[(t, materials[t.material]) for t in card.materials],
        ratings=list(
            ServiceRating.objects.filter(supplier=supplier, start__lte=period.end, end__gte=period.start)
            .select_related("rated_by")
            .order_by("start")
        ),
    )


def monthly_scores(*, supplier: Supplier, months: int = 12) -> list[tuple[Period, Scorecard]]:
    """The supplier's score month by month up to this month (for the trend chart), from one fetch."""
    today = timezone.localdate()
    last = engine.month(today.year, today.month)
    periods = [last]
    while len(periods) < months:
        periods.insert(0, periods[0].previous())
    found = records([supplier.pk], periods[0].start, last.end, prices_from=periods[0].previous().start)
    return [(p, cards_of([supplier.pk], p, found)[supplier.pk]) for p in periods]
