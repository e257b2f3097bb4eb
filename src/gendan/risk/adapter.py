"""The database → `gendan.engine.delivery_risk` Orders, for any number of open orders in a fixed
number of queries (one per source), the same sources as the progress board (shopfloor/board.py):

- each order line not cancelled: its quantity and delivery date;
- produced: the good units at the line's last operation (`OrderOperation.good_qty` of the highest
  sequence of the line's own job, sub-assemblies left out), which the shop floor's reports keep;
- planned finish: the latest planned operation of the line in the plan in force (local date), or
  the plan in force's own finish for a line none of its operations places;
- shortages: the plan in force's materials still short after the kit check (`PlanMaterial`, which
  `planning.services.checks.kit_recheck` rewrites whenever a PO line's confirmed or expected date or
  quantity moves), covered on the date the kit check found: the covering PO lines' expected date
  (the supplier's confirmation, else their delivery date), or, with nothing on order, the day a
  purchase made today would arrive (the engine's kit check); no date: uncovered. A material needed
  more than once by a line (sub-assemblies) counts once, by its latest arrival after its need;
- delivered: what the delivery app reports per line (`_delivered`);
- the order's open issues: number, severity, due date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import F, Max, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from gendan.delivery.selectors import delivered_by_line
from gendan.engine import delivery_risk as dr
from gendan.issues.choices import OPEN_STATES as ISSUE_OPEN_STATES
from gendan.issues.models import Issue
from gendan.orders.models import Order, OrderLine
from gendan.planning.models import OrderOperation, PlanMaterial, PlannedOperation

ZERO = Decimal(0)


def _delivered(line_ids: Iterable[int]) -> dict[int, Decimal]:
    """Quantity the customer accepted per order line (delivery's proofs of delivery)."""
    return {
        line_id: sum((qty for _on, qty, _shipment in rows), Decimal(0))
        for line_id, rows in delivered_by_line(list(line_ids)).items()
    }


def engine_orders(orders: QuerySet[Order]) -> list[dr.Order]:
    """One engine Order per order of `orders` (ref = the order's pk), lines by number."""
    heads = list(orders.values_list("pk", "number", "plan__in_force__planned_finish"))
    if not heads:
        return []
    ids = [pk for pk, _n, _f in heads]
    version_finish = {pk: finish for pk, _n, finish in heads}
    lines: dict[int, list[dict]] = defaultdict(list)
    line_rows = list(
        OrderLine.objects.filter(order_id__in=ids, is_cancelled=False)
        .order_by("order_id", "line_no")
        .values("pk", "order_id", "line_no", "quantity", "delivery_date")
    )
    line_ids = [row["pk"] for row in line_rows]
    last_seq = (
        OrderOperation.objects.filter(order_line=OuterRef("order_line"), job_key=OuterRef("job_key"))
        .exclude(job_key__contains=".")
        .order_by("-sequence")
        .values("sequence")[:1]
    )
    produced = dict(
        OrderOperation.objects.filter(order_id__in=ids)
        .exclude(job_key__contains=".")
        .filter(sequence=Subquery(last_seq))
        .values("order_line")
        .annotate(g=Sum("good_qty"))
        .values_list("order_line", "g")
    )
    finishes = dict(
        PlannedOperation.objects.filter(
            operation__order_id__in=ids, version=F("operation__order__plan__in_force")
        )
        .values("operation__order_line")
        .annotate(end=Max("end"))
        .values_list("operation__order_line", "end")
    )
    worst: dict[tuple[int, str], dr.Shortage] = {}
    for line_id, code, need, covered in (
        PlanMaterial.objects.filter(
            version__plan__order_id__in=ids, version=F("version__plan__in_force"), shortage__gt=0
        )
        .order_by("order_line_id", "material__code", "need_date")
        .values_list("order_line_id", "material__code", "need_date", "covered_on")
    ):
        short = dr.Shortage(code, need, covered)
        if _worse(short, worst.get((line_id, code))):
            worst[line_id, code] = short
    shortages: dict[int, list[dr.Shortage]] = defaultdict(list)
    for (line_id, _code), short in worst.items():
        shortages[line_id].append(short)
    delivered = _delivered(line_ids)
    for row in line_rows:
        finish = finishes.get(row["pk"]) or version_finish.get(row["order_id"])
        lines[row["order_id"]].append(
            {
                "number": row["line_no"],
                "quantity": row["quantity"],
                "delivery_date": row["delivery_date"],
                "produced": produced.get(row["pk"]) or ZERO,
                "delivered": delivered.get(row["pk"], ZERO),
                "planned_finish": timezone.localdate(finish) if finish else None,
                "shortages": tuple(shortages.get(row["pk"], ())),
            }
        )
    issues: dict[int, list[dr.OrderIssue]] = defaultdict(list)
    for order_id, number, severity, due in (
        Issue.objects.filter(order_id__in=ids, status__in=ISSUE_OPEN_STATES)
        .order_by("number")
        .values_list("order_id", "number", "severity", "due_date")
    ):
        issues[order_id].append(dr.OrderIssue(number, severity, due))
    return [
        dr.Order(
            number=number,
            lines=tuple(dr.Line(**line) for line in lines.get(pk, ()) if _assessable(line)),
            issues=tuple(issues.get(pk, ())),
            ref=pk,
        )
        for pk, number, _f in heads
    ]


def _worse(short: dr.Shortage, than: dr.Shortage | None) -> bool:
    """Uncovered is worst, then the most days between need and arrival."""
    if than is None or than.covered_on is None:
        return than is None
    if short.covered_on is None:
        return True
    return (short.covered_on - short.need_date) > (than.covered_on - than.need_date)


def _assessable(line: dict) -> bool:
    """A line without a delivery date (an order entered without one) has nothing to be late for."""
    return line["delivery_date"] is not None and line["quantity"] > 0


def first_delivery(order: dr.Order) -> dt.date | None:
    """The earliest delivery date of the order's lines (for "expected finish vs delivery")."""
    return min((line.delivery_date for line in order.lines), default=None)
