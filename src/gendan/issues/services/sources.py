"""Issues other apps open from their own records (R-4.3): an inspection that fails, a lot rejected
at incoming inspection, an action agreed in a coordination meeting. Each record opens one issue:
the caller names it by a fingerprint (`case:<pk>`, `inspection:<pk>` …) and calling again returns
the issue it opened, whatever its status."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import IssueKind, IssueSource, Severity
from ..models import Issue
from .register import issue_open

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
