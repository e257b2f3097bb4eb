"""One filter set for the purchase plan list, serving the page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet

from .choices import PlanStatus
from .models import PurchasePlan
from .selectors_plans import pending_for


class PurchasePlanFilter(FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlanStatus.choices)
    number = django_filters.CharFilter(label=_("Number"), method="filter_number")
    mine = django_filters.BooleanFilter(label=_("Awaiting my decision"), method="filter_mine")

    class Meta:
        model = PurchasePlan
        fields = ["status", "number", "mine"]

    def filter_number(self, queryset, name, value):
        value = value.strip()[:20]
        return queryset.filter(number__icontains=value) if value else queryset

    def filter_mine(self, queryset, name, value):
        if value is None:
            return queryset
        user = getattr(self.request, "user", None)
        plans = pending_for(user).values("line__plan_id") if user else []
        return queryset.filter(pk__in=plans) if value else queryset.exclude(pk__in=plans)
