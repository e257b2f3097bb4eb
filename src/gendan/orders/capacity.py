"""Capacity and materials in the order review (R-1.3, R-2.3): translate master data and the open
orders into the scheduling engine's plain data, and ask its capable-to-promise question
"can we finish N of X by D?" for each line of the order under review.

The schedule in force is the dispatching schedule of the released orders (fast, no solver): the
review must answer in a couple of seconds, and a later planning area will keep a solved schedule."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from gendan.core.i18n import bilingual, str_in_both
from gendan.engine.scheduler import (
    Calendar,
    Job,
    Mode,
    Operation,
    Options,
    Problem,
    SchedulingError,
    WorkCentre,
    capable_to_promise,
    schedule,
)
from gendan.inventory.models import StockLevel
from gendan.masterdata.choices import CalendarDayKind
from gendan.masterdata.models import BomLine, CalendarDay, Material, RoutingOperation, Shift
from gendan.masterdata.models import WorkCentre as WorkCentreModel

from .choices import PRIORITY_WEIGHT, OrderStatus
from .models import Order, OrderLine

HORIZON_DAYS = 400
LOADING_STATES = [OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION]
DEFAULT_SHIFT = [("08:00", "17:00")]


@dataclass
class Factory:
    origin: dt.datetime
    work_centres: tuple[WorkCentre, ...]
    routings: dict[int, list[RoutingOperation]]
    bom: dict[int, list[BomLine]]
    material_ready: dict[int, int]  # material id -> minute when enough is there (0 = in stock)
    centres: dict[str, WorkCentreModel]  # by code


def _hhmm(t: dt.time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def _calendar(
    origin: dt.datetime, shifts: list[Shift], holidays: set[dt.date], overtime: set[dt.date]
) -> Calendar:
    pattern: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for shift in shifts:
        # The break is taken out at the end of the shift: what matters here is the working minutes.
        start = dt.datetime.combine(origin.date(), shift.start_time)
        end = start + dt.timedelta(minutes=shift.minutes)
        for day in shift.weekday_list:
            pattern[day - 1].append((_hhmm(shift.start_time), _hhmm(end.time())))
    if not pattern:
        pattern = {d: list(DEFAULT_SHIFT) for d in range(5)}
    return Calendar.from_shifts(origin, HORIZON_DAYS, dict(pattern), holidays=holidays, overtime=overtime)


def load_factory(today: dt.date | None = None) -> Factory:
    today = today or timezone.localdate()
    origin = dt.datetime.combine(today, dt.time())
    days = CalendarDay.objects.filter(
        is_archived=False, date__gte=today, date__lte=today + dt.timedelta(days=HORIZON_DAYS)
    )
    factory_holidays = {
        d.date for d in days if d.work_centre_id is None and d.kind == CalendarDayKind.HOLIDAY
    }
    factory_overtime = {
        d.date for d in days if d.work_centre_id is None and d.kind == CalendarDayKind.OVERTIME
    }
    own: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for d in days:
        if d.work_centre_id:
            (own[d.work_centre_id][0] if d.kind == CalendarDayKind.HOLIDAY else own[d.work_centre_id][1]).add(
                d.date
            )
    shifts: dict[int, list[Shift]] = defaultdict(list)
    for shift in Shift.objects.filter(is_archived=False):
        shifts[shift.work_centre_id].append(shift)
    centres = []
    by_code = {}
    for wc in WorkCentreModel.objects.filter(is_archived=False):
        holidays = factory_holidays | own[wc.pk][0]
        overtime = (factory_overtime | own[wc.pk][1]) - own[wc.pk][0]
        calendar = _calendar(origin, shifts.get(wc.pk, []), holidays, overtime)
        centres.append(
            WorkCentre(
                id=wc.code,
                machines=max(1, wc.machines),
                calendar=calendar,
                headcount=wc.headcount or None,
                name=wc.name,
            )
        )
        by_code[wc.code] = wc
    routings: dict[int, list[RoutingOperation]] = defaultdict(list)
    for op in (
        RoutingOperation.objects.filter(is_archived=False)
        .select_related("work_centre")
        .prefetch_related("alternative_work_centres")
        .order_by("sequence")
    ):
        routings[op.product_id].append(op)
    bom: dict[int, list[BomLine]] = defaultdict(list)
    for line in BomLine.objects.filter(is_archived=False).select_related("component_material"):
        bom[line.parent_id].append(line)
    return Factory(
        origin=origin,
        work_centres=tuple(centres),
        routings=routings,
        bom=bom,
        material_ready={},
        centres=by_code,
    )


def _minutes(factory: Factory, day: dt.date | None) -> int | None:
    if day is None:
        return None
    end_of_day = dt.datetime.combine(day, dt.time(23, 59))
    return max(0, int((end_of_day - factory.origin).total_seconds() // 60))


def _jobs_for(
    factory: Factory,
    key: str,
    product_id: int,
    qty: Decimal,
    due: int | None,
    weight: int,
    release: int,
    seen=(),
) -> list[Job]:
    """The job of one product quantity, preceded by the jobs of its sub-assemblies (recursively)."""
    jobs: list[Job] = []
    predecessors = []
    for n, line in enumerate(factory.bom.get(product_id, [])):
        if line.component_product_id and line.component_product_id not in seen:
            need = qty * line.quantity * (1 + line.scrap_pct / 100)
            sub = _jobs_for(
                factory,
                f"{key}.{n}",
                line.component_product_id,
                need,
                None,
                weight,
                release,
                (*seen, product_id),
            )
            if sub:
                jobs.extend(sub)
                predecessors.append(sub[-1].id)
    operations = []
    for op in factory.routings.get(product_id, []):
        centres = [op.work_centre] + [
            w for w in op.alternative_work_centres.all() if w.pk != op.work_centre_id
        ]
        modes = []
        for wc in centres:
            if wc.is_archived:
                continue
            run = math.ceil(float(op.run_minutes * qty) * 100 / max(wc.efficiency_pct, 1))
            modes.append(
                Mode(
                    work_centre=wc.code,
                    run=max(run, 1),
                    setup=int(op.setup_minutes),
                    people=max(op.people, 1),
                )
            )
        if modes:
            operations.append(Operation(id=f"{op.sequence}", modes=tuple(modes), splittable=op.splittable))
    if operations:
        jobs.append(
            Job(
                id=key,
                operations=tuple(operations),
                release=release,
                due=due,
                weight=weight,
                predecessors=tuple(predecessors),
            )
        )
    elif predecessors:
        # A product without its own operations is ready when its sub-assemblies are.
        jobs[-1] = Job(**{**jobs[-1].__dict__, "due": due, "weight": weight})
    return jobs


def _open_load(factory: Factory, exclude_order: int | None) -> list[Job]:
    lines = (
        OrderLine.objects.filter(
            order__status__in=LOADING_STATES, is_cancelled=False, product__isnull=False, quantity__gt=0
        )
        .exclude(order_id=exclude_order)
        .select_related("order")
    )
    jobs = []
    for line in lines:
        jobs.extend(
            _jobs_for(
                factory,
                f"L{line.pk}",
                line.product_id,
                line.quantity,
                _minutes(factory, line.delivery_date),
                PRIORITY_WEIGHT.get(line.order.priority, 2),
                0,
            )
        )
    return jobs


def _material_release(factory: Factory, product_id: int, qty: Decimal) -> tuple[int, Material | None]:
    """When the materials for `qty` are there: now if stock covers the need, else after the longest
    purchase lead time of a short material (the kit check in its simplest honest form)."""
    need: dict[int, Decimal] = defaultdict(Decimal)
    lead: dict[int, tuple[int, Material]] = {}

    def walk(pid: int, q: Decimal, depth: int = 0) -> None:
        if depth > 8:
            return
        for line in factory.bom.get(pid, []):
            amount = q * line.quantity * (1 + line.scrap_pct / 100)
            if line.component_material_id:
                need[line.component_material_id] += amount
                lead[line.component_material_id] = (
                    line.component_material.lead_time_days,
                    line.component_material,
                )
            elif line.component_product_id:
                walk(line.component_product_id, amount, depth + 1)

    walk(product_id, qty)
    if not need:
        return 0, None
    stock = dict(
        StockLevel.objects.filter(material_id__in=need)
        .values("material_id")
        .annotate(q=Sum("quantity"))
        .values_list("material_id", "q")
    )
    worst_days, worst = 0, None
    for material_id, amount in need.items():
        if (stock.get(material_id) or 0) < amount:
            days, material = lead[material_id]
            if days > worst_days:
                worst_days, worst = days, material
    return worst_days * 1440, worst


# The schedule in force is the same for every order reviewed until a released order, a routing or a
# calendar changes; the worker keeps the last few, keyed by the whole problem (frozen dataclasses).
_IN_FORCE: dict[int, tuple[float, object]] = {}
_IN_FORCE_TTL = 600.0


def _schedule_in_force(problem: Problem, seconds: float):
    key = hash(problem)
    now = time.monotonic()
    hit = _IN_FORCE.get(key)
    if hit is not None and now - hit[0] < _IN_FORCE_TTL:
        return hit[1]
    result = schedule(problem, Options(use_solver=False, time_limit=seconds))
    if len(_IN_FORCE) >= 4:
        _IN_FORCE.pop(next(iter(_IN_FORCE)))
    _IN_FORCE[key] = (now, result)
    return result


@dataclass
class LineAnswer:
    line: OrderLine
    earliest: dt.date
    possible: bool
    # What limits it, worded when shown (orders.messages.LIMITS): "material" (limit_item names it),
    # "materials", "work_centre" (limit_item), "chain" (its own chain of operations), "capacity".
    limit: str
    limit_item: dict[str, str] | None = None


def promise_order(
    order: Order, *, seconds: float = 1.5, lines: list[OrderLine] | None = None
) -> list[LineAnswer]:
    """For each line of `order` (or the given `lines`, which may carry a quantity or date a change
    request asks for): can the factory finish it by its delivery date, and if not, the earliest date
    and what limits it. Lines without product, quantity, date or routing are skipped (the review
    reports those problems itself)."""
    factory = load_factory()
    if lines is None:
        lines = list(order.lines.filter(is_cancelled=False, product__isnull=False))
    lines = [
        line
        for line in lines
        if line.quantity is not None
        and line.quantity > 0
        and line.delivery_date is not None
        and line.delivery_date >= factory.origin.date()
        and factory.routings.get(line.product_id)
    ]
    if not lines:
        return []
    existing = _open_load(factory, exclude_order=order.pk)
    problem = Problem(
        jobs=tuple(existing),
        work_centres=factory.work_centres,
        calendar=Calendar.from_shifts(factory.origin, HORIZON_DAYS, DEFAULT_SHIFT),
    )
    in_force = _schedule_in_force(problem, seconds)
    answers = []
    for line in lines:
        release, short = _material_release(factory, line.product_id, line.quantity)
        due = _minutes(factory, line.delivery_date)
        new_jobs = _jobs_for(
            factory,
            f"N{line.pk}",
            line.product_id,
            line.quantity,
            due,
            PRIORITY_WEIGHT.get(order.priority, 2),
            release,
        )
        if not new_jobs:
            continue
        answer = capable_to_promise(problem, in_force, new_jobs, due)
        earliest = (factory.origin + dt.timedelta(minutes=answer.earliest_free)).date()
        limit, item = "capacity", None
        if answer.limits is not None:
            if answer.limits.kind == "material":
                limit, item = ("material", str_in_both(short)) if short else ("materials", None)
            elif answer.limits.kind == "work_centre" and answer.limits.work_centre:
                code = answer.limits.work_centre
                centre = factory.centres.get(code)
                limit, item = "work_centre", str_in_both(centre) if centre else bilingual(code)
            else:
                limit = "chain"
        elif short:
            limit, item = "material", str_in_both(short)
        answers.append(
            LineAnswer(
                line=line,
                earliest=earliest,
                possible=answer.without_delaying_others,
                limit=limit,
                limit_item=item,
            )
        )
    return answers


@dataclass
class CapacityProblem:
    code: str
    key: str
    params: dict
    line: OrderLine

    @property
    def fingerprint(self) -> str:
        return f"capacity:{self.line.line_no}"


def capacity_problems(order: Order) -> list[CapacityProblem]:
    """Review check: a finding for each line the factory cannot finish by its date."""
    try:
        answers = promise_order(order)
    except SchedulingError:
        return []  # bad routing data shows on the master-data pages; the review goes on without it
    found = []
    for a in answers:
        if not a.possible and a.earliest > a.line.delivery_date:
            found.append(
                CapacityProblem(
                    "capacity",
                    "capacity",
                    {
                        "line": a.line.line_no,
                        "qty": format(a.line.quantity.normalize(), "f"),
                        "earliest": a.earliest.isoformat(),
                        "date": a.line.delivery_date.isoformat(),
                        "limit_kind": a.limit,
                        "limit_item": a.limit_item or "",
                    },
                    a.line,
                )
            )
    return found
