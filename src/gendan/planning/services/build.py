"""Building plan versions with the engine (R-2.1): the planner plans one released order or several
at once; the engine places every operation of every job (sub-assemblies included) around the
schedule in force, and the version gets its planned operations, its exploded materials and its
checks. The planner then pins, splits and re-runs the draft.

An open draft of the same order is withdrawn when a new version is built: one draft per order,
the newest; the old one stays readable. A version waiting for approval is left to the merchandiser."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.engine.scheduler import Calendar, Options, Problem, Schedule, SchedulingError, schedule
from gendan.orders.engine_adapter import (
    DEFAULT_SHIFT,
    HORIZON_DAYS,
    LOADING_STATES,
    Factory,
    load_factory,
    open_load,
)
from gendan.orders.models import Order

from ..choices import VersionStatus
from ..models import OrderOperation, Plan, PlanMaterial, PlannedOperation, PlanVersion
from .checks import version_check
from .jobs import (
    Draft,
    Part,
    entry_jobs,
    in_force_rows,
    late_reason,
    materials_needed,
    operations_ensure,
    parts_from_rows,
    planned_part,
)

MAX_ORDERS = 20


def plan_options() -> Options:
    """A few seconds on pages; tests set GENDAN_PLAN_WORK_LIMIT for the same answer on any machine."""
    work = getattr(settings, "GENDAN_PLAN_WORK_LIMIT", None)
    if work:
        return Options(work_limit=float(work), workers=1)
    return Options(time_limit=float(getattr(settings, "GENDAN_PLAN_SECONDS", 3.0)))


# ------------------------------------------------------------------------------ placing


def _place(factory: Factory, entries: list[Draft], options: Options | None) -> Schedule:
    jobs = open_load(factory, exclude_orders=[e.order.pk for e in entries])
    now = factory.now()
    for e in entries:
        jobs.extend(entry_jobs(factory, e, now))
    problem = Problem(
        jobs=tuple(jobs),
        work_centres=factory.work_centres,
        calendar=Calendar.from_shifts(factory.origin, HORIZON_DAYS, DEFAULT_SHIFT),
        now=now,
    )
    try:
        return schedule(problem, options or plan_options())
    except SchedulingError as exc:
        raise ValidationError(
            _("The plan cannot be placed: %(why)s. Check the pins and the routings.") % {"why": exc.message}
        ) from exc


def _write(factory: Factory, e: Draft, result: Schedule) -> None:
    """The version's planned operations, materials and summary from the engine's answer."""
    version = e.version
    version.operations.all().delete()
    version.materials.all().delete()
    line_ids = {line.pk for line in e.lines}
    rows = []
    first_start: dict[str, dt.datetime] = {}
    for so in result.operations:
        row = planned_part(factory, e, so, version)
        if row is None:
            continue  # another order's work
        rows.append(row)
        start = row.start
        if so.job not in first_start or start < first_start[so.job]:
            first_start[so.job] = start
    PlannedOperation.objects.bulk_create(rows)
    PlanMaterial.objects.bulk_create(
        PlanMaterial(version=version, order_line=line, material=material, quantity=qty, need_date=day)
        for line, material, qty, day in materials_needed(factory, e, first_start)
    )
    own = [r for r in result.jobs if r.job.split(".")[0] in {f"L{i}" for i in line_ids}]
    version.planned_start = min((r.start for r in rows), default=None)
    version.planned_finish = max((r.end for r in rows), default=None)
    late = max(own, key=lambda r: r.tardiness, default=None)
    version.tardiness_minutes = late.tardiness if late else 0
    version.late_reason = late_reason(factory, e, late) if late and late.tardiness else {}
    version.save(update_fields=["planned_start", "planned_finish", "tardiness_minutes", "late_reason"])


def _run(*, actor, entries: list[Draft], factory: Factory, options: Options | None, action: str) -> None:
    result = _place(factory, entries, options)
    for e in entries:
        _write(factory, e, result)
        version_check(e.version)
        audit_record(
            actor=actor,
            obj=e.version,
            action=action,
            changes={},
            note=_placed_note(e.version),
            scope=f"order:{e.order.pk}",
        )


def _placed_note(version: PlanVersion):
    count = version.operations.count()
    finish = (
        timezone.localtime(version.planned_finish).strftime("%Y-%m-%d %H:%M")
        if version.planned_finish
        else "-"
    )

    def note() -> str:
        return _("Version %(n)s placed: %(count)s operations, finish %(finish)s.") % {
            "n": version.number,
            "count": count,
            "finish": finish,
        }

    return note


# ------------------------------------------------------------------------------ services


def plan_build(*, actor, order_ids, pins=None, options: Options | None = None) -> list[PlanVersion]:
    """A new draft version for each order (released or in production), placed by the engine
    around the schedule in force. `pins`: {order operation id: {"work_centre_id", "start"}}."""
    require(actor, Plan, "change")
    try:
        ids = sorted({int(i) for i in order_ids})
    except (TypeError, ValueError) as exc:
        raise ValidationError({"orders": _("Choose orders to plan.")}) from exc
    if not ids:
        raise ValidationError({"orders": _("Choose orders to plan.")})
    if len(ids) > MAX_ORDERS:
        raise ValidationError({"orders": _("Plan at most %(n)s orders at once.") % {"n": MAX_ORDERS}})
    with transaction.atomic():
        orders = list(Order.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))
        if len(orders) != len(ids):
            raise ValidationError({"orders": _("One of the chosen orders does not exist.")})
        for order in orders:
            if order.status not in LOADING_STATES:
                raise ValidationError(
                    {
                        "orders": _(
                            "Order %(number)s is “%(status)s”: only released orders and orders in "
                            "production are planned."
                        )
                        % {"number": order.number, "status": order.get_status_display()}
                    }
                )
        factory = load_factory()
        in_force = in_force_rows(orders)
        entries = []
        for order in orders:
            plan, _created = Plan.objects.get_or_create(order=order)
            withdrawn = PlanVersion.objects.filter(plan=plan, status=VersionStatus.DRAFT)
            for old in withdrawn:
                PlanVersion.objects.filter(pk=old.pk, status=VersionStatus.DRAFT).update(
                    status=VersionStatus.WITHDRAWN
                )
                audit_record(
                    actor=actor,
                    obj=old,
                    action="withdraw",
                    changes={"status": [VersionStatus.DRAFT, VersionStatus.WITHDRAWN]},
                    note=lambda: _("Replaced by a newer draft."),
                    scope=f"order:{order.pk}",
                )
            number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = PlanVersion.objects.create(plan=plan, number=number, created_by=actor)
            lines, specs, operations = operations_ensure(factory, order)
            e = Draft(order=order, version=version, lines=lines, specs=specs, operations=operations)
            if not e.has_routing():
                raise ValidationError(
                    {
                        "orders": _("Order %(number)s has no product with a routing to plan.")
                        % {"number": order.number}
                    }
                )
            parts_from_rows(factory, e, [], in_force)
            apply_pins(factory, e, pins or {})
            entries.append(e)
        _run(actor=actor, entries=entries, factory=factory, options=options, action="plan_build")
    return [e.version for e in entries]


def apply_pins(factory: Factory, e: Draft, pins: dict) -> None:
    for (_line, key, seq), op in e.operations.items():
        pin = pins.get(op.pk) or pins.get(str(op.pk))
        if not pin or e.parts[(key, seq)][0].shop_frozen:
            continue
        code = None
        if pin.get("work_centre_id"):
            code = _allowed_centre(op, pin["work_centre_id"]).code
        start = _pin_start(factory, pin.get("start"))
        e.parts[(key, seq)] = [
            Part(quantity=p.quantity, work_centre=code or p.work_centre, pinned_start=start or p.pinned_start)
            for p in e.parts[(key, seq)]
        ]


def _allowed_centre(op: OrderOperation, centre_id):
    routing = op.routing_operation
    allowed = []
    if routing is not None:
        allowed = [routing.work_centre, *routing.alternative_work_centres.all()]
    for centre in allowed:
        if str(centre.pk) == str(centre_id) and not centre.is_archived:
            return centre
    raise ValidationError({"work_centre": _("This operation cannot be done on that work centre.")})


def _pin_start(factory: Factory, start) -> dt.datetime | None:
    if start is None or start == "":
        return None
    if not isinstance(start, dt.datetime):
        raise ValidationError({"start": _("Enter a date and time.")})
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    first = factory.at(0)
    if start < first or start > first + dt.timedelta(days=HORIZON_DAYS - 30):
        raise ValidationError(
            {"start": _("The start must be between today and the end of the planning horizon.")}
        )
    return start


def draft_for(actor, version_id) -> PlanVersion:
    """The draft version a planner acts on; WorkflowConflict when it is not (or no longer) a draft."""
    version = PlanVersion.objects.select_related("plan__order").get_for(actor, "change", pk=version_id)
    won = PlanVersion.objects.filter(pk=version.pk, status=VersionStatus.DRAFT).update(
        checked_at=timezone.now()
    )
    if not won:
        raise WorkflowConflict(
            _("Version %(n)s is no longer a draft (it is “%(status)s”): only drafts are re-planned.")
            % {"n": version.number, "status": version.get_status_display()}
        )
    return version


def rerun_draft(*, actor, version: PlanVersion, options, action: str, change=None) -> PlanVersion:
    order = version.plan.order
    factory = load_factory()
    lines, specs, operations = operations_ensure(factory, order)
    e = Draft(order=order, version=version, lines=lines, specs=specs, operations=operations)
    rows = list(version.operations.select_related("work_centre"))
    parts_from_rows(factory, e, rows, in_force_rows([order]))
    if change is not None:
        change(factory, e)
    _run(actor=actor, entries=[e], factory=factory, options=options, action=action)
    version.refresh_from_db()
    return version


def plan_rerun(*, actor, version_id: int, options: Options | None = None) -> PlanVersion:
    """Place a draft again with its pins and splits (after a change in the factory or the pins)."""
    with transaction.atomic():
        version = draft_for(actor, version_id)
        return rerun_draft(actor=actor, version=version, options=options, action="plan_rerun")
