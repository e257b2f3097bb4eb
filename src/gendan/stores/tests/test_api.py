"""The warehouse's API answers as the pages do: the same guards, the same roles, 400 naming the
field or row, 404 for what one may not see."""

from decimal import Decimal

import pytest
from django.utils import translation

from gendan.stores.models import FinishedGoodsIn, MaterialIssue

from .conftest import on_hand

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def ready(store):
    o = store.order(needs=(("100", 5),))
    (w1,) = store.warehouses(1)
    store.stock(o.materials[0], w1, "60")
    o.w1 = w1
    return o


def test_the_picking_list_reads_as_on_the_page(ready, api_for):
    body = api_for("production").get(f"/api/picking-lists/{ready.order.pk}/").json()
    (row,) = body["rows"]
    assert body["order_number"] == ready.order.number and body["version"] == 1
    assert (D(row["required"]), D(row["issued"]), D(row["on_hand"]), D(row["to_issue"])) == (
        D(100),
        D(0),
        D(60),
        D(60),
    )
    assert api_for("production").get("/api/picking-lists/99999999/").status_code == 404
    assert api_for("logistics").get(f"/api/picking-lists/{ready.order.pk}/").status_code == 403
    assert api_for("production").get("/api/picking-lists/abc/").status_code == 404


def test_issue_and_return_through_the_api(ready, api_for):
    steel = ready.materials[0]
    api = api_for("warehouse", token=True)
    response = api.post(
        "/api/material-issues/",
        {
            "order": ready.order.pk,
            "lines": [{"material": steel.pk, "warehouse": ready.w1.pk, "quantity": "50"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()[0]["kind"] == "issue" and on_hand(steel, ready.w1) == D(10)
    response = api.post(
        "/api/material-issues/return/",
        {"order": ready.order.pk, "material": steel.pk, "warehouse": ready.w1.pk, "quantity": "5"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["kind"] == "return"
    listed = api.get("/api/material-issues/", {"order": ready.order.number}).json()
    assert listed["count"] == 2


def test_the_guards_answer_400_naming_what(ready, api_for, users):
    steel = ready.materials[0]
    users["warehouse"].language = "en"  # the errors are worded in the keeper's language
    users["warehouse"].save(update_fields=["language"])
    api = api_for("warehouse")
    over = api.post(
        "/api/material-issues/",
        {
            "order": ready.order.pk,
            "lines": [{"material": steel.pk, "warehouse": ready.w1.pk, "quantity": "61"}],
        },
        format="json",
    )
    assert over.status_code == 400 and "Row 1" in over.json()["lines"][0] and " 60" in over.json()["lines"][0]
    for body in (
        {"order": ready.order.pk, "lines": []},
        {
            "order": ready.order.pk,
            "lines": [{"material": 99999999, "warehouse": ready.w1.pk, "quantity": "1"}],
        },
        {
            "order": ready.order.pk,
            "lines": [{"material": steel.pk, "warehouse": ready.w1.pk, "quantity": "-1"}],
        },
        {"order": 99999999, "lines": [{"material": steel.pk, "warehouse": ready.w1.pk, "quantity": "1"}]},
        {"order": ready.order.pk, "lines": [], "status": "x"},
        {"order": "x"},
    ):
        assert api.post("/api/material-issues/", body, format="json").status_code == 400, body
    assert not MaterialIssue.objects.exists() and on_hand(steel, ready.w1) == D(60)


def test_readers_may_not_write(ready, api_for):
    steel = ready.materials[0]
    body = {
        "order": ready.order.pk,
        "lines": [{"material": steel.pk, "warehouse": ready.w1.pk, "quantity": "1"}],
    }
    assert api_for("production").post("/api/material-issues/", body, format="json").status_code == 403
    assert api_for("merchandiser").get("/api/material-issues/").status_code == 200
    assert api_for("logistics").get("/api/material-issues/").status_code == 403
    fg = {"order_line": ready.line.pk, "warehouse": ready.w1.pk, "quantity": "1"}
    assert api_for("production").post("/api/finished-goods-in/", fg, format="json").status_code == 403


def test_finished_goods_in_through_the_api(ready, api_for):
    api = api_for("warehouse")
    ready.report_good("15")
    fg = {"order_line": ready.line.pk, "warehouse": ready.w1.pk, "quantity": "16"}
    too_many = api.post("/api/finished-goods-in/", fg, format="json")
    assert too_many.status_code == 400 and "quantity" in too_many.json()
    fg["quantity"] = "15"
    assert api.post("/api/finished-goods-in/", fg, format="json").status_code == 201
    assert FinishedGoodsIn.objects.get().quantity == D(15)
    listed = api_for("merchandiser").get("/api/finished-goods-in/").json()
    assert listed["count"] == 1 and listed["results"][0]["order_number"] == ready.order.number
    assert (
        api.post("/api/finished-goods-in/", {**fg, "order_line": 99999999}, format="json").status_code == 400
    )
