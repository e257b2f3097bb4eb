"""The approval of a plan (R-2.4), taken through its services as each role would."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.notifications.models import Notification
from gendan.planning.choices import VersionStatus as V
from gendan.planning.models import Plan, PlanVersion
from gendan.planning.services.flow import plan_approve, plan_reject, plan_submit, plan_withdraw

pytestmark = pytest.mark.django_db


def test_a_planner_submits_a_draft_and_the_merchandiser_is_told(plans, users):
    version = plans.version()
    plan_submit(actor=users["production"], version_id=version.pk)
    version.refresh_from_db()
    assert version.status == V.SUBMITTED
    assert version.submitted_by == users["production"] and version.submitted_at is not None
    inbox = Notification.objects.filter(recipient=users["merchandiser"], event="plan.submitted")
    assert inbox.count() == 1 and version.plan.order.number in inbox.get().title


def test_a_warning_not_acknowledged_blocks_the_submission(plans, users):
    warnings = [
        {"kind": "overload", "key": "overload", "params": {}, "acknowledged_by": 7, "acknowledged_at": "x"},
        {
            "kind": "shortage",
            "key": "shortage",
            "params": {},
            "acknowledged_by": None,
            "acknowledged_at": None,
        },
    ]
    version = plans.version(warnings=warnings)
    with pytest.raises(ValidationError) as exc:
        plan_submit(actor=users["production"], version_id=version.pk)
    assert "warnings" in exc.value.message_dict
    version.refresh_from_db()
    assert version.status == V.DRAFT
    warnings[1]["acknowledged_by"] = users["production"].pk
    PlanVersion.objects.filter(pk=version.pk).update(warnings=warnings)
    plan_submit(actor=users["production"], version_id=version.pk)
    assert PlanVersion.objects.get(pk=version.pk).status == V.SUBMITTED


def test_a_version_that_places_nothing_cannot_be_submitted(plans, users):
    version = plans.version(operations=False)
    with pytest.raises(ValidationError) as exc:
        plan_submit(actor=users["production"], version_id=version.pk)
    assert "operations" in exc.value.message_dict


def test_only_production_submits(plans, users):
    version = plans.version()
    for role in ("merchandiser", "purchasing", "quality"):
        with pytest.raises(PermissionDenied):
            plan_submit(actor=users[role], version_id=version.pk)
    assert PlanVersion.objects.get(pk=version.pk).status == V.DRAFT


def test_approval_puts_the_version_in_force_and_supersedes_the_old_one(plans, users):
    order = plans.order()
    first = plans.version(order, status=V.APPROVED)
    Plan.objects.filter(order=order).update(reopened_reason="CR1: qty", reopened_at="2026-01-01T00:00Z")
    second = plans.version(order, status=V.SUBMITTED, submitted_by=users["production"])
    plan_approve(actor=users["merchandiser"], version_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    plan = Plan.objects.get(order=order)
    assert second.status == V.APPROVED and second.decided_by == users["merchandiser"]
    assert first.status == V.SUPERSEDED
    assert plan.in_force_id == second.pk
    assert plan.reopened_at is None and plan.reopened_reason == ""


def test_approval_tells_the_planner_production_purchasing_and_quality(plans, users):
    version = plans.version(status=V.SUBMITTED, submitted_by=users["production"])
    plan_approve(actor=users["merchandiser"], version_id=version.pk)
    told = set(Notification.objects.values_list("recipient__username", "event"))
    assert ("production", "plan.decided") in told
    assert ("purchasing", "plan.approved") in told
    assert ("quality", "plan.approved") in told
    assert not Notification.objects.filter(recipient__username__in=["warehouse", "merchandiser"]).exists()


def test_a_production_user_cannot_approve_and_another_merchandiser_neither(plans, users, make):
    version = plans.version(status=V.SUBMITTED)
    other = make.user(role="merchandiser", department=users["merchandiser"].department)
    for actor in (users["production"], other, users["quality"]):
        with pytest.raises(PermissionDenied):
            plan_approve(actor=actor, version_id=version.pk)
    with pytest.raises(PermissionDenied):
        plan_reject(actor=other, version_id=version.pk, reason="no")
    assert PlanVersion.objects.get(pk=version.pk).status == V.SUBMITTED


def test_approving_twice_the_second_is_told_someone_was_first(plans, users):
    version = plans.version(status=V.SUBMITTED)
    plan_approve(actor=users["merchandiser"], version_id=version.pk)
    with pytest.raises(WorkflowConflict):
        plan_approve(actor=users["merchandiser"], version_id=version.pk)
    assert AuditEntry.objects.filter(action="plan_approved", object_id=str(version.pk)).count() == 1


def test_a_draft_cannot_be_approved(plans, users):
    version = plans.version()
    with pytest.raises(WorkflowConflict):
        plan_approve(actor=users["merchandiser"], version_id=version.pk)


def test_rejecting_needs_a_reason_and_tells_the_planner_why(plans, users):
    version = plans.version(status=V.SUBMITTED, submitted_by=users["production"])
    for blank in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            plan_reject(actor=users["merchandiser"], version_id=version.pk, reason=blank)
        assert "reason" in exc.value.message_dict
    plan_reject(actor=users["merchandiser"], version_id=version.pk, reason="交期太晚，请加班")
    version.refresh_from_db()
    assert version.status == V.REJECTED and version.reason == "交期太晚，请加班"
    note = Notification.objects.get(recipient=users["production"], event="plan.decided")
    assert "交期太晚" in note.body


def test_withdraw_a_submitted_version(plans, users):
    version = plans.version(status=V.SUBMITTED)
    plan_withdraw(actor=users["production"], version_id=version.pk)
    assert PlanVersion.objects.get(pk=version.pk).status == V.WITHDRAWN
    with pytest.raises(WorkflowConflict):
        plan_withdraw(actor=users["production"], version_id=version.pk)


def test_submitting_a_newer_version_withdraws_the_one_waiting(plans, users):
    order = plans.order()
    waiting = plans.version(order, status=V.SUBMITTED)
    newer = plans.version(order)
    plan_submit(actor=users["production"], version_id=newer.pk)
    assert PlanVersion.objects.get(pk=waiting.pk).status == V.WITHDRAWN
    assert PlanVersion.objects.get(pk=newer.pk).status == V.SUBMITTED


def test_each_step_is_on_the_order_timeline(plans, users, client_merchandiser):
    order = plans.order()
    version = plans.version(order)
    plan_submit(actor=users["production"], version_id=version.pk)
    plan_reject(actor=users["merchandiser"], version_id=version.pk, reason="请提前装配")
    second = plans.version(order)
    plan_submit(actor=users["production"], version_id=second.pk)
    plan_approve(actor=users["merchandiser"], version_id=second.pk)
    actions = list(AuditEntry.objects.filter(scope=f"order:{order.pk}").values_list("action", flat=True))
    assert actions.count("plan_submitted") == 2
    assert "plan_rejected" in actions and "plan_approved" in actions
    rejected = AuditEntry.objects.get(scope=f"order:{order.pk}", action="plan_rejected")
    assert rejected.note.endswith(": 请提前装配") and "1" in rejected.note
    html = client_merchandiser.get(f"/orders/order/{order.pk}/").content.decode()
    with translation.override("zh-hans"):
        for label in ("Plan submitted", "Plan rejected", "Plan approved"):
            assert gettext(label) in html
    assert "请提前装配" in html
