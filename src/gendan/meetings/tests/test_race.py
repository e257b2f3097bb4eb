"""Two people at once (on a file database): one "mark held" wins, numbers stay unique."""

import pytest

from gendan.core.exceptions import WorkflowConflict
from gendan.meetings import services
from gendan.meetings.models import Meeting
from gendan.testing import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_marking_held_twice_at_once_one_wins(f, users):
    meeting = f.meeting()

    def hold(_i):
        return services.meeting_hold(actor=users["merchandiser"], meeting_id=meeting.pk)

    results = race(2, hold)
    assert sum(isinstance(r, Meeting) for r in results) == 1, results
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1, results
    assert Meeting.objects.get(pk=meeting.pk).status == "held"


def test_meetings_called_at_once_get_distinct_numbers(f):
    results = race(3, lambda i: f.meeting(title=f"会 {i}").number)
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == 3
