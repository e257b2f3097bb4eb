"""The issue register read like the regulation (R-2.6, R-4.3): who opens, who solves, who closes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.issues import services
from gendan.issues.models import Issue
from gendan.notifications.models import Notification


def test_issues_are_numbered_by_year(f):
    first = f.issue()
    second = f.issue()
    year = timezone.localdate().year
    assert first.number == f"YC-{year}-0001"
    assert second.number == f"YC-{year}-0002"


def test_opening_on_an_order_tells_the_merchandiser_and_the_department_and_shows_on_the_dossier(f, users):
    order = f.order()
    issue = f.issue(order=order, actor=users["quality"])
    assert Notification.objects.filter(recipient=users["merchandiser"], event="issue.opened").exists()
    assert Notification.objects.filter(recipient=users["production"], event="issue.opened").exists()
    assert AuditEntry.objects.filter(
        scope=f"order:{order.pk}", object_id=str(issue.pk), action="create"
    ).exists()


def test_an_issue_names_its_responsible_department(f, users):
    with pytest.raises(ValidationError) as exc:
        services.issue_open(actor=users["production"], kind="other", title="x", responsible_department=None)
    assert "responsible_department" in exc.value.message_dict


def test_nobody_opens_an_issue_on_an_order_he_cannot_see(f, users, make):
    other = make.user(role="merchandiser")
    order = f.order(merchandiser=other, released=False)
    with pytest.raises(PermissionDenied):
        f.issue(order=order, actor=users["merchandiser"])


def test_resolve_needs_the_solution(f, users):
    issue = f.issue()
    with pytest.raises(ValidationError) as exc:
        services.issue_resolve(actor=users["production"], issue_id=issue.pk)
    assert "solution" in exc.value.message_dict
    issue = services.issue_resolve(actor=users["production"], issue_id=issue.pk, solution="更换模具")
    assert issue.status == "resolved" and issue.solution == "更换模具" and issue.resolved_at


def test_the_merchandiser_closes_an_issue_on_his_order_not_a_purchaser(f, users):
    order = f.order()
    issue = f.issue(order=order, solution="返工")
    issue = services.issue_resolve(actor=users["production"], issue_id=issue.pk)
    assert Notification.objects.filter(recipient=users["merchandiser"], event="issue.solved").exists()
    with pytest.raises(PermissionDenied):
        services.issue_close(actor=users["purchasing"], issue_id=issue.pk)
    with pytest.raises(PermissionDenied):
        services.issue_close(actor=users["production"], issue_id=issue.pk)
    issue = services.issue_close(actor=users["merchandiser"], issue_id=issue.pk)
    assert issue.status == "closed" and issue.closed_by == users["merchandiser"]


def test_an_issue_without_order_is_closed_by_its_opener(f, users):
    issue = f.issue(actor=users["warehouse"], solution="已补货")
    with pytest.raises(PermissionDenied):
        services.issue_close(actor=users["merchandiser"], issue_id=issue.pk)
    assert services.issue_close(actor=users["warehouse"], issue_id=issue.pk).status == "closed"


def test_close_needs_the_solution(f, users):
    issue = f.issue(order=f.order())
    with pytest.raises(ValidationError) as exc:
        services.issue_close(actor=users["merchandiser"], issue_id=issue.pk)
    assert "solution" in exc.value.message_dict


def test_reopen_keeps_the_history_and_asks_why(f, users):
    issue = f.issue(order=f.order(), cause="模具磨损", solution="更换模具")
    services.issue_close(actor=users["merchandiser"], issue_id=issue.pk)
    with pytest.raises(ValidationError):
        services.issue_reopen(actor=users["merchandiser"], issue_id=issue.pk, reason=" ")
    issue = services.issue_reopen(actor=users["merchandiser"], issue_id=issue.pk, reason="又出现毛刺")
    assert issue.status == "in_progress" and issue.closed_at is None
    assert issue.cause == "模具磨损" and issue.solution == "更换模具"
    assert "又出现毛刺" in issue.notes.get().text
    actions = list(AuditEntry.objects.filter(object_id=str(issue.pk)).values_list("action", flat=True))
    assert "issue:close" in actions and "issue:reopen" in actions


def test_a_step_the_table_does_not_name_is_refused(f, users):
    issue = f.issue()
    services.issue_accept(actor=users["production"], issue_id=issue.pk)
    with pytest.raises(WorkflowConflict):
        services.issue_accept(actor=users["production"], issue_id=issue.pk)
    with pytest.raises(WorkflowConflict):
        services.issue_reopen(actor=users["management"], issue_id=issue.pk, reason="x")


def test_taking_on_makes_the_taker_the_owner(f, users):
    issue = services.issue_accept(actor=users["production"], issue_id=f.issue().pk)
    assert issue.owner == users["production"] and issue.status == "in_progress"


def test_the_second_of_two_people_acting_on_what_they_saw_loses(f, users):
    issue = f.issue(solution="ok")
    stale = Issue.objects.get(pk=issue.pk)
    services.issue_accept(actor=users["production"], issue_id=issue.pk)
    from gendan.issues.choices import Step
    from gendan.issues.services.common import move_status

    with pytest.raises(WorkflowConflict):
        move_status(actor=users["quality"], issue=stale, to="in_progress", step=Step.ACCEPT)


def test_update_changes_the_follow_up_not_the_status(f, users):
    issue = f.issue()
    with pytest.raises(ValidationError) as exc:
        services.issue_update(actor=users["production"], issue_id=issue.pk, data={"status": "closed"})
    assert "status" in exc.value.message_dict
    issue = services.issue_update(
        actor=users["production"], issue_id=issue.pk, data={"cause": "来料硬度不够", "severity": "high"}
    )
    assert issue.cause == "来料硬度不够" and issue.severity == "high" and issue.status == "open"


def test_another_department_cannot_work_on_an_issue_it_is_not_part_of(f, users):
    issue = f.issue(actor=users["production"])
    with pytest.raises((PermissionDenied, Issue.DoesNotExist)):
        services.issue_note_add(actor=users["logistics"], issue_id=issue.pk, text="看看")
    note = services.issue_note_add(actor=users["production"], issue_id=issue.pk, text="已安排返工")
    assert note.author == users["production"]
