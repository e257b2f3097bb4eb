"""The API's nonconformance and corrective action steps obey the same rules as the pages, step by
step: the role allowed does it; a role that sees the record but may not take the step gets a 403
with the reason; someone who may not see the record (another merchandiser's order) a 404; a step
the record's state does not allow a 409; bad input a 400 naming the field. Nothing changes on a
refusal."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from gendan.quality import services_nc as nc_svc
from gendan.quality.models import CorrectiveAction, Nonconformance

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def _png(name="evidence.png"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")


@pytest.fixture
def stranger(make):
    """A merchandiser of other orders: he reads nonconformances, not this one."""
    return make.user(role="merchandiser")


@pytest.fixture
def action(nc, inspector, users):
    """An open corrective action on the nonconformance, owned by production."""
    return nc_svc.action_create(
        actor=inspector,
        nc_id=nc.pk,
        containment="隔离在制品",
        root_cause="刀具磨损",
        action="换刀并加首件检",
        owner_id=users["production"].pk,
        due_date=timezone.localdate() + dt.timedelta(days=7),
    )


def _done(action, owner, *, evidence=True):
    if evidence:
        nc_svc.evidence_add(actor=owner, action_id=action.pk, upload=_png())
    return nc_svc.action_done(actor=owner, action_id=action.pk, note="已换刀")


def _status(obj) -> str:
    return type(obj).objects.get(pk=obj.pk).status


# ---------------------------------------------------------------- nonconformance: decide


def test_decide(nc, users, stranger):
    url = f"/api/nonconformances/{nc.pk}/decide/"
    refused = _api(users["management"]).post(url, {"disposition": "scrap"}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"]
    assert _api(stranger).post(url, {"disposition": "scrap"}, format="json").status_code == 404
    assert (
        _api(users["quality"])
        .post("/api/nonconformances/999999/decide/", {"disposition": "scrap"}, format="json")
        .status_code
        == 404
    )
    bad = _api(users["quality"]).post(url, {"disposition": "use_as_is"}, format="json")
    assert bad.status_code == 400 and "disposition_note" in bad.json()
    assert _status(nc) == "open"
    done = _api(users["quality"]).post(url, {"disposition": "rework"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "closed"
    again = _api(users["quality"]).post(url, {"disposition": "scrap"}, format="json")
    assert again.status_code == 409 and again.json()["detail"]
    assert Nonconformance.objects.get(pk=nc.pk).disposition == "rework"


# ---------------------------------------------------------------- nonconformance: approve, refuse


@pytest.fixture
def awaiting(nc, inspector):
    return nc_svc.nc_decide(actor=inspector, nc_id=nc.pk, disposition="use_as_is", note="不影响装配")


def test_approve(awaiting, users, stranger):
    url = f"/api/nonconformances/{awaiting.pk}/approve/"
    body = {"customer_approval": "客户王工邮件"}
    assert _api(users["quality"]).post(url, body, format="json").status_code == 403  # no approval right
    assert _api(stranger).post(url, body, format="json").status_code == 404
    missing = _api(users["management"]).post(url, {}, format="json")
    assert missing.status_code == 400 and "customer_approval" in missing.json()
    assert _status(awaiting) == "awaiting_approval"
    done = _api(users["management"]).post(url, body, format="json")
    assert done.status_code == 200, done.content  # management approves, though it adds nothing
    assert (done.json()["status"], done.json()["approved_by"]) == ("closed", users["management"].pk)
    assert _api(users["management"]).post(url, body, format="json").status_code == 409


def test_who_decided_does_not_approve(nc, users):
    admin = users["admin"]  # may decide and approve, but not both on one lot
    nc_svc.nc_decide(actor=admin, nc_id=nc.pk, disposition="use_as_is", note="外观轻微")
    refused = _api(admin).post(
        f"/api/nonconformances/{nc.pk}/approve/", {"customer_approval": "x"}, format="json"
    )
    assert refused.status_code == 403 and refused.json()["detail"]
    assert _status(nc) == "awaiting_approval"


def test_approving_what_waits_for_no_approval_is_a_conflict(nc, users):
    response = _api(users["management"]).post(
        f"/api/nonconformances/{nc.pk}/approve/", {"customer_approval": "x"}, format="json"
    )
    assert response.status_code == 409 and _status(nc) == "open"


def test_refuse(awaiting, nc, users, stranger):
    url = f"/api/nonconformances/{awaiting.pk}/refuse/"
    assert _api(users["quality"]).post(url, {"reason": "x"}, format="json").status_code == 403
    assert _api(stranger).post(url, {"reason": "x"}, format="json").status_code == 404
    blank = _api(users["management"]).post(url, {"reason": ""}, format="json")
    assert blank.status_code == 400 and "reason" in blank.json()
    assert _status(awaiting) == "awaiting_approval"
    done = _api(users["management"]).post(url, {"reason": "客户不接受"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "open"
    assert _api(users["management"]).post(url, {"reason": "x"}, format="json").status_code == 409


# ---------------------------------------------------------------- corrective action: create


def test_create_an_action(nc, users, stranger):
    url = f"/api/nonconformances/{nc.pk}/actions/"
    body = {
        "containment": "隔离",
        "root_cause": "夹具松动",
        "action": "加定位销",
        "owner": users["production"].pk,
        "due_date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
    }
    assert _api(users["production"]).post(url, body, format="json").status_code == 403
    assert _api(users["merchandiser"]).post(url, body, format="json").status_code == 403
    assert _api(stranger).post(url, body, format="json").status_code == 404
    past = _api(users["quality"]).post(url, body | {"due_date": "2000-01-01"}, format="json")
    assert past.status_code == 400 and "due_date" in past.json()
    nobody = _api(users["quality"]).post(url, body | {"owner": 999999}, format="json")
    assert nobody.status_code == 400 and "owner" in nobody.json()
    assert not CorrectiveAction.objects.exists()
    made = _api(users["quality"]).post(url, body, format="json")
    assert made.status_code == 201 and made.json()["actions"][0]["owner"] == users["production"].pk
    # A nonconformance closed by its disposition still takes actions (the cause is yet to remove):
    # creating one has no state to conflict with.


# ---------------------------------------------------------------- corrective action: done


def test_done(action, users, stranger):
    url = f"/api/corrective-actions/{action.pk}/done/"
    not_owner = _api(users["quality"]).post(url, {"note": "x"}, format="json")
    assert not_owner.status_code == 403 and not_owner.json()["detail"]
    assert _api(stranger).post(url, {"note": "x"}, format="json").status_code == 404
    blank = _api(users["production"]).post(url, {"note": ""}, format="json")
    assert blank.status_code == 400 and "note" in blank.json()
    assert _status(action) == "open"
    done = _api(users["production"]).post(url, {"note": "已换刀"}, format="json")
    assert done.status_code == 200, done.content  # the owner, of production, says it is done
    assert (done.json()["status"], done.json()["done_by"]) == ("done", users["production"].pk)
    assert _api(users["production"]).post(url, {"note": "again"}, format="json").status_code == 409


# ---------------------------------------------------------------- corrective action: evidence


def test_evidence(action, users, stranger):
    url = f"/api/corrective-actions/{action.pk}/evidence/"
    assert _api(users["management"]).post(url, {"file": _png()}, format="multipart").status_code == 403
    assert _api(stranger).post(url, {"file": _png()}, format="multipart").status_code == 404
    none = _api(users["production"]).post(url, {}, format="multipart")
    assert none.status_code == 400 and "file" in none.json()
    exe = SimpleUploadedFile("tool.exe", b"MZ" + b"0" * 20)
    wrong = _api(users["production"]).post(url, {"file": exe}, format="multipart")
    assert wrong.status_code == 400 and "file" in wrong.json()
    assert not action.evidence.exists()
    kept = _api(users["production"]).post(url, {"file": _png()}, format="multipart")
    assert kept.status_code == 200, kept.content
    assert [e["original_name"] for e in kept.json()["evidence"]] == ["evidence.png"]
    by_quality = _api(users["quality"]).post(url, {"file": _png("report.png")}, format="multipart")
    assert by_quality.status_code == 200


def test_no_evidence_is_added_to_a_closed_action(action, users):
    _done(action, users["production"])
    nc_svc.action_verify(actor=users["quality"], action_id=action.pk, note="复检合格")
    response = _api(users["production"]).post(
        f"/api/corrective-actions/{action.pk}/evidence/", {"file": _png()}, format="multipart"
    )
    assert response.status_code == 409 and action.evidence.count() == 1


# ---------------------------------------------------------------- corrective action: verify


def test_verify(action, users, stranger):
    url = f"/api/corrective-actions/{action.pk}/verify/"
    _done(action, users["production"], evidence=False)
    bare = _api(users["quality"]).post(url, {"note": "复检合格"}, format="json")
    assert bare.status_code == 400 and "file" in bare.json()  # closing without evidence
    assert _status(action) == "done"
    nc_svc.evidence_add(actor=users["production"], action_id=action.pk, upload=_png())
    owner = _api(users["production"]).post(url, {"note": "ok"}, format="json")
    assert owner.status_code == 403
    assert _api(users["management"]).post(url, {"note": "ok"}, format="json").status_code == 403
    assert _api(stranger).post(url, {"note": "ok"}, format="json").status_code == 404
    assert _status(action) == "done"
    closed = _api(users["quality"]).post(url, {"note": "连续三批复检合格"}, format="json")
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["verified_by"]) == ("closed", users["quality"].pk)
    assert _api(users["quality"]).post(url, {"note": "again"}, format="json").status_code == 409


def test_who_did_the_action_does_not_verify_it(nc, users, make):
    """An inspector who owns and did an action is still not the one who verifies it."""
    colleague = make.user(role="quality", department=users["quality"].department)
    mine = nc_svc.action_create(
        actor=users["quality"],
        nc_id=nc.pk,
        containment="隔离",
        root_cause="量具未校准",
        action="校准量具",
        owner_id=colleague.pk,
        due_date=timezone.localdate() + dt.timedelta(days=2),
    )
    _done(mine, colleague)
    refused = _api(colleague).post(
        f"/api/corrective-actions/{mine.pk}/verify/", {"note": "ok"}, format="json"
    )
    assert refused.status_code == 403 and refused.json()["detail"]
    assert _status(mine) == "done"


def test_an_open_action_is_not_verified(action, users):
    nc_svc.evidence_add(actor=users["production"], action_id=action.pk, upload=_png())
    response = _api(users["quality"]).post(
        f"/api/corrective-actions/{action.pk}/verify/", {"note": "ok"}, format="json"
    )
    assert response.status_code == 409 and _status(action) == "open"


def test_not_effective_opens_it_again_without_evidence(action, users):
    _done(action, users["production"], evidence=False)
    response = _api(users["quality"]).post(
        f"/api/corrective-actions/{action.pk}/verify/",
        {"note": "仍有毛刺", "effective": False},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "open"


# ---------------------------------------------------------------- corrective action: effectiveness


def test_effectiveness(action, users, stranger):
    url = f"/api/corrective-actions/{action.pk}/effectiveness/"
    _done(action, users["production"])
    early = _api(users["quality"]).post(url, {"note": "x", "effective": True}, format="json")
    assert early.status_code == 409  # done, not verified yet
    nc_svc.action_verify(actor=users["quality"], action_id=action.pk, note="复检合格")
    assert _api(users["production"]).post(url, {"note": "x"}, format="json").status_code == 403
    assert _api(users["management"]).post(url, {"note": "x"}, format="json").status_code == 403
    assert _api(stranger).post(url, {"note": "x"}, format="json").status_code == 404
    blank = _api(users["quality"]).post(url, {"note": ""}, format="json")
    assert blank.status_code == 400 and "note" in blank.json()
    assert _status(action) == "closed"
    held = _api(users["quality"]).post(url, {"note": "第二批合格", "effective": True}, format="json")
    assert held.status_code == 200 and held.json()["status"] == "closed"
    back = _api(users["quality"]).post(url, {"note": "第五批再次超差", "effective": False}, format="json")
    assert back.status_code == 200
    assert (back.json()["status"], back.json()["reopened_count"]) == ("open", 1)


def test_the_owner_reads_his_action(action, users, stranger):
    assert _api(users["production"]).get(f"/api/corrective-actions/{action.pk}/").status_code == 200
    assert _api(stranger).get(f"/api/corrective-actions/{action.pk}/").status_code == 404
    assert _api(users["logistics"]).get(f"/api/corrective-actions/{action.pk}/").status_code == 403


def test_the_schema_lets_a_nonconformance_wait_for_its_disposition():
    # An open nonconformance answers disposition "": the documented enum must allow it.
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["Nonconformance"]["properties"]["disposition"]
    allowed = set()
    for part in field.get("oneOf", field.get("anyOf", [field])):
        ref = part.get("$ref", "")
        allowed |= set(
            schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]["enum"] if ref else part.get("enum", [])
        )
    assert "" in allowed and "rework" in allowed
