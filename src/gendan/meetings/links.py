"""The link a coordination meeting puts on an order's dossier (core.registry.register_record_link):
the meetings that discussed the order's issues; and the rows it adds to an issue page's linked
records (issues.hooks.register_linked_records): the meeting action the issue follows up, and the
meetings that discussed the issue with what they decided. Neither app imports this one."""

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gendan.issues.hooks import LinkedRecord

from .models import ActionItem, AgendaItem, Meeting


def order_links(user, order) -> list[tuple[str, str]]:
    if not Meeting.objects.all().role_allows(user, "view"):
        return []
    count = Meeting.objects.restrict(user, "view").filter(agenda__issue__order=order).distinct().count()
    if not count:
        return []
    query = urlencode({"order": order.pk})
    return [
        (_("Coordination meetings (%(n)s)") % {"n": count}, f"{reverse('meetings:meeting_list')}?{query}")
    ]


def _when(meeting: Meeting) -> str:
    return timezone.localtime(meeting.held_on).strftime("%Y-%m-%d")


def issue_records(user, issue) -> list[LinkedRecord]:
    """Where the issue comes from (an action agreed in a meeting) and the meetings that discussed
    it, with their decision; only meetings the user may see."""
    if not Meeting.objects.all().role_allows(user, "view"):
        return []
    records = []
    action = (
        ActionItem.objects.restrict(user, "view")
        .filter(issue=issue)
        .select_related("meeting", "owner")
        .first()
    )
    if action is not None:
        meeting = action.meeting
        records.append(
            LinkedRecord(
                kind=_("Meeting action"),
                text=f"{meeting.number} · {_when(meeting)}",
                url=reverse("meetings:meeting_detail", args=[meeting.pk]),
                detail=f"{action.text[:200]} ({action.owner}, {action.due_date:%Y-%m-%d})",
                source=True,
            )
        )
    items = (
        AgendaItem.objects.restrict(user, "view")
        .filter(issue=issue)
        .select_related("meeting")
        .order_by("meeting__held_on", "pk")
    )
    for item in items:
        meeting = item.meeting
        decided = item.decision.strip()
        records.append(
            LinkedRecord(
                kind=_("Coordination meeting"),
                text=f"{meeting.number} · {_when(meeting)}",
                url=reverse("meetings:meeting_detail", args=[meeting.pk]),
                detail=(
                    pgettext("meeting", "Decision: %(text)s") % {"text": decided[:300]}
                    if decided
                    else str(meeting.get_status_display())
                ),
            )
        )
    return records
