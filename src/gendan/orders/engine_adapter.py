"""The one translation from the database to the scheduling engine (`gendan.engine.scheduler`):
work centres and their shift calendars, routings and BOMs become Jobs, Operations and Modes, and
the work already in force becomes the load a new order is placed around.

Identity: an order line's job is "L<line id>", a sub-assembly of it "L<line id>.<n>" (recursively),
and an operation's id is its routing sequence ("20"), or "20/2" for the second part of a split
quantity; `parse_operation_id` reads it back, so engine output maps onto planning's OrderOperations.

The work in force: orders cannot import planning (layers), so planning registers a load source
(`register_load_source`) that gives the approved plans in force as frozen jobs; released orders no
source covers are dispatched from their routings as before."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from gendan.engine.scheduler import Calendar, Frozen, Job, Mode, Operation, WorkCentre
from gendan.inventory.models import StockLevel
from gendan.masterdata.choices import CalendarDayKind
from gendan.masterdata.models import BomLine, CalendarDay, Material, RoutingOperation, Shift
from gendan.masterdata.models import WorkCentre as WorkCentreModel

from .choices import PRIORITY_WEIGHT, OrderStatus
from .models import OrderLine

HORIZON_DAYS = 400
LOADING_STATES = [OrderStatus.RELEASED, OrderStatus.IN_PRODUCTION]
DEFAULT_SHIFT = [("08:00", "17:00")]
MAX_BOM_DEPTH = 8


@dataclass
class Factory:
    """The factory as the engine sees it, at midnight of `origin`'s day (minute 0, local time)."""

    origin: dt.datetime
    work_centres: tuple[WorkCentre, ...]
    routings: dict[int, list[RoutingOperation]]
    bom: dict[int, list[BomLine]]
    material_ready: dict[int, int]  # material id -> minute when enough is there (0 = in stock)
    centres: dict[str, WorkCentreModel]  # by code

    def at(self, minute: int) -> dt.datetime:
        """The aware local datetime of an engine minute."""
        return timezone.make_aware(self.origin + dt.timedelta(minutes=int(minute)))

    def minute_of(self, when: dt.datetime) -> int:
        """The engine minute of a datetime (aware or local)."""
        if timezone.is_aware(when):
            when = timezone.make_naive(when)
        return int((when - self.origin).total_seconds() // 60)

    def now(self) -> int:
        return max(0, self.minute_of(timezone.now()))

    def day_end(self, day: dt.date | None) -> int | None:
        """The last minute of `day` (a due date means "by the end of that day")."""
        if day is None:
            return None
        return max(0, self.minute_of(dt.datetime.combine(day, dt.time(23, 59))))

    def calendar_of(self, code: str) -> Calendar | None:
        for wc in self.work_centres:
            if wc.id == code:
                return wc.calendar
        return None


def _hhmm(t: dt.time) -> str:
    return f"{t.hour:02d}:{t.minute:02d}"


def build_calendar(
    origin: dt.datetime, shifts: list[Shift], holidays: set[dt.date], overtime: set[dt.date]
) -> Calendar:
    """A work centre's working minutes from its shifts, holidays and overtime days."""
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


def load_centres(origin: dt.datetime) -> tuple[tuple[WorkCentre, ...], dict[str, WorkCentreModel]]:
    """The work centres with their calendars from `origin` (shifts, holidays, overtime days)."""
    today = origin.date()
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
        calendar = build_calendar(origin, shifts.get(wc.pk, []), holidays, overtime)
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
    return tuple(centres), by_code


def load_factory(today: dt.date | None = None) -> Factory:
    today = today or timezone.localdate()
    origin = dt.datetime.combine(today, dt.time())
    centres, by_code = load_centres(origin)
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
        work_centres=centres,
        routings=routings,
        bom=bom,
        material_ready={},
        centres=by_code,
    )


# ------------------------------------------------------------------------------ jobs of a product


@dataclass
class JobSpec:
    """One job of an order line: the line's product ("L12") or a sub-assembly ("L12.0", "L12.0.1")."""

    key: str
    product_id: int
    quantity: Decimal
    routing: list[RoutingOperation]
    predecessors: list[str] = field(default_factory=list)
    # The materials its own BOM consumes: (material, quantity with scrap).
    materials: list[tuple[Material, Decimal]] = field(default_factory=list)


def explode_jobs(factory: Factory, key: str, product_id: int, qty: Decimal, seen=()) -> list[JobSpec]:
    """The jobs of `qty` of a product, sub-assemblies first (recursively), scrap included."""
    specs: list[JobSpec] = []
    own = JobSpec(key=key, product_id=product_id, quantity=qty, routing=factory.routings.get(product_id, []))
    if len(seen) <= MAX_BOM_DEPTH:
        for n, line in enumerate(factory.bom.get(product_id, [])):
            need = qty * line.quantity * (1 + line.scrap_pct / 100)
            if line.component_material_id and line.component_material is not None:
                own.materials.append((line.component_material, need))
            elif line.component_product_id and line.component_product_id not in seen:
                sub = explode_jobs(
                    factory, f"{key}.{n}", line.component_product_id, need, (*seen, product_id)
                )
                specs.extend(sub)
                own.predecessors.append(sub[-1].key)
    specs.append(own)
    return specs


@dataclass(frozen=True)
class OpPart:
    """How one operation (or one part of a split one) is to be placed: `quantity` of it, only on
    `work_centre` when pinned there, or exactly at `frozen` (started on the shop floor, or its start
    pinned by the planner)."""

    quantity: Decimal
    work_centre: str | None = None
    frozen: Frozen | None = None


# (job key, routing sequence) -> its parts; an operation not named is one part of the job's quantity.
Overrides = Mapping[tuple[str, int], Sequence[OpPart]]


def operation_id(sequence: int, part: int, parts: int) -> str:
    return f"{sequence}" if parts <= 1 else f"{sequence}/{part}"


def parse_operation_id(op_id: str) -> tuple[int, int]:
    """(routing sequence, part) of an engine operation id."""
    seq, _, part = op_id.partition("/")
    return int(seq), int(part or 1)


def modes_of(op: RoutingOperation, qty: Decimal, only: str | None = None) -> list[Mode]:
    """The ways to do `qty` of a routing operation: its work centre and the alternatives."""
    centres = [op.work_centre] + [w for w in op.alternative_work_centres.all() if w.pk != op.work_centre_id]
    modes = []
    for wc in centres:
        if wc.is_archived or (only is not None and wc.code != only):
            continue
        run = math.ceil(float(op.run_minutes * qty) * 100 / max(wc.efficiency_pct, 1))
        modes.append(
            Mode(work_centre=wc.code, run=max(run, 1), setup=int(op.setup_minutes), people=max(op.people, 1))
        )
    return modes


def job_of(
    spec: JobSpec, *, due: int | None, weight: int, release: int, overrides: Overrides | None = None
) -> Job | None:
    """The engine job of a JobSpec; None when its product has no routing."""
    operations: list[Operation] = []
    previous: tuple[str, ...] = ()
    for op in spec.routing:
        parts = list((overrides or {}).get((spec.key, op.sequence)) or [OpPart(spec.quantity)])
        ids = []
        for n, part in enumerate(parts, start=1):
            modes = modes_of(op, part.quantity, part.work_centre)
            if not modes and part.frozen is None:
                continue
            op_id = operation_id(op.sequence, n, len(parts))
            operations.append(
                Operation(
                    id=op_id,
                    modes=tuple(modes),
                    after=previous,
                    splittable=op.splittable,
                    frozen=part.frozen,
                )
            )
            ids.append(op_id)
        if ids:
            previous = tuple(ids)  # the next operation waits for every part of this one
    if not operations:
        return None
    return Job(
        id=spec.key,
        operations=tuple(operations),
        release=release,
        due=due,
        weight=weight,
        predecessors=tuple(spec.predecessors),
    )


def jobs_of(
    specs: list[JobSpec], *, due: int | None, weight: int, release: int, overrides: Overrides | None = None
) -> list[Job]:
    """The engine jobs of an order line's JobSpecs (the last one is the line's product). A product
    without operations of its own is ready when its sub-assemblies are: its predecessors' last job
    carries the line's due date, and jobs that named it wait for them instead."""
    jobs: list[Job] = []
    stand_in: dict[str, tuple[str, ...]] = {}
    for n, spec in enumerate(specs):
        last = n == len(specs) - 1
        preds = tuple(p for name in spec.predecessors for p in stand_in.get(name, (name,)))
        spec_due = due if last else None
        job = job_of(
            JobSpec(spec.key, spec.product_id, spec.quantity, spec.routing, list(preds)),
            due=spec_due,
            weight=weight,
            release=release,
            overrides=overrides,
        )
        if job is not None:
            jobs.append(job)
        else:
            stand_in[spec.key] = preds
            if last and jobs and preds:
                jobs[-1] = Job(**{**jobs[-1].__dict__, "due": due, "weight": weight})
    return jobs


def line_jobs(
    factory: Factory,
    line: OrderLine,
    *,
    quantity: Decimal | None = None,
    key: str | None = None,
    release: int = 0,
    overrides: Overrides | None = None,
    priority: str | None = None,
    due_date: dt.date | None = None,
) -> list[Job]:
    """The engine jobs of an order line (its product and its sub-assemblies)."""
    if line.product_id is None:
        return []  # a line for a product not in master data yet: nothing to make
    specs = explode_jobs(
        factory, key or f"L{line.pk}", line.product_id, quantity or line.quantity or Decimal(0)
    )
    return jobs_of(
        specs,
        due=factory.day_end(due_date or line.delivery_date),
        weight=PRIORITY_WEIGHT.get(priority or line.order.priority, 2),
        release=release,
        overrides=overrides,
    )


# ------------------------------------------------------------------------------ the work in force

LoadSource = Callable[[Factory, frozenset[int]], tuple[list[Job], set[int]]]
_LOAD_SOURCES: list[LoadSource] = []


def register_load_source(source: LoadSource) -> None:
    """A source of the work in force: given the factory and the orders to leave out, it returns
    engine jobs and the ids of the orders they cover (planning: the approved plans in force)."""
    if source not in _LOAD_SOURCES:
        _LOAD_SOURCES.append(source)


def open_load(factory: Factory, exclude_orders: Iterable[int] = ()) -> list[Job]:
    """The work in force the engine places new work around: what the registered sources give, and
    every other released order line dispatched from its routing."""
    covered = set(exclude_orders)
    jobs: list[Job] = []
    for source in _LOAD_SOURCES:
        more, orders = source(factory, frozenset(covered))
        jobs.extend(more)
        covered |= orders
    lines = (
        OrderLine.objects.filter(
            order__status__in=LOADING_STATES, is_cancelled=False, product__isnull=False, quantity__gt=0
        )
        .exclude(order_id__in=covered)
        .select_related("order")
    )
    for line in lines:
        jobs.extend(line_jobs(factory, line))
    return jobs


# ------------------------------------------------------------------------------ materials


def explode_materials(factory: Factory, product_id: int, qty: Decimal) -> dict[int, tuple[Material, Decimal]]:
    """Every material `qty` of a product needs through its whole BOM, scrap included."""
    need: dict[int, tuple[Material, Decimal]] = {}
    for spec in explode_jobs(factory, "", product_id, qty):
        for material, amount in spec.materials:
            had = need.get(material.pk, (material, Decimal(0)))[1]
            need[material.pk] = (material, had + amount)
    return need


def material_release(factory: Factory, product_id: int, qty: Decimal) -> tuple[int, Material | None]:
    """When the materials for `qty` are there: now if stock covers the need, else after the longest
    purchase lead time of a short material (the kit check in its simplest honest form)."""
    need = explode_materials(factory, product_id, qty)
    if not need:
        return 0, None
    stock = dict(
        StockLevel.objects.filter(material_id__in=need)
        .values("material_id")
        .annotate(q=Sum("quantity"))
        .values_list("material_id", "q")
    )
    worst_days, worst = 0, None
    for material_id, (material, amount) in need.items():
        if (stock.get(material_id) or 0) < amount and material.lead_time_days > worst_days:
            worst_days, worst = material.lead_time_days, material
    return worst_days * 1440, worst
