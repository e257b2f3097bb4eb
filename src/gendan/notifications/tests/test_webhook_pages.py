"""The department robots on the generic pages: administrators list, open, add, edit, disable, enable
and test them; nobody else reaches them; the robot's key and signing secret never show."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gendan.core.models import AuditEntry
from gendan.notifications.choices import DeliveryStatus, WebhookKind
from gendan.notifications.models import Delivery, DepartmentWebhook
from gendan.notifications.services import webhook_send_test

pytestmark = pytest.mark.django_db

KEY, SECRET = "tok3nKEY9", "SECsigning42"


@pytest.fixture
def robot(production, robots):
    return DepartmentWebhook.objects.create(
        department=production,
        name="钉钉群",
        kind=WebhookKind.DINGTALK,
        url=robots.url(f"/dingtalk?access_token={KEY}"),
        secret=SECRET,
        events=["order.released"],
    )


def _url(name, robot=None):
    return reverse(f"notifications:webhook_{name}", args=[robot.pk] if robot else [])


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _export_text(client, query="") -> str:
    response = client.get(_url("export") + query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    return "\n".join(
        " ".join(str(c) for c in row if c is not None) for row in sheet.iter_rows(values_only=True)
    )


def test_the_list_searches_filters_sorts_and_shows_disabled_robots_too(client_admin, production, purchasing):
    for n in range(3):
        DepartmentWebhook.objects.create(
            department=production, name=f"生产群{n}", kind=WebhookKind.WECOM, url=f"https://x.example/{n}"
        )
    DepartmentWebhook.objects.create(
        department=purchasing,
        name="采购群",
        kind=WebhookKind.FEISHU,
        url="https://f.example/h",
        is_active=False,
    )
    page = _page(client_admin, _url("list"))
    assert all(name in page for name in ("生产群0", "生产群2", "采购群"))
    assert "采购群" in _page(client_admin, _url("list") + "?active=no")
    assert "生产群0" not in _page(client_admin, _url("list") + "?active=no")
    assert "生产群0" not in _page(client_admin, _url("list") + "?kind=feishu")
    assert "采购群" not in _page(client_admin, _url("list") + "?q=生产")
    rows = client_admin.get(_url("list") + "?sort=-name&per_page=25").context["rows"]
    assert [obj.name for obj, _values in rows] == ["采购群", "生产群2", "生产群1", "生产群0"]
    htmx = client_admin.get(_url("list") + "?q=采购", HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode() and "采购群" in htmx.content.decode()


def test_the_detail_page_shows_the_robot_its_messages_and_its_buttons(client_admin, robot, robots):
    page = _page(client_admin, _url("detail", robot))
    assert "钉钉群" in page and robot.address in page
    assert "Order released to production" in page  # the events, by name
    assert f'action="{_url("test", robot)}"' in page
    assert f'action="{_url("disable", robot)}"' in page
    assert _url("enable", robot) not in page

    client_admin.post(_url("test", robot))
    page = _page(client_admin, _url("detail", robot))
    assert "Recent messages" in page and "Sent" in page

    response = client_admin.post(_url("disable", robot), follow=True)
    assert "is disabled" in response.content.decode()
    robot.refresh_from_db()
    assert robot.is_active is False
    page = _page(client_admin, _url("detail", robot))
    assert _url("enable", robot) in page
    assert _url("test", robot) not in page and _url("disable", robot) not in page
    # A disabled robot takes no test message, even when asked directly.
    response = client_admin.post(_url("test", robot), follow=True)
    assert "disabled; enable it first" in response.content.decode()
    assert len(robots.requests) == 1

    client_admin.post(_url("enable", robot))
    robot.refresh_from_db()
    assert robot.is_active is True
    actions = list(
        AuditEntry.objects.filter(object_id=str(robot.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["webhook_test_sent", "update", "update"]  # disabled, enabled


def test_create_and_edit_keep_the_secret_unless_removed(client_admin, production, robot):
    response = client_admin.post(
        _url("create"),
        {
            "department": production.pk,
            "name": "飞书群",
            "kind": WebhookKind.FEISHU,
            "url": "https://open.feishu.cn/open-apis/bot/v2/hook/abcd1234",
            "secret": "feishuSEC",
            "events": ["order.finding"],
            "is_active": "on",
        },
    )
    created = DepartmentWebhook.objects.get(name="飞书群")
    assert response.status_code == 302 and response["Location"] == _url("detail", created)
    assert (created.secret, created.events) == ("feishuSEC", ["order.finding"])

    data = {
        "department": production.pk,
        "name": "钉钉群 2",
        "kind": WebhookKind.DINGTALK,
        "url": robot.url,
        "secret": "",
        "is_active": "on",
    }
    assert client_admin.post(_url("edit", robot), data).status_code == 302
    robot.refresh_from_db()
    assert (robot.name, robot.secret) == ("钉钉群 2", SECRET)
    client_admin.post(_url("edit", robot), data | {"clear_secret": "on"})
    robot.refresh_from_db()
    assert robot.secret == ""


def test_the_key_and_the_secret_never_show(client_admin, robot):
    client_admin.post(_url("test", robot))
    client_admin.post(_url("disable", robot))
    client_admin.post(
        _url("edit", robot),
        {"department": robot.department_id, "name": "n", "kind": robot.kind, "url": robot.url + "x"},
    )
    shown = {
        "list": _page(client_admin, _url("list") + "?active="),
        "detail": _page(client_admin, _url("detail", robot)),
        "history": _page(client_admin, _url("history", robot)),
        "export": _export_text(client_admin),
        "edit": _page(client_admin, _url("edit", robot)),
        "audit trail": _page(client_admin, reverse("core:audit_list")),
    }
    for where, text in shown.items():
        assert SECRET not in text, where
        if where != "edit":  # the form to change the address shows it, as before
            assert KEY not in text, where
    assert robot.department.name in shown["export"] and "…" in shown["export"]  # the masked address


@pytest.mark.parametrize("name", ["list", "create", "export"])
def test_others_may_not_open_the_robot_pages(client_wang, name):
    assert client_wang.get(_url(name)).status_code == 403


@pytest.mark.parametrize("name", ["detail", "edit", "history"])
def test_others_may_not_open_a_robot(client_wang, robot, name):
    assert client_wang.get(_url(name, robot)).status_code in (403, 404)


@pytest.mark.parametrize("name", ["test", "disable", "enable"])
def test_others_may_not_act_on_a_robot(client_wang, robot, robots, name):
    assert client_wang.post(_url(name, robot)).status_code in (403, 404)
    robot.refresh_from_db()
    assert robot.is_active and robots.requests == []
    assert client_wang.get(_url(name, robot)).status_code in (403, 404, 405)


def test_the_inbox_leads_administrators_to_the_robots(client_admin):
    assert _url("list") in _page(client_admin, reverse("notifications:inbox"))


def test_a_test_message_is_audited_with_its_result(admin_user, robot, robots):
    delivery = webhook_send_test(actor=admin_user, pk=robot.pk)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    entry = AuditEntry.objects.get(object_id=str(robot.pk), action="webhook_test_sent")
    assert (entry.actor, entry.note) == (admin_user, "")

    robots.reply("/dingtalk", 200, {"errcode": 310000, "errmsg": "sign not match"})
    delivery = webhook_send_test(actor=admin_user, pk=robot.pk)
    assert delivery.status == DeliveryStatus.ABANDONED and "310000" in delivery.last_error
    failed = AuditEntry.objects.get(object_id=str(robot.pk), action="webhook_test_failed")
    assert "310000" in failed.note
    assert Delivery.objects.filter(webhook=robot).count() == 2


def test_only_administrators_send_a_test_message_and_a_refusal_leaves_no_trace(wang, robot, robots):
    with pytest.raises(PermissionDenied):
        webhook_send_test(actor=wang, pk=robot.pk)
    with pytest.raises(DepartmentWebhook.DoesNotExist):
        webhook_send_test(actor=wang, pk=robot.pk + 1000)
    DepartmentWebhook.objects.filter(pk=robot.pk).update(is_active=False)
    with pytest.raises(ValidationError):
        webhook_send_test(actor=None, pk=robot.pk)
    assert robots.requests == []
    assert not Delivery.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="webhook_test").exists()


def test_the_history_names_the_test_message(client_admin, admin_user, robot):
    webhook_send_test(actor=admin_user, pk=robot.pk)
    assert "Test message sent" in _page(client_admin, _url("history", robot))


def test_the_list_and_the_detail_cost_the_same_queries_for_more_robots_and_messages(
    client_admin, production, purchasing, robot
):
    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client_admin.get(url).status_code == 200
        return len(ctx.captured_queries)

    Delivery.objects.create(channel="webhook", event="order.released", webhook=robot, target="t")
    one = queries(_url("list")), queries(_url("detail", robot))
    for n in range(20):
        DepartmentWebhook.objects.create(
            department=purchasing if n % 2 else production,
            name=f"g{n}",
            kind=WebhookKind.WECOM,
            url=f"https://x.example/{n}",
        )
        Delivery.objects.create(channel="webhook", event="order.released", webhook=robot, target="t")
    assert (queries(_url("list")), queries(_url("detail", robot))) == one
