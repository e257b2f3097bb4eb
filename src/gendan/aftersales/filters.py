import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet
from gendan.issues.choices import Severity

from .choices import Channel, ComplaintStatus
from .models import Complaint, Rating

ID_MAX = 2**63 - 1


class ComplaintFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ComplaintStatus.choices)
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    received_from = django_filters.DateFilter(
        label=_("Received from"), field_name="received_on", lookup_expr="gte"
    )
    received_to = django_filters.DateFilter(
        label=_("Received until"), field_name="received_on", lookup_expr="lte"
    )
    order = django_filters.NumberFilter(
        label=_("Order (id)"), field_name="order_id", min_value=1, max_value=ID_MAX
    )

    class Meta:
        model = Complaint
        fields = ["q", "status", "severity", "channel", "received_from", "received_to", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["order"].widget.input_type = "hidden"

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(order__number__icontains=value)
            | Q(order__customer__name__icontains=value)
            | Q(description__icontains=value)
        )


class RatingFilter(FilterSet):
    order = django_filters.NumberFilter(
        label=_("Order (id)"), field_name="order_id", min_value=1, max_value=ID_MAX
    )
    complaint = django_filters.NumberFilter(
        label=_("Complaint (id)"), field_name="complaint_id", min_value=1, max_value=ID_MAX
    )

    class Meta:
        model = Rating
        fields = ["order", "complaint"]
