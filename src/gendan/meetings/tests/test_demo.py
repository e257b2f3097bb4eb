"""The demo's step: a held meeting on the merchandiser's open issues, with decisions, actions
followed up as issues and minutes sent; nothing changes when the demo runs again."""

import pytest

from gendan.meetings.demo import build_meetings
from gendan.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_the_demo_builds_one_meeting_with_minutes_once(f, users):
    order = f.order()
    f.issue(order=order)
    f.issue(order=order, kind="material")
    part = build_meetings(users=users)
    meeting = Meeting.objects.get()
    assert meeting.status == "minutes_sent"
    assert meeting.agenda.count() == 2 and all(meeting.agenda.values_list("decision", flat=True))
    assert meeting.actions.count() == 2 and all(a.issue_id for a in meeting.actions.all())
    assert part.counts == {"coordination meetings": 1, "meeting actions": 2}
    assert build_meetings(users=users).counts == part.counts
