"""Finite-capacity scheduling engine (R-2.2) and capable-to-promise (R-2.3).

Pure Python, no Django: plain frozen dataclasses in and out; OR-Tools CP-SAT is imported lazily, only
when a schedule is actually optimised, so importing this package stays cheap.

Usage (times are integer minutes from an origin chosen by the caller, e.g. midnight of today)::

    from gendan.engine.scheduler import (
        Calendar, WorkCentre, Mode, Operation, Job, Problem, Options, schedule, capable_to_promise,
    )

    cal = Calendar.from_shifts(origin_date, 90, [("06:00", "14:00"), ("14:00", "22:00")],
                               breaks=[("10:00", "10:30")], holidays=[...], overtime={date: [...]})
    problem = Problem(
        jobs=(Job(id="SO-1/10", operations=(Operation("10", (Mode("LATHE", run=120, setup=30),)), ...),
                  release=0, due=7 * 1440, weight=2, predecessors=("SO-1/10-SUB",)), ...),
        work_centres=(WorkCentre("LATHE", machines=2, calendar=cal, headcount=2), ...),
        calendar=cal, now=minutes_now)
    sched = schedule(problem, Options(time_limit=10))      # Schedule: operations, jobs, status, bound
    same = schedule(problem, Options(work_limit=10))       # the same schedule on any machine (tests)
    answer = capable_to_promise(problem, sched, new_jobs, requested=14 * 1440)   # PromiseAnswer

Bad or infeasible data raises :class:`SchedulingError` (with ``job``, ``operation``, ``work_centre``).
"""

from .calendar import Calendar
from .ctp import capable_to_promise
from .engine import schedule
from .model import (
    Bottleneck,
    Frozen,
    Impact,
    Job,
    JobResult,
    Mode,
    Operation,
    Options,
    Problem,
    PromiseAnswer,
    Schedule,
    ScheduledOperation,
    SchedulingError,
    WorkCentre,
)

__all__ = [
    "Bottleneck",
    "Calendar",
    "Frozen",
    "Impact",
    "Job",
    "JobResult",
    "Mode",
    "Operation",
    "Options",
    "Problem",
    "PromiseAnswer",
    "Schedule",
    "ScheduledOperation",
    "SchedulingError",
    "WorkCentre",
    "capable_to_promise",
    "schedule",
]
