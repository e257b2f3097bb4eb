"""Accepting a reschedule proposal (R-2.3, R-2.4): each accepted order gets a new plan version
with the proposed operations. One that still finishes within its approved finish (the planned
finish of its version in force) is approved at once and comes into force; one that moves later,
or had no plan in force, is submitted for its merchandiser's approval, and he is told."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.masterdata.models import WorkCentre
from gendan.notifications.services import notify
from gendan.orders.models import Order

from ..choices import ProposalStatus, VersionSource, VersionStatus
from ..models import OrderOperation, Plan, PlanMaterial, PlannedOperation, PlanVersion, ScheduleProposal
from ..tasks import versions_check_task
from .reschedule import in_force_fingerprint, next_version_number

MAX_ORDERS = 5000


def proposal_accept(*, actor, proposal_id: int, order_ids) -> list[PlanVersion]:
    """Accept the proposal for `order_ids` (all of them, or some). A proposal is accepted once."""
    proposal = ScheduleProposal.objects.get_for(actor, "accept", pk=proposal_id)
    if proposal.status != ProposalStatus.READY:
        raise WorkflowConflict(
            _("This proposal is not ready to accept (it is %(status)s).")
            % {"status": proposal.get_status_display()}
        )
    try:
        wanted = {int(i) for i in order_ids}
    except (TypeError, ValueError):
        raise ValidationError({"orders": _("Choose orders of the proposal.")}) from None
    rows = {row["order"]: row for row in (proposal.result or {}).get("orders", [])}
    if not wanted or len(wanted) > MAX_ORDERS:
        raise ValidationError({"orders": _("Choose at least one order of the proposal.")})
    unknown = wanted - set(rows)
    if unknown:
        raise ValidationError(
            {
                "orders": _("These orders are not in the proposal: %(ids)s")
                % {"ids": ", ".join(map(str, sorted(unknown)[:10]))}
            }
        )
    with transaction.atomic():
        # A proposal computed by an earlier release of Gendan lacks the parts and materials.
        current = all("materials" in rows[i] for i in wanted)
        if not current or in_force_fingerprint() != (proposal.summary or {}).get("fingerprint"):
            raise WorkflowConflict(
                _(
                    "The schedule in force has changed since this proposal was made (a plan was "
                    "approved, or an order released or finished): run a new reschedule."
                )
            )
        won = ScheduleProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.READY).update(
            status=ProposalStatus.ACCEPTED, decided_by=actor, decided_at=timezone.now()
        )
        if not won:
            raise WorkflowConflict(
                _("Someone else accepted or discarded this proposal first; reload the page.")
            )
        centres = {wc.code: wc for wc in WorkCentre.objects.all()}
        versions = [_version_from(actor, proposal, rows[order_id], centres) for order_id in sorted(wanted)]
        ids = [v.pk for v in versions]
        transaction.on_commit(lambda: versions_check_task.enqueue(ids))
        proposal.refresh_from_db()
        audit_record(
            actor=actor,
            obj=proposal,
            action="accept",
            note=lambda: _("%(n)d of %(total)d orders accepted") % {"n": len(versions), "total": len(rows)},
        )
    return versions


def _operations(order: Order, ops: list[dict]) -> dict[int, OrderOperation]:
    """The order's operations the proposal places (made when the proposal was computed)."""
    ids = {op["op"] for op in ops}
    found = {o.pk: o for o in OrderOperation.objects.filter(order=order, pk__in=ids)}
    if len(found) != len(ids):
        raise WorkflowConflict(
            _("The operations of %(order)s have changed since this proposal was made: run a new reschedule.")
            % {"order": order.number}
        )
    return found


def _version_from(actor, proposal: ScheduleProposal, row: dict, centres: dict) -> PlanVersion:
    order = Order.objects.select_related("merchandiser").get(pk=row["order"])
    plan, _created = Plan.objects.get_or_create(order=order)
    old = plan.in_force
    now = timezone.now()
    start = dt.datetime.fromisoformat(row["after"]["start"])
    finish = dt.datetime.fromisoformat(row["after"]["finish"])
    within = old is not None and old.planned_finish is not None and finish <= old.planned_finish
    version = PlanVersion.objects.create(
        plan=plan,
        number=next_version_number(plan),
        status=VersionStatus.APPROVED if within else VersionStatus.SUBMITTED,
        source=VersionSource.RESCHEDULE,
        proposal=proposal,
        planned_start=start,
        planned_finish=finish,
        tardiness_minutes=row["after"]["tardiness"],
        late_reason=row["late_reason"] or {},
        checked_at=now,
        created_by=actor,
        submitted_by=actor,
        submitted_at=now,
        decided_by=actor if within else None,
        decided_at=now if within else None,
        notes=str(gettext_lazy("Reschedule of all open orders")),
    )
    operations = _operations(order, row["ops"])
    PlannedOperation.objects.bulk_create(
        PlannedOperation(
            version=version,
            operation=operations[op["op"]],
            part=op["part"],
            quantity=Decimal(op["qty"]),
            work_centre=centres[op["wc"]],
            machine=op["machine"],
            start=dt.datetime.fromisoformat(op["start"]),
            end=dt.datetime.fromisoformat(op["end"]),
            setup_minutes=op["setup"],
            run_minutes=op["run"],
            people=op["people"],
            pinned_work_centre=op["pinned_wc"],
            pinned_start=dt.datetime.fromisoformat(op["pinned_start"]) if op["pinned_start"] else None,
            frozen=op["frozen"],
        )
        for op in row["ops"]
    )
    # The materials the proposed start needs them on; the kit check (in the worker, once the
    # acceptance is committed) gives their numbers and the warnings the merchandiser reads.
    PlanMaterial.objects.bulk_create(
        PlanMaterial(
            version=version,
            order_line_id=m["line"],
            material_id=m["material"],
            quantity=Decimal(m["qty"]),
            need_date=dt.date.fromisoformat(m["need"]),
        )
        for m in row["materials"]
    )
    if within:
        assert old is not None
        if not PlanVersion.objects.filter(pk=old.pk, status=VersionStatus.APPROVED).update(
            status=VersionStatus.SUPERSEDED
        ) or not Plan.objects.filter(pk=plan.pk, in_force=old).update(in_force=version, updated_at=now):
            raise WorkflowConflict(
                _("Someone else changed the plan of %(order)s first.") % {"order": order.number}
            )
        audit_record(
            actor=actor,
            obj=version,
            action="plan_rescheduled",
            scope=order.scope,
            note=lambda: (
                _("Version %(n)d in force from the reschedule (finish not later)") % {"n": version.number}
            ),
        )
    else:
        audit_record(
            actor=actor,
            obj=version,
            action="plan_submitted",
            scope=order.scope,
            note=lambda: _("Version %(n)d from the reschedule waits for approval") % {"n": version.number},
        )
        if order.merchandiser_id:
            notify(
                event="plan.rescheduled",
                recipients=[order.merchandiser],
                title=lambda lang: _title(lang, order.number, version.number),
                url=f"/orders/order/{order.pk}/",
                obj=version,
            )
    return version


def _title(lang: str, number: str, version: int) -> str:
    from django.utils import translation

    with translation.override(lang):
        return _("The reschedule moves %(order)s later: approve plan version %(n)d") % {
            "order": number,
            "n": version,
        }
