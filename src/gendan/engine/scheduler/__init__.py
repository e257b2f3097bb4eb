"""Finite-capacity scheduling engine (pure Python, CP-SAT imported lazily).

Entry points: :func:`schedule` and :func:`capable_to_promise`; data in :mod:`.model`.
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
    from_minutes,
    to_minutes,
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
    "from_minutes",
    "schedule",
    "to_minutes",
]
