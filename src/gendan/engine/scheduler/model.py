"""Plain data in and out of the scheduling engine (frozen dataclasses, no Django).

All times are integer minutes from the problem's origin (minute 0), e.g. midnight of the first
planning day; the caller converts its datetimes to and from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .calendar import Calendar

Objective = Literal["tardiness", "makespan"]
Secondary = Literal["makespan", "wip", "none"]
BottleneckKind = Literal["work_centre", "material", "chain"]


class SchedulingError(ValueError):
    """Bad or infeasible scheduling data. ``job`` / ``operation`` / ``work_centre`` name the culprit."""

    def __init__(
        self,
        message: str,
        *,
        job: str | None = None,
        operation: str | None = None,
        work_centre: str | None = None,
    ) -> None:
        where = []
        if job is not None:
            where.append(f"job {job!r}")
        if operation is not None:
            where.append(f"operation {operation!r}")
        if work_centre is not None:
            where.append(f"work centre {work_centre!r}")
        full = f"{', '.join(where)}: {message}" if where else message
        super().__init__(full)
        self.message = message
        self.job = job
        self.operation = operation
        self.work_centre = work_centre


# ---------------------------------------------------------------------------------------- input


@dataclass(frozen=True)
class WorkCentre:
    """A work centre with ``machines`` identical parallel machines.

    ``calendar`` None means the problem's default calendar. ``headcount`` (None = unlimited) caps the
    people working at the same time on the centre (each operation needs ``Mode.people``).
    """

    id: str
    machines: int = 1
    calendar: Calendar | None = None
    headcount: int | None = None
    name: str = ""


@dataclass(frozen=True)
class Mode:
    """One way to do an operation: on ``work_centre`` with setup + run working minutes."""

    work_centre: str
    run: int
    setup: int = 0
    people: int = 1

    @property
    def duration(self) -> int:
        return self.setup + self.run


@dataclass(frozen=True)
class Frozen:
    """Where a started or planner-frozen operation stays. ``end`` None: computed from the calendar."""

    start: int
    work_centre: str
    machine: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Operation:
    """An operation of a job.

    ``after`` lists the ids of operations of the same job that must finish first; None means "the
    previous operation in the job's list" (a plain routing). ``splittable`` allows pausing over breaks,
    nights and holidays; otherwise the operation must fit in one working interval.
    """

    id: str
    modes: tuple[Mode, ...]
    after: tuple[str, ...] | None = None
    splittable: bool = True
    frozen: Frozen | None = None


@dataclass(frozen=True)
class Job:
    """An order line or a sub-assembly. ``predecessors``: jobs (sub-assemblies) that must be complete
    before any operation of this job starts. ``release``: when its materials are there."""

    id: str
    operations: tuple[Operation, ...]
    release: int = 0
    due: int | None = None
    weight: int = 1
    predecessors: tuple[str, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class Problem:
    jobs: tuple[Job, ...]
    work_centres: tuple[WorkCentre, ...]
    calendar: Calendar = field(default_factory=Calendar.continuous)
    now: int = 0  # nothing that is not frozen starts before this minute


@dataclass(frozen=True)
class Options:
    """``objective``: "tardiness" (weighted tardiness first, then ``secondary``) or "makespan".

    ``time_limit``: seconds on the clock; the engine returns within them (how good the schedule is
    then depends on the machine's speed and load).

    ``work_limit``: a budget of work instead, shared out as the time would be: every search counts its
    share in a measure of its own that does not depend on the machine's speed or load (per unit: a
    unit of CP-SAT's deterministic time, 20,000 tabu moves, ten memetic children, 100 lead-time
    rebuilds), on one worker, so the same problem and options give the same schedule on a fast or a
    loaded machine; it takes as long as that work takes (``time_limit`` is not looked at). For tests
    and reproducible runs. ``deterministic``: the same with ``time_limit`` units of work.
    """

    objective: Objective = "tardiness"
    secondary: Secondary = "makespan"
    time_limit: float = 10.0
    work_limit: float | None = None
    workers: int = 2
    seed: int = 0
    deterministic: bool = False
    use_solver: bool = True
    lns: bool = True
    dispatch_rules: tuple[str, ...] | None = None  # None: best of the rules suited to the objective


# ---------------------------------------------------------------------------------------- output


@dataclass(frozen=True)
class ScheduledOperation:
    job: str
    operation: str
    work_centre: str
    machine: int
    start: int
    end: int
    mode: int  # index into Operation.modes (-1 if frozen on a centre not in the modes)
    frozen: bool = False


@dataclass(frozen=True)
class Bottleneck:
    """Why a job is late. ``kind``: "work_centre" (it queued at ``work_centre`` for ``minutes``),
    "material" (release of ``job`` too late to make it even alone in the factory) or "chain" (its own
    chain of operations is longer than the time to the due date)."""

    kind: BottleneckKind
    minutes: int
    work_centre: str | None = None
    job: str | None = None
    operation: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class JobResult:
    job: str
    start: int
    completion: int
    due: int | None
    weight: int
    lateness: int | None  # completion - due
    tardiness: int  # max(0, lateness)
    bottleneck: Bottleneck | None = None


@dataclass(frozen=True)
class Schedule:
    operations: tuple[ScheduledOperation, ...]
    jobs: tuple[JobResult, ...]
    status: str  # OPTIMAL, FEASIBLE (solver improved / confirmed) or HEURISTIC (dispatching only)
    objective: str
    weighted_tardiness: int
    makespan: int
    wip: int  # sum over jobs of (completion - first start), minutes
    bound: int | None  # proven lower bound of the primary objective, when known exactly
    seconds: float
    method: str

    def job(self, job_id: str) -> JobResult:
        for j in self.jobs:
            if j.job == job_id:
                return j
        raise KeyError(job_id)

    def operations_of(self, job_id: str) -> tuple[ScheduledOperation, ...]:
        return tuple(o for o in self.operations if o.job == job_id)


@dataclass(frozen=True)
class Impact:
    """An existing order that would be late (or later) if the new order were squeezed in."""

    job: str
    due: int | None
    completion_before: int
    completion_after: int
    tardiness_before: int
    tardiness_after: int


@dataclass(frozen=True)
class PromiseAnswer:
    """Answer to "can we deliver this by ``requested``?".

    ``possible``: it can be finished by the requested date, possibly by delaying other orders
    (``impacts``); ``without_delaying_others``: it fits in the free capacity of the schedule in force.
    ``earliest`` is the earliest completion with the order at top priority; ``earliest_free`` the
    earliest completion using only free capacity. ``limits`` says what limits it.
    """

    possible: bool
    without_delaying_others: bool
    requested: int
    earliest: int
    earliest_free: int
    impacts: tuple[Impact, ...]
    limits: Bottleneck | None
    schedule: Schedule | None = None
    seconds: float = 0.0
