import datetime as dt

import pytest
from django.utils import timezone

from gendan.issues.tests.factories import IssueFactory
from gendan.meetings import services


class MeetingFactory(IssueFactory):
    def meeting(self, *, actor=None, attendees=(), **kw):
        data = {
            "title": "生产协调会",
            "held_on": timezone.now() + dt.timedelta(days=1),
            "place": "会议室",
            **kw,
        }
        return services.meeting_create(actor=actor or self.users["merchandiser"], attendees=attendees, **data)


@pytest.fixture
def f(make, users, departments):
    return MeetingFactory(make, users, departments)
