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

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind
from gendan.accounts.models import Department
from gendan.core.exceptions import WorkflowConflict
from gendan.inventory.choices import MovementKind
from gendan.inventory.services import stock_move
from gendan.issues.choices import IssueKind, IssueSource
from gendan.issues.services import issue_open_from, issue_solve_from
from gendan.orders.models import Order

from ..choices import (
    CASE_KIND_STATUS,
    CaseKind,
    CaseStep,
    ReceiptStatus,
)
from ..models import PurchaseOrderLine, Receipt, SupplierCase
from .cases_flow import (
    DECIDE_DAYS,
    SETTLE_DAYS,
    ZERO,
    S,
    case_for,
    clean_note,
    concession_approvers,
    give_back,
    merchandisers,
    move_case,
    order_ids_of,
    owes_again,
    purchasers,
    purchasing_departments,
    qty_text,
    tell,
    tell_closed,
)
from .common import audit_for_orders, insert_numbered


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
        description=clean_note(description, "description"),
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
    tell(
        "case.opened",
        case,
        purchasers() + merchandisers(orders),
        title,
        body=case.description,
        departments=purchasing_departments(),
    )
    _open_issue_for(actor=actor, case=case, receipt=receipt, order_ids=orders)
    return case


def _open_issue_for(*, actor, case: SupplierCase, receipt: Receipt, order_ids: list[int]) -> None:
    """The rejection goes on the issue register (R-4.3) as a material issue of purchasing, on the
    (first) order the lot was bought for, so the order's follow-up and meetings see it: one issue
    per case, opened once."""
    departments = purchasing_departments()
    if not departments:
        return  # no purchasing department to answer for it: the case itself is followed up
    orders = list(Order.objects.filter(pk__in=order_ids).order_by("pk"))
    material = case.material
    description = _("%(q)s of %(material)s rejected at incoming inspection of %(receipt)s.") % {
        "q": qty_text(case.quantity),
        "material": material,
        "receipt": receipt.number,
    }
    if len(orders) > 1:
        description += "\n" + _("Orders served: %(orders)s") % {"orders": ", ".join(o.number for o in orders)}
    if case.description:
        description += "\n" + case.description
    issue_open_from(
        actor=actor,
        kind=IssueKind.MATERIAL,
        source=IssueSource.INCOMING,
        title=_("Incoming rejection %(case)s: %(material)s") % {"case": case.number, "material": material},
        description=description,
        order=orders[0] if orders else None,
        responsible_department=departments[0],
        due_date=case.due_date,
        fingerprint=f"case:{case.pk}",
    )


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
    note = clean_note(note)
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The date to settle by cannot be in the past.")})
    seen = case.status
    with transaction.atomic():
        case = case_for(actor, case.pk, CaseStep.DECIDE)
        to = CASE_KIND_STATUS[kind]
        case = move_case(
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
        if owes_again(case):
            give_back(actor=actor, case=case, quantity=case.remaining_qty)
        orders = order_ids_of(case.receipt)
        label = str(CaseKind(kind).label)
        if kind == CaseKind.CONCESSION:
            tell(
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
        tell(
            "case.decided",
            case,
            merchandisers(orders),
            lambda lang, c=case.number: _("Supplier case %(case)s: disposition decided") % {"case": c},
            body=label,
            actor=actor,
        )
    return case


def _settle_issue(actor, case: SupplierCase) -> None:
    """The case closed: its issue is marked solved with how the case was settled, for the
    merchandiser to confirm (as a nonconformance's; `issue_solve_from` leaves it to purchasing when
    the actor may not solve it, e.g. the inspector who accepted the replacement)."""
    lines = [
        _("Supplier case %(case)s closed: %(kind)s.") % {"case": case.number, "kind": case.get_kind_display()}
    ]
    if case.resolution.strip():
        lines.append(case.resolution.strip())
    issue_solve_from(actor=actor, fingerprint=f"case:{case.pk}", solution="\n".join(lines))


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
    note = clean_note(note)
    seen = case.status
    with transaction.atomic():
        case = case_for(actor, case.pk, CaseStep.RECORD_RETURN)
        resolution = "\n".join(filter(None, [case.resolution, note]))
        case = move_case(
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
        tell_closed(actor, case)
        _settle_issue(actor, case)
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
        case = move_case(
            actor=actor,
            case=case,
            seen=S.AWAITING_REPLACEMENT,
            to=S.CLOSED,
            step=CaseStep.REPLACED,
            note=note,
            extra={"closed_at": timezone.now()},
        )
        tell_closed(actor, case)
        _settle_issue(actor, case)
    else:
        audit_for_orders(
            actor=actor,
            obj=case,
            action="case_replacement",
            order_ids=order_ids_of(case.receipt),
            note=note,
            changes={"replaced_qty": [str(seen), str(settled)]},
        )
        tell(
            "case.decided",
            case,
            purchasers(),
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
    note = clean_note(note)
    seen = case.status
    with transaction.atomic():
        case = case_for(actor, case.pk, CaseStep.APPROVE)
        quantity = case.quantity - case.replaced_qty
        receipt = case.receipt
        # The case first: of two approvers at once, the second is told someone else acted.
        case = move_case(
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
        tell_closed(actor, case)
        _settle_issue(actor, case)
    return case


def case_concession_reject(*, actor, case: SupplierCase, reason: str) -> SupplierCase:
    """The approver refuses the concession, saying why: the case goes back to purchasing to decide."""
    reason = clean_note(reason, "reason", required=True, message=_("Say why the concession is refused."))
    seen = case.status
    with transaction.atomic():
        case = case_for(actor, case.pk, CaseStep.REJECT)
        asked_by = case.decided_by
        case = move_case(
            actor=actor,
            case=case,
            seen=seen,
            to=S.OPEN,
            step=CaseStep.REJECT,
            note=reason,
            extra={"kind": "", "resolution": reason, "decided_by": None, "decided_at": None},
        )
        tell(
            "case.decided",
            case,
            [u for u in [asked_by] if u is not None] + purchasers(),
            lambda lang, c=case.number: _("Concession for %(case)s refused: decide again") % {"case": c},
            body=reason,
            actor=actor,
        )
    return case


def case_reconsider(*, actor, case: SupplierCase, reason: str) -> SupplierCase:
    """Purchasing takes back a return or replacement decision (the supplier refuses, say) before
    anything came of it: the PO line's open quantity given back is taken back, and the case is to
    decide again."""
    reason = clean_note(reason, "reason", required=True, message=_("Say why the case is decided again."))
    seen = case.status
    with transaction.atomic():
        case = case_for(actor, case.pk, CaseStep.RECONSIDER)
        if case.replacements.exists() or case.replaced_qty > 0:
            raise ValidationError(
                {"reason": _("A replacement was already received for this case: it cannot be decided again.")}
            )
        owed = owes_again(case)
        case = move_case(
            actor=actor,
            case=case,
            seen=seen,
            to=S.OPEN,
            step=CaseStep.RECONSIDER,
            note=reason,
            extra={"kind": "", "resolution": reason, "redeliver": True},
        )
        if owed:
            give_back(actor=actor, case=case, quantity=-case.quantity)
    return case
