"""The issue register (异常, R-2.6, R-4.3): open, edit, take on, solve, close, reopen, notes."""

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.audit import snapshot
from gendan.core.permissions import require

from ..choices import OPEN_STATES, IssueKind, IssueSource, IssueStatus, Severity, Step
from ..hooks import issues_closed
from ..models import Issue, IssueNote
from .breakdown import MAX_DOWN_DAYS, breakdown_sync
from .common import audit, insert_numbered, issue_for, move_status, step_action

TITLE_MAX = 200
TEXT_MAX = 5000
# What issue_update may change: never status, number, source or who opened it.
EDITABLE = (
    "title",
    "description",
    "severity",
    "cause",
    "solution",
    "responsible_department",
    "owner",
    "due_date",
    "blocks_from",
    "blocks_until",
)


def _check_text(errors: dict, name: str, value: str, limit: int, *, required: bool = False) -> None:
    if required and not (value or "").strip():
        errors[name] = _("This field is required.")
    elif len(value or "") > limit:
        errors[name] = _("At most %(n)s characters.") % {"n": limit}


def _validate(issue: Issue) -> None:
    """Everything an issue's fields must satisfy, whoever writes them (form, API, task)."""
    errors: dict[str, Any] = {}
    _check_text(errors, "title", issue.title, TITLE_MAX, required=True)
    for name in ("description", "cause", "solution"):
        _check_text(errors, name, getattr(issue, name), TEXT_MAX)
    if issue.kind not in IssueKind.values:
        errors["kind"] = _("Choose a kind of issue.")
    if issue.severity not in Severity.values:
        errors["severity"] = _("Choose a severity.")
    if issue.responsible_department_id is None:
        errors["responsible_department"] = _("Name the department responsible for solving it.")
    if issue.owner_id and issue.owner and not issue.owner.is_active:
        errors["owner"] = _("This user is no longer active.")
    operation = issue.operation if issue.operation_id else None
    if operation is not None and issue.order_id and operation.order_id != issue.order_id:
        errors["operation"] = _("This operation belongs to another order.")
    today = timezone.localdate()
    if issue.due_date and not (
        today - dt.timedelta(days=3650) <= issue.due_date <= today + dt.timedelta(days=3650)
    ):
        errors["due_date"] = _("Enter a due date within ten years of today.")
    start, until = issue.blocks_from, issue.blocks_until
    if start or until:
        if issue.kind != IssueKind.EQUIPMENT or not issue.work_centre_id:
            errors["blocks_from"] = _(
                "Only an equipment breakdown on a work centre takes it out of the calendar."
            )
        elif not (start and until):
            errors["blocks_until" if start else "blocks_from"] = _(
                "Give both the first and the last day down."
            )
        elif until < start:
            errors["blocks_until"] = _("The last day down cannot be before the first.")
        elif (until - start).days + 1 > MAX_DOWN_DAYS:
            errors["blocks_until"] = _("At most %(n)s days down at a time.") % {"n": MAX_DOWN_DAYS}
    if issue.kind == IssueKind.EQUIPMENT and not issue.work_centre_id:
        errors["work_centre"] = _("A breakdown names the work centre that is down.")
    if errors:
        raise ValidationError(errors)


def _visible_or_denied(actor, model_label: str, obj) -> None:
    """A user opens an issue only on an order (or operation) he may see."""
    if actor is None or obj is None:
        return
    model = apps.get_model(model_label)
    if not model._default_manager.all().restrict(actor, "view").filter(pk=obj.pk).exists():
        raise PermissionDenied(_("You may not do this to this record."))


def issue_open(
    *,
    actor,
    kind: str,
    title: str,
    severity: str = Severity.MEDIUM,
    description: str = "",
    order=None,
    operation=None,
    work_centre=None,
    responsible_department=None,
    owner=None,
    due_date: dt.date | None = None,
    blocks_from: dt.date | None = None,
    blocks_until: dt.date | None = None,
    source: str = IssueSource.MANUAL,
    fingerprint: str = "",
    cause: str = "",
    solution: str = "",
) -> Issue:
    """Record an issue (numbered YC-<year>-<nnnn>), tell the order's merchandiser and the
    responsible department; a breakdown with days down blocks its work centre's calendar."""
    require(actor, Issue, "add")
    if operation is not None and order is None:
        order = operation.order
    _visible_or_denied(actor, "orders.Order", order)
    issue = Issue(
        kind=kind,
        title=(title or "").strip(),
        severity=severity,
        description=description or "",
        order=order,
        operation=operation,
        work_centre=work_centre,
        responsible_department=responsible_department,
        owner=owner,
        due_date=due_date,
        blocks_from=blocks_from,
        blocks_until=blocks_until,
        source=source,
        fingerprint=fingerprint,
        cause=cause or "",
        solution=solution or "",
        opened_by=actor,
        opened_at=timezone.now(),
    )
    _validate(issue)
    with transaction.atomic():
        insert_numbered(issue)
        audit(actor, issue, "create", before={}, after=snapshot(issue))
        breakdown_sync(actor=actor, issue=issue)
        _notify_opened(issue)
    return issue


def issue_update(*, actor, issue_id: int, data: dict) -> Issue:
    """Change what the follow-up records (cause, solution, who, when, how bad); never the status."""
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    with transaction.atomic():
        issue = issue_for(actor, issue_id, "change", lock=True)
        if issue.status == IssueStatus.CLOSED:
            raise ValidationError(_("A closed issue is not edited; reopen it first."))
        before = snapshot(issue)
        for name, value in data.items():
            setattr(issue, name, value.strip() if isinstance(value, str) else value)
        _validate(issue)
        after = snapshot(issue)
        if after == before:
            return issue  # nothing changed: nothing written, nothing recorded
        issue.save()
        audit(actor, issue, "update", before=before, after=after)
        breakdown_sync(actor=actor, issue=issue)
    return issue


def issue_accept(*, actor, issue_id: int) -> Issue:
    """The responsible department takes the issue on (it records cause and solution)."""
    with transaction.atomic():
        issue = issue_for(actor, issue_id, step_action(Step.ACCEPT))
        if issue.owner_id is None and actor is not None:
            Issue.objects.filter(pk=issue.pk, owner__isnull=True).update(owner=actor)
        return move_status(actor=actor, issue=issue, to=IssueStatus.IN_PROGRESS, step=Step.ACCEPT)


def _needs_solution(issue: Issue) -> None:
    if not issue.solution.strip():
        raise ValidationError(
            {
                "solution": _(
                    "Record the solution (field “solution”) before the issue is marked solved or closed."
                )
            }
        )


def issue_resolve(*, actor, issue_id: int, solution: str | None = None) -> Issue:
    """Mark solved: the solution must be recorded (it may be given here)."""
    with transaction.atomic():
        issue = issue_for(actor, issue_id, step_action(Step.RESOLVE))
        if solution is not None and solution.strip():
            if len(solution) > TEXT_MAX:
                raise ValidationError({"solution": _("At most %(n)s characters.") % {"n": TEXT_MAX}})
            before = snapshot(issue)
            issue.solution = solution.strip()
            Issue.objects.filter(pk=issue.pk).update(solution=issue.solution)
            audit(actor, issue, "update", before=before, after=snapshot(issue))
        _needs_solution(issue)
        issue = move_status(
            actor=actor,
            issue=issue,
            to=IssueStatus.RESOLVED,
            step=Step.RESOLVE,
            extra={"resolved_at": timezone.now()},
        )
        _notify_solved(issue)
    return issue


def issue_close(*, actor, issue_id: int, note: str = "") -> Issue:
    """The order's merchandiser (or, without an order, the opener) confirms and closes."""
    with transaction.atomic():
        issue = issue_for(actor, issue_id, step_action(Step.CLOSE))
        _needs_solution(issue)
        issue = move_status(
            actor=actor,
            issue=issue,
            to=IssueStatus.CLOSED,
            step=Step.CLOSE,
            note=note[:TEXT_MAX],
            extra={"closed_at": timezone.now(), "closed_by": actor},
        )
        breakdown_sync(actor=actor, issue=issue)
        # The apps above close what hangs on the issue (its live escalations) in this transaction.
        issues_closed(actor=actor, issue_ids=[issue.pk])
    return issue


def issue_reopen(*, actor, issue_id: int, reason: str) -> Issue:
    """Back to work, with the reason kept as a note; cause, solution and history stay."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the issue is reopened.")})
    if len(reason) > TEXT_MAX:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": TEXT_MAX}})
    with transaction.atomic():
        issue = issue_for(actor, issue_id, step_action(Step.REOPEN))
        issue = move_status(
            actor=actor,
            issue=issue,
            to=IssueStatus.IN_PROGRESS,
            step=Step.REOPEN,
            note=reason,
            extra={"closed_at": None, "closed_by": None, "resolved_at": None, "reminded_at": None},
        )
        IssueNote.objects.create(
            issue=issue, author=actor, text=_("Reopened: %(reason)s") % {"reason": reason}
        )
        breakdown_sync(actor=actor, issue=issue)
    return issue


def issue_note_add(*, actor, issue_id: int, text: str) -> IssueNote:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("At most %(n)s characters.") % {"n": TEXT_MAX}})
    with transaction.atomic():
        issue = issue_for(actor, issue_id, "change")
        note = IssueNote.objects.create(issue=issue, author=actor, text=text)
        Issue.objects.filter(pk=issue.pk).update(updated_at=timezone.now())
        audit(actor, issue, "issue_note", note=text[:300])
    return note


# ------------------------------------------------------------------ notifications


def _url(issue: Issue) -> str:
    return reverse("issues:issues_detail", args=[issue.pk])


def _department_members(department) -> list:
    if department is None:
        return []
    User = apps.get_model("accounts", "User")
    return list(User.objects.filter(department=department, is_active=True))


def _notify_opened(issue: Issue) -> None:
    from gendan.notifications.services import notify

    recipients = _department_members(issue.responsible_department)
    order = issue.order
    if order is not None and order.merchandiser_id:
        recipients.append(order.merchandiser)
    if issue.owner_id:
        recipients.append(issue.owner)
    recipients = [u for u in recipients if u.pk != getattr(issue.opened_by, "pk", None)]
    number, title = issue.number, issue.title
    notify(
        event="issue.opened",
        recipients=recipients,
        departments=[issue.responsible_department] if issue.responsible_department_id else [],
        title=lambda lang: _("Issue %(number)s opened: %(title)s") % {"number": number, "title": title},
        body=gettext_lazy("Please record the cause and the solution."),
        url=_url(issue),
        obj=issue,
    )


def _notify_solved(issue: Issue) -> None:
    from gendan.notifications.services import notify

    recipients = []
    order = issue.order
    if order is not None and order.merchandiser_id:
        recipients.append(order.merchandiser)
    if issue.opened_by_id:
        recipients.append(issue.opened_by)
    number, title = issue.number, issue.title
    notify(
        event="issue.solved",
        recipients=recipients,
        title=lambda lang: (
            _("Issue %(number)s solved, please confirm: %(title)s") % {"number": number, "title": title}
        ),
        url=_url(issue),
        obj=issue,
    )


def open_issue_with(fingerprint: str) -> Issue | None:
    return Issue.objects.filter(fingerprint=fingerprint, status__in=OPEN_STATES).first()
