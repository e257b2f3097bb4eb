"""After-sales services (R-5.3): record a complaint (photos too), quality takes it (its issue in
the register) and records the findings (the issue is solved with them), the merchandiser sends the
reply and closes it or it is rated; reopening keeps the history. Every step checks who may take it
(querysets.py), moves the status by a conditional UPDATE, is audited on the complaint and on its
order's timeline, and tells those concerned after the commit. Ratings: services_rating.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind, Role
from gendan.accounts.models import Department, User
from gendan.core.audit import audit_record, snapshot
from gendan.core.exceptions import WorkflowConflict
from gendan.core.uploads import files_removed_on_rollback, save_file
from gendan.delivery.models import Shipment
from gendan.issues.choices import IssueKind, IssueSource, IssueStatus, Severity
from gendan.issues.services import issue_reopen
from gendan.issues.services.sources import issue_open_from, issue_solve_from
from gendan.notifications.services import notify
from gendan.orders.models import Order, OrderLine
from gendan.purchasing.services.common import insert_numbered
from gendan.quality.models import CorrectiveAction
from gendan.quality.services import check_photo

from .choices import STEP_ACTION, TRANSITIONS, Channel, ComplaintStatus, Step
from .models import Complaint, ComplaintPhoto

NUMBER_PREFIX = "KS"
TEXT_MAX = 5000
NAME_MAX = 100
PHOTOS_MAX = 20
ISSUE_DAYS = 7  # the quality issue is due a week after quality takes the complaint
QTY_MAX = Decimal("9999999999")


def complaint_url(complaint: Complaint) -> str:
    return reverse("aftersales:complaint_detail", args=[complaint.pk])


def _text(value: Any, name: str, limit: int = TEXT_MAX, *, required: bool = False) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise ValidationError({name: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({name: _("At most %(n)s characters.") % {"n": limit}})
    return value


def _quantity(value: Any, line: OrderLine | None) -> Decimal:
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"quantity": _("Enter a number.")}) from None
    if not quantity.is_finite() or quantity <= 0 or quantity > QTY_MAX:
        raise ValidationError({"quantity": _("Enter a quantity greater than zero.")})
    limit = line.quantity if line is not None else None
    if limit is not None and quantity > limit:
        raise ValidationError(
            {"quantity": _("At most the line's quantity (%(qty)s).") % {"qty": f"{limit.normalize():f}"}}
        )
    return quantity


def _date(value: Any, name: str, *, future: bool = False) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError({name: _("Enter a date.")})
    today = timezone.localdate()
    if not future and value > today:
        raise ValidationError({name: _("The date cannot be in the future.")})
    if not today - dt.timedelta(days=3650) <= value <= today + dt.timedelta(days=3650):
        raise ValidationError({name: _("Enter a date within ten years of today.")})
    return value


def _audit(actor, complaint: Complaint, action: str, *, note: Any = "", **kw) -> None:
    """On the complaint, and on its order's timeline (the complaint named in the note)."""
    audit_record(actor=actor, obj=complaint, action=action, note=note, **kw)
    number = complaint.number

    def on_order():
        said = note() if callable(note) else note
        return f"{number}: {said}" if said else number

    order = complaint.order
    audit_record(actor=actor, obj=order, action=action, note=on_order, changes={}, scope=order.scope)


def _complaint_for(actor, complaint_id: int, action: str) -> Complaint:
    return Complaint.objects.select_related("order").get_for(actor, action, pk=complaint_id)


# --- recording -----------------------------------------------------------------------------------


def complaint_create(
    *,
    actor,
    order: Order,
    description: str,
    channel: str,
    received_on: dt.date,
    quantity: Any,
    order_line: OrderLine | None = None,
    shipment: Shipment | None = None,
    contact_name: str = "",
    severity: str = Severity.MEDIUM,
) -> Complaint:
    """Record a customer's complaint (KS-<year>-<nnnn>) on one of the actor's orders."""
    if actor is not None and not Complaint.objects.all().role_allows(actor, "add"):
        raise PermissionDenied(_("You may not record customer complaints."))
    if order is None or (
        actor is not None and not Order.objects.restrict(actor, "change").filter(pk=order.pk).exists()
    ):
        raise ValidationError({"order": _("Choose one of your orders.")})
    if order_line is not None and order_line.order_id != order.pk:
        raise ValidationError({"order_line": _("Choose a line of this order.")})
    if shipment is not None and shipment.order_id != order.pk:
        raise ValidationError({"shipment": _("Choose a shipment of this order.")})
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose how the complaint came in.")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose how serious it is.")})
    complaint = Complaint(
        order=order,
        order_line=order_line,
        shipment=shipment,
        quantity=_quantity(quantity, order_line),
        description=_text(description, "description", required=True),
        channel=channel,
        contact_name=_text(contact_name, "contact_name", NAME_MAX),
        received_on=_date(received_on, "received_on"),
        severity=severity,
        created_by=actor,
    )
    with transaction.atomic():
        insert_numbered(complaint, NUMBER_PREFIX)
        _audit(actor, complaint, "create", before={}, after=snapshot(complaint))
        _tell_quality(complaint)
    return complaint


def complaint_photo_add(*, actor, complaint_id: int, upload) -> ComplaintPhoto:
    """Keep a photo the customer sent: an image, not too large, under a generated name."""
    check_photo(upload)
    with files_removed_on_rollback(), transaction.atomic():
        complaint = _complaint_for(actor, complaint_id, "change")
        if complaint.photos.count() >= PHOTOS_MAX:
            raise ValidationError({"photo": _("At most %(n)s photos per complaint.") % {"n": PHOTOS_MAX}})
        photo = ComplaintPhoto(
            complaint=complaint,
            original_name=(upload.name or "photo")[:255],
            size=upload.size or 0,
            uploaded_by=actor,
        )
        save_file(photo.file, upload.name or "photo.jpg", upload)
        photo.save()
        audit_record(actor=actor, obj=photo, action="create")
    return photo


# --- the steps -----------------------------------------------------------------------------------


def _move(
    *, actor, complaint: Complaint, to: str, step: str, extra: dict | None = None, note: Any = ""
) -> Complaint:
    """The conditional UPDATE from the status the caller saw: of two at once one wins."""
    seen = complaint.status
    if TRANSITIONS.get(seen, {}).get(to) != step:
        raise WorkflowConflict(
            _("A complaint that is “%(current)s” cannot become “%(target)s”.")
            % {"current": ComplaintStatus(seen).label, "target": ComplaintStatus(to).label}
        )
    won = Complaint.objects.filter(pk=complaint.pk, status=seen).update(
        status=to, updated_at=timezone.now(), **(extra or {})
    )
    if not won:
        raise WorkflowConflict(
            _("Someone else changed complaint %(number)s first; reload and try again.")
            % {"number": complaint.number}
        )
    complaint.refresh_from_db()
    _audit(actor, complaint, f"complaint:{step}", changes={"status": [seen, to]}, note=note)
    return complaint


def _for_step(actor, complaint_id: int, step: Step) -> Complaint:
    return _complaint_for(actor, complaint_id, STEP_ACTION[step])


def quality_department() -> Department | None:
    departments = Department.objects.filter(is_archived=False).order_by("pk")
    return departments.filter(kind=DepartmentKind.QUALITY).first()


def complaint_take(*, actor, complaint_id: int) -> Complaint:
    """Quality takes the complaint: it opens a quality issue in the register (fingerprint
    complaint:<pk>, the quality department responsible) so reminders and escalation follow it."""
    with transaction.atomic():
        complaint = _for_step(actor, complaint_id, Step.TAKE)
        complaint = _move(actor=actor, complaint=complaint, to=ComplaintStatus.INVESTIGATING, step=Step.TAKE)
        if complaint.issue_id is None:
            issue = issue_open_from(
                actor=actor,
                kind=IssueKind.QUALITY,
                source=IssueSource.COMPLAINT,
                title=_("Customer complaint %(number)s: %(text)s")
                % {"number": complaint.number, "text": complaint.description.splitlines()[0][:120]},
                description=complaint.description,
                order=complaint.order,
                severity=complaint.severity,
                responsible_department=quality_department() or getattr(actor, "department", None),
                owner=actor if getattr(actor, "pk", None) else None,
                due_date=timezone.localdate() + dt.timedelta(days=ISSUE_DAYS),
                fingerprint=complaint.fingerprint,
            )
            Complaint.objects.filter(pk=complaint.pk).update(issue=issue)
            complaint.issue = issue
    return complaint


def complaint_investigate(
    *,
    actor,
    complaint_id: int,
    root_cause: str,
    corrective_action: str,
    containment: str = "",
    action_owner: User | None = None,
    action_due: dt.date | None = None,
    quality_action: CorrectiveAction | None = None,
) -> Complaint:
    """Record quality's findings (root cause, containment, corrective action with its owner and due
    date, or a corrective action of a nonconformance of this order); the quality issue is marked
    solved with them for the merchandiser to confirm."""
    with transaction.atomic():
        complaint = _complaint_for(actor, complaint_id, "investigate")
        if complaint.status != ComplaintStatus.INVESTIGATING:
            raise WorkflowConflict(_("Only a complaint being investigated takes findings."))
        if quality_action is not None:
            if quality_action.nonconformance.order_id != complaint.order_id:
                raise ValidationError({"quality_action": _("Choose a corrective action of this order.")})
            root_cause = root_cause or quality_action.root_cause
            containment = containment or quality_action.containment
            corrective_action = corrective_action or quality_action.action
            action_owner = action_owner or quality_action.owner
            action_due = action_due or quality_action.due_date
        cause = _text(root_cause, "root_cause", required=True)
        action_text = _text(corrective_action, "corrective_action", required=True)
        data = {
            "root_cause": cause,
            "containment": _text(containment, "containment"),
            "corrective_action": action_text,
            "action_owner": action_owner,
            "action_due": _date(action_due, "action_due", future=True) if action_due is not None else None,
            "quality_action": quality_action,
        }
        if action_owner is not None and (not isinstance(action_owner, User) or not action_owner.is_active):
            raise ValidationError({"action_owner": _("Choose an active user.")})
        before = snapshot(complaint)
        for name, value in data.items():
            setattr(complaint, name, value)
        complaint.investigated_by = actor
        complaint.investigated_at = timezone.now()
        complaint.save()
        _audit(actor, complaint, "complaint_findings", before=before, after=snapshot(complaint))
        issue_solve_from(
            actor=actor,
            fingerprint=complaint.fingerprint,
            solution=action_text,
            cause=cause,
        )
        _tell_merchandiser(complaint)
    return complaint


def complaint_answer(*, actor, complaint_id: int, reply: str = "") -> Complaint:
    """The merchandiser sent the reply (the PDF) to the customer: the complaint is answered."""
    reply = _text(reply, "reply")
    with transaction.atomic():
        complaint = _for_step(actor, complaint_id, Step.ANSWER)
        if not complaint.investigated:
            raise ValidationError({"root_cause": _("Quality has not recorded its findings yet.")})
        return _move(
            actor=actor,
            complaint=complaint,
            to=ComplaintStatus.ANSWERED,
            step=Step.ANSWER,
            extra={"reply": reply, "answered_by": actor, "answered_at": timezone.now()},
        )


def complaint_close(*, actor, complaint_id: int, note: str = "") -> Complaint:
    """Close an answered complaint (rated, or without a rating by the merchandiser)."""
    note = _text(note, "note", 500)
    with transaction.atomic():
        complaint = _for_step(actor, complaint_id, Step.CLOSE)
        return _move(
            actor=actor,
            complaint=complaint,
            to=ComplaintStatus.CLOSED,
            step=Step.CLOSE,
            extra={"closed_by": actor, "closed_at": timezone.now()},
            note=note,
        )


def complaint_reopen(*, actor, complaint_id: int, reason: str) -> Complaint:
    """Back to quality (the customer is not satisfied): findings, reply and history stay; the
    quality issue is taken back to work when it was solved."""
    reason = _text(reason, "reason", 500, required=True)
    with transaction.atomic():
        complaint = _for_step(actor, complaint_id, Step.REOPEN)
        complaint = _move(
            actor=actor,
            complaint=complaint,
            to=ComplaintStatus.INVESTIGATING,
            step=Step.REOPEN,
            # Quality confirms or records its findings again before the next reply; the earlier
            # ones stay on the complaint and in its history.
            extra={
                "reopened": complaint.reopened + 1,
                "closed_at": None,
                "closed_by": None,
                "investigated_at": None,
            },
            note=reason,
        )
        _issue_back_to_work(actor, complaint, reason)
    return complaint


def _issue_back_to_work(actor, complaint: Complaint, reason: str) -> None:

    issue = complaint.issue
    if issue is None or issue.status not in {IssueStatus.RESOLVED.value, IssueStatus.CLOSED.value}:
        return
    try:
        with transaction.atomic():
            issue_reopen(actor=actor, issue_id=issue.pk, reason=reason)
    except (PermissionDenied, ValidationError, WorkflowConflict):
        pass  # the merchandiser may not reopen it: quality reopens the issue by hand


# --- who is told ---------------------------------------------------------------------------------


def _tell_quality(complaint: Complaint) -> None:

    number = complaint.number
    people = list(User.objects.filter(is_active=True, role=Role.QUALITY))
    notify(
        event="complaint.received",
        recipients=people,
        title=lambda lang: _("Customer complaint %(number)s to investigate") % {"number": number},
        body=complaint.description[:300],
        url=complaint_url(complaint),
        obj=complaint,
    )


def _tell_merchandiser(complaint: Complaint) -> None:

    number = complaint.number
    notify(
        event="complaint.investigated",
        recipients=[complaint.order.merchandiser],
        title=lambda lang: (
            _("Quality's findings on complaint %(number)s: reply to the customer") % {"number": number}
        ),
        body=complaint.root_cause[:300],
        url=complaint_url(complaint),
        obj=complaint,
    )
