"""What the supplier-case steps (services/cases.py) share: who is told, the conditional status
move every step takes (choices.CASE_TRANSITIONS; of two people acting at once one wins, the other
gets WorkflowConflict; audited on the case and on every served order's timeline), and the PO
line's open quantity given back for a return or a replacement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind
from gendan.accounts.models import Department, User
from gendan.core.exceptions import WorkflowConflict
from gendan.notifications.services import notify
from gendan.orders.models import Order

from ..choices import CASE_STEP_ACTION, CASE_TRANSITIONS, CaseKind, CaseStatus, CaseStep, POLineStatus
from ..models import PlanLinePeg, PurchaseOrderLine, Receipt, SupplierCase
from .common import audit_for_orders
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


def purchasers() -> list[User]:
    return list(User.objects.filter(department__kind=DepartmentKind.PURCHASING, is_active=True))


def purchasing_departments() -> list[Department]:
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


def merchandisers(order_ids: list[int]) -> list[User]:
    ids = Order.objects.filter(pk__in=order_ids).values("merchandiser_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))


def tell(event: str, case: SupplierCase, recipients, title, body: Any = "", actor=None, departments=()):
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


def move_case(*, actor, case: SupplierCase, seen: str, to: str, step: str, note: Any = "", extra=None):
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


def clean_note(value: str, field: str = "note", *, required: bool = False, message: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: message or _("This field is required.")})
    if len(value) > NOTE_MAX:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": NOTE_MAX}})
    return value


def line_status(line: PurchaseOrderLine) -> str:
    """A line's status from its received quantity (a returned quantity makes it open again)."""
    if line.status == POLineStatus.CANCELLED:
        return line.status
    if line.received_qty >= line.quantity:
        return POLineStatus.RECEIVED
    if line.received_qty > 0:
        return POLineStatus.PARTLY_RECEIVED
    return POLineStatus.CONFIRMED if line.confirmations.exists() else POLineStatus.OPEN


def give_back(*, actor, case: SupplierCase, quantity: Decimal) -> None:
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
    status = line_status(line)
    if status != line.status:
        PurchaseOrderLine.objects.filter(pk=line_id).update(status=status)
    lines_moved(line_ids=[line_id], actor=actor)


def owes_again(case: SupplierCase) -> bool:
    return case.kind == CaseKind.REPLACEMENT or (case.kind == CaseKind.RETURN and case.redeliver)


def tell_closed(actor, case: SupplierCase) -> None:
    orders = order_ids_of(case.receipt)
    tell(
        "case.closed",
        case,
        purchasers() + merchandisers(orders),
        lambda lang, c=case.number: _("Supplier case %(case)s closed") % {"case": c},
        body=case.get_kind_display(),
        actor=actor,
    )
