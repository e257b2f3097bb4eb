import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import FilterSet

from .choices import WebhookKind
from .models import DepartmentWebhook


class DepartmentWebhookFilter(FilterSet):
    """The robots list shows enabled and disabled robots alike unless narrowed."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("robot"), choices=WebhookKind.choices)
    active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("yes", _("Enabled")), ("no", _("Disabled"))],
        empty_label=_("All"),
        method="filter_active",
    )

    class Meta:
        model = DepartmentWebhook
        fields = ["q", "department", "kind", "active"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(department__code__icontains=value)
            | Q(department__name__icontains=value)
        )

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes") if value in {"yes", "no"} else queryset
