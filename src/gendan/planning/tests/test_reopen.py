"""An approved change request re-opens the order's plan (R-1.6, R-2.4)."""

import pytest

from gendan.notifications.models import Notification
from gendan.orders import services as order_services
from gendan.orders.choices import ChangeKind, OrderStatus
from gendan.orders.models import Order
from gendan.planning.choices import PlanState
from gendan.planning.choices import VersionStatus as V
from gendan.planning.models import Plan, PlanVersion
from gendan.planning.selectors import plan_list

pytestmark = pytest.mark.django_db


def _approve_change(users, order, kind, **kw):
    change = order_services.change_request_create(
        actor=users["merchandiser"], order_id=order.pk, kind=kind, reason="客户要求", **kw
    )
    return order_services.change_request_approve(actor=users["management"], change_id=change.pk)


def test_an_approved_change_reopens_the_plan_and_the_planners_are_told(plans, users):
    order = plans.order()
    in_force = plans.version(order, status=V.APPROVED)
    line = order.lines.get()
    change = _approve_change(users, order, ChangeKind.QUANTITY, line_id=line.pk, new_value="120")
    plan = Plan.objects.get(order=order)
    assert plan.reopened_at is not None
    assert plan.reopened_reason == f"CR{change.number}: 客户要求"
    assert plan.in_force_id == in_force.pk  # in force until a new version is approved
    assert Notification.objects.filter(recipient=users["production"], event="plan.reopened").exists()
    row = plan_list(user=users["production"], filters={"state": PlanState.REOPENED}).get()
    assert row.pk == order.pk


def test_a_hold_withdraws_the_versions_being_planned(plans, users):
    order = plans.order()
    approved = plans.version(order, status=V.APPROVED)
    waiting = plans.version(order, status=V.SUBMITTED)
    _approve_change(users, order, ChangeKind.HOLD)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.ON_HOLD
    assert PlanVersion.objects.get(pk=waiting.pk).status == V.WITHDRAWN
    assert PlanVersion.objects.get(pk=approved.pk).status == V.APPROVED
    assert Plan.objects.get(order=order).reopened_at is not None


def test_a_cancel_withdraws_and_is_not_replanned(plans, users):
    order = plans.order()
    draft = plans.version(order)
    _approve_change(users, order, ChangeKind.CANCEL)
    assert PlanVersion.objects.get(pk=draft.pk).status == V.WITHDRAWN
    assert Plan.objects.get(order=order).reopened_at is None


def test_an_order_without_a_plan_stays_to_plan(plans, users):
    order = plans.order()
    _approve_change(users, order, ChangeKind.HOLD)
    assert not Plan.objects.filter(order=order).exists()
