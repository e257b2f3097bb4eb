"""A plan's warnings and late reasons are stored as a kind, a key and parameters, and worded when
shown, so each reader sees them in his own language."""

from django.utils.translation import gettext_lazy as _

from gendan.core.i18n import local_text, localized

# One finding of a kind (a warning with a single item) is worded in full.
WARNING_MESSAGES = {
    "overload": _(
        "%(work_centre)s is overloaded on %(date)s: %(load_hours)s hours of work for %(capacity_hours)s "
        "hours of capacity (%(percent)s%%)."
    ),
    "people": _(
        "%(work_centre)s needs %(needed)s people at once on %(date)s %(start)s–%(end)s; its headcount is "
        "%(headcount)s."
    ),
    "shortage": _(
        "%(material)s is short by %(shortage)s %(unit)s for %(need_date)s; covered on %(covered_on)s."
    ),
    "late": _("The plan finishes on %(finish)s, after the delivery date %(delivery)s (%(days)s days late)."),
}

# Several findings of a kind are one warning: a summary, with each finding listed under it.
GROUP_MESSAGES = {
    "overload": _(
        "%(work_centre)s is overloaded on %(count)s days, from %(first)s to %(last)s, at most "
        "%(percent)s%% of its capacity."
    ),
    "people": _(
        "%(work_centre)s needs more people than its headcount in %(count)s shifts, from %(first)s to "
        "%(last)s (at most %(needed)s people for a headcount of %(headcount)s)."
    ),
    "shortage": _(
        "%(count)s materials are short, needed from %(first)s to %(last)s; the last is covered on "
        "%(covered_on)s."
    ),
}

# The same, when every finding of the group falls on one day.
GROUP_ONE_DAY = {
    "overload": GROUP_MESSAGES["overload"],  # days differ by definition
    "people": _(
        "%(work_centre)s needs more people than its headcount in %(count)s shifts on %(first)s (at most "
        "%(needed)s people for a headcount of %(headcount)s)."
    ),
    "shortage": _(
        "%(count)s materials are short, needed on %(first)s; the last is covered on %(covered_on)s."
    ),
}

# The date each item of a group is about.
ITEM_DATE = {"overload": "date", "people": "date", "shortage": "need_date"}

LATE_REASONS = {
    "work_centre": _("it waits %(hours)s hours for %(work_centre)s"),
    "material": _("its materials arrive too late (%(material)s)"),
    "chain": _("its own chain of operations is longer than the time left"),
    "capacity": _("capacity"),
}


def late_reason_text(reason: dict | None) -> str:
    """Why a version is late, in the reader's words ("it waits 12 hours for CNC 数控车间")."""
    if not reason:
        return ""
    params = {"hours": "", "work_centre": "", "material": _("materials"), **localized(reason)}
    template = LATE_REASONS.get(reason.get("kind", ""), LATE_REASONS["capacity"])
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(LATE_REASONS["capacity"])


def _items(warning: dict) -> list[dict]:
    items = (warning.get("params") or {}).get("items")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _item_text(kind: str, shared: dict, item: dict) -> str:
    params = {**shared, **localized(item)}
    try:
        return str(WARNING_MESSAGES[kind]) % {k: local_text(v) for k, v in params.items()}
    except (KeyError, TypeError, ValueError):
        return ""


def warning_details(warning: dict) -> list[str]:
    """Each finding of a grouped warning, worded in full (empty for a single finding)."""
    kind, items = warning.get("kind", ""), _items(warning)
    if kind not in GROUP_MESSAGES or len(items) < 2:
        return []
    shared = localized({k: v for k, v in (warning.get("params") or {}).items() if k != "items"})
    return [text for item in items if (text := _item_text(kind, shared, item))]


def _group_text(kind: str, shared: dict, items: list[dict]) -> str:
    dates = sorted(str(i.get(ITEM_DATE[kind], "")) for i in items)
    covered = sorted(str(i.get("covered_on") or "") for i in items)
    params = {
        **shared,
        "count": len(items),
        "first": dates[0],
        "last": dates[-1],
        "percent": max((i.get("percent") or 0 for i in items), default=0),
        "needed": max((i.get("needed") or 0 for i in items), default=0),
        "headcount": min((i.get("headcount") or 0 for i in items), default=0),
        "covered_on": covered[-1] if all(covered) else _("not yet"),
    }
    template = GROUP_ONE_DAY[kind] if dates[0] == dates[-1] else GROUP_MESSAGES[kind]
    return str(template) % {k: local_text(v) for k, v in params.items()}


def warning_text(warning: dict) -> str:
    kind = warning.get("kind", "")
    template = WARNING_MESSAGES.get(kind)
    params = localized(warning.get("params") or {})
    if template is None:
        return str(warning.get("key", ""))
    if kind == "late":
        reason = late_reason_text(warning.get("params", {}).get("reason"))
        text = str(template) % {"finish": "", "delivery": "", "days": "", **params}
        why = _("Why: %(reason)s.") % {"reason": reason}
        return f"{text} {why}" if reason else text
    items = _items(warning)
    shared = {k: v for k, v in params.items() if k != "items"}
    try:
        if len(items) > 1:
            return _group_text(kind, shared, items)
        if items:
            return _item_text(kind, shared, items[0]) or str(warning.get("key", ""))
        return str(template) % {k: local_text(v) for k, v in params.items()}
    except (KeyError, TypeError, ValueError):
        return str(warning.get("key", ""))
