"""The meeting pages and API: who sees what (another's meeting is a 404), bad input is a 400 or a
message (never a 500), the steps are POSTs, the order's dossier links its meetings."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.meetings import services
from gendan.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def _held_with_issue(f, users):
    order = f.order()
    issue = f.issue(order=order, title="来料短缺")
    meeting = f.meeting(attendees=[users["production"]])
    services.agenda_add(actor=users["merchandiser"], meeting_id=meeting.pk, issue_ids=[issue.pk])
    return meeting, issue, order


def test_the_list_and_the_page_show_to_those_involved_only(f, users, client_for):
    meeting, issue, _order = _held_with_issue(f, users)
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    for role in ("merchandiser", "production", "management"):
        response = client_for(role).get(url)
        assert response.status_code == 200, role
        assert issue.number in response.content.decode()
    assert client_for("warehouse").get(url).status_code == 404
    listing = client_for("warehouse").get(reverse("meetings:meeting_list")).content.decode()
    assert meeting.number not in listing
    assert meeting.number in client_for("production").get(reverse("meetings:meeting_list")).content.decode()
    assert client_for("production").get(reverse("meetings:meeting_pdf", args=[meeting.pk])).status_code == 200
    assert client_for("warehouse").get(reverse("meetings:meeting_pdf", args=[meeting.pk])).status_code == 404


def test_calling_a_meeting_from_the_page(users, client_for):
    page = client_for("merchandiser")
    when = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = page.post(
        reverse("meetings:meeting_create"),
        {"title": "周会", "held_on": when, "place": "2F", "attendees": [users["quality"].pk]},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and meeting.chair == users["merchandiser"]
    bad = page.post(reverse("meetings:meeting_create"), {"title": "", "held_on": "soon"})
    assert bad.status_code == 200 and Meeting.objects.count() == 1
    # A production clerk who manages no department may not call one.
    refused = client_for("production").post(
        reverse("meetings:meeting_create"), {"title": "x", "held_on": when}
    )
    assert refused.status_code == 403 and Meeting.objects.count() == 1


def test_the_agenda_builder_previews_and_adds(f, users, client_for):
    order = f.order()
    issue = f.issue(order=order)
    meeting = f.meeting()
    page = client_for("merchandiser")
    url = reverse("meetings:agenda", args=[meeting.pk])
    preview = page.get(url, {"order": order.number})
    assert preview.status_code == 200 and issue.number in preview.content.decode()
    assert page.get(url, {"order": "SO-NOPE"}).status_code == 400
    assert page.get(url, {"older_than": "-1"}).status_code == 400
    page.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"issues": [issue.pk], "next": "agenda"})
    assert list(meeting.agenda.values_list("issue", flat=True)) == [issue.pk]
    response = page.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"issues": ["abc"]})
    assert response.status_code == 302 and meeting.agenda.count() == 1


def test_decisions_actions_and_steps_from_the_page(f, users, client_for):
    meeting, issue, order = _held_with_issue(f, users)
    item = meeting.agenda.get()
    page = client_for("merchandiser")
    page.post(reverse("meetings:hold", args=[meeting.pk]))
    page.post(reverse("meetings:decide", args=[meeting.pk, item.pk]), {"decision": "加急采购"})
    page.post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {"text": "跟进供应商", "owner": users["purchasing"].pk, "due_date": "2000-01-01"},
    )
    assert not meeting.actions.exists()  # a date in the past: refused with a message
    page.post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {
            "text": "跟进供应商",
            "owner": users["purchasing"].pk,
            "due_date": timezone.localdate().isoformat(),
            "agenda_item": item.pk,
        },
    )
    action = meeting.actions.get()
    assert action.issue.order == order
    page.post(reverse("meetings:send_minutes", args=[meeting.pk]))
    assert Meeting.objects.get(pk=meeting.pk).status == "minutes_sent"
    # An attendee may not run it; someone not involved does not see it.
    assert client_for("production").post(reverse("meetings:hold", args=[meeting.pk])).status_code == 403
    assert client_for("warehouse").post(reverse("meetings:hold", args=[meeting.pk])).status_code == 404
    assert client_for("merchandiser").get(reverse("meetings:hold", args=[meeting.pk])).status_code == 405
    # The order's dossier links the meeting.
    dossier = page.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert reverse("meetings:meeting_list") + f"?order={order.pk}" in dossier
    assert meeting.number in page.get(reverse("meetings:meeting_list"), {"order": order.pk}).content.decode()


def test_the_api_runs_a_meeting_with_the_same_rules(f, users, api_for):
    order = f.order()
    issue = f.issue(order=order)
    api = api_for("merchandiser")
    when = (timezone.now() + dt.timedelta(days=1)).isoformat()
    created = api.post(
        "/api/meetings/",
        {"title": "周会", "held_on": when, "attendees": [users["quality"].pk]},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (
        api.post(
            "/api/meetings/", {"title": "x", "held_on": when, "status": "held"}, format="json"
        ).status_code
        == 400
    )
    assert (
        api.post("/api/meetings/", {"title": "x", "held_on": when, "colour": 1}, format="json").status_code
        == 400
    )
    got = api.get(f"/api/meetings/{pk}/candidates/", {"order": order.pk}).json()
    assert [row["number"] for row in got] == [issue.number]
    assert api.get(f"/api/meetings/{pk}/candidates/", {"older_than": "x"}).status_code == 400
    assert api.post(f"/api/meetings/{pk}/agenda/", {"issues": [issue.pk]}, format="json").status_code == 200
    assert api.post(f"/api/meetings/{pk}/agenda/", {"issues": ["x"]}, format="json").status_code == 400
    item = api.get("/api/meeting-agenda-items/", {"meeting": pk}).json()["results"][0]
    assert api.post(f"/api/meetings/{pk}/hold/").status_code == 200
    assert api.post(f"/api/meetings/{pk}/hold/").status_code == 409
    assert api.post(f"/api/meetings/{pk}/send-minutes/").status_code == 400  # no decision yet
    decided = api.post(f"/api/meeting-agenda-items/{item['id']}/decide/", {"decision": "返工"}, format="json")
    assert decided.status_code == 200 and decided.json()["decision"] == "返工"
    action = api.post(
        "/api/meeting-actions/",
        {
            "meeting": pk,
            "text": "复检",
            "owner": users["quality"].pk,
            "due_date": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert action.status_code == 201, action.content
    assert action.json()["issue_number"].startswith("YC-")
    assert api.post(f"/api/meetings/{pk}/send-minutes/").status_code == 200
    # Read by those involved; a 404 for the others.
    assert api_for("quality").get(f"/api/meetings/{pk}/").status_code == 200
    assert api_for("warehouse").get(f"/api/meetings/{pk}/").status_code == 404
    assert (
        api_for("quality")
        .post(f"/api/meeting-agenda-items/{item['id']}/decide/", {"decision": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_for("production")
        .post("/api/meetings/", {"title": "x", "held_on": when}, format="json")
        .status_code
        == 403
    )


def test_editing_a_meeting_keeps_its_chair_and_refuses_after_the_minutes(f, users, client_for):
    meeting = f.meeting()
    page = client_for("merchandiser")
    when = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    assert page.post(url, {"title": "改期", "held_on": when, "place": "3F", "chair": ""}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.place, meeting.chair) == ("改期", "3F", users["merchandiser"])
    assert client_for("production").get(url).status_code == 404
