"""Links escalation puts on other apps' pages (core.registry.register_record_link): an issue's
escalations and "Escalate", an order's escalations. The other apps do not import this one."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

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
