"""The plan list's states, the diff between two versions, and the home page panels."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils.translation import override

from gendan.core.attention import attention_for
from gendan.orders.choices import OrderStatus
from gendan.planning.choices import PlanState
from gendan.planning.choices import VersionStatus as V
from gendan.planning.models import Plan, PlannedOperation
from gendan.planning.selectors import late_by, plan_list, version_diff

pytestmark = pytest.mark.django_db


def _states(user):
    return {o.number: o.plan_state for o in plan_list(user=user)}


def test_each_order_is_under_the_tab_where_its_plan_stands(plans, users):
    to_plan = plans.order()
    draft = plans.version().plan.order
    waiting = plans.version(status=V.SUBMITTED).plan.order
    rejected = plans.version(status=V.REJECTED, reason="太晚").plan.order
    in_force = plans.version(status=V.APPROVED).plan.order
    reopened = plans.version(status=V.APPROVED).plan.order
    Plan.objects.filter(order=reopened).update(reopened_at="2026-01-01T00:00Z", reopened_reason="CR1")
    not_released = plans.order(status=OrderStatus.REVIEWED)
    cancelled = plans.version(plans.order(status=OrderStatus.CANCELLED)).plan.order
    states = _states(users["production"])
    assert states[to_plan.number] == PlanState.TO_PLAN
    assert states[draft.number] == PlanState.DRAFT
    assert states[waiting.number] == PlanState.SUBMITTED
    assert states[rejected.number] == PlanState.REJECTED
    assert states[in_force.number] == PlanState.IN_FORCE
    assert states[reopened.number] == PlanState.REOPENED
    assert not_released.number not in states and cancelled.number not in states
    only_rejected = plan_list(user=users["production"], filters={"state": "rejected"})
    assert [o.latest_reason for o in only_rejected] == ["太晚"]


def test_a_merchandiser_sees_only_his_orders_plans(plans, users, make):
    mine = plans.order()
    other = make.user(role="merchandiser")
    theirs = plans.order(merchandiser=other)
    states = _states(users["merchandiser"])
    assert mine.number in states and theirs.number not in states
    assert _states(users["warehouse"]) == {}


def test_the_diff_shows_moves_additions_removals_and_materials(plans, users, make):
    order = plans.order()
    old = plans.version(order, status=V.SUPERSEDED)
    new = plans.version(order, shift_hours=24)
    other_wc = make.work_centre()
    ops = list(PlannedOperation.objects.filter(version=new).order_by("operation__sequence"))
    ops[0].work_centre = other_wc
    ops[0].save()
    ops[1].quantity = Decimal("60")
    ops[1].save()
    PlannedOperation.objects.create(
        version=new,
        operation=ops[1].operation,
        part=2,
        quantity=Decimal("40"),
        work_centre=plans.work_centre,
        start=ops[1].start,
        end=ops[1].end,
    )
    PlannedOperation.objects.filter(version=new, operation=ops[2].operation).delete()
    steel, paint = make.material(), make.material()
    day = dt.date(2026, 12, 1)
    plans.material(old, steel, "10", day)
    plans.material(new, steel, "12", day + dt.timedelta(days=2))
    plans.material(old, paint, "3", day)

    diff = version_diff(old=old, new=new)
    kinds = {row.label: (row.kind, row.changed) for row in diff.changed_operations}
    first, second, third = (op.operation for op in ops)
    label = lambda op: f"{op.job_key} / {op.sequence} {op.name}"  # noqa: E731
    assert kinds[label(first)] == ("changed", {"work_centre", "start", "end"})
    assert kinds[label(second)] == ("changed", {"start", "end", "quantity"})
    assert kinds[label(second) + " #2"][0] == "added"
    assert kinds[label(third)][0] == "removed"
    materials = {row.label: row for row in diff.changed_materials}
    assert materials[str(steel)].changed == {"quantity", "need_date"}
    assert materials[str(steel)].before["quantity"] == Decimal("10")
    assert materials[str(steel)].after["quantity"] == Decimal("12")
    assert materials[str(paint)].kind == "removed"


def test_an_unchanged_version_has_no_differences(plans, users):
    order = plans.order()
    a = plans.version(order, status=V.SUPERSEDED)
    b = plans.version(order)
    diff = version_diff(old=a, new=b)
    assert diff.changed_operations == [] and diff.changed_materials == []


def test_late_by_reads_in_days_and_hours():
    assert late_by(0) == ""
    assert late_by(30) == late_by(60)
    assert "2" in late_by(2 * 24 * 60 + 120)


def test_home_panels_for_the_planner_and_the_merchandiser(plans, users):
    plans.order()
    plans.version(status=V.REJECTED, reason="no")
    plans.version(status=V.SUBMITTED)
    with override("en"):
        planner = {str(i.title): i.count for i in attention_for(users["production"])}
        merch = {str(i.title): i.count for i in attention_for(users["merchandiser"])}
    assert planner["Orders to plan"] == 1
    assert planner["Plans rejected: revise and submit again"] == 1
    assert merch["Plans waiting for your approval"] == 1
    assert "Plans waiting for your approval" not in planner
