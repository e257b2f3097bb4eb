"""One filter set for the requirements list, serving the page and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet

from .models import MaterialRequirement, RequirementPeg


class RequirementFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Material"), method="filter_material")
    order = django_filters.CharFilter(label=_("Order number"), method="filter_order")
    date_from = django_filters.DateFilter(label=_("Needed from"), field_name="need_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Needed until"), field_name="need_date", lookup_expr="lte")
    to_buy = django_filters.BooleanFilter(label=_("To buy only"), method="filter_to_buy")
    late = django_filters.BooleanFilter(label=_("Order date passed"), field_name="late")
    unplanned = django_filters.BooleanFilter(label=_("For orders not yet planned"), field_name="unplanned")

    class Meta:
        model = MaterialRequirement
        fields = ["q", "order", "date_from", "date_to", "to_buy", "late", "unplanned"]

    def filter_material(self, queryset, name, value):
        value = value.strip()[:60]
        if not value:
            return queryset
        return queryset.filter(
            Q(material__code__icontains=value)
            | Q(material__name__icontains=value)
            | Q(material__name_en__icontains=value)
        )

    def filter_order(self, queryset, name, value):
        value = value.strip()[:30]
        if not value:
            return queryset
        pegs = RequirementPeg.objects.filter(requirement=OuterRef("pk"), order__number__icontains=value)
        return queryset.filter(Exists(pegs))

    def filter_to_buy(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(to_buy__gt=0) if value else queryset.filter(to_buy=0)
