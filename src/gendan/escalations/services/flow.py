"""An escalation's life (R-4.4): raised (by rule or by hand, with a reason), told to the people at
its level and the responsible department's chat group, acknowledged by one of them (of two at once
one wins), passed up to the next level when nobody acknowledged in the level's time, closed with
its issue. Every step is a conditional UPDATE on the escalation's own row, audited on the order."""

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind, Role
from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.issues.choices import OPEN_STATES, IssueStatus
from gendan.issues.models import Issue

from ..choices import LIVE_STATES, ROLE_RANK, EscalationStatus, LevelRole, ReasonKind, Step
from ..models import Escalation, Ladder, LadderLevel, Rule
from ..querysets import involved, sees_all

REASON_MAX = 1000
E = EscalationStatus


def scope_of(issue: Issue) -> str:
    return f"order:{issue.order_id}" if issue.order_id else ""


def _audit(actor, escalation: Escalation, step: str, *, changes: dict | None = None, note: Any = ""):
    audit_record(
        actor=actor,
        obj=escalation,
        action=f"escalation:{step}",
        changes=changes or {},
        note=note,
        scope=scope_of(escalation.issue),
    )


# ------------------------------------------------------------------ the ladder


def active_levels(ladder: Ladder) -> list[LadderLevel]:
    return list(ladder.levels.filter(is_archived=False).order_by("position", "pk"))


def next_level(level: LadderLevel) -> LadderLevel | None:
    return (
        LadderLevel.objects.filter(ladder_id=level.ladder_id, is_archived=False, position__gt=level.position)
        .order_by("position", "pk")
        .first()
    )


def default_ladder() -> Ladder:
    ladder = Ladder.objects.filter(is_default=True, is_archived=False).first()
    if ladder is None or not active_levels(ladder):
        raise ValidationError(_("No default escalation ladder with levels is set up; ask management."))
    return ladder


def level_people(role: str, issue: Issue) -> list:
    """Who is told at a level: the responsible department's manager; the managers of the production
    departments; the managers of the management departments. Where a level finds nobody (no manager
    recorded), management is told, so an escalation never reaches no one."""
    User = apps.get_model("accounts", "User")
    Department = apps.get_model("accounts", "Department")
    people: list = []
    if role == LevelRole.DEPARTMENT_MANAGER:
        dept = issue.responsible_department
        if dept is not None and dept.manager_id:
            people = [dept.manager]
    else:
        kind = (
            DepartmentKind.PRODUCTION if role == LevelRole.PRODUCTION_MANAGER else DepartmentKind.MANAGEMENT
        )
        managers = Department.objects.filter(kind=kind, is_archived=False, manager__isnull=False)
        people = list(User.objects.filter(pk__in=managers.values("manager_id")).order_by("pk"))
    people = [p for p in people if p.is_active]
    if not people:
        people = list(User.objects.filter(role=Role.MANAGEMENT, is_active=True).order_by("pk"))
    return people


# ------------------------------------------------------------------ raising


def _pass_up(actor, live: Escalation, note: Any) -> None:
    """The live escalation is superseded by a higher one (or climbs): of two at once, one wins."""
    won = Escalation.objects.filter(pk=live.pk, status=live.status).update(status=E.CLIMBED, climbs_at=None)
    if not won:
        raise WorkflowConflict(
            _("Someone else changed the escalation of issue %(number)s first; reload and try again.")
            % {"number": live.issue.number}
        )
    _audit(actor, live, Step.CLIMB, changes={"status": [live.status, E.CLIMBED]}, note=note)


def create_escalation(
    *,
    actor,
    issue: Issue,
    level: LadderLevel,
    reason_kind: str,
    reason: str,
    rule: Rule | None = None,
    climbed_from: Escalation | None = None,
    fingerprint: str = "",
    now: dt.datetime | None = None,
    climbed: bool = False,
) -> Escalation:
    """Insert the escalation at `level`, tell its people and the responsible department's robots.
    Call inside a transaction; the unique constraints refuse a second live one or a repeated rule."""
    now = now or timezone.now()
    above = next_level(level)
    escalation = Escalation(
        issue=issue,
        ladder_id=level.ladder_id,
        level=level,
        role=level.role,
        status=E.OPEN,
        reason_kind=reason_kind,
        rule=rule,
        reason=reason,
        fingerprint=fingerprint,
        climbed_from=climbed_from,
        raised_by=actor,
        created_at=now,
        climbs_at=now + dt.timedelta(hours=level.climb_hours) if above is not None else None,
    )
    escalation.save(force_insert=True)
    people = level_people(level.role, issue)
    escalation.notified.set(people)
    _audit(
        actor,
        escalation,
        Step.RAISE,
        changes={"role": [None, level.role], "status": [None, E.OPEN]},
        note=reason[:300],
    )
    _notify(escalation, people, climbed=climbed)
    return escalation


def live_of(issue_id: int) -> Escalation | None:
    return (
        Escalation.objects.select_related("issue", "level")
        .filter(issue_id=issue_id, status__in=LIVE_STATES)
        .first()
    )


def involved_issues(actor):
    if actor is None or sees_all(actor):
        return Issue.objects.all()
    return Issue.objects.filter(involved(actor))


def escalation_raise(*, actor, issue_id: int, reason: str, level_id: int | None = None) -> Escalation:
    """Escalate an issue by hand, with a reason: whoever is involved in it. It goes to the next level
    above its live escalation (or the default ladder's first level), or to the level chosen."""
    require(actor, Escalation, "add")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the issue is escalated.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": REASON_MAX}})
    issue = Issue.objects.select_related("order", "responsible_department").filter(pk=issue_id).first()
    if issue is None or not Issue.objects.restrict(actor, "view").filter(pk=issue_id).exists():
        raise Issue.DoesNotExist
    if not involved_issues(actor).filter(pk=issue_id).exists():
        raise PermissionDenied(_("Only someone involved in the issue escalates it."))
    if issue.status not in OPEN_STATES:
        raise ValidationError(_("A closed issue is not escalated."))
    with transaction.atomic():
        live = live_of(issue.pk)
        ladder = live.ladder if live is not None else default_ladder()
        levels = active_levels(ladder)
        floor = ROLE_RANK[live.role] if live is not None else 0
        candidates = [lv for lv in levels if ROLE_RANK[lv.role] > floor]
        if level_id is not None:
            chosen = [lv for lv in candidates if lv.pk == level_id]
            if not chosen:
                raise ValidationError({"level": _("Choose a level above the escalation's current one.")})
            level = chosen[0]
        elif candidates:
            level = candidates[0]
        else:
            raise ValidationError(_("This issue is already escalated to the top of its ladder."))
        if live is not None:
            _pass_up(actor, live, reason[:300])
        try:
            with transaction.atomic():
                return create_escalation(
                    actor=actor,
                    issue=issue,
                    level=level,
                    reason_kind=ReasonKind.HAND,
                    reason=reason,
                    climbed_from=live,
                )
        except IntegrityError:
            raise WorkflowConflict(
                _("Issue %(number)s was escalated by someone else at the same time; reload.")
                % {"number": issue.number}
            ) from None


# ------------------------------------------------------------------ acknowledging, climbing, closing


def escalation_acknowledge(*, actor, escalation_id: int, note: str = "") -> Escalation:
    """One of the people told at the level takes it on; of two acknowledging at once, one wins."""
    note = (note or "").strip()
    if len(note) > REASON_MAX:
        raise ValidationError({"note": _("At most %(n)s characters.") % {"n": REASON_MAX}})
    with transaction.atomic():
        escalation = Escalation.objects.select_related("issue").get_for(
            actor, "acknowledge", pk=escalation_id
        )
        now = timezone.now()
        won = Escalation.objects.filter(pk=escalation.pk, status=E.OPEN).update(
            status=E.ACKNOWLEDGED,
            acknowledged_by=actor,
            acknowledged_at=now,
            acknowledgement=note,
            climbs_at=None,
        )
        if not won:
            current = Escalation.objects.filter(pk=escalation.pk).values_list("status", flat=True).first()
            raise WorkflowConflict(
                _("This escalation is already “%(status)s”; reload.")
                % {"status": E(current).label if current else "?"}
            )
        _audit(actor, escalation, Step.ACKNOWLEDGE, changes={"status": [E.OPEN, E.ACKNOWLEDGED]}, note=note)
        escalation.refresh_from_db()
    return escalation


def escalations_climb(*, now: dt.datetime | None = None) -> int:
    """Each escalation nobody acknowledged in its level's time goes to the next level (at the top
    it stays). The conditional UPDATE claims it, so two workers pass it up once."""
    now = now or timezone.now()
    due = list(
        Escalation.objects.filter(status=E.OPEN, climbs_at__lte=now)
        .select_related("issue", "level", "issue__responsible_department", "issue__order")
        .order_by("climbs_at", "pk")
    )
    count = 0
    for escalation in due:
        with transaction.atomic():
            if escalation.issue.status == IssueStatus.CLOSED:
                continue  # closed with its issue below
            above = next_level(escalation.level)
            if above is None:
                Escalation.objects.filter(pk=escalation.pk, status=E.OPEN).update(climbs_at=None)
                continue
            won = Escalation.objects.filter(pk=escalation.pk, status=E.OPEN, climbs_at__lte=now).update(
                status=E.CLIMBED, climbs_at=None
            )
            if not won:
                continue
            hours = escalation.level.climb_hours
            _audit(
                None,
                escalation,
                Step.CLIMB,
                changes={"status": [E.OPEN, E.CLIMBED]},
                note=lambda h=hours: _("Not acknowledged within %(n)s hours.") % {"n": h},
            )
            create_escalation(
                actor=None,
                issue=escalation.issue,
                level=above,
                reason_kind=escalation.reason_kind,
                rule=escalation.rule,
                reason=escalation.reason,
                climbed_from=escalation,
                now=now,
                climbed=True,
            )
            count += 1
    return count


def issues_closed_listener(*, actor, issue_ids: list[int]) -> None:
    """The issue register's close hook (issues.hooks): an issue closed closes its escalations."""
    escalations_close(issue_ids=issue_ids, actor=actor)


def escalations_close(*, now: dt.datetime | None = None, issue_ids=None, actor=None) -> int:
    """Closing an issue closes its escalations: at once, from the issue register's close hook
    (`actor` is who closed the issue), and every few minutes for any the hook did not reach."""
    now = now or timezone.now()
    rows = Escalation.objects.filter(status__in=LIVE_STATES, issue__status=IssueStatus.CLOSED)
    if issue_ids is not None:
        rows = rows.filter(issue_id__in=issue_ids)
    count = 0
    for escalation in rows.select_related("issue"):
        with transaction.atomic():
            won = Escalation.objects.filter(pk=escalation.pk, status=escalation.status).update(
                status=E.CLOSED, closed_at=now, climbs_at=None
            )
            if won:
                _audit(
                    actor,
                    escalation,
                    Step.CLOSE,
                    changes={"status": [escalation.status, E.CLOSED]},
                    note=lambda n=escalation.issue.number: _("Issue %(number)s was closed.") % {"number": n},
                )
                count += 1
    return count


# ------------------------------------------------------------------ telling people


def _notify(escalation: Escalation, people: list, *, climbed: bool) -> None:
    from gendan.notifications.services import notify

    issue = escalation.issue
    number, title, role = issue.number, issue.title, escalation.role
    reason = escalation.reason

    def heading(lang):
        words = {"number": number, "title": title, "role": LevelRole(role).label}
        if climbed:
            return _("Issue %(number)s passed up to %(role)s (nobody acknowledged): %(title)s") % words
        return _("Issue %(number)s escalated to %(role)s: %(title)s") % words

    notify(
        event="escalation.climbed" if climbed else "escalation.raised",
        recipients=people,
        departments=[issue.responsible_department] if issue.responsible_department_id else [],
        title=heading,
        body=lambda lang: _("Reason: %(reason)s. Please acknowledge.") % {"reason": reason},
        url=reverse("escalations:detail", args=[escalation.pk]),
        obj=escalation,
    )
