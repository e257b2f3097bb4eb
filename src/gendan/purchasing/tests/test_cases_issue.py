"""A rejected lot's supplier case goes on the issue register (R-4.3): one material issue of
purchasing per case, on the order the lot was bought for."""

import pytest
from django.urls import reverse

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


def test_the_issue_page_and_the_api_point_back_to_the_case(buying, users, client_for, api_for):
    case = buying.case()
    issue = issue_from(f"case:{case.pk}")
    page = client_for("merchandiser").get(reverse("issues:issues_detail", args=[issue.pk])).content.decode()
    assert reverse("purchasing:case_detail", args=[case.pk]) in page and case.number in page
    source = api_for("merchandiser").get(f"/api/issues/{issue.pk}/").json()["source_record"]
    assert source == {"kind": "supplier_case", "id": case.pk, "api": f"/api/supplier-cases/{case.pk}/"}


def test_the_issue_is_solved_with_how_the_case_was_settled_when_it_closes(buying, users):
    from django.utils import timezone

    from gendan.purchasing.choices import CaseKind
    from gendan.purchasing.services import cases as svc

    case = svc.case_decide(
        actor=users["purchasing"], case=buying.case(), kind=CaseKind.RETURN, note="全部退回"
    )
    issue = issue_from(f"case:{case.pk}")
    assert issue.status == "open"
    svc.case_return_record(
        actor=users["purchasing"], case=case, returned_on=timezone.localdate(), note="顺丰 1234"
    )
    issue.refresh_from_db()
    assert issue.status == "resolved" and case.number in issue.solution and "顺丰 1234" in issue.solution
