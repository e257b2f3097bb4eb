"""The proof of delivery (签收单) of a shipped shipment, and the order closed by its merchandiser
once everything is delivered and none of its issues is open."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import DepartmentKind
from gendan.accounts.models import Department
from gendan.core.exceptions import WorkflowConflict
from gendan.core.uploads import check_upload, files_removed_on_rollback, save_file
from gendan.issues.choices import OPEN_STATES as ISSUE_OPEN_STATES
from gendan.issues.choices import IssueKind, Severity
from gendan.issues.models import Issue
from gendan.issues.services import issue_open
from gendan.orders.choices import OrderStatus, Step
from gendan.orders.models import Order
from gendan.orders.services.common import move_status, order_for
from gendan.stores.services import fmt, quantity_of

from .choices import ShipmentStatus
from .models import ProofOfDelivery, Shipment, ShipmentLine
from .services import (
    _all_reach,
    _audit,
    _live_lines,
    _move_order,
    _pk,
    _shipment,
    _step,
    _text,
    _when,
    accepted_of,
)

ZERO = Decimal(0)
S = ShipmentStatus
RECEIPT_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".pdf")
RECEIPT_MAX_BYTES = 10 * 1024 * 1024


# ---------------------------------------------------------------- proof of delivery


def check_receipt(upload) -> None:
    if upload is None:
        raise ValidationError({"file": _("Choose the photo or scan of the signed receipt.")})
    if upload.size > RECEIPT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is too large (%(size)s bytes); the limit is %(limit)s bytes.")
                % {"size": upload.size, "limit": RECEIPT_MAX_BYTES}
            }
        )
    try:
        check_upload(upload, allowed_suffixes=RECEIPT_SUFFIXES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


def delivery_record(
    *,
    actor,
    shipment_id: Any,
    upload,
    signed_by: str,
    signed_at: Any = None,
    received: dict[int, Any] | None = None,
    damaged: dict[int, Any] | None = None,
    note: str = "",
    order_id: Any = None,
) -> ProofOfDelivery:
    """Logistics records the signed receipt of a shipped shipment: per line what the customer
    received (all of it unless said) and what of it was damaged. A difference opens an issue."""
    shipment = _shipment(actor, shipment_id, "deliver", order_id=order_id)
    signed_by = _text(signed_by, "signed_by", 100, required=True, message=_("Who signed the receipt?"))
    note = _text(note, "note", 500)
    when = _when(signed_at, "signed_at", required=False) or timezone.now()
    check_receipt(upload)
    received, damaged = received or {}, damaged or {}
    lines = list(shipment.lines.select_related("order_line").order_by("order_line__line_no"))
    counted: list[tuple[ShipmentLine, Decimal, Decimal]] = []
    for line in lines:
        raw = received.get(line.pk, received.get(str(line.pk)))  # type: ignore[call-overload]
        got = line.quantity if raw in (None, "") else _zero_or_more(raw, "received", line)
        raw_bad = damaged.get(line.pk, damaged.get(str(line.pk)))  # type: ignore[call-overload]
        bad = ZERO if raw_bad in (None, "") else _zero_or_more(raw_bad, "damaged", line)
        if got > line.quantity:
            raise ValidationError(
                {
                    "received": _("Line %(line)s: more received than shipped (%(qty)s).")
                    % {"line": line.order_line.line_no, "qty": fmt(line.quantity)}
                }
            )
        if bad > got:
            raise ValidationError(
                {
                    "damaged": _("Line %(line)s: more damaged than received.")
                    % {"line": line.order_line.line_no}
                }
            )
        counted.append((line, got, bad))
    with files_removed_on_rollback(), transaction.atomic():
        _step(shipment, S.DELIVERED, delivered_at=when)
        proof = ProofOfDelivery(
            shipment=shipment,
            original_name=(upload.name or "receipt")[:255],
            size=upload.size or 0,
            signed_by=signed_by,
            signed_at=when,
            note=note,
            recorded_by=actor,
        )
        save_file(proof.file, upload.name or "receipt.jpg", upload)
        proof.save()
        differences = []
        for line, got, bad in counted:
            ShipmentLine.objects.filter(pk=line.pk).update(received=got, damaged=bad)
            if got < line.quantity or bad:
                differences.append((line, got, bad))
        if differences:
            proof.issue = _open_difference(actor, shipment, proof, differences)
            proof.save(update_fields=["issue"])
        _audit(actor, shipment, "shipment_delivered", lambda: _("Signed by %(name)s") % {"name": signed_by})
        order = Order.objects.get(pk=shipment.order_id)
        order_lines = _live_lines(order.pk)
        if order.status == OrderStatus.SHIPPED and _all_reach(
            order_lines, accepted_of([x.pk for x in order_lines])
        ):
            _move_order(actor, order, OrderStatus.DELIVERED, Step.DELIVER)
    return proof


def _zero_or_more(raw: Any, field: str, line: ShipmentLine) -> Decimal:
    if str(raw).strip() in ("0", "0.0", "0.00"):
        return ZERO
    try:
        return quantity_of(raw, field)
    except ValidationError as exc:
        raise ValidationError(
            {
                field: _("Line %(line)s: %(why)s")
                % {"line": line.order_line.line_no, "why": " ".join(exc.messages)}
            }
        ) from None


def _open_difference(actor, shipment: Shipment, proof: ProofOfDelivery, differences) -> Issue:
    parts = []
    for line, got, bad in differences:
        text = _("line %(line)s: shipped %(qty)s, received %(got)s") % {
            "line": line.order_line.line_no,
            "qty": fmt(line.quantity),
            "got": fmt(got),
        }
        if bad:
            text += _(", %(bad)s damaged") % {"bad": fmt(bad)}
        parts.append(text)
    description = "; ".join(parts) + (f"\n{proof.note}" if proof.note else "")
    return issue_open(
        actor=actor,
        kind=IssueKind.CUSTOMER,
        title=_("Delivery difference on %(number)s") % {"number": shipment.number},
        severity=Severity.HIGH,
        description=description,
        order=shipment.order,
        responsible_department=(
            Department.objects.filter(kind=DepartmentKind.LOGISTICS).order_by("pk").first()
            or getattr(shipment.order.merchandiser, "department", None)
        ),
        owner=shipment.order.merchandiser,
        fingerprint=f"pod:{proof.pk}",
    )


# ---------------------------------------------------------------- close the order


def close_refusal(order: Order) -> str | None:
    """Why the order cannot be closed now, or None. A delivered order closes when none of its issues
    is open. A shipped order whose every shipment has its proof of delivery was delivered short or
    damaged (it never reaches delivered): it closes the same way once the difference's issue is
    solved, which records how it was settled with the customer (goods accepted short, a credit
    note); its lines count as not delivered in full in the KPIs."""
    if order.status == OrderStatus.SHIPPED:
        under_way = list(
            order.shipments.exclude(status__in=[ShipmentStatus.DELIVERED, ShipmentStatus.CANCELLED])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if under_way:
            return _("Order %(number)s still has shipments under way: %(shipments)s.") % {
                "number": order.number,
                "shipments": ", ".join(Shipment(pk=pk).number for pk in under_way),
            }
    elif order.status != OrderStatus.DELIVERED:
        return _("Order %(number)s is “%(status)s”: only a delivered order is closed.") % {
            "number": order.number,
            "status": order.get_status_display(),
        }
    open_issues = list(
        Issue.objects.filter(order=order, status__in=ISSUE_OPEN_STATES)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if open_issues:
        return _("Order %(number)s still has open issues: %(issues)s. Close them first.") % {
            "number": order.number,
            "issues": ", ".join(open_issues),
        }
    return None


def order_close(*, actor, order_id: Any) -> Order:
    """The merchandiser closes a delivered order, or one delivered short whose difference is settled
    (`close_refusal`)."""
    order = order_for(actor, _pk(order_id), "change")
    refusal = close_refusal(order)
    if refusal:
        raise WorkflowConflict(refusal)
    with transaction.atomic():
        # Conditional on the status read: a second close, or a change in between, loses.
        return move_status(
            actor=actor, order=order, to=OrderStatus.CLOSED, step=Step.CLOSE, expected=order.status
        )
