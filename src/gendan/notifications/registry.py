"""The events that can be notified, in code: each app registers its own keys with a label.

The preferences page lists every registered event; `notify()` refuses an unknown key, so a typo
fails in the tests of the calling app instead of silently reaching nobody.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import Channel


@dataclass(frozen=True)
class EventType:
    key: str
    label: object  # a lazy translated string
    default_channels: tuple[str, ...]


_EVENTS: dict[str, EventType] = {}


def register_event(key: str, label, default_channels=(Channel.INBOX, Channel.EMAIL)) -> EventType:
    """Declare an event (idempotent: registering a key again replaces its label and defaults)."""
    valid = set(Channel.values)
    unknown = set(default_channels) - valid
    if unknown:
        raise ValueError(f"unknown channels for event {key!r}: {sorted(unknown)}")
    event = EventType(key=key, label=label, default_channels=tuple(str(c) for c in default_channels))
    _EVENTS[key] = event
    return event


def get_event(key: str) -> EventType:
    try:
        return _EVENTS[key]
    except KeyError:
        raise ValueError(f"unknown notification event {key!r}: register it with register_event()") from None


def all_events() -> list[EventType]:
    return list(_EVENTS.values())


# The events of the order follow-up itself; other apps add theirs from their AppConfig.ready().
register_event("order.released", _("Order released to production"))
register_event("order.ack_missing", _("Department has not acknowledged an order"))
register_event("order.ack_escalated", _("Missing acknowledgement escalated"))
register_event("order.finding", _("Finding raised on an order"))
register_event("order.change_requested", _("Order change requested"))
register_event("order.change_approved", _("Order change approved"))
register_event("import.finished", _("Excel import finished"), default_channels=(Channel.INBOX,))
