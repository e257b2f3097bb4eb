"""Reschedule all open orders (R-2.3): the planner asks, the worker runs the engine on every open
order (plans in force, their started work frozen, and released orders not yet planned) and stores
a proposal: per order, finish before and after, late before and after, whether it moved and why it
is late (the engine's explanation), and the proposed operations. The planner then accepts all or
some orders (reschedule_accept.py) or discards it.

`result` = {"orders": [row, …]} with row = {"order", "number", "customer", "delivery", "weight",
"version" (the version in force the row was computed against, or None), "before": {"start",
"finish", "late", "tardiness"} | None, "after": {"start", "finish", "late", "tardiness"}, "moved",
"later", "late_reason" (as a version stores it: jobs.late_reason), "ops": [op, …], "materials":
[material, …]}; op = {"job", "seq", "part", "op" (OrderOperation id), "product", "routing", "name",
"qty", "wc", "machine", "start", "end", "setup", "run", "people", "pinned_wc", "pinned_start",
"frozen"}, one per part of a split operation; material = {"line", "material", "qty", "need"}.
`summary` holds the counts, the totals and the fingerprint of the schedule in force it was
computed against.

The orders go to the engine exactly as building a plan sends them (services/jobs.py): the pins and
splits of each version in force are kept, started work stays where it is, and each line is released
when its materials are there."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.core.i18n import str_in_both
from gendan.core.permissions import require
from gendan.engine.scheduler import (
    Calendar,
    Options,
    Problem,
    Schedule,
    ScheduledOperation,
    SchedulingError,
    schedule,
)
from gendan.orders.engine_adapter import (
    DEFAULT_SHIFT,
    HORIZON_DAYS,
    LOADING_STATES,
    Factory,
    load_factory,
)
from gendan.orders.models import Order

from ..choices import ProposalStatus
from ..models import Plan, ScheduleProposal
from .jobs import (
    OrderJobs,
    entry_jobs,
    in_force_rows,
    late_reason,
    materials_needed,
    operations_ensure_many,
    parts_from_rows,
    planned_part,
    weight_of,
)

MIN_SECONDS, MAX_SECONDS = 5, 600


def proposal_create(*, actor, seconds: int = 60) -> ScheduleProposal:
    """Ask the worker for a reschedule of all open orders within `seconds` of engine time."""
    require(actor, ScheduleProposal, "add")
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        raise ValidationError({"seconds": _("Give a whole number of seconds.")}) from None
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise ValidationError(
            {
                "seconds": _("Between %(low)d and %(high)d seconds.")
                % {"low": MIN_SECONDS, "high": MAX_SECONDS}
            }
        )
    from ..tasks import reschedule_task

    with transaction.atomic():
        proposal = ScheduleProposal.objects.create(created_by=actor, seconds=seconds)
        audit_record(actor=actor, obj=proposal, action="create")
        transaction.on_commit(lambda: reschedule_task.enqueue(proposal.pk))
    return proposal


# A running proposal may be given up too (a worker that died with it): the run's last update is
# conditional on "running", so it cannot bring a discarded proposal back.
DISCARDABLE = [ProposalStatus.QUEUED, ProposalStatus.RUNNING, ProposalStatus.READY, ProposalStatus.FAILED]


def proposal_discard(*, actor, proposal_id: int) -> ScheduleProposal:
    proposal = ScheduleProposal.objects.get_for(actor, "change", pk=proposal_id)
    with transaction.atomic():
        won = ScheduleProposal.objects.filter(pk=proposal.pk, status__in=DISCARDABLE).update(
            status=ProposalStatus.DISCARDED, decided_by=actor, decided_at=timezone.now()
        )
        if not won:
            raise WorkflowConflict(_("This proposal was accepted or discarded; reload the page."))
        proposal.refresh_from_db()
        audit_record(actor=actor, obj=proposal, action="discard")
    return proposal


# ---------------------------------------------------------------- the schedule in force, as it is


def in_force_fingerprint() -> str:
    """What the proposal was computed against: the open orders and their versions in force. Any
    approval, new release or finished order since changes it."""
    rows = (
        Order.objects.filter(status__in=LOADING_STATES)
        .order_by("pk")
        .values_list("pk", "plan__in_force_id", "version")
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:32]


@dataclass
class OpenOrder:
    """An open order on its way to the engine, with what its version in force planned."""

    jobs: OrderJobs
    version_id: int | None = None
    before: dict | None = None
    placed: dict[tuple[str, int, int], tuple[str, dt.datetime]] = field(default_factory=dict)

    @property
    def order(self) -> Order:
        return self.jobs.order


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else None


def open_orders(factory: Factory) -> list[OpenOrder]:
    """Every released or in-production order with something to make, its operations and their
    parts as its version in force has them (the planner's pins and splits; what the shop floor
    has started stays where it is), translated as building a plan translates it."""
    orders = list(
        Order.objects.filter(status__in=LOADING_STATES)
        .select_related("customer", "plan__in_force")
        .order_by("pk")
    )
    ensured = operations_ensure_many(factory, orders)
    in_force = in_force_rows(orders)
    found = []
    for order in orders:
        lines, specs, operations = ensured[order.pk]
        e = OrderJobs(order=order, lines=lines, specs=specs, operations=operations)
        if not e.has_routing():
            continue
        item = OpenOrder(jobs=e)
        rows = [row for op in operations.values() for row in in_force.get(op.pk, [])]
        parts_from_rows(factory, e, rows, in_force)
        plan = getattr(order, "plan", None)
        if plan is not None and plan.in_force is not None:
            version = plan.in_force
            item.version_id = version.pk
            item.before = {
                "start": _iso(version.planned_start),
                "finish": _iso(version.planned_finish),
                "late": version.tardiness_minutes > 0,
                "tardiness": version.tardiness_minutes,
            }
            by_pk = {op.pk: op for op in operations.values()}
            for row in rows:
                op = by_pk[row.operation_id]
                item.placed[(op.job_key, op.sequence, row.part)] = (row.work_centre.code, row.start)
        found.append(item)
    return found


# ---------------------------------------------------------------- the run, in the worker

# What the worker is doing, worded on the page (the message field holds the key).
STAGES = ("queued", "loading", "solving", "comparing", "done", "failed")


def _progress(pk: int, percent: int, stage: str) -> None:
    ScheduleProposal.objects.filter(pk=pk, status=ProposalStatus.RUNNING).update(
        progress=percent, message=stage
    )


def proposal_run(*, proposal_id: int) -> ScheduleProposal:
    """The worker's part: claim the queued proposal, run the engine, store what it proposes."""
    won = ScheduleProposal.objects.filter(pk=proposal_id, status=ProposalStatus.QUEUED).update(
        status=ProposalStatus.RUNNING, progress=2, message="loading"
    )
    proposal = ScheduleProposal.objects.get(pk=proposal_id)
    if not won:
        return proposal  # another worker has it, or it was discarded
    try:
        result, summary = _compute(proposal)
    except SchedulingError as exc:
        ScheduleProposal.objects.filter(pk=proposal_id, status=ProposalStatus.RUNNING).update(
            status=ProposalStatus.FAILED,
            message="failed",
            summary={"error": str(exc)[:500]},
            finished_at=timezone.now(),
        )
    else:
        ScheduleProposal.objects.filter(pk=proposal_id, status=ProposalStatus.RUNNING).update(
            status=ProposalStatus.READY,
            progress=100,
            message="done",
            result=result,
            summary=summary,
            finished_at=timezone.now(),
        )
    proposal.refresh_from_db()
    return proposal


def _options(seconds: int) -> Options:
    # Tests (and reproducible runs) set a budget of work instead of seconds: the same proposal on
    # any machine.
    work = getattr(settings, "GENDAN_RESCHEDULE_WORK_LIMIT", None)
    return Options(time_limit=float(seconds), work_limit=work) if work else Options(time_limit=float(seconds))


def _compute(proposal: ScheduleProposal) -> tuple[dict, dict]:
    fingerprint = in_force_fingerprint()  # first: a change while it runs makes the proposal stale
    factory = load_factory()
    items = open_orders(factory)
    _progress(proposal.pk, 15, "loading")
    now = factory.now()
    jobs = [job for item in items for job in entry_jobs(factory, item.jobs, now)]
    problem = Problem(
        jobs=tuple(jobs),
        work_centres=factory.work_centres,
        calendar=Calendar.from_shifts(factory.origin, HORIZON_DAYS, DEFAULT_SHIFT),
        now=now,
    )
    _progress(proposal.pk, 25, "solving")
    sched = schedule(problem, _options(proposal.seconds)) if jobs else None
    _progress(proposal.pk, 90, "comparing")
    rows = _compare(factory, items, sched) if sched else []
    summary = _summary(rows)
    summary.update({"fingerprint": fingerprint, "status": sched.status if sched else ""})
    return {"orders": rows}, summary


def _op_row(factory: Factory, e: OrderJobs, s: ScheduledOperation) -> dict | None:
    """One proposed operation part, as accepting it writes it (PlannedOperation's fields)."""
    row = planned_part(factory, e, s)
    if row is None:
        return None
    op = row.operation
    return {
        "job": s.job,
        "seq": op.sequence,
        "part": row.part,
        "op": op.pk,
        "product": op.product_id,
        "routing": op.routing_operation_id,
        "name": op.name,
        "qty": format(row.quantity.normalize(), "f"),
        "wc": s.work_centre,
        "machine": row.machine,
        "start": _iso(row.start),
        "end": _iso(row.end),
        "setup": row.setup_minutes,
        "run": row.run_minutes,
        "people": row.people,
        "pinned_wc": row.pinned_work_centre,
        "pinned_start": _iso(row.pinned_start),
        "frozen": row.frozen,
    }


def _compare(factory: Factory, items: list[OpenOrder], sched: Schedule) -> list[dict]:
    owner = {f"L{line.pk}": item for item in items for line in item.jobs.lines}
    per_order: dict[int, list[ScheduledOperation]] = defaultdict(list)
    for s in sched.operations:
        if (item := owner.get(s.job.split(".")[0])) is not None:
            per_order[item.order.pk].append(s)
    results: dict[int, list] = defaultdict(list)
    for r in sched.jobs:
        if (item := owner.get(r.job.split(".")[0])) is not None:
            results[item.order.pk].append(r)
    rows = []
    for item in items:
        placed = sorted(per_order.get(item.order.pk, []), key=lambda s: (s.start, s.job, s.operation))
        ops = [op for s in placed if (op := _op_row(factory, item.jobs, s)) is not None]
        if not ops:
            continue
        moved = item.version_id is None
        first_start: dict[str, dt.datetime] = {}
        for op in ops:
            start = dt.datetime.fromisoformat(op["start"])
            was = item.placed.get((op["job"], op["seq"], op["part"]))
            if was is None or was[0] != op["wc"] or abs((was[1] - start).total_seconds()) > 300:
                moved = True
            if op["job"] not in first_start or start < first_start[op["job"]]:
                first_start[op["job"]] = start
        tardiness = max((r.tardiness for r in results[item.order.pk] if r.due is not None), default=0)
        worst = max(
            (r for r in results[item.order.pk] if r.tardiness > 0), key=lambda r: r.tardiness, default=None
        )
        finish = max(dt.datetime.fromisoformat(op["end"]) for op in ops)
        after = {
            "start": _iso(min(first_start.values())),
            "finish": _iso(finish),
            "late": tardiness > 0,
            "tardiness": tardiness,
        }
        before = item.before
        later = (
            before is None or before["finish"] is None or finish > dt.datetime.fromisoformat(before["finish"])
        )
        delivery = max((line.delivery_date for line in item.jobs.lines if line.delivery_date), default=None)
        materials = [
            {"line": line.pk, "material": material.pk, "qty": format(qty, "f"), "need": day.isoformat()}
            for line, material, qty, day in materials_needed(factory, item.jobs, first_start)
        ]
        rows.append(
            {
                "order": item.order.pk,
                "number": item.order.number,
                "customer": str_in_both(item.order.customer),
                "delivery": delivery.isoformat() if delivery else None,
                "weight": weight_of(item.order),
                "version": item.version_id,
                "before": before,
                "after": after,
                "moved": moved,
                "later": later,
                "late_reason": late_reason(factory, item.jobs, worst) if worst else {},
                "ops": ops,
                "materials": materials,
            }
        )
    return rows


def _summary(rows: list[dict]) -> dict:
    planned = [r for r in rows if r["before"]]
    return {
        "orders": len(rows),
        "moved": sum(r["moved"] for r in rows),
        "new": len(rows) - len(planned),
        "became_late": sum(r["after"]["late"] and not (r["before"] and r["before"]["late"]) for r in rows),
        "became_on_time": sum(
            bool(r["before"] and r["before"]["late"]) and not r["after"]["late"] for r in rows
        ),
        "late_after": sum(r["after"]["late"] for r in rows),
        "tardiness_before": sum(r["weight"] * r["before"]["tardiness"] for r in planned),
        "tardiness_after": sum(r["weight"] * r["after"]["tardiness"] for r in planned),
    }


def next_version_number(plan: Plan) -> int:
    return (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
