"""What the apps above hook into the issue register (issues/hooks.py): told when an issue is closed,
inside the close (what they do fails with it); the record an issue comes from, read off its
fingerprint; and the linked records on the issue's page, the record it comes from first."""

import pytest
from django.urls import reverse

from gendan.core.exceptions import WorkflowConflict
from gendan.issues import hooks, services
from gendan.issues.choices import IssueSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def listeners(monkeypatch):
    registered: list = []
    monkeypatch.setattr(hooks, "_CLOSE_LISTENERS", registered)
    return registered


def test_closing_tells_the_listeners_who_closed_which_issue(f, users, listeners):
    issue = f.issue(order=f.order(), solution="已补货")
    told = []
    hooks.register_close_listener(lambda *, actor, issue_ids: told.append((actor, issue_ids)))
    services.issue_close(actor=users["merchandiser"], issue_id=issue.pk)
    assert told == [(users["merchandiser"], [issue.pk])]


def test_a_listener_that_fails_undoes_the_close(f, users, listeners):
    issue = f.issue(order=f.order(), solution="已补货")

    def refuse(*, actor, issue_ids):
        raise WorkflowConflict("not now")

    hooks.register_close_listener(refuse)
    with pytest.raises(WorkflowConflict):
        services.issue_close(actor=users["merchandiser"], issue_id=issue.pk)
    issue.refresh_from_db()
    assert issue.status == "open" and issue.closed_at is None


def test_the_source_of_an_issue_is_read_off_its_fingerprint(f, users, monkeypatch):
    monkeypatch.setattr(hooks, "_SOURCES", {})
    hooks.register_source("meeting-action", kind="meeting_action", api_route="actionitem-detail")
    issue = services.issue_open_from(
        actor=users["merchandiser"],
        kind="other",
        source=IssueSource.MEETING,
        title="催料",
        fingerprint="meeting-action:42",
        responsible_department=f.departments["purchasing"],
    )
    ref = hooks.source_of(issue)
    assert (ref.kind, ref.id, ref.api) == ("meeting_action", 42, reverse("actionitem-detail", args=[42]))
    assert hooks.source_of(f.issue()) is None  # opened by hand
    issue.fingerprint = "behind:7"  # a deviation found by a scan names no record of another app
    assert hooks.source_of(issue) is None
    with pytest.raises(ValueError):
        hooks.register_source("meeting-action", kind="other", api_route="actionitem-detail")


def test_an_issue_from_an_operation_names_it_and_its_work_centre(f, users, make):
    operation = f.operation()
    centre = make.work_centre()
    issue = services.issue_open_from(
        actor=users["quality"],
        kind="quality",
        source=IssueSource.INSPECTION,
        title="巡检不合格",
        fingerprint="test:1",
        responsible_department=f.departments["quality"],
        order=operation.order,
        operation=operation,
        work_centre=centre,
    )
    assert (issue.operation, issue.work_centre, issue.order) == (operation, centre, operation.order)


def test_the_issue_page_lists_linked_records_the_source_first(f, users, client_for, monkeypatch):
    issue = f.issue(order=f.order())
    monkeypatch.setattr(hooks, "_LINKED", [])
    hooks.register_linked_records(lambda user, i: [hooks.LinkedRecord("会议", "HY-1", "/m/1/", "决定：加急")])
    hooks.register_linked_records(lambda user, i: [hooks.LinkedRecord("来源", "NC-1", "/nc/1/", source=True)])
    page = client_for("merchandiser").get(reverse("issues:issues_detail", args=[issue.pk])).content.decode()
    assert page.index("/nc/1/") < page.index("/m/1/") and "决定：加急" in page
    monkeypatch.setattr(hooks, "_LINKED", [])
    page = client_for("merchandiser").get(reverse("issues:issues_detail", args=[issue.pk])).content.decode()
    assert 'id="linked"' not in page  # nothing linked: no empty card
