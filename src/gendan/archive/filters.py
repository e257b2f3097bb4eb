"""The archive's search (档案检索): one FilterSet for the page and the API. Text filters become
`… IN (subquery)` on the small tables (orders, customers, products), so the documents table is
read through its own indexes whatever the number of rows."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.filters import FilterSet
from gendan.masterdata.models import Customer, Product
from gendan.orders.models import Order

from .choices import Level, LogAction
from .models import AccessLog, Document
from .sources import kind_choices


class DocumentFilter(FilterSet):
    order = django_filters.CharFilter(label=_("Order number"), method="filter_order", max_length=40)
    customer = django_filters.CharFilter(label=_("Customer"), method="filter_customer", max_length=100)
    product = django_filters.CharFilter(label=_("Product"), method="filter_product", max_length=100)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=kind_choices)
    level = django_filters.ChoiceFilter(label=_("Confidentiality"), choices=Level.choices)
    date_from = django_filters.DateFilter(label=_("Filed from"), field_name="filed_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("Filed until"), field_name="filed_on", lookup_expr="lte")
    q = django_filters.CharFilter(
        label=pgettext_lazy("document", "Title"), field_name="title", lookup_expr="icontains", max_length=100
    )

    class Meta:
        model = Document
        fields = ["order", "customer", "product", "kind", "level", "date_from", "date_to", "q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.form.fields[name].widget.input_type = "date"

    def filter_order(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(order_id__in=Order.objects.filter(number__icontains=value).values("pk"))

    def filter_customer(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(code__icontains=value) | Q(name__icontains=value) | Q(name_en__icontains=value)
        return queryset.filter(customer_id__in=Customer.objects.filter(match).values("pk"))

    def filter_product(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(code__icontains=value) | Q(name__icontains=value) | Q(name_en__icontains=value)
        products = Product.objects.filter(match).values("pk")
        # A document names its product, or belongs to an order with a line of it.
        return queryset.filter(
            Q(product_id__in=products)
            | Q(order_id__in=Order.objects.filter(lines__product_id__in=products).values("pk"))
        )


class AccessLogFilter(FilterSet):
    user = django_filters.CharFilter(label=_("User"), method="filter_user", max_length=100)
    order = django_filters.CharFilter(label=_("Order number"), method="filter_order", max_length=40)
    action = django_filters.ChoiceFilter(label=_("Action"), choices=LogAction.choices)
    date_from = django_filters.DateFilter(label=_("From"), field_name="at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label=_("Until"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AccessLog
        fields = ["user", "order", "action", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.form.fields[name].widget.input_type = "date"

    def filter_user(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(user__username__icontains=value) | Q(user__display_name__icontains=value))

    def filter_order(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(document__order__number__icontains=value)
