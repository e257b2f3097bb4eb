"""One filter set for the supplier case list, serving the page and the API."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet
from gendan.masterdata.models import Supplier

from .choices import CaseKind, CaseStatus
from .models import PlanLinePeg, SupplierCase


class SupplierCaseFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Case, material or supplier"), method="filter_search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Disposition"), choices=CaseKind.choices)
    supplier = django_filters.ModelChoiceFilter(label=_("Supplier"), queryset=Supplier.objects.all())
    state = django_filters.ChoiceFilter(
        label=_("Open or closed"),
        choices=[("open", _("Open")), ("closed", _("Closed"))],
        method="filter_state",
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue")
    order = django_filters.CharFilter(label=_("Order number"), method="filter_order")

    class Meta:
        model = SupplierCase
        fields = ["q", "status", "kind", "supplier", "state", "overdue", "order"]

    def filter_search(self, queryset, name, value):
        value = value.strip()[:60]
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(material__code__icontains=value)
            | Q(material__name__icontains=value)
            | Q(supplier__code__icontains=value)
            | Q(supplier__name__icontains=value)
            | Q(receipt__number__icontains=value)
        )

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.exclude(status=CaseStatus.CLOSED)
        if value == "closed":
            return queryset.filter(status=CaseStatus.CLOSED)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(due_date__lt=timezone.localdate()) & ~Q(status=CaseStatus.CLOSED)
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_order(self, queryset, name, value):
        """The cases of lots bought for an order (through the purchase plan line's pegs)."""
        value = value.strip()[:30]
        if not value:
            return queryset
        pegs = PlanLinePeg.objects.filter(line__po_line__receipts=OuterRef("receipt"), order__number=value)
        return queryset.filter(Exists(pegs))
