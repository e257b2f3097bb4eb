"""Equipment breakdowns take their work centre out of the calendar (R-2.6): the days it is down
become the work centre's holidays (masterdata.CalendarDay), which the scheduling engine's adapter
already reads, so the next schedule plans around them. The rows are the issue's own (their
description names it); they are archived when the dates change, or when the issue is closed
before the last day down, and come back if it is reopened."""

import datetime as dt

from django.apps import apps
from django.utils import timezone

from gendan.core.audit import audit_record

from ..choices import OPEN_STATES, IssueKind
from ..models import Issue

MAX_DOWN_DAYS = 62


def breakdown_label(issue: Issue) -> str:
    return f"breakdown {issue.number}"


def _wanted_days(issue: Issue) -> set[dt.date]:
    if issue.kind != IssueKind.EQUIPMENT or not issue.work_centre_id:
        return set()
    if not (issue.blocks_from and issue.blocks_until):
        return set()
    days = {
        issue.blocks_from + dt.timedelta(days=i)
        for i in range((issue.blocks_until - issue.blocks_from).days + 1)
    }
    if issue.status not in OPEN_STATES:
        # Repaired: the days still to come are working days again; those gone by stay as they were.
        today = timezone.localdate()
        days = {day for day in days if day < today}
    return days


def breakdown_sync(*, actor, issue: Issue) -> tuple[int, int]:
    """Make the work centre's calendar match the issue's days down. Returns (blocked, released).
    A day that already is a holiday or an overtime day of someone else's making is left alone."""
    CalendarDay = apps.get_model("masterdata", "CalendarDay")
    label = breakdown_label(issue)
    wanted = _wanted_days(issue)
    scope = f"order:{issue.order_id}" if issue.order_id else ""
    blocked = released = 0
    ours = CalendarDay.objects.filter(description=label)
    for day in ours.filter(is_archived=False):
        if day.work_centre_id != issue.work_centre_id or day.date not in wanted:
            CalendarDay.objects.filter(pk=day.pk).update(is_archived=True, updated_at=timezone.now())
            audit_record(
                actor=actor, obj=day, action="archive", changes={"is_archived": [False, True]}, note=label
            )
            released += 1
    if wanted:
        existing = {
            d.date: d
            for d in CalendarDay.objects.filter(work_centre_id=issue.work_centre_id, date__in=wanted)
        }
        for date in sorted(wanted):
            row = existing.get(date)
            if row is None:
                row = CalendarDay.objects.create(
                    work_centre_id=issue.work_centre_id, date=date, kind="holiday", description=label
                )
                audit_record(
                    actor=actor, obj=row, action="create", changes={"date": [None, str(date)]}, note=label
                )
                blocked += 1
            elif row.is_archived:
                # An archived day of the work centre (ours or not) is taken for the breakdown.
                CalendarDay.objects.filter(pk=row.pk).update(
                    is_archived=False,
                    kind="holiday",
                    hours=None,
                    description=label,
                    updated_at=timezone.now(),
                )
                audit_record(
                    actor=actor, obj=row, action="restore", changes={"is_archived": [True, False]}, note=label
                )
                blocked += 1
    if blocked or released:
        audit_record(
            actor=actor,
            obj=issue,
            action="issue_calendar",
            changes={"blocked": [None, blocked], "released": [None, released]},
            note=label,
            scope=scope,
        )
    return blocked, released
