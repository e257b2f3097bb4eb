import django_filters
from django import forms
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_filters.utils import label_for_filter

from .fieldaccess import hidden_fields

_lazy_label = lazy(label_for_filter, str)


class AnyYesNo(forms.NullBooleanSelect):
    """A yes/no filter's choices: "All" when it is not used (Django's own says "Unknown")."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("All")), ("true", _("Yes")), ("false", _("No"))]


class FilterSet(django_filters.FilterSet):
    """django-filter words a filter's label from the model field once, in whatever language is
    active then, and keeps it for every later reader: here the label is worded for each reader.
    A yes/no filter offers All, Yes, No."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.BooleanFilter) and "widget" not in filter_.extra:
                filter_.extra["widget"] = AnyYesNo

    @classmethod
    def filter_for_field(cls, field, field_name, lookup_expr=None):
        filter_ = super().filter_for_field(field, field_name, lookup_expr)
        if filter_._label is None:
            filter_.label = _lazy_label(cls._meta.model, field_name, filter_.lookup_expr, filter_.exclude)
        return filter_


class MasterFilterSet(FilterSet):
    """Search box and archive filter shared by every master-data list and its API."""

    search_fields: tuple[str, ...] = ("code", "name")

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    archived = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Active")), ("archived", _("Archived")), ("all", _("All"))],
        method="filter_archived",
        empty_label=None,
    )

    def __init__(self, data=None, *args, **kwargs):
        # An unfiltered list shows active records (archived ones are still one click away).
        if data is not None and not data.get("archived"):
            data = data.copy()
            data["archived"] = "active"
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # A field hidden from the user is not searched: what it finds would tell its value.
        hidden = hidden_fields(getattr(self.request, "user", None), queryset.model)
        query = Q()
        for field in self.search_fields:
            if field.split("__")[0] not in hidden:
                query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    def filter_archived(self, queryset, name, value):
        if value == "archived":
            return queryset.filter(is_archived=True)
        if value == "all":
            return queryset
        return queryset.filter(is_archived=False)
