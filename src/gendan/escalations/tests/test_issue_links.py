"""Escalation and the issue register (R-4.4): closing an issue closes its live escalation at once
(through the register's close hook, not at the next tick), in the same transaction, audited as done
by who closed the issue; the issue's page lists its escalations, level by level, with who
acknowledged them."""

import pytest
from django.urls import reverse

from gendan.core.models import AuditEntry
from gendan.escalations.choices import EscalationStatus
from gendan.escalations.models import Escalation
from gendan.escalations.services import escalation_acknowledge, escalation_raise
from gendan.issues.services import issue_close, issue_resolve

pytestmark = pytest.mark.django_db


def test_closing_an_escalated_issue_closes_its_escalation_at_once(s, users):
    order = s.f.order()
    issue = s.issue(order=order, solution="换供应商")
    first = escalation_raise(actor=users["production"], issue_id=issue.pk, reason="供应商不回复")
    escalation_acknowledge(actor=users["purchasing"], escalation_id=first.pk, note="在跟")
    second = escalation_raise(actor=users["production"], issue_id=issue.pk, reason="还没好")
    issue_close(actor=users["merchandiser"], issue_id=issue.pk)
    second.refresh_from_db()
    assert second.status == EscalationStatus.CLOSED and second.closed_at is not None
    assert not Escalation.objects.filter(issue=issue, status__in=["open", "acknowledged"]).exists()
    closed = AuditEntry.objects.get(object_id=str(second.pk), action="escalation:close")
    assert closed.actor == users["merchandiser"] and closed.scope == f"order:{order.pk}"


def test_a_solved_issue_keeps_its_escalation_until_it_is_closed(s, users):
    issue = s.issue(order=s.f.order())
    raised = escalation_raise(actor=users["production"], issue_id=issue.pk, reason="交期紧")
    issue_resolve(actor=users["purchasing"], issue_id=issue.pk, solution="已补货")
    raised.refresh_from_db()
    assert raised.status == EscalationStatus.OPEN


def test_the_issue_page_lists_its_escalations_with_who_acknowledged(s, users, client_for):
    issue = s.issue(order=s.f.order())
    first = escalation_raise(actor=users["production"], issue_id=issue.pk, reason="供应商不回复")
    escalation_acknowledge(actor=users["purchasing"], escalation_id=first.pk, note="在跟")
    page = client_for("merchandiser").get(reverse("issues:issues_detail", args=[issue.pk])).content.decode()
    assert reverse("escalations:detail", args=[first.pk]) in page
    assert str(users["purchasing"]) in page  # who acknowledged it
    # The record link of escalation (all of the issue's, and escalating by hand) is there too.
    assert reverse("escalations:issue", args=[issue.pk]) in page
