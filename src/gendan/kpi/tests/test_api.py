"""The KPIs in the API (R-8.3): the same figures and permissions as the pages."""

import pytest

from gendan.kpi.models import KpiSettings

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(rec, merch, merch2):
    late = rec.order(merch, received="2025-03-03", entered=at("2025-03-03", 9), reviewed=at("2025-03-04", 15))
    rec.order(merch2, received="2025-03-06", entered=at("2025-03-06", 9), reviewed=at("2025-03-06", 10))
    return late


def test_management_lists_every_merchandisers_figures(api_for, merch, merch2, march):
    data = api_for("management").get("/api/kpi/?period=2025-03").json()
    assert {row["merchandiser"] for row in data} == {merch.pk, merch2.pk}
    mine = next(r for r in data if r["merchandiser"] == merch.pk)
    review = next(f for f in mine["figures"] if f["code"] == "review_on_time")
    assert review["value"] == "0.0" and review["met"] is False and review["against"] == 1
    release = next(f for f in mine["figures"] if f["code"] == "delivery_on_time")
    assert release["value"] is None and release["no_data"] == "no_records"


def test_the_detail_lists_the_records_behind_each_figure(api_for, merch, march):
    data = api_for("merchandiser").get(f"/api/kpi/{merch.pk}/?period=2025-03").json()
    review = next(f for f in data["figures"] if f["code"] == "review_on_time")
    assert [(r["label"], r["against"]) for r in review["records"]] == [(march.number, True)]
    assert review["records"][0]["url"] == f"/orders/order/{march.pk}/"


def test_a_merchandiser_reads_only_his_own(api_for, merch, merch2, march):
    client = api_for("merchandiser")
    assert [r["merchandiser"] for r in client.get("/api/kpi/?period=2025-03").json()] == [merch.pk]
    assert client.get(f"/api/kpi/{merch2.pk}/").status_code == 404
    assert api_for("production").get("/api/kpi/").status_code == 403
    assert api_for("management").get("/api/kpi/?period=2025-99").status_code == 400


def test_settings_are_read_and_changed_by_management_only(api_for):
    management = api_for("management")
    assert management.get("/api/kpi-settings/").json()["step_hours"]["review"] == "24.00"
    response = management.put("/api/kpi-settings/", {"weights": {"satisfaction": 30}}, format="json")
    assert response.status_code == 200 and response.json()["weights"]["satisfaction"] == "30.00"
    assert api_for("merchandiser").get("/api/kpi-settings/").status_code == 403
    assert (
        api_for("merchandiser").put("/api/kpi-settings/", {"weights": {}}, format="json").status_code == 403
    )


def test_a_bad_setting_is_a_400_naming_the_field_and_changes_nothing(api_for):
    response = api_for("management").put(
        "/api/kpi-settings/", {"targets": {"review_on_time": 150}}, format="json"
    )
    assert response.status_code == 400
    assert "target_review_on_time" in response.json()
    assert not KpiSettings.objects.exists()
    bad = api_for("management").put("/api/kpi-settings/", {"weights": [1, 2]}, format="json")
    assert bad.status_code == 400 and "weights" in bad.json()


def test_an_empty_or_unreadable_settings_body_is_a_400(api_for):
    from gendan.core.models import AuditEntry

    client = api_for("management")
    assert client.put("/api/kpi-settings/", [1, 2], format="json").status_code == 400
    assert client.put("/api/kpi-settings/", {}, format="json").status_code == 400
    assert not AuditEntry.objects.filter(action="update", content_type__model="kpisettings").exists()
