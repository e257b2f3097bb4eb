# ruff: noqa: F811 - the fixtures come from plans_setup
"""Purchase plans in the API: the same services, rules and refusals as the pages."""

import pytest
from rest_framework.test import APIClient

from gendan.purchasing.choices import PlanLineStatus, PlanStatus
from gendan.purchasing.models import PurchasePlan, PurchasePlanLine

from .plans_setup import buying, drafted, line_of  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
L, P = PlanLineStatus, PlanStatus


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_whole_flow_through_the_api(buying, users, api_for):
    purchasing = api_for("purchasing")
    response = purchasing.post("/api/purchase-plans/draft/")
    assert response.status_code == 201
    plan = response.json()
    assert plan["version"] == 1 and len(plan["lines"]) == 3
    assert purchasing.post("/api/purchase-plans/draft/").status_code == 400
    steel = next(line for line in plan["lines"] if line["material_code"] == "STEEL")
    assert "unit_price" in steel and {p["order"] for p in steel["pegs"]} == {
        buying.order1.pk,
        buying.order2.pk,
    }

    bad = purchasing.patch(f"/api/purchase-plan-lines/{steel['id']}/", {"quantity": "0"}, format="json")
    assert bad.status_code == 400 and "quantity" in bad.json()
    bad = purchasing.patch(f"/api/purchase-plan-lines/{steel['id']}/", {"status": "approved"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()
    ok = purchasing.patch(f"/api/purchase-plan-lines/{steel['id']}/", {"quantity": "160"}, format="json")
    assert ok.status_code == 200 and ok.json()["quantity"] == "160.0000"

    assert api_for("merchandiser").post(f"/api/purchase-plans/{plan['id']}/submit/").status_code in (403, 404)
    assert purchasing.post(f"/api/purchase-plans/{plan['id']}/submit/").json()["status"] == P.SUBMITTED
    assert purchasing.post(f"/api/purchase-plans/{plan['id']}/submit/").status_code == 409

    m1, m2 = api_for("merchandiser"), _client(buying.m2)
    decide = f"/api/purchase-plan-lines/{steel['id']}/decide/"
    assert purchasing.post(decide, {"approve": True}, format="json").status_code == 403
    assert m2.post(decide, {"approve": False}, format="json").status_code == 400  # no reason
    assert m2.post(decide, {"approve": False, "reason": "减量"}, format="json").json()["status"] == L.REJECTED
    assert m1.post(decide, {"approve": True}, format="json").status_code == 409
    assert m1.post(f"/api/purchase-plans/{plan['id']}/approve-mine/").json() == {"approved": 1}
    bolt = line_of(PurchasePlan.objects.get(pk=plan["id"]), buying.bolt)
    api_for("management").post(
        f"/api/purchase-plan-lines/{bolt.pk}/decide/", {"approve": True}, format="json"
    )
    assert purchasing.get(f"/api/purchase-plans/{plan['id']}/").json()["status"] == P.DECIDED

    revised = purchasing.post(f"/api/purchase-plans/{plan['id']}/revise/")
    assert revised.status_code == 201 and revised.json()["version"] == 2
    assert revised.json()["previous"] == plan["id"]


def test_a_merchandiser_reads_only_his_part(buying, drafted, users, api_for):
    from gendan.purchasing.services.plans_flow import plan_submit

    plan_submit(actor=users["purchasing"], plan_id=drafted.pk)
    m2 = _client(buying.m2)
    listed = m2.get("/api/purchase-plans/").json()
    assert [p["id"] for p in listed["results"]] == [drafted.pk]
    detail = m2.get(f"/api/purchase-plans/{drafted.pk}/").json()
    assert [line["material_code"] for line in detail["lines"]] == ["STEEL"]
    assert [p["order"] for p in detail["lines"][0]["pegs"]] == [buying.order2.pk]
    seal = line_of(drafted, buying.seal)
    assert m2.get(f"/api/purchase-plan-lines/{seal.pk}/").status_code == 404
    assert api_for("production").get("/api/purchase-plans/").status_code == 403
    assert api_for("quality").get(f"/api/purchase-plans/{drafted.pk}/").status_code == 403


def test_mine_filter_and_bad_filters(buying, drafted, users, api_for):
    from gendan.purchasing.services.plans_flow import plan_submit

    plan_submit(actor=users["purchasing"], plan_id=drafted.pk)
    m1 = api_for("merchandiser")
    assert [p["id"] for p in m1.get("/api/purchase-plans/", {"mine": "true"}).json()["results"]] == [
        drafted.pk
    ]
    assert m1.get("/api/purchase-plans/", {"status": "nonsense"}).status_code == 400
    assert api_for("purchasing").get("/api/purchase-plan-lines/999999/").status_code == 404


def test_prices_follow_the_field_groups(buying, drafted, users):
    from gendan.accounts.roles import hidden_fields

    assert hidden_fields(users["production"], PurchasePlanLine) == {"unit_price", "last_price"}
    for role in ("purchasing", "merchandiser", "management", "admin"):
        assert not hidden_fields(users[role], PurchasePlanLine)
