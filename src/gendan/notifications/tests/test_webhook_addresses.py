"""Issue 14, item 6: a robot's address may not point at this machine or the internal network
(loopback, link-local, private, multicast, reserved, unspecified), by name or number, when it is
saved and again when a message is sent (the name may resolve elsewhere by then), unless the
administrator's setting allows it."""

import socket

import pytest
from django.urls import reverse

from gendan.notifications.choices import DeliveryStatus, WebhookKind
from gendan.notifications.models import Delivery, DepartmentWebhook
from gendan.notifications.services import delivery_attempt, notify

from . import helpers

pytestmark = pytest.mark.django_db

REFUSED = [
    "http://127.0.0.1:8000/x",
    "http://localhost/x",
    "https://10.1.2.3/hook",
    "https://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/",
    "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
]


@pytest.fixture(autouse=True)
def _public_only(_notification_settings, settings):
    settings.GENDAN_WEBHOOK_ALLOW_PRIVATE = False
    settings.GENDAN_WEBHOOK_ALLOWED_HOSTS = []


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


def _payload(production, url):
    return {"department": production.pk, "name": "群", "kind": WebhookKind.WECOM, "url": url}


@pytest.mark.parametrize("url", REFUSED)
def test_the_api_refuses_an_internal_address_naming_the_field(api, admin_user, production, url):
    api.force_authenticate(admin_user)
    response = api.post("/api/department-webhooks/", _payload(production, url), format="json")
    assert response.status_code == 400, response.content
    assert "公网地址" in response.json()["url"][0]
    assert not DepartmentWebhook.objects.exists()


def test_the_page_refuses_an_internal_address(client_admin, production):
    response = client_admin.post(
        reverse("notifications:webhook_create"), _payload(production, "http://127.0.0.1:9/x")
    )
    assert response.status_code == 200
    assert "url" in response.context["form"].errors
    assert not DepartmentWebhook.objects.exists()


def test_a_name_that_resolves_to_an_internal_address_is_refused(api, admin_user, production, monkeypatch):
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):
        if host == "robot.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", 443))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    api.force_authenticate(admin_user)
    url = "https://robot.example.com/hook"
    response = api.post("/api/department-webhooks/", _payload(production, url), format="json")
    assert response.status_code == 400 and "10.0.0.7" in response.json()["url"][0]


def test_a_public_address_is_accepted(api, admin_user, production):
    api.force_authenticate(admin_user)
    url = "https://93.184.215.14/cgi-bin/webhook/send?key=K"
    response = api.post("/api/department-webhooks/", _payload(production, url), format="json")
    assert response.status_code == 201, response.content


def test_the_setting_allows_internal_addresses(api, admin_user, production, settings):
    settings.GENDAN_WEBHOOK_ALLOW_PRIVATE = True
    api.force_authenticate(admin_user)
    response = api.post("/api/department-webhooks/", _payload(production, "http://10.1.2.3/x"), format="json")
    assert response.status_code == 201, response.content


def test_the_list_of_allowed_hosts_allows_those_hosts_only(api, admin_user, production, settings):
    settings.GENDAN_WEBHOOK_ALLOWED_HOSTS = ["chat.factory.lan", "10.1.2.3"]
    api.force_authenticate(admin_user)
    ok = api.post("/api/department-webhooks/", _payload(production, "http://10.1.2.3/x"), format="json")
    assert ok.status_code == 201, ok.content
    refused = api.post("/api/department-webhooks/", _payload(production, "http://10.1.2.4/x"), format="json")
    assert refused.status_code == 400


def test_a_name_that_resolves_inside_at_send_time_gets_nothing(
    production, wang, robots, monkeypatch, settings
):
    """DNS rebinding: public when saved, this machine when the message goes out."""
    port = robots.httpd.server_address[1]
    real = socket.getaddrinfo
    answer = {"robot.example.com": "93.184.215.14"}

    def fake(host, *args, **kwargs):
        if host in answer:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer[host], port))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    webhook = DepartmentWebhook(
        department=production, name="群", kind=WebhookKind.WECOM, url=f"http://robot.example.com:{port}/wecom"
    )
    webhook.full_clean()
    webhook.save()
    answer["robot.example.com"] = "127.0.0.1"
    notify(
        event="order.released",
        recipients=[wang],
        title=helpers.title,
        body=helpers.body,
        url="/orders/7/",
        departments=[production],
    )
    delivery = Delivery.objects.get(webhook=webhook)
    delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert robots.requests == []
    # Not retried: the address does not become allowed by itself.
    assert delivery.status == DeliveryStatus.ABANDONED
    assert "127.0.0.1" in delivery.last_error
