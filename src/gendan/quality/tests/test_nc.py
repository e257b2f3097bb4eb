"""Nonconformance and corrective action (R-4.2): a failed inspection opens one; quality decides the
disposition (use as is only with someone else's approval and the customer's where required); a
corrective action closes only when quality verified it with evidence, by someone other than who did
it; an effectiveness check can reopen it."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gendan.core.exceptions import WorkflowConflict
from gendan.quality import services_nc as nc_svc

pytestmark = pytest.mark.django_db


def _png():
    buf = io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    return SimpleUploadedFile("evidence.png", buf.getvalue(), content_type="image/png")


def test_a_failed_inspection_opens_a_nonconformance(nc, line_with_plans):
    assert (nc.status, nc.quantity, nc.defect.code) == ("open", 80, "D04")
    assert "外径" in nc.description
    assert nc.customer_approval_required  # the order line carries the customer's requirements


def test_rework_closes_it_and_use_as_is_waits_for_someone_elses_approval(nc, inspector, users, make):
    with pytest.raises(ValidationError) as exc:
        nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="use_as_is")
    assert "disposition_note" in exc.value.message_dict
    with pytest.raises(ValidationError):
        nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="bogus")
    decided = nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="use_as_is", note="不影响装配")
    assert decided.status == "awaiting_approval"
    boss = users["management"]
    with pytest.raises(ValidationError) as exc:  # the customer's approval is needed here
        nc_svc.nc_approve(actor=boss, nc_id=nc.pk)
    assert "customer_approval" in exc.value.message_dict
    with pytest.raises(PermissionDenied):  # quality may not approve its own decision
        nc_svc.nc_approve(actor=inspector, nc_id=nc.pk, customer_approval="x")
    done = nc_svc.nc_approve(actor=boss, nc_id=nc.pk, customer_approval="客户王工邮件 2026-11-30")
    assert (done.status, done.approved_by) == ("closed", boss)
    with pytest.raises(WorkflowConflict):
        nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="scrap")


def test_a_refused_concession_opens_the_lot_again(nc, inspector, users):
    nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="use_as_is", note="外观轻微")
    nc_svc.nc_refuse(actor=users["management"], nc_id=nc.pk, reason="客户不接受")
    assert nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="rework").status == "closed"


def test_a_corrective_action_closes_only_verified_with_evidence_by_someone_else(nc, inspector, users, make):
    owner = users["production"]
    due = timezone.localdate() + dt.timedelta(days=7)
    with pytest.raises(ValidationError) as exc:
        nc_svc.action_create(
            actor=inspector,
            nc_id=nc.pk,
            containment="",
            root_cause="x",
            action="y",
            owner_id=owner.pk,
            due_date=due,
        )
    assert "containment" in exc.value.message_dict
    with pytest.raises(ValidationError):
        nc_svc.action_create(
            actor=inspector,
            nc_id=nc.pk,
            containment="a",
            root_cause="b",
            action="c",
            owner_id=owner.pk,
            due_date="yesterday",
        )
    ca = nc_svc.action_create(
        actor=inspector,
        nc_id=nc.pk,
        containment="隔离在制品 80 件",
        root_cause="刀具磨损",
        action="换刀并加首件检",
        owner_id=owner.pk,
        due_date=due,
    )
    from gendan.notifications.models import Notification

    assert Notification.objects.filter(event="quality.action_assigned", recipient=owner).exists()
    with pytest.raises(PermissionDenied):  # only the owner says it is done
        nc_svc.action_done(actor=inspector, action_id=ca.pk, note="done")
    nc_svc.action_done(actor=owner, action_id=ca.pk, note="已换刀")
    with pytest.raises(ValidationError) as exc:  # no evidence yet
        nc_svc.action_verify(actor=inspector, action_id=ca.pk, note="复检合格")
    assert "file" in exc.value.message_dict
    nc_svc.evidence_add(actor=owner, action_id=ca.pk, upload=_png())
    with pytest.raises(PermissionDenied):  # the owner does not verify his own action
        nc_svc.action_verify(actor=owner, action_id=ca.pk, note="ok")
    closed = nc_svc.action_verify(actor=inspector, action_id=ca.pk, note="连续三批复检合格")
    assert (closed.status, closed.verified_by) == ("closed", inspector)
    again = nc_svc.action_effectiveness(
        actor=inspector, action_id=ca.pk, effective=False, note="第五批再次超差"
    )
    assert (again.status, again.reopened_count, again.verified_by) == ("open", 1, None)


def test_the_pages_show_and_work_the_nonconformance(nc, client_for, users):
    c = client_for("quality")
    assert "NC-" in c.get(reverse("quality:nc_list")).content.decode()
    page = c.get(reverse("quality:nc_detail", args=[nc.pk])).content.decode()
    assert "外径" in page
    c.post(reverse("quality:nc_decide", args=[nc.pk]), {"disposition": "rework"})
    nc.refresh_from_db()
    assert (nc.status, nc.disposition) == ("closed", "rework")
    assert client_for("quality").get(reverse("quality:nc_detail", args=[999999])).status_code == 404
    assert (
        client_for("production")
        .post(reverse("quality:nc_decide", args=[nc.pk]), {"disposition": "scrap"})
        .status_code
        == 403
    )


def test_another_merchandiser_sees_no_nonconformance_of_others(nc, make, client):
    client.force_login(make.user(role="merchandiser"))
    assert client.get(reverse("quality:nc_detail", args=[nc.pk])).status_code == 404


def test_the_api_decides_and_refuses_payloads_that_set_protected_fields(nc, api_for, users):
    api = api_for("quality")
    bad = api.post(
        f"/api/nonconformances/{nc.pk}/decide/", {"disposition": "scrap", "status": "closed"}, format="json"
    )
    assert bad.status_code == 400 and "status" in bad.json()
    done = api.post(f"/api/nonconformances/{nc.pk}/decide/", {"disposition": "scrap"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "closed"
    made = api.post(
        f"/api/nonconformances/{nc.pk}/actions/",
        {
            "containment": "隔离",
            "root_cause": "夹具松动",
            "action": "加定位销",
            "owner": users["production"].pk,
            "due_date": "2099-01-01",
        },
        format="json",
    )
    assert made.status_code == 201 and made.json()["actions"][0]["status"] == "open"
    assert (
        api_for("production")
        .post(f"/api/nonconformances/{nc.pk}/decide/", {"disposition": "scrap"}, format="json")
        .status_code
        == 403
    )


def test_approving_what_waits_for_no_approval_is_a_conflict(nc, users):
    with pytest.raises(WorkflowConflict):
        nc_svc.nc_approve(actor=users["management"], nc_id=nc.pk, customer_approval="x")
    with pytest.raises(WorkflowConflict):
        nc_svc.nc_refuse(actor=users["management"], nc_id=nc.pk, reason="x")


def test_another_department_posting_a_disposition_is_refused_before_its_input_is_read(nc, client_for):
    assert client_for("merchandiser").post(reverse("quality:nc_decide", args=[nc.pk]), {}).status_code == 403
    assert client_for("quality").post(reverse("quality:nc_approve", args=[nc.pk]), {}).status_code == 403


def test_a_step_in_the_wrong_state_is_a_conflict_before_a_missing_field(nc, inspector, users):
    # Approving with no customer approval given, on a lot that waits for none: the state is wrong.
    with pytest.raises(WorkflowConflict):
        nc_svc.nc_approve(actor=users["management"], nc_id=nc.pk, customer_approval="")
    ca = nc_svc.action_create(
        actor=inspector,
        nc_id=nc.pk,
        containment="隔离",
        root_cause="刀具磨损",
        action="换刀",
        owner_id=users["production"].pk,
        due_date=timezone.localdate() + dt.timedelta(days=3),
    )
    with pytest.raises(WorkflowConflict):  # not done yet, and no evidence either: the state first
        nc_svc.action_verify(actor=inspector, action_id=ca.pk, note="复检")


def test_an_owner_who_cannot_open_the_nonconformance_is_refused(nc, inspector, users, make):
    from gendan.quality.models import CorrectiveAction

    other_merchandiser = make.user(role="merchandiser")  # follows none of this order
    for owner in (users["logistics"], other_merchandiser):
        with pytest.raises(ValidationError) as exc:
            nc_svc.action_create(
                actor=inspector,
                nc_id=nc.pk,
                containment="隔离",
                root_cause="刀具磨损",
                action="换刀",
                owner_id=owner.pk,
                due_date=timezone.localdate() + dt.timedelta(days=3),
            )
        assert "owner" in exc.value.message_dict
    assert not CorrectiveAction.objects.exists()
