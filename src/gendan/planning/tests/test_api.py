"""The approval steps and the plan list in the API: same rules as the pages."""

import pytest

from gendan.planning.choices import VersionStatus as V
from gendan.planning.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_submit_approve_by_api(plans, api_production, api_merchandiser):
    version = plans.version()
    response = api_production.post(f"/api/plan-approvals/{version.pk}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert api_production.post(f"/api/plan-approvals/{version.pk}/approve/").status_code == 403
    response = api_merchandiser.post(f"/api/plan-approvals/{version.pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert api_merchandiser.post(f"/api/plan-approvals/{version.pk}/approve/").status_code == 409


def test_reject_needs_a_reason_named_in_the_answer(plans, api_merchandiser):
    version = plans.version(status=V.SUBMITTED)
    response = api_merchandiser.post(f"/api/plan-approvals/{version.pk}/reject/", {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api_merchandiser.post(
        f"/api/plan-approvals/{version.pk}/reject/", {"reason": "太晚", "status": "approved"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"


def test_an_unacknowledged_warning_is_a_400(plans, api_production):
    version = plans.version(warnings=[{"kind": "late", "key": "late", "params": {}, "acknowledged_by": None}])
    response = api_production.post(f"/api/plan-approvals/{version.pk}/submit/")
    assert response.status_code == 400 and "warnings" in response.json()
    assert PlanVersion.objects.get(pk=version.pk).status == V.DRAFT


def test_others_versions_are_404(plans, make, api_merchandiser):
    version = plans.version(plans.order(merchandiser=make.user(role="merchandiser")), status=V.SUBMITTED)
    assert api_merchandiser.post(f"/api/plan-approvals/{version.pk}/approve/").status_code == 404
    assert api_merchandiser.get(f"/api/plan-approvals/{version.pk}/").status_code == 404


def test_plans_list_filters_by_state(plans, api_production):
    waiting = plans.version(status=V.SUBMITTED).plan.order
    plans.order()
    rows = api_production.get("/api/plans/?state=submitted").json()
    rows = rows.get("results", rows)
    assert [r["number"] for r in rows] == [waiting.number]
    assert rows[0]["state"] == "submitted"
    assert api_production.get("/api/plans/?state=bogus").status_code == 400


def test_a_role_that_reads_no_plans_gets_an_empty_list(plans, api_warehouse):
    plans.version(status=V.SUBMITTED)
    response = api_warehouse.get("/api/plans/")
    assert response.status_code == 200
    rows = response.json()
    assert rows.get("results", rows) == []


def test_the_schema_describes_the_plan_endpoints(api_admin):
    paths = api_admin.get("/api/schema/?format=json").json()["paths"]
    assert "/api/plans/" in paths and "/api/plan-approvals/{id}/reject/" in paths
