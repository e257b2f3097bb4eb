"""Links escalation puts on other apps' pages (core.registry.register_record_link): an issue's
escalations and "Escalate", an order's escalations; and the rows of an issue page's linked records
(issues.hooks.register_linked_records). The other apps do not import this one."""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gendan.issues.hooks import LinkedRecord

from .models import Escalation


def issue_links(user, issue) -> list[tuple[str, str]]:
    if not Escalation.objects.all().role_allows(user, "view"):
        return []
    count = Escalation.objects.restrict(user, "view").filter(issue=issue).count()
    return [(_("Escalations (%(n)s)") % {"n": count}, reverse("escalations:issue", args=[issue.pk]))]


def order_links(user, order) -> list[tuple[str, str]]:
    if not Escalation.objects.all().role_allows(user, "view"):
        return []
    count = Escalation.objects.restrict(user, "view").filter(issue__order=order).count()
    if not count:
        return []
    query = urlencode({"order": order.pk, "state": "all", "mine": "all"})
    return [(_("Escalations (%(n)s)") % {"n": count}, f"{reverse('escalations:inbox')}?{query}")]


def issue_records(user, issue) -> list[LinkedRecord]:
    """The issue's escalations, level by level: status, and who acknowledged it when."""
    if not Escalation.objects.all().role_allows(user, "view"):
        return []
    rows = (
        Escalation.objects.restrict(user, "view")
        .filter(issue=issue)
        .select_related("level", "acknowledged_by")
        .order_by("created_at", "pk")
    )
    kind = _("Escalation")
    records = []
    for e in rows:
        said = [str(e.get_status_display()), str(e.get_reason_kind_display())]
        if e.acknowledged_by_id:
            when = (
                timezone.localtime(e.acknowledged_at).strftime("%Y-%m-%d %H:%M") if e.acknowledged_at else ""
            )
            said.append(
                pgettext("escalation", "acknowledged by %(who)s %(when)s")
                % {"who": e.acknowledged_by, "when": when}
            )
        records.append(
            LinkedRecord(
                kind=kind,
                text=f"{e.level.position} · {e.get_role_display()}",
                url=reverse("escalations:detail", args=[e.pk]),
                detail=" · ".join(x.strip() for x in said if x),
            )
        )
    return records
