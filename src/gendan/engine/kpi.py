"""Merchandiser KPIs (R-7.1): the arithmetic on plain records, no Django.

The caller gives one merchandiser's records (each with its id, so every figure lists the records
behind it) and a period of days [start, end], both included (`scorecard.Period`: a month, a quarter,
a year). R-7 names the areas (follow-up timeliness, issue resolution, customer satisfaction) but no
formulas or targets; these are ours, with defaults in `KpiSettings`.

Follow-up timeliness. A *step* runs from a start to a done moment against a target in hours
(per kind: order receipt → review, review → release, release → a department's acknowledgement,
a plan submitted → the merchandiser's approval or rejection; a rejection with a reason is a
decision on time too, so the merchandiser is not pushed to approve to meet a clock):
- hours = (done − start) / 1 h; the step is on time when hours ≤ target hours;
- `<kind>_on_time` = steps on time / steps counted × 100 (%);
- `review_median`, `release_median` = median hours of the counted steps that are done (a step still
  open has no duration yet; it counts as missed in the share and is listed, but not in the median).
- A step is counted once its outcome is known at `as_of`: done by then, or past its target (then it
  is missed even if still open). A step neither done nor late yet is left out: it may still be on
  time. Moments after `as_of` are treated as not yet happened, so a past period recomputed later
  gives the same figures.
Issue resolution:
- `issue_close_median` = median days (hours / 24) from opened to closed of the issues closed in the
  period;
- `issues_closed_overdue` = those closed on a day after their due date / issues closed × 100 (%);
  an issue without a due date cannot be overdue;
- `issues_open_overdue` = issues open at the end of the cut-off day (the period's end, or `as_of`'s
  day when earlier) whose due date is before that day (on its due date an issue is still in time);
  no value when no issue was open then (nothing to judge; its records are the open issues).
On-time delivery, by order line (not by quantity): what the customer feels is whether the line he
ordered arrived complete when promised, so a partial delivery is not on time until the rest
arrives:
- a line is delivered in full on the day its delivered quantity reaches its ordered quantity; it is
  on time when that day ≤ its promised date;
- `delivery_on_time` = lines on time / lines counted × 100 (%); a line is counted in the period of its
  promised date, once its outcome is known (delivered in full, or its promised date passed).
Complaints and satisfaction:
- `complaints` = complaints received in the period (count; no target by default);
- `complaints_per_100` = complaints / shipments delivered in the period × 100 (a shipment is any
  shipment id among the lines' deliveries; it counts once however many lines it carries);
- `satisfaction` = mean of the ratings given in the period, on the scale of the settings.

Which period a record belongs to is decided by one day, so each record is counted in exactly one
period (and once in a trend): the step's start day, the issue's closing day, the line's promised
date, the complaint's received day, the rating's day. Datetimes are compared as given: the caller
passes them in local time (or all aware) so that a day is the factory's day.

The score: each figure with a value, a target and a weight above zero becomes points 0–100:
- higher is better: 100 × (value − worst) / (target − worst), clipped to 0–100 (worst is 0 for a
  share, the scale's lowest for a rating);
- lower is better: 100 while value ≤ target, else 100 × (target + 1) / (value + 1) (the +1 keeps a
  target of 0 meaningful: one open overdue issue against none allowed is 50 points, three are 25).
score = Σ wᵢ·pointsᵢ / Σ wᵢ over those figures (weights need not sum to 1 or 100); a figure without
data leaves the score, its weight goes to the others, and the report names it in `left_out`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from .scorecard import Period

Ref = int | str  # a record's id as the caller knows it ("po-12" when kinds share a number space)

ZERO = Decimal(0)
HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")

HIGHER, LOWER = "higher", "lower"

# Step kinds and the figure codes, in the order a report shows them.
STEPS = ("review", "release", "ack", "plan")
FIGURES: dict[str, tuple[str, str]] = {  # code: (unit, which way is better)
    "review_on_time": ("%", HIGHER),
    "review_median": ("h", LOWER),
    "release_on_time": ("%", HIGHER),
    "release_median": ("h", LOWER),
    "ack_on_time": ("%", HIGHER),
    "plan_on_time": ("%", HIGHER),
    "issue_close_median": ("d", LOWER),
    "issues_closed_overdue": ("%", LOWER),
    "issues_open_overdue": ("count", LOWER),
    "delivery_on_time": ("%", HIGHER),
    "complaints": ("count", LOWER),
    "complaints_per_100": ("per 100 shipments", LOWER),
    "satisfaction": ("rating", HIGHER),
}

# Reasons a figure has no value (codes: the app words them in the user's language).
NO_RECORDS = "no_records"  # nothing of its kind in the period
NO_SHIPMENTS = "no_shipments"  # complaints per 100 shipments without a shipment
NOT_STARTED = "not_started"  # the period begins after `as_of`
# Reasons a figure is left out of the score.
NO_VALUE = "no_value"
NO_TARGET = "no_target"
NO_WEIGHT = "no_weight"


class KpiError(ValueError):
    """Records or settings the figures cannot be computed from (the message says why)."""


# ---------------------------------------------------------------- the records, as plain rows


@dataclass(frozen=True)
class Step:
    """One follow-up step: `kind` is one of STEPS. Order receipt → review: start = received,
    done = reviewed; review → release: start = reviewed, done = released; acknowledgement: start =
    the release sent to a department, done = acknowledged; plan: start = submitted, done = decided.
    Ids are unique per kind (an order's review and its release may both carry the order's id)."""

    id: Ref
    kind: str
    start: dt.datetime
    done: dt.datetime | None = None


@dataclass(frozen=True)
class Issue:
    id: Ref
    opened: dt.datetime
    due: dt.date | None = None
    closed: dt.datetime | None = None


@dataclass(frozen=True)
class Shipped:
    """Part of an order line delivered (proof of delivery) by one shipment."""

    shipment: Ref
    delivered_on: dt.date
    quantity: Decimal


@dataclass(frozen=True)
class DueLine:
    """An order line with its promised date and what has been delivered against it."""

    id: Ref
    promised: dt.date
    quantity: Decimal
    deliveries: tuple[Shipped, ...] = ()


@dataclass(frozen=True)
class Complaint:
    id: Ref
    received_on: dt.date


@dataclass(frozen=True)
class Rating:
    """A customer's satisfaction rating of an order or of a complaint's handling."""

    id: Ref
    rated_on: dt.date
    score: Decimal


@dataclass(frozen=True)
class Records:
    """One merchandiser's records (any span of time: each figure picks its period's)."""

    steps: Sequence[Step] = ()
    issues: Sequence[Issue] = ()
    lines: Sequence[DueLine] = ()
    complaints: Sequence[Complaint] = ()
    ratings: Sequence[Rating] = ()


# ---------------------------------------------------------------- settings


def _d(value: float | int | str | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


DEFAULT_STEP_HOURS = {"review": 24, "release": 24, "ack": 24, "plan": 48}
DEFAULT_TARGETS: dict[str, float | int | None] = {
    "review_on_time": 90,
    "review_median": 24,
    "release_on_time": 90,
    "release_median": 24,
    "ack_on_time": 90,
    "plan_on_time": 90,
    "issue_close_median": 3,
    "issues_closed_overdue": 10,
    "issues_open_overdue": 0,
    "delivery_on_time": 95,
    "complaints": None,  # a count grows with the work done: the rate per 100 is what is judged
    "complaints_per_100": 2,
    "satisfaction": 4,
}
DEFAULT_WEIGHTS = {
    # follow-up timeliness 35, issue resolution 25, delivery 20, complaints and satisfaction 20
    "review_on_time": 10,
    "release_on_time": 10,
    "ack_on_time": 5,
    "plan_on_time": 10,
    "issue_close_median": 10,
    "issues_closed_overdue": 10,
    "issues_open_overdue": 5,
    "delivery_on_time": 20,
    "complaints_per_100": 10,
    "satisfaction": 10,
}


@dataclass(frozen=True)
class KpiSettings:
    """Targets per step (hours), per figure (in its unit; None: no target, the figure is shown but
    not judged) and weights per figure (missing: 0). The rating scale is the caller's (1–5 stars
    by default)."""

    step_hours: Mapping[str, float | int | Decimal] = field(default_factory=lambda: dict(DEFAULT_STEP_HOURS))
    targets: Mapping[str, float | int | Decimal | None] = field(default_factory=lambda: dict(DEFAULT_TARGETS))
    weights: Mapping[str, float | int | Decimal] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    rating_scale: tuple[float | int | Decimal, float | int | Decimal] = (1, 5)

    def __post_init__(self) -> None:
        if set(self.step_hours) != set(STEPS) or any(_d(h) <= 0 for h in self.step_hours.values()):
            raise KpiError(f"step hours are numbers above zero for {', '.join(STEPS)}")
        unknown = (set(self.targets) | set(self.weights)) - set(FIGURES)
        if unknown:
            raise KpiError(f"unknown figures: {', '.join(sorted(unknown))}")
        if any(_d(w) < 0 for w in self.weights.values()):
            raise KpiError("weights are numbers of zero or more")
        if any(t is not None and _d(t) < 0 for t in self.targets.values()):
            raise KpiError("targets are numbers of zero or more")
        low, high = (_d(x) for x in self.rating_scale)
        if low >= high:
            raise KpiError("the rating scale's lowest must be below its highest")

    def target(self, code: str) -> Decimal | None:
        value = self.targets.get(code)
        return None if value is None else _d(value)

    def weight(self, code: str) -> Decimal:
        return _d(self.weights.get(code, 0))


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figure:
    """One figure: its value (None with `reason` when there is no data), target and whether met,
    the ids of the records counted in and of those counting against it, and its points 0–100."""

    code: str
    value: Decimal | None
    unit: str
    better: str  # HIGHER or LOWER
    target: Decimal | None
    met: bool | None
    counted: tuple[Ref, ...]
    missed: tuple[Ref, ...]
    reason: str | None = None
    points: Decimal | None = None


@dataclass(frozen=True)
class Report:
    """The figures of one period, the weighted score, and what the score left out and why."""

    period: Period
    figures: dict[str, Figure]
    score: Decimal | None
    weights_used: dict[str, Decimal]  # normalised: the figures in the score, summing to 1
    left_out: dict[str, str]  # figure code → NO_VALUE / NO_TARGET / NO_WEIGHT


def _q(value: Decimal) -> Decimal:
    return value.quantize(ONE_PLACE, ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal:
    return _q(Decimal(part) * HUNDRED / Decimal(whole))


def _median(values: list[Decimal]) -> Decimal:
    return _q(Decimal(statistics.median(values)))


def _hours(delta: dt.timedelta) -> Decimal:
    # Exact: microseconds as an integer, so the comparison with the target has no float error.
    return Decimal(delta // dt.timedelta(microseconds=1)) / Decimal(3_600_000_000)


def points(value: Decimal, target: Decimal, better: str, worst: Decimal = ZERO) -> Decimal:
    """A figure's points 0–100 against its target (see the module's note)."""
    if better == HIGHER:
        if value >= target:
            return HUNDRED
        if target <= worst:
            return ZERO
        return _q(max(ZERO, HUNDRED * (value - worst) / (target - worst)))
    if value <= target:
        return HUNDRED
    return _q(HUNDRED * (target + 1) / (value + 1))


def _figure(
    code: str,
    settings: KpiSettings,
    value: Decimal | None,
    counted: Iterable[Ref],
    missed: Iterable[Ref] = (),
    reason: str | None = None,
) -> Figure:
    unit, better = FIGURES[code]
    target = settings.target(code)
    met = None
    if value is not None and target is not None:
        met = value >= target if better == HIGHER else value <= target
    return Figure(
        code,
        value,
        unit,
        better,
        target,
        met,
        tuple(counted),
        tuple(missed),
        None if value is not None else reason,
    )


T = TypeVar("T", Step, Issue, DueLine, Complaint, Rating)


def _unique(records: Iterable[T], what: str) -> list[T]:
    """Each id once: the same record given twice counts once; two different records under one id
    are the caller's mistake and would make the drill-down ambiguous."""
    seen: dict[object, T] = {}
    for r in records:
        key = (r.kind, r.id) if isinstance(r, Step) else r.id
        if key in seen and seen[key] != r:
            raise KpiError(f"two different {what} share the id {r.id!r}")
        seen.setdefault(key, r)
    return list(seen.values())


def _micro(delta: dt.timedelta) -> int:
    return delta // _MICROSECOND


_MICROSECOND = dt.timedelta(microseconds=1)
_HOUR_US = Decimal(3_600_000_000)


def _median_hours(micros: list[int]) -> Decimal:
    """The median of durations given in whole microseconds, in hours: exact like `_hours` (the
    durations stay integers until the one or two middle ones are turned into a Decimal)."""
    ordered = sorted(micros)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return _q(Decimal(ordered[middle]) / _HOUR_US)
    return _q(Decimal(ordered[middle - 1] + ordered[middle]) / 2 / _HOUR_US)


def _step_figures(
    steps: list[Step], period: Period, as_of: dt.datetime, settings: KpiSettings
) -> list[Figure]:
    # A year of steps for twenty merchandisers is tens of thousands: the steps are grouped by kind
    # once, and durations compared as integer microseconds against the limit (exact, like hours).
    by_kind: dict[str, list[Step]] = {kind: [] for kind in STEPS}
    first, last = period.start, period.end
    for s in steps:
        day = s.start.date()
        if first <= day <= last and s.start <= as_of:
            by_kind[s.kind].append(s)
    figures = []
    for kind in STEPS:
        limit = _d(settings.step_hours[kind]) * _HOUR_US  # in microseconds
        counted: list[Ref] = []
        missed: list[Ref] = []
        timed: list[Ref] = []  # done by as_of: these have a duration, the median's records
        durations: list[int] = []
        for s in sorted(by_kind[kind], key=lambda s: (s.start, str(s.id))):
            if s.done is not None and s.done <= as_of:
                micros = _micro(s.done - s.start)
                durations.append(micros)
                timed.append(s.id)
                counted.append(s.id)
                if micros > limit:
                    missed.append(s.id)
            elif _micro(as_of - s.start) > limit:  # still open and already late: missed
                counted.append(s.id)
                missed.append(s.id)
        share = _share(len(counted) - len(missed), len(counted)) if counted else None
        figures.append(_figure(f"{kind}_on_time", settings, share, counted, missed, NO_RECORDS))
        if f"{kind}_median" in FIGURES:
            median = _median_hours(durations) if durations else None
            done_ids = set(timed)  # once, not per record: a year of steps made this quadratic
            over = [r for r in missed if r in done_ids]
            figures.append(_figure(f"{kind}_median", settings, median, timed, over, NO_RECORDS))
    return figures


def _issue_figures(
    issues: list[Issue], period: Period, as_of: dt.datetime, settings: KpiSettings
) -> list[Figure]:
    closed = sorted(
        (
            i
            for i in issues
            if i.closed is not None and i.closed <= as_of and period.contains(i.closed.date())
        ),
        key=lambda i: (i.closed, str(i.id)),
    )
    days = [_hours(i.closed - i.opened) / 24 for i in closed if i.closed is not None]
    late = [i.id for i in closed if i.closed is not None and i.due is not None and i.closed.date() > i.due]
    ids = [i.id for i in closed]
    figures = [
        _figure("issue_close_median", settings, _median(days) if days else None, ids, (), NO_RECORDS),
        _figure(
            "issues_closed_overdue",
            settings,
            _share(len(late), len(ids)) if ids else None,
            ids,
            late,
            NO_RECORDS,
        ),
    ]
    cutoff = min(period.end, as_of.date())
    if cutoff < period.start:
        figures.append(_figure("issues_open_overdue", settings, None, (), (), NOT_STARTED))
        return figures
    # Open at the end of the cut-off day: opened by then, not closed by then (a close after as_of
    # has not happened yet).
    still_open = [
        i
        for i in issues
        if i.opened.date() <= cutoff
        and i.opened <= as_of
        and (i.closed is None or i.closed > as_of or i.closed.date() > cutoff)
    ]
    ordered = sorted(still_open, key=lambda i: (i.opened, str(i.id)))
    overdue = [i.id for i in ordered if i.due is not None and i.due < cutoff]
    # No issue open: nothing to judge (a 0 here would give someone without issues a full score);
    # open issues none of them overdue: 0, the best there is.
    value = Decimal(len(overdue)) if ordered else None
    figures.append(
        _figure("issues_open_overdue", settings, value, [i.id for i in ordered], overdue, NO_RECORDS)
    )
    return figures


def _delivered_in_full(line: DueLine, today: dt.date) -> dt.date | None:
    """The day the line's deliveries (up to today) reach its quantity, or None."""
    total = ZERO
    for d in sorted(line.deliveries, key=lambda d: d.delivered_on):
        if d.delivered_on > today:
            break
        total += d.quantity
        if total >= line.quantity:
            return d.delivered_on
    return None


def _delivery_figures(
    lines: list[DueLine],
    complaints: list[Complaint],
    period: Period,
    as_of: dt.datetime,
    settings: KpiSettings,
) -> list[Figure]:
    today = as_of.date()
    counted: list[Ref] = []
    late: list[Ref] = []
    for line in sorted(lines, key=lambda x: (x.promised, str(x.id))):
        if not period.contains(line.promised):
            continue
        full = _delivered_in_full(line, today)
        if full is not None and full <= line.promised:
            counted.append(line.id)
        elif full is not None or line.promised < today:  # late: known once the promised day is over
            counted.append(line.id)
            late.append(line.id)
    on_time = _share(len(counted) - len(late), len(counted)) if counted else None
    shipments: dict[Ref, None] = {}  # ordered and each shipment once, whatever lines it carried
    # Sorted over all lines, so the list does not depend on the order the caller gave the lines in.
    delivered = (d for line in lines for d in line.deliveries)
    for d in sorted(delivered, key=lambda d: (d.delivered_on, str(d.shipment))):
        if period.contains(d.delivered_on) and d.delivered_on <= today:
            shipments.setdefault(d.shipment, None)
    received = [
        c.id
        for c in sorted(complaints, key=lambda c: (c.received_on, str(c.id)))
        if period.contains(c.received_on) and c.received_on <= today
    ]
    started = period.start <= today
    rate = _q(Decimal(len(received)) * HUNDRED / len(shipments)) if shipments else None
    return [
        _figure("delivery_on_time", settings, on_time, counted, late, NO_RECORDS),
        _figure(
            "complaints",
            settings,
            Decimal(len(received)) if started else None,
            received,
            received,
            NOT_STARTED,
        ),
        _figure("complaints_per_100", settings, rate, list(shipments), received, NO_SHIPMENTS),
    ]


def _satisfaction(ratings: list[Rating], period: Period, as_of: dt.datetime, settings: KpiSettings) -> Figure:
    low, high = (_d(x) for x in settings.rating_scale)
    given = sorted(
        (r for r in ratings if period.contains(r.rated_on) and r.rated_on <= as_of.date()),
        key=lambda r: (r.rated_on, str(r.id)),
    )
    for r in given:
        if not low <= r.score <= high:
            raise KpiError(f"rating {r.id!r} is {r.score}, outside the scale {low}–{high}")
    mean = _q(sum((r.score for r in given), ZERO) / len(given)) if given else None
    target = settings.target("satisfaction")
    below = [r.id for r in given if target is not None and r.score < target]
    return _figure("satisfaction", settings, mean, [r.id for r in given], below, NO_RECORDS)


# ---------------------------------------------------------------- the report


def _scored(period: Period, figures: list[Figure], settings: KpiSettings) -> Report:
    low = _d(settings.rating_scale[0])
    done: dict[str, Figure] = {}
    weights: dict[str, Decimal] = {}
    left_out: dict[str, str] = {}
    for f in figures:
        pts = None
        if f.value is not None and f.target is not None:
            pts = points(f.value, f.target, f.better, low if f.code == "satisfaction" else ZERO)
        done[f.code] = replace(f, points=pts)
        weight = settings.weight(f.code)
        if weight <= 0:
            left_out[f.code] = NO_WEIGHT
        elif f.target is None:
            left_out[f.code] = NO_TARGET
        elif pts is None:
            left_out[f.code] = NO_VALUE
        else:
            weights[f.code] = weight
    total = sum(weights.values(), ZERO)
    if not total:
        return Report(period, done, None, {}, left_out)
    score = _q(sum((w * (done[c].points or ZERO) for c, w in weights.items()), ZERO) / total)
    used = {c: w / total for c, w in weights.items()}
    return Report(period, done, score, used, left_out)


def report(
    records: Records, period: Period, *, as_of: dt.datetime, settings: KpiSettings | None = None
) -> Report:
    """One merchandiser's figures and score for a period, as known at `as_of` (now, usually)."""
    settings = settings or KpiSettings()
    steps = _unique(records.steps, "steps")
    if any(s.kind not in STEPS for s in steps):
        raise KpiError(f"a step's kind is one of {', '.join(STEPS)}")
    lines = _unique(records.lines, "order lines")
    if any(line.quantity <= 0 for line in lines):
        raise KpiError("an order line's quantity is above zero")
    figures = [
        *_step_figures(steps, period, as_of, settings),
        *_issue_figures(_unique(records.issues, "issues"), period, as_of, settings),
        *_delivery_figures(lines, _unique(records.complaints, "complaints"), period, as_of, settings),
        _satisfaction(_unique(records.ratings, "ratings"), period, as_of, settings),
    ]
    return _scored(period, figures, settings)


def months_between(start: dt.date, end: dt.date) -> list[Period]:
    """The calendar months from start's month to end's month, first to last."""
    if end < start:
        raise KpiError("a range ends on or after its start")
    return Period("range", start, end, "").months()


def trend(
    records: Records,
    start: dt.date,
    end: dt.date,
    *,
    as_of: dt.datetime,
    settings: KpiSettings | None = None,
) -> list[Report]:
    """The same figures per calendar month over a range (whole months: the first and last month
    are not cut at start and end, so each point is comparable with the others)."""
    settings = settings or KpiSettings()
    return [report(records, m, as_of=as_of, settings=settings) for m in months_between(start, end)]
