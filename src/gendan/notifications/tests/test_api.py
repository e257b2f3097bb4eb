import pytest
from rest_framework.test import APIClient

from gendan.notifications.choices import WebhookKind
from gendan.notifications.models import DepartmentWebhook, Notification
from gendan.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_the_api_lists_and_marks_only_ones_own(api, wang, anna):
    notify(event="order.released", recipients=[wang, anna], title="x")
    notify(event="order.released", recipients=[wang], title="y")
    api.force_authenticate(wang)
    data = api.get("/api/notifications/").json()
    assert data["count"] == 2
    assert {r["title"] for r in data["results"]} == {"x", "y"}

    mine = Notification.objects.filter(recipient=wang).first()
    theirs = Notification.objects.get(recipient=anna)
    assert api.get(f"/api/notifications/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/notifications/{theirs.pk}/mark-read/").status_code == 404
    response = api.post(f"/api/notifications/{mine.pk}/mark-read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert api.get("/api/notifications/?unread=1").json()["count"] == 1
    assert api.post("/api/notifications/mark-all-read/").json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_notifications_are_read_only_in_the_api(api, wang):
    notify(event="order.released", recipients=[wang], title="x")
    api.force_authenticate(wang)
    n = Notification.objects.get()
    assert api.delete(f"/api/notifications/{n.pk}/").status_code == 405
    assert api.post("/api/notifications/", {"title": "z"}).status_code == 405


def test_webhooks_api_is_for_administrators_and_never_shows_the_secret(api, wang, admin_user, production):
    api.force_authenticate(wang)
    assert api.get("/api/department-webhooks/").status_code == 403

    api.force_authenticate(admin_user)
    response = api.post(
        "/api/department-webhooks/",
        {
            "department": production.pk,
            "name": "飞书群",
            "kind": WebhookKind.FEISHU,
            "url": "https://open.feishu.cn/open-apis/bot/v2/hook/abc",
            "secret": "s3cret",
            "events": ["order.released"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "secret" not in body and body["has_secret"] is True
    assert DepartmentWebhook.objects.get().secret == "s3cret"

    pk = body["id"]
    response = api.patch(f"/api/department-webhooks/{pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert DepartmentWebhook.objects.get().secret == "s3cret"

    bad = api.post(
        "/api/department-webhooks/",
        {
            "department": production.pk,
            "name": "x",
            "kind": "wecom",
            "url": "https://x.example/",
            "events": ["no.such"],
        },
        format="json",
    )
    assert bad.status_code == 400 and "events" in bad.json()


def test_the_schema_builds(api, admin_user):
    api.force_authenticate(admin_user)
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/notifications/{id}/mark-read/" in response.content
