"""The database as the KPI engine's records (engine/kpi.py), per merchandiser (Order.merchandiser),
in one query per kind of record however many merchandisers and months are asked for.

Steps, each attributed to the merchandiser of its order:
- review: from the order's receipt to its review (`reviewed_at`). The receipt is when the order
  was entered, if entered on the day it was received; an order entered later started at the
  beginning of the day it was received (the days before it was entered count against him);
- release: from the review to the release (`released_at`);
- ack: from a release sent to a department (`Acknowledgement.requested_at`) to its
  acknowledgement: the merchandiser chases it;
- plan: from a plan version submitted for approval to its approval or rejection. A version the
  planner withdrew before anyone decided is left out (there was nothing left to decide).
An order cancelled or put on hold before a step was done leaves that step out: it is not a step
late, there is no step any more.
Issues: those of his orders (opened, due date, closed).
Order lines, complaints and ratings come from the sources registered in `sources.py`.

Every datetime is handed over in local time, so that a record's day is the factory's day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gendan.engine import kpi as engine
from gendan.issues.models import Issue
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Acknowledgement, Order
from gendan.planning.choices import VersionStatus
from gendan.planning.models import PlanVersion

from . import sources

STOPPED = (OrderStatus.CANCELLED, OrderStatus.ON_HOLD)


@dataclass(frozen=True)
class Ref:
    """What the drill-down shows of one record: a label, the page it links to (a URL name and id,
    reversed only when shown: a year of records has tens of thousands), and its moments."""

    label: str
    route: tuple[str, int] | None = None
    start: dt.datetime | dt.date | None = None
    done: dt.datetime | dt.date | None = None
    due: dt.date | None = None
    link: str = ""  # a source's own address, when it gave one

    @property
    def url(self) -> str:
        return reverse(self.route[0], args=[self.route[1]]) if self.route else self.link


@dataclass
class Collected:
    records: dict[int, engine.Records] = field(default_factory=dict)
    refs: dict[tuple[str, Any], Ref] = field(default_factory=dict)  # (kind, id) → Ref

    def of(self, user_id: int) -> engine.Records:
        return self.records.get(user_id, engine.Records())


def _local(value: dt.datetime | None, tz: dt.tzinfo) -> dt.datetime | None:
    # The zone is looked up once per collection: timezone.localtime() looks it up per value, and
    # over a year of records that lookup was a third of the overview's time.
    return value.astimezone(tz) if value is not None else None


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return first, after


def received_moment(
    received_on: dt.date, created_at: dt.datetime, tz: dt.tzinfo | None = None
) -> dt.datetime:
    """When the review clock starts: the entry, if on the day of receipt; else that day's start."""
    created = created_at.astimezone(tz or timezone.get_current_timezone())
    if created.date() == received_on:
        return created
    return dt.datetime.combine(received_on, dt.time.min, tzinfo=created.tzinfo)


def _order_steps(ids, first, after, start, end, steps, refs, tz) -> None:
    rows = (
        Order.objects.filter(merchandiser_id__in=ids)
        .filter(
            Q(received_on__range=(start, end))
            | Q(created_at__gte=first, created_at__lt=after)
            | Q(reviewed_at__gte=first, reviewed_at__lt=after)
        )
        .values_list(
            "pk",
            "number",
            "merchandiser_id",
            "received_on",
            "created_at",
            "reviewed_at",
            "released_at",
            "status",
        )
    )
    for pk, number, user_id, received_on, created_at, reviewed_at, released_at, status in rows:
        url = ("orders:order_detail", pk)
        received = received_moment(received_on, created_at, tz)
        reviewed, released = _local(reviewed_at, tz), _local(released_at, tz)
        if first <= received < after and not (reviewed is None and status in STOPPED):
            steps[user_id].append(engine.Step(pk, "review", received, reviewed))
            if refs is not None:
                refs[("review", pk)] = Ref(number, url, received, reviewed)
        if (
            reviewed is not None
            and first <= reviewed < after
            and not (released is None and status in STOPPED)
        ):
            steps[user_id].append(engine.Step(pk, "release", reviewed, released))
            if refs is not None:
                refs[("release", pk)] = Ref(number, url, reviewed, released)


def _ack_steps(ids, first, after, steps, refs, tz) -> None:
    rows = (
        Acknowledgement.objects.filter(
            order__merchandiser_id__in=ids, requested_at__gte=first, requested_at__lt=after
        )
        .exclude(order__status__in=STOPPED, acknowledged_at=None)
        .values_list(
            "pk",
            "order_id",
            "order__number",
            "order__merchandiser_id",
            "department__name",
            "order_version",
            "requested_at",
            "acknowledged_at",
        )
    )
    for pk, order_id, number, user_id, department, version, requested, acknowledged in rows:
        sent, done = _local(requested, tz), _local(acknowledged, tz)
        steps[user_id].append(engine.Step(pk, "ack", sent, done))
        label = f"{number} v{version} · {department}"
        if refs is not None:
            refs[("ack", pk)] = Ref(label, ("orders:order_detail", order_id), sent, done)


def _plan_steps(ids, first, after, steps, refs, tz) -> None:
    rows = (
        PlanVersion.objects.filter(
            plan__order__merchandiser_id__in=ids, submitted_at__gte=first, submitted_at__lt=after
        )
        .exclude(status=VersionStatus.WITHDRAWN, decided_at=None)
        .exclude(plan__order__status__in=STOPPED, decided_at=None)
        .values_list(
            "pk",
            "number",
            "plan__order__number",
            "plan__order__merchandiser_id",
            "submitted_at",
            "decided_at",
        )
    )
    for pk, number, order_number, user_id, submitted, decided in rows:
        start, done = _local(submitted, tz), _local(decided, tz)
        steps[user_id].append(engine.Step(pk, "plan", start, done))
        url = ("planning:version_detail", pk)
        if refs is not None:
            refs[("plan", pk)] = Ref(f"{order_number} v{number}", url, start, done)


def _issues(ids, first, after, issues, refs, tz) -> None:
    # Closed in the range, or open at some moment of it (for the open overdue ones at its end).
    rows = (
        Issue.objects.filter(order__merchandiser_id__in=ids, opened_at__lt=after)
        .filter(Q(closed_at=None) | Q(closed_at__gte=first))
        .values_list("pk", "number", "title", "order__merchandiser_id", "opened_at", "due_date", "closed_at")
    )
    for pk, number, title, user_id, opened_at, due, closed_at in rows:
        opened, closed = _local(opened_at, tz), _local(closed_at, tz)
        assert opened is not None
        issues[user_id].append(engine.Issue(pk, opened, due, closed))
        url = ("issues:issues_detail", pk)
        if refs is not None:
            refs[("issue", pk)] = Ref(f"{number} {title}", url, opened, closed, due)


def _from_sources(ids, start, end, records: dict[str, dict[int, list]], refs) -> None:
    kinds = {"lines": ("line",), "complaints": ("complaint",), "ratings": ("rating",)}
    for name in sources.NAMES:
        found = sources.source(name)
        if found is None:
            continue
        shipments: list[Any] = []
        promised: dict[Any, dt.date] = {}  # a line's promised date: the drill-down's due date
        own: dict[str, list[Any]] = defaultdict(list)
        for user_id, items in found.fetch(ids, start, end).items():
            for item in items:
                records[name][user_id].append(item)
                own[kinds[name][0]].append(item.id)
                if name == "lines":
                    shipments.extend(d.shipment for d in item.deliveries)
                    promised[item.id] = item.promised
        if shipments:
            own["shipment"] = shipments
        if found.describe is None:
            continue
        for kind, ids_of_kind in own.items():
            for ref_id, (label, url) in found.describe(kind, ids_of_kind).items():
                due = promised.get(ref_id) if kind == "line" else None
                refs[(kind, ref_id)] = Ref(str(label), link=url, due=due)


def collect(merchandiser_ids: Iterable[int], start: dt.date, end: dt.date, *, refs: bool = True) -> Collected:
    """Every merchandiser's records whose day falls in [start, end] (and the issues open then);
    with `refs`, what the drill-down shows of each (the overview needs only the figures)."""
    ids: Sequence[int] = sorted(set(merchandiser_ids))
    result = Collected()
    if not ids:
        return result
    first, after = _bounds(start, end)
    steps: dict[int, list[engine.Step]] = defaultdict(list)
    issues: dict[int, list[engine.Issue]] = defaultdict(list)
    keep = result.refs if refs else None
    tz = timezone.get_current_timezone()
    _order_steps(ids, first, after, start, end, steps, keep, tz)
    _ack_steps(ids, first, after, steps, keep, tz)
    _plan_steps(ids, first, after, steps, keep, tz)
    _issues(ids, first, after, issues, keep, tz)
    others: dict[str, dict[int, list]] = {name: defaultdict(list) for name in sources.NAMES}
    _from_sources(ids, start, end, others, result.refs)
    for user_id in ids:
        result.records[user_id] = engine.Records(
            steps=steps[user_id],
            issues=issues[user_id],
            lines=others["lines"][user_id],
            complaints=others["complaints"][user_id],
            ratings=others["ratings"][user_id],
        )
    return result
