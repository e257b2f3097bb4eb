"""What the issue services share: the number, the audit scope, the conditional status move."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict

from ..choices import STEP_ACTION, TRANSITIONS, IssueStatus
from ..models import Issue

NUMBER_PREFIX = "YC"
NUMBER_ATTEMPTS = 8


def scope_of(issue: Issue) -> str:
    """An issue on an order shows on the order's dossier timeline."""
    return f"order:{issue.order_id}" if issue.order_id else ""


def audit(actor, issue: Issue, action: str, **kwargs):
    return audit_record(actor=actor, obj=issue, action=action, scope=scope_of(issue), **kwargs)


def next_number(year: int) -> str:
    prefix = f"{NUMBER_PREFIX}-{year}-"
    last = (
        Issue.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.removeprefix(prefix)) + 1 if last and last.removeprefix(prefix).isdigit() else 1
    return f"{prefix}{seq:04d}"


def insert_numbered(issue: Issue) -> Issue:
    """Save a new issue under the next free YC-<year>-<nnnn>. Two people opening at once may read
    the same last number: the unique constraint refuses the second insert, which takes the next."""
    year = timezone.localdate().year
    for _attempt in range(NUMBER_ATTEMPTS):
        issue.number = next_number(year)
        try:
            with transaction.atomic():
                issue.save(force_insert=True)
            return issue
        except IntegrityError:
            issue.pk = None
            continue
    raise WorkflowConflict(_("Could not give the issue a number; please try again."))


def issue_for(actor, issue_id: int, action: str, *, lock: bool = False) -> Issue:
    """The issue a service acts on, if `actor` may take `action` on it (PermissionDenied if not,
    Issue.DoesNotExist if there is none)."""
    issues = Issue.objects.select_for_update(of=("self",)) if lock else Issue.objects.all()
    return issues.select_related("order", "work_centre").get_for(actor, action, pk=issue_id)


def move_status(
    *, actor, issue: Issue, to: str, step: str, note: Any = "", extra: dict[str, Any] | None = None
) -> Issue:
    """Move an issue by `step` if the table (choices.TRANSITIONS) allows it from the status the
    caller saw; of two people acting at once one wins, the other gets WorkflowConflict."""
    expected = issue.status
    if TRANSITIONS.get(expected, {}).get(to) != step:
        raise WorkflowConflict(
            _("An issue that is “%(current)s” cannot become “%(target)s”.")
            % {"current": IssueStatus(expected).label, "target": IssueStatus(to).label}
        )
    fields = {"status": to, "updated_at": timezone.now(), **(extra or {})}
    won = Issue.objects.filter(pk=issue.pk, status=expected).update(**fields)
    if not won:
        current = Issue.objects.filter(pk=issue.pk).values_list("status", flat=True).first()
        raise WorkflowConflict(
            _("Someone else changed issue %(number)s first (it is now “%(status)s”); reload and try again.")
            % {"number": issue.number, "status": IssueStatus(current).label if current else "?"}
        )
    audit(actor, issue, f"issue:{step}", changes={"status": [expected, to]}, note=note)
    issue.refresh_from_db()
    return issue


def step_action(step: str) -> str:
    return STEP_ACTION[step]


def add_working_days(day: dt.date, days: int, holidays: set[dt.date] | frozenset = frozenset()) -> dt.date:
    """`day` plus `days` working days (Monday to Friday, not a factory holiday)."""
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            days -= 1
    return day
