"""GET /api/delivery-risk/: the open orders the reader may see, gravest first, with level, score,
slack, expected finish and the reasons as code, parameters and words; filtered by level (a bad
level is a 400 naming the field); another merchandiser's order is not listed and is a 404."""

import pytest

from gendan.orders.choices import OrderStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(f, make):
    late = f.order(due_in_days=30)
    f.operations(late)
    f.plan(late, finish_in_days=35)
    fine = f.order(due_in_days=40)
    f.operations(fine)
    f.plan(fine, finish_in_days=20)
    other = make.user(role="merchandiser", username="other_md")
    theirs = f.order(merchandiser=other, due_in_days=-2)
    draft = f.order(status=OrderStatus.DRAFT)
    return late, fine, theirs, draft


def test_the_list_is_gravest_first_with_reasons_in_code_and_words(orders, users, api_for):
    late, fine, _theirs, _draft = orders
    users["merchandiser"].language = "en"
    users["merchandiser"].save(update_fields=["language"])
    response = api_for("merchandiser").get("/api/delivery-risk/")
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [r["number"] for r in rows] == [late.number, fine.number]
    first = rows[0]
    assert first["level"] == "late" and first["score"] >= 75 and first["slack_days"] == -5
    assert first["expected_finish"] > first["delivery_date"]
    assert first["reasons"] == [
        {
            "code": "schedule_after_due",
            "params": {"line": 1, "days": 5},
            "text": "Line 1: the schedule in force finishes 5 days after the delivery date",
        }
    ]
    assert rows[1]["level"] == "on_track" and rows[1]["reasons"] == []


def test_filter_by_level(orders, api_for):
    late, _fine, _theirs, _draft = orders
    rows = api_for("merchandiser").get("/api/delivery-risk/?level=late").json()["results"]
    assert [r["number"] for r in rows] == [late.number]


def test_a_bad_level_is_a_400_naming_the_field(orders, api_for):
    response = api_for("merchandiser").get("/api/delivery-risk/?level=doomed")
    assert response.status_code == 400
    assert "level" in response.json()


def test_one_order_and_another_merchandisers_is_a_404(orders, api_for):
    late, _fine, theirs, draft = orders
    api = api_for("merchandiser")
    assert api.get(f"/api/delivery-risk/{late.pk}/").json()["level"] == "late"
    assert api.get(f"/api/delivery-risk/{theirs.pk}/").status_code == 404
    assert api.get(f"/api/delivery-risk/{draft.pk}/").status_code == 404
    assert api.get("/api/delivery-risk/999999/").status_code == 404


def test_management_sees_every_open_order(orders, api_for):
    late, fine, theirs, _draft = orders
    rows = api_for("management").get("/api/delivery-risk/").json()["results"]
    assert {r["number"] for r in rows} == {late.number, fine.number, theirs.number}


def test_anonymous_is_refused(orders, client):
    assert client.get("/api/delivery-risk/").status_code in (401, 403)


def test_pages_of_the_list_mix_stored_and_live_assessments_in_one_order(f, api_for, settings):
    from gendan.risk.services import risk_refresh

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "PAGE_SIZE": 2}
    made = []
    for due, finish in ((30, 35), (40, 20), (30, 20), (20, 25), (50, 20)):
        order = f.order(due_in_days=due)
        f.operations(order)
        f.plan(order, finish_in_days=finish)
        made.append(order)
    risk_refresh(order_ids=[made[0].pk, made[2].pk])  # the others are assessed on the spot
    api = api_for("merchandiser")
    everything = []
    url = "/api/delivery-risk/"
    while url:
        body = api.get(url).json()
        assert body["count"] == 5
        everything += body["results"]
        url = body["next"]
    keys = [(-["on_track", "watch", "at_risk", "late"].index(r["level"]), -r["score"]) for r in everything]
    assert len(everything) == 5 and keys == sorted(keys)
    assert [r["level"] for r in everything[:2]] == ["late", "late"]
    assert api.get("/api/delivery-risk/?page=0").status_code == 400
    assert api.get("/api/delivery-risk/?page=9").status_code == 404
