"""Delivery risk of open orders (issue 18 item 7, R-5.1 with R-2.2, R-2.5, R-2.6, R-4.3): will
each order reach its customer by its delivery dates? Plain data in and out, no Django.

Dates are calendar days (a Sunday counts as a day): the figures are for sorting and warning, and
a day of slack either way does not change what the merchandiser does; the scheduler, which needs
the working calendar, has already placed the planned finishes on working days.

Per line of the order (a line is done when delivered in full, and produced when the good units
at its last operation reach its quantity):

- A line delivered in full carries no risk. A line produced in full carries none from its
  schedule or its materials; it is only late when its delivery date has passed (`overdue`).
- Expected finish = the latest of
    * the schedule in force's finish of the line (`planned_finish`);
    * today, when the planned finish has passed and the line is not produced (`behind_schedule`):
      what is not done cannot finish in the past;
    * for each short material whose covering supply arrives after its need date (`material_late`),
      that arrival + the lead: the days of work that follow the material. The lead is the line's
      own `lead_days` when the caller knows the remaining processing days; else, for a planned
      line, planned finish − need date (the plan's work after the need date slides one-to-one
      with the material, no float assumed); else `Rules.default_lead_days`.
  A shortage nothing covers (`material_uncovered`) or covered by a supply without a date
  (`material_undated`) has no arrival to count from: it makes the order at risk instead.
- Slack of the line = delivery date − expected finish (negative: late by that many days); a line
  without a plan and without a dated late material has no expected finish and no slack.
  An overdue line's slack is delivery date − today.

The order's slack is its smallest line slack (None when no line has one). Its level is the
gravest any rule gives (`LEVELS`, mildest first):

- late: a line's delivery date has passed undelivered, or its expected finish is after its
  delivery date (`schedule_after_due` when the schedule itself ends late, `finish_after_due`
  when late material pushes it past);
- at_risk: slack ≤ `at_risk_slack_days`; a material uncovered or undated; an issue of severity
  high or critical overdue; a line not planned whose delivery date is within
  `unplanned_at_risk_days`;
- watch: slack ≤ `watch_slack_days`; material late but absorbed by the slack; behind schedule;
  a line not planned; an issue of low or medium severity overdue; an open high or critical issue;
- on_track otherwise.

Score 0–100, for sorting: each level owns a band (on_track 0–24, watch 25–49, at_risk 50–74,
late 75–100), so the score alone sorts as the level does (a page may store and ORDER BY it);
within the band, base + min(band width − 1, pressure), where pressure = slack points
(clamp(10 − slack, 0, 20): nothing for ten days or more of slack, 10 at zero, 20 at ten days late)
+ the weight of every reason (`WEIGHTS`; an issue's by its severity). So among orders of one
level, the one with more, graver troubles and less slack comes first.

Reasons are (code, params) pairs the web layer words in each language; they come in a fixed order:
by code as listed in `REASON_CODES` (gravest first), then by line, material and issue number.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

ON_TRACK, WATCH, AT_RISK, LATE = "on_track", "watch", "at_risk", "late"
LEVELS = (ON_TRACK, WATCH, AT_RISK, LATE)  # mildest first; the index is the level's gravity
BAND = 25  # score points per level

# Every reason code, gravest first: the order reasons are listed in.
REASON_CODES = (
    "overdue",  # {"line", "days"}: delivery date passed `days` ago, not delivered in full
    "schedule_after_due",  # {"line", "days"}: the schedule in force finishes `days` after delivery
    "finish_after_due",  # {"line", "days"}: late material pushes the finish `days` past delivery
    "material_uncovered",  # {"line", "material"}: short, and no supply covers it
    "material_undated",  # {"line", "material"}: short, covered by a supply without a date
    "material_late",  # {"line", "material", "days"}: the covering supply comes `days` after need
    "issue_overdue",  # {"number", "severity", "days"}: an open issue `days` past its due date
    "behind_schedule",  # {"line", "days"}: planned finish passed `days` ago, line not produced
    "not_planned",  # {"line"}: no schedule in force for the line
    "slack_low",  # {"days"}: the order's slack, 0 ≤ days ≤ watch_slack_days
    "issue_open",  # {"number", "severity"}: an open high or critical issue, not overdue
)
_CODE_RANK = {code: i for i, code in enumerate(REASON_CODES)}

# Score pressure per reason (see the module docstring); issues weigh by severity below.
WEIGHTS = {
    "overdue": 5,
    "schedule_after_due": 4,
    "finish_after_due": 4,
    "material_uncovered": 6,
    "material_undated": 4,
    "material_late": 3,
    "behind_schedule": 3,
    "not_planned": 4,
    "slack_low": 0,  # already in the slack points
}
# The severities of gendan.issues (which the engine may not import), least first.
SEVERITY_RANK = {"low": 1, "medium": 2, "high": 3, "critical": 4}
GRAVE = 3  # high and above


class DeliveryRiskError(ValueError):
    """Data a risk cannot be computed from (the message says why)."""


@dataclass(frozen=True)
class Rules:
    watch_slack_days: int = 7  # a week's slack or less: keep an eye on it
    at_risk_slack_days: int = 2  # two days absorb no mishap (a breakdown, a failed lot)
    unplanned_at_risk_days: int = 14  # without a plan this close to delivery, planning is late
    default_lead_days: int = 0  # days of work after late material when nothing better is known


RULES = Rules()


@dataclass(frozen=True)
class Shortage:
    """A material the kit check finds short for the line."""

    material: str
    need_date: dt.date
    covered_on: dt.date | None = None  # the covering supply's confirmed (or expected) date
    on_order: bool = False  # with covered_on None: a supply covers it, but has no date yet


@dataclass(frozen=True)
class Line:
    number: int
    quantity: Decimal | int
    delivery_date: dt.date
    produced: Decimal | int = 0  # good units at the last operation
    delivered: Decimal | int = 0
    planned_finish: dt.date | None = None  # the schedule in force's finish; None: not planned
    shortages: tuple[Shortage, ...] = ()
    lead_days: int | None = None  # days of work still to do after the material arrives


@dataclass(frozen=True)
class OrderIssue:
    number: str | int
    severity: str  # low, medium, high, critical
    due_date: dt.date | None = None
    overdue: bool = False  # as the issues app sees it; a due date before today is overdue too


@dataclass(frozen=True)
class Order:
    number: str
    lines: tuple[Line, ...] = ()
    issues: tuple[OrderIssue, ...] = ()
    ref: object = None  # the caller's row, handed back on its Risk


class Reason(NamedTuple):
    """A tuple, so it equals ("code", {...}) and unpacks as one."""

    code: str
    params: dict[str, Any]


@dataclass(frozen=True)
class LineRisk:
    number: int
    expected_finish: dt.date | None  # None: done, produced, or nothing to count from
    slack_days: int | None


@dataclass(frozen=True)
class Risk:
    order: str
    level: str
    score: int
    slack_days: int | None  # delivery − expected finish of the tightest line; negative: late
    expected_finish: dt.date | None  # the latest expected finish of the lines
    reasons: tuple[Reason, ...]
    lines: tuple[LineRisk, ...]
    ref: object = None


def assess(order: Order, *, today: dt.date, rules: Rules = RULES) -> Risk:
    """The risk of one open order on `today`."""
    reasons: list[Reason] = []
    gravity = 0  # index into LEVELS

    def flag(level: str, code: str, **params: Any) -> None:
        nonlocal gravity
        gravity = max(gravity, LEVELS.index(level))
        reasons.append(Reason(code, params))

    line_risks = [_line(line, today, rules, flag) for line in order.lines]
    slacks = [lr.slack_days for lr in line_risks if lr.slack_days is not None]
    slack = min(slacks) if slacks else None
    if slack is not None and 0 <= slack <= rules.watch_slack_days:
        flag(AT_RISK if slack <= rules.at_risk_slack_days else WATCH, "slack_low", days=slack)

    for issue in order.issues:
        rank = SEVERITY_RANK.get(issue.severity)
        if rank is None:
            raise DeliveryRiskError(f"issue {issue.number}: unknown severity {issue.severity!r}")
        late_by = (today - issue.due_date).days if issue.due_date is not None else 0
        if issue.overdue or late_by > 0:
            level = AT_RISK if rank >= GRAVE else WATCH
            flag(level, "issue_overdue", number=issue.number, severity=issue.severity, days=max(late_by, 0))
        elif rank >= GRAVE:
            flag(WATCH, "issue_open", number=issue.number, severity=issue.severity)

    reasons.sort(key=_reason_key)
    finishes = [lr.expected_finish for lr in line_risks if lr.expected_finish is not None]
    return Risk(
        order=order.number,
        level=LEVELS[gravity],
        score=_score(gravity, slack, reasons),
        slack_days=slack,
        expected_finish=max(finishes) if finishes else None,
        reasons=tuple(reasons),
        lines=tuple(line_risks),
        ref=order.ref,
    )


def _line(line: Line, today: dt.date, rules: Rules, flag: Callable[..., None]) -> LineRisk:
    """The line's expected finish and slack; its reasons go to `flag(level, code, **params)`."""
    n = line.number
    if line.quantity <= 0:
        raise DeliveryRiskError(f"line {n}: quantity must be positive")
    if line.delivered >= line.quantity:
        return LineRisk(n, None, None)  # at the customer: nothing can go wrong any more
    days_past = (today - line.delivery_date).days
    if days_past > 0:
        flag(LATE, "overdue", line=n, days=days_past)
    if line.produced >= line.quantity:
        # Made; only the shipping is left, whose risk is the overdue date above.
        return LineRisk(n, None, -days_past if days_past > 0 else None)

    finish = line.planned_finish
    if finish is None:
        near = (line.delivery_date - today).days <= rules.unplanned_at_risk_days
        flag(AT_RISK if near else WATCH, "not_planned", line=n)
    else:
        if finish > line.delivery_date:
            flag(LATE, "schedule_after_due", line=n, days=(finish - line.delivery_date).days)
        if finish < today:
            flag(WATCH, "behind_schedule", line=n, days=(today - finish).days)
            finish = today
    scheduled = finish

    for short in line.shortages:
        if short.covered_on is None:
            code = "material_undated" if short.on_order else "material_uncovered"
            flag(AT_RISK, code, line=n, material=short.material)
            continue
        late_by = (short.covered_on - short.need_date).days
        if late_by <= 0:
            continue  # the supply arrives in time: the kit is whole by the need date
        flag(WATCH, "material_late", line=n, material=short.material, days=late_by)
        if line.lead_days is not None:
            lead = line.lead_days
        elif line.planned_finish is not None:
            lead = max((line.planned_finish - short.need_date).days, 0)
        else:
            lead = rules.default_lead_days
        ready = max(short.covered_on, today) + dt.timedelta(days=lead)
        finish = ready if finish is None else max(finish, ready)

    if finish is None:  # nothing to count from; an overdue line is still late by its days
        return LineRisk(n, None, -days_past if days_past > 0 else None)
    slack = (line.delivery_date - finish).days
    if slack < 0 and (scheduled is None or finish > scheduled):
        # The schedule alone made it in time (or there is none): the material makes it late.
        flag(LATE, "finish_after_due", line=n, days=-slack)
    if days_past > 0:
        slack = min(slack, -days_past)
    return LineRisk(n, finish, slack)


def _reason_key(reason: Reason) -> tuple:
    p = reason.params
    return (_CODE_RANK[reason.code], p.get("line", 0), p.get("material", ""), str(p.get("number", "")))


def _score(gravity: int, slack: int | None, reasons: Iterable[Reason]) -> int:
    pressure = 0 if slack is None else min(max(10 - slack, 0), 20)
    for code, params in reasons:
        if code == "issue_overdue":
            pressure += SEVERITY_RANK[params["severity"]] + 2
        elif code == "issue_open":
            pressure += SEVERITY_RANK[params["severity"]]
        else:
            pressure += WEIGHTS[code]
    cap = BAND if LEVELS[gravity] == LATE else BAND - 1  # late reaches 100
    return gravity * BAND + min(pressure, cap)


def sort_key(risk: Risk) -> tuple:
    """Gravest first: level, then score, then least slack (unknown slack after known), then
    order number, so equal risks keep one order from page to page."""
    slack = math.inf if risk.slack_days is None else risk.slack_days
    return (-LEVELS.index(risk.level), -risk.score, slack, risk.order)


def rank(orders: Iterable[Order], *, today: dt.date, rules: Rules = RULES) -> list[Risk]:
    """The risks of the orders, gravest first (see `sort_key`)."""
    return sorted((assess(o, today=today, rules=rules) for o in orders), key=sort_key)


def by_ref(risks: Iterable[Risk]) -> Mapping[object, Risk]:
    """The risks keyed by the callers' rows' refs (e.g. order ids), for a page that lists orders."""
    return {r.ref: r for r in risks}
