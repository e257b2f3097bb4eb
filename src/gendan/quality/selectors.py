"""Incoming inspection's reads, restricted to what the user may see."""

from django.db.models import QuerySet

from gendan.purchasing.choices import ReceiptStatus
from gendan.purchasing.models import Receipt

from .filters import InspectionFilter
from .models import Inspection, SwitchingState


def inspection_list(*, user, filters=None, request=None) -> QuerySet[Inspection]:
    qs = Inspection.objects.restrict(user, "view").select_related(
        "receipt__line__order", "supplier", "material", "inspector"
    )
    if filters:
        qs = InspectionFilter(filters, queryset=qs, request=request).qs
    return qs


def inspection_detail(*, user, pk: int) -> Inspection:
    return (
        inspection_list(user=user)
        .select_related("receipt__warehouse", "receipt__case")
        .prefetch_related("defects__code", "defects__recorded_by", "photos")
        .get(pk=pk)
    )


def inspection_queue(*, user) -> QuerySet[Receipt]:
    """Receipts waiting in inspection (not started, or started and open), oldest first, for a user
    who may read inspections and receipts."""
    if not Inspection.objects.all().role_allows(user, "view"):
        return Receipt.objects.none()
    return (
        Receipt.objects.restrict(user, "view")
        .filter(status=ReceiptStatus.IN_INSPECTION)
        .select_related("line__order__supplier", "line__material", "inspection__inspector")
        .order_by("received_at", "pk")
    )


def switching_for(*, supplier_id: int, material_id: int) -> SwitchingState | None:
    return SwitchingState.objects.filter(supplier_id=supplier_id, material_id=material_id).first()


def inspection_attention(user) -> list:
    """Home page: an inspector sees the goods waiting for incoming inspection."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from gendan.core.attention import AttentionItem

    if not Inspection.objects.all().role_allows(user, "add") or getattr(user, "is_admin", False):
        return []
    waiting = inspection_queue(user=user)
    count = waiting.count()
    if not count:
        return []
    url = reverse("quality:queue")
    examples = [
        (f"{r.number} · {r.line.material.code} · {r.quantity.normalize():f}", url) for r in waiting[:5]
    ]
    return [AttentionItem(_("Goods waiting for incoming inspection"), count, url, examples, "warn")]
