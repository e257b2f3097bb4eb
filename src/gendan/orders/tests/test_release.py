"""Release and acknowledgement (R-1.4, R-1.5): version 1, the order copy PDF, acknowledgements
from production, purchasing and quality, one-click acknowledging, and automatic chasing."""

import datetime as dt
import re
import shutil
import subprocess
import zoneinfo

import pytest
from django.conf import settings
from django.contrib.messages import ERROR

from gendan.core.exceptions import WorkflowConflict
from gendan.notifications.models import Notification
from gendan.orders import services
from gendan.orders.choices import AttachmentKind, ChangeKind, OrderStatus
from gendan.orders.models import Acknowledgement, Order, OrderAttachment, OrderVersion

pytestmark = pytest.mark.django_db
RECEIVERS = ("production", "purchasing", "quality")


def _pdf_text(data: bytes) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_release_freezes_version_1_makes_the_order_copy_and_asks_three_departments(
    orders, users, departments, client_merchandiser
):
    order = orders.reviewed(n_lines=2)
    response = client_merchandiser.post(f"/orders/order/{order.pk}/release/")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.RELEASED
    assert order.released_by == users["merchandiser"] and order.released_at is not None

    version = OrderVersion.objects.get(order=order)
    assert version.number == 1 == order.version
    assert [line["line_no"] for line in version.data["lines"]] == [1, 2]
    assert version.data["order"]["customer_po"] == order.customer_po

    copy = OrderAttachment.objects.get(order=order, kind=AttachmentKind.ORDER_COPY)
    data = copy.file.read()
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # the Chinese font is embedded: prints the same on every PC
    assert copy.version == 1 and copy.original_name.endswith(".pdf")

    acks = Acknowledgement.objects.filter(order=order)
    assert {a.department.kind for a in acks} == set(RECEIVERS)
    assert all(a.order_version == 1 and a.acknowledged_at is None for a in acks)
    for role in RECEIVERS:
        note = Notification.objects.get(recipient=users[role], event="order.released")
        assert order.number in note.title
        assert note.url == f"/orders/order/{order.pk}/#acks"
    assert not Notification.objects.filter(event="order.released", recipient=users["warehouse"]).exists()


def test_a_department_member_acknowledges_with_one_post(orders, users, client_production):
    order = orders.released()
    ack = order.acknowledgements.get(department__kind="production")

    page = client_production.get(f"/orders/order/{order.pk}/")
    assert f"/orders/order/{order.pk}/acknowledgements/{ack.pk}/" in page.content.decode()

    response = client_production.post(f"/orders/order/{order.pk}/acknowledgements/{ack.pk}/", follow=True)
    assert response.redirect_chain == [(f"/orders/order/{order.pk}/", 302)]
    ack.refresh_from_db()
    assert ack.acknowledged_by == users["production"] and ack.acknowledged_at is not None
    assert order.acknowledgements.filter(acknowledged_at__isnull=True).count() == 2

    # Twice: a conflict, nothing changes.
    stamp = ack.acknowledged_at
    response = client_production.post(f"/orders/order/{order.pk}/acknowledgements/{ack.pk}/", follow=True)
    assert [m.level for m in response.context["messages"]] == [ERROR]
    with pytest.raises(WorkflowConflict):
        services.acknowledgement_confirm(actor=users["production"], ack_id=ack.pk)
    ack.refresh_from_db()
    assert ack.acknowledged_at == stamp


def test_another_department_cannot_acknowledge(
    orders, users, client_purchasing, api_purchasing, api_merchandiser
):
    order = orders.released()
    ack = order.acknowledgements.get(department__kind="production")

    # He sees the order and its acknowledgements, but may not acknowledge for production: a 403.
    response = client_purchasing.post(f"/orders/order/{order.pk}/acknowledgements/{ack.pk}/")
    assert response.status_code == 403
    assert api_purchasing.post(f"/api/acknowledgements/{ack.pk}/acknowledge/").status_code == 403
    # The merchandiser cannot tick it off for them either.
    assert api_merchandiser.post(f"/api/acknowledgements/{ack.pk}/acknowledge/").status_code == 403
    ack.refresh_from_db()
    assert ack.acknowledged_at is None and ack.acknowledged_by is None


def test_acknowledging_through_the_api(orders, users, api_quality):
    order = orders.released()
    ack = order.acknowledgements.get(department__kind="quality")
    response = api_quality.post(f"/api/acknowledgements/{ack.pk}/acknowledge/")
    assert response.status_code == 200
    assert response.json()["acknowledged_by"] == users["quality"].pk
    assert api_quality.post(f"/api/acknowledgements/{ack.pk}/acknowledge/").status_code == 409


# Wednesday 25 November 2026, 15:00 in the factory: working hours are 8–12 and 13–17.
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=TZ)


def _requested(order, kind, when):
    Acknowledgement.objects.filter(order=order, department__kind=kind).update(requested_at=when)


def test_missing_acknowledgements_are_chased_then_escalated(orders, users, departments, make):
    manager = make.user(role="production", username="prd-boss", department=departments["production"])
    departments["production"].manager = manager
    departments["production"].save()
    departments["purchasing"].ack_timeout_hours = 8
    departments["purchasing"].save()
    order = orders.released()
    _requested(order, "production", NOW - dt.timedelta(hours=5))  # 10:00 → 4 working hours
    _requested(order, "purchasing", NOW - dt.timedelta(hours=5))  # 4 of its 8 hours: not yet
    _requested(order, "quality", NOW - dt.timedelta(hours=4))  # 11:00 → 3 working hours: not yet
    Notification.objects.all().delete()

    assert services.acknowledgements_chase(now=NOW) == {"chased": 1, "escalated": 0}
    prd = order.acknowledgements.get(department__kind="production")
    assert prd.chase_count == 1 and prd.chased_at == NOW and prd.escalated_at is None
    reminded = set(Notification.objects.filter(event="order.ack_missing").values_list("recipient", flat=True))
    assert {users["production"].pk, users["merchandiser"].pk} <= reminded
    assert users["purchasing"].pk not in reminded and users["quality"].pk not in reminded
    # Running again at once does not remind again.
    assert services.acknowledgements_chase(now=NOW) == {"chased": 0, "escalated": 0}

    # The next morning at 10:00 production has waited 10 working hours (> 2 × 4): escalated.
    later = NOW + dt.timedelta(hours=19)
    result = services.acknowledgements_chase(now=later)
    assert result["escalated"] == 1
    prd.refresh_from_db()
    assert prd.escalated_at == later
    escalation = Notification.objects.get(event="order.ack_escalated", recipient=manager)
    assert order.number in escalation.title
    assert Notification.objects.filter(event="order.ack_escalated", recipient=users["merchandiser"]).exists()
    # Escalated once only.
    services.acknowledgements_chase(now=later + dt.timedelta(hours=1))
    assert Notification.objects.filter(event="order.ack_escalated", recipient=manager).count() == 1


def test_the_weekend_does_not_count(orders):
    order = orders.released()
    friday_4pm = dt.datetime(2026, 11, 27, 16, 0, tzinfo=TZ)
    monday_9am = dt.datetime(2026, 11, 30, 9, 0, tzinfo=TZ)
    _requested(order, "production", friday_4pm)
    Acknowledgement.objects.exclude(department__kind="production").update(acknowledged_at=friday_4pm)
    assert services.acknowledgements_chase(now=monday_9am) == {"chased": 0, "escalated": 0}  # 2 hours


def test_acknowledged_and_superseded_acknowledgements_are_not_chased(orders, users):
    actor = users["merchandiser"]
    order = orders.released()
    line = order.lines.get()
    change = services.change_request_create(
        actor=actor,
        order_id=order.pk,
        kind=ChangeKind.QUANTITY,
        line_id=line.pk,
        new_value="150",
        reason="客户追加",
    )
    services.change_request_approve(actor=orders.approver, change_id=change.pk)
    v2 = order.acknowledgements.filter(order_version=2)
    assert v2.count() == 3
    services.acknowledgement_confirm(actor=users["quality"], ack_id=v2.get(department__kind="quality").pk)
    Acknowledgement.objects.filter(order=order).update(requested_at=NOW - dt.timedelta(hours=5))

    assert services.acknowledgements_chase(now=NOW) == {"chased": 2, "escalated": 0}
    assert not order.acknowledgements.filter(order_version=1, chase_count__gt=0).exists()
    assert order.acknowledgements.get(order_version=2, department__kind="quality").chase_count == 0


def test_the_order_copy_in_english_and_chinese(orders, users, client_merchandiser, client_production):
    order = orders.released()
    english = client_merchandiser.get(f"/orders/order/{order.pk}/copy.pdf?lang=en")
    assert english.status_code == 200 and english["Content-Type"] == "application/pdf"
    assert english.content.startswith(b"%PDF") and b"/FontFile2" in english.content
    chinese = client_production.get(f"/orders/order/{order.pk}/copy.pdf")
    assert chinese.status_code == 200 and chinese.content.startswith(b"%PDF")
    assert chinese.content != english.content

    text = _pdf_text(chinese.content)
    if text is not None:
        assert order.number in text
        assert "订单号" in text and "订单副本" in text
        assert order.customer_po in text
        en = _pdf_text(english.content)
        assert "Order number" in en and order.number in en
        # The release time is printed in the factory's local time, not UTC.
        local = order.released_at.astimezone(TZ).strftime("%Y-%m-%d %H:%M")
        after_label = en[en.index("Released at") :]
        assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", after_label).group() == local


def test_a_draft_order_copy_is_not_shown_to_departments(orders, client_production):
    order = orders.draft()
    assert client_production.get(f"/orders/order/{order.pk}/copy.pdf").status_code == 404
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DRAFT


def test_notifications_are_in_each_members_language(orders, users):
    users["purchasing"].language = "en"
    users["purchasing"].save()
    order = orders.released()
    english = Notification.objects.get(recipient=users["purchasing"], event="order.released")
    chinese = Notification.objects.get(recipient=users["production"], event="order.released")
    assert english.title == f"Order {order.number} (version 1) released: please acknowledge"
    assert english.title != chinese.title and order.number in chinese.title


def test_a_release_that_fails_leaves_no_order_copy_file_behind(orders, monkeypatch, settings):
    """The order copy PDF is written inside the release; when the release rolls back, so does it."""
    import os

    from gendan.orders.services import release as release_module

    order = orders.reviewed()
    folder = os.path.join(settings.MEDIA_ROOT, "orders")
    before = set(os.listdir(folder)) if os.path.isdir(folder) else set()

    def broken(**kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(release_module, "acknowledgements_request", broken)
    with pytest.raises(RuntimeError):
        services.order_release(actor=order.merchandiser, order_id=order.pk)
    after = set(os.listdir(folder)) if os.path.isdir(folder) else set()
    assert after == before
    assert Order.objects.get(pk=order.pk).status == "reviewed"
    assert not order.attachments.exists()
