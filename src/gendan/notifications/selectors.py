from django.db.models import Case, IntegerField, QuerySet, Value, When

from .choices import USER_CHANNELS
from .models import Delivery, DepartmentWebhook, Notification, NotificationPreference
from .registry import all_events


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """A user's own notifications, unread first, newest first. Nobody sees anyone else's."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return qs.order_by(unread_first, "-created_at", "-id")


def unread_count(*, user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_matrix(*, user) -> list[tuple]:
    """Rows of (event, [(channel, enabled), ...]) for every registered event, defaults filled in."""
    saved = {
        (event, channel): enabled
        for event, channel, enabled in NotificationPreference.objects.filter(user=user).values_list(
            "event", "channel", "enabled"
        )
    }
    rows = []
    for event in all_events():
        cells = [
            (channel, saved.get((event.key, channel), channel in event.default_channels))
            for channel in USER_CHANNELS
        ]
        rows.append((event, cells))
    return rows


def webhook_list(*, user, action: str = "view") -> QuerySet[DepartmentWebhook]:
    """The department robots `user` may take `action` on (administrators)."""
    return DepartmentWebhook.objects.restrict(user, action).select_related("department")


def webhook_deliveries(*, user, parent: DepartmentWebhook, limit: int = 20) -> QuerySet[Delivery]:
    """A robot's latest messages, newest first."""
    return (
        Delivery.objects.restrict(user, "view").filter(webhook=parent).order_by("-created_at", "-id")[:limit]
    )
