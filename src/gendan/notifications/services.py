"""Notifications (R-8.2): the in-app inbox, e-mail, and department chat robots.

`notify()` is what other apps call, inside their own transaction. The inbox rows and the outbox
rows (e-mails, robot messages) are written in that transaction, so a rollback leaves nothing;
the worker sends the outbox only after the commit and retries what failed, so a slow or broken
chat server never makes a user wait.
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from gendan.core import services as core_services
from gendan.core.audit import audit_record

from .channels import AddressNotAllowed, DeliveryError, Message, build_payload, post_webhook
from .choices import Channel, DeliveryChannel, DeliveryStatus
from .models import Delivery, DepartmentWebhook, Notification, NotificationPreference
from .registry import get_event

logger = logging.getLogger(__name__)

# Chat groups are read by the whole department: the factory's language.
WEBHOOK_LANGUAGE = "zh-hans"
MAX_ATTEMPTS = 5
# Delay after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure gives up.
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=15),
    datetime.timedelta(minutes=60),
)
# An attempt in progress holds the row this long; a worker that died mid-send loses it then.
ATTEMPT_LEASE = datetime.timedelta(minutes=2)
# A new row the worker has not picked up by then (queue lost, worker down) is swept up.
PICKUP_GRACE = datetime.timedelta(minutes=5)

# A lambda with default arguments (`lambda lang, n=number: ...`) is common: any callable of the language.
Text = str | Promise | Callable[..., str]


def _render(value: Text | None, language: str) -> str:
    """Title and body come ready-made, as a lazy translation, or as `f(language) -> str`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Promise):
        return str(value)
    if callable(value):
        return str(value(language))
    return str(value)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def base_url() -> str:
    return (getattr(settings, "GENDAN_BASE_URL", "") or os.environ.get("GENDAN_BASE_URL", "")).rstrip("/")


def absolute_url(url: str) -> str:
    """Links in e-mails and chat groups must be absolute; without GENDAN_BASE_URL they are left out."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    base = base_url()
    return f"{base}/{url.lstrip('/')}" if base else ""


def _unique(items: Iterable[Any]) -> list[Any]:
    seen: dict[Any, Any] = {}
    for item in items:
        if item is not None and getattr(item, "pk", None) is not None:
            seen.setdefault(item.pk, item)
    return list(seen.values())


def _enabled_channels(users: list, event: str) -> dict[int, set[str]]:
    """Each user's channels for the event: their saved choices over the event's defaults."""
    defaults = set(get_event(event).default_channels)
    result = {u.pk: set(defaults) for u in users}
    rows = NotificationPreference.objects.filter(user__in=[u.pk for u in users], event=event)
    for user_id, channel, enabled in rows.values_list("user_id", "channel", "enabled"):
        (result[user_id].add if enabled else result[user_id].discard)(channel)
    return result


def _email_payload(*, title: str, body: str, link: str) -> dict:
    parts = [body] if body else []
    if link:
        parts.append(_("Open in Gendan: %(url)s") % {"url": link})
    parts.append("-- \n" + _("You receive this e-mail because of your notification settings in Gendan."))
    return {"subject": title, "body": "\n\n".join(parts)}


def notify(
    *,
    event: str,
    recipients: Iterable,
    title: Text,
    body: Text = "",
    url: str = "",
    obj=None,
    departments: Iterable = (),
) -> None:
    """Tell people (and departments' chat groups) that something happened.

    Call it inside the transaction that makes the change. Each recipient gets the text in their
    own language (pass a lazy string or `f(language) -> str` when it must be translated), in the
    channels they chose; each department's active robots that take the event get it in Chinese.
    """
    get_event(event)  # an unknown key is a programming error
    users = [u for u in _unique(recipients) if u.is_active]
    departments = _unique(departments)
    if not users and not departments:
        return
    content_type = ContentType.objects.get_for_model(obj.__class__) if obj is not None else None
    object_id = str(obj.pk) if obj is not None else ""
    link = absolute_url(url)
    now = timezone.now()
    channels = _enabled_channels(users, event) if users else {}

    inbox: list[Notification] = []
    outbox: list[Delivery] = []
    for user in users:
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            user_title = _one_line(_render(title, language))[:255]
            user_body = _render(body, language)
            email = _email_payload(title=user_title, body=user_body, link=link) if user.email else None
        if Channel.INBOX in channels[user.pk]:
            inbox.append(
                Notification(
                    recipient=user,
                    event=event,
                    title=user_title,
                    body=user_body,
                    url=url[:500],
                    content_type=content_type,
                    object_id=object_id,
                )
            )
        if Channel.EMAIL in channels[user.pk] and email is not None:
            outbox.append(
                Delivery(
                    channel=DeliveryChannel.EMAIL,
                    event=event,
                    recipient=user,
                    target=user.email[:254],
                    payload=email,
                    next_attempt_at=now + PICKUP_GRACE,
                )
            )

    if departments:
        webhooks = [
            wh
            for wh in DepartmentWebhook.objects.filter(department__in=departments, is_active=True)
            if wh.wants(event)
        ]
        if webhooks:
            with translation.override(WEBHOOK_LANGUAGE):
                message = Message(
                    title=_one_line(_render(title, WEBHOOK_LANGUAGE)),
                    body=_render(body, WEBHOOK_LANGUAGE),
                    link=link,
                    link_text=_("Open in Gendan"),
                )
            for wh in webhooks:
                outbox.append(
                    Delivery(
                        channel=DeliveryChannel.WEBHOOK,
                        event=event,
                        webhook=wh,
                        target=str(wh)[:254],
                        payload=build_payload(wh.kind, message),
                        next_attempt_at=now + PICKUP_GRACE,
                    )
                )

    with transaction.atomic():
        Notification.objects.bulk_create(inbox)
        by_user = {n.recipient_id: n for n in inbox}
        for d in outbox:
            d.notification = by_user.get(d.recipient_id) if d.recipient_id else None
        Delivery.objects.bulk_create(outbox)
        ids = [d.pk for d in outbox]
        if ids:
            transaction.on_commit(partial(deliveries_enqueue, ids))


def deliveries_enqueue(ids: Iterable[int]) -> None:
    """Hand deliveries to the worker. A queue error is logged: the sweeper picks the row up later."""
    from .tasks import deliver

    for pk in ids:
        try:
            deliver.enqueue(pk)
        except Exception:
            logger.exception("cannot enqueue notification delivery %s", pk)


def _schedule_retry(pk: int, at: datetime.datetime) -> None:
    """With a queue that can defer (the database queue), retry by itself; otherwise the sweeper
    (`gendan notifications_retry`) finds the row when it is due."""
    from .tasks import deliver

    try:
        if deliver.get_backend().supports_defer:
            deliver.using(run_after=at).enqueue(pk)
    except Exception:
        logger.exception("cannot schedule the retry of notification delivery %s", pk)


class _GiveUp(Exception):
    pass


def _send(delivery: Delivery) -> None:
    if delivery.channel == DeliveryChannel.EMAIL:
        try:
            send_mail(
                delivery.payload.get("subject", ""),
                delivery.payload.get("body", ""),
                None,
                [delivery.target],
                fail_silently=False,
            )
        except Exception as exc:  # SMTP errors, refused connections, bad headers
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        return
    webhook = delivery.webhook
    if webhook is None or not webhook.is_active:
        raise _GiveUp("the robot was disabled or removed")
    post_webhook(webhook.kind, webhook.url, webhook.secret, delivery.payload)


def delivery_attempt(*, delivery_id: int) -> Delivery:
    """Send one delivery if it is due. Safe to run twice at once: the claim is a conditional update."""
    now = timezone.now()
    due = Q(status=DeliveryStatus.PENDING) | Q(
        status__in=[DeliveryStatus.FAILED, DeliveryStatus.SENDING], next_attempt_at__lte=now
    )
    claimed = Delivery.objects.filter(due, pk=delivery_id).update(
        status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + ATTEMPT_LEASE
    )
    delivery = Delivery.objects.select_related("webhook").get(pk=delivery_id)
    if not claimed:
        return delivery
    try:
        _send(delivery)
    except (DeliveryError, _GiveUp) as exc:
        error = str(exc)[:2000]
        if not isinstance(exc, _GiveUp | AddressNotAllowed) and delivery.attempts < MAX_ATTEMPTS:
            next_at = timezone.now() + RETRY_DELAYS[min(delivery.attempts, len(RETRY_DELAYS)) - 1]
            Delivery.objects.filter(pk=delivery_id).update(
                status=DeliveryStatus.FAILED, last_error=error, next_attempt_at=next_at
            )
            _schedule_retry(delivery_id, next_at)
        else:
            Delivery.objects.filter(pk=delivery_id).update(
                status=DeliveryStatus.ABANDONED, last_error=error, next_attempt_at=None
            )
        logger.warning(
            "notification delivery %s failed (attempt %s): %s", delivery_id, delivery.attempts, error
        )
    else:
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
        )
    delivery.refresh_from_db()
    return delivery


def deliveries_retry_due(*, limit: int = 1000) -> int:
    """Queue every delivery that is due: failed ones whose delay is over, and rows left behind."""
    ids = list(
        Delivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED, DeliveryStatus.SENDING],
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    deliveries_enqueue(ids)
    return len(ids)


# ---------------------------------------------------------------- the inbox


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (Notification.DoesNotExist for anyone else's)."""
    notification = Notification.objects.get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def preferences_save(*, user, choices: dict[tuple[str, str], bool]) -> None:
    """Store the user's choice for each (event, channel)."""
    for event, channel in choices:
        get_event(event)
        if channel not in Channel.values:
            raise ValueError(f"unknown channel {channel!r}")
    rows = [
        NotificationPreference(user=user, event=event, channel=channel, enabled=enabled)
        for (event, channel), enabled in choices.items()
    ]
    NotificationPreference.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "event", "channel"], update_fields=["enabled"]
    )


# ---------------------------------------------------------------- department robots


# A robot is created and edited by the generic services (core.services), through its EntityViews.


def webhook_set_active(*, actor, pk: int, active: bool) -> DepartmentWebhook:
    """Disabling replaces archiving: a robot's past messages keep pointing at it."""
    return core_services.record_update(
        actor=actor, model=DepartmentWebhook, pk=pk, data={"is_active": active}
    )


def webhook_send_test(*, actor, pk: int) -> Delivery:
    """Send a test message now (the administrator waits for the robot's answer), then record the
    delivery with its outcome and an audit entry together. The message goes out before the
    transaction opens: a slow chat server must not hold the database's write lock. It is not retried."""
    webhook = DepartmentWebhook.objects.get_for(actor, "change", pk=pk)
    if not webhook.is_active:
        raise ValidationError(_("This robot is disabled; enable it first."))
    with translation.override(WEBHOOK_LANGUAGE):
        message = Message(
            title=_("Test message from Gendan"),
            body=_("%(user)s checked that this chat group receives the notifications of %(department)s.")
            % {"user": actor, "department": webhook.department},
        )
    payload = build_payload(webhook.kind, message)
    error = ""
    try:
        post_webhook(webhook.kind, webhook.url, webhook.secret, payload)
    except DeliveryError as exc:
        error = str(exc)[:2000]
    with transaction.atomic():
        delivery = Delivery.objects.create(
            channel=DeliveryChannel.WEBHOOK,
            event="notifications.test",
            webhook=webhook,
            target=str(webhook)[:254],
            payload=payload,
            status=DeliveryStatus.ABANDONED if error else DeliveryStatus.SENT,
            attempts=1,
            last_error=error,
            sent_at=None if error else timezone.now(),
        )
        audit_record(
            actor=actor,
            obj=webhook,
            action="webhook_test_failed" if error else "webhook_test_sent",
            note=error,
        )
    return delivery
