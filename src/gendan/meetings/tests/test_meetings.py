"""Coordination meetings (协调会, R-4.3): who may call and run them, the agenda from open issues,
decisions, actions followed up as issues, the minutes (PDF, sent to the attendees)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.models import User
from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.core.pdf_blocks import texts_of
from gendan.issues.choices import IssueSource
from gendan.issues.models import Issue
from gendan.issues.services import issues_remind
from gendan.meetings import services
from gendan.meetings.choices import MeetingStatus
from gendan.meetings.models import Meeting
from gendan.meetings.pdf_minutes import minutes_blocks, minutes_pdf
from gendan.meetings.selectors import meeting_full
from gendan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_management_merchandisers_and_department_managers_call_meetings(f, users, departments):
    year = timezone.localdate().year
    assert f.meeting().number == f"HY-{year}-0001"
    assert f.meeting(actor=users["management"]).number == f"HY-{year}-0002"
    with pytest.raises(PermissionDenied):
        f.meeting(actor=users["production"])
    departments["production"].manager = users["production"]
    departments["production"].save()
    meeting = f.meeting(actor=users["production"], attendees=[users["quality"]])
    assert meeting.chair == users["production"]
    assert set(meeting.attendees.values_list("username", flat=True)) == {"production", "quality"}
    assert Notification.objects.filter(event="meeting.called", recipient=users["quality"]).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("title", "x" * 201), ("place", "x" * 101), ("held_on", "tomorrow"), ("held_on", None)],
)
def test_a_meeting_needs_a_title_and_a_time(f, field, value):
    with pytest.raises(ValidationError) as exc:
        f.meeting(**{field: value})
    assert field in exc.value.message_dict
    assert not Meeting.objects.exists()


def test_the_agenda_takes_open_issues_by_order_department_or_age(f, users, departments):
    order = f.order()
    on_order = f.issue(order=order)
    quality = f.issue(order=f.order(), responsible_department=departments["quality"])
    old = f.issue(order=f.order())
    Issue.objects.filter(pk=old.pk).update(opened_at=timezone.now() - dt.timedelta(days=20))
    closed = f.issue(order=order, solution="ok")
    closed.status = "closed"
    closed.save()
    meeting = f.meeting()
    chair = users["merchandiser"]
    assert list(services.agenda_candidates(user=chair, order=order)) == [on_order]
    assert list(services.agenda_candidates(user=chair, department=departments["quality"])) == [quality]
    assert list(services.agenda_candidates(user=chair, older_than_days=10)) == [old]
    items = services.agenda_add(actor=chair, meeting_id=meeting.pk, issue_ids=[on_order.pk, old.pk])
    assert [i.issue for i in items] == [old, on_order]  # oldest first
    # Added again: not twice; no longer a candidate.
    assert services.agenda_add(actor=chair, meeting_id=meeting.pk, issue_ids=[on_order.pk]) == []
    assert on_order not in services.agenda_candidates(user=chair, meeting=meeting)
    assert meeting.agenda.count() == 2
    # The order's timeline shows it.
    assert AuditEntry.objects.filter(scope=f"order:{order.pk}", action="meeting_agenda").exists()


def test_a_closed_issue_or_one_he_may_not_see_stays_off_the_agenda(f, users):
    other = User.objects.create(
        username="m2", role="merchandiser", department=users["merchandiser"].department
    )
    theirs = f.issue(order=f.order(merchandiser=other))
    closed = f.issue(order=f.order(), solution="ok")
    Issue.objects.filter(pk=closed.pk).update(status="closed")
    meeting = f.meeting()
    for issue in (theirs, closed):
        with pytest.raises(ValidationError) as exc:
            services.agenda_add(actor=users["merchandiser"], meeting_id=meeting.pk, issue_ids=[issue.pk])
        assert "issues" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.agenda_add(actor=users["merchandiser"], meeting_id=meeting.pk, issue_ids=[])
    assert not meeting.agenda.exists()


def test_a_decision_can_give_the_issue_a_new_due_date_and_owner(f, users):
    order = f.order()
    issue = f.issue(order=order)
    meeting = f.meeting()
    (item,) = services.agenda_add(actor=users["merchandiser"], meeting_id=meeting.pk, issue_ids=[issue.pk])
    new_due = timezone.localdate() + dt.timedelta(days=7)
    item = services.decision_record(
        actor=users["merchandiser"],
        item_id=item.pk,
        decision="采购加急",
        due_date=new_due,
        owner=users["purchasing"],
    )
    issue.refresh_from_db()
    assert (item.decision, issue.due_date, issue.owner) == ("采购加急", new_due, users["purchasing"])
    assert AuditEntry.objects.filter(scope=f"order:{order.pk}", action="meeting_decision").exists()
    with pytest.raises(ValidationError) as exc:
        services.decision_record(actor=users["merchandiser"], item_id=item.pk, decision="  ")
    assert "decision" in exc.value.message_dict


def test_an_action_is_followed_up_as_an_issue_with_reminders(f, users, departments):
    order = f.order()
    issue = f.issue(order=order, kind="material")
    meeting = f.meeting()
    (item,) = services.agenda_add(actor=users["merchandiser"], meeting_id=meeting.pk, issue_ids=[issue.pk])
    due = timezone.localdate() + dt.timedelta(days=1)
    action = services.action_add(
        actor=users["merchandiser"],
        meeting_id=meeting.pk,
        text="联系供应商确认补货",
        owner=users["purchasing"],
        due_date=due,
        agenda_item=item,
    )
    followed = action.issue
    assert (followed.source, followed.kind, followed.order, followed.owner, followed.due_date) == (
        IssueSource.MEETING,
        "material",
        order,
        users["purchasing"],
        due,
    )
    assert followed.responsible_department == departments["purchasing"]
    assert followed.title == "联系供应商确认补货"
    Notification.objects.all().delete()
    assert issues_remind() >= 1
    assert Notification.objects.filter(event="issue.reminder", recipient=users["purchasing"]).exists()
    loose = services.action_add(
        actor=users["merchandiser"], meeting_id=meeting.pk, text="整理", owner=users["quality"], due_date=due
    )
    assert (loose.issue.kind, loose.issue.order) == ("other", None)


@pytest.mark.parametrize(
    ("field", "value"),
    [("text", ""), ("due_date", "x"), ("due_date", dt.date(2000, 1, 1)), ("owner", None)],
)
def test_an_action_needs_text_owner_and_a_date_ahead(f, users, field, value):
    meeting = f.meeting()
    data = {"text": "做", "owner": users["quality"], "due_date": timezone.localdate(), field: value}
    with pytest.raises(ValidationError) as exc:
        services.action_add(actor=users["merchandiser"], meeting_id=meeting.pk, **data)
    assert field in exc.value.message_dict
    assert not meeting.actions.exists() and not Issue.objects.filter(source="meeting").exists()


def test_an_owner_without_a_department_cannot_take_an_action(f, users):
    loner = User.objects.create(username="loner", role="production")
    with pytest.raises(ValidationError) as exc:
        services.action_add(
            actor=users["merchandiser"],
            meeting_id=f.meeting().pk,
            text="做",
            owner=loner,
            due_date=timezone.localdate(),
        )
    assert "owner" in exc.value.message_dict


def test_only_the_chair_the_caller_and_management_run_a_meeting(f, users):
    meeting = f.meeting(chair=users["production"], attendees=[users["quality"]])
    services.meeting_hold(actor=users["production"], meeting_id=meeting.pk)  # the chair
    with pytest.raises(PermissionDenied):  # an attendee reads it, does not run it
        services.attendees_set(actor=users["quality"], meeting_id=meeting.pk, users=[])
    with pytest.raises(PermissionDenied):  # not involved (its page is a 404 to him)
        services.meeting_hold(actor=users["warehouse"], meeting_id=meeting.pk)
    services.attendees_set(actor=users["management"], meeting_id=meeting.pk, users=[users["warehouse"]])
    assert set(meeting.attendees.values_list("username", flat=True)) == {"production", "warehouse"}


def test_the_minutes_need_every_decision_then_go_to_the_attendees_and_close_the_meeting(f, users):
    order = f.order()
    issue = f.issue(order=order)
    meeting = f.meeting(attendees=[users["production"], users["quality"]])
    (item,) = services.agenda_add(actor=users["merchandiser"], meeting_id=meeting.pk, issue_ids=[issue.pk])
    with pytest.raises(WorkflowConflict):  # not held yet
        services.minutes_send(actor=users["merchandiser"], meeting_id=meeting.pk)
    services.meeting_hold(actor=users["merchandiser"], meeting_id=meeting.pk)
    with pytest.raises(ValidationError) as exc:
        services.minutes_send(actor=users["merchandiser"], meeting_id=meeting.pk)
    assert "decision" in exc.value.message_dict
    services.decision_record(actor=users["merchandiser"], item_id=item.pk, decision="周五前返工完成")
    Notification.objects.all().delete()
    meeting = services.minutes_send(actor=users["merchandiser"], meeting_id=meeting.pk)
    assert meeting.status == MeetingStatus.MINUTES_SENT and meeting.minutes_sent_at is not None
    told = set(
        Notification.objects.filter(event="meeting.minutes").values_list("recipient__username", flat=True)
    )
    assert told == {"merchandiser", "production", "quality"}
    assert AuditEntry.objects.filter(scope=f"order:{order.pk}", action="meeting:send").exists()
    with pytest.raises(WorkflowConflict):
        services.decision_record(actor=users["merchandiser"], item_id=item.pk, decision="改")


def test_the_minutes_pdf_carries_the_decisions_and_actions_in_both_languages(f, users):
    issue = f.issue(order=f.order(), title="毛刺超标")
    meeting = f.meeting()
    (item,) = services.agenda_add(actor=users["merchandiser"], meeting_id=meeting.pk, issue_ids=[issue.pk])
    services.decision_record(actor=users["merchandiser"], item_id=item.pk, decision="更换模具后复检")
    services.action_add(
        actor=users["merchandiser"],
        meeting_id=meeting.pk,
        text="提交返工计划",
        owner=users["production"],
        due_date=timezone.localdate(),
    )
    from django.utils import translation

    for lang, heading in (("zh-hans", "决议"), ("en", "Decision")):
        with translation.override(lang):
            texts = [t for block in minutes_blocks(meeting_full(meeting)) for t in texts_of(block)]
        joined = " ".join(texts)
        assert "更换模具后复检" in joined and "提交返工计划" in joined and issue.number in joined
        assert heading in joined
        assert minutes_pdf(meeting, lang=lang).startswith(b"%PDF")


def test_the_issue_page_shows_the_meetings_that_discussed_it_and_the_action_it_follows_up(
    f, users, client_for, api_for
):
    issue = f.issue(order=f.order())
    meeting = f.meeting(attendees=[users["production"]])
    (item,) = services.agenda_add(actor=users["merchandiser"], meeting_id=meeting.pk, issue_ids=[issue.pk])
    services.decision_record(actor=users["merchandiser"], item_id=item.pk, decision="采购加急")
    action = services.action_add(
        actor=users["merchandiser"],
        meeting_id=meeting.pk,
        text="联系供应商确认交期",
        owner=users["purchasing"],
        due_date=timezone.localdate() + dt.timedelta(days=2),
        agenda_item=item,
    )
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    page = client_for("merchandiser").get(reverse("issues:issues_detail", args=[issue.pk])).content.decode()
    assert url in page and "采购加急" in page
    followed = client_for("purchasing").get(reverse("issues:issues_detail", args=[action.issue_id]))
    assert url in followed.content.decode() and "联系供应商确认交期" in followed.content.decode()
    source = api_for("purchasing").get(f"/api/issues/{action.issue_id}/").json()["source_record"]
    assert source == {"kind": "meeting_action", "id": action.pk, "api": f"/api/meeting-actions/{action.pk}/"}
    # Someone who was not there sees the issue, not the meeting.
    assert (
        url
        not in client_for("quality").get(reverse("issues:issues_detail", args=[issue.pk])).content.decode()
    )
