import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet

from .choices import MeetingStatus
from .models import Meeting

ID_MAX = 2**63 - 1


class MeetingFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MeetingStatus.choices)
    order = django_filters.NumberFilter(
        label=_("Order (id)"), method="filter_order", min_value=1, max_value=ID_MAX
    )
    issue = django_filters.NumberFilter(
        label=_("Issue (id)"), field_name="agenda__issue_id", min_value=1, max_value=ID_MAX, distinct=True
    )

    class Meta:
        model = Meeting
        fields = ["q", "status", "order", "issue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("order", "issue"):
            self.form.fields[name].widget.input_type = "hidden"

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(place__icontains=value)
        )

    def filter_order(self, queryset, name, value):
        return queryset.filter(pk__in=Meeting.objects.filter(agenda__issue__order_id=value).values("pk"))
