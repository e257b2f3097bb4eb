"""The generic checks of core.crud's entities for the register and the maintenance records: list,
detail, history, create, edit, export, the API and the role table's permissions for every role."""

import datetime

from gendan.issues import views as issues_views
from gendan.testing import EntityCase, EntityChecks


def _issue(make):
    """An issue the merchandisers' department is responsible for: the checks' operator (a
    merchandiser, the first role the table lets view, add and change issues) works on it."""
    from gendan.accounts.models import Department
    from gendan.issues import services

    merchandising = Department.objects.filter(kind="merchandising").first() or make.department(
        kind="merchandising"
    )
    return services.issue_open(
        actor=None, kind="other", title=f"异常{make.n()}", responsible_department=merchandising
    )


def _issue_of(make, user):
    """An issue the user's department is responsible for (the role table's checks: what may a role
    do to an issue it is part of)."""
    from gendan.issues import services

    return services.issue_open(
        actor=None, kind="other", title=f"异常{make.n()}", responsible_department=user.department
    )


def _department(make):
    from gendan.accounts.models import Department

    return Department.objects.filter(kind="production").first() or make.department(kind="production")


CASES = {
    "issues": EntityCase(
        existing=_issue,
        existing_for=_issue_of,
        create=lambda make: {
            "kind": "material",
            "title": f"缺料{make.n()}",
            "severity": "high",
            "responsible_department": _department(make),
        },
        edit={"cause": "供应商延期", "severity": "critical"},
        search=lambda obj: obj.number,
    ),
    "maintenance": EntityCase(
        existing=lambda make: __import__(
            "gendan.issues.models", fromlist=["MaintenanceRecord"]
        ).MaintenanceRecord.objects.create(
            work_centre=make.work_centre(), kind="repair", description=f"换皮带{make.n()}"
        ),
        create=lambda make: {
            "work_centre": make.work_centre(),
            "kind": "preventive",
            "date": datetime.date(2026, 11, 1),
            "description": "润滑保养",
            "downtime_hours": 1,
        },
        edit={"performed_by": "张师傅"},
        search=lambda obj: obj.description,
    ),
}


class TestIssueEntities(EntityChecks):
    modules = (issues_views,)
    cases = CASES
