"""Two people at once (on a file database): numbers stay unique, one close wins."""

import pytest

from gendan.core.exceptions import WorkflowConflict
from gendan.issues import services
from gendan.issues.models import Issue
from gendan.testing import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_issues_opened_at_once_get_distinct_numbers(users, departments):
    def open_one(i):
        return services.issue_open(
            actor=users["production"],
            kind="other",
            title=f"同时 {i}",
            responsible_department=departments["production"],
        ).number

    results = race(4, open_one)
    assert all(isinstance(r, str) for r in results), results
    assert len(set(results)) == 4
    assert Issue.objects.count() == 4


def test_two_closing_at_once_one_wins(users, departments):
    issue = services.issue_open(
        actor=users["production"],
        kind="other",
        title="x",
        responsible_department=departments["production"],
        solution="ok",
    )

    def close(_i):
        return services.issue_close(actor=users["production"], issue_id=issue.pk)

    results = race(2, close)
    assert sum(isinstance(r, Issue) for r in results) == 1
    assert sum(isinstance(r, WorkflowConflict) for r in results) == 1
