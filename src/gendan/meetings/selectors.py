"""Reads of coordination meetings, through restrict(user, action)."""

from django.db.models import Prefetch, QuerySet

from .models import ActionItem, AgendaItem, Meeting


def meeting_list(*, user, action: str = "view") -> QuerySet[Meeting]:
    return Meeting.objects.restrict(user, action).select_related("chair", "created_by")


def meeting_full(meeting: Meeting) -> Meeting:
    """The meeting with its attendees, agenda (issues, orders) and actions (owners, issues)."""
    return (
        Meeting.objects.select_related("chair", "created_by")
        .prefetch_related(
            "attendees",
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.select_related(
                    "issue__order", "issue__owner", "issue__responsible_department", "decided_by"
                ).order_by("position", "pk"),
            ),
            Prefetch(
                "actions",
                queryset=ActionItem.objects.select_related("owner", "issue", "agenda_item__issue").order_by(
                    "pk"
                ),
            ),
        )
        .get(pk=meeting.pk)
    )


def meetings_of_order(*, user, order) -> QuerySet[Meeting]:
    """The meetings `user` may see that discussed the order's issues."""
    return meeting_list(user=user).filter(agenda__issue__order=order).distinct()
