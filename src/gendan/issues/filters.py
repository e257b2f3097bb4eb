"""One filter set for the issue register's page and its API (R-4.3)."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department, User
from gendan.core.filters import FilterSet

from .choices import OPEN_STATES, IssueKind, IssueStatus, MaintenanceKind, Severity
from .models import Issue, MaintenanceRecord

ID_MAX = 2**63 - 1


class IssueFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)
    state = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("open", _("Open issues")), ("all", _("All issues"))],
        method="filter_state",
        empty_label=None,
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=IssueStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=IssueKind.choices)
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Responsible department"),
        field_name="responsible_department",
        queryset=Department.objects.filter(is_archived=False),
    )
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=User.objects.filter(is_active=True))
    order = django_filters.NumberFilter(
        label=_("Order (id)"), field_name="order_id", min_value=1, max_value=ID_MAX
    )
    operation = django_filters.NumberFilter(
        label=_("Operation (id)"), field_name="operation_id", min_value=1, max_value=ID_MAX
    )
    work_centre = django_filters.NumberFilter(
        label=_("Work centre (id)"), field_name="work_centre_id", min_value=1, max_value=ID_MAX
    )
    older_than = django_filters.NumberFilter(
        label=_("Opened more than (days) ago"), method="filter_older_than", min_value=0, max_value=3650
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    mine = django_filters.ChoiceFilter(
        label=_("Whose"),
        choices=[
            ("orders", _("On my orders")),
            ("department", _("My department's")),
            ("owned", _("Owned by me")),
            ("opened", _("Opened by me")),
        ],
        method="filter_mine",
    )

    mine_orders = django_filters.BooleanFilter(label=_("On orders I own"), method="filter_mine_orders")

    class Meta:
        model = Issue
        fields = [
            "q",
            "state",
            "status",
            "kind",
            "severity",
            "department",
            "owner",
            "mine",
            "mine_orders",
            "older_than",
            "overdue",
            "order",
            "operation",
            "work_centre",
        ]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("state"):
            data = data.copy()
            data["state"] = "open"
        super().__init__(data, *args, **kwargs)
        for name in ("order", "operation", "work_centre"):
            self.form.fields[name].widget.input_type = "hidden"

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(order__number__icontains=value)
        )

    def filter_state(self, queryset, name, value):
        return queryset if value == "all" else queryset.filter(status__in=OPEN_STATES)

    def filter_older_than(self, queryset, name, value):
        return queryset.filter(opened_at__lt=timezone.now() - dt.timedelta(days=int(value)))

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=OPEN_STATES, due_date__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_mine_orders(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none()
        mine = Q(order__merchandiser=user)
        return queryset.filter(mine) if value else queryset.exclude(mine)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none()
        if value == "orders":
            return queryset.filter(order__merchandiser=user)
        if value == "department":
            return (
                queryset.filter(responsible_department_id=user.department_id)
                if user.department_id
                else queryset.none()
            )
        if value == "owned":
            return queryset.filter(owner=user)
        return queryset.filter(opened_by=user)


class MaintenanceFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search", max_length=100)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MaintenanceKind.choices)
    work_centre = django_filters.NumberFilter(
        label=_("Work centre (id)"), field_name="work_centre_id", min_value=1, max_value=ID_MAX
    )
    issue = django_filters.NumberFilter(
        label=_("Breakdown (id)"), field_name="issue_id", min_value=1, max_value=ID_MAX
    )

    class Meta:
        model = MaintenanceRecord
        fields = ["q", "kind", "work_centre", "issue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("work_centre", "issue"):
            self.form.fields[name].widget.input_type = "hidden"

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(description__icontains=value)
            | Q(performed_by__icontains=value)
            | Q(work_centre__code__icontains=value)
            | Q(work_centre__name__icontains=value)
        )
