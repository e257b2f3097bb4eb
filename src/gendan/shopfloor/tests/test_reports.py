"""What a report does: running totals, the operation's status, the order moves to in production,
the plan in force freezes the operation; a wrong report is reversed, never edited."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.orders.choices import OrderStatus
from gendan.planning.models import PlannedOperation
from gendan.shopfloor.models import ProductionReport
from gendan.shopfloor.services import report_create, report_reverse

pytestmark = pytest.mark.django_db


def test_a_report_adds_to_the_totals_and_starts_the_operation(shop, leader):
    p = shop.planned_order()
    reason = shop.reason()
    report_create(
        actor=leader,
        operation_id=p.ops[0].pk,
        good_qty="40",
        scrap_qty="2",
        scrap_reason_id=reason.pk,
        hours="6.5",
        people=2,
    )
    report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="10", hours="1")
    p.refresh()
    op = p.ops[0]
    assert (op.good_qty, op.scrap_qty, op.hours) == (Decimal(50), Decimal(2), Decimal("7.5"))
    assert op.status == "started" and op.started_at is not None and op.finished_at is None
    assert op.work_centre == p.work_centre


def test_ticking_finished_finishes_the_operation(shop, leader):
    p = shop.planned_order()
    report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="100", finished=True)
    p.refresh()
    assert p.ops[0].status == "finished" and p.ops[0].finished_at is not None


def test_the_first_report_moves_the_order_to_in_production(shop, leader):
    p = shop.planned_order()
    report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="1")
    p.refresh()
    assert p.order.status == OrderStatus.IN_PRODUCTION
    assert AuditEntry.objects.filter(scope=p.order.scope, action="status:in_production").count() == 1
    report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="1")
    assert AuditEntry.objects.filter(scope=p.order.scope, action="status:in_production").count() == 1
    assert AuditEntry.objects.filter(scope=p.order.scope, action="report").count() == 2


def test_a_reported_operation_is_frozen_in_the_plan_in_force(shop, leader):
    p = shop.planned_order()
    report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="1")
    frozen = dict(PlannedOperation.objects.filter(version=p.version).values_list("operation_id", "frozen"))
    assert frozen == {p.ops[0].pk: True, p.ops[1].pk: False}


def test_a_reversal_is_a_new_report_that_restores_the_totals(shop, leader):
    p = shop.planned_order()
    reason = shop.reason()
    report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="10")
    wrong = report_create(
        actor=leader,
        operation_id=p.ops[0].pk,
        good_qty="50",
        scrap_qty="3",
        scrap_reason_id=reason.pk,
        hours="4",
        finished=True,
    )
    reversal = report_reverse(actor=leader, report_id=wrong.pk, reason="录错了")
    p.refresh()
    op = p.ops[0]
    assert (op.good_qty, op.scrap_qty, op.hours) == (Decimal(10), Decimal(0), Decimal(0))
    assert op.status == "started" and op.finished_at is None
    assert reversal.reverses == wrong and reversal.good_qty == Decimal(-50) and reversal.remarks == "录错了"
    wrong.refresh_from_db()
    assert wrong.good_qty == Decimal(50)  # the original stays as it was
    assert AuditEntry.objects.filter(scope=p.order.scope, action="report_reversed").count() == 1


def test_a_report_is_reversed_once_and_a_reversal_never(shop, leader):
    p = shop.planned_order()
    report = report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="10")
    reversal = report_reverse(actor=leader, report_id=report.pk, reason="错")
    with pytest.raises(WorkflowConflict):
        report_reverse(actor=leader, report_id=report.pk, reason="再来")
    with pytest.raises(WorkflowConflict):
        report_reverse(actor=leader, report_id=reversal.pk, reason="再来")
    assert ProductionReport.objects.count() == 2
    p.refresh()
    assert p.ops[0].good_qty == 0


def test_a_reversal_is_refused_while_the_next_step_has_used_what_it_passed_on(shop, leader):
    p = shop.planned_order()
    first = report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="60")
    report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="20")
    report_create(actor=leader, operation_id=p.ops[1].pk, good_qty="50")
    with pytest.raises(WorkflowConflict) as exc:
        report_reverse(actor=leader, report_id=first.pk, reason="录错了")
    assert "50" in str(exc.value) and "20" in str(exc.value)  # what the next step has, what would pass
    p.refresh()
    assert p.ops[0].good_qty == Decimal(80) and ProductionReport.objects.count() == 3  # nothing changed
    # Once the next step's report is reversed, the first one may be too.
    later = ProductionReport.objects.get(operation=p.ops[1])
    report_reverse(actor=leader, report_id=later.pk, reason="先冲销后道")
    report_reverse(actor=leader, report_id=first.pk, reason="录错了")
    p.refresh()
    assert (p.ops[0].good_qty, p.ops[1].good_qty) == (Decimal(20), Decimal(0))


def test_a_reversal_needs_a_reason(shop, leader):
    p = shop.planned_order()
    report = report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="10")
    with pytest.raises(ValidationError) as exc:
        report_reverse(actor=leader, report_id=report.pk, reason="  ")
    assert "reason" in exc.value.message_dict
    assert ProductionReport.objects.count() == 1


def test_a_report_saves_in_a_constant_number_of_queries(shop, leader, django_assert_max_num_queries):
    # Planned from now: at 09:00 (the factory's default), an afternoon run finds the operation
    # hours behind and opens a delay issue, which is not what this counts.
    p = shop.planned_order(steps=4, start=timezone.now())
    report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="50")  # the order moves here
    with django_assert_max_num_queries(20):
        report_create(actor=leader, operation_id=p.ops[1].pk, good_qty="10", hours="1")


def test_scrap_over_the_allowance_opens_a_quality_issue_with_the_report(shop, leader):
    from gendan.issues.models import Issue

    p = shop.planned_order()
    reason = shop.reason()
    # 3 % allowance on the work centre: 2 scrapped of 100 is within it, 6 more of 50 is not.
    report_create(
        actor=leader, operation_id=p.ops[0].pk, good_qty="98", scrap_qty="2", scrap_reason_id=reason.pk
    )
    assert not Issue.objects.filter(operation=p.ops[0], kind="quality").exists()
    report_create(
        actor=leader, operation_id=p.ops[1].pk, good_qty="44", scrap_qty="6", scrap_reason_id=reason.pk
    )
    issue = Issue.objects.get(operation=p.ops[1], kind="quality")
    assert issue.order == p.order and issue.status == "open"
