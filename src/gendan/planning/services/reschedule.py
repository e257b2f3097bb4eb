"""Reschedule all open orders (R-2.3): the planner asks, the worker runs the engine on every open
order (plans in force, their started work frozen, and released orders not yet planned) and stores
a proposal: per order, finish before and after, late before and after, whether it moved and why it
is late (the engine's explanation), and the proposed operations. The planner then accepts all or
some orders (reschedule_accept.py) or discards it.

`result` = {"orders": [row, …]} with row = {"order", "number", "customer", "delivery", "weight",
"version" (the version in force the row was computed against, or None), "before": {"start",
"finish", "late", "tardiness"} | None, "after": {"start", "finish", "late", "tardiness"}, "moved",
"later", "late_reason": {"kind", "item", "minutes"} | {}, "ops": [op, …]} and op = {"job", "seq",
"op" (OrderOperation id or None), "product", "routing", "name", "qty", "wc", "machine", "start",
"end", "setup", "run", "people", "frozen"}. `summary` holds the counts, the totals and the
fingerprint of the schedule in force it was computed against."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.core.i18n import bilingual, str_in_both
from gendan.core.permissions import require
from gendan.engine.scheduler import Frozen, Job, Options, Problem, SchedulingError, schedule
from gendan.orders.engine_adapter import LOADING_STATES
from gendan.orders.models import Order, OrderLine

from ..choices import OperationStatus, ProposalStatus
from ..models import Plan, PlannedOperation, ScheduleProposal
from .ctp import WEIGHTS, day_minutes, factory_calendar, factory_load, product_jobs

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
    order: Order
    lines: list[OrderLine]
    weight: int
    version_id: int | None = None
    before: dict | None = None
    frozen: dict[tuple[str, int], PlannedOperation] = field(default_factory=dict)
    placed: dict[tuple[str, int], tuple[str, dt.datetime]] = field(default_factory=dict)  # in force
    operations: dict[tuple[str, int], int] = field(default_factory=dict)  # (job, seq) -> OrderOperation id


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else None


def open_orders() -> list[OpenOrder]:
    """Every released or in-production order with its lines, its version in force and that
    version's started or finished work (which the engine leaves where it is)."""
    orders = list(
        Order.objects.filter(status__in=LOADING_STATES)
        .select_related("customer", "plan__in_force")
        .order_by("pk")
    )
    lines: dict[int, list[OrderLine]] = {}
    for line in OrderLine.objects.filter(
        order__in=orders, is_cancelled=False, product__isnull=False, quantity__gt=0
    ).order_by("line_no"):
        lines.setdefault(line.order_id, []).append(line)
    found = []
    versions = {}
    for order in orders:
        if order.pk not in lines:
            continue
        item = OpenOrder(order=order, lines=lines[order.pk], weight=WEIGHTS.get(order.priority, 2))
        plan = getattr(order, "plan", None)
        if plan is not None and plan.in_force is not None:
            version = plan.in_force
            item.version_id = version.pk
            versions[version.pk] = item
            item.before = {
                "start": _iso(version.planned_start),
                "finish": _iso(version.planned_finish),
                "late": version.tardiness_minutes > 0,
                "tardiness": version.tardiness_minutes,
            }
        found.append(item)
    for po in PlannedOperation.objects.filter(version_id__in=versions).select_related(
        "operation", "work_centre"
    ):
        item = versions[po.version_id]
        key = (po.operation.job_key, po.operation.sequence)
        item.operations[key] = po.operation_id
        if po.part == 1:
            item.placed[key] = (po.work_centre.code, po.start)
        if po.operation.status != OperationStatus.PENDING and key not in item.frozen:
            item.frozen[key] = po
    return found


def job_products(factory, key: str, product_id: int, qty: Decimal, seen=()) -> dict[str, tuple[int, Decimal]]:
    """job key -> (product, quantity), walking the BOM as the engine's translation does."""
    found = {key: (product_id, qty)}
    for n, line in enumerate(factory.bom.get(product_id, [])):
        if line.component_product_id and line.component_product_id not in seen:
            need = qty * line.quantity * (1 + line.scrap_pct / 100)
            found.update(
                job_products(factory, f"{key}.{n}", line.component_product_id, need, (*seen, product_id))
            )
    return found


def _frozen_job(job: Job, item: OpenOrder, factory, origin: dt.datetime) -> Job:
    if not item.frozen:
        return job
    machines = {wc.id: wc.machines for wc in factory.work_centres}
    operations = []
    for op in job.operations:
        po = item.frozen.get((job.id, int(op.id)))
        if po is not None and po.work_centre.code in machines:
            start = int((timezone.localtime(po.start).replace(tzinfo=None) - origin).total_seconds() // 60)
            end = int((timezone.localtime(po.end).replace(tzinfo=None) - origin).total_seconds() // 60)
            machine = po.machine if po.machine < machines[po.work_centre.code] else None
            op = type(op)(
                **{**op.__dict__, "frozen": Frozen(start, po.work_centre.code, machine, max(end, start + 1))}
            )
        operations.append(op)
    return Job(**{**job.__dict__, "operations": tuple(operations)})


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
    factory = factory_load()
    origin = factory.origin
    items = open_orders()
    _progress(proposal.pk, 15, "loading")
    jobs: list[Job] = []
    owner: dict[str, OpenOrder] = {}
    products: dict[str, tuple[int, Decimal]] = {}
    for item in items:
        for line in item.lines:
            assert line.product_id is not None and line.quantity is not None  # open_orders() keeps these
            key = f"L{line.pk}"
            due = day_minutes(factory, line.delivery_date)
            for job in product_jobs(factory, key, line.product_id, line.quantity, due, item.weight):
                jobs.append(_frozen_job(job, item, factory, origin))
                owner[job.id] = item
            products.update(job_products(factory, key, line.product_id, line.quantity))
    now = int((timezone.localtime().replace(tzinfo=None) - origin).total_seconds() // 60)
    problem = Problem(
        jobs=tuple(jobs),
        work_centres=factory.work_centres,
        calendar=factory_calendar(factory),
        now=max(now, 0),
    )
    _progress(proposal.pk, 25, "solving")
    sched = schedule(problem, _options(proposal.seconds)) if jobs else None
    _progress(proposal.pk, 90, "comparing")
    rows = _compare(factory, items, jobs, owner, products, sched)
    summary = _summary(rows)
    summary.update({"fingerprint": fingerprint, "status": sched.status if sched else ""})
    return {"orders": rows}, summary


def _at(origin: dt.datetime, minutes: int) -> dt.datetime:
    return timezone.make_aware(origin + dt.timedelta(minutes=minutes))


def _compare(factory, items, jobs, owner, products, sched) -> list[dict]:
    if sched is None:
        return []
    origin = factory.origin
    routing = {(pid, op.sequence): op for pid, ops in factory.routings.items() for op in ops}
    operations = {(job.id, op.id): op for job in jobs for op in job.operations}
    per_order: dict[int, list] = {}
    for s in sched.operations:
        per_order.setdefault(owner[s.job].order.pk, []).append(s)
    results: dict[int, list] = {}
    for r in sched.jobs:
        results.setdefault(owner[r.job].order.pk, []).append(r)
    rows = []
    for item in items:
        placed = sorted(per_order.get(item.order.pk, []), key=lambda s: (s.start, s.job, s.operation))
        if not placed:
            continue
        ops, moved = [], item.version_id is None
        for s in placed:
            seq = int(s.operation)
            product_id, qty = products[s.job]
            rop = routing.get((product_id, seq))
            op = operations[(s.job, s.operation)]
            mode = op.modes[s.mode] if 0 <= s.mode < len(op.modes) else op.modes[0]
            start, end = _at(origin, s.start), _at(origin, s.end)
            before = item.placed.get((s.job, seq))
            if before is None or before[0] != s.work_centre or abs((before[1] - start).total_seconds()) > 300:
                moved = True
            ops.append(
                {
                    "job": s.job,
                    "seq": seq,
                    "op": item.operations.get((s.job, seq)),
                    "product": product_id,
                    "routing": rop.pk if rop else None,
                    "name": rop.name if rop else str(seq),
                    "qty": format(qty.normalize(), "f"),
                    "wc": s.work_centre,
                    "machine": s.machine,
                    "start": _iso(start),
                    "end": _iso(end),
                    "setup": mode.setup,
                    "run": mode.run,
                    "people": mode.people,
                    "frozen": s.frozen,
                }
            )
        job_results = results.get(item.order.pk, [])
        tardiness = max((r.tardiness for r in job_results if r.due is not None), default=0)
        worst = max((r for r in job_results if r.tardiness > 0), key=lambda r: r.tardiness, default=None)
        reason: dict = {}
        if worst is not None and worst.bottleneck is not None:
            b = worst.bottleneck
            item_name = None
            if b.kind == "work_centre" and b.work_centre:
                centre = factory.centres.get(b.work_centre)
                item_name = str_in_both(centre) if centre else bilingual(b.work_centre)
            reason = {"kind": b.kind, "item": item_name, "minutes": b.minutes}
        finish = max(_at(origin, s.end) for s in placed)
        after = {
            "start": _iso(min(_at(origin, s.start) for s in placed)),
            "finish": _iso(finish),
            "late": tardiness > 0,
            "tardiness": tardiness,
        }
        before = item.before
        later = (
            before is None or before["finish"] is None or finish > dt.datetime.fromisoformat(before["finish"])
        )
        delivery = max((line.delivery_date for line in item.lines if line.delivery_date), default=None)
        rows.append(
            {
                "order": item.order.pk,
                "number": item.order.number,
                "customer": str_in_both(item.order.customer),
                "delivery": delivery.isoformat() if delivery else None,
                "weight": item.weight,
                "version": item.version_id,
                "before": before,
                "after": after,
                "moved": moved,
                "later": later,
                "late_reason": reason,
                "ops": ops,
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
