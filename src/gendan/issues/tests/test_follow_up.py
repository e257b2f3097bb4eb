"""Issue follow-up (R-4.3): reminders before and after the due date, the department's and the
merchandiser's pages, issues other apps open from their records, closing and reopening."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendan.core.models import AuditEntry
from gendan.issues import services
from gendan.issues.choices import IssueSource, IssueStatus
from gendan.issues.models import Issue, IssueNote
from gendan.notifications.models import Notification

NOW = timezone.make_aware(dt.datetime(2026, 6, 10, 9, 0))
TODAY = dt.date(2026, 6, 10)


def _reminded(issue) -> set[str]:
    return set(
        Notification.objects.filter(event="issue.reminder", object_id=str(issue.pk)).values_list(
            "recipient__username", flat=True
        )
    )


# --- reminders ------------------------------------------------------------------------------------


def test_an_issue_is_reminded_the_set_days_before_its_due_date_and_daily_once_overdue(
    f, users, departments, settings
):
    settings.GENDAN_ISSUE_REMIND_BEFORE_DAYS = 2
    departments["production"].manager = users["management"]
    departments["production"].save()
    order = f.order()
    soon = f.issue(order=order, owner=users["quality"], due_date=TODAY + dt.timedelta(days=2))
    later = f.issue(order=order, owner=users["quality"], due_date=TODAY + dt.timedelta(days=3))
    Notification.objects.all().delete()
    assert services.issues_remind(now=NOW) == 1
    # The owner, the responsible department's manager and the order's merchandiser.
    assert _reminded(soon) == {"quality", "management", "merchandiser"}
    assert _reminded(later) == set()
    assert services.issues_remind(now=NOW + dt.timedelta(hours=5)) == 0  # once a day
    assert services.issues_remind(now=NOW + dt.timedelta(days=1)) == 2  # the next day: both
    # Overdue: every day again.
    assert services.issues_remind(now=NOW + dt.timedelta(days=5)) == 2
    title = Notification.objects.filter(object_id=str(soon.pk)).order_by("-pk").first().title
    assert soon.number in title


def test_the_default_is_one_day_before(f, users):
    f.issue(owner=users["quality"], due_date=TODAY + dt.timedelta(days=1))
    f.issue(owner=users["quality"], due_date=TODAY + dt.timedelta(days=2))
    assert services.issues_remind(now=NOW) == 1


def test_a_resolved_issue_still_due_is_reminded_a_closed_one_not(f, users):
    issue = f.issue(owner=users["quality"], due_date=TODAY, solution="换模具")
    services.issue_close(actor=users["production"], issue_id=issue.pk)
    assert services.issues_remind(now=NOW) == 0


# --- pages ----------------------------------------------------------------------------------------


def test_the_department_page_shows_my_department_grouped_overdue_first(f, users, departments, client_for):
    today = timezone.localdate()
    on_time = f.issue(title="准时", due_date=today + dt.timedelta(days=4))
    late = f.issue(title="逾期", due_date=today - dt.timedelta(days=1))
    other = f.issue(title="别的部门", responsible_department=departments["quality"])
    response = client_for("production").get(reverse("issues:by_department"))
    assert response.status_code == 200
    text = response.content.decode()
    assert late.number in text and on_time.number in text and other.number not in text
    assert text.index(late.number) < text.index(on_time.number)
    chosen = client_for("production").get(
        reverse("issues:by_department"), {"department": departments["quality"].pk}
    )
    assert other.number in chosen.content.decode() and late.number not in chosen.content.decode()


def test_the_department_page_takes_the_register_filters_and_refuses_bad_ones(f, client_for):
    f.issue(title="毛刺")
    page = client_for("production")
    assert page.get(reverse("issues:by_department"), {"kind": "quality", "state": "all"}).status_code == 200
    assert page.get(reverse("issues:by_department"), {"department": "x"}).status_code == 400
    assert page.get(reverse("issues:by_department"), {"page": "99"}).status_code == 200


def test_the_department_page_reads_a_flat_number_of_queries(f, client_for):
    page = client_for("production")
    f.issue(order=f.order())
    with CaptureQueriesContext(connection) as few:
        page.get(reverse("issues:by_department"))
    for _n in range(6):
        f.issue(order=f.order(), owner=f.users["quality"])
    with CaptureQueriesContext(connection) as many:
        page.get(reverse("issues:by_department"))
    assert len(many) == len(few)


def test_the_merchandiser_sees_the_issues_on_his_orders(f, users, make, client_for):
    from gendan.accounts.models import User

    other = User.objects.create(
        username="m2", role="merchandiser", department=users["merchandiser"].department
    )
    mine = f.issue(order=f.order())
    theirs = f.issue(order=f.order(merchandiser=other))
    loose = f.issue()
    text = client_for("merchandiser").get(reverse("issues:my_orders")).content.decode()
    assert mine.number in text and theirs.number not in text and loose.number not in text


def test_the_api_filters_by_department_and_my_orders(f, users, departments, api_for):
    mine = f.issue(order=f.order())
    quality = f.issue(responsible_department=departments["quality"])
    api = api_for("merchandiser")
    got = api.get("/api/issues/", {"mine_orders": "true"}).json()
    numbers = {row["number"] for row in got["results"]}
    assert numbers == {mine.number}
    got = api.get("/api/issues/", {"department": departments["quality"].pk}).json()
    assert {row["number"] for row in got["results"]} == {quality.number}
    assert api.get("/api/issues/", {"department": "nope"}).status_code == 400


# --- issues opened from other records -------------------------------------------------------------


def test_another_record_opens_one_issue_however_often_it_asks(f, users, departments):
    order = f.order()
    first = services.issue_open_from(
        actor=users["quality"],
        kind="quality",
        source=IssueSource.INSPECTION,
        title="首件检验不合格",
        order=order,
        responsible_department=departments["production"],
        fingerprint="inspection:7",
    )
    again = services.issue_open_from(
        actor=users["quality"],
        kind="quality",
        source=IssueSource.INSPECTION,
        title="首件检验不合格",
        order=order,
        responsible_department=departments["production"],
        fingerprint="inspection:7",
    )
    assert first.pk == again.pk and Issue.objects.count() == 1
    assert (first.source, first.opened_by, first.order) == (IssueSource.INSPECTION, users["quality"], order)
    assert AuditEntry.objects.filter(scope=f"order:{order.pk}", action="create").exists()
    assert str(IssueSource.INCOMING.label) and str(IssueSource.MEETING.label)


@pytest.mark.parametrize(
    ("field", "value"),
    [("source", "manual"), ("source", "x"), ("kind", "x"), ("fingerprint", ""), ("fingerprint", "x" * 121)],
)
def test_an_issue_from_a_record_needs_its_source_kind_and_fingerprint(f, users, departments, field, value):
    data = {
        "actor": users["quality"],
        "kind": "quality",
        "source": IssueSource.INSPECTION,
        "title": "不合格",
        "responsible_department": departments["production"],
        "fingerprint": "inspection:1",
        field: value,
    }
    with pytest.raises(ValidationError) as exc:
        services.issue_open_from(**data)
    assert field in exc.value.message_dict
    assert not Issue.objects.exists()


# --- closing and reopening ------------------------------------------------------------------------


def test_closing_needs_the_solution_and_reopening_keeps_the_history(f, users):
    order = f.order()
    issue = f.issue(order=order, cause="模具磨损")
    with pytest.raises(ValidationError) as exc:
        services.issue_close(actor=users["merchandiser"], issue_id=issue.pk)
    assert "solution" in exc.value.message_dict
    assert Issue.objects.get(pk=issue.pk).status == IssueStatus.OPEN
    services.issue_resolve(actor=users["production"], issue_id=issue.pk, solution="更换模具")
    services.issue_close(actor=users["merchandiser"], issue_id=issue.pk, note="确认")
    reopened = services.issue_reopen(actor=users["merchandiser"], issue_id=issue.pk, reason="再次出现")
    assert reopened.status == IssueStatus.IN_PROGRESS
    assert (reopened.cause, reopened.solution) == ("模具磨损", "更换模具")
    assert reopened.closed_at is None
    actions = list(
        AuditEntry.objects.filter(object_id=str(issue.pk), scope=f"order:{order.pk}")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions[0] == "create"
    assert {"issue:resolve", "issue:close", "issue:reopen"} <= set(actions)
    assert IssueNote.objects.filter(issue=issue, text__contains="再次出现").exists()


def test_a_settled_record_solves_its_issue_once_and_a_refused_actor_leaves_it(f, users, departments):
    opened = services.issue_open_from(
        actor=users["quality"],
        kind="quality",
        source=IssueSource.INSPECTION,
        title="首件检验不合格",
        order=f.order(),
        responsible_department=departments["quality"],
        fingerprint="inspection:8",
    )
    # Someone who may not solve the quality department's issue: nothing changes, nothing breaks.
    assert (
        services.issue_solve_from(actor=users["logistics"], fingerprint="inspection:8", solution="x") is None
    )
    assert Issue.objects.get(pk=opened.pk).status == IssueStatus.OPEN
    solved = services.issue_solve_from(
        actor=users["quality"], fingerprint="inspection:8", solution="返工后复检合格", cause="刀具磨损"
    )
    assert (solved.status, solved.solution, solved.cause) == (
        IssueStatus.RESOLVED,
        "返工后复检合格",
        "刀具磨损",
    )
    assert (
        services.issue_solve_from(actor=users["quality"], fingerprint="inspection:8", solution="再次") is None
    )
    assert (
        services.issue_solve_from(actor=users["quality"], fingerprint="inspection:99", solution="y") is None
    )
