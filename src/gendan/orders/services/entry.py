"""Orders in: create and edit an order with its lines, attachments, numbering (R-1.1, R-1.2)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.choices import Role
from gendan.core.audit import snapshot
from gendan.core.exceptions import WorkflowConflict
from gendan.core.permissions import require
from gendan.core.uploads import files_removed_on_rollback
from gendan.masterdata.models import DeliveryAddress

from ..choices import AttachmentKind, OrderStatus, Step
from ..models import Order, OrderLine
from .attachments import store_attachment
from .common import audit, move_status, order_for
from .review import review_after_edit

ORDER_FIELDS = frozenset(Order.ENTRY_FIELDS)
LINE_FIELDS = frozenset(OrderLine.ENTRY_FIELDS)


def next_order_number(today: date | None = None) -> str:
    """SO-YYYYMM-NNNN, counting up within the month."""
    today = today or timezone.localdate()
    prefix = f"SO-{today:%Y%m}-"
    # Longest first, then highest: SO-…-10000 comes after SO-…-9999 although it sorts lower as text.
    last = (
        Order.objects.filter(number__startswith=prefix)
        .order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def merchandiser_for(*, customer, actor):
    """Who owns an order entered without a merchandiser: a merchandiser's own order is his (he goes
    on with it at once); anyone else's goes to the customer's merchandiser."""
    if getattr(actor, "role", None) == Role.MERCHANDISER and actor.is_active:
        return actor
    return customer.merchandiser


def default_address(customer) -> DeliveryAddress | None:
    """The customer's default delivery address, or his only one; None when he has several and no
    default (the review then asks for it)."""
    return default_addresses([customer]).get(customer.pk)


def default_addresses(customers) -> dict[int, DeliveryAddress]:
    """default_address for many customers in one query (an Excel import)."""
    found: dict[int, list[DeliveryAddress]] = {}
    rows = DeliveryAddress.objects.filter(customer__in=customers, is_archived=False).order_by(
        "-is_default", "label"
    )
    for address in rows:
        found.setdefault(address.customer_id, []).append(address)
    return {
        customer_id: choices[0]
        for customer_id, choices in found.items()
        if choices[0].is_default or len(choices) == 1
    }


def _clean_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for index, raw in enumerate(lines, start=1):
        unknown = set(raw) - LINE_FIELDS - {"line_no"}
        if unknown:
            raise ValidationError(
                _("Unknown line fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
            )
        line = {k: v for k, v in raw.items() if k in LINE_FIELDS}
        line["line_no"] = raw.get("line_no") or index
        product = line.get("product")
        if product is not None:
            line.setdefault("product_code", product.code)
            if not line.get("spec"):
                line["spec"] = product.spec
        if line.get("quantity") is not None:
            line["quantity"] = Decimal(line["quantity"])
        cleaned.append(line)
    numbers = [line["line_no"] for line in cleaned]
    if len(numbers) != len(set(numbers)):
        raise ValidationError(_("Two lines have the same line number."))
    return cleaned


def _validate_header(data: dict[str, Any]) -> None:
    unknown = set(data) - ORDER_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be set here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if not data.get("customer"):
        raise ValidationError({"customer": _("Choose the customer.")})


def _check_address(order: Order) -> None:
    address = order.delivery_address
    if address is not None and address.customer_id != order.customer_id:
        raise ValidationError({"delivery_address": _("This delivery address belongs to another customer.")})


def order_create(
    *, actor, data: dict[str, Any], lines: list[dict[str, Any]], attachments=(), number: str | None = None
) -> Order:
    """Record an order as a draft. Problems in its content are review findings, not errors: an
    order with gaps can be recorded and then clarified with the customer."""
    require(actor, Order, "add")
    _validate_header(data)
    cleaned = _clean_lines(lines)
    for attempt in range(5):
        try:
            with files_removed_on_rollback(), transaction.atomic():
                order = Order(**data, number=number or next_order_number(), created_by=actor)
                if order.merchandiser_id is None:
                    order.merchandiser = merchandiser_for(customer=order.customer, actor=actor)
                if order.delivery_address_id is None:
                    order.delivery_address = default_address(order.customer)
                _check_address(order)
                order.full_clean(exclude=["number"] if number is None else None)
                order.save()
                for line in cleaned:
                    OrderLine.objects.create(order=order, **line)
                audit(
                    actor,
                    order,
                    "create",
                    order,
                    changes={k: [None, v] for k, v in snapshot(order).items() if v not in (None, "")},
                )
                for upload in attachments:
                    store_attachment(actor=actor, order=order, upload=upload, kind=AttachmentKind.CUSTOMER_PO)
            return order
        except IntegrityError:
            if number is not None or attempt == 4:
                raise
    raise AssertionError("unreachable")


def order_update(
    *, actor, order_id: int, data: dict[str, Any], lines: list[dict[str, Any]] | None = None
) -> Order:
    """Edit an order before release. Editing a reviewed order sends it back to review."""
    _validate_header(data)
    with transaction.atomic():
        order = order_for(actor, order_id, "change", lock=True)
        if not order.is_editable:
            raise WorkflowConflict(_("A released order changes only through change requests."))
        before = snapshot(order)
        for key, value in data.items():
            setattr(order, key, value)
        _check_address(order)
        order.full_clean()
        order.save()
        audit(actor, order, "update", order, before=before)
        if lines is not None:
            _replace_lines(actor, order, _clean_lines(lines))
        if order.status == OrderStatus.REVIEWED:
            move_status(
                actor=actor,
                order=order,
                to=OrderStatus.IN_REVIEW,
                step=Step.REOPEN_REVIEW,
                reason=_("Edited after review"),
            )
        if order.status != OrderStatus.DRAFT:
            # What the edit fixed (or broke) shows at once; the capacity answer was for the old
            # content, so marking reviewed waits for a new one.
            review_after_edit(actor=actor, order=order)
    return order


def _replace_lines(actor, order: Order, lines: list[dict[str, Any]]) -> None:
    existing = {line.line_no: line for line in order.lines.all()}
    for data in lines:
        line = existing.pop(data["line_no"], None)
        if line is None:
            line = OrderLine.objects.create(order=order, **data)
            audit(
                actor,
                line,
                "create",
                order,
                changes={k: [None, v] for k, v in snapshot(line).items() if v not in (None, "")},
            )
            continue
        before = snapshot(line)
        for key, value in data.items():
            setattr(line, key, value)
        line.save()
        after = snapshot(line)
        if after != before:
            audit(actor, line, "update", order, before=before, after=after)
    for line in existing.values():
        audit(
            actor,
            line,
            "delete",
            order,
            changes={k: [v, None] for k, v in snapshot(line).items() if v not in (None, "")},
        )
        line.findings.update(line=None)
        line.delete()
