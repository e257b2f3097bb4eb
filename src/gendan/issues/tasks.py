"""Background work of the issue register: the deviation scan and the reminders."""

from django_tasks import task

from gendan.core.audit import audit_source


@task()
def scan_deviations() -> int:
    """Operations behind plan or over their scrap allowance open issues (R-2.6); every 5 minutes."""
    from .deviations import deviations_scan

    with audit_source("task"):
        return len(deviations_scan())


@task()
def remind_issues() -> int:
    """Issues due tomorrow or overdue: a reminder at most once a day each (R-4.3)."""
    from .services import issues_remind

    with audit_source("task"):
        return issues_remind()
