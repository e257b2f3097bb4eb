"""Chat robots get the message in their own documented format, signed when they have a secret,
only after the commit, and again later when the first try fails."""

import base64
import datetime
import hashlib
import hmac
import time
import urllib.parse

import pytest
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from gendan.notifications.choices import DeliveryStatus, WebhookKind
from gendan.notifications.models import Delivery, DepartmentWebhook, Notification
from gendan.notifications.services import deliveries_retry_due, delivery_attempt, notify

from . import helpers
from .conftest import BASE_URL

pytestmark = pytest.mark.django_db

LINK = f"{BASE_URL}/orders/7/"


def _link_text() -> str:
    with translation.override("zh-hans"):
        return gettext("Open in Gendan")


@pytest.fixture
def three_robots(production, robots):
    return {
        "wecom": DepartmentWebhook.objects.create(
            department=production, name="生产群", kind=WebhookKind.WECOM, url=robots.url("/wecom?key=K1")
        ),
        "dingtalk": DepartmentWebhook.objects.create(
            department=production,
            name="钉钉群",
            kind=WebhookKind.DINGTALK,
            url=robots.url("/dingtalk?access_token=T1"),
            secret="SECdingtalk123",
        ),
        "feishu": DepartmentWebhook.objects.create(
            department=production,
            name="飞书群",
            kind=WebhookKind.FEISHU,
            url=robots.url("/feishu/hook/abc"),
            secret="feishu-secret-456",
        ),
    }


def _release(departments, recipients=()):
    notify(
        event="order.released",
        recipients=recipients,
        title=helpers.title,
        body=helpers.body,
        url="/orders/7/",
        departments=departments,
    )


def test_each_robot_gets_its_own_format_signed_with_its_secret(
    production, three_robots, robots, django_capture_on_commit_callbacks
):
    before = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        _release([production])
    after = time.time()

    (wecom,) = robots.to("/wecom")
    assert wecom["query"] == "key=K1"
    assert wecom["content_type"] == "application/json; charset=utf-8"
    assert wecom["body"] == {
        "msgtype": "markdown",
        "markdown": {"content": f"**订单 SO-1 已下达**\n请各部门确认。\n[{_link_text()}]({LINK})"},
    }

    (ding,) = robots.to("/dingtalk")
    assert ding["body"] == {
        "msgtype": "markdown",
        "markdown": {
            "title": "订单 SO-1 已下达",
            "text": f"#### 订单 SO-1 已下达\n\n请各部门确认。\n\n[{_link_text()}]({LINK})",
        },
    }
    query = urllib.parse.parse_qs(ding["query"])
    assert query["access_token"] == ["T1"]
    timestamp = query["timestamp"][0]
    assert before * 1000 - 1 <= int(timestamp) <= after * 1000 + 1  # milliseconds
    expected = base64.b64encode(
        hmac.new(b"SECdingtalk123", f"{timestamp}\nSECdingtalk123".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == [expected]
    # The sign is URL-encoded in the query string (base64 has + / =).
    assert "sign=" + urllib.parse.quote_plus(expected) in ding["query"]

    (feishu,) = robots.to("/feishu/hook/abc")
    body = feishu["body"]
    timestamp = body["timestamp"]
    assert isinstance(timestamp, str) and int(before) <= int(timestamp) <= int(after)  # seconds
    expected = base64.b64encode(
        hmac.new(f"{timestamp}\nfeishu-secret-456".encode(), b"", hashlib.sha256).digest()
    ).decode()
    assert body == {
        "timestamp": timestamp,
        "sign": expected,
        "msg_type": "text",
        "content": {"text": f"订单 SO-1 已下达\n请各部门确认。\n{LINK}"},
    }

    assert set(Delivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}


def test_robots_without_secret_are_not_signed(production, robots, django_capture_on_commit_callbacks):
    DepartmentWebhook.objects.create(
        department=production, name="d", kind=WebhookKind.DINGTALK, url=robots.url("/dingtalk?access_token=T")
    )
    DepartmentWebhook.objects.create(
        department=production, name="f", kind=WebhookKind.FEISHU, url=robots.url("/feishu/x")
    )
    with django_capture_on_commit_callbacks(execute=True):
        _release([production])
    assert robots.to("/dingtalk")[0]["query"] == "access_token=T"
    assert set(robots.to("/feishu/x")[0]["body"]) == {"msg_type", "content"}


def test_only_active_robots_of_the_named_departments_that_take_the_event(
    production, purchasing, robots, django_capture_on_commit_callbacks
):
    DepartmentWebhook.objects.create(
        department=production, name="all", kind=WebhookKind.WECOM, url=robots.url("/wecom/all")
    )
    DepartmentWebhook.objects.create(
        department=production,
        name="findings",
        kind=WebhookKind.WECOM,
        url=robots.url("/wecom/findings"),
        events=["order.finding"],
    )
    DepartmentWebhook.objects.create(
        department=production,
        name="off",
        kind=WebhookKind.WECOM,
        url=robots.url("/wecom/off"),
        is_active=False,
    )
    DepartmentWebhook.objects.create(
        department=purchasing, name="other", kind=WebhookKind.WECOM, url=robots.url("/wecom/other")
    )
    with django_capture_on_commit_callbacks(execute=True):
        _release([production])
    assert [r["path"] for r in robots.requests] == ["/wecom/all"]


def test_nothing_is_sent_before_the_commit(
    production, three_robots, robots, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _release([production])
    assert robots.requests == []
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 3
    for callback in callbacks:
        callback()
    assert len(robots.requests) == 3


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_sends_nothing_and_leaves_no_inbox_row(production, wang, robots, mailoutbox):
    DepartmentWebhook.objects.create(
        department=production, name="g", kind=WebhookKind.WECOM, url=robots.url("/wecom")
    )

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        _release([production], recipients=[wang])
        raise Boom

    assert robots.requests == []
    assert mailoutbox == []
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()

    # The same call that commits does send, through the real on_commit.
    with transaction.atomic():
        _release([production], recipients=[wang])
    assert len(robots.to("/wecom")) == 1
    assert len(mailoutbox) == 1
    assert Notification.objects.filter(recipient=wang).count() == 1


def test_a_failed_message_is_retried_later_and_succeeds(
    production, robots, django_capture_on_commit_callbacks
):
    DepartmentWebhook.objects.create(
        department=production, name="g", kind=WebhookKind.WECOM, url=robots.url("/wecom")
    )
    robots.reply("/wecom", 500, {"error": "down"})
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _release([production])

    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert "HTTP 500" in delivery.last_error
    assert start + datetime.timedelta(seconds=59) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + datetime.timedelta(minutes=1)

    # Not due yet: the sweeper leaves it alone.
    assert deliveries_retry_due() == 0
    assert len(robots.requests) == 1

    Delivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    assert deliveries_retry_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2
    assert delivery.last_error == ""
    assert len(robots.requests) == 2
    assert robots.requests[0]["body"] == robots.requests[1]["body"]


def test_a_robot_error_code_is_a_failure(production, robots, django_capture_on_commit_callbacks):
    DepartmentWebhook.objects.create(
        department=production, name="d", kind=WebhookKind.DINGTALK, url=robots.url("/dingtalk"), secret="s"
    )
    DepartmentWebhook.objects.create(
        department=production, name="f", kind=WebhookKind.FEISHU, url=robots.url("/feishu/1"), secret="s"
    )
    robots.reply("/dingtalk", 200, {"errcode": 310000, "errmsg": "sign not match"})
    robots.reply(
        "/feishu/1", 200, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        _release([production])
    errors = dict(Delivery.objects.values_list("webhook__kind", "last_error"))
    assert Delivery.objects.filter(status=DeliveryStatus.FAILED).count() == 2
    assert "310000" in errors["dingtalk"]
    assert "19021" in errors["feishu"]


def test_delays_grow_and_the_fifth_failure_gives_up(production, robots, django_capture_on_commit_callbacks):
    DepartmentWebhook.objects.create(
        department=production, name="g", kind=WebhookKind.WECOM, url=robots.url("/wecom")
    )
    for _ in range(5):
        robots.reply("/wecom", 502, {})
    with django_capture_on_commit_callbacks(execute=True):
        _release([production])
    delivery = Delivery.objects.get()
    delays = []
    for _ in range(4):
        delivery.refresh_from_db()
        delays.append(round((delivery.next_attempt_at - timezone.now()).total_seconds() / 60))
        Delivery.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
        delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delays == [1, 5, 15, 60]
    assert delivery.status == DeliveryStatus.ABANDONED
    assert delivery.attempts == 5
    assert delivery.next_attempt_at is None
    assert deliveries_retry_due() == 0
    assert len(robots.requests) == 5


def test_an_unreachable_robot_is_a_failure_not_an_error(production, django_capture_on_commit_callbacks):
    DepartmentWebhook.objects.create(
        department=production, name="g", kind=WebhookKind.WECOM, url="http://127.0.0.1:9/nothing-listens"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _release([production])
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "cannot reach" in delivery.last_error


def test_two_workers_on_the_same_delivery_send_it_once(
    production, robots, django_capture_on_commit_callbacks
):
    DepartmentWebhook.objects.create(
        department=production, name="g", kind=WebhookKind.WECOM, url=robots.url("/wecom")
    )
    with django_capture_on_commit_callbacks(execute=False):
        _release([production])
    delivery = Delivery.objects.get()
    delivery_attempt(delivery_id=delivery.pk)
    delivery_attempt(delivery_id=delivery.pk)
    assert len(robots.requests) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_a_disabled_robot_gets_no_retry(production, robots, django_capture_on_commit_callbacks):
    webhook = DepartmentWebhook.objects.create(
        department=production, name="g", kind=WebhookKind.WECOM, url=robots.url("/wecom")
    )
    with django_capture_on_commit_callbacks(execute=False):
        _release([production])
    DepartmentWebhook.objects.filter(pk=webhook.pk).update(is_active=False)
    delivery = delivery_attempt(delivery_id=Delivery.objects.get().pk)
    assert delivery.status == DeliveryStatus.ABANDONED
    assert robots.requests == []


def test_long_messages_are_cut_to_the_robots_limits():
    from gendan.notifications.channels import Message, build_payload

    message = Message(title="标题", body="很长" * 5000)
    wecom = build_payload(WebhookKind.WECOM, message)["markdown"]["content"]
    assert len(wecom.encode()) <= 4096
    assert len(build_payload(WebhookKind.FEISHU, message)["content"]["text"]) <= 4000
    assert len(build_payload(WebhookKind.DINGTALK, message)["markdown"]["text"]) <= 5000
