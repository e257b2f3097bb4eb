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
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.inventory.models import Warehouse

from ..choices import (
    ORDERABLE_PLAN_STATES,
    PO_LINE_OPEN_STATES,
    PO_STEP_ACTION,
    PlanLineStatus,
    POLineStatus,
    POStatus,
    POStep,
)
from ..models import (
    POLineConfirmation,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchasePlanLine,
)
from . import tracking
from .common import audit_for_orders, insert_numbered, num

# The changes live beside (po_changes.py); callers find every PO service here.
from .po_changes import po_cancel as po_cancel
from .po_changes import po_close as po_close
from .po_changes import po_line_cancel as po_line_cancel
from .po_changes import po_line_change as po_line_change
from .po_common import (
    HEADER_FIELDS,
    LANGUAGES,
    PDF_LANGUAGE,
    confirmed_sum,
    line_for,
    line_order_ids,
    move,
    order_ids_of,
    po_for,
    settle,
)

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
        # Only the line's own status in the WHERE: a condition through a join becomes a subquery,
        # which PostgreSQL does not evaluate again after waiting for the other purchaser's lock.
        won = PurchasePlanLine.objects.filter(pk__in=ids, status=PlanLineStatus.APPROVED).update(
            status=PlanLineStatus.ORDERED
        )
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
        move(
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
        line = line_for(actor, line, PO_STEP_ACTION[POStep.CONFIRM])
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
        already = confirmed_sum(line.pk)
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
                            "qty": num(quantity),
                            "total": num(already + quantity),
                            "ordered": num(line.quantity),
                            "left": num(line.quantity - already),
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
            order_ids=line_order_ids(line),
            note=lambda lb=label, q=num(quantity), d=promised_date: (  # noqa: B008
                _("Line %(line)s: %(qty)s confirmed for %(date)s")
                % {"line": lb, "qty": q, "date": d.isoformat()}
            ),
            changes={"expected_date": [str(line.expected_date or ""), str(latest)]},
        )
        tracking.lines_moved(line_ids=[line.pk], actor=actor)
        settle(actor=actor, po=po)
    return confirmation
