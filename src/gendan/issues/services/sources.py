"""Issues other apps open from their own records (R-4.3): an inspection that fails, a lot rejected
at incoming inspection, an action agreed in a coordination meeting. Each record opens one issue:
the caller names it by a fingerprint (`case:<pk>`, `inspection:<pk>` …) and calling again returns
the issue it opened, whatever its status."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.core.exceptions import WorkflowConflict

from ..choices import IssueKind, IssueSource, IssueStatus, Severity
from ..models import Issue
from .register import TEXT_MAX, issue_open, issue_resolve, issue_update

FINGERPRINT_MAX = 120


def issue_from(fingerprint: str) -> Issue | None:
    """The issue a record opened, if any (open or not)."""
    return Issue.objects.filter(fingerprint=fingerprint).order_by("pk").first() if fingerprint else None


def issue_open_from(
    *,
    actor,
    kind: str,
    source: str,
    title: str,
    fingerprint: str,
    responsible_department,
    order=None,
    operation=None,
    work_centre=None,
    description: str = "",
    severity: str = Severity.MEDIUM,
    owner=None,
    due_date: dt.date | None = None,
) -> Issue:
    """Open the issue for another app's record, once: a second call with the same fingerprint
    returns the first issue. The issue is opened by the system on the record's behalf (the person
    who acted on the record is its opener), so a record on an order the actor does not follow
    still reaches its merchandiser. Call it inside the transaction that writes the record."""
    if source not in IssueSource.values or source == IssueSource.MANUAL:
        raise ValidationError({"source": _("Choose where the issue comes from.")})
    if kind not in IssueKind.values:
        raise ValidationError({"kind": _("Choose a kind of issue.")})
    fingerprint = (fingerprint or "").strip()
    if not fingerprint or len(fingerprint) > FINGERPRINT_MAX:
        raise ValidationError({"fingerprint": _("Name the record the issue comes from.")})
    with transaction.atomic():
        found = issue_from(fingerprint)
        if found is not None:
            return found
        issue = issue_open(
            actor=None,
            kind=kind,
            source=source,
            title=(title or "")[:200],
            description=description,
            order=order,
            operation=operation,
            work_centre=work_centre,
            severity=severity,
            responsible_department=responsible_department,
            owner=owner,
            due_date=due_date,
            fingerprint=fingerprint,
        )
        opener = actor if getattr(actor, "pk", None) else None
        if opener is not None:
            Issue.objects.filter(pk=issue.pk).update(opened_by=opener)
            issue.opened_by = opener
    return issue


def issue_solve_from(*, actor, fingerprint: str, solution: str, cause: str = "") -> Issue | None:
    """The record an issue was opened for is settled: mark the issue solved with how (added to a
    solution already written), and give it `cause` if it has none, through the register's own
    steps. It is not closed: closing is the merchandiser's confirmation (R-4.3). An issue already
    solved or closed is left as it is; so is one the actor may not solve or someone moved first, or
    whose own fields fail its rules: the record's step is not undone for it, and the responsible
    department solves the issue by hand. Returns the issue when it was solved."""
    issue = issue_from(fingerprint)
    if issue is None or issue.status not in (IssueStatus.OPEN, IssueStatus.IN_PROGRESS):
        return None
    solution = solution.strip()
    if issue.solution.strip() and solution not in issue.solution:
        solution = f"{issue.solution.strip()}\n{solution}"
    try:
        with transaction.atomic():
            if cause.strip() and not issue.cause.strip():
                issue_update(actor=actor, issue_id=issue.pk, data={"cause": cause.strip()[:TEXT_MAX]})
            return issue_resolve(actor=actor, issue_id=issue.pk, solution=solution[:TEXT_MAX])
    except (WorkflowConflict, PermissionDenied, ValidationError):
        return None
