"""The purchase order API follows the pages' rules (R-8.3): the same services, refusals as 400 naming
the field, 403 for a role that may not, 404 for what one may not see, 409 on a workflow conflict;
prices only for roles that may see supplier prices."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.purchasing.choices import LineChangeKind, PlanLineStatus, POStatus
from gendan.purchasing.models import POLineChange, PurchaseOrder

pytestmark = pytest.mark.django_db


def day(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def test_create_send_confirm_change_close_through_the_api(buying, api_for):
    api = api_for("purchasing")
    line = buying.plan_line(quantity="100", price="4.5")
    created = api.post("/api/purchase-orders/", {"plan_line_ids": [line.pk]}, format="json")
    assert created.status_code == 201, created.content
    (po,) = created.json()
    line.refresh_from_db()
    assert line.status == PlanLineStatus.ORDERED
    again = api.post("/api/purchase-orders/", {"plan_line_ids": [line.pk]}, format="json")
    assert again.status_code == 400 and "line_ids" in again.json()
    url = f"/api/purchase-orders/{po['id']}/"
    assert api.post(url + "send/", {}, format="json").status_code == 200  # the supplier has an e-mail
    assert PurchaseOrder.objects.get(pk=po["id"]).status == POStatus.SENT
    assert api.post(url + "send/", {}, format="json").status_code == 409
    detail = api.get(url).json()
    po_line = detail["lines"][0]["id"]
    assert detail["lines"][0]["unit_price"] == "4.5000"
    over = api.post(
        url + "confirm/", {"line": po_line, "quantity": "101", "promised_date": day(5)}, format="json"
    )
    assert over.status_code == 400 and "quantity" in over.json()
    ok = api.post(
        url + "confirm/", {"line": po_line, "quantity": "100", "promised_date": day(5)}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == POStatus.CONFIRMED
    assert ok.json()["lines"][0]["confirmations"][0]["quantity"] == "100.0000"
    moved = api.post(
        url + "change/", {"line": po_line, "delivery_date": day(9), "reason": "供应商检修"}, format="json"
    )
    assert moved.status_code == 200 and POLineChange.objects.get().kind == LineChangeKind.DATE
    assert api.post(url + "change/", {"line": 999999, "reason": "x"}, format="json").status_code == 400
    assert api.post(url + "close/", {}, format="json").status_code == 400  # open lines: a reason is needed
    assert api.post(url + "close/", {"reason": "余量不要"}, format="json").json()["status"] == POStatus.CLOSED


def test_roles_that_may_not_are_refused_and_prices_stay_hidden(buying, api_for):
    po = buying.po(buying.plan_line(price="9.99"), sent=True)
    url = f"/api/purchase-orders/{po.pk}/"
    warehouse = api_for("warehouse")
    assert warehouse.get(url).status_code == 200
    assert "unit_price" not in warehouse.get(url).json()["lines"][0]
    rows = warehouse.get("/api/purchase-order-lines/").json()["results"]
    assert len(rows) == 1 and "unit_price" not in rows[0] and rows[0]["is_at_risk"] is False
    assert warehouse.post(url + "close/", {"reason": "x"}, format="json").status_code == 403
    assert (
        api_for("merchandiser")
        .post("/api/purchase-orders/", {"plan_line_ids": [1]}, format="json")
        .status_code
        == 403
    )
    assert api_for("logistics").get("/api/purchase-orders/").status_code == 403
    assert api_for("purchasing").get("/api/purchase-orders/999999/").status_code == 404
    assert api_for("purchasing").get("/api/purchase-orders/?status=nonsense").status_code == 400
    assert api_for("purchasing").get("/api/purchase-order-lines/?late=true").status_code == 200
