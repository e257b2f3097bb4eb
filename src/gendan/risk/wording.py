"""The reasons of a delivery risk in words: one sentence per reason code of
gendan.engine.delivery_risk, in the reader's language (the codes and parameters are what is stored)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gendan.issues.choices import Severity


def _severity(value: Any) -> str:
    return str(Severity(value).label) if value in Severity.values else str(value)


def _days(n: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}


def reason_text(code: str, params: dict[str, Any]) -> str:
    """One reason as a sentence; an unknown code (stored by a later version) is shown as it is."""
    p = dict(params)
    if "days" in p:
        p["days"] = _days(int(p["days"]))
    if "severity" in p:
        p["severity"] = _severity(p["severity"])
    texts = {
        "overdue": lambda: _("Line %(line)s: the delivery date passed %(days)s ago, not delivered in full"),
        "schedule_after_due": lambda: _(
            "Line %(line)s: the schedule in force finishes %(days)s after the delivery date"
        ),
        "finish_after_due": lambda: _(
            "Line %(line)s: late material pushes the finish %(days)s past the delivery date"
        ),
        "material_uncovered": lambda: _(
            "Line %(line)s: %(material)s is short and nothing on order covers it"
        ),
        "material_undated": lambda: _("Line %(line)s: %(material)s is short and its supply has no date yet"),
        "material_late": lambda: _("Line %(line)s: %(material)s arrives %(days)s after it is needed"),
        "issue_overdue": lambda: _("Issue %(number)s (%(severity)s) is %(days)s past its due date"),
        "behind_schedule": lambda: _("Line %(line)s: %(days)s behind its planned finish"),
        "not_planned": lambda: _("Line %(line)s: no schedule in force yet"),
        "slack_low": lambda: _("Only %(days)s of slack before the delivery date"),
        "issue_open": lambda: _("Open issue %(number)s (%(severity)s)"),
    }
    text = texts.get(code)
    if text is None:
        return code
    try:
        return text() % p
    except (KeyError, TypeError, ValueError):
        return code


def reason_texts(reasons: list) -> list[str]:
    return [reason_text(code, params) for code, params in reasons]
