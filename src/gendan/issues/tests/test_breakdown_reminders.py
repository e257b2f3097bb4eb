"""Breakdowns take the work centre out of the calendar; reminders come once a day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gendan.issues import services
from gendan.issues.models import Issue
from gendan.masterdata.models import CalendarDay
from gendan.notifications.models import Notification


def _down_days(wc):
    return sorted(
        CalendarDay.objects.filter(work_centre=wc, is_archived=False).values_list("date", flat=True)
    )


def test_a_breakdown_blocks_its_days_and_closing_it_early_frees_the_rest(f, make, users):
    wc = make.work_centre()
    today = timezone.localdate()
    issue = f.issue(
        kind="equipment",
        work_centre=wc,
        blocks_from=today,
        blocks_until=today + dt.timedelta(days=2),
        solution="换轴承",
    )
    assert _down_days(wc) == [today, today + dt.timedelta(days=1), today + dt.timedelta(days=2)]
    day = CalendarDay.objects.get(work_centre=wc, date=today)
    assert day.kind == "holiday" and day.description == f"breakdown {issue.number}"
    services.issue_close(actor=users["production"], issue_id=issue.pk)
    assert _down_days(wc) == []
    services.issue_reopen(actor=users["production"], issue_id=issue.pk, reason="又坏了")
    assert len(_down_days(wc)) == 3


def test_changing_the_dates_moves_the_blocked_days(f, make, users):
    wc = make.work_centre()
    start = timezone.localdate() + dt.timedelta(days=5)
    issue = f.issue(
        kind="equipment", work_centre=wc, blocks_from=start, blocks_until=start + dt.timedelta(days=1)
    )
    services.issue_update(
        actor=users["production"],
        issue_id=issue.pk,
        data={"blocks_from": start + dt.timedelta(days=1), "blocks_until": start + dt.timedelta(days=3)},
    )
    assert _down_days(wc) == [start + dt.timedelta(days=n) for n in (1, 2, 3)]
    assert CalendarDay.objects.filter(work_centre=wc, date=start, is_archived=True).exists()


def test_a_holiday_already_there_is_left_alone(f, make, users):
    wc = make.work_centre()
    day = timezone.localdate() + dt.timedelta(days=3)
    CalendarDay.objects.create(work_centre=wc, date=day, kind="holiday", description="国庆")
    issue = f.issue(kind="equipment", work_centre=wc, blocks_from=day, blocks_until=day, solution="ok")
    services.issue_close(actor=users["production"], issue_id=issue.pk)
    assert CalendarDay.objects.get(work_centre=wc, date=day).description == "国庆"
    assert _down_days(wc) == [day]


def test_days_down_need_an_equipment_issue_and_a_sane_range(f, make):
    wc = make.work_centre()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        f.issue(kind="quality", work_centre=wc, blocks_from=today, blocks_until=today)
    assert "blocks_from" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        f.issue(
            kind="equipment", work_centre=wc, blocks_from=today, blocks_until=today - dt.timedelta(days=1)
        )
    assert "blocks_until" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        f.issue(kind="equipment", blocks_from=today, blocks_until=today)
    assert "work_centre" in exc.value.message_dict


def test_reminders_for_due_and_overdue_issues_come_once_a_day(f, users):
    today = timezone.localdate()
    order = f.order()
    due = f.issue(order=order, owner=users["production"], due_date=today + dt.timedelta(days=1))
    late = f.issue(order=order, owner=users["quality"], due_date=today - dt.timedelta(days=2))
    f.issue(order=order, due_date=today + dt.timedelta(days=5))
    Notification.objects.all().delete()
    # Noon, so an hour later is the same factory day whenever the test runs (at 23:30 it was not).
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    assert services.issues_remind(now=now) == 2
    assert services.issues_remind(now=now + dt.timedelta(hours=1)) == 0
    reminded = Notification.objects.filter(event="issue.reminder")
    assert set(reminded.values_list("recipient__username", flat=True)) == {
        "production",
        "quality",
        "merchandiser",
    }
    assert Issue.objects.get(pk=due.pk).reminded_at is not None
    assert services.issues_remind(now=now + dt.timedelta(days=1)) == 2
    assert Issue.objects.filter(pk=late.pk, reminded_at__gt=now).exists()


def test_closed_issues_are_not_reminded(f, users):
    issue = f.issue(solution="ok", due_date=timezone.localdate() - dt.timedelta(days=1))
    services.issue_close(actor=users["production"], issue_id=issue.pk)
    assert services.issues_remind() == 0
