"""Customer changes after release (R-1.6): change requests, their impact, approval, versions."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.core.exceptions import WorkflowConflict
from gendan.core.i18n import localized, str_in_both, unit_label
from gendan.engine.scheduler import SchedulingError
from gendan.inventory.models import StockLevel
from gendan.masterdata.services import bom_explode
from gendan.notifications.services import notify

from ..capacity import promise_order
from ..choices import LINE_CHANGE_FIELDS, RELEASED_STATES, ChangeKind, ChangeStatus, OrderStatus, Step
from ..hooks import after_change_approved
from ..messages import limit_text
from ..models import ChangeRequest, Order, OrderLine, OrderVersion
from ..tasks import change_capacity_task
from .common import audit, move_status, order_for, order_snapshot
from .release import acknowledgements_request, order_url, store_order_copy

# Impact lines are stored as a key and parameters and worded when shown (reader's language).
IMPACT_MESSAGES = {
    "acks": gettext_lazy(
        "Production, purchasing and quality will be asked to acknowledge version %(version)s."
    ),
    "no_plan": gettext_lazy(
        "No production plan or purchase order exists for this order yet; nothing to re-plan."
    ),
    "material_more": gettext_lazy("Needs %(qty)s more %(unit)s of %(item)s (on hand %(stock)s)."),
    "material_short": gettext_lazy(
        "Needs %(qty)s more %(unit)s of %(item)s, but only %(stock)s on hand: a purchase is needed."
    ),
    "material_less": gettext_lazy("Needs %(qty)s %(unit)s less of %(item)s."),
    "date_earlier": gettext_lazy(
        "Delivery moves %(days)s days earlier, to %(date)s: check capacity and materials."
    ),
    "date_later": gettext_lazy("Delivery moves %(days)s days later, to %(date)s."),
    "date_lead_time": gettext_lazy("The new date is shorter than the product's lead time of %(lead)s days."),
    "spec_change": gettext_lazy(
        "Specification changes from “%(old)s” to “%(new)s”: BOM and inspection standard may differ."
    ),
    "packaging_change": gettext_lazy(
        "Packaging changes: packaging materials and the packing operation are affected."
    ),
    "capacity_ok": gettext_lazy("Capacity and materials allow %(qty)s by %(date)s."),
    "capacity_late": gettext_lazy(
        "The factory can finish %(qty)s by %(earliest)s at the earliest, after %(date)s (limited by %(limit)s)."
    ),
    "capacity_unknown": gettext_lazy(
        "Capacity could not be checked (no routing, a date in the past, or beyond the planning horizon)."
    ),
    "hold": gettext_lazy("All departments stop work on this order until it is resumed."),
    "cancel": gettext_lazy("The order is cancelled: open work and purchases for it must be stopped."),
}


def _plain(value: Any) -> str:
    """Numbers as people write them (150, not 1.5E+2)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def impact_text(item: dict[str, Any]) -> str:
    """An impact line worded for the reader: names in their language, units as they say them."""
    template = IMPACT_MESSAGES.get(item.get("key", ""))
    if template is None:
        return str(item.get("key", ""))
    params = localized(item.get("params", {}))
    if "unit" in params:
        params["unit"] = unit_label(params["unit"])
    if "limit_kind" in params:
        params["limit"] = limit_text(params)
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def _parse(kind: str, raw: str, line: OrderLine | None) -> Any:
    raw = (raw or "").strip()
    if kind == ChangeKind.QUANTITY:
        try:
            quantity = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            raise ValidationError({"new_value": _("Enter the new quantity as a number.")}) from None
        if quantity <= 0:
            raise ValidationError({"new_value": _("The new quantity must be more than zero.")})
        return quantity
    if kind == ChangeKind.DELIVERY_DATE:
        try:
            date = dt.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError({"new_value": _("Enter the new date as YYYY-MM-DD.")}) from None
        if date < timezone.localdate():
            raise ValidationError({"new_value": _("The new delivery date is in the past.")})
        return date
    if kind in (ChangeKind.SPEC, ChangeKind.PACKAGING):
        if not raw:
            raise ValidationError({"new_value": _("Enter the new value.")})
        return raw
    return raw


def change_impact(order: Order, kind: str, line: OrderLine | None, new: Any) -> list[dict[str, Any]]:
    """What a change touches: materials (BOM delta against stock), dates, plans, acknowledgements."""
    impact: list[dict[str, Any]] = []
    if kind == ChangeKind.QUANTITY and line and line.product and line.quantity is not None:
        delta = Decimal(new) - line.quantity
        if delta:
            needs = bom_explode(line.product, abs(delta))
            materials = [n for n in needs if n["line"].component_material_id]
            stock = dict(
                StockLevel.objects.filter(material__in=[n["line"].component_material_id for n in materials])
                .values("material")
                .annotate(q=Sum("quantity"))
                .values_list("material", "q")
            )
            for need in materials[:12]:
                material = need["line"].component_material
                qty = need["quantity"].quantize(Decimal("0.01"))
                on_hand = stock.get(material.pk) or Decimal(0)
                if delta > 0:
                    key = "material_short" if on_hand < need["quantity"] else "material_more"
                else:
                    key = "material_less"
                impact.append(
                    {
                        "key": key,
                        "params": {
                            "qty": _plain(qty),
                            "unit": material.unit,
                            "item": str_in_both(material),
                            "stock": _plain(on_hand),
                        },
                    }
                )
    if kind == ChangeKind.DELIVERY_DATE and line and line.delivery_date:
        days = (new - line.delivery_date).days
        key = "date_earlier" if days < 0 else "date_later"
        impact.append({"key": key, "params": {"days": abs(days), "date": new.isoformat()}})
        if line.product and new < timezone.localdate() + dt.timedelta(days=line.product.lead_time_days):
            impact.append({"key": "date_lead_time", "params": {"lead": line.product.lead_time_days}})
    if kind == ChangeKind.SPEC and line:
        impact.append({"key": "spec_change", "params": {"old": line.spec, "new": str(new)}})
    if kind == ChangeKind.PACKAGING:
        impact.append({"key": "packaging_change", "params": {}})
    if kind == ChangeKind.HOLD:
        impact.append({"key": "hold", "params": {}})
    if kind == ChangeKind.CANCEL:
        impact.append({"key": "cancel", "params": {}})
    if kind in LINE_CHANGE_FIELDS:
        impact.append({"key": "acks", "params": {"version": order.version + 1}})
    impact.append({"key": "no_plan", "params": {}})
    return impact


def _status_target(order: Order, kind: str) -> str | None:
    """The status a hold, resume or cancel request takes the order to (None for line changes)."""
    if kind == ChangeKind.HOLD:
        return OrderStatus.ON_HOLD
    if kind == ChangeKind.RESUME:
        return order.held_from or None
    if kind == ChangeKind.CANCEL:
        return OrderStatus.CANCELLED
    return None


def change_request_create(
    *,
    actor,
    order_id: int,
    kind: str,
    reason: str,
    line_id: int | None = None,
    new_value: str = "",
    customer_reference: str = "",
) -> ChangeRequest:
    """Record a change the customer asked for (or a hold / cancel), with its impact, to approve."""
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": _("Choose what changes.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    with transaction.atomic():
        order = order_for(actor, order_id, "change", lock=True)
        if not order.is_after_release:
            raise WorkflowConflict(
                _("Before release the order is edited directly; change requests are for released orders.")
            )
        if kind == ChangeKind.RESUME and order.status != OrderStatus.ON_HOLD:
            raise ValidationError({"kind": _("Only an order on hold can be resumed.")})
        if kind == ChangeKind.HOLD and order.status == OrderStatus.ON_HOLD:
            raise ValidationError({"kind": _("The order is already on hold.")})
        target = _status_target(order, kind)
        if target is not None and order.step_to(target) != Step.CHANGE_REQUEST:
            # e.g. cancelling an order that has shipped: no change request can do that.
            raise WorkflowConflict(
                _("An order that is “%(current)s” cannot become “%(target)s”.")
                % {"current": order.get_status_display(), "target": OrderStatus(target).label}
            )
        line = None
        if kind in LINE_CHANGE_FIELDS:
            if line_id is None:
                raise ValidationError({"line": _("Choose the order line that changes.")})
            line = order.lines.filter(pk=line_id, is_cancelled=False).select_related("product").first()
            if line is None:
                raise ValidationError({"line": _("That line is not part of this order.")})
        new = _parse(kind, new_value, line)
        # A hold, resume or cancel starts from the order's status (its label is shown to the reader).
        old = getattr(line, LINE_CHANGE_FIELDS[kind]) if line is not None else order.status
        number = (order.changes.aggregate(m=Max("number"))["m"] or 0) + 1
        change = ChangeRequest.objects.create(
            order=order,
            number=number,
            kind=kind,
            line=line,
            old_value="" if old is None else _plain(old)[:300],
            new_value=_plain(new)[:300],
            reason=reason.strip(),
            customer_reference=customer_reference.strip(),
            impact=change_impact(order, kind, line, new),
            requested_by=actor,
        )
        if change.wants_capacity_check:
            transaction.on_commit(lambda: change_capacity_task.enqueue(change.pk))
        audit(
            actor,
            change,
            "change_requested",
            order,
            note=lambda c=change: f"{c.get_kind_display()}: {c.shown_old_value} → {c.new_value}. {c.reason}",
        )
        notify(
            event="order.change_requested",
            recipients=change_approvers(change),
            title=lambda lang, o=order.number, c=change: (
                _("Change request %(n)s on order %(number)s waits for your approval")
                % {"n": c.number, "number": o}
            ),
            url=order_url(order) + "#changes",
            obj=order,
        )
    return change


def change_request_check_capacity(*, change_id: int) -> ChangeRequest:
    """The same capable-to-promise question the review asks, for the quantity or date the customer
    wants now: its answer (the earliest date, what limits it) is added to the change's impact.
    Run by the worker: on a busy factory the engine takes seconds."""
    change = ChangeRequest.objects.select_related("order", "line", "line__product").get(pk=change_id)
    line = change.line
    if not change.capacity_pending or line is None:
        return change
    value = _parse(change.kind, change.new_value, line)
    if change.kind == ChangeKind.QUANTITY:
        line.quantity = value
    else:
        line.delivery_date = value
    try:
        answers = promise_order(change.order, lines=[line])
    except SchedulingError:
        answers = []
    due = line.delivery_date
    if not answers or due is None or line.quantity is None:
        item = {"key": "capacity_unknown", "params": {}}
    else:
        answer = answers[0]
        params: dict[str, Any] = {"qty": _plain(line.quantity), "date": due.isoformat()}
        if answer.possible or answer.earliest <= due:
            item = {"key": "capacity_ok", "params": params}
        else:
            params |= {
                "earliest": answer.earliest.isoformat(),
                "limit_kind": answer.limit,
                "limit_item": answer.limit_item or "",
            }
            item = {"key": "capacity_late", "params": params}
    with transaction.atomic():
        locked = ChangeRequest.objects.select_for_update().get(pk=change_id)
        # The answer goes before the generic lines (acknowledgements, plans).
        impact = [i for i in locked.impact if not str(i.get("key", "")).startswith("capacity_")]
        position = next((n for n, i in enumerate(impact) if i.get("key") in ("acks", "no_plan")), len(impact))
        impact.insert(position, item)
        ChangeRequest.objects.filter(pk=change_id).update(impact=impact, capacity_checked_at=timezone.now())
    change.refresh_from_db()
    return change


def change_approvers(change: ChangeRequest) -> list[User]:
    """Who is asked to decide a change: the department's manager where he may (the rule is
    ChangeRequestQuerySet's), else management."""
    order = change.order
    department = order.merchandiser.department if order.merchandiser else None
    manager = department.manager if department is not None else None
    candidates = [manager] if manager is not None and manager.is_active else []
    approvers = [u for u in candidates if ChangeRequest.objects.allows(u, change, "approve")]
    if approvers:
        return approvers
    management = User.objects.filter(role=Role.MANAGEMENT, is_active=True)
    return [u for u in management if ChangeRequest.objects.allows(u, change, "approve")]


def _decide(change_id: int, status: str, actor, note: str) -> ChangeRequest:
    # Only who may decide on this request (PermissionDenied otherwise).
    ChangeRequest.objects.get_for(actor, "approve", pk=change_id)
    won = ChangeRequest.objects.filter(pk=change_id, status=ChangeStatus.PENDING).update(
        status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note
    )
    if not won:
        raise WorkflowConflict(_("This change request was already decided."))
    return ChangeRequest.objects.select_related("order", "line").get(pk=change_id)


def change_request_approve(*, actor, change_id: int, note: str = "") -> ChangeRequest:
    """Apply the change: a new order version (earlier ones stay readable), new acknowledgements
    from the departments, and the status move for hold / resume / cancel."""
    with transaction.atomic():
        change = _decide(change_id, ChangeStatus.APPROVED, actor, note)
        order = Order.objects.select_for_update().get(pk=change.order_id)
        if not order.is_after_release:
            # A cancelled or closed order is final; the change can only be rejected now.
            raise WorkflowConflict(
                _("Order %(number)s is “%(status)s”: the change can no longer be applied.")
                % {"number": order.number, "status": order.get_status_display()}
            )
        if change.kind in LINE_CHANGE_FIELDS:
            if change.line_id is None:
                raise WorkflowConflict(_("This change request names no order line."))
            line = OrderLine.objects.select_related("product").get(pk=change.line_id)
            value = _parse(change.kind, change.new_value, line)
            field = LINE_CHANGE_FIELDS[change.kind]
            before = {field: str(getattr(line, field))}
            setattr(line, field, value)
            line.save(update_fields=[field])
            audit(
                actor,
                line,
                "update",
                order,
                changes={field: [before[field], change.new_value]},
                note=f"CR{change.number}",
            )
            Order.objects.filter(pk=order.pk).update(version=order.version + 1)
            order.refresh_from_db()
            OrderVersion.objects.create(
                order=order, number=order.version, data=order_snapshot(order), change=change, created_by=actor
            )
            ChangeRequest.objects.filter(pk=change.pk).update(resulting_version=order.version)
            # The departments get the new version's order copy with the request to acknowledge it.
            store_order_copy(actor=actor, order=order)
            if order.status in RELEASED_STATES:
                acknowledgements_request(actor=actor, order=order, version=order.version)
        elif change.kind == ChangeKind.HOLD:
            move_status(
                actor=actor,
                order=order,
                to=OrderStatus.ON_HOLD,
                step=Step.CHANGE_REQUEST,
                reason=change.reason,
                extra={"held_from": order.status},
            )
        elif change.kind == ChangeKind.RESUME:
            order = move_status(
                actor=actor,
                order=order,
                to=order.held_from or OrderStatus.RELEASED,
                step=Step.CHANGE_REQUEST,
                reason=change.reason,
                extra={"held_from": ""},
            )
            # A change approved during the hold made a version nobody was asked to acknowledge.
            if order.status in RELEASED_STATES:
                acknowledgements_request(actor=actor, order=order, version=order.version)
        elif change.kind == ChangeKind.CANCEL:
            move_status(
                actor=actor,
                order=order,
                to=OrderStatus.CANCELLED,
                step=Step.CHANGE_REQUEST,
                reason=change.reason,
            )
        audit(actor, change, "change_approved", order, note=note)
        order.refresh_from_db()
        after_change_approved(actor=actor, change=change, order=order)
        notify(
            event="order.change_approved",
            recipients=[
                u for u in [change.requested_by, order.merchandiser] if u is not None and u.pk != actor.pk
            ],
            title=lambda lang, o=order.number, c=change.number: (
                _("Change request %(n)s on order %(number)s approved") % {"n": c, "number": o}
            ),
            url=order_url(order),
            obj=order,
        )
        change.refresh_from_db()
    return change


def change_request_reject(*, actor, change_id: int, note: str) -> ChangeRequest:
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the change is rejected.")})
    with transaction.atomic():
        change = _decide(change_id, ChangeStatus.REJECTED, actor, note.strip())
        audit(actor, change, "change_rejected", change.order, note=note)
    return change


def version_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field differences between two version snapshots (header and lines by line number)."""
    rows = []
    for key in sorted(set(old.get("order", {})) | set(new.get("order", {}))):
        a, b = old.get("order", {}).get(key), new.get("order", {}).get(key)
        if a != b:
            rows.append({"line": None, "field": key, "old": a, "new": b})
    old_lines = {line["line_no"]: line for line in old.get("lines", [])}
    new_lines = {line["line_no"]: line for line in new.get("lines", [])}
    for no in sorted(set(old_lines) | set(new_lines)):
        a, b = old_lines.get(no, {}), new_lines.get(no, {})
        for key in sorted(set(a) | set(b)):
            if key in ("id", "line_no"):
                continue
            if a.get(key) != b.get(key):
                rows.append({"line": no, "field": key, "old": a.get(key), "new": b.get(key)})
    return rows
