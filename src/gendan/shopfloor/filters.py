"""One filter set per list, serving the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet, MasterFilterSet
from gendan.masterdata.models import WorkCentre

from .models import ProductionReport, ScrapReason


class ScrapReasonFilter(MasterFilterSet):
    search_fields = ("code", "name", "name_en")

    class Meta:
        model = ScrapReason
        fields = ["q", "archived"]


class ReportFilter(FilterSet):
    """Daily reports by date, work centre and order (number, or id from the order's page)."""

    date_from = django_filters.DateFilter(label=_("From"), field_name="work_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("To"), field_name="work_date", lookup_expr="lte")
    work_centre = django_filters.ModelChoiceFilter(
        label=_("work centre"), queryset=WorkCentre.objects.filter(is_archived=False)
    )
    order = django_filters.CharFilter(label=_("Order number"), method="filter_order")

    class Meta:
        model = ProductionReport
        fields = ["date_from", "date_to", "work_centre", "order"]

    def filter_order(self, queryset, name, value):
        value = value.strip()[:30]
        return queryset.filter(operation__order__number__icontains=value) if value else queryset
