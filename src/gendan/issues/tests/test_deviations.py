"""Deviations from the plan in force open issues (R-2.6): one per operation, never a duplicate."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.issues import services
from gendan.issues.deviations import check_operation, deviations_scan
from gendan.issues.models import Issue


def _behind(f, make, *, hours_late=10, threshold=4, priority="normal"):
    now = timezone.now()
    wc = make.work_centre(delay_threshold_hours=threshold)
    op = f.operation(
        f.order(priority=priority), status="started", started_at=now - dt.timedelta(hours=hours_late + 20)
    )
    f.plan_in_force(
        op,
        start=now - dt.timedelta(hours=hours_late + 20),
        end=now - dt.timedelta(hours=hours_late),
        work_centre=wc,
    )
    return op, now


def test_an_operation_behind_plan_opens_one_delay_issue_for_production(f, make, departments):
    op, now = _behind(f, make)
    opened = deviations_scan(now=now)
    assert len(opened) == 1
    issue = opened[0]
    assert (issue.kind, issue.source, issue.fingerprint) == ("delay", "behind_plan", f"behind:{op.pk}")
    assert issue.responsible_department == departments["production"]
    assert issue.order == op.order and issue.operation == op and issue.cause == ""
    assert issue.due_date > timezone.localdate(now) and issue.due_date.weekday() < 5


def test_a_rescan_opens_no_duplicate_while_the_issue_is_open(f, make, users):
    op, now = _behind(f, make)
    deviations_scan(now=now)
    assert deviations_scan(now=now + dt.timedelta(minutes=5)) == []
    assert check_operation(operation_id=op.pk, now=now) == []
    assert Issue.objects.filter(fingerprint=f"behind:{op.pk}").count() == 1


def test_within_the_threshold_nothing_is_opened(f, make):
    _behind(f, make, hours_late=2, threshold=4)
    assert deviations_scan() == []


def test_a_finished_operation_is_not_behind(f, make):
    op, now = _behind(f, make)
    op.status = "finished"
    op.save()
    assert deviations_scan(now=now) == []


def test_an_operation_not_started_long_after_its_planned_start_is_behind(f, make):
    now = timezone.now()
    op = f.operation()
    f.plan_in_force(op, start=now - dt.timedelta(hours=9), end=now + dt.timedelta(hours=20))
    assert [i.fingerprint for i in deviations_scan(now=now)] == [f"behind:{op.pk}"]


def test_severity_grows_with_lateness_and_the_order_priority(f, make):
    _op, now = _behind(f, make, hours_late=6)
    low = deviations_scan(now=now)[0]
    _op2, now = _behind(f, make, hours_late=6, priority="urgent")
    urgent = deviations_scan(now=now)[0]
    _op3, now = _behind(f, make, hours_late=100)
    late = deviations_scan(now=now)[0]
    assert (low.severity, urgent.severity, late.severity) == ("low", "high", "critical")


def test_an_operation_not_in_a_plan_in_force_is_not_scanned(f, make):
    now = timezone.now()
    op = f.operation()
    part = f.plan_in_force(op, start=now - dt.timedelta(days=3), end=now - dt.timedelta(days=2))
    plan = part.version.plan
    plan.in_force = None
    plan.save()
    assert deviations_scan(now=now) == []


def test_scrap_over_the_allowance_opens_a_quality_issue_once(f, make, departments):
    wc = make.work_centre(scrap_allowance_pct=Decimal("3"))
    op = f.operation(work_centre=wc, good_qty=Decimal(90), scrap_qty=Decimal(10))
    opened = check_operation(operation_id=op.pk)
    assert [(i.kind, i.source, i.fingerprint) for i in opened] == [("quality", "scrap", f"scrap:{op.pk}")]
    assert opened[0].responsible_department == departments["quality"]
    assert opened[0].severity == "high"  # 10 % is more than twice the 3 % allowed
    assert check_operation(operation_id=op.pk) == []
    assert deviations_scan() == []


def test_scrap_within_the_allowance_opens_nothing(f, make):
    wc = make.work_centre(scrap_allowance_pct=Decimal("5"))
    op = f.operation(work_centre=wc, good_qty=Decimal(97), scrap_qty=Decimal(3))
    assert check_operation(operation_id=op.pk) == []


def test_once_the_issue_is_closed_a_new_deviation_opens_a_new_one(f, make, users):
    op, now = _behind(f, make)
    issue = deviations_scan(now=now)[0]
    services.issue_update(actor=users["production"], issue_id=issue.pk, data={"solution": "加班"})
    services.issue_close(actor=users["merchandiser"], issue_id=issue.pk)
    again = deviations_scan(now=now + dt.timedelta(hours=1))
    assert len(again) == 1 and again[0].pk != issue.pk
