"""Escalations' "delivery at risk" rule reads this assessment: the days an order's delivery is
expected late, whatever makes it late (its schedule, late material, a line past its date)."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.escalations.choices import RuleKind
from gendan.escalations.models import Escalation
from gendan.escalations.services.rules import escalations_by_rule, issue_facts
from gendan.escalations.tests.conftest import Setup
from gendan.issues.models import Issue
from gendan.risk.services import order_lateness

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def late_material(f, order):
    """Short of a material a PO line brings on day 12, needed on day 4; the plan finishes day 8."""
    f.operations(order)
    f.shortage(f.plan(order, finish_in_days=8), covered_in_days=12, need_in_days=4)


def test_late_material_and_an_overdue_line_count_as_days_late(f):
    material = f.order(due_in_days=10)
    late_material(f, material)
    overdue = f.order(due_in_days=-4)
    fine = f.order(due_in_days=40)
    f.operations(fine)
    f.plan(fine, finish_in_days=20)

    late = order_lateness([material.pk, overdue.pk, fine.pk], timezone.localdate())

    # Material 8 days after its need date, the plan's 4 days of work after it: day 16, 6 days late.
    assert late == {material.pk: 6, overdue.pk: 4}


def test_the_rule_escalates_an_issue_of_an_order_late_by_its_material(f, make, users, departments):
    s = Setup(make, users, departments)
    s.rule(RuleKind.DELIVERY_RISK, threshold=3, level=2)
    order = f.order(due_in_days=10)
    late_material(f, order)
    issue = s.issue(order=order)

    rows = list(
        Issue.objects.filter(pk=issue.pk).values(
            "pk",
            "severity",
            "due_date",
            "order_id",
            "responsible_department_id",
            "opened_by__department_id",
            "owner__department_id",
        )
    )
    assert issue_facts(rows, today=timezone.localdate())[issue.pk].days_late == 6
    escalations_by_rule()
    escalation = Escalation.objects.get()
    assert escalation.issue == issue and "6" in escalation.reason
