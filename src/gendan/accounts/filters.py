import django_filters
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import MasterFilterSet

from .choices import Role
from .models import Department, User


class UserFilter(MasterFilterSet):
    search_fields = ("username", "display_name", "first_name", "last_name", "email")
    role = django_filters.ChoiceFilter(label=_("role"), choices=Role.choices)

    class Meta:
        model = User
        fields = ["q", "role", "department", "archived"]

    def filter_archived(self, queryset, name, value):
        if value == "archived":
            return queryset.filter(is_active=False)
        if value == "all":
            return queryset
        return queryset.filter(is_active=True)


class DepartmentFilter(MasterFilterSet):
    class Meta:
        model = Department
        fields = ["q", "kind", "archived"]
