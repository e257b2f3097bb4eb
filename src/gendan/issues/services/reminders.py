"""Reminders of issues due tomorrow or overdue (R-4.3): the owner and the order's merchandiser (or
the opener) hear of each at most once a day, however often the job runs and on however many
workers: the reminder is recorded with a conditional UPDATE first, and only the winner notifies."""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import OPEN_STATES
from ..models import Issue


def _recipients(issue: Issue) -> list:
    people = []
    department, order = issue.responsible_department, issue.order
    if issue.owner_id:
        people.append(issue.owner)
    elif department is not None and department.manager_id:
        people.append(department.manager)
    if order is not None and order.merchandiser_id:
        people.append(order.merchandiser)
    elif issue.opened_by_id:
        people.append(issue.opened_by)
    return people


def _reminder_title(number: str, title: str, due_date: dt.date, overdue: bool):
    """The reminder's title, worded in each recipient's language."""
    params = {"number": number, "date": due_date, "title": title}
    if overdue:
        return lambda lang: _("Issue %(number)s is overdue (due %(date)s): %(title)s") % params
    return lambda lang: _("Issue %(number)s is due %(date)s: %(title)s") % params


def issues_remind(now: dt.datetime | None = None) -> int:
    """Remind of every open issue due by tomorrow not yet reminded today. Returns how many."""
    from gendan.notifications.services import notify

    now = now or timezone.now()
    today = timezone.localdate(now)
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    due = (
        Issue.objects.filter(
            status__in=OPEN_STATES, due_date__isnull=False, due_date__lte=today + dt.timedelta(days=1)
        )
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day))
        .select_related("owner", "order__merchandiser", "opened_by", "responsible_department__manager")
        .order_by("due_date", "pk")
    )
    count = 0
    for issue in due[:1000]:
        with transaction.atomic():
            claimed = (
                Issue.objects.filter(pk=issue.pk, reminded_at=issue.reminded_at)
                .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day))
                .update(reminded_at=now)
            )
            if not claimed:
                continue
            due_date = issue.due_date or today  # the query took only issues with a due date
            notify(
                event="issue.reminder",
                recipients=_recipients(issue),
                title=_reminder_title(issue.number, issue.title, due_date, due_date < today),
                url=reverse("issues:issues_detail", args=[issue.pk]),
                obj=issue,
            )
            count += 1
    return count
