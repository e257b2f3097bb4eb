"""Supplier cases (R-3.6): what is done about a rejected lot, tracked to closure.

Incoming inspection opens a case for the rejected part of a receipt (`case_open`); purchasing
decides the disposition (`case_decide`):

- return: the goods go back; the case closes when the return is recorded (date, carrier). The PO
  line's open quantity comes back at the decision (the supplier still owes it), unless purchasing
  says the supplier will not deliver it again (`redeliver=False`: the line stays as it is; a
  cancellation of that quantity is a PO line change, recorded by the PO's own service);
- replacement: the PO line's open quantity comes back at the decision, the replacement is
  received against the same line naming the case, and inspected again. `case_replacement_inspected`
  counts what each inspected replacement settles: its accepted quantity, and its rejected one,
  which inspection gives its own case continuing this one (`follows`), so nothing is owed twice.
  The case closes when replacements have settled the whole rejected quantity, and otherwise stays
  open with the remaining quantity;
- concession (use as is): asks the manager of a quality department, never the person who asked
  (querysets_cases.py); approval stocks the rejected quantity in through the stock ledger and
  moves it from rejected to accepted on the receipt and its PO line, by conditional UPDATEs that
  never take more than was rejected; a rejection sends the case back to decide.

Every step is a conditional UPDATE … WHERE status = <the status the user saw>, allowed by
choices.CASE_TRANSITIONS; of two people acting at once one wins, the other gets WorkflowConflict.
Each step is audited on the case and on the timeline of every order the lot was bought for, and
notifies the people who act next."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind
from gendan.accounts.models import Department, User
from gendan.core.exceptions import WorkflowConflict
from gendan.inventory.choices import MovementKind
from gendan.inventory.services import stock_move
from gendan.notifications.services import notify
from gendan.orders.models import Order

from ..choices import (
    CASE_KIND_STATUS,
    CASE_STEP_ACTION,
    CASE_TRANSITIONS,
    CaseKind,
    CaseStatus,
    CaseStep,
    POLineStatus,
    ReceiptStatus,
)
from ..models import PlanLinePeg, PurchaseOrderLine, Receipt, SupplierCase
from .common import audit_for_orders, insert_numbered
from .tracking import lines_moved

S = CaseStatus
ZERO = Decimal(0)
NOTE_MAX = 1000
DECIDE_DAYS = 3  # a new case is to be decided within this many days
SETTLE_DAYS = 14  # a return or a replacement is due within this many days unless purchasing says


def qty_text(quantity: Decimal) -> str:
    """A quantity as people write it: 40, 12.5 (never 4E+1)."""
    return f"{quantity.normalize():f}"


def case_url(case: SupplierCase) -> str:
    return reverse("purchasing:case_detail", args=[case.pk])


# --- who is told ---------------------------------------------------------------------------------


def _purchasers() -> list[User]:
    return list(User.objects.filter(department__kind=DepartmentKind.PURCHASING, is_active=True))


def _purchasing_departments() -> list[Department]:
    return list(Department.objects.filter(kind=DepartmentKind.PURCHASING, is_archived=False))


def concession_approvers() -> list[User]:
    """Who approves concessions: the managers of the quality departments."""
    return list(
        User.objects.filter(
            managed_departments__kind=DepartmentKind.QUALITY,
            managed_departments__is_archived=False,
            is_active=True,
        ).distinct()
    )


def order_ids_of(receipt: Receipt) -> list[int]:
    """The orders a lot was bought for: the pegs of its PO line's purchase plan line."""
    return sorted(
        set(PlanLinePeg.objects.filter(line__po_line__receipts=receipt).values_list("order_id", flat=True))
    )


def _merchandisers(order_ids: list[int]) -> list[User]:
    ids = Order.objects.filter(pk__in=order_ids).values("merchandiser_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _tell(event: str, case: SupplierCase, recipients, title, body: Any = "", actor=None, departments=()):
    people = [u for u in recipients if actor is None or u.pk != getattr(actor, "pk", None)]
    notify(
        event=event,
        recipients=people,
        departments=departments,
        title=title,
        body=body,
        url=case_url(case),
        obj=case,
    )


# --- the workflow's mechanics ---------------------------------------------------------------------


def case_for(actor, case_id: int, step: str) -> SupplierCase:
    """The case a step acts on, if `actor` may take it: PermissionDenied if he may not,
    SupplierCase.DoesNotExist if there is no such case."""
    cases = SupplierCase.objects.select_related("receipt__line__order", "material", "supplier")
    return cases.get_for(actor, CASE_STEP_ACTION[step], pk=case_id)


def _move(*, actor, case: SupplierCase, seen: str, to: str, step: str, note: Any = "", extra=None):
    """Move `case` from the status the caller saw to `to` if the table allows it."""
    if CASE_TRANSITIONS.get(seen, {}).get(to) != step:
        raise WorkflowConflict(
            _("Case %(number)s is “%(current)s”: it cannot be “%(step)s” now.")
            % {"number": case.number, "current": S(seen).label, "step": CaseStep(step).label}
        )
    won = SupplierCase.objects.filter(pk=case.pk, status=seen).update(status=to, **(extra or {}))
    if not won:
        current = SupplierCase.objects.filter(pk=case.pk).values_list("status", flat=True).first()
        raise WorkflowConflict(
            _("Someone else changed case %(number)s first (it is now “%(status)s”); reload and try again.")
            % {"number": case.number, "status": S(current).label if current else "?"}
        )
    audit_for_orders(
        actor=actor,
        obj=case,
        action=f"case_{step}",
        order_ids=order_ids_of(case.receipt),
        note=note,
        changes={"status": [seen, to]},
    )
    case.refresh_from_db()
    return case


def _note(value: str, field: str = "note", *, required: bool = False, message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message or _("This field is required.")})
    if len(value) > NOTE_MAX:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": NOTE_MAX}})
    return value


def _line_status(line: PurchaseOrderLine) -> str:
    """A line's status from its received quantity (a returned quantity makes it open again)."""
    if line.status == POLineStatus.CANCELLED:
        return line.status
    if line.received_qty >= line.quantity:
        return POLineStatus.RECEIVED
    if line.received_qty > 0:
        return POLineStatus.PARTLY_RECEIVED
    return POLineStatus.CONFIRMED if line.confirmations.exists() else POLineStatus.OPEN


def _give_back(*, actor, case: SupplierCase, quantity: Decimal) -> None:
    """The supplier owes `quantity` on the PO line again (positive), or no longer (negative): the
    line's received quantity moves by a conditional UPDATE that never takes it below zero."""
    line_id = case.receipt.line_id
    won = PurchaseOrderLine.objects.filter(pk=line_id, received_qty__gte=quantity).update(
        received_qty=F("received_qty") - quantity
    )
    if not won:
        raise ValidationError(
            {"quantity": _("The PO line has not received %(q)s to give back.") % {"q": qty_text(quantity)}}
        )
    line = PurchaseOrderLine.objects.get(pk=line_id)
    status = _line_status(line)
    if status != line.status:
        PurchaseOrderLine.objects.filter(pk=line_id).update(status=status)
    lines_moved(line_ids=[line_id], actor=actor)


def _owes_again(case: SupplierCase) -> bool:
    return case.kind == CaseKind.REPLACEMENT or (case.kind == CaseKind.RETURN and case.redeliver)


def replacement_due(case: SupplierCase) -> Decimal:
    """For receiving a replacement against `case` (`receipt_create(..., case=)`): how much is still
    to be replaced; a case that does not wait for a replacement is refused, naming the field."""
    current = (
        SupplierCase.objects.filter(pk=case.pk).values_list("status", "quantity", "replaced_qty").first()
    )
    if current is None or current[0] != S.AWAITING_REPLACEMENT:
        raise ValidationError(
            {"case": _("Case %(number)s does not wait for a replacement.") % {"number": case.number}}
        )
    return max(current[1] - current[2], ZERO)


# --- the steps ------------------------------------------------------------------------------------


def case_open(*, actor, receipt: Receipt, quantity: Decimal, description: str = "") -> SupplierCase:
    """Open a case for the rejected part of `receipt` (called by incoming inspection when a lot is
    rejected, inside its transaction). A rejected replacement's case continues the case it
    replaced for. Purchasing and the merchandisers of the orders served are told."""
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise ValidationError({"quantity": _("A case needs a rejected quantity above zero.")})
    line = receipt.line
    case = SupplierCase(
        receipt=receipt,
        supplier_id=line.order.supplier_id,
        material_id=line.material_id,
        quantity=quantity,
        description=_note(description, "description"),
        follows_id=receipt.case_id,
        due_date=timezone.localdate() + dt.timedelta(days=DECIDE_DAYS),
        opened_by=actor if getattr(actor, "pk", None) else None,
    )
    insert_numbered(case, "SC")
    orders = order_ids_of(receipt)
    audit_for_orders(
        actor=actor,
        obj=case,
        action="case_opened",
        order_ids=orders,
        note=lambda: (
            _("%(q)s rejected of %(receipt)s") % {"q": qty_text(quantity), "receipt": receipt.number}
        ),
    )
    title = lambda lang, c=case.number, r=receipt.number: (  # noqa: E731
        _("Supplier case %(case)s: a lot of %(receipt)s was rejected") % {"case": c, "receipt": r}
    )
    _tell(
        "case.opened",
        case,
        _purchasers() + _merchandisers(orders),
        title,
        body=case.description,
        departments=_purchasing_departments(),
    )
    return case


def case_decide(
    *,
    actor,
    case: SupplierCase,
    kind: str,
    note: str = "",
    due_date: dt.date | None = None,
    redeliver: bool = True,
) -> SupplierCase:
    """Purchasing decides what is done: return, replacement, or a concession to approve."""
    if kind not in CaseKind.values:
        raise ValidationError({"kind": _("Choose return, replacement or concession.")})
    note = _note(note)
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The date to settle by cannot be in the past.")})
    seen = case.status
    with transaction.atomic():
        case = case_for(actor, case.pk, CaseStep.DECIDE)
        to = CASE_KIND_STATUS[kind]
        case = _move(
            actor=actor,
            case=case,
            seen=seen,
            to=to,
            step=CaseStep.DECIDE,
            note=lambda k=kind, n=note: f"{CaseKind(k).label}: {n}" if n else str(CaseKind(k).label),
            extra={
                "kind": kind,
                "resolution": note,
                "decided_by": actor,
                "decided_at": timezone.now(),
                "redeliver": redeliver if kind == CaseKind.RETURN else True,
                "due_date": due_date or timezone.localdate() + dt.timedelta(days=SETTLE_DAYS),
            },
        )
        if _owes_again(case):
            _give_back(actor=actor, case=case, quantity=case.remaining_qty)
        orders = order_ids_of(case.receipt)
        label = str(CaseKind(kind).label)
        if kind == CaseKind.CONCESSION:
            _tell(
                "case.concession",
                case,
                concession_approvers(),
                lambda lang, c=case.number: (
                    _("Concession for %(case)s waits for your approval") % {"case": c}
                ),
                body=note,
                actor=actor,
                departments=list(Department.objects.filter(kind=DepartmentKind.QUALITY, is_archived=False)),
            )
        _tell(
            "case.decided",
            case,
            _merchandisers(orders),
            lambda lang, c=case.number: _("Supplier case %(case)s: disposition decided") % {"case": c},
            body=label,
            actor=actor,
        )
    return case


def case_return_record(
    *, actor, case: SupplierCase, returned_on: dt.date | None, carrier: str = "", note: str = ""
) -> SupplierCase:
    """The goods went back to the supplier: the return case closes."""
    if returned_on is None:
        raise ValidationError({"returned_on": _("Say when the goods went back.")})
    if returned_on > timezone.localdate():
        raise ValidationError({"returned_on": _("The return date cannot be in the future.")})
    carrier = (carrier or "").strip()
    if len(carrier) > 100:
        raise ValidationError({"carrier": _("At most %(n)s characters.") % {"n": 100}})
    note = _note(note)
    seen = case.status
    with transaction.atomic():
        case = case_for(actor, case.pk, CaseStep.RECORD_RETURN)
        resolution = "\n".join(filter(None, [case.resolution, note]))
        case = _move(
            actor=actor,
            case=case,
            seen=seen,
            to=S.CLOSED,
            step=CaseStep.RECORD_RETURN,
            note=lambda d=returned_on, c=carrier: " · ".join(
                filter(None, [_("Returned on %(date)s") % {"date": d.isoformat()}, c])
            ),
            extra={
                "returned_on": returned_on,
                "return_carrier": carrier,
                "resolution": resolution,
                "closed_at": timezone.now(),
            },
        )
        _closed(actor, case)
    return case


def case_replacement_inspected(*, actor, receipt: Receipt) -> SupplierCase | None:
    """Called by incoming inspection when a replacement delivery (`receipt.case`) has been inspected,
    inside its transaction. What it settles (accepted, or rejected and carried on by its own case) is
    counted on the case; the case closes when the whole rejected quantity is settled."""
    if receipt.case_id is None:
        return None
    case = SupplierCase.objects.select_related("receipt").get(pk=receipt.case_id)
    if case.status != S.AWAITING_REPLACEMENT:
        raise WorkflowConflict(
            _("Case %(number)s is “%(status)s”: it does not wait for a replacement.")
            % {"number": case.number, "status": case.get_status_display()}
        )
    inspected = receipt.accepted_qty + receipt.rejected_qty
    seen = case.replaced_qty
    settled = min(seen + inspected, case.quantity)
    won = SupplierCase.objects.filter(pk=case.pk, status=S.AWAITING_REPLACEMENT, replaced_qty=seen).update(
        replaced_qty=settled
    )
    if not won:
        raise WorkflowConflict(
            _("Someone else changed case %(number)s first; try again.") % {"number": case.number}
        )
    case.refresh_from_db()
    accepted, rejected = qty_text(receipt.accepted_qty), qty_text(receipt.rejected_qty)

    def note() -> str:
        return _("Replacement %(receipt)s: %(accepted)s accepted, %(rejected)s rejected") % {
            "receipt": receipt.number,
            "accepted": accepted,
            "rejected": rejected,
        }

    if settled >= case.quantity:
        case = _move(
            actor=actor,
            case=case,
            seen=S.AWAITING_REPLACEMENT,
            to=S.CLOSED,
            step=CaseStep.REPLACED,
            note=note,
            extra={"closed_at": timezone.now()},
        )
        _closed(actor, case)
    else:
        audit_for_orders(
            actor=actor,
            obj=case,
            action="case_replacement",
            order_ids=order_ids_of(case.receipt),
            note=note,
            changes={"replaced_qty": [str(seen), str(settled)]},
        )
        _tell(
            "case.decided",
            case,
            _purchasers(),
            lambda lang: (
                _("Supplier case %(case)s: %(q)s still to be replaced")
                % {"case": case.number, "q": qty_text(case.remaining_qty)}
            ),
            actor=actor,
        )
    return case


def case_concession_approve(*, actor, case: SupplierCase, note: str = "") -> SupplierCase:
    """The concession is approved: the rejected quantity is used as is, stocked in through the
    ledger, and moves from rejected to accepted on the receipt and its PO line."""
    note = _note(note)
    seen = case.status
    with transaction.atomic():
        case = case_for(actor, case.pk, CaseStep.APPROVE)
        quantity = case.quantity - case.replaced_qty
        receipt = case.receipt
        # The case first: of two approvers at once, the second is told someone else acted.
        case = _move(
            actor=actor,
            case=case,
            seen=seen,
            to=S.CLOSED,
            step=CaseStep.APPROVE,
            note=lambda: " · ".join(filter(None, [_("%(q)s used as is") % {"q": qty_text(quantity)}, note])),
            extra={
                "conceded_qty": quantity,
                "approved_by": actor,
                "approved_at": timezone.now(),
                "closed_at": timezone.now(),
                "resolution": "\n".join(filter(None, [case.resolution, note])),
            },
        )
        # Never more than is rejected on the receipt: the condition carries the limit.
        won = Receipt.objects.filter(pk=receipt.pk, rejected_qty__gte=quantity).update(
            accepted_qty=F("accepted_qty") + quantity, rejected_qty=F("rejected_qty") - quantity
        )
        if not won:
            raise ValidationError(
                {
                    "quantity": _("Receipt %(receipt)s has less than %(q)s rejected: nothing was stocked in.")
                    % {"receipt": receipt.number, "q": qty_text(quantity)}
                }
            )
        receipt.refresh_from_db()
        status = ReceiptStatus.ACCEPTED if receipt.rejected_qty == 0 else ReceiptStatus.PARTLY_ACCEPTED
        Receipt.objects.filter(pk=receipt.pk).update(status=status)
        PurchaseOrderLine.objects.filter(pk=receipt.line_id).update(
            accepted_qty=F("accepted_qty") + quantity,
            rejected_qty=Greatest(F("rejected_qty") - quantity, Value(ZERO)),
        )
        stock_move(
            actor=actor,
            warehouse=receipt.warehouse,
            quantity=quantity,
            kind=MovementKind.RECEIPT,
            material=case.material,
            reference=case.number,
            note=_("Concession of %(receipt)s") % {"receipt": receipt.number},
        )
        _closed(actor, case)
    return case


def case_concession_reject(*, actor, case: SupplierCase, reason: str) -> SupplierCase:
    """The approver refuses the concession, saying why: the case goes back to purchasing to decide."""
    reason = _note(reason, "reason", required=True, message=_("Say why the concession is refused."))
    seen = case.status
    with transaction.atomic():
        case = case_for(actor, case.pk, CaseStep.REJECT)
        asked_by = case.decided_by
        case = _move(
            actor=actor,
            case=case,
            seen=seen,
            to=S.OPEN,
            step=CaseStep.REJECT,
            note=reason,
            extra={"kind": "", "resolution": reason, "decided_by": None, "decided_at": None},
        )
        _tell(
            "case.decided",
            case,
            [u for u in [asked_by] if u is not None] + _purchasers(),
            lambda lang, c=case.number: _("Concession for %(case)s refused: decide again") % {"case": c},
            body=reason,
            actor=actor,
        )
    return case


def case_reconsider(*, actor, case: SupplierCase, reason: str) -> SupplierCase:
    """Purchasing takes back a return or replacement decision (the supplier refuses, say) before
    anything came of it: the PO line's open quantity given back is taken back, and the case is to
    decide again."""
    reason = _note(reason, "reason", required=True, message=_("Say why the case is decided again."))
    seen = case.status
    with transaction.atomic():
        case = case_for(actor, case.pk, CaseStep.RECONSIDER)
        if case.replacements.exists() or case.replaced_qty > 0:
            raise ValidationError(
                {"reason": _("A replacement was already received for this case: it cannot be decided again.")}
            )
        owed = _owes_again(case)
        case = _move(
            actor=actor,
            case=case,
            seen=seen,
            to=S.OPEN,
            step=CaseStep.RECONSIDER,
            note=reason,
            extra={"kind": "", "resolution": reason, "redeliver": True},
        )
        if owed:
            _give_back(actor=actor, case=case, quantity=-case.quantity)
    return case


def _closed(actor, case: SupplierCase) -> None:
    orders = order_ids_of(case.receipt)
    _tell(
        "case.closed",
        case,
        _purchasers() + _merchandisers(orders),
        lambda lang, c=case.number: _("Supplier case %(case)s closed") % {"case": c},
        body=case.get_kind_display(),
        actor=actor,
    )
