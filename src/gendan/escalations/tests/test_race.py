"""Two people at once (on a file database): of two managers acknowledging, one wins; two workers
passing up or escalating by rule at the same moment do it once."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.models import Department
from gendan.core.exceptions import WorkflowConflict
from gendan.escalations.choices import EscalationStatus, RuleKind
from gendan.escalations.models import Escalation
from gendan.escalations.services import escalation_acknowledge, escalations_by_rule, escalations_climb
from gendan.testing import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_managers_acknowledging_at_once_one_wins(s, users, make):
    second = make.user(role="production", department=s.departments["production"])
    other = make.department(kind="production")
    Department.objects.filter(pk=other.pk).update(manager=second)
    s.rule(RuleKind.SEVERITY, min_severity="high", level=2)
    s.issue(severity="high")
    escalations_by_rule()
    escalation = Escalation.objects.get()
    people = [users["production"], second]

    def acknowledge(i):
        return escalation_acknowledge(actor=people[i], escalation_id=escalation.pk).acknowledged_by_id

    results = race(2, acknowledge)
    winners = [r for r in results if isinstance(r, int)]
    assert len(winners) == 1, results
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1, results
    assert Escalation.objects.get().acknowledged_by_id == winners[0]


def test_two_workers_escalate_and_pass_up_once(s):
    s.rule(RuleKind.SEVERITY, min_severity="high")
    s.issue(severity="high")
    now = timezone.now()
    race(2, lambda _i: escalations_by_rule(now=now))
    assert Escalation.objects.count() == 1
    later = now + dt.timedelta(hours=5)
    race(2, lambda _i: escalations_climb(now=later))
    assert Escalation.objects.count() == 2
    assert Escalation.objects.filter(status=EscalationStatus.OPEN).count() == 1
