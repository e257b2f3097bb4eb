"""One filter set per list, serving the pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet

from .choices import IssueKind
from .models import FinishedGoodsIn, MaterialIssue


def _text(value: str, limit: int = 30) -> str:
    return (value or "").strip()[:limit]


class IssueFilter(FilterSet):
    order = django_filters.CharFilter(label=_("Order number"), method="filter_order")
    material = django_filters.CharFilter(label=_("Material"), method="filter_material")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=IssueKind.choices)
    date_from = django_filters.DateFilter(label=_("From"), field_name="created_at__date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="created_at__date", lookup_expr="lte")

    class Meta:
        model = MaterialIssue
        fields = ["order", "material", "kind", "date_from", "date_to"]

    def filter_order(self, queryset, name, value):
        value = _text(value)
        return queryset.filter(order__number__icontains=value) if value else queryset

    def filter_material(self, queryset, name, value):
        value = _text(value, 60)
        if not value:
            return queryset
        return queryset.filter(
            Q(material__code__icontains=value)
            | Q(material__name__icontains=value)
            | Q(material__name_en__icontains=value)
        )


class FinishedFilter(FilterSet):
    order = django_filters.CharFilter(label=_("Order number"), method="filter_order")
    product = django_filters.CharFilter(label=_("Product"), method="filter_product")
    date_from = django_filters.DateFilter(label=_("From"), field_name="created_at__date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="created_at__date", lookup_expr="lte")

    class Meta:
        model = FinishedGoodsIn
        fields = ["order", "product", "date_from", "date_to"]

    def filter_order(self, queryset, name, value):
        value = _text(value)
        return queryset.filter(order__number__icontains=value) if value else queryset

    def filter_product(self, queryset, name, value):
        value = _text(value, 60)
        if not value:
            return queryset
        return queryset.filter(
            Q(product__code__icontains=value)
            | Q(product__name__icontains=value)
            | Q(product__name_en__icontains=value)
        )
