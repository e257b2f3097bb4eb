"""A rejected lot's supplier case goes on the issue register (R-4.3): one material issue of
purchasing per case, on the order the lot was bought for."""

import pytest

from gendan.issues.choices import IssueKind, IssueSource
from gendan.issues.models import Issue
from gendan.issues.services import issue_from

from .test_cases_fixtures import buying_fixture  # noqa: F401 - the `buying` fixture

pytestmark = pytest.mark.django_db


def test_a_supplier_case_opens_one_material_issue_for_its_order(buying, users, departments):
    case = buying.case()
    issue = issue_from(f"case:{case.pk}")
    assert issue is not None
    assert (issue.kind, issue.source, issue.order, issue.responsible_department) == (
        IssueKind.MATERIAL,
        IssueSource.INCOMING,
        buying.order,
        departments["purchasing"],
    )
    assert case.number in issue.title and issue.due_date == case.due_date
    assert issue.opened_by == users["quality"]
    buying.case()
    assert Issue.objects.filter(source=IssueSource.INCOMING).count() == 2
