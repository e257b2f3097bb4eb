"""Receiving (R-3.6): goods received against a PO line wait in inspection; only what quality accepts
is stocked in.

The warehouse keeper receives against an open line of a sent or confirmed PO: a partial delivery,
or a little more than is still open (the line's `tolerance_pct` of the open quantity), never more.
The line's running total is a conditional UPDATE, so two keepers receiving the last units at once
cannot both pass the tolerance. Quality's decision comes back through `receipt_inspected`."""

import datetime as dt
from decimal import ROUND_CEILING, Decimal, localcontext

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts.choices import Role
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.inventory.choices import MovementKind
from gendan.inventory.services import stock_move
from gendan.notifications.services import notify
from gendan.orders.models import Order

from ..choices import POLineStatus, POStatus, ReceiptStatus
from ..models import PlanLinePeg, PurchaseOrderLine, Receipt
from . import cases, tracking
from .common import audit_for_orders, insert_numbered, num

ZERO = Decimal(0)
STEP = Decimal("0.0001")
RECEIVABLE_PO = (POStatus.SENT, POStatus.CONFIRMED)
# A replacement for rejected goods may come after the PO was closed.
REPLACEABLE_PO = (*RECEIVABLE_PO, POStatus.CLOSED)
RECEIVABLE_LINE = (POLineStatus.OPEN, POLineStatus.CONFIRMED, POLineStatus.PARTLY_RECEIVED)


def allowed_max(*, open_qty: Decimal, tolerance_pct: Decimal) -> Decimal:
    """The most one delivery may bring: the open quantity and the tolerance on it (to 4 places)."""
    return (open_qty * (100 + tolerance_pct) / 100).quantize(STEP)


def _least_before(quantity: Decimal, tolerance_pct: Decimal) -> Decimal:
    """The open quantity a delivery of `quantity` needs: quantity / (1 + tolerance), rounded up to the
    stored precision (so the conditional UPDATE compares exact decimals)."""
    with localcontext() as ctx:
        ctx.prec = 40
        need = quantity * 100 / (100 + tolerance_pct)
    return need.quantize(STEP, rounding=ROUND_CEILING)


def order_ids_served(line: PurchaseOrderLine) -> list[int]:
    """The orders a PO line serves (through its purchase plan line's pegs)."""
    if not line.plan_line_id:
        return []
    return sorted(
        set(PlanLinePeg.objects.filter(line_id=line.plan_line_id).values_list("order_id", flat=True))
    )


def _users(role: str):
    return list(get_user_model().objects.filter(role=role, is_active=True))


def receipt_create(
    *,
    actor,
    line: PurchaseOrderLine,
    quantity: Decimal,
    warehouse=None,
    delivery_note: str = "",
    lot_no: str = "",
    received_at: dt.datetime | None = None,
    case=None,
) -> Receipt:
    """Record goods received against `line` (a replacement for a supplier case names the case)."""
    require(actor, Receipt, "add")
    try:
        quantity = Decimal(quantity)
    except (ArithmeticError, TypeError, ValueError):
        raise ValidationError({"quantity": _("Enter the quantity received as a number.")}) from None
    if not quantity.is_finite() or quantity <= 0:
        raise ValidationError({"quantity": _("The quantity received must be more than zero.")})
    if quantity != quantity.quantize(STEP):
        raise ValidationError({"quantity": _("At most four decimal places.")})
    with transaction.atomic():
        line = PurchaseOrderLine.objects.select_related("order", "material").get(pk=line.pk)
        po = line.order
        if po.status not in (REPLACEABLE_PO if case is not None else RECEIVABLE_PO):
            raise ValidationError(
                {
                    "line": _(
                        "Purchase order %(po)s is %(status)s: goods are received only against a sent or confirmed order."
                    )
                    % {"po": po.number, "status": po.get_status_display()}
                }
            )
        if line.status == POLineStatus.CANCELLED:
            raise ValidationError({"line": _("Line %(line)s is cancelled.") % {"line": line}})
        warehouse = warehouse or po.warehouse
        if warehouse is None:
            raise ValidationError({"warehouse": _("Choose the warehouse the goods arrive at.")})
        if warehouse.is_archived:
            raise ValidationError({"warehouse": _("The warehouse is archived.")})
        if case is not None:
            _check_replacement(case, line, quantity)
            _add_replacement(line, quantity)
        else:
            _add_received(line, quantity)
        receipt = Receipt(
            line=line,
            quantity=quantity,
            warehouse=warehouse,
            delivery_note=(delivery_note or "")[:60],
            lot_no=(lot_no or "")[:60],
            is_replacement=case is not None,
            case=case,
            status=ReceiptStatus.IN_INSPECTION,
            received_by=actor if getattr(actor, "pk", None) else None,
            received_at=received_at or timezone.now(),
        )
        insert_numbered(receipt, "SH")
        audit_for_orders(
            actor=actor,
            obj=receipt,
            action="create",
            order_ids=order_ids_served(line),
            note=lambda: (
                _("%(qty)s of %(material)s received against %(line)s, waiting in inspection")
                % {"qty": num(quantity), "material": line.material, "line": line}
            ),
        )
        tracking.lines_moved(line_ids=[line.pk], actor=actor)
        _notify_quality(receipt)
    return receipt


def _add_received(line: PurchaseOrderLine, quantity: Decimal) -> None:
    """The line's received total, by a conditional UPDATE: the delivery must fit the open quantity
    plus the tolerance as they are in the database at this moment (another keeper may have received
    a moment ago), and the line must still be receivable."""
    least_open = _least_before(quantity, line.tolerance_pct)
    won = PurchaseOrderLine.objects.filter(
        pk=line.pk,
        status__in=RECEIVABLE_LINE,
        quantity=line.quantity,
        tolerance_pct=line.tolerance_pct,
        received_qty__lte=line.quantity - least_open,
    ).update(received_qty=F("received_qty") + quantity)
    if not won:
        line.refresh_from_db()
        if line.status not in RECEIVABLE_LINE and line.open_qty <= 0:
            raise ValidationError(
                {
                    "quantity": _("Line %(line)s is fully received; nothing more can be received against it.")
                    % {"line": line}
                }
            )
        raise ValidationError(
            {
                "quantity": _(
                    "Too much for line %(line)s: at most %(max)s can be received now (%(open)s still open "
                    "and %(tol)s%% over-delivery tolerance)."
                )
                % {
                    "line": line,
                    "max": num(allowed_max(open_qty=line.open_qty, tolerance_pct=line.tolerance_pct)),
                    "open": num(line.open_qty),
                    "tol": num(line.tolerance_pct),
                }
            }
        )
    PurchaseOrderLine.objects.filter(pk=line.pk, status__in=RECEIVABLE_LINE).update(
        status=Case(
            When(received_qty__gte=F("quantity"), then=Value(POLineStatus.RECEIVED)),
            default=Value(POLineStatus.PARTLY_RECEIVED),
        )
    )


def _add_replacement(line: PurchaseOrderLine, quantity: Decimal) -> None:
    """A replacement is received on its line as any delivery is: deciding the case took the rejected
    quantity off the line's received total (the supplier owed it again), so the line counts it back
    (its case, not the line's open quantity, bounds it; the line may have been closed meanwhile)."""
    PurchaseOrderLine.objects.filter(pk=line.pk).update(received_qty=F("received_qty") + quantity)
    PurchaseOrderLine.objects.filter(pk=line.pk).exclude(status=POLineStatus.CANCELLED).update(
        status=Case(
            When(received_qty__gte=F("quantity"), then=Value(POLineStatus.RECEIVED)),
            default=Value(POLineStatus.PARTLY_RECEIVED),
        )
    )


def _check_replacement(case, line: PurchaseOrderLine, quantity: Decimal) -> None:
    """A replacement delivery replaces the rejected quantity of its case (within the line's
    tolerance); it does not count again against what the line ordered."""
    due = cases.replacement_due(case)  # refused unless purchasing decided on a replacement
    if case.receipt.line_id != line.pk:
        raise ValidationError(
            {"case": _("Case %(case)s is not about this purchase order line.") % {"case": case}}
        )
    most = allowed_max(open_qty=due, tolerance_pct=line.tolerance_pct)
    if quantity > most:
        raise ValidationError(
            {
                "quantity": _("Too much for a replacement of case %(case)s: at most %(max)s.")
                % {"case": case, "max": num(most)}
            }
        )


def _notify_quality(receipt: Receipt) -> None:
    number = receipt.number
    notify(
        event="receipt.to_inspect",
        recipients=_users(Role.QUALITY),
        title=gettext_lazy("Goods received, waiting for incoming inspection"),
        body=lambda _lang: number,
        url=reverse("receiving:receipt_detail", args=[receipt.pk]),
        obj=receipt,
    )


def receipt_inspected(*, actor, receipt: Receipt, accepted: Decimal, rejected: Decimal) -> Receipt:
    """Quality's decision on a receipt: the accepted quantity is stocked in through the ledger, the
    rejected one opens a supplier case (not for a concession). Called inside incoming inspection's
    transaction; the caller has checked that the actor may inspect."""
    accepted, rejected = Decimal(accepted), Decimal(rejected)
    if accepted < 0 or rejected < 0:
        raise ValidationError(_("Accepted and rejected quantities cannot be negative."))
    with transaction.atomic():
        receipt = Receipt.objects.select_related("line__order", "line__material", "warehouse").get(
            pk=receipt.pk
        )
        if accepted + rejected != receipt.quantity:
            raise ValidationError(
                _(
                    "Receipt %(number)s: accepted %(acc)s and rejected %(rej)s must add up to the %(qty)s received."
                )
                % {
                    "number": receipt.number,
                    "acc": num(accepted),
                    "rej": num(rejected),
                    "qty": num(receipt.quantity),
                }
            )
        status = (
            ReceiptStatus.ACCEPTED
            if rejected == 0
            else ReceiptStatus.REJECTED
            if accepted == 0
            else ReceiptStatus.PARTLY_ACCEPTED
        )
        # The conditional UPDATE is the lock: a receipt is decided once.
        won = Receipt.objects.filter(pk=receipt.pk, status=ReceiptStatus.IN_INSPECTION).update(
            status=status, accepted_qty=accepted, rejected_qty=rejected, inspected_at=timezone.now()
        )
        if not won:
            raise WorkflowConflict(
                _("Receipt %(number)s has already been inspected.") % {"number": receipt.number}
            )
        line = receipt.line
        PurchaseOrderLine.objects.filter(pk=line.pk).update(
            accepted_qty=F("accepted_qty") + accepted, rejected_qty=F("rejected_qty") + rejected
        )
        if accepted > 0:
            stock_move(
                actor=actor,
                warehouse=receipt.warehouse,
                quantity=accepted,
                kind=MovementKind.RECEIPT,
                material=line.material,
                reference=receipt.number,
                note=str(line),
            )
        receipt.refresh_from_db()
        orders = order_ids_served(line)
        audit_for_orders(
            actor=actor,
            obj=receipt,
            action="inspected",
            order_ids=orders,
            changes={"status": [ReceiptStatus.IN_INSPECTION, status]},
            note=lambda: (
                _("%(number)s inspected: %(acc)s accepted, %(rej)s rejected")
                % {"number": receipt.number, "acc": num(accepted), "rej": num(rejected)}
            ),
        )
        if rejected > 0:
            case = cases.case_open(
                actor=actor,
                receipt=receipt,
                quantity=rejected,
                description=_("Rejected at incoming inspection of %(number)s") % {"number": receipt.number},
            )
            _notify_rejected(receipt, case, orders)
        if receipt.case_id:
            cases.case_replacement_inspected(actor=actor, receipt=receipt)
        tracking.lines_moved(line_ids=[line.pk], actor=actor)
    return receipt


def _notify_rejected(receipt: Receipt, case, order_ids: list[int]) -> None:
    """Purchasing, and the merchandisers of the orders the goods were bought for."""
    merchandisers = [
        o.merchandiser
        for o in Order.objects.filter(pk__in=order_ids).select_related("merchandiser")
        if o.merchandiser
    ]
    number, case_number, material = receipt.number, case.number, receipt.line.material
    notify(
        event="receipt.rejected",
        recipients=_users(Role.PURCHASING) + merchandisers,
        title=gettext_lazy("Goods rejected at incoming inspection"),
        body=lambda _lang: f"{number} · {material} · {case_number}",
        url=reverse("receiving:receipt_detail", args=[receipt.pk]),
        obj=receipt,
    )
