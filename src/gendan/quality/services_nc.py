"""Nonconformance and corrective action's writes (R-4.2). A failed in-process or final inspection
opens its nonconformance (`nc_open`, inside the completion); quality decides the disposition
(rework, scrap, return close it; use as is waits for approval by someone else with the right, and
the customer's reference where required); a corrective action is done by its owner, closed only
by quality verifying it with evidence (not the owner, not who did it); a later lot's effectiveness
check may reopen it. Every transition is a conditional update: the loser of a race is told.

A nonconformance is also an issue on the register (R-4.3), opened with it (`nc:<pk>`), so the
order's follow-up, meetings and escalation see it; see `_settle_issue` for how it ends."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind
from gendan.accounts.models import Department, User
from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.core.uploads import check_upload, files_removed_on_rollback, save_file
from gendan.issues.choices import IssueKind, IssueSource, Severity
from gendan.issues.services import issue_from, issue_note_add, issue_open_from, issue_solve_from
from gendan.notifications.services import notify
from gendan.shopfloor.services_disposition import operation_set_back
from gendan.stores.services import last_operation

from .choices import ACTION_TRANSITIONS, NC_TRANSITIONS, ActionStatus, Disposition, NCStatus, ProcessKind
from .models_nc import ActionEvidence, CorrectiveAction, Nonconformance
from .models_process import ProcessDefect, ProcessInspection, ProcessMeasurement

TEXT_MAX = 2000
ISSUE_DAYS = 3  # the issue of a new nonconformance is due within this many days (as a supplier case)
EVIDENCE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".pdf", ".xlsx", ".docx")


def _pk(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**31 else 0


def _text(value: Any, field: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}})
    return text


def nc_open(inspection: ProcessInspection) -> Nonconformance:
    """The nonconformance of a failed inspection: its lot, its most counted defect, what was out of
    limits. The customer must approve a use as is where the order line carries his requirements."""
    main = (
        ProcessDefect.objects.filter(inspection=inspection)
        .values("code_id")
        .annotate(n=Sum("count"))
        .order_by("-n", "code_id")
        .first()
    )
    out = ProcessMeasurement.objects.filter(inspection=inspection, ok=False).select_related("item")
    found = "; ".join(sorted({m.item.characteristic for m in out}))
    description = "\n".join(
        x for x in (found and _("Out of limits: %(items)s") % {"items": found}, inspection.note) if x
    )
    nc, _created = Nonconformance.objects.get_or_create(
        inspection=inspection,
        defaults={
            "order_id": inspection.order_id,
            "order_line_id": inspection.order_line_id,
            "quantity": inspection.lot_quantity,
            "defect_id": main["code_id"] if main else None,
            "description": description,
            "customer_approval_required": bool(inspection.order_line.quality_requirements.strip()),
        },
    )
    audit_record(actor=None, obj=nc, action="create", scope=inspection.order.scope)
    _open_issue_for(nc, inspection)
    return nc


def nc_number(nc: Nonconformance) -> str:
    return f"NC-{nc.pk:05d}"


def nc_fingerprint(nc_id: int) -> str:
    """How the issue register names the issue a nonconformance opened."""
    return f"nc:{nc_id}"


def _issue_department(inspection: ProcessInspection) -> Department | None:
    """Who answers for the issue. A work centre records no department of its own, so the
    production department that runs the inspected operation cannot be told apart from the others:
    quality, which decides the disposition and verifies the corrective action, answers for it
    (production hears of the failure at once, and owns the corrective action it is given)."""
    departments = Department.objects.filter(is_archived=False).order_by("pk")
    return (
        departments.filter(kind=DepartmentKind.QUALITY).first()
        or departments.filter(kind=DepartmentKind.PRODUCTION).first()
    )


def _issue_severity(nc: Nonconformance, inspection: ProcessInspection) -> str:
    """High when the lot cannot simply be reworked on the way: the customer must approve a use as
    is, a final inspection failed (the lot is held from stock-in and shipment), or every unit
    checked was defective; medium otherwise."""
    whole = inspection.sample_size > 0 and inspection.nonconforming >= inspection.sample_size
    if nc.customer_approval_required or inspection.kind == ProcessKind.FINAL or whole:
        return Severity.HIGH
    return Severity.MEDIUM


def _open_issue_for(nc: Nonconformance, inspection: ProcessInspection) -> None:
    """The nonconformance goes on the issue register (R-4.3) as a quality issue on its order, as a
    supplier case does for an incoming rejection: one issue per nonconformance, opened once, in the
    completion's transaction, by the inspector."""
    department = _issue_department(inspection)
    if department is None:
        return  # no department to answer for it: the nonconformance itself is followed up
    line = inspection.order_line
    number = nc_number(nc)
    if nc.defect_id:
        what = str(nc.defect)
    else:
        what = _("%(kind)s failed") % {"kind": ProcessKind(inspection.kind).label}
    where = f"{inspection.order.number}/{line.line_no}"
    title = _("Nonconformance %(nc)s on %(line)s: %(what)s") % {"nc": number, "line": where, "what": what}
    lot = _("Lot of %(q)s, %(n)s defective in the sample of %(s)s (%(kind)s).") % {
        "q": inspection.lot_quantity,
        "n": inspection.nonconforming,
        "s": inspection.sample_size,
        "kind": ProcessKind(inspection.kind).label,
    }
    operation = inspection.operation if inspection.operation_id else None
    issue_open_from(
        actor=inspection.inspector,
        kind=IssueKind.QUALITY,
        source=IssueSource.INSPECTION,
        title=title,
        description="\n".join(x for x in (lot, nc.description) if x),
        order=inspection.order,
        operation=operation,
        work_centre=operation.work_centre if operation is not None and operation.work_centre_id else None,
        severity=_issue_severity(nc, inspection),
        responsible_department=department,
        due_date=timezone.localdate() + dt.timedelta(days=ISSUE_DAYS),
        fingerprint=nc_fingerprint(nc.pk),
    )


def nc_issue(nc: Nonconformance):
    """The issue the nonconformance opened, if any."""
    return issue_from(nc_fingerprint(nc.pk))


def _settle_issue(actor, nc: Nonconformance) -> None:
    """When the lot is dealt with (the nonconformance closed) and every corrective action has been
    verified, the issue is marked solved with what was done as its solution and the root cause as
    its cause (`issue_solve_from`: not closed, that is the merchandiser's confirmation, and his close
    ends its escalations; left as it is when the register refuses)."""
    if nc.status != NCStatus.CLOSED:
        return
    actions = list(nc.actions.order_by("pk"))
    if not actions or any(a.status != ActionStatus.CLOSED for a in actions):
        return
    disposition = Disposition(nc.disposition).label if nc.disposition else "—"
    lines = [
        _("Nonconformance %(nc)s closed: %(disposition)s.")
        % {"nc": nc_number(nc), "disposition": disposition}
    ]
    for a in actions:
        lines.append(
            _("Corrective action CA-%(pk)05d: %(action)s (verified: %(note)s)")
            % {"pk": a.pk, "action": a.action, "note": a.verification_note}
        )
    issue_solve_from(
        actor=actor,
        fingerprint=nc_fingerprint(nc.pk),
        solution="\n".join(lines),
        cause="\n".join(dict.fromkeys(a.root_cause for a in actions)),
    )


def _tell_issue_reopened(actor, action: CorrectiveAction, note: str) -> None:
    """A later lot shows the action did not hold: the issue says so in its notes. Reopening it is
    the merchandiser's step on the register (reopen needs the right to close), so he reads it there."""
    issue = nc_issue(action.nonconformance)
    if issue is None:
        return
    text = _("Corrective action CA-%(pk)05d reopened by the effectiveness check: %(note)s") % {
        "pk": action.pk,
        "note": note,
    }
    try:
        with transaction.atomic():
            issue_note_add(actor=actor, issue_id=issue.pk, text=text)
    except PermissionDenied:
        pass


def _expect(obj, status: str) -> None:
    if obj.status != status:
        raise WorkflowConflict(
            _("This record is “%(status)s”: it cannot be changed so.") % {"status": obj.get_status_display()}
        )


def _move(model, obj, table: dict, to: str, **values) -> None:
    before = obj.status
    if to not in table.get(before, set()):
        raise WorkflowConflict(
            _("This record is “%(status)s”: it cannot be changed so.") % {"status": obj.get_status_display()}
        )
    if not model.objects.filter(pk=obj.pk, status=before).update(status=to, **values):
        raise WorkflowConflict(_("Someone else has just changed this record: reload the page."))
    obj.refresh_from_db()


def nc_decide(
    *, actor, nc_id: Any, disposition: str, note: str = "", customer_approval_required: bool | None = None
) -> Nonconformance:
    """Quality decides what happens to the lot. Use as is waits for approval; the rest close it."""
    Nonconformance.objects.get_for(actor, "change", pk=_pk(nc_id))  # who may, before what he typed
    if disposition not in Disposition.values:
        raise ValidationError({"disposition": _("Choose rework, scrap, use as is or return.")})
    note = _text(note, "disposition_note", required=disposition == Disposition.USE_AS_IS, limit=300)
    with transaction.atomic():
        nc = Nonconformance.objects.get_for(actor, "change", pk=_pk(nc_id))
        to = NCStatus.AWAITING_APPROVAL if disposition == Disposition.USE_AS_IS else NCStatus.CLOSED
        extra = {}
        if customer_approval_required is not None:
            extra["customer_approval_required"] = bool(customer_approval_required)
        _move(
            Nonconformance,
            nc,
            NC_TRANSITIONS,
            to,
            disposition=disposition,
            disposition_note=note,
            decided_by=actor,
            decided_at=timezone.now(),
            **extra,
        )
        audit_record(
            actor=actor,
            obj=nc,
            action="nc_decide",
            changes={"status": [NCStatus.OPEN, to], "disposition": [None, disposition]},
            note=note,
            scope=nc.order.scope,
        )
        if disposition in (Disposition.REWORK, Disposition.SCRAP):
            _set_back(actor, nc, scrap=disposition == Disposition.SCRAP)
        _settle_issue(actor, nc)
    return nc


def _set_back(actor, nc: Nonconformance, *, scrap: bool) -> None:
    """Rework re-enters the routing, scrap is the operation's scrap: the lot's good units leave the
    operation it was inspected after (a final inspection's, the line's last), so the order's
    remaining work and the schedule see the shortfall."""
    inspection = nc.inspection
    op = inspection.operation if inspection.operation_id else last_operation(inspection.order_line)
    if op is None:
        return
    number = nc_number(nc)
    reason = (
        _("%(nc)s: lot scrapped") % {"nc": number}
        if scrap
        else _("%(nc)s: lot to be reworked") % {"nc": number}
    )
    operation_set_back(actor=actor, operation_id=op.pk, quantity=nc.quantity, scrap=scrap, reason=reason)


def nc_approve(*, actor, nc_id: Any, customer_approval: str = "") -> Nonconformance:
    """Approve using the lot as is: someone with the right, not who decided it; with the customer's
    approval (who, reference) where the customer must approve."""
    Nonconformance.objects.get_for(actor, "approve", pk=_pk(nc_id))
    customer_approval = _text(customer_approval, "customer_approval", required=False, limit=200)
    with transaction.atomic():
        nc = Nonconformance.objects.get_for(actor, "approve", pk=_pk(nc_id))
        if nc.decided_by_id == actor.pk:
            raise PermissionDenied(_("Someone else than who decided the disposition approves it."))
        _expect(nc, NCStatus.AWAITING_APPROVAL)  # the wrong state is a 409 before any missing field
        if nc.customer_approval_required and not customer_approval:
            raise ValidationError(
                {"customer_approval": _("The customer must approve: say who approved it and the reference.")}
            )
        _move(
            Nonconformance,
            nc,
            {NCStatus.AWAITING_APPROVAL: {NCStatus.CLOSED}},
            NCStatus.CLOSED,
            approved_by=actor,
            approved_at=timezone.now(),
            customer_approval=customer_approval,
        )
        audit_record(
            actor=actor,
            obj=nc,
            action="nc_approve",
            changes={"status": [NCStatus.AWAITING_APPROVAL, NCStatus.CLOSED]},
            note=customer_approval,
            scope=nc.order.scope,
        )
        _settle_issue(actor, nc)
    return nc


def nc_refuse(*, actor, nc_id: Any, reason: str) -> Nonconformance:
    """Refuse the use as is: the lot is open again for another disposition."""
    Nonconformance.objects.get_for(actor, "approve", pk=_pk(nc_id))
    reason = _text(reason, "reason", limit=300)
    with transaction.atomic():
        nc = Nonconformance.objects.get_for(actor, "approve", pk=_pk(nc_id))
        _move(
            Nonconformance,
            nc,
            {NCStatus.AWAITING_APPROVAL: {NCStatus.OPEN}},
            NCStatus.OPEN,
            disposition="",
            decided_by=None,
            decided_at=None,
        )
        audit_record(
            actor=actor,
            obj=nc,
            action="nc_refuse",
            changes={"status": [NCStatus.AWAITING_APPROVAL, NCStatus.OPEN]},
            note=reason,
            scope=nc.order.scope,
        )
    return nc


# ---------------------------------------------------------------- corrective actions


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({"due_date": _("Enter a date (YYYY-MM-DD).")}) from None


def action_create(
    *, actor, nc_id: Any, containment: str, root_cause: str, action: str, owner_id: Any, due_date: Any
) -> CorrectiveAction:
    require(actor, CorrectiveAction, "add")
    Nonconformance.objects.get_for(actor, "change", pk=_pk(nc_id))
    values = {
        "containment": _text(containment, "containment"),
        "root_cause": _text(root_cause, "root_cause"),
        "action": _text(action, "action"),
    }
    due = _date(due_date)
    if due < timezone.localdate():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    owner = User.objects.filter(pk=_pk(owner_id), is_active=True).first()
    if owner is None:
        raise ValidationError({"owner": _("Choose an active user as the owner.")})
    with transaction.atomic():
        nc = Nonconformance.objects.get_for(actor, "change", pk=_pk(nc_id))
        # An owner who cannot open the nonconformance could never mark the action done.
        if not Nonconformance.objects.restrict(owner, "view").filter(pk=nc.pk).exists():
            raise ValidationError(
                {
                    "owner": _("%(name)s cannot see this nonconformance: choose someone who can.")
                    % {"name": owner}
                }
            )
        made = CorrectiveAction.objects.create(
            nonconformance=nc, owner=owner, due_date=due, created_by=actor, **values
        )
        audit_record(actor=actor, obj=made, action="create", scope=nc.order.scope)
        number, line_no = nc.order.number, nc.order_line.line_no
        notify(
            event="quality.action_assigned",
            recipients=[owner],
            title=lambda lang: (
                _("Corrective action for %(order)s/%(line)s") % {"order": number, "line": line_no}
            ),
            body=lambda lang, text=values["action"], due=due: (
                _("%(action)s (due %(due)s)") % {"action": text, "due": due}
            ),
            url=reverse("quality:nc_detail", args=[nc.pk]),
            obj=made,
        )
    return made


def _action(actor, action_id: Any, verb: str = "view") -> CorrectiveAction:
    return CorrectiveAction.objects.select_related("nonconformance__order").get_for(
        actor, verb, pk=_pk(action_id)
    )


def action_done(*, actor, action_id: Any, note: str) -> CorrectiveAction:
    """The owner says the action is done (what was done): quality verifies it next."""
    if _action(actor, action_id).owner_id != actor.pk:
        raise PermissionDenied(_("Only the action's owner says it is done."))
    note = _text(note, "done_note")
    with transaction.atomic():
        found = _action(actor, action_id)
        if found.owner_id != actor.pk:
            raise PermissionDenied(_("Only the action's owner says it is done."))
        _move(
            CorrectiveAction,
            found,
            ACTION_TRANSITIONS,
            ActionStatus.DONE,
            done_by=actor,
            done_at=timezone.now(),
            done_note=note,
        )
        audit_record(
            actor=actor,
            obj=found,
            action="action_done",
            changes={"status": [ActionStatus.OPEN, ActionStatus.DONE]},
            note=note[:300],
            scope=found.nonconformance.order.scope,
        )
    return found


def evidence_add(*, actor, action_id: Any, upload) -> ActionEvidence:
    found = _action(actor, action_id)
    if found.owner_id != actor.pk and not CorrectiveAction.objects.all().role_allows(actor, "change"):
        raise PermissionDenied(_("You may not do this."))
    if upload is None:
        raise ValidationError({"file": _("Choose a file to upload.")})
    try:
        check_upload(upload, allowed_suffixes=EVIDENCE_SUFFIXES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    with files_removed_on_rollback(), transaction.atomic():
        found = _action(actor, action_id)
        if found.owner_id != actor.pk and not CorrectiveAction.objects.all().role_allows(actor, "change"):
            raise PermissionDenied(_("You may not do this."))
        if found.status == ActionStatus.CLOSED:
            raise WorkflowConflict(_("The action is closed."))
        evidence = ActionEvidence(
            action=found,
            original_name=(upload.name or "file")[:255],
            size=upload.size or 0,
            uploaded_by=actor,
        )
        save_file(evidence.file, upload.name or "file", upload)
        evidence.save()
        audit_record(actor=actor, obj=evidence, action="create", scope=found.nonconformance.order.scope)
    return evidence


def action_verify(*, actor, action_id: Any, note: str, effective: bool = True) -> CorrectiveAction:
    """Quality verifies a done action with its evidence: closed when effective, open again when not.
    The verifier is neither its owner nor who did it."""
    _action(actor, action_id, "verify")
    note = _text(note, "verification_note")
    with transaction.atomic():
        found = _action(actor, action_id, "verify")
        if actor.pk in (found.owner_id, found.done_by_id):
            raise PermissionDenied(_("Someone else than who did the action verifies it."))
        _expect(found, ActionStatus.DONE)
        if effective and not found.evidence.exists():
            raise ValidationError({"file": _("Upload the evidence that the action works first.")})
        to = ActionStatus.CLOSED if effective else ActionStatus.OPEN
        values = (
            {"verified_by": actor, "verified_at": timezone.now(), "verification_note": note}
            if effective
            else {"verification_note": note}
        )
        _move(CorrectiveAction, found, ACTION_TRANSITIONS, to, **values)
        audit_record(
            actor=actor,
            obj=found,
            action="action_verify",
            changes={"status": [ActionStatus.DONE, to]},
            note=note[:300],
            scope=found.nonconformance.order.scope,
        )
        if to == ActionStatus.CLOSED:
            _settle_issue(actor, found.nonconformance)
    return found


def action_effectiveness(*, actor, action_id: Any, effective: bool, note: str) -> CorrectiveAction:
    """A check on later lots: recorded when the action holds; the action is reopened when the
    problem came back."""
    _action(actor, action_id, "verify")
    note = _text(note, "effectiveness_note")
    with transaction.atomic():
        found = _action(actor, action_id, "verify")
        if found.status != ActionStatus.CLOSED:
            raise WorkflowConflict(_("Only a verified action is checked for effectiveness."))
        text = "\n".join(x for x in (found.effectiveness_note, f"{timezone.localdate()}: {note}") if x)
        if effective:
            won = CorrectiveAction.objects.filter(pk=found.pk, status=ActionStatus.CLOSED).update(
                effectiveness_note=text
            )
            if not won:
                raise WorkflowConflict(_("Someone else has just changed this record: reload the page."))
            found.refresh_from_db()
        else:
            _move(
                CorrectiveAction,
                found,
                ACTION_TRANSITIONS,
                ActionStatus.OPEN,
                effectiveness_note=text,
                verified_by=None,
                verified_at=None,
                done_by=None,
                done_at=None,
                reopened_count=found.reopened_count + 1,
            )
        audit_record(
            actor=actor,
            obj=found,
            action="action_effectiveness",
            note=note[:300],
            changes={"effective": [None, effective]},
            scope=found.nonconformance.order.scope,
        )
        if not effective:
            _tell_issue_reopened(actor, found, note)
    return found
