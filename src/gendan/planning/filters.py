"""One filter set for the plan list page and the API (/api/plans/)."""

from types import SimpleNamespace

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.core.filters import FilterSet
from gendan.masterdata.models import Customer
from gendan.orders.models import Order

from .choices import PlanState


class PlanFilter(FilterSet):
    """The tabs of the plan list (the plan state worked out by selectors.plan_list), a search on
    order number and customer, the merchandiser, and "mine" (his own orders)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)
    state = django_filters.ChoiceFilter(label=_("Plan"), choices=PlanState.choices, method="filter_state")
    merchandiser = django_filters.ModelChoiceFilter(
        label=_("merchandiser"), queryset=User.objects.filter(role=Role.MERCHANDISER)
    )
    customer = django_filters.ModelChoiceFilter(label=_("customer"), queryset=Customer.objects.all())
    mine = django_filters.BooleanFilter(label=_("My orders only"), method="filter_mine")

    class Meta:
        model = Order
        fields = ["q", "state", "merchandiser", "customer", "mine"]

    @classmethod
    def for_user(cls, data, *, queryset, user):
        return cls(data, queryset=queryset, request=SimpleNamespace(user=user))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(customer_po__icontains=value)
            | Q(customer__name__icontains=value)
            | Q(customer__code__icontains=value)
        )

    def filter_state(self, queryset, name, value):
        return queryset.filter(plan_state=value) if value else queryset

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if not value or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(merchandiser=user)
