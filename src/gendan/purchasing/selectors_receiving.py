"""Receiving's reads: the open PO lines a keeper may receive against (found by PO number or
material), and the receipts a user may see."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from .choices import CaseStatus, POLineStatus, ReceiptStatus
from .models import PurchaseOrderLine, Receipt, SupplierCase
from .services.receiving import RECEIVABLE_LINE, RECEIVABLE_PO, REPLACEABLE_PO


def receivable_lines(*, user, search: str = "") -> QuerySet[PurchaseOrderLine]:
    """Open lines of sent or confirmed POs, for a user who may receive goods (none otherwise)."""
    if not Receipt.objects.all().role_allows(user, "add"):
        return PurchaseOrderLine.objects.none()
    # A line still open; or one awaiting a replacement for goods rejected (a supplier case open).
    open_cases = SupplierCase.objects.filter(receipt__line=OuterRef("pk")).exclude(status=CaseStatus.CLOSED)
    qs = PurchaseOrderLine.objects.filter(
        Q(order__status__in=RECEIVABLE_PO, status__in=RECEIVABLE_LINE)
        | Q(Exists(open_cases), order__status__in=REPLACEABLE_PO)
    ).exclude(status=POLineStatus.CANCELLED)
    search = (search or "").strip()[:60]
    if search:
        qs = qs.filter(
            Q(order__number__icontains=search)
            | Q(material__code__icontains=search)
            | Q(material__name__icontains=search)
            | Q(material__name_en__icontains=search)
        )
    return qs.select_related("order__supplier", "order__warehouse", "material").order_by(
        "delivery_date", "order__number", "position"
    )


def receipt_list(*, user, filters=None) -> QuerySet[Receipt]:
    from .filters_receiving import ReceiptFilter

    qs = Receipt.objects.restrict(user, "view").select_related(
        "line__order__supplier", "line__material", "warehouse", "received_by", "case"
    )
    if filters:
        qs = ReceiptFilter(filters, queryset=qs).qs
    return qs


def receipt_detail(*, user, pk: int) -> Receipt:
    return receipt_list(user=user).get(pk=pk)


def in_inspection(*, user) -> QuerySet[Receipt]:
    return receipt_list(user=user).filter(status=ReceiptStatus.IN_INSPECTION)
