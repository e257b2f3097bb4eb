"""Reminders of open issues (R-4.3): GENDAN_ISSUE_REMIND_BEFORE_DAYS days before the due date (1 by
default) and every day once it is overdue. The owner, the responsible department (its manager and
its chat group) and the order's merchandiser (or the opener) hear of each at most once a day,
however often the job runs and on however many workers: the reminder is recorded with a
conditional UPDATE first, and only the winner notifies."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import OPEN_STATES
from ..models import Issue

BATCH = 1000


def remind_before_days() -> int:
    """How many days before its due date an open issue is reminded (never negative)."""
    return max(int(getattr(settings, "GENDAN_ISSUE_REMIND_BEFORE_DAYS", 1)), 0)


def _recipients(issue: Issue) -> list:
    people = []
    department, order = issue.responsible_department, issue.order
    if issue.owner_id:
        people.append(issue.owner)
    if department is not None and department.manager_id:
        people.append(department.manager)
    if order is not None and order.merchandiser_id:
        people.append(order.merchandiser)
    elif issue.opened_by_id:
        people.append(issue.opened_by)
    return people


def _reminder_title(number: str, title: str, due_date: dt.date, today: dt.date):
    """The reminder's title, worded in each recipient's language."""
    params = {"number": number, "date": due_date, "title": title}
    if due_date < today:
        return lambda lang: _("Issue %(number)s is overdue (due %(date)s): %(title)s") % params
    if due_date == today:
        return lambda lang: _("Issue %(number)s is due today (%(date)s): %(title)s") % params
    return lambda lang: _("Issue %(number)s is due %(date)s: %(title)s") % params


def issues_remind(now: dt.datetime | None = None) -> int:
    """Remind of every open issue due within the set days (or overdue) not yet reminded today.
    Returns how many were reminded."""
    from gendan.notifications.services import notify

    now = now or timezone.now()
    today = timezone.localdate(now)
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    horizon = today + dt.timedelta(days=remind_before_days())
    not_today = Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day)
    due = (
        Issue.objects.filter(status__in=OPEN_STATES, due_date__isnull=False, due_date__lte=horizon)
        .filter(not_today)
        .select_related("owner", "order__merchandiser", "opened_by", "responsible_department__manager")
        .order_by("due_date", "pk")
    )
    count = 0
    for issue in due[:BATCH]:
        with transaction.atomic():
            claimed = (
                Issue.objects.filter(pk=issue.pk, reminded_at=issue.reminded_at)
                .filter(not_today)
                .update(reminded_at=now)
            )
            if not claimed:
                continue
            due_date = issue.due_date or today  # the query took only issues with a due date
            department = issue.responsible_department
            notify(
                event="issue.reminder",
                recipients=_recipients(issue),
                departments=[department] if department is not None else [],
                title=_reminder_title(issue.number, issue.title, due_date, today),
                url=reverse("issues:issues_detail", args=[issue.pk]),
                obj=issue,
            )
            count += 1
    return count
