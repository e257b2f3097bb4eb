"""A plan's warnings and late reasons are stored as a kind, a key and parameters, and worded when
shown, so each reader sees them in his own language."""

from django.utils.translation import gettext_lazy as _

from gendan.core.i18n import local_text, localized

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


def warning_text(warning: dict) -> str:
    template = WARNING_MESSAGES.get(warning.get("kind", ""))
    params = localized(warning.get("params") or {})
    if template is None:
        return str(warning.get("key", ""))
    if warning.get("kind") == "late":
        reason = late_reason_text(warning.get("params", {}).get("reason"))
        text = str(template) % {"finish": "", "delivery": "", "days": "", **params}
        why = _("Why: %(reason)s.") % {"reason": reason}
        return f"{text} {why}" if reason else text
    try:
        return str(template) % {k: local_text(v) for k, v in params.items()}
    except (KeyError, TypeError, ValueError):
        return str(warning.get("key", ""))
