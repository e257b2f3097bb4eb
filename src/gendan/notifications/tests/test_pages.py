"""The inbox, its badge, the preferences page, and the administrators' robot pages."""

import re

import pytest
from django.urls import reverse

from gendan.core.models import AuditEntry
from gendan.notifications.choices import Channel, WebhookKind
from gendan.notifications.models import DepartmentWebhook, Notification, NotificationPreference
from gendan.notifications.services import notify

pytestmark = pytest.mark.django_db


def _notify(users, title="订单已下达", url="/orders/7/"):
    notify(event="order.released", recipients=users, title=title, url=url)


def test_the_inbox_shows_the_unread_count_and_unread_first(client_wang, wang):
    _notify([wang], title="first")
    _notify([wang], title="second")
    _notify([wang], title="old and read")
    Notification.objects.filter(title="old and read").update(read_at="2026-01-01T00:00:00Z")
    Notification.objects.filter(title="first").update(created_at="2026-01-02T00:00:00Z")

    page = client_wang.get(reverse("notifications:inbox")).content.decode()
    assert re.search(r'id="inbox-unread">\D*2\D*</span>', page)
    assert page.index("second") < page.index("first") < page.index("old and read")

    badge = client_wang.get(reverse("notifications:badge")).content.decode()
    assert 'data-unread="2"' in badge
    assert "every 60s" in badge and "load" not in badge  # the swapped-in bell must not reload itself


def test_every_page_has_the_bell_polling_the_badge(client_wang, wang):
    page = client_wang.get(reverse("notifications:inbox")).content.decode()
    assert 'hx-get="/notifications/badge/"' in page
    assert 'hx-trigger="load, every 60s' in page


def test_no_badge_number_when_all_is_read(client_wang, wang):
    assert "data-unread" not in client_wang.get(reverse("notifications:badge")).content.decode()


def test_mark_read_with_htmx_and_mark_all(client_wang, wang):
    _notify([wang])
    _notify([wang])
    n = Notification.objects.filter(recipient=wang).first()
    response = client_wang.post(reverse("notifications:mark_read", args=[n.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    assert f'id="notification-{n.pk}"' in response.content.decode()
    n.refresh_from_db()
    assert n.read_at is not None

    response = client_wang.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_opening_a_notification_marks_it_read_and_follows_its_link(client_wang, wang):
    _notify([wang], url="/orders/7/")
    _notify([wang], url="https://evil.example.net/")
    inside, outside = Notification.objects.order_by("pk")
    response = client_wang.post(reverse("notifications:open", args=[inside.pk]))
    assert response["Location"] == "/orders/7/"
    response = client_wang.post(reverse("notifications:open", args=[outside.pk]))
    assert response["Location"] == reverse("notifications:inbox")  # never off-site
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_sees_or_marks_anyone_elses_notifications(client_wang, wang, anna):
    _notify([anna])
    theirs = Notification.objects.get(recipient=anna)
    assert client_wang.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    assert client_wang.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert theirs.title not in client_wang.get(reverse("notifications:inbox")).content.decode()
    client_wang.post(reverse("notifications:mark_all_read"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_pages_need_a_login(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("notifications:badge")).status_code == 302


def test_preferences_page_saves_each_tick(client_wang, wang):
    page = client_wang.get(reverse("notifications:preferences")).content.decode()
    assert 'name="order.released__email"' in page and "checked" in page
    data = {"order.released__inbox": "on"}  # unticked: every other box
    response = client_wang.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    prefs = dict(((p.event, p.channel), p.enabled) for p in NotificationPreference.objects.filter(user=wang))
    assert prefs[("order.released", Channel.INBOX)] is True
    assert prefs[("order.released", Channel.EMAIL)] is False
    assert prefs[("order.finding", Channel.INBOX)] is False
    # Saving twice updates the same rows.
    client_wang.post(reverse("notifications:preferences"), {"order.released__email": "on"})
    assert NotificationPreference.objects.get(user=wang, event="order.released", channel="email").enabled


def test_the_new_robot_page_lists_every_event(client_admin):
    page = client_admin.get(reverse("notifications:webhook_create")).content.decode()
    assert 'name="events" value="order.released"' in page
    assert 'name="clear_secret"' not in page


def test_robot_pages_are_for_administrators_only(client_wang):
    assert client_wang.get(reverse("notifications:webhook_list")).status_code == 403
    assert client_wang.get(reverse("notifications:webhook_create")).status_code == 403


def test_an_administrator_adds_tests_edits_and_disables_a_robot(client_admin, admin_user, production, robots):
    response = client_admin.post(
        reverse("notifications:webhook_create"),
        {
            "department": production.pk,
            "name": "钉钉群",
            "kind": WebhookKind.DINGTALK,
            "url": robots.url("/dingtalk?access_token=T"),
            "secret": "SECabc",
            "events": ["order.released", "order.finding"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    webhook = DepartmentWebhook.objects.get()
    assert (webhook.secret, webhook.events) == ("SECabc", ["order.released", "order.finding"])
    entry = AuditEntry.objects.get(object_id=str(webhook.pk), action="create")
    # Neither the secret nor the robot's key reaches the audit trail; the masked address does.
    assert "secret" not in entry.changes and "SECabc" not in str(entry.changes)
    assert "access_token=T" not in str(entry.changes)
    assert entry.changes["address"] == [None, webhook.address]
    assert webhook.address.endswith("/dingtalk?…en=T")

    page = client_admin.get(reverse("notifications:webhook_list")).content.decode()
    assert "钉钉群" in page and "access_token=T" not in page
    page = client_admin.get(reverse("notifications:webhook_edit", args=[webhook.pk])).content.decode()
    assert re.search(r'value="order.finding" id="id_events_\d+" checked', page)
    assert not re.search(r'value="order.change_requested" id="id_events_\d+" checked', page)
    assert "SECabc" not in page  # the stored secret is never sent back to the browser

    response = client_admin.post(reverse("notifications:webhook_test", args=[webhook.pk]), follow=True)
    assert "accepted" in response.content.decode()
    (request,) = robots.requests
    assert request["body"]["msgtype"] == "markdown"
    assert "sign=" in request["query"]

    # Editing with an empty secret keeps the stored one.
    response = client_admin.post(
        reverse("notifications:webhook_edit", args=[webhook.pk]),
        {
            "department": production.pk,
            "name": "钉钉群 2",
            "kind": WebhookKind.DINGTALK,
            "url": webhook.url,
            "secret": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.name, webhook.secret, webhook.events) == ("钉钉群 2", "SECabc", [])
    assert AuditEntry.objects.filter(object_id=str(webhook.pk), action="update").exists()

    client_admin.post(reverse("notifications:webhook_disable", args=[webhook.pk]))
    webhook.refresh_from_db()
    assert webhook.is_active is False


def test_a_failing_test_message_is_reported(client_admin, production, robots):
    webhook = DepartmentWebhook.objects.create(
        department=production, name="g", kind=WebhookKind.WECOM, url=robots.url("/wecom")
    )
    robots.reply("/wecom", 200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    response = client_admin.post(reverse("notifications:webhook_test", args=[webhook.pk]), follow=True)
    page = response.content.decode()
    assert "93000" in page
    assert "Failed, given up" in page  # a test message is not retried


def test_a_wecom_robot_takes_no_secret(client_admin, production):
    response = client_admin.post(
        reverse("notifications:webhook_create"),
        {
            "department": production.pk,
            "name": "g",
            "kind": WebhookKind.WECOM,
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
            "secret": "nope",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not DepartmentWebhook.objects.exists()


def test_the_inbox_query_count_does_not_grow(client_wang, wang, django_assert_max_num_queries):
    _notify([wang])
    with django_assert_max_num_queries(8) as one:
        client_wang.get(reverse("notifications:inbox"))
    for i in range(30):
        _notify([wang], title=f"n{i}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client_wang.get(reverse("notifications:inbox"))
