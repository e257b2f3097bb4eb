"""From orders to the engine's jobs, for building a plan and for rescheduling all open orders alike:
the order's stable operations, the parts each operation is placed in (the planner's splits and
pins, what the shop floor has started), the jobs with their material release and due date, and the
materials the placed jobs need on which day. orders/engine_adapter.py translates the factory; this
module adds what planning knows (versions, pins, splits, operations started)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from gendan.core.i18n import bilingual, str_in_both
from gendan.engine.scheduler import Frozen, Job, JobResult, ScheduledOperation
from gendan.masterdata.models import Material
from gendan.orders.choices import PRIORITY_WEIGHT
from gendan.orders.engine_adapter import (
    Factory,
    JobSpec,
    OpPart,
    explode_jobs,
    jobs_of,
    material_release,
    parse_operation_id,
)
from gendan.orders.models import Order, OrderLine

from ..choices import OperationStatus
from ..models import OrderOperation, PlannedOperation, PlanVersion
from .in_force import frozen_of


def what(line: OrderLine) -> tuple[int, Decimal]:
    """Product and quantity of a line planned (only lines with both are)."""
    return int(line.product_id or 0), line.quantity or Decimal(0)


def weight_of(order: Order) -> int:
    return PRIORITY_WEIGHT.get(str(order.priority), 2)


@dataclass
class Part:
    """One part of an operation as the version places it, with the planner's pins."""

    quantity: Decimal
    work_centre: str | None = None  # pinned to this centre
    pinned_start: dt.datetime | None = None
    frozen: Frozen | None = None  # started on the shop floor
    shop_frozen: bool = False


@dataclass
class OrderJobs:
    """An order on its way to the engine: its lines, their jobs, its operations and their parts."""

    order: Order
    lines: list[OrderLine]
    specs: dict[int, list[JobSpec]] = field(default_factory=dict)  # line id -> its jobs
    operations: dict[tuple[int, str, int], OrderOperation] = field(default_factory=dict)
    parts: dict[tuple[str, int], list[Part]] = field(default_factory=dict)  # (job key, seq) -> parts

    def has_routing(self) -> bool:
        return bool(self.lines) and any(spec.routing for specs in self.specs.values() for spec in specs)


@dataclass
class Draft(OrderJobs):
    """An order being planned, with the draft version its placing is written to."""

    version: PlanVersion = field(kw_only=True)


# ------------------------------------------------------------------------------ operations

Ensured = tuple[list[OrderLine], dict[int, list[JobSpec]], dict[tuple[int, str, int], OrderOperation]]


def operations_ensure_many(factory: Factory, orders: Iterable[Order]) -> dict[int, Ensured]:
    """Each order's lines, their jobs and the order's OrderOperations, one per routing operation of
    every job of every line, created where missing (they stay the same across versions: the shop
    floor reports against them). A handful of queries whatever the number of orders."""
    by_pk = {order.pk: order for order in orders}
    lines: dict[int, list[OrderLine]] = defaultdict(list)
    for line in (
        OrderLine.objects.filter(
            order_id__in=by_pk, is_cancelled=False, product__isnull=False, quantity__gt=0
        )
        .select_related("order")
        .order_by("order_id", "line_no", "pk")
    ):
        lines[line.order_id].append(line)

    def existing() -> dict[tuple[int, str, int], OrderOperation]:
        return {
            (o.order_line_id, o.job_key, o.sequence): o
            for o in OrderOperation.objects.filter(order_id__in=by_pk).select_related(
                "routing_operation__work_centre"
            )
        }

    known = existing()
    specs: dict[int, list[JobSpec]] = {}
    new = []
    for order_id, order_lines in lines.items():
        for line in order_lines:
            specs[line.pk] = explode_jobs(factory, f"L{line.pk}", *what(line))
            for spec in specs[line.pk]:
                for step in spec.routing:
                    if (line.pk, spec.key, step.sequence) in known:
                        continue
                    new.append(
                        OrderOperation(
                            order_id=order_id,
                            order_line=line,
                            job_key=spec.key,
                            product_id=spec.product_id,
                            routing_operation=step,
                            sequence=step.sequence,
                            name=step.name[:100],
                            quantity=spec.quantity.quantize(Decimal("0.0001")),
                        )
                    )
    if new:
        OrderOperation.objects.bulk_create(new)
        known = existing()
    operations: dict[int, dict[tuple[int, str, int], OrderOperation]] = defaultdict(dict)
    for key, op in known.items():
        operations[op.order_id][key] = op
    return {
        pk: (
            lines.get(pk, []),
            {line.pk: specs[line.pk] for line in lines.get(pk, [])},
            operations.get(pk, {}),
        )
        for pk in by_pk
    }


def operations_ensure(factory: Factory, order: Order) -> Ensured:
    return operations_ensure_many(factory, [order])[order.pk]


def in_force_rows(orders: Iterable[Order]) -> dict[int, list[PlannedOperation]]:
    """The planned parts of each operation in the orders' versions in force, by operation id."""
    rows = (
        PlannedOperation.objects.filter(
            version__plan__order__in=list(orders), version__plan__in_force_id__isnull=False
        )
        .select_related("work_centre", "version__plan")
        .order_by("operation_id", "part")
    )
    out: dict[int, list[PlannedOperation]] = defaultdict(list)
    for row in rows:
        if row.version.plan.in_force_id == row.version_id:
            out[row.operation_id].append(row)
    return out


# ------------------------------------------------------------------------------ parts


def _shop_frozen(factory: Factory, op: OrderOperation, in_force: list[PlannedOperation]) -> Frozen | None:
    """Where a started or finished operation stays: where the version in force placed it, or from
    when it started on the centre it runs on."""
    if op.status == OperationStatus.PENDING:
        return None
    if in_force:
        row = in_force[0]
        return frozen_of(factory, row, row.work_centre.code)
    centre = op.work_centre or (op.routing_operation.work_centre if op.routing_operation else None)
    if centre is None or centre.code not in factory.centres:
        return None
    when = op.started_at or timezone.now()
    end = factory.minute_of(op.finished_at) if op.finished_at else None
    start = factory.minute_of(when)
    return Frozen(start=start, work_centre=centre.code, end=max(end, start) if end is not None else None)


def parts_from_rows(
    factory: Factory, jobs: OrderJobs, rows: Iterable[PlannedOperation], in_force: dict
) -> None:
    """The parts and pins a version carries into its next run (the draft's own rows when re-run,
    the version in force's when rescheduling); shop-floor freezing on top."""
    by_op: dict[int, list[PlannedOperation]] = defaultdict(list)
    for row in rows:
        by_op[row.operation_id].append(row)
    for (_line, key, seq), op in jobs.operations.items():
        mine = sorted(by_op.get(op.pk, []), key=lambda r: r.part)
        parts = [
            Part(
                quantity=r.quantity,
                work_centre=r.work_centre.code if r.pinned_work_centre else None,
                pinned_start=r.pinned_start,
            )
            for r in mine
        ] or [Part(quantity=op.quantity)]
        frozen = _shop_frozen(factory, op, in_force.get(op.pk, []))
        if frozen is not None:
            parts = [Part(quantity=op.quantity, frozen=frozen, shop_frozen=True)]
        jobs.parts[(key, seq)] = parts


def _op_part(part: Part, factory: Factory, code_hint: str | None, now: int) -> OpPart:
    frozen = part.frozen
    if frozen is None and part.pinned_start is not None:
        code = part.work_centre or code_hint
        start = factory.minute_of(part.pinned_start)
        # A pinned start that has passed without the operation starting is a wish no longer
        # possible: the operation goes where the engine can put it (on its pinned centre).
        if code and start >= now:
            frozen = Frozen(start=start, work_centre=code)
    return OpPart(quantity=part.quantity, work_centre=part.work_centre, frozen=frozen)


def entry_jobs(factory: Factory, e: OrderJobs, now: int) -> list[Job]:
    """The engine's jobs of an order: each line's, released when its materials are there (and not
    before now), due at the end of its delivery date, with the parts and pins of its operations."""
    overrides = {}
    for (_line, key, seq), op in e.operations.items():
        parts = e.parts.get((key, seq))
        if parts:
            hint = op.routing_operation.work_centre.code if op.routing_operation else None
            overrides[(key, seq)] = [_op_part(p, factory, hint, now) for p in parts]
    jobs: list[Job] = []
    for line in e.lines:
        release, _short = material_release(factory, *what(line))
        jobs.extend(
            jobs_of(
                e.specs[line.pk],
                due=factory.day_end(line.delivery_date),
                weight=weight_of(e.order),
                release=max(release, now),
                overrides=overrides,
            )
        )
    return jobs


def planned_part(
    factory: Factory, e: OrderJobs, s: ScheduledOperation, version: PlanVersion | None = None
) -> PlannedOperation | None:
    """The engine's placing of one part of one of the order's operations, as a planned operation
    (unsaved; `version` is the draft it goes to, none for a proposal). None for a job of another
    order."""
    root = s.job.split(".")[0]
    if not root.startswith("L") or not root[1:].isdigit():
        return None
    seq, part_no = parse_operation_id(s.operation)
    op = e.operations.get((int(root[1:]), s.job, seq))
    if op is None:
        return None
    parts = e.parts.get((s.job, seq)) or [Part(quantity=op.quantity)]
    part = parts[min(part_no, len(parts)) - 1]
    routing = op.routing_operation
    centre = factory.centres[s.work_centre]
    run = 0
    if routing is not None:
        run = int(float(routing.run_minutes * part.quantity) * 100 / max(centre.efficiency_pct, 1))
    return PlannedOperation(
        version=version,
        operation=op,
        part=part_no,
        quantity=part.quantity,
        work_centre=centre,
        machine=max(s.machine, 0),
        start=factory.at(s.start),
        end=factory.at(s.end),
        setup_minutes=int(routing.setup_minutes) if routing else 0,
        run_minutes=max(run, 1),
        people=max(routing.people, 1) if routing else 1,
        pinned_work_centre=part.work_centre is not None,
        pinned_start=part.pinned_start,
        frozen=part.shop_frozen,
    )


def materials_needed(
    factory: Factory, e: OrderJobs, first_start: dict[str, dt.datetime]
) -> list[tuple[OrderLine, Material, Decimal, dt.date]]:
    """(line, material, quantity, need date) of the order: each job's materials are needed on the
    day the job starts (`first_start` by job key), summed per line, material and day."""
    found: dict[tuple[int, int, dt.date], list] = {}
    for line in e.lines:
        prefix = f"L{line.pk}"
        line_start = min((s for k, s in first_start.items() if k.split(".")[0] == prefix), default=None)
        for spec in e.specs[line.pk]:
            when = first_start.get(spec.key) or line_start
            day = timezone.localtime(when).date() if when else (line.delivery_date or factory.origin.date())
            for material, qty in spec.materials:
                key = (line.pk, material.pk, day)
                if key in found:
                    found[key][2] += qty
                else:
                    found[key] = [line, material, qty, day]
    return [
        (line, material, qty.quantize(Decimal("0.0001")), day) for line, material, qty, day in found.values()
    ]


def late_reason(factory: Factory, e: OrderJobs, late: JobResult) -> dict:
    """Why a job of the order is late, as stored on a version (worded by messages.late_reason_text):
    {"kind": "work_centre" | "material" | "chain" | "capacity", "hours", "work_centre", "material"}."""
    b = late.bottleneck
    if b is None:
        return {"kind": "capacity"}
    reason: dict = {"kind": b.kind, "hours": round(b.minutes / 60, 1)}
    if b.work_centre and b.work_centre in factory.centres:
        reason["work_centre"] = str_in_both(factory.centres[b.work_centre])
    elif b.work_centre:
        reason["work_centre"] = bilingual(b.work_centre)
    if b.kind == "material":
        line_id = int(late.job[1:].split(".")[0])
        line = next((line for line in e.lines if line.pk == line_id), None)
        if line is not None:
            _minute, short = material_release(factory, *what(line))
            if short is not None:
                reason["material"] = str_in_both(short)
    return reason
