"""Capacity and materials in the order review (R-1.3, R-2.3): translate master data and the open
orders into the scheduling engine's plain data, and ask its capable-to-promise question
"can we finish N of X by D?" for each line of the order under review.

The translation itself is `engine_adapter` (the one shared with planning). The schedule in force is
the approved plans (frozen where planning placed them) and the released orders not yet planned,
dispatched (fast, no solver): the review must answer in a couple of seconds."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal

from gendan.core.i18n import bilingual, str_in_both
from gendan.engine.scheduler import (
    Calendar,
    Options,
    Problem,
    SchedulingError,
    capable_to_promise,
    schedule,
)

from .engine_adapter import (
    DEFAULT_SHIFT,
    HORIZON_DAYS,
    line_jobs,
    load_factory,
    material_release,
    open_load,
)
from .models import Order, OrderLine

# The schedule in force is the same for every order reviewed until a released order, a routing or a
# calendar changes; the worker keeps the last few, keyed by the whole problem (frozen dataclasses).
_IN_FORCE: dict[int, tuple[float, object]] = {}
_IN_FORCE_TTL = 600.0


def schedule_in_force(problem: Problem, seconds: float):
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
    # (line, product, quantity, date) of the lines the engine can answer for.
    usable = [
        (line, line.product_id, line.quantity, line.delivery_date)
        for line in lines
        if line.product_id is not None
        and line.quantity is not None
        and line.quantity > 0
        and line.delivery_date is not None
        and line.delivery_date >= factory.origin.date()
        and factory.routings.get(line.product_id)
    ]
    if not usable:
        return []
    existing = open_load(factory, exclude_orders=[order.pk])
    problem = Problem(
        jobs=tuple(existing),
        work_centres=factory.work_centres,
        calendar=Calendar.from_shifts(factory.origin, HORIZON_DAYS, DEFAULT_SHIFT),
    )
    in_force = schedule_in_force(problem, seconds)
    answers = []
    for line, product_id, quantity, delivery_date in usable:
        release, short = material_release(factory, product_id, quantity)
        due = factory.day_end(delivery_date) or 0  # a date is there: the lines are filtered above
        new_jobs = line_jobs(
            factory,
            line,
            key=f"N{line.pk}",
            release=release,
            priority=order.priority,
            due_date=delivery_date,
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
        date, quantity = a.line.delivery_date, a.line.quantity or Decimal(0)
        if not a.possible and date is not None and a.earliest > date:
            found.append(
                CapacityProblem(
                    "capacity",
                    "capacity",
                    {
                        "line": a.line.line_no,
                        "qty": format(quantity.normalize(), "f"),
                        "earliest": a.earliest.isoformat(),
                        "date": date.isoformat(),
                        "limit_kind": a.limit,
                        "limit_item": a.limit_item or "",
                    },
                    a.line,
                )
            )
    return found
