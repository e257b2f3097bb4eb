"""A plan version's approval (R-2.4): submit, approve, reject, withdraw, and the re-opening of a
plan when an approved change request alters its order (R-1.6).

Every step is a conditional UPDATE … WHERE status = <the status the user saw>, taken from the
transition table (choices.TRANSITIONS): of two people acting at once, one wins and the other gets
WorkflowConflict. Each step writes an audit entry in the order's scope (the dossier's timeline)
and notifies the people concerned, in the same transaction (notify queues deliveries on commit)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind
from gendan.accounts.models import Department, User
from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.notifications.services import notify

from ..choices import OPEN_VERSION_STATES, STEP_ACTION, TRANSITIONS, Step, VersionStatus
from ..models import Plan, PlanVersion

V = VersionStatus
REASON_MAX = 500


def version_url(version: PlanVersion) -> str:
    return reverse("planning:version_approval", args=[version.pk])


def version_for(actor, version_id: int, step: str) -> PlanVersion:
    """The version a step acts on, if `actor` may take it: PermissionDenied if he may not,
    PlanVersion.DoesNotExist if there is no such version."""
    versions = PlanVersion.objects.select_related("plan__order__merchandiser", "submitted_by")
    return versions.get_for(actor, STEP_ACTION[step], pk=version_id)


def _departments(*kinds: str) -> list[Department]:
    return list(Department.objects.filter(kind__in=kinds))


def _members(departments: list[Department]) -> list[User]:
    return list(User.objects.filter(department__in=departments, is_active=True))


def _audit(actor, version: PlanVersion, action: str, note: Any = "", changes=None) -> None:
    audit_record(
        actor=actor,
        obj=version,
        action=action,
        changes=changes or {},
        note=note,
        scope=f"order:{version.plan.order_id}",
    )


def move_version(
    *, actor, version: PlanVersion, to: str, step: str, reason: Any = "", extra: dict | None = None
) -> PlanVersion:
    """Move a version to `to` by `step` if the table allows it from the status the caller saw."""
    expected = version.status
    if TRANSITIONS.get(expected, {}).get(to) != step:
        raise WorkflowConflict(
            _("A plan version that is “%(current)s” cannot become “%(target)s”.")
            % {"current": V(expected).label, "target": V(to).label}
        )
    won = PlanVersion.objects.filter(pk=version.pk, status=expected).update(status=to, **(extra or {}))
    if not won:
        current = PlanVersion.objects.filter(pk=version.pk).values_list("status", flat=True).first()
        raise WorkflowConflict(
            _("Someone else changed plan %(version)s first (it is now “%(status)s”); reload and try again.")
            % {"version": version, "status": V(current).label if current else "?"}
        )
    _audit(
        actor,
        version,
        f"plan_{to}",
        note=_version_note(version.number, reason),
        changes={"status": [expected, to]},
    )
    version.refresh_from_db()
    return version


def _version_note(number: int, reason: Any):
    """The timeline's note: which version, and why (a lazy reason is worded in each language)."""

    def note() -> str:
        text = _("Version %(n)s") % {"n": number}
        why = reason() if callable(reason) else reason
        return f"{text}: {why}" if why else text

    return note


def unacknowledged_warnings(version: PlanVersion) -> list[dict]:
    return [w for w in (version.warnings or []) if isinstance(w, dict) and not w.get("acknowledged_by")]


def plan_submit(*, actor, version_id: int) -> PlanVersion:
    """The planner submits a draft to the order's merchandiser. Every warning of the checks must
    have been acknowledged first; a version that places nothing cannot be submitted. A version of
    the same plan still waiting for approval is withdrawn: the newer one replaces it."""
    with transaction.atomic():
        version = version_for(actor, version_id, Step.SUBMIT)
        if version.status != V.DRAFT:
            raise WorkflowConflict(
                _("Only a draft can be submitted; plan %(version)s is “%(status)s”.")
                % {"version": version, "status": version.get_status_display()}
            )
        if not version.operations.exists():
            raise ValidationError(
                {"operations": _("This plan places no operation: there is nothing to approve.")}
            )
        open_warnings = unacknowledged_warnings(version)
        if open_warnings:
            raise ValidationError(
                {
                    "warnings": _(
                        "%(count)s warning(s) of the checks are not acknowledged: acknowledge each before submitting."
                    )
                    % {"count": len(open_warnings)}
                }
            )
        for older in PlanVersion.objects.filter(plan_id=version.plan_id, status=V.SUBMITTED).exclude(
            pk=version.pk
        ):
            older.plan = version.plan
            move_version(
                actor=actor,
                version=older,
                to=V.WITHDRAWN,
                step=Step.WITHDRAW,
                reason=lambda n=version.number: _("Replaced by version %(n)s") % {"n": n},
            )
        version = move_version(
            actor=actor,
            version=version,
            to=V.SUBMITTED,
            step=Step.SUBMIT,
            extra={"submitted_by": actor, "submitted_at": timezone.now(), "decided_by": None, "reason": ""},
        )
        order = version.plan.order
        submitter = _name(actor)
        notify(
            event="plan.submitted",
            recipients=[u for u in [order.merchandiser] if u is not None],
            title=lambda lang, v=str(version): _("Plan %(version)s waits for your approval") % {"version": v},
            body=lambda lang, n=submitter: _("Submitted by %(name)s.") % {"name": n},
            url=version_url(version),
            obj=version,
        )
    return version


def _name(user) -> str:
    if user is None:
        return "—"
    return getattr(user, "display_name", "") or user.get_username()


def plan_approve(*, actor, version_id: int) -> PlanVersion:
    """The order's merchandiser approves a submitted version: it is in force from now, the one in
    force before is superseded, and the plan is no longer re-opened."""
    with transaction.atomic():
        version = version_for(actor, version_id, Step.APPROVE)
        plan = Plan.objects.select_for_update().get(pk=version.plan_id)
        version = move_version(
            actor=actor,
            version=version,
            to=V.APPROVED,
            step=Step.APPROVE,
            extra={"decided_by": actor, "decided_at": timezone.now(), "reason": ""},
        )
        previous = PlanVersion.objects.filter(plan=plan, status=V.APPROVED).exclude(pk=version.pk)
        for old in previous.select_related("plan"):
            move_version(
                actor=actor,
                version=old,
                to=V.SUPERSEDED,
                step=Step.SUPERSEDE,
                reason=lambda n=version.number: _("Superseded by version %(n)s") % {"n": n},
            )
        Plan.objects.filter(pk=plan.pk).update(
            in_force=version, reopened_at=None, reopened_reason="", updated_at=timezone.now()
        )
        version.refresh_from_db()
        production = _departments(DepartmentKind.PRODUCTION)
        followers = _departments(DepartmentKind.PURCHASING, DepartmentKind.QUALITY)

        def title(lang, v=str(version)):
            return _("Plan %(version)s approved: it is in force") % {"version": v}

        submitter = [u for u in [version.submitted_by] if u is not None]
        notify(
            event="plan.decided",
            recipients=[u for u in submitter + _members(production) if u.pk != actor.pk],
            departments=production,
            title=title,
            url=version_url(version),
            obj=version,
        )
        # Materials and checks follow the plan in force: purchasing buys for it, quality inspects.
        notify(
            event="plan.approved",
            recipients=[u for u in _members(followers) if u.pk != actor.pk],
            departments=followers,
            title=title,
            url=version_url(version),
            obj=version,
        )
    return version


def plan_reject(*, actor, version_id: int, reason: str) -> PlanVersion:
    """The order's merchandiser rejects a submitted version, saying why; the planner revises."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the plan is rejected.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": REASON_MAX}})
    with transaction.atomic():
        version = version_for(actor, version_id, Step.REJECT)
        version = move_version(
            actor=actor,
            version=version,
            to=V.REJECTED,
            step=Step.REJECT,
            reason=reason,
            extra={"decided_by": actor, "decided_at": timezone.now(), "reason": reason},
        )
        production = _departments(DepartmentKind.PRODUCTION)
        submitter = [u for u in [version.submitted_by] if u is not None]
        notify(
            event="plan.decided",
            recipients=[u for u in submitter + _members(production) if u.pk != actor.pk],
            departments=production,
            title=lambda lang, v=str(version): _("Plan %(version)s rejected") % {"version": v},
            body=reason,
            url=version_url(version),
            obj=version,
        )
    return version


def plan_withdraw(*, actor, version_id: int, reason: str = "") -> PlanVersion:
    """The planner takes back a draft or a submitted version (it stays readable)."""
    reason = (reason or "").strip()[:REASON_MAX]
    with transaction.atomic():
        version = version_for(actor, version_id, Step.WITHDRAW)
        was_submitted = version.status == V.SUBMITTED
        version = move_version(
            actor=actor, version=version, to=V.WITHDRAWN, step=Step.WITHDRAW, reason=reason
        )
        order = version.plan.order
        if was_submitted and order.merchandiser_id and order.merchandiser_id != actor.pk:
            notify(
                event="plan.submitted",
                recipients=[order.merchandiser],
                title=lambda lang, v=str(version): (
                    _("Plan %(version)s was withdrawn: no approval needed") % {"version": v}
                ),
                url=version_url(version),
                obj=version,
            )
    return version


def plan_reopen(
    *, actor, order, reason: str, withdraw_open: bool = False, reopen: bool = True
) -> Plan | None:
    """An approved change request altered the order (R-1.6, R-2.4): its plan is re-opened for the
    planners (the version in force stays in force until a new one is approved). An order put on
    hold or cancelled also loses its drafts and versions waiting for approval. Called by the
    orders app's hook inside the approval's transaction; an order without a plan has nothing to
    re-open (it is still to plan)."""
    plan = Plan.objects.select_for_update().filter(order_id=order.pk).first()
    if plan is None:
        return None
    if withdraw_open:
        for version in PlanVersion.objects.filter(plan=plan, status__in=OPEN_VERSION_STATES).select_related(
            "plan"
        ):
            move_version(actor=actor, version=version, to=V.WITHDRAWN, step=Step.WITHDRAW, reason=reason)
    if not reopen:
        Plan.objects.filter(pk=plan.pk).update(reopened_at=None, reopened_reason="")
        return plan
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(reopened_at=now, reopened_reason=reason[:300], updated_at=now)
    plan.refresh_from_db()
    audit_record(actor=actor, obj=plan, action="plan_reopened", note=reason, scope=f"order:{order.pk}")
    production = _departments(DepartmentKind.PRODUCTION)
    notify(
        event="plan.reopened",
        recipients=[u for u in _members(production) if actor is None or u.pk != actor.pk],
        departments=production,
        title=lambda lang, n=order.number: (
            _("Plan of order %(number)s re-opened: please re-plan") % {"number": n}
        ),
        body=reason,
        url=reverse("planning:plan_versions", args=[order.pk]),
        obj=plan,
    )
    return plan
