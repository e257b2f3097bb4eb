"""Escalation by rule (R-4.4): severity, days past due, departments involved, delivery at risk;
once per issue and level, whatever the rules say later; a higher rule passes the escalation up."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.escalations.choices import EscalationStatus, LevelRole, ReasonKind, RuleKind
from gendan.escalations.models import Escalation
from gendan.escalations.services import escalations_by_rule, escalations_tick
from gendan.issues.services import issue_note_add
from gendan.notifications.models import Delivery, DepartmentWebhook, Notification
from gendan.planning.models import Plan, PlanVersion

pytestmark = pytest.mark.django_db


def test_a_high_issue_is_escalated_to_the_responsible_departments_manager(s, users):
    s.rule(RuleKind.SEVERITY, min_severity="high")
    robot = DepartmentWebhook.objects.create(
        department=s.departments["purchasing"],
        name="采购群",
        kind="wecom",
        url="https://qyapi.weixin.qq.com/x",
    )
    grave = s.issue(severity="high")
    s.issue(severity="medium")
    assert escalations_by_rule() == 1
    escalation = Escalation.objects.get()
    assert escalation.issue == grave and escalation.role == LevelRole.DEPARTMENT_MANAGER
    assert escalation.reason_kind == ReasonKind.RULE and escalation.status == EscalationStatus.OPEN
    assert list(escalation.notified.all()) == [users["purchasing"]]
    assert Notification.objects.filter(recipient=users["purchasing"], event="escalation.raised").exists()
    assert Delivery.objects.filter(webhook=robot, event="escalation.raised").count() == 1
    assert escalation.climbs_at == escalation.created_at + dt.timedelta(hours=4)


def test_an_issue_days_past_its_due_date_is_escalated(s):
    s.rule(RuleKind.OVERDUE, threshold=3)
    late = s.issue(due_date=s.past_due(5))
    s.issue(due_date=s.past_due(1))
    escalations_by_rule()
    assert list(Escalation.objects.values_list("issue", flat=True)) == [late.pk]
    assert "5" in Escalation.objects.get().reason


def test_an_issue_involving_several_departments_is_escalated(s, users):
    """Departments involved: the responsible one, the opener's, the owner's and every note writer's."""
    s.rule(RuleKind.DEPARTMENTS, threshold=3)
    issue = s.issue(actor=users["production"])  # purchasing responsible, production opened: 2
    escalations_by_rule()
    assert not Escalation.objects.exists()
    issue_note_add(actor=users["quality"], issue_id=issue.pk, text="来料抽检不合格")
    escalations_by_rule()
    assert Escalation.objects.get().issue == issue


def test_an_issue_on_an_order_whose_plan_finishes_late_is_escalated_to_the_production_manager(s, users):
    s.rule(RuleKind.DELIVERY_RISK, threshold=1, level=2)
    order = s.f.order()
    order.lines.update(delivery_date=timezone.localdate() + dt.timedelta(days=2))
    on_time = s.f.order()
    on_time.lines.update(delivery_date=timezone.localdate() + dt.timedelta(days=20))
    for o in (order, on_time):
        plan = Plan.objects.create(order=o)
        version = PlanVersion.objects.create(
            plan=plan,
            number=1,
            status="approved",
            planned_finish=timezone.now() + dt.timedelta(days=5),
        )
        Plan.objects.filter(pk=plan.pk).update(in_force=version)
    at_risk = s.issue(order=order)
    s.issue(order=on_time)
    escalations_by_rule()
    escalation = Escalation.objects.get()
    assert escalation.issue == at_risk and escalation.role == LevelRole.PRODUCTION_MANAGER
    assert list(escalation.notified.all()) == [users["production"]]
    assert Decimal(1) and "3" in escalation.reason


def test_a_rule_escalates_an_issue_to_a_level_once(s, users):
    s.rule(RuleKind.SEVERITY, min_severity="high")
    issue = s.issue(severity="critical")
    assert escalations_by_rule() == 1
    assert escalations_by_rule() == 0
    Escalation.objects.update(status=EscalationStatus.CLOSED)  # even after it was closed
    assert escalations_by_rule() == 0
    assert Escalation.objects.filter(issue=issue).count() == 1


def test_the_highest_matching_rule_wins_and_a_higher_one_later_passes_the_escalation_up(s, users):
    s.rule(RuleKind.SEVERITY, min_severity="high", level=1)
    s.rule(RuleKind.OVERDUE, threshold=3, level=3)
    issue = s.issue(severity="high", due_date=s.past_due(1))
    escalations_by_rule()
    first = Escalation.objects.get()
    assert first.role == LevelRole.DEPARTMENT_MANAGER
    type(issue).objects.filter(pk=issue.pk).update(due_date=s.past_due(4))
    escalations_by_rule()
    first.refresh_from_db()
    assert first.status == EscalationStatus.CLIMBED
    top = Escalation.objects.get(status=EscalationStatus.OPEN)
    assert top.role == LevelRole.GENERAL_MANAGER and top.climbed_from == first
    assert top.climbs_at is None  # the top of the ladder: it stays
    assert escalations_by_rule() == 0


def test_closed_issues_and_archived_rules_escalate_nothing(s, users):
    rule = s.rule(RuleKind.SEVERITY, min_severity="high")
    rule.is_archived = True
    rule.save()
    s.issue(severity="critical")
    assert escalations_tick()["raised"] == 0
