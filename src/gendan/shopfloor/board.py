"""The progress board (生产进度看板, R-4.1): every open order's progress per operation, planned
against actual, with its delivery risk, as plain rows for the page, the wall screen and the API.

The risk of every open order is worked out with a handful of aggregate queries (one per source:
the orders, their operations, the schedule in force, the kit check, the open issues), so orders
can be sorted late-first before a page is cut; only the page's orders then have their operations
read. The number of queries does not grow with the number of orders."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gendan.issues.choices import OPEN_STATES, Severity
from gendan.issues.models import Issue
from gendan.masterdata.models import WorkCentre
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order, OrderLine
from gendan.planning.choices import OperationStatus
from gendan.planning.models import OrderOperation, PlanMaterial, PlannedOperation

# Released and in production are open; ready to ship is shown done until it leaves.
BOARD_STATES = (OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION, OrderStatus.READY_TO_SHIP)
PAGE_SIZE = 25
TV_LIMIT = 200  # the wall screen cycles pages of at most this many orders

RED, AMBER, GREEN, DONE = "red", "amber", "green", "done"
RISK_RANK = {RED: 0, AMBER: 1, GREEN: 2, DONE: 3}
SERIOUS = {Severity.HIGH, Severity.CRITICAL}

# Operation chips
CHIP_DONE, CHIP_RUNNING, CHIP_LATE, CHIP_PENDING = "done", "running", "late", "pending"


@dataclass
class Chip:
    name: str
    sequence: int
    state: str
    good: Decimal
    quantity: Decimal
    planned_start: dt.datetime | None
    planned_end: dt.datetime | None
    work_centre: str

    @property
    def state_label(self) -> str:
        return CHIP_LABELS()[self.state]


def CHIP_LABELS() -> dict[str, str]:  # noqa: N802 - a table, worded in the reader's language
    return {
        CHIP_DONE: _("done"),
        CHIP_RUNNING: _("in progress"),
        CHIP_LATE: _("late"),
        CHIP_PENDING: _("not started"),
    }


def RISK_LABELS() -> dict[str, str]:  # noqa: N802
    return {RED: _("Late"), AMBER: _("At risk"), GREEN: _("On track"), DONE: _("Done")}


@dataclass
class BoardRow:
    order_id: int
    number: str
    customer: str
    merchandiser: str
    status: str
    status_label: str
    quantity: Decimal
    delivery_date: dt.date | None
    planned_finish: dt.datetime | None
    good: Decimal = Decimal(0)
    ops_total: int = 0
    ops_done: int = 0
    risk: str = GREEN
    reasons: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    chips: list[Chip] = field(default_factory=list)
    sub_total: int = 0  # operations of sub-assemblies: counted, not shown one by one
    sub_done: int = 0

    @property
    def progress_pct(self) -> int:
        if not self.quantity:
            return 0
        return max(0, min(100, int(self.good * 100 / self.quantity)))

    @property
    def risk_label(self) -> str:
        return RISK_LABELS()[self.risk]


@dataclass
class Board:
    rows: list[BoardRow]
    total: int
    page: int
    pages: int
    counts: dict[str, int]


@dataclass
class BoardFilters:
    work_centre: WorkCentre | None = None
    merchandiser: int | None = None
    customer: int | None = None


def board_orders(orders: QuerySet[Order], filters: BoardFilters | None = None) -> QuerySet[Order]:
    """The open orders of `orders` (already restricted to what the reader may see), filtered."""
    qs = orders.filter(status__in=BOARD_STATES)
    filters = filters or BoardFilters()
    if filters.merchandiser:
        qs = qs.filter(merchandiser_id=filters.merchandiser)
    if filters.customer:
        qs = qs.filter(customer_id=filters.customer)
    if filters.work_centre is not None:
        on_centre = PlannedOperation.objects.filter(
            version=OuterRef("plan__in_force"), work_centre=filters.work_centre
        )
        qs = qs.filter(Exists(on_centre))
    return qs


def _name(first: str | None, en: str | None) -> str:
    from django.utils.translation import get_language

    lang = (get_language() or "").lower()
    name = (en if lang.startswith("en") and en else first) or ""
    return name


def _summaries(orders: QuerySet[Order], now: dt.datetime) -> list[BoardRow]:
    """Every open order's figures and risk, in a fixed number of aggregate queries."""
    lines = OrderLine.objects.filter(order=OuterRef("pk"), is_cancelled=False)
    base = list(
        orders.annotate(
            qty=Subquery(lines.values("order").annotate(q=Sum("quantity")).values("q")[:1]),
            due=Subquery(lines.values("order").annotate(d=Min("delivery_date")).values("d")[:1]),
            finish=F("plan__in_force__planned_finish"),
            version_id=F("plan__in_force_id"),
        ).values(
            "pk",
            "number",
            "status",
            "customer__name",
            "customer__name_en",
            "merchandiser__username",
            "merchandiser__display_name",
            "merchandiser__first_name",
            "merchandiser__last_name",
            "qty",
            "due",
            "finish",
            "version_id",
        )
    )
    ids = orders.values("pk")
    versions = orders.exclude(plan__in_force__isnull=True).values("plan__in_force")

    ops: dict[int, Mapping] = {
        r["order"]: r
        for r in OrderOperation.objects.filter(order__in=ids)
        .values("order")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=OperationStatus.FINISHED)),
        )
    }
    last_seq = (
        OrderOperation.objects.filter(order_line=OuterRef("order_line"), job_key=OuterRef("job_key"))
        .order_by("-sequence")
        .values("sequence")[:1]
    )
    good = dict(
        OrderOperation.objects.filter(order__in=ids)
        .exclude(job_key__contains=".")
        .filter(sequence=Subquery(last_seq))
        .values("order")
        .annotate(g=Sum("good_qty"))
        .values_list("order", "g")
    )
    behind = dict(
        PlannedOperation.objects.filter(version__in=versions, end__lt=now)
        .exclude(operation__status=OperationStatus.FINISHED)
        .values("operation__order")
        .annotate(n=Count("operation", distinct=True))
        .values_list("operation__order", "n")
    )
    short = {
        r["version__plan__order"]: r
        for r in PlanMaterial.objects.filter(version__in=versions, shortage__gt=0)
        .filter(Q(covered_on__isnull=True) | Q(covered_on__gt=F("need_date")))
        .values("version__plan__order")
        .annotate(
            n=Count("pk"),
            uncovered=Count("pk", filter=Q(covered_on__isnull=True)),
            covered=Max("covered_on"),
        )
    }
    issues: dict[int, dict[str, int]] = defaultdict(dict)
    for r in (
        Issue.objects.filter(order__in=ids, status__in=OPEN_STATES)
        .values("order", "severity")
        .annotate(n=Count("pk"))
    ):
        issues[r["order"]][r["severity"]] = r["n"]

    labels = dict(OrderStatus.choices)
    rows = []
    today = timezone.localdate()
    for o in base:
        person = " ".join(p for p in (o["merchandiser__last_name"], o["merchandiser__first_name"]) if p)
        row = BoardRow(
            order_id=o["pk"],
            number=o["number"],
            customer=_name(o["customer__name"], o["customer__name_en"]),
            merchandiser=person or (o["merchandiser__username"] or ""),
            status=o["status"],
            status_label=str(labels.get(o["status"], o["status"])),
            quantity=o["qty"] or Decimal(0),
            delivery_date=o["due"],
            planned_finish=o["finish"],
            good=good.get(o["pk"]) or Decimal(0),
            ops_total=ops.get(o["pk"], {}).get("total", 0),
            ops_done=ops.get(o["pk"], {}).get("done", 0),
        )
        _assess(
            row, o["version_id"], behind.get(o["pk"], 0), short.get(o["pk"]), issues.get(o["pk"], {}), today
        )
        rows.append(row)
    return rows


def _assess(row: BoardRow, version_id, behind: int, short: Mapping | None, issues: dict, today) -> None:
    """Red, amber or green, with the reasons in words: (a) the schedule, (b) the kit check,
    (c) open issues."""
    if row.status == OrderStatus.READY_TO_SHIP:
        row.risk = DONE
        return
    red, amber = [], []
    due = row.delivery_date
    if due and due < today:
        red.append(_("Delivery date %(date)s has passed") % {"date": due.isoformat()})
    if version_id is None:
        amber.append(_("No plan in force yet"))
    elif row.planned_finish and due:
        finish = timezone.localtime(row.planned_finish).date()
        if finish > due:
            red.append(
                _("Planned finish %(finish)s is after the delivery date %(date)s")
                % {"finish": finish.isoformat(), "date": due.isoformat()}
            )
    if behind:
        amber.append(
            ngettext(
                "%(n)d operation is past its planned finish",
                "%(n)d operations are past their planned finish",
                behind,
            )
            % {"n": behind}
        )
    if short:
        if short["uncovered"]:
            red.append(
                ngettext(
                    "%(n)d material is short with no cover in sight",
                    "%(n)d materials are short with no cover in sight",
                    short["uncovered"],
                )
                % {"n": short["uncovered"]}
            )
        if short["n"] > short["uncovered"]:
            n = short["n"] - short["uncovered"]
            amber.append(
                ngettext(
                    "%(n)d material arrives after it is needed (by %(date)s)",
                    "%(n)d materials arrive after they are needed (last by %(date)s)",
                    n,
                )
                % {"n": n, "date": short["covered"].isoformat() if short["covered"] else "—"}
            )
    serious = sum(n for s, n in issues.items() if s in SERIOUS)
    other = sum(n for s, n in issues.items() if s not in SERIOUS)
    if serious:
        red.append(
            ngettext("%(n)d serious open issue", "%(n)d serious open issues", serious) % {"n": serious}
        )
    if other:
        amber.append(ngettext("%(n)d open issue", "%(n)d open issues", other) % {"n": other})
    row.risk = RED if red else AMBER if amber else GREEN
    row.reasons = red + amber


def _sort_key(row: BoardRow):
    return (RISK_RANK[row.risk], row.delivery_date or dt.date.max, row.number)


def _details(rows: list[BoardRow], now: dt.datetime) -> None:
    """Products and operation chips of the rows shown (three queries whatever their number)."""
    by_id = {row.order_id: row for row in rows}
    if not by_id:
        return
    products: dict[int, list[str]] = defaultdict(list)
    for line in (
        OrderLine.objects.filter(order_id__in=by_id, is_cancelled=False)
        .select_related("product")
        .order_by("line_no")
    ):
        label = line.product.code if line.product else (line.product_code or "—")
        if label not in products[line.order_id]:
            products[line.order_id].append(label)
    planned: dict[int, Mapping] = {}
    for r in (
        PlannedOperation.objects.filter(
            operation__order_id__in=by_id, version=F("operation__order__plan__in_force")
        )
        .values("operation")
        .annotate(start=Min("start"), end=Max("end"), wc=Min("work_centre__code"))
    ):
        planned[r["operation"]] = r
    for op in OrderOperation.objects.filter(order_id__in=by_id).order_by(
        "order_id", "order_line_id", "job_key", "sequence"
    ):
        row = by_id[op.order_id]
        if "." in op.job_key:
            row.sub_total += 1
            row.sub_done += op.status == OperationStatus.FINISHED
            continue
        plan = planned.get(op.pk, {})
        end = plan.get("end")
        start = plan.get("start")
        if op.status == OperationStatus.FINISHED:
            state = CHIP_DONE
        elif op.status == OperationStatus.STARTED:
            state = CHIP_LATE if end and end < now else CHIP_RUNNING
        else:
            state = CHIP_LATE if start and start < now else CHIP_PENDING
        row.chips.append(
            Chip(
                name=op.name,
                sequence=op.sequence,
                state=state,
                good=op.good_qty,
                quantity=op.quantity,
                planned_start=start,
                planned_end=end,
                work_centre=plan.get("wc") or "",
            )
        )
    for order_id, names in products.items():
        by_id[order_id].products = names


def progress_board(
    orders: QuerySet[Order], *, filters: BoardFilters | None = None, page: int = 1, page_size: int = PAGE_SIZE
) -> Board:
    """The board of the open orders among `orders`, late and at-risk first, one page of it."""
    now = timezone.now()
    rows = sorted(_summaries(board_orders(orders, filters), now), key=_sort_key)
    counts = {risk: 0 for risk in RISK_RANK}
    for row in rows:
        counts[row.risk] += 1
    pages = max(1, -(-len(rows) // page_size))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * page_size : page * page_size]
    _details(shown, now)
    return Board(rows=shown, total=len(rows), page=page, pages=pages, counts=counts)


@dataclass
class CentreRow:
    order_id: int
    number: str
    operation: str
    sequence: int
    planned_start: dt.datetime
    planned_end: dt.datetime
    quantity: Decimal
    good: Decimal
    status: str
    status_label: str
    is_next: bool = False


def work_centre_board(orders: QuerySet[Order], centre: WorkCentre, *, limit: int = 200) -> list[CentreRow]:
    """Today's and tomorrow's operations on one work centre in planned order (the plans in force),
    with what the shop floor has reported; the first one not finished is what is next."""
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(today, dt.time(), tzinfo=tz)
    end = start + dt.timedelta(days=2)
    planned = (
        PlannedOperation.objects.filter(
            work_centre=centre,
            start__lt=end,
            end__gte=start,
            version=F("operation__order__plan__in_force"),
            operation__order__in=orders.filter(status__in=BOARD_STATES).values("pk"),
        )
        .select_related("operation", "operation__order")
        .order_by("start", "pk")[:limit]
    )
    labels = dict(OperationStatus.choices)
    rows = []
    for p in planned:
        op = p.operation
        rows.append(
            CentreRow(
                order_id=op.order_id,
                number=op.order.number,
                operation=op.name,
                sequence=op.sequence,
                planned_start=p.start,
                planned_end=p.end,
                quantity=p.quantity,
                good=op.good_qty,
                status=op.status,
                status_label=str(labels.get(op.status, op.status)),
            )
        )
    for row in rows:
        if row.status != OperationStatus.FINISHED:
            row.is_next = True
            break
    return rows


# ---- plain data for the wall screen and the API ----


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def _qty(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def row_data(row: BoardRow) -> dict:
    return {
        "order": row.order_id,
        "number": row.number,
        "customer": row.customer,
        "merchandiser": row.merchandiser,
        "status": row.status,
        "status_label": row.status_label,
        "products": row.products,
        "quantity": _qty(row.quantity),
        "good": _qty(row.good),
        "progress_pct": row.progress_pct,
        "operations_done": row.ops_done,
        "operations_total": row.ops_total,
        "delivery_date": _iso(row.delivery_date),
        "planned_finish": _iso(row.planned_finish),
        "risk": row.risk,
        "risk_label": row.risk_label,
        "reasons": row.reasons,
        "operations": [
            {
                "sequence": c.sequence,
                "name": c.name,
                "state": c.state,
                "state_label": c.state_label,
                "work_centre": c.work_centre,
                "good": _qty(c.good),
                "quantity": _qty(c.quantity),
                "planned_start": _iso(c.planned_start),
                "planned_finish": _iso(c.planned_end),
            }
            for c in row.chips
        ],
    }


def board_payload(board: Board) -> dict:
    return {
        "kind": "factory",
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "total": board.total,
        "counts": board.counts,
        "rows": [row_data(row) for row in board.rows],
    }


def centre_payload(centre: WorkCentre, rows: list[CentreRow]) -> dict:
    return {
        "kind": "work_centre",
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "work_centre": str(centre),
        "total": len(rows),
        "rows": [
            {
                "order": r.order_id,
                "number": r.number,
                "operation": r.operation,
                "sequence": r.sequence,
                "planned_start": _iso(r.planned_start),
                "planned_finish": _iso(r.planned_end),
                "quantity": _qty(r.quantity),
                "good": _qty(r.good),
                "status": r.status,
                "status_label": r.status_label,
                "is_next": r.is_next,
            }
            for r in rows
        ],
    }
