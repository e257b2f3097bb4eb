"""What purchasing's services share: numbered documents (CG-, PO-, SH-<year>-<nnnn>)."""

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.audit import audit_record
from gendan.core.exceptions import WorkflowConflict
from gendan.orders.models import Order

NUMBER_ATTEMPTS = 8


def next_number(model: type[models.Model], prefix: str, year: int) -> str:
    start = f"{prefix}-{year}-"
    last = (
        model._default_manager.filter(number__startswith=start)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    tail = last.removeprefix(start) if last else ""
    return f"{start}{int(tail) + 1 if tail.isdigit() else 1:04d}"


def insert_numbered(obj: Any, prefix: str) -> Any:
    """Save a new document under the next free <prefix>-<year>-<nnnn>. Two people saving at once may
    read the same last number: the unique constraint refuses the second insert, which takes the next.
    (A purchase plan's number is shared by its versions, so only version 1 comes here.)"""
    year = timezone.localdate().year
    for _attempt in range(NUMBER_ATTEMPTS):
        obj.number = next_number(type(obj), prefix, year)  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
            return obj
        except IntegrityError:
            obj.pk = None
            continue
    raise WorkflowConflict(_("Could not give the document a number; please try again."))


def audit_for_orders(*, actor, obj: models.Model, action: str, order_ids, note="", changes=None) -> None:
    """A purchasing event on the timeline of each order it serves: the entry for the document
    itself (no scope: its own history shows it once), and one on each order (scope "order:<id>",
    the order as its object, the document named in its note), so every dossier shows it and no
    history shows it twice (an object's history is every entry of that object, whatever its scope)."""
    audit_record(actor=actor, obj=obj, action=action, note=note, changes=changes or {})

    def on_order():
        said = note() if callable(note) else note
        return f"{obj}: {said}" if said else str(obj)

    for order in Order.objects.filter(pk__in=set(order_ids)).order_by("pk"):
        audit_record(actor=actor, obj=order, action=action, note=on_order, changes={}, scope=order.scope)


def num(value: Decimal | None) -> str:
    """A quantity in a sentence: 200, never 2E+2 (Decimal.normalize's own text for 200.0000)."""
    if value is None:
        return ""
    return format(value.normalize(), "f")
