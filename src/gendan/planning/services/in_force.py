"""The schedule in force, as the engine's load (registered with orders.engine_adapter at start-up):
every approved version in force is a set of frozen jobs, exactly where it was planned, so a new plan
or the order review places new work around it. Orders with a version in force are covered; the
released orders without one are dispatched by the adapter itself."""

from __future__ import annotations

from collections import defaultdict

from gendan.engine.scheduler import Frozen, Job, Mode, Operation
from gendan.orders.engine_adapter import Factory, operation_id

from ..models import Plan, PlannedOperation


def frozen_of(factory: Factory, planned: PlannedOperation, code: str) -> Frozen:
    return Frozen(
        start=factory.minute_of(planned.start),
        work_centre=code,
        end=max(factory.minute_of(planned.end), factory.minute_of(planned.start)),
    )


def in_force_jobs(factory: Factory, exclude_orders: frozenset[int]) -> tuple[list[Job], set[int]]:
    plans = Plan.objects.filter(in_force__isnull=False).exclude(order_id__in=exclude_orders)
    version_ids = dict(plans.values_list("in_force_id", "order_id"))
    if not version_ids:
        return [], set()
    rows = (
        PlannedOperation.objects.filter(version_id__in=version_ids)
        .select_related("operation", "work_centre")
        .order_by("operation__job_key", "operation__sequence", "part")
    )
    by_job: dict[str, list[PlannedOperation]] = defaultdict(list)
    for row in rows:
        if row.work_centre.code in factory.centres:
            by_job[row.operation.job_key].append(row)
    loose = _over_capacity(factory, [row for items in by_job.values() for row in items])
    jobs = []
    for key, items in by_job.items():
        counts: dict[int, int] = defaultdict(int)
        for row in items:
            counts[row.operation.sequence] += 1
        operations = []
        for row in items:
            code = row.work_centre.code
            frozen = frozen_of(factory, row, code)
            op_id = operation_id(row.operation.sequence, row.part, counts[row.operation.sequence])
            calendar = factory.calendar_of(code)
            work = calendar.work_between(frozen.start, frozen.end or frozen.start) if calendar else 0
            mode = Mode(work_centre=code, run=max(1, work), people=max(row.people, 1))
            # Frozen operations carry no precedence: each stays where it is. One that would overlap
            # others beyond the centre's machines (two plans approved from drafts built at the same
            # time) is left to the engine to fit back in.
            operations.append(
                Operation(id=op_id, modes=(mode,), after=(), frozen=None if row.pk in loose else frozen)
            )
        jobs.append(Job(id=f"F{key}", operations=tuple(operations), release=0, due=None, weight=1))
    return jobs, set(version_ids.values())


def _over_capacity(factory: Factory, rows: list[PlannedOperation]) -> set[int]:
    """The rows that would run beside more others than their centre has machines, latest first."""
    machines = {wc.id: wc.machines for wc in factory.work_centres}
    by_centre: dict[str, list[PlannedOperation]] = defaultdict(list)
    for row in rows:
        by_centre[row.work_centre.code].append(row)
    loose: set[int] = set()
    for code, items in by_centre.items():
        running: list[PlannedOperation] = []
        for row in sorted(items, key=lambda r: (r.start, r.pk)):
            running = [r for r in running if r.end > row.start]
            if len(running) >= machines.get(code, 1) and row.end > row.start:
                loose.add(row.pk)
            elif row.end > row.start:
                running.append(row)
    return loose
