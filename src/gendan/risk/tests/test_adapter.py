"""The adapter reads the engine's input from the real records: the plan in force's finish per line,
the good units at the line's last operation, the kit check's shortages covered by a PO line's
confirmed date, and the order's open issues; in a number of queries that does not grow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.engine import delivery_risk as dr
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order
from gendan.planning.models import PlanMaterial
from gendan.planning.services.checks import kit_recheck
from gendan.purchasing.tests.po_rows import po_line
from gendan.risk.adapter import engine_orders
from gendan.risk.services import assess_orders

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _one(order) -> dr.Order:
    (result,) = engine_orders(Order.objects.filter(pk=order.pk))
    return result


def test_planned_finish_and_produced_come_from_the_plan_in_force_and_the_last_operation(f):
    order = f.order(quantity=100, due_in_days=30)
    ops = f.operations(order)
    f.plan(order, finish_in_days=20)
    f.report(ops[0], good=100, finished=True)
    f.report(ops[2], good=40)  # the last operation: 40 good units so far

    (line,) = _one(order).lines

    assert line.number == 1 and line.quantity == 100 and line.delivery_date == days(30)
    assert line.produced == Decimal(40)
    assert line.planned_finish == timezone.localdate(timezone.now() + dt.timedelta(days=20))
    assert line.delivered == 0


def test_a_shortage_is_covered_on_the_po_lines_confirmed_date(f, make, users):
    order = f.order(due_in_days=30)
    f.operations(order)
    version = f.plan(order, finish_in_days=20)
    short = f.shortage(version, covered_in_days=None, need_in_days=5)
    # The supplier confirmed the PO line for day 12 (its delivery date was day 8).
    po_line(
        make=make,
        actor=users["purchasing"],
        material=short.material,
        quantity=500,
        delivery=days(8),
        expected=days(12),
        status="confirmed",
    )
    kit_recheck(version)  # what purchasing's tracking runs when a PO line's date moves
    short.refresh_from_db()
    assert short.shortage > 0 and short.covered_on == days(12)

    (line,) = _one(order).lines

    assert line.shortages == (dr.Shortage(short.material.code, days(5), days(12)),)
    (risk,) = assess_orders(Order.objects.filter(pk=order.pk))
    assert ["material_late", {"line": 1, "material": short.material.code, "days": 7}] in risk.reasons


def test_a_shortage_without_cover_is_uncovered_and_a_material_counts_once_per_line(f, make):
    order = f.order(due_in_days=30)
    f.operations(order)
    version = f.plan(order, finish_in_days=20)
    uncovered = f.shortage(version, covered_in_days=None)
    twice = f.shortage(version, covered_in_days=9, need_in_days=5)
    again = f.shortage(version, covered_in_days=9, need_in_days=7)  # the same material, needed later
    PlanMaterial.objects.filter(pk=again.pk).update(material=twice.material)

    (line,) = _one(order).lines

    assert sorted(line.shortages, key=lambda s: s.material) == sorted(
        [
            dr.Shortage(uncovered.material.code, days(5), None),
            dr.Shortage(twice.material.code, days(5), days(9)),  # 4 days late: worse than 2
        ],
        key=lambda s: s.material,
    )


def test_open_issues_with_their_due_dates_closed_ones_left_out(f):
    order = f.order(due_in_days=30)
    late = f.issue(order, severity="high")
    late.due_date = days(-3)
    late.save(update_fields=["due_date"])
    f.issue(order, severity="critical", status="closed")

    (issue,) = _one(order).issues

    assert issue == dr.OrderIssue(late.number, "high", days(-3))
    (risk,) = assess_orders(Order.objects.filter(pk=order.pk))
    assert risk.level == "at_risk"
    assert ["issue_overdue", {"number": late.number, "severity": "high", "days": 3}] in risk.reasons


def test_orders_not_open_are_not_assessed_and_lines_without_a_date_are_left_out(f):
    draft = f.order(status=OrderStatus.DRAFT)
    delivered = f.order(status=OrderStatus.DELIVERED)
    undated = f.order()
    undated.lines.update(delivery_date=None)

    rows = assess_orders(Order.objects.filter(pk__in=[draft.pk, delivered.pk, undated.pk]))

    assert [r.order_id for r in rows] == [undated.pk]
    assert rows[0].level == "on_track" and rows[0].delivery_date is None


def _queries(orders) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assess_orders(orders)
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_orders(f):
    def add(n):
        for _ in range(n):
            order = f.order()
            ops = f.operations(order)
            f.shortage(f.plan(order), covered_in_days=9)
            f.report(ops[2], good=10)
            f.issue(order)

    add(2)
    few = _queries(Order.objects.all())
    add(8)
    assert _queries(Order.objects.all()) == few


def test_a_line_its_plan_in_force_does_not_place_finishes_with_the_plan(f):
    order = f.order(due_in_days=30)
    version = f.plan(order, finish_in_days=33)  # no operations placed: the version's finish
    (line,) = _one(order).lines
    assert line.planned_finish == timezone.localdate(version.planned_finish)
