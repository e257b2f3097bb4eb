"""One filter set for the receipts, serving the page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet

from .choices import ReceiptStatus
from .models import Receipt


class ReceiptFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Receipt, PO or material"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReceiptStatus.choices)
    received_from = django_filters.DateFilter(
        label=_("Received from"), field_name="received_at", lookup_expr="date__gte"
    )
    received_to = django_filters.DateFilter(
        label=_("Received to"), field_name="received_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Receipt
        fields = ["q", "status", "received_from", "received_to"]

    def filter_q(self, queryset, name, value):
        value = value.strip()[:60]
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(line__order__number__icontains=value)
            | Q(line__material__code__icontains=value)
            | Q(line__material__name__icontains=value)
            | Q(delivery_note__icontains=value)
        )
