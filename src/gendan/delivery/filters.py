"""The shipment list's filters, serving the page, its Excel export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet

from .choices import Method, ShipmentStatus
from .models import Shipment


class ShipmentFilter(FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ShipmentStatus.choices)
    method = django_filters.ChoiceFilter(label=_("Delivery method"), choices=Method.choices)
    customer = django_filters.CharFilter(label=_("Customer"), method="filter_customer")
    order = django_filters.CharFilter(label=_("Order number"), method="filter_order")
    date_from = django_filters.DateFilter(label=_("From"), field_name="planned_at__date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="planned_at__date", lookup_expr="lte")

    class Meta:
        model = Shipment
        fields = ["status", "method", "customer", "order", "date_from", "date_to"]

    def filter_customer(self, queryset, name, value):
        value = (value or "").strip()[:60]
        if not value:
            return queryset
        return queryset.filter(
            Q(order__customer__code__icontains=value)
            | Q(order__customer__name__icontains=value)
            | Q(order__customer__name_en__icontains=value)
        )

    def filter_order(self, queryset, name, value):
        value = (value or "").strip()[:30]
        return queryset.filter(order__number__icontains=value) if value else queryset
