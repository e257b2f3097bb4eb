import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet, MasterFilterSet

from .choices import MovementKind
from .models import StockLevel, StockMovement, Warehouse


class WarehouseFilter(MasterFilterSet):
    search_fields = ("code", "name", "address")

    class Meta:
        model = Warehouse
        fields = ["q", "archived"]


class _ItemSearch(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(material__code__icontains=value)
            | Q(material__name__icontains=value)
            | Q(product__code__icontains=value)
            | Q(product__name__icontains=value)
        )


class StockLevelFilter(_ItemSearch):
    below_safety = django_filters.BooleanFilter(label=_("Below safety stock"), method="filter_below")

    class Meta:
        model = StockLevel
        fields = ["q", "warehouse", "below_safety"]

    def filter_below(self, queryset, name, value):
        if value:
            return queryset.filter(material__isnull=False, quantity__lt=F("material__safety_stock"))
        return queryset


class StockMovementFilter(_ItemSearch):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=MovementKind.choices)
    date_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte", label=_("to"))

    class Meta:
        model = StockMovement
        fields = ["q", "warehouse", "kind", "material", "product", "date_from", "date_to"]
