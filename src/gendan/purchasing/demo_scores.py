"""The demo's supplier history (step 66): fifteen months of purchase orders, supplier confirmations,
goods receipts and inspection results for the demo suppliers, so the scorecards have a year to judge
and differ: most suppliers deliver on time and good parts, S05 (the PCB maker) is often late, has
lots rejected and raised its prices, and falls below the threshold.

These are records TAKEN OVER FROM PAPER, as a factory starting with Gendan would enter its past
year: plain rows with their past dates, written here directly (not through the buying services,
which date everything today and stock in what is accepted). So they carry no audit trail of their
own and move no stock (what they brought was used long ago); every PO is closed, every line
received, nothing is left open to disturb the requirements or delivery tracking. Purchasing's
service ratings are entered through the rating service, as a purchaser would.

Idempotent: a second run finds the history (by its note) and adds nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from gendan.core.demo import DemoPart
from gendan.engine.scorecard import month, quarter
from gendan.inventory.models import Warehouse
from gendan.masterdata.models import SupplierMaterial

from .choices import POLineStatus, POStatus, ReceiptStatus
from .models import POLineConfirmation, PurchaseOrder, PurchaseOrderLine, Receipt, ServiceRating
from .services.common import next_number
from .services.scores import service_rating_save

HISTORY_NOTE = "纸质记录补录（启用系统前的历史） / Taken over from the paper records"
MONTHS = 15
LINES_PER_MONTH = 3

# How each demo supplier behaved: share of lots with rejects, of deliveries late, how late (days),
# price drift per month (%), and purchasing's service rating. Unnamed suppliers: the default.
PROFILES = {
    "S01": (0.03, 0.08, 3, 0.2, 4),
    "S02": (0.06, 0.15, 4, 0.4, 4),
    "S03": (0.02, 0.05, 2, -0.3, 5),
    "S04": (0.08, 0.20, 5, 0.0, 3),
    "S05": (0.45, 0.70, 12, 1.5, 2),
    "S06": (0.02, 0.10, 3, 0.1, 5),
    "S07": (0.10, 0.25, 6, 0.3, 3),
}
DEFAULT_PROFILE = (0.05, 0.12, 4, 0.2, 4)


def _rng(*key) -> random.Random:
    return random.Random(":".join(str(k) for k in ("scores", *key)))


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _insert(model, objs: list) -> None:
    if connection.features.can_return_rows_from_bulk_insert:
        model.objects.bulk_create(objs, batch_size=500)
    else:
        for obj in objs:
            obj.save(force_insert=True)


class _Numbers:
    """PO-/SH-<year>-<nnnn> in the year each record was made, after the numbers already used."""

    def __init__(self, model, prefix: str):
        self.model, self.prefix, self.next = model, prefix, {}

    def __call__(self, year: int) -> str:
        if year not in self.next:
            self.next[year] = int(next_number(self.model, self.prefix, year).rsplit("-", 1)[1])
        number = f"{self.prefix}-{year}-{self.next[year]:04d}"
        self.next[year] += 1
        return number


def build_score_history(*, users, **_earlier) -> DemoPart:
    if not PurchaseOrder.objects.filter(note=HISTORY_NOTE).exists():
        _history(users)
    _ratings(users["purchaser"])
    return DemoPart(
        counts={
            "purchase orders (history)": PurchaseOrder.objects.filter(note=HISTORY_NOTE).count(),
            "goods receipts (history)": Receipt.objects.filter(line__order__note=HISTORY_NOTE).count(),
            "service ratings": ServiceRating.objects.count(),
        }
    )


def _history(users) -> None:
    today = timezone.localdate()
    warehouse = Warehouse.objects.filter(is_archived=False).order_by("code").first()
    offers: dict = {}
    for offer in SupplierMaterial.objects.filter(is_archived=False).select_related("supplier", "material"):
        offers.setdefault(offer.supplier, []).append(offer)
    po_number, receipt_number = _Numbers(PurchaseOrder, "PO"), _Numbers(Receipt, "SH")
    purchaser = users["purchaser"]
    orders, lines, confirmations, receipts = [], [], [], []
    this_month = month(today.year, today.month)
    periods = [this_month]
    while len(periods) < MONTHS:
        periods.insert(0, periods[0].previous())
    for supplier, supplied in sorted(offers.items(), key=lambda item: item[0].code):
        reject_share, late_share, late_days, drift, _stars = PROFILES.get(supplier.code, DEFAULT_PROFILE)
        supplied = sorted(supplied, key=lambda o: o.material.code)[:4]
        for age, period in enumerate(reversed(periods)):
            rng = _rng(supplier.code, period.key)
            made = period.start + dt.timedelta(days=rng.randint(0, 6))
            lead = max(offer.lead_time_days for offer in supplied)
            if made + dt.timedelta(days=lead + 20) >= today:
                continue  # not all received by now: this month's orders are the live demo's
            po = PurchaseOrder(
                number="",  # numbered below, in date order
                supplier=supplier,
                status=POStatus.CLOSED,
                warehouse=warehouse,
                note=HISTORY_NOTE,
                created_by=purchaser,
                created_at=_at(made, 9),
                sent_at=_at(made, 10),
                sent_to=supplier.email,
            )
            orders.append(po)
            first_receipt = len(receipts)
            factor = Decimal(1 + drift / 100) ** (MONTHS - 1 - age)
            # The same few materials month after month (so their prices can be compared).
            bought = [supplied[(age + j) % len(supplied)] for j in range(min(LINES_PER_MONTH, len(supplied)))]
            for n, offer in enumerate(bought):
                qty = Decimal(max(int(offer.min_order_qty or 0), 50) * rng.randint(1, 6))
                due = made + dt.timedelta(days=offer.lead_time_days)
                promised = due + dt.timedelta(days=rng.choice((0, 0, 0, 2)))
                line = PurchaseOrderLine(
                    order=po,
                    position=10 * (n + 1),
                    material=offer.material,
                    quantity=qty,
                    unit_price=(offer.unit_price * factor).quantize(Decimal("0.0001")),
                    delivery_date=due,
                    expected_date=promised,
                    status=POLineStatus.RECEIVED,
                    received_qty=qty,
                )
                lines.append(line)
                # One delivery, or two halves three days apart, each half confirmed for its date.
                parts = [qty] if rng.random() < 0.75 else [qty - qty // 2, qty // 2]
                for k, part in enumerate(parts):
                    part_promised = promised + dt.timedelta(days=3 * k)
                    confirmations.append(
                        POLineConfirmation(
                            line=line,
                            quantity=part,
                            promised_date=part_promised,
                            recorded_by=purchaser,
                            recorded_at=_at(made, 15),
                        )
                    )
                    late = rng.random() < late_share
                    arrived = part_promised + dt.timedelta(
                        days=rng.randint(1, late_days) if late else -rng.randint(0, 2)
                    )
                    rejected = Decimal(0)
                    if rng.random() < reject_share:
                        rejected = (
                            part
                            if rng.random() < 0.3
                            else (part * Decimal(rng.randint(5, 30)) / 100).quantize(Decimal(1))
                        )
                    status = (
                        ReceiptStatus.ACCEPTED
                        if not rejected
                        else ReceiptStatus.REJECTED
                        if rejected == part
                        else ReceiptStatus.PARTLY_ACCEPTED
                    )
                    receipts.append(
                        Receipt(
                            number="",
                            line=line,
                            quantity=part,
                            warehouse=warehouse,
                            delivery_note=f"DN{arrived:%y%m%d}{rng.randint(100, 999)}",
                            lot_no=f"L{arrived:%y%m%d}-{k + 1}",
                            status=status,
                            accepted_qty=part - rejected,
                            rejected_qty=rejected,
                            received_by=users["warehouse"],
                            received_at=_at(arrived, 10),
                            inspected_at=_at(arrived + dt.timedelta(days=1), 14),
                        )
                    )
                    line.accepted_qty += part - rejected
                    line.rejected_qty += rejected
            po.closed_at = _at(max(r.received_at for r in receipts[first_receipt:]).date(), 17)
    # created_at and recorded_at are set to now on insert ("auto_now_add"): put the past dates back.
    for po in sorted(orders, key=lambda o: (o.created_at, o.supplier.code)):
        po.number = po_number(po.created_at.year)
    for r in sorted(receipts, key=lambda r: (r.received_at, r.line.order.supplier.code)):
        r.number = receipt_number(r.received_at.year)
    made_at = [po.created_at for po in orders]
    recorded_at = [c.recorded_at for c in confirmations]
    _insert(PurchaseOrder, orders)
    for po, when in zip(orders, made_at, strict=True):
        po.created_at = when
    PurchaseOrder.objects.bulk_update(orders, ["created_at"], batch_size=500)
    # bulk_create takes each parent's id from the parent saved just before.
    _insert(PurchaseOrderLine, lines)
    _insert(POLineConfirmation, confirmations)
    for c, when in zip(confirmations, recorded_at, strict=True):
        c.recorded_at = when
    POLineConfirmation.objects.bulk_update(confirmations, ["recorded_at"], batch_size=500)
    _insert(Receipt, receipts)


def _ratings(purchaser) -> None:
    """Purchasing's quarterly service rating of each supplier with history, for the last four
    quarters (entered through the rating service, audited like any rating)."""
    today = timezone.localdate()
    current = quarter(today.year, (today.month - 1) // 3 + 1)
    quarters = [current.previous()]
    while len(quarters) < 4:
        quarters.insert(0, quarters[0].previous())
    rated = set(ServiceRating.objects.values_list("supplier_id", "period"))
    suppliers = {
        o.order.supplier
        for o in PurchaseOrderLine.objects.filter(order__note=HISTORY_NOTE).select_related("order__supplier")
    }
    for supplier in sorted(suppliers, key=lambda s: s.code):
        stars = PROFILES.get(supplier.code, DEFAULT_PROFILE)[4]
        for q in quarters:
            if (supplier.pk, q.key) in rated:
                continue
            rng = _rng("rating", supplier.code, q.key)
            service_rating_save(
                actor=purchaser,
                supplier_id=supplier.pk,
                period=q.key,
                rating=max(1, min(5, stars + rng.choice((-1, 0, 0, 0, 1)))),
                note=NOTES[stars],
            )


# What the purchaser wrote beside the stars (demo data, in the factory's language).
NOTES = {
    1: "联系不上，单据缺失。",
    2: "回复慢，材质证明常迟交，两份 8D 报告逾期。",
    3: "一天内回复，单据偶有不全。",
    4: "响应及时，送货单和合格证齐全。",
    5: "主动通报交期变化，8D 报告及时。",
}
