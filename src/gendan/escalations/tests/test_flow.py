"""An escalation's life (R-4.4): passed up after the level's time with nobody acknowledging (at
the top it stays), acknowledged by one of the people told (of two at once, one wins), escalated by
hand with a reason by whoever is involved, closed with its issue, audited on the order's dossier."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gendan.accounts.models import Department
from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.escalations.choices import EscalationStatus, LevelRole, ReasonKind, RuleKind
from gendan.escalations.models import Escalation
from gendan.escalations.services import (
    escalation_acknowledge,
    escalation_raise,
    escalations_by_rule,
    escalations_climb,
    escalations_tick,
)
from gendan.issues.models import Issue
from gendan.notifications.models import Notification

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _raised(s, **kw):
    s.rule(RuleKind.SEVERITY, min_severity="high")
    issue = s.issue(severity="high", **kw)
    escalations_by_rule(now=NOW)
    return issue, Escalation.objects.get(issue=issue)


def test_nobody_acknowledging_passes_it_up_after_the_levels_time_and_at_the_top_it_stays(s, users):
    issue, first = _raised(s)
    assert escalations_climb(now=NOW + dt.timedelta(hours=3, minutes=59)) == 0
    assert escalations_climb(now=NOW + dt.timedelta(hours=4)) == 1
    first.refresh_from_db()
    assert first.status == EscalationStatus.CLIMBED
    second = first.climbed_to
    assert second.role == LevelRole.PRODUCTION_MANAGER and list(second.notified.all()) == [
        users["production"]
    ]
    assert second.climbs_at == NOW + dt.timedelta(hours=12)
    assert Notification.objects.filter(recipient=users["production"], event="escalation.climbed").exists()
    assert escalations_climb(now=NOW + dt.timedelta(hours=12)) == 1
    top = second.__class__.objects.get(climbed_from=second)
    assert top.role == LevelRole.GENERAL_MANAGER and top.climbs_at is None
    assert escalations_climb(now=NOW + dt.timedelta(days=30)) == 0
    assert Escalation.objects.filter(issue=issue, status=EscalationStatus.OPEN).count() == 1


def test_an_acknowledged_escalation_does_not_climb(s, users):
    _issue, first = _raised(s)
    escalation_acknowledge(actor=users["purchasing"], escalation_id=first.pk, note="今天处理")
    assert escalations_climb(now=NOW + dt.timedelta(days=2)) == 0
    first.refresh_from_db()
    assert first.status == EscalationStatus.ACKNOWLEDGED and first.acknowledged_by == users["purchasing"]


def test_of_two_acknowledging_at_once_one_wins(s, users, make):
    """Two production departments, two managers told at the production manager's level."""
    second_manager = make.user(role="production", department=s.departments["production"])
    other = make.department(kind="production")
    Department.objects.filter(pk=other.pk).update(manager=second_manager)
    s.rule(RuleKind.SEVERITY, min_severity="high", level=2)
    s.issue(severity="high")
    escalations_by_rule(now=NOW)
    escalation = Escalation.objects.get()
    assert set(escalation.notified.all()) == {users["production"], second_manager}
    escalation_acknowledge(actor=users["production"], escalation_id=escalation.pk)
    with pytest.raises(WorkflowConflict):
        escalation_acknowledge(actor=second_manager, escalation_id=escalation.pk)
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == users["production"]
    assert AuditEntry.objects.filter(action="escalation:acknowledge").count() == 1


def test_only_the_people_told_acknowledge(s, users):
    _issue, first = _raised(s)
    with pytest.raises(PermissionDenied):
        escalation_acknowledge(actor=users["quality"], escalation_id=first.pk)


def test_escalating_by_hand_needs_a_reason_and_goes_to_the_next_level(s, users):
    issue = s.issue()
    with pytest.raises(ValidationError) as caught:
        escalation_raise(actor=users["production"], issue_id=issue.pk, reason="  ")
    assert "reason" in caught.value.message_dict
    assert not Escalation.objects.exists()
    first = escalation_raise(actor=users["production"], issue_id=issue.pk, reason="供应商不回复")
    assert first.reason_kind == ReasonKind.HAND and first.raised_by == users["production"]
    assert first.role == LevelRole.DEPARTMENT_MANAGER
    higher = escalation_raise(actor=users["production"], issue_id=issue.pk, reason="仍无进展")
    assert higher.role == LevelRole.PRODUCTION_MANAGER and higher.climbed_from == first
    first.refresh_from_db()
    assert first.status == EscalationStatus.CLIMBED


def test_someone_not_involved_does_not_escalate(s, users):
    issue = s.issue()
    with pytest.raises(PermissionDenied):
        escalation_raise(actor=users["quality"], issue_id=issue.pk, reason="看到了")


def test_closing_the_issue_closes_its_escalations(s, users):
    issue, first = _raised(s, solution="换供应商")
    Issue.objects.filter(pk=issue.pk).update(status="closed", closed_at=timezone.now())
    assert escalations_tick(now=NOW)["closed"] == 1
    first.refresh_from_db()
    assert first.status == EscalationStatus.CLOSED and first.closed_at is not None
    assert escalations_climb(now=NOW + dt.timedelta(days=1)) == 0


def test_escalations_are_on_the_orders_timeline(s, users):
    order = s.f.order()
    issue = s.issue(order=order)
    escalation = escalation_raise(actor=users["production"], issue_id=issue.pk, reason="交期紧")
    escalation_acknowledge(actor=users["purchasing"], escalation_id=escalation.pk)
    actions = set(AuditEntry.objects.filter(scope=f"order:{order.pk}").values_list("action", flat=True))
    assert {"escalation:raise", "escalation:acknowledge"} <= actions


def test_a_level_without_a_manager_tells_management(s, users):
    Department.objects.filter(pk=s.departments["purchasing"].pk).update(manager=None)
    _issue, first = _raised(s)
    assert list(first.notified.all()) == [users["management"]]
