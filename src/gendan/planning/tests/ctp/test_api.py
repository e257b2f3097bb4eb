"""The API of "can we deliver?" and of the reschedule (R-2.3): the same rules as the pages."""

from decimal import Decimal

import pytest

from gendan.planning.choices import VersionStatus
from gendan.planning.models import ScheduleProposal

from .conftest import clean_line, in_days

pytestmark = pytest.mark.django_db


def test_ctp_answers_json(api_merchandiser, api_management, api_warehouse, product, loaded_order):
    question = {"items": [{"product": product.pk, "quantity": "5000"}], "date": in_days(30).isoformat()}
    response = api_merchandiser.post("/api/ctp/", question, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["possible"] is False and body["earliest_free"] > in_days(30).isoformat()
    assert body["bottleneck_kind"] in {"work_centre", "chain"} and body["bottleneck"]
    assert [i["number"] for i in body["impacts"]] == [loaded_order.number]
    small = {"items": [{"product": product.pk, "quantity": "1"}], "date": in_days(60).isoformat()}
    assert api_management.post("/api/ctp/", small, format="json").json()["without_delaying_others"] is True
    assert api_warehouse.post("/api/ctp/", small, format="json").status_code == 403
    for bad in (
        {},
        {"items": [], "date": in_days(3).isoformat()},
        {"items": [{"product": 999999, "quantity": "1"}], "date": in_days(3).isoformat()},
        {"items": [{"product": product.pk, "quantity": "-1"}], "date": in_days(3).isoformat()},
        {"items": [{"product": product.pk, "quantity": "1"}], "date": in_days(-3).isoformat()},
        {
            "items": [{"product": product.pk, "quantity": "1"}],
            "date": in_days(3).isoformat(),
            "priority": "x",
        },
    ):
        assert api_merchandiser.post("/api/ctp/", bad, format="json").status_code == 400


def test_reschedule_through_the_api(
    api_production, api_merchandiser, settings, orders, product, django_capture_on_commit_callbacks
):
    settings.GENDAN_RESCHEDULE_WORK_LIMIT = 1
    order = orders.released(lines=[clean_line(product, quantity=Decimal("80"), delivery_date=in_days(40))])
    assert api_merchandiser.post("/api/reschedule-proposals/", {}, format="json").status_code == 403
    assert api_production.post("/api/reschedule-proposals/", {"seconds": 1}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        created = api_production.post("/api/reschedule-proposals/", {"seconds": 10}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api_merchandiser.get("/api/reschedule-proposals/").json()["results"][0]["id"] == pk
    detail = api_production.get(f"/api/reschedule-proposals/{pk}/").json()
    assert detail["status"] == "ready" and detail["result"]["orders"][0]["order"] == order.pk
    assert (
        api_production.post(
            f"/api/reschedule-proposals/{pk}/accept/", {"orders": []}, format="json"
        ).status_code
        == 400
    )
    assert (
        api_production.post(
            f"/api/reschedule-proposals/{pk}/accept/", {"orders": [123456]}, format="json"
        ).status_code
        == 400
    )
    accepted = api_production.post(
        f"/api/reschedule-proposals/{pk}/accept/", {"orders": [order.pk]}, format="json"
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()[0]["order"] == order.pk and accepted.json()[0]["status"] == VersionStatus.SUBMITTED
    again = api_production.post(
        f"/api/reschedule-proposals/{pk}/accept/", {"orders": [order.pk]}, format="json"
    )
    assert again.status_code == 409
    assert api_production.post(f"/api/reschedule-proposals/{pk}/discard/").status_code == 409
    assert ScheduleProposal.objects.get(pk=pk).status == "accepted"
    assert api_production.get("/api/reschedule-proposals/99999/").status_code == 404
