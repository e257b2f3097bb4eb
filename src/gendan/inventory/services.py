"""Stock changes only here, and only as a recorded movement (the ledger).

The balance update is a conditional UPDATE (`quantity + delta >= 0`), so two issues racing for the
last pieces cannot both succeed and the balance never goes below zero."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import InsufficientStock
from gendan.core.services import record_set_archived

from .choices import INBOUND, OUTBOUND, MovementKind
from .models import StockLevel, StockMovement, Warehouse


def stock_move(
    *,
    actor,
    warehouse: Warehouse,
    quantity: Decimal,
    kind: str,
    material=None,
    product=None,
    reference: str = "",
    note: str = "",
) -> StockMovement:
    """Record one movement and apply it to the balance. Positive = in, negative = out."""
    quantity = Decimal(quantity)
    if bool(material) == bool(product):
        raise ValidationError(_("Choose either a material or a product."))
    if kind not in MovementKind.values:
        raise ValidationError({"kind": _("Unknown movement kind.")})
    if quantity == 0:
        raise ValidationError({"quantity": _("The quantity must not be zero.")})
    if kind in INBOUND and quantity < 0:
        raise ValidationError({"quantity": _("Goods coming in need a positive quantity.")})
    if kind in OUTBOUND and quantity > 0:
        quantity = -quantity  # an issue of 5 is entered as 5 and stored as −5
    if warehouse.is_archived:
        raise ValidationError({"warehouse": _("The warehouse is archived.")})
    item = {"material": material} if material else {"product": product}
    with transaction.atomic():
        # Re-read under a lock: the warehouse may have been archived since the caller loaded it
        # (warehouse_set_archived takes the same row lock, so the two cannot interleave).
        # Lock by id alone: PostgreSQL then waits for a concurrent archive and reads its outcome.
        locked = Warehouse.objects.select_for_update(no_key=True).filter(pk=warehouse.pk)
        if locked.values_list("is_archived", flat=True).get():
            raise ValidationError({"warehouse": _("The warehouse is archived.")})
        try:
            with transaction.atomic():
                StockLevel.objects.get_or_create(warehouse=warehouse, **item)
        except IntegrityError:
            pass  # created by a concurrent movement a moment ago
        won = StockLevel.objects.filter(warehouse=warehouse, quantity__gte=-quantity, **item).update(
            quantity=F("quantity") + quantity
        )
        if not won:
            level = StockLevel.objects.get(warehouse=warehouse, **item)
            raise InsufficientStock(
                {
                    "quantity": _("Only %(on_hand)s on hand in %(warehouse)s; cannot take out %(qty)s.")
                    % {
                        # "f": 60 reads 60, not 6E+1
                        "on_hand": format(level.quantity.normalize(), "f"),
                        "warehouse": warehouse,
                        "qty": format((-quantity).normalize(), "f"),
                    }
                }
            )
        level = StockLevel.objects.get(warehouse=warehouse, **item)
        movement = StockMovement.objects.create(
            warehouse=warehouse,
            kind=kind,
            quantity=quantity,
            balance_after=level.quantity,
            reference=reference,
            note=note,
            created_by=actor if getattr(actor, "pk", None) else None,
            **item,
        )

        def audit_note() -> str:  # worded in both languages (the kind, the item's name)
            return f"{movement.get_kind_display()} {movement.item} {quantity.normalize()} {reference}".strip()

        audit_record(
            actor=actor,
            obj=movement,
            action="stock_move",
            changes={
                "quantity": [str((level.quantity - quantity).normalize()), str(level.quantity.normalize())]
            },
            note=audit_note,
        )
    return movement


def movement_create(*, actor, data: dict[str, Any]) -> StockMovement:
    return stock_move(actor=actor, **data)


def warehouse_set_archived(*, actor, pk, archived: bool) -> Warehouse:
    with transaction.atomic():
        # Lock the warehouse first so no movement can slip in between the check and the archive.
        Warehouse.objects.select_for_update().filter(pk=pk).exists()
        if archived and StockLevel.objects.filter(warehouse_id=pk, quantity__gt=0).exists():
            raise ValidationError(_("The warehouse still holds stock; move or issue it before archiving."))
        return record_set_archived(actor=actor, model=Warehouse, pk=pk, archived=archived)
