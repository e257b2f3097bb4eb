"""One filter set each for the PO list and the open PO lines, serving the pages and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet
from gendan.masterdata.models import Supplier

from .choices import POLineStatus, POStatus
from .models import PlanLinePeg, PurchaseOrder, PurchaseOrderLine


def _text(value: str, limit: int = 60) -> str:
    return (value or "").strip()[:limit]


class POFilter(FilterSet):
    q = django_filters.CharFilter(label=_("PO number"), method="filter_number")
    supplier = django_filters.ModelChoiceFilter(
        label=_("Supplier"), queryset=Supplier.objects.order_by("code"), field_name="supplier"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=POStatus.choices)
    material = django_filters.CharFilter(label=_("Material"), method="filter_material")
    late = django_filters.BooleanFilter(label=_("With late lines"), field_name="has_late")
    order = django_filters.CharFilter(label=_("For order"), method="filter_order")

    class Meta:
        model = PurchaseOrder
        fields = ["q", "supplier", "status", "material", "late", "order"]

    def filter_order(self, queryset, name, value):
        value = _text(value, 30)
        if not value:
            return queryset
        pegs = PlanLinePeg.objects.filter(line__po_line__order=OuterRef("pk"), order__number__iexact=value)
        return queryset.filter(Exists(pegs))

    def filter_number(self, queryset, name, value):
        value = _text(value, 30)
        return queryset.filter(number__icontains=value) if value else queryset

    def filter_material(self, queryset, name, value):
        value = _text(value)
        if not value:
            return queryset
        lines = PurchaseOrderLine.objects.filter(order=OuterRef("pk")).filter(
            Q(material__code__icontains=value)
            | Q(material__name__icontains=value)
            | Q(material__name_en__icontains=value)
        )
        return queryset.filter(Exists(lines))


class OpenLineFilter(FilterSet):
    q = django_filters.CharFilter(label=_("PO number"), method="filter_number")
    supplier = django_filters.ModelChoiceFilter(
        label=_("Supplier"), queryset=Supplier.objects.order_by("code"), field_name="order__supplier"
    )
    material = django_filters.CharFilter(label=_("Material"), method="filter_material")
    status = django_filters.ChoiceFilter(
        label=_("Line status"),
        choices=[
            (s.value, s.label)
            for s in (POLineStatus.OPEN, POLineStatus.CONFIRMED, POLineStatus.PARTLY_RECEIVED)
        ],
    )
    late = django_filters.BooleanFilter(label=_("Late"), field_name="is_late")
    at_risk = django_filters.BooleanFilter(label=_("At risk"), field_name="is_at_risk")

    class Meta:
        model = PurchaseOrderLine
        fields = ["q", "supplier", "material", "status", "late", "at_risk"]

    def filter_number(self, queryset, name, value):
        value = _text(value, 30)
        return queryset.filter(order__number__icontains=value) if value else queryset

    def filter_material(self, queryset, name, value):
        value = _text(value)
        if not value:
            return queryset
        return queryset.filter(
            Q(material__code__icontains=value)
            | Q(material__name__icontains=value)
            | Q(material__name_en__icontains=value)
        )
