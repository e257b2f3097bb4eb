"""Purchase orders (R-3.3): made from approved purchase plan lines, one per supplier; printed and
sent; the supplier's confirmations recorded per line (partial allowed); changes and cancellations
recorded as `POLineChange` rows with their reason, never edits in place.

Every status move is a conditional UPDATE … WHERE status = <the status the caller saw>, taken from
`choices.PO_TRANSITIONS`; quantities that another person may change at the same time (plan lines
ordered, a line's quantity against what was received) are conditional UPDATEs too: of two people
acting at once one wins and the other gets WorkflowConflict. Each event goes on the timeline of
every order the PO serves (`common.audit_for_orders`); a date or quantity that moves tells
delivery tracking (`tracking.lines_moved`) in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.inventory.models import Warehouse

from ..choices import (
    ORDERABLE_PLAN_STATES,
    PO_LINE_OPEN_STATES,
    PO_OPEN_STATES,
    PO_STEP_ACTION,
    PO_TRANSITIONS,
    LineChangeKind,
    PlanLineStatus,
    POLineStatus,
    POStatus,
    POStep,
)
from ..models import (
    PlanLinePeg,
    POLineChange,
    POLineConfirmation,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlanLine,
)
from . import tracking
from .common import audit_for_orders, insert_numbered

ZERO = Decimal(0)
REASON_MAX = 300
LANGUAGES = ("zh-hans", "en")
PDF_LANGUAGE = "zh-hans"  # Chinese by default; English on request (the header's language)
HEADER_FIELDS = ("warehouse", "quality_requirements", "packaging_requirements", "note", "language")


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = value.normalize()
    return format(value, "f")


def po_for(actor, po_id: int, action: str) -> PurchaseOrder:
    """The PO `actor` may take `action` on: PermissionDenied if he may not, DoesNotExist if none."""
    return PurchaseOrder.objects.select_related("supplier").get_for(actor, action, pk=po_id)


def order_ids_of(po: PurchaseOrder) -> list[int]:
    """The customer orders a PO serves (through its plan lines' pegs)."""
    return list(
        PlanLinePeg.objects.filter(line__po_line__order=po).values_list("order_id", flat=True).distinct()
    )


def _line_order_ids(line: PurchaseOrderLine) -> list[int]:
    if not line.plan_line_id:
        return []
    return list(PlanLinePeg.objects.filter(line_id=line.plan_line_id).values_list("order_id", flat=True))


def _move(*, actor, po: PurchaseOrder, to: str, extra: dict | None = None) -> None:
    """Move `po` to `to` if the table allows it from the status the caller saw."""
    expected = po.status
    if to not in PO_TRANSITIONS.get(expected, {}):
        raise WorkflowConflict(
            _("A purchase order that is “%(current)s” cannot become “%(target)s”.")
            % {"current": POStatus(expected).label, "target": POStatus(to).label}
        )
    won = PurchaseOrder.objects.filter(pk=po.pk, status=expected).update(status=to, **(extra or {}))
    if not won:
        raise WorkflowConflict(
            _("Someone else changed purchase order %(number)s first; reload and try again.")
            % {"number": po.number}
        )
    po.status = to
    for name, value in (extra or {}).items():
        setattr(po, name, value)


# ------------------------------------------------------------------------------------ creating


def _plan_line_problems(line: PurchasePlanLine) -> list[str]:
    name = f"{line.plan} / {line.position} {line.material.code}"
    if line.status == PlanLineStatus.ORDERED:
        return [_("Plan line %(line)s is already ordered.") % {"line": name}]
    if line.status != PlanLineStatus.APPROVED:
        return [
            _("Plan line %(line)s is not approved (it is “%(status)s”).")
            % {"line": name, "status": line.get_status_display()}
        ]
    if line.plan.status not in ORDERABLE_PLAN_STATES:
        # A revision carries the approved lines into its new version: only that one is ordered.
        return [
            _("Plan line %(line)s belongs to a version that is “%(status)s”; order from the version in use.")
            % {"line": name, "status": line.plan.get_status_display()}
        ]
    problems = []
    if line.supplier is None:
        problems.append(_("Plan line %(line)s has no supplier.") % {"line": name})
    elif line.supplier.is_archived:
        problems.append(
            _("Plan line %(line)s: supplier %(supplier)s is archived.")
            % {"line": name, "supplier": line.supplier.code}
        )
    elif not line.supplier.is_approved:
        problems.append(
            _("Plan line %(line)s: supplier %(supplier)s is not an approved supplier.")
            % {"line": name, "supplier": line.supplier.code}
        )
    if line.material.is_archived:
        problems.append(
            _("Plan line %(line)s: material %(material)s is archived.")
            % {"line": name, "material": line.material.code}
        )
    if line.unit_price is not None and line.unit_price < 0:
        problems.append(_("Plan line %(line)s has a negative unit price.") % {"line": name})
    if line.quantity is None or line.quantity <= 0:
        problems.append(_("Plan line %(line)s has no quantity to order.") % {"line": name})
    return problems


def _default_warehouse() -> Warehouse | None:
    return Warehouse.objects.filter(is_archived=False).order_by("code").first()


def po_create_from_plan_lines(*, actor, line_ids) -> list[PurchaseOrder]:
    """Draft one PO per supplier from approved plan lines: one PO line per plan line (its material,
    specification, quantity, unit price; delivery date = the plan line's need date). The plan lines
    become ORDERED; of two purchasers ordering the same line, one wins."""
    require(actor, PurchaseOrder, "add")
    try:
        ids = sorted({int(i) for i in line_ids})
    except (TypeError, ValueError):
        raise ValidationError({"line_ids": [_("Give the ids of approved plan lines.")]}) from None
    if not ids:
        raise ValidationError({"line_ids": [_("Choose at least one approved plan line.")]})
    with transaction.atomic():
        lines = list(
            PurchasePlanLine.objects.filter(pk__in=ids)
            .select_related("plan", "material", "supplier")
            .order_by("supplier__code", "need_date", "material__code", "pk")
        )
        problems = [
            _("Plan line %(id)s does not exist.") % {"id": i}
            for i in sorted(set(ids) - {x.pk for x in lines})
        ]
        for line in lines:
            problems += _plan_line_problems(line)
        if problems:
            raise ValidationError({"line_ids": problems})
        won = PurchasePlanLine.objects.filter(
            pk__in=ids, status=PlanLineStatus.APPROVED, plan__status__in=ORDERABLE_PLAN_STATES
        ).update(status=PlanLineStatus.ORDERED)
        if won != len(ids):
            raise WorkflowConflict(
                _("Someone else ordered some of these plan lines first; reload and try again.")
            )
        by_supplier: dict[int | None, list[PurchasePlanLine]] = defaultdict(list)  # no None: checked above
        for line in lines:
            by_supplier[line.supplier_id].append(line)
        warehouse = _default_warehouse()
        made = []
        # The requirements are the supplier's to read: worded in the PDF's language (Chinese).
        with translation.override(PDF_LANGUAGE):
            quality = _(
                "Goods are inspected on arrival (GB/T 2828.1 sampling); a rejected lot is returned "
                "or replaced at the supplier's cost. Each delivery comes with its inspection report."
            )
            packaging = _(
                "Packed to protect the goods in transport; each package labelled with the PO number, "
                "material code, quantity and lot."
            )
        for supplier_lines in by_supplier.values():
            po = PurchaseOrder(
                supplier=supplier_lines[0].supplier,
                warehouse=warehouse,
                created_by=actor,
                language=PDF_LANGUAGE,
                quality_requirements=quality,
                packaging_requirements=packaging,
            )
            insert_numbered(po, "PO")
            rows = [
                PurchaseOrderLine(
                    order=po,
                    position=10 * (n + 1),
                    plan_line=line,
                    material=line.material,
                    spec=line.spec or line.material.spec,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    delivery_date=line.need_date,
                )
                for n, line in enumerate(supplier_lines)
            ]
            PurchaseOrderLine.objects.bulk_create(rows)
            audit_for_orders(
                actor=actor,
                obj=po,
                action="create",
                order_ids=order_ids_of(po),
                note=lambda n=po.number, k=len(rows): (  # noqa: B008 - bound now, worded later
                    _("Purchase order %(number)s: %(n)s lines") % {"number": n, "n": k}
                ),
            )
            made.append(po)
    return made


def po_edit(*, actor, po: PurchaseOrder, **fields) -> PurchaseOrder:
    """The header of a draft: deliver-to warehouse, quality and packaging requirements, note, the
    PDF's language. Nothing else is settable here."""
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in sorted(unknown)})
    with transaction.atomic():
        po = po_for(actor, po.pk, "change")
        if po.status != POStatus.DRAFT:
            raise WorkflowConflict(
                _("Only a draft's header can be edited; %(number)s is “%(status)s”.")
                % {"number": po.number, "status": po.get_status_display()}
            )
        if fields.get("language", po.language) not in LANGUAGES:
            raise ValidationError({"language": [_("Chinese or English.")]})
        warehouse = fields.get("warehouse", po.warehouse)
        if warehouse is not None and warehouse.is_archived:
            raise ValidationError({"warehouse": [_("This warehouse is archived.")]})
        changes = {}
        for name, value in fields.items():
            old = getattr(po, name)
            if old != value:
                changes[name] = [str(old) if old is not None else "", str(value) if value is not None else ""]
                setattr(po, name, value)
        won = PurchaseOrder.objects.filter(pk=po.pk, status=POStatus.DRAFT).update(
            **{name: getattr(po, name) for name in fields}
        )
        if not won:
            raise WorkflowConflict(
                _("Someone else changed purchase order %(number)s first.") % {"number": po.number}
            )
        if changes:
            audit_for_orders(actor=actor, obj=po, action="update", order_ids=[], changes=changes)
    return po


# ------------------------------------------------------------------------------------- sending


def po_send(*, actor, po: PurchaseOrder, by_hand: bool = False, note: str = "") -> PurchaseOrder:
    """DRAFT → SENT. With the supplier's e-mail the worker mails the PDF after commit (retried with
    back-off); a supplier without one (or a PO handed over otherwise) is sent by hand, and the note
    says how (fax, WeChat, in person)."""
    note = (note or "").strip()[:200]
    with transaction.atomic():
        po = po_for(actor, po.pk, PO_STEP_ACTION[POStep.SEND])
        if not po.lines.exists():
            raise ValidationError({"lines": [_("This purchase order has no line.")]})
        email = (po.supplier.email or "").strip()
        if by_hand or not email:
            if not note:
                message = (
                    _(
                        "Supplier %(supplier)s has no e-mail address: say how the order was sent (fax, WeChat, in person)."
                    )
                    if not email
                    else _("Say how the order was sent (fax, WeChat, in person).")
                )
                raise ValidationError({"note": [message % {"supplier": po.supplier.code}]})
            sent_to = _("by hand: %(note)s") % {"note": note}
        else:
            sent_to = email
        _move(
            actor=actor, po=po, to=POStatus.SENT, extra={"sent_at": timezone.now(), "sent_to": sent_to[:300]}
        )
        audit_for_orders(
            actor=actor,
            obj=po,
            action="po_sent",
            order_ids=order_ids_of(po),
            note=lambda n=po.number, t=sent_to: (
                _("Purchase order %(number)s sent to %(to)s") % {"number": n, "to": t}
            ),
            changes={"status": [POStatus.DRAFT, POStatus.SENT]},
        )
        if not (by_hand or not email):
            from ..tasks import po_email_task

            po_id = po.pk
            transaction.on_commit(lambda: po_email_task.enqueue(po_id, 1))
    return po


# ------------------------------------------------------------------------------- confirmations


def _confirmed_sum(line_id: int) -> Decimal:
    return POLineConfirmation.objects.filter(line_id=line_id).aggregate(s=Sum("quantity"))["s"] or ZERO


def _line_for(actor, line: PurchaseOrderLine | int, action: str) -> PurchaseOrderLine:
    """The line, freshly read and locked, if `actor` may take `action` on its PO."""
    line_id = line if isinstance(line, int) else line.pk
    order_id = PurchaseOrderLine.objects.filter(pk=line_id).values_list("order_id", flat=True).first()
    if order_id is None:
        raise PurchaseOrderLine.DoesNotExist
    # The PO's row first: actions on its lines queue one after the other, so the PO's status
    # (confirmed when every open line is) is worked out from what the one before committed.
    list(PurchaseOrder.objects.select_for_update().filter(pk=order_id).values_list("pk", flat=True))
    found = PurchaseOrderLine.objects.select_for_update().get(pk=line_id)
    po = po_for(actor, found.order_id, action)
    found.order = po
    return found


def _settle(*, actor, po: PurchaseOrder) -> None:
    """A sent PO is confirmed when every open line is; a confirmed one goes back to waiting when a
    change (or a new quantity) leaves a line unconfirmed."""
    po.refresh_from_db(fields=["status"])
    open_lines = po.lines.filter(status__in=PO_LINE_OPEN_STATES)
    waiting = open_lines.filter(status=POLineStatus.OPEN).exists()
    if po.status == POStatus.SENT and open_lines.exists() and not waiting:
        _move(actor=actor, po=po, to=POStatus.CONFIRMED)
        audit_for_orders(
            actor=actor,
            obj=po,
            action="po_confirmed",
            order_ids=order_ids_of(po),
            changes={"status": [POStatus.SENT, POStatus.CONFIRMED]},
        )
    elif po.status == POStatus.CONFIRMED and waiting:
        _move(actor=actor, po=po, to=POStatus.SENT)
        audit_for_orders(
            actor=actor,
            obj=po,
            action="po_reopened",
            order_ids=[],
            changes={"status": [POStatus.CONFIRMED, POStatus.SENT]},
        )


def po_line_confirm(
    *,
    actor,
    line: PurchaseOrderLine | int,
    quantity: Decimal,
    promised_date: dt.date,
    confirmed_by: str = "",
    note: str = "",
) -> POLineConfirmation:
    """Record the supplier's confirmation of `quantity` by `promised_date` (a line may be confirmed
    in parts; the confirmations never add up to more than the line's quantity). The line's expected
    date becomes the latest promised date; the line is CONFIRMED when fully confirmed, the PO when
    every open line is."""
    with transaction.atomic():
        line = _line_for(actor, line, PO_STEP_ACTION[POStep.CONFIRM])
        po = line.order
        label = f"{po.number} / {line.position}"
        if po.status not in (POStatus.SENT, POStatus.CONFIRMED):
            raise WorkflowConflict(
                _("Purchase order %(number)s is “%(status)s”: only a sent order is confirmed.")
                % {"number": po.number, "status": po.get_status_display()}
            )
        if line.status not in PO_LINE_OPEN_STATES:
            raise WorkflowConflict(
                _("Line %(line)s is “%(status)s”: nothing left to confirm.")
                % {"line": label, "status": line.get_status_display()}
            )
        if quantity is None or quantity <= 0:
            raise ValidationError(
                {"quantity": [_("Line %(line)s: the quantity must be above zero.") % {"line": label}]}
            )
        if promised_date is None:
            raise ValidationError(
                {"promised_date": [_("Line %(line)s: give the promised date.") % {"line": label}]}
            )
        already = _confirmed_sum(line.pk)
        if already + quantity > line.quantity:
            raise ValidationError(
                {
                    "quantity": [
                        _(
                            "Line %(line)s: %(qty)s more would confirm %(total)s of %(ordered)s ordered "
                            "(%(left)s left to confirm)."
                        )
                        % {
                            "line": label,
                            "qty": _num(quantity),
                            "total": _num(already + quantity),
                            "ordered": _num(line.quantity),
                            "left": _num(line.quantity - already),
                        }
                    ]
                }
            )
        confirmation = POLineConfirmation.objects.create(
            line=line,
            quantity=quantity,
            promised_date=promised_date,
            confirmed_by=(confirmed_by or "").strip()[:100],
            note=(note or "").strip()[:300],
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        latest = max(POLineConfirmation.objects.filter(line=line).values_list("promised_date", flat=True))
        update: dict[str, object] = {"expected_date": latest}
        if already + quantity >= line.quantity and line.status == POLineStatus.OPEN:
            update["status"] = POLineStatus.CONFIRMED
        PurchaseOrderLine.objects.filter(pk=line.pk).update(**update)
        audit_for_orders(
            actor=actor,
            obj=po,
            action="po_line_confirmed",
            order_ids=_line_order_ids(line),
            note=lambda lb=label, q=_num(quantity), d=promised_date: (  # noqa: B008
                _("Line %(line)s: %(qty)s confirmed for %(date)s")
                % {"line": lb, "qty": q, "date": d.isoformat()}
            ),
            changes={"expected_date": [str(line.expected_date or ""), str(latest)]},
        )
        tracking.lines_moved(line_ids=[line.pk], actor=actor)
        _settle(actor=actor, po=po)
    return confirmation


# ------------------------------------------------------------------------------------- changes


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for the change.")]})
    return reason[:REASON_MAX]


def _changeable(line: PurchaseOrderLine) -> None:
    po = line.order
    label = f"{po.number} / {line.position}"
    if po.status not in PO_OPEN_STATES:
        raise WorkflowConflict(
            _("Purchase order %(number)s is “%(status)s”: its lines can no longer change.")
            % {"number": po.number, "status": po.get_status_display()}
        )
    if line.status not in PO_LINE_OPEN_STATES:
        raise WorkflowConflict(
            _("Line %(line)s is “%(status)s”: it can no longer change.")
            % {"line": label, "status": line.get_status_display()}
        )


def _record(*, actor, line: PurchaseOrderLine, kind: str, old: str, new: str, reason: str) -> POLineChange:
    change = POLineChange.objects.create(
        line=line,
        kind=kind,
        old_value=old[:100],
        new_value=new[:100],
        reason=reason,
        changed_by=actor if getattr(actor, "pk", None) else None,
    )
    label = f"{line.order.number} / {line.position}"
    audit_for_orders(
        actor=actor,
        obj=line.order,
        action="po_line_changed" if kind != LineChangeKind.CANCEL else "po_line_cancelled",
        order_ids=_line_order_ids(line),
        # Prices are not for every reader of the order's timeline: the note names the kind only.
        note=lambda lb=label, k=kind, r=reason: (
            _("Line %(line)s: %(change)s changed (%(reason)s)")
            % {"line": lb, "change": LineChangeKind(k).label, "reason": r}
            if k != LineChangeKind.CANCEL
            else _("Line %(line)s cancelled (%(reason)s)") % {"line": lb, "reason": r}
        ),
    )
    return change


def po_line_change(
    *,
    actor,
    line: PurchaseOrderLine | int,
    quantity: Decimal | None = None,
    delivery_date: dt.date | None = None,
    unit_price: Decimal | None = None,
    reason: str,
) -> list[POLineChange]:
    """Change a line's quantity, delivery date or unit price: one recorded change per value, with
    the reason. The quantity never goes below what was received."""
    reason = _reason(reason)
    with transaction.atomic():
        line = _line_for(actor, line, "change")
        _changeable(line)
        label = f"{line.order.number} / {line.position}"
        made: list[POLineChange] = []
        if quantity is not None and quantity != line.quantity:
            if quantity <= 0:
                raise ValidationError(
                    {
                        "quantity": [
                            _("Line %(line)s: the quantity must be above zero (cancel the line instead).")
                            % {"line": label}
                        ]
                    }
                )
            if quantity < line.received_qty:
                raise ValidationError(
                    {
                        "quantity": [
                            _(
                                "Line %(line)s: %(received)s have already been received; the quantity cannot be less."
                            )
                            % {"line": label, "received": _num(line.received_qty)}
                        ]
                    }
                )
            won = PurchaseOrderLine.objects.filter(
                pk=line.pk, quantity=line.quantity, received_qty__lte=quantity
            ).update(quantity=quantity)
            if not won:
                raise WorkflowConflict(
                    _("Someone else changed line %(line)s first; reload and try again.") % {"line": label}
                )
            made.append(
                _record(
                    actor=actor,
                    line=line,
                    kind=LineChangeKind.QUANTITY,
                    old=_num(line.quantity),
                    new=_num(quantity),
                    reason=reason,
                )
            )
            confirmed = _confirmed_sum(line.pk)
            if line.status == POLineStatus.CONFIRMED and confirmed < quantity:
                PurchaseOrderLine.objects.filter(pk=line.pk).update(status=POLineStatus.OPEN)
            elif line.status == POLineStatus.OPEN and confirmed >= quantity:
                PurchaseOrderLine.objects.filter(pk=line.pk).update(status=POLineStatus.CONFIRMED)
            line.quantity = quantity
        if delivery_date is not None and delivery_date != line.delivery_date:
            PurchaseOrderLine.objects.filter(pk=line.pk).update(delivery_date=delivery_date)
            made.append(
                _record(
                    actor=actor,
                    line=line,
                    kind=LineChangeKind.DATE,
                    old=line.delivery_date.isoformat(),
                    new=delivery_date.isoformat(),
                    reason=reason,
                )
            )
        if unit_price is not None and unit_price != line.unit_price:
            if unit_price < 0:
                raise ValidationError(
                    {"unit_price": [_("Line %(line)s: the unit price cannot be negative.") % {"line": label}]}
                )
            PurchaseOrderLine.objects.filter(pk=line.pk).update(unit_price=unit_price)
            made.append(
                _record(
                    actor=actor,
                    line=line,
                    kind=LineChangeKind.PRICE,
                    old=_num(line.unit_price),
                    new=_num(unit_price),
                    reason=reason,
                )
            )
        if not made:
            raise ValidationError({"reason": [_("Line %(line)s: nothing to change.") % {"line": label}]})
        tracking.lines_moved(line_ids=[line.pk], actor=actor)
        if line.order.status in (POStatus.SENT, POStatus.CONFIRMED):
            _settle(actor=actor, po=line.order)
    return made


def _cancel_open(*, actor, line: PurchaseOrderLine, reason: str) -> POLineChange:
    """Cancel what is still open of a line: nothing received → the line is cancelled; partly received
    → its quantity becomes what was received (the line is then received in full)."""
    label = f"{line.order.number} / {line.position}"
    if line.received_qty > 0:
        won = PurchaseOrderLine.objects.filter(
            pk=line.pk, quantity=line.quantity, received_qty=line.received_qty, status__in=PO_LINE_OPEN_STATES
        ).update(quantity=line.received_qty, status=POLineStatus.RECEIVED)
        new = _num(line.received_qty)
    else:
        won = PurchaseOrderLine.objects.filter(
            pk=line.pk, received_qty=0, status__in=PO_LINE_OPEN_STATES
        ).update(status=POLineStatus.CANCELLED)
        new = "0"
    if not won:
        raise WorkflowConflict(
            _("Someone else changed line %(line)s first; reload and try again.") % {"line": label}
        )
    return _record(
        actor=actor, line=line, kind=LineChangeKind.CANCEL, old=_num(line.open_qty), new=new, reason=reason
    )


def po_line_cancel(*, actor, line: PurchaseOrderLine | int, reason: str) -> POLineChange:
    """Cancel what is still open of one line, with the reason."""
    reason = _reason(reason)
    with transaction.atomic():
        line = _line_for(actor, line, "change")
        _changeable(line)
        change = _cancel_open(actor=actor, line=line, reason=reason)
        tracking.lines_moved(line_ids=[line.pk], actor=actor)
        if line.order.status in (POStatus.SENT, POStatus.CONFIRMED):
            _settle(actor=actor, po=line.order)
    return change


def po_cancel(*, actor, po: PurchaseOrder | int, reason: str) -> PurchaseOrder:
    """Cancel a whole PO of which nothing was received: every open line is cancelled with the reason."""
    reason = _reason(reason)
    with transaction.atomic():
        po = po_for(actor, po if isinstance(po, int) else po.pk, PO_STEP_ACTION[POStep.CANCEL])
        lines = list(PurchaseOrderLine.objects.select_for_update().filter(order=po))
        if any(line.received_qty > 0 for line in lines):
            raise ValidationError(
                {
                    "reason": [
                        _("Goods were already received against %(number)s: close it instead.")
                        % {"number": po.number}
                    ]
                }
            )
        old = po.status
        _move(actor=actor, po=po, to=POStatus.CANCELLED, extra={"closed_at": timezone.now()})
        moved = []
        for line in lines:
            if line.status in PO_LINE_OPEN_STATES:
                line.order = po
                _cancel_open(actor=actor, line=line, reason=reason)
                moved.append(line.pk)
        audit_for_orders(
            actor=actor,
            obj=po,
            action="po_cancelled",
            order_ids=order_ids_of(po),
            note=reason,
            changes={"status": [old, POStatus.CANCELLED]},
        )
        if moved:
            tracking.lines_moved(line_ids=moved, actor=actor)
    return po


def po_close(*, actor, po: PurchaseOrder | int, reason: str = "") -> PurchaseOrder:
    """Close a sent PO: what is still open of its lines is cancelled (a reason is needed then)."""
    reason = (reason or "").strip()[:REASON_MAX]
    with transaction.atomic():
        po = po_for(actor, po if isinstance(po, int) else po.pk, PO_STEP_ACTION[POStep.CLOSE])
        lines = list(PurchaseOrderLine.objects.select_for_update().filter(order=po))
        still_open = [line for line in lines if line.status in PO_LINE_OPEN_STATES]
        if still_open and not reason:
            raise ValidationError(
                {
                    "reason": [
                        _("%(n)s lines are still open: give the reason for closing.") % {"n": len(still_open)}
                    ]
                }
            )
        old = po.status
        _move(actor=actor, po=po, to=POStatus.CLOSED, extra={"closed_at": timezone.now()})
        for line in still_open:
            line.order = po
            _cancel_open(actor=actor, line=line, reason=reason)
        audit_for_orders(
            actor=actor,
            obj=po,
            action="po_closed",
            order_ids=order_ids_of(po),
            note=reason,
            changes={"status": [old, POStatus.CLOSED]},
        )
        if still_open:
            tracking.lines_moved(line_ids=[line.pk for line in still_open], actor=actor)
    return po
