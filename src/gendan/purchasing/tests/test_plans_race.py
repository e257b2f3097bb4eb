# ruff: noqa: F811 - the fixtures come from plans_setup
"""Two people acting on a purchase plan at once: conditional updates decide who wins."""

import pytest

from gendan.core.exceptions import WorkflowConflict
from gendan.purchasing.choices import Decision, PlanLineStatus, PlanStatus
from gendan.purchasing.models import PlanLineDecision, PurchasePlan, PurchasePlanLine
from gendan.purchasing.services.plans_flow import plan_approve_mine, plan_line_decide, plan_submit
from gendan.testing import race

from .plans_setup import buying, drafted, line_of  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_decision_twice_at_once_is_taken_once(buying, drafted, users):
    plan_submit(actor=users["purchasing"], plan_id=drafted.pk)
    seal = line_of(drafted, buying.seal)
    results = race(
        2, lambda i: plan_line_decide(actor=users["merchandiser"], line=seal.pk, approve=i == 0, reason="x")
    )
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1
    decision = PlanLineDecision.objects.get(line=seal)
    assert decision.decision != Decision.PENDING
    expected = PlanLineStatus.APPROVED if decision.decision == Decision.APPROVED else PlanLineStatus.REJECTED
    assert PurchasePlanLine.objects.get(pk=seal.pk).status == expected


def test_two_merchandisers_approving_the_last_rows_at_once_decide_the_line_and_the_plan(
    buying, drafted, users
):
    plan_submit(actor=users["purchasing"], plan_id=drafted.pk)
    plan_line_decide(actor=users["merchandiser"], line=line_of(drafted, buying.seal).pk, approve=True)
    plan_line_decide(actor=users["management"], line=line_of(drafted, buying.bolt).pk, approve=True)
    steel = line_of(drafted, buying.steel)
    people = [users["merchandiser"], buying.m2]
    results = race(2, lambda i: plan_approve_mine(actor=people[i], plan_id=drafted.pk))
    assert results == [1, 1]
    assert PurchasePlanLine.objects.get(pk=steel.pk).status == PlanLineStatus.APPROVED
    assert PurchasePlan.objects.get(pk=drafted.pk).status == PlanStatus.DECIDED


def test_two_purchasers_submitting_at_once_ask_once(buying, drafted, users):
    results = race(2, lambda i: plan_submit(actor=users["purchasing"], plan_id=drafted.pk))
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1
    assert PlanLineDecision.objects.count() == 4
