"""The API: reports listed and filtered, created with the page's guards, reversed; operations'
progress; the same permissions as the pages."""

from decimal import Decimal

import pytest

from gendan.shopfloor.models import ProductionReport
from gendan.shopfloor.services import report_create

pytestmark = pytest.mark.django_db


def test_a_report_is_created_and_reversed_through_the_api(shop, api_production):
    p = shop.planned_order()
    response = api_production.post(
        "/api/production-reports/", {"operation": p.ops[0].pk, "good_qty": "8", "hours": "1"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "api" and Decimal(response.json()["good_qty"]) == 8
    pk = response.json()["id"]
    response = api_production.post(f"/api/production-reports/{pk}/reverse/", {"reason": "错"}, format="json")
    assert response.status_code == 201 and response.json()["reverses"] == pk
    assert (
        api_production.post(
            f"/api/production-reports/{pk}/reverse/", {"reason": "错"}, format="json"
        ).status_code
        == 409
    )
    p.refresh()
    assert p.ops[0].good_qty == 0


@pytest.mark.parametrize(
    "body, field",
    [
        ({"good_qty": "-1"}, "good_qty"),
        ({"good_qty": "abc"}, "good_qty"),
        ({"good_qty": "101"}, "good_qty"),
        ({"good_qty": "1", "hours": "30"}, "hours"),
        ({"good_qty": "1", "status": "finished"}, "status"),
        ({"good_qty": "1", "work_date": "2999-01-01"}, "work_date"),
    ],
)
def test_the_api_refuses_what_the_form_refuses(shop, api_production, body, field):
    p = shop.planned_order()
    response = api_production.post(
        "/api/production-reports/", {"operation": p.ops[0].pk, **body}, format="json"
    )
    assert response.status_code == 400 and field in response.json(), response.content
    assert ProductionReport.objects.count() == 0


def test_a_cancelled_order_is_refused_through_the_api(shop, api_production):
    p = shop.planned_order(status="cancelled")
    response = api_production.post(
        "/api/production-reports/", {"operation": p.ops[0].pk, "good_qty": "1"}, format="json"
    )
    assert response.status_code == 400 and "operation" in response.json()


def test_who_may_not_report_is_refused(shop, api_merchandiser, api_warehouse):
    p = shop.planned_order()
    body = {"operation": p.ops[0].pk, "good_qty": "1"}
    assert api_merchandiser.post("/api/production-reports/", body, format="json").status_code == 403
    assert api_warehouse.get("/api/production-reports/").status_code == 403
    assert ProductionReport.objects.count() == 0


def test_reports_and_progress_are_read_and_filtered(shop, leader, api_merchandiser):
    a, b = shop.planned_order(), shop.planned_order()
    report_create(actor=leader, operation_id=a.ops[0].pk, good_qty="5")
    report_create(actor=leader, operation_id=b.ops[0].pk, good_qty="6")
    rows = api_merchandiser.get(f"/api/production-reports/?order={a.order.number}").json()["results"]
    assert [r["order_number"] for r in rows] == [a.order.number]
    ops = api_merchandiser.get(f"/api/order-operations/?order={a.order.pk}").json()["results"]
    assert [Decimal(o["good_qty"]) for o in ops] == [Decimal(5), Decimal(0)]
    assert api_merchandiser.get("/api/order-operations/?order=abc").status_code == 400
