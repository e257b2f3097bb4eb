"""Each person gets the notification in their own language, in the channels they chose."""

import pytest
from django.utils.translation import gettext_lazy

from gendan.notifications import registry
from gendan.notifications.choices import Channel, DeliveryStatus
from gendan.notifications.models import Delivery, Notification
from gendan.notifications.registry import all_events, register_event
from gendan.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
    preferences_save,
)

from . import helpers
from .conftest import BASE_URL

pytestmark = pytest.mark.django_db


def _release(recipients, **kwargs):
    notify(
        event="order.released",
        recipients=recipients,
        title=kwargs.pop("title", helpers.title),
        body=kwargs.pop("body", helpers.body),
        url="/orders/7/",
        **kwargs,
    )


def test_inbox_and_email_in_each_recipients_language(
    wang, anna, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _release([wang, anna])

    zh = Notification.objects.get(recipient=wang)
    en = Notification.objects.get(recipient=anna)
    assert (zh.title, zh.body, zh.url, zh.read_at) == (
        "订单 SO-1 已下达",
        "请各部门确认。",
        "/orders/7/",
        None,
    )
    assert (en.title, en.body) == ("Order SO-1 released", "Please acknowledge.")

    mails = {m.to[0]: m for m in mailoutbox}
    assert set(mails) == {"wang@example.com", "anna@example.com"}
    assert mails["wang@example.com"].subject == "订单 SO-1 已下达"
    assert mails["anna@example.com"].subject == "Order SO-1 released"
    assert mails["anna@example.com"].body.startswith("Please acknowledge.\n\nOpen in Gendan: ")
    assert f"{BASE_URL}/orders/7/" in mails["anna@example.com"].body
    assert "请各部门确认。" in mails["wang@example.com"].body
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_lazy_strings_are_translated_per_recipient(
    wang, anna, mailoutbox, django_capture_on_commit_callbacks
):
    # Django's own catalogue has the month names, so this needs no catalogue of ours.
    with django_capture_on_commit_callbacks(execute=True):
        _release([wang, anna], title=gettext_lazy("January"), body="")
    assert Notification.objects.get(recipient=wang).title == "一月"
    assert Notification.objects.get(recipient=anna).title == "January"
    assert {m.subject for m in mailoutbox} == {"一月", "January"}


def test_a_user_who_opted_out_of_email_gets_no_mail_but_the_inbox_row(
    wang, anna, mailoutbox, django_capture_on_commit_callbacks
):
    preferences_save(user=wang, choices={("order.released", Channel.EMAIL): False})
    with django_capture_on_commit_callbacks(execute=True):
        _release([wang, anna])
    assert [m.to for m in mailoutbox] == [["anna@example.com"]]
    assert Notification.objects.filter(recipient=wang).exists()


def test_a_user_who_opted_out_of_the_inbox_gets_only_mail(
    wang, mailoutbox, django_capture_on_commit_callbacks
):
    preferences_save(
        user=wang,
        choices={("order.released", Channel.INBOX): False, ("order.released", Channel.EMAIL): True},
    )
    with django_capture_on_commit_callbacks(execute=True):
        _release([wang])
    assert not Notification.objects.exists()
    assert len(mailoutbox) == 1
    assert Delivery.objects.get().notification is None


def test_preferences_are_per_event(wang, mailoutbox, django_capture_on_commit_callbacks):
    preferences_save(user=wang, choices={("order.finding", Channel.EMAIL): False})
    with django_capture_on_commit_callbacks(execute=True):
        _release([wang])
    assert len(mailoutbox) == 1


def test_an_events_default_channels_apply_without_a_choice(
    wang, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="import.finished", recipients=[wang], title="导入完成")
    assert Notification.objects.filter(recipient=wang, event="import.finished").exists()
    assert mailoutbox == []
    # ...and an explicit choice wins over the default.
    preferences_save(user=wang, choices={("import.finished", Channel.EMAIL): True})
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="import.finished", recipients=[wang], title="导入完成")
    assert len(mailoutbox) == 1


def test_users_without_email_or_inactive_are_skipped(
    wang, nomail, anna, mailoutbox, django_capture_on_commit_callbacks
):
    anna.is_active = False
    anna.save()
    with django_capture_on_commit_callbacks(execute=True):
        _release([wang, wang, nomail, anna, None])
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["nomail", "wang"]
    assert [m.to for m in mailoutbox] == [["wang@example.com"]]
    assert Delivery.objects.count() == 1


def test_the_object_is_remembered(wang, production, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _release([wang], obj=production)
    n = Notification.objects.get()
    assert n.content_type.model == "department"
    assert n.object_id == str(production.pk)


def test_an_unknown_event_is_refused(wang):
    with pytest.raises(ValueError, match="unknown notification event"):
        notify(event="order.typo", recipients=[wang], title="x")


def test_other_apps_register_their_own_events(monkeypatch):
    monkeypatch.setattr(registry, "_EVENTS", dict(registry._EVENTS))
    event = register_event(
        "quality.inspection_failed", gettext_lazy("Inspection failed"), default_channels=("inbox",)
    )
    assert event in all_events()
    with pytest.raises(ValueError):
        register_event("x.y", "x", default_channels=("pager",))


def test_mark_read_only_for_ones_own_notifications(wang, anna):
    _release([wang, anna])
    mine = Notification.objects.get(recipient=wang)
    theirs = Notification.objects.get(recipient=anna)
    assert notification_mark_read(user=wang, notification_id=mine.pk).read_at is not None
    with pytest.raises(Notification.DoesNotExist):
        notification_mark_read(user=wang, notification_id=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(wang, anna):
    _release([wang, anna])
    _release([wang])
    assert notifications_mark_all_read(user=wang) == 2
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
