"""The API (R-8.3) keeps the pages' rules: a merchandiser records complaints on his own orders,
quality takes and investigates, the merchandiser answers; another merchandiser's complaint is a
404, a step of another role 403, a step out of turn 409, a protected field or bad value 400."""

import pytest
from django.utils import timezone

from gendan.aftersales.models import Complaint, Rating
from gendan.testing.helpers import logged_in_client

pytestmark = pytest.mark.django_db

URL = "/api/complaints/"


def _body(order, **kw):
    return {
        "order": order.pk,
        "order_line": order.lines.first().pk,
        "quantity": "4",
        "description": "划伤",
        "channel": "wecom",
        "received_on": timezone.localdate().isoformat(),
        **kw,
    }


def test_the_complaint_workflow_through_the_api(f, api_for, users):
    order = f.order()
    made = api_for("merchandiser").post(URL, _body(order, contact_name="王经理"), format="json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["number"].startswith("KS-")
    assert api_for("merchandiser").post(f"{URL}{pk}/take/").status_code == 403
    taken = api_for("quality").post(f"{URL}{pk}/take/")
    assert taken.status_code == 200 and taken.json()["status"] == "investigating"
    assert "contact_name" not in taken.json()  # quality does not see the customer's contact
    assert api_for("merchandiser").post(f"{URL}{pk}/answer/", {}, format="json").status_code == 400
    found = api_for("quality").post(
        f"{URL}{pk}/findings/", {"root_cause": "模具磨损", "corrective_action": "更换模具"}, format="json"
    )
    assert found.status_code == 200, found.content
    answered = api_for("merchandiser").post(f"{URL}{pk}/answer/", {"reply": "已补发"}, format="json")
    assert answered.json()["status"] == "answered"
    again = api_for("merchandiser").post(f"{URL}{pk}/answer/", {}, format="json")
    assert again.status_code == 409
    rated = api_for("merchandiser").post(
        "/api/ratings/", {"order": order.pk, "complaint": pk, "score": 4}, format="json"
    )
    assert rated.status_code == 201, rated.content
    assert Complaint.objects.get(pk=pk).status == "closed"


def test_status_and_number_cannot_be_set(f, api_for):
    order = f.order()
    response = api_for("merchandiser").post(URL, _body(order, status="closed", number="KS-1"), format="json")
    assert response.status_code == 400
    assert {"status", "number"} <= set(response.json())
    assert not Complaint.objects.exists()


def test_another_merchandisers_order_and_complaint(f, api_for, other_merchandiser):
    theirs = f.order(merchandiser=other_merchandiser)
    response = api_for("merchandiser").post(URL, _body(theirs), format="json")
    assert response.status_code == 400 and "order" in response.json()
    complaint = f.complaint()
    client = logged_in_client(other_merchandiser)
    assert client.get(f"{URL}{complaint.pk}/").status_code == 404
    assert client.post(f"{URL}{complaint.pk}/close/", {}, format="json").status_code == 404
    assert complaint.pk not in [c["id"] for c in client.get(URL).json()["results"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"quantity": "0"}, "quantity"), ({"channel": "fax"}, "channel"), ({"description": ""}, "description")],
)
def test_bad_values_name_the_field(f, api_for, change, field):
    response = api_for("merchandiser").post(URL, _body(f.order(), **change), format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Complaint.objects.exists()


def test_other_roles_are_refused(f, api_for):
    f.complaint()
    for role in ("production", "warehouse", "logistics"):
        assert api_for(role).get(URL).status_code == 403
        assert api_for(role).get("/api/ratings/").status_code == 403
    assert api_for("quality").post(URL, _body(f.order()), format="json").status_code == 403
    assert (
        api_for("quality")
        .post("/api/ratings/", {"order": f.order().pk, "score": 3}, format="json")
        .status_code
        == 403
    )
    assert not Rating.objects.exists()


def test_a_bad_id_is_404(api_for):
    assert api_for("quality").post(f"{URL}999999/take/").status_code == 404
    assert api_for("quality").get(f"{URL}abc/").status_code == 404
