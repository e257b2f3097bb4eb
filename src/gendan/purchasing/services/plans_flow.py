"""A purchase plan's workflow (R-3.2): submission to the merchandisers, their decisions per line,
withdrawal and revision.

Every step of a version is a conditional UPDATE … WHERE status = <the status seen>, taken from
choices.PLAN_TRANSITIONS: of two people acting at once, one wins, the other gets WorkflowConflict.
Decisions lock their plan row first, so the last of several merchandisers deciding at once is the
one who finds nothing pending and marks the plan decided.

Who decides a line: each merchandiser of the orders it serves (the order's merchandiser field);
a line serving no order (safety stock, or added by hand) and a line of an order without a
merchandiser are decided by management: the row is held by the first active management user (by
user name), and any management user may decide it (querysets_plans.PlanLineDecisionQuerySet)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.notifications.services import notify

from ..choices import PLAN_STEP_ACTION, PLAN_TRANSITIONS, Decision, PlanLineStatus, PlanStatus, PlanStep
from ..models import PlanLineDecision, PlanLinePeg, PurchasePlan, PurchasePlanLine
from .common import audit_for_orders
from .plans import REASON_MAX, plan_url

P, L = PlanStatus, PlanLineStatus


def _name(user) -> str:
    return (getattr(user, "display_name", "") or user.get_username()) if user else "—"


def plan_for(actor, plan_id: int, step: str) -> PurchasePlan:
    return PurchasePlan.objects.get_for(actor, PLAN_STEP_ACTION[step], pk=plan_id)


def plan_orders(plan: PurchasePlan) -> list[int]:
    return list(PlanLinePeg.objects.filter(line__plan=plan).values_list("order_id", flat=True).distinct())


def move_plan(*, actor, plan: PurchasePlan, to: str, step: str, note: Any = "", extra=None) -> PurchasePlan:
    """Move a version to `to` by `step` if the table allows it from the status the caller saw."""
    expected = plan.status
    if PLAN_TRANSITIONS.get(expected, {}).get(to) != step:
        raise WorkflowConflict(
            _("A purchase plan that is “%(current)s” cannot become “%(target)s”.")
            % {"current": P(expected).label, "target": P(to).label}
        )
    won = PurchasePlan.objects.filter(pk=plan.pk, status=expected).update(status=to, **(extra or {}))
    if not won:
        raise WorkflowConflict(
            _("Someone else changed purchase plan %(plan)s first; reload and try again.") % {"plan": plan}
        )
    audit_for_orders(
        actor=actor,
        obj=plan,
        action=f"purchase_plan_{to}",
        order_ids=plan_orders(plan),
        note=note,
        changes={"status": [expected, to]},
    )
    plan.refresh_from_db()
    return plan


def management_holder() -> User | None:
    return User.objects.filter(role=Role.MANAGEMENT, is_active=True).order_by("username", "pk").first()


def plan_submit(*, actor, plan_id: int) -> PurchasePlan:
    """Purchasing submits a draft: each proposed line gets a decision row per merchandiser of the
    orders it serves (management's for a line serving none); they are told. Every proposed line
    needs a supplier. Lines carried approved need no decision; a plan without any proposed line is
    decided at once."""
    with transaction.atomic():
        plan = plan_for(actor, plan_id, PlanStep.SUBMIT)
        plan = PurchasePlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != P.DRAFT:
            raise WorkflowConflict(
                _("Only a draft can be submitted; plan %(plan)s is “%(status)s”.")
                % {"plan": plan, "status": plan.get_status_display()}
            )
        lines = list(plan.lines.filter(status=L.PROPOSED).order_by("position", "pk"))
        if not plan.lines.exists():
            raise ValidationError({"lines": _("This plan has no line: there is nothing to decide.")})
        missing = [str(line.position) for line in lines if line.supplier_id is None]
        if missing:
            raise ValidationError(
                {"supplier": _("Choose a supplier for line(s) %(lines)s.") % {"lines": ", ".join(missing)}}
            )
        holders: dict[int, set[int]] = defaultdict(set)
        # 0: an order without an active merchandiser; management decides for it.
        for line_id, merchandiser, active in PlanLinePeg.objects.filter(line__in=lines).values_list(
            "line_id", "order__merchandiser_id", "order__merchandiser__is_active"
        ):
            holders[line_id].add(merchandiser if merchandiser and active else 0)
        manager = None
        if any(not holders[line.pk] or 0 in holders[line.pk] for line in lines):
            manager = management_holder()
            if manager is None:
                raise ValidationError(
                    {"lines": _("Some lines serve no order, and there is no management user to decide them.")}
                )
        rows: list[PlanLineDecision] = []
        for line in lines:
            people = {m or manager.pk for m in holders[line.pk]} if holders[line.pk] else {manager.pk}  # type: ignore[union-attr]
            rows.extend(PlanLineDecision(line=line, merchandiser_id=pk) for pk in sorted(people))
        PlanLineDecision.objects.bulk_create(rows, batch_size=1000)
        now = timezone.now()
        plan = move_plan(
            actor=actor,
            plan=plan,
            to=P.SUBMITTED,
            step=PlanStep.SUBMIT,
            extra={"submitted_by": actor, "submitted_at": now},
        )
        if not lines:
            move_plan(actor=actor, plan=plan, to=P.DECIDED, step=PlanStep.DECIDE, extra={"decided_at": now})
        waiting: dict[int, int] = defaultdict(int)
        for row in rows:
            waiting[row.merchandiser_id] += 1
        submitter = _name(actor)
        for person in User.objects.filter(pk__in=list(waiting)):
            count = waiting[person.pk]
            notify(
                event="purchase_plan.submitted",
                recipients=[person],
                title=lambda lang, p=str(plan), n=count: (
                    _("Purchase plan %(plan)s: %(n)s line(s) wait for your decision") % {"plan": p, "n": n}
                ),
                body=lambda lang, who=submitter: _("Submitted by %(name)s.") % {"name": who},
                url=plan_url(plan),
                obj=plan,
            )
    return plan


def plan_line_decide(*, actor, line, approve: bool, reason: str = "") -> PlanLineDecision:
    """A merchandiser approves or rejects (with a reason) a line serving his orders. The line is
    approved when every decision approves, rejected as soon as one rejects; the plan is decided
    when no line waits."""
    line_id = getattr(line, "pk", line)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the line is rejected.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": REASON_MAX}})
    with transaction.atomic():
        mine = PlanLineDecision.objects.restrict(actor, "decide").filter(line_id=line_id)
        decision = (mine.filter(merchandiser=actor).first() or mine.order_by("pk").first()) if actor else None
        if decision is None:
            if PurchasePlanLine.objects.restrict(actor, "view").filter(pk=line_id).exists():
                raise PermissionDenied(_("This line does not wait for your decision."))
            raise PurchasePlanLine.DoesNotExist
        plan = PurchasePlan.objects.select_for_update().get(pk=decision.line.plan_id)
        if plan.status != P.SUBMITTED:
            raise WorkflowConflict(
                _("Plan %(plan)s is “%(status)s”: its lines are not waiting for decisions.")
                % {"plan": plan, "status": plan.get_status_display()}
            )
        target = PurchasePlanLine.objects.get(pk=line_id)
        if target.status != L.PROPOSED:
            raise WorkflowConflict(
                _("Line %(line)s is already “%(status)s”.")
                % {"line": target.position, "status": target.get_status_display()}
            )
        now = timezone.now()
        won = PlanLineDecision.objects.filter(pk=decision.pk, decision=Decision.PENDING).update(
            decision=Decision.APPROVED if approve else Decision.REJECTED, reason=reason, decided_at=now
        )
        if not won:
            raise WorkflowConflict(_("This decision was already taken; reload and try again."))
        if not approve:
            PurchasePlanLine.objects.filter(pk=line_id, status=L.PROPOSED).update(status=L.REJECTED)
        elif not target.decisions.exclude(decision=Decision.APPROVED).exists():
            PurchasePlanLine.objects.filter(pk=line_id, status=L.PROPOSED).update(status=L.APPROVED)
        orders = list(target.pegs.values_list("order_id", flat=True))
        material = str(target.material)
        audit_for_orders(
            actor=actor,
            obj=plan,
            action="purchase_line_approved" if approve else "purchase_line_rejected",
            order_ids=orders,
            note=lambda: (
                _("Line %(line)s %(material)s") % {"line": target.position, "material": material}
                + (f": {reason}" if reason else "")
            ),
        )
        if not approve:
            decider = _name(actor)
            notify(
                event="purchase_plan.rejected",
                recipients=[u for u in {plan.submitted_by, plan.created_by} if u is not None],
                title=lambda lang, p=str(plan), n=target.position: (
                    _("Purchase plan %(plan)s: line %(line)s rejected") % {"plan": p, "line": n}
                ),
                body=lambda lang, who=decider, why=reason: f"{who}: {why}",
                url=plan_url(plan),
                obj=plan,
            )
        if not plan.lines.filter(status=L.PROPOSED).exists():
            move_plan(actor=actor, plan=plan, to=P.DECIDED, step=PlanStep.DECIDE, extra={"decided_at": now})
        decision.refresh_from_db()
    return decision


def plan_approve_mine(*, actor, plan_id: int) -> int:
    """Approve at once every line of the plan waiting for the actor's decision; how many."""
    plan = PurchasePlan.objects.get_for(actor, "view", pk=plan_id)
    with transaction.atomic():
        lines = list(
            PlanLineDecision.objects.filter(
                merchandiser=actor, decision=Decision.PENDING, line__plan=plan, line__status=L.PROPOSED
            )
            .order_by("line__position", "line_id")
            .values_list("line_id", flat=True)
        )
        for line_id in lines:
            plan_line_decide(actor=actor, line=line_id, approve=True)
    return len(lines)


def plan_withdraw(*, actor, plan_id: int, reason: str = "") -> PurchasePlan:
    """Purchasing takes a submitted version back (or drops a draft); the decisions taken stay
    readable, and a revision carries its approved lines on."""
    reason = (reason or "").strip()[:REASON_MAX]
    with transaction.atomic():
        plan = plan_for(actor, plan_id, PlanStep.WITHDRAW)
        return move_plan(actor=actor, plan=plan, to=P.WITHDRAWN, step=PlanStep.WITHDRAW, note=reason)


def plan_revise(*, actor, plan_id: int) -> PurchasePlan:
    """A new draft version of a decided or withdrawn plan (same number, version + 1): approved and
    ordered lines carried as they were, rejected and undecided ones proposed again for editing. The
    old version is superseded and stays readable."""
    with transaction.atomic():
        old = plan_for(actor, plan_id, PlanStep.REVISE)
        version = PurchasePlan.objects.filter(number=old.number).aggregate(v=Max("version"))["v"] or 1
        move_plan(actor=actor, plan=old, to=P.SUPERSEDED, step=PlanStep.REVISE)
        plan = PurchasePlan.objects.create(
            number=old.number, version=version + 1, previous=old, run=old.run, note=old.note, created_by=actor
        )
        lines = list(old.lines.order_by("position", "pk"))
        copies = []
        for line in lines:
            keep = line.status in (L.APPROVED, L.ORDERED)
            copies.append(
                PurchasePlanLine(
                    plan=plan,
                    **{
                        f: getattr(line, f)
                        for f in (
                            "position",
                            "material_id",
                            "spec",
                            "quantity",
                            "order_by",
                            "need_date",
                            "supplier_id",
                            "suggested_supplier_id",
                            "suggestion_reason",
                            "unit_price",
                            "last_price",
                            "note",
                        )
                    },
                    status=line.status if keep else L.PROPOSED,
                    carried_from=line,
                )
            )
        PurchasePlanLine.objects.bulk_create(copies, batch_size=500)
        new_for = {line.pk: copy for line, copy in zip(lines, copies, strict=True)}
        PlanLinePeg.objects.bulk_create(
            [
                PlanLinePeg(line=new_for[peg.line_id], order_id=peg.order_id, quantity=peg.quantity)
                for peg in PlanLinePeg.objects.filter(line__plan=old)
            ],
            batch_size=1000,
        )
        audit_record(
            actor=actor,
            obj=plan,
            action="create",
            note=lambda: _("Revises version %(n)s") % {"n": old.version},
        )
    return plan
