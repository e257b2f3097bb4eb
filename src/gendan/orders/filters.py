import datetime as dt

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.core.filters import FilterSet

from .choices import OPEN_STATES, RELEASED_STATES, OrderStatus, Priority
from .models import OPEN_FINDING, PENDING_CHANGE, Acknowledgement, ChangeRequest, Finding, Order, OrderLine


class OrderFilter(FilterSet):
    """One filter set for the order list page and the API."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(label=_("status"), choices=OrderStatus.choices)
    state = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("open", _("Open orders")), ("all", _("All orders"))],
        method="filter_state",
        empty_label=None,
    )
    priority = django_filters.ChoiceFilter(label=_("priority"), choices=Priority.choices)
    merchandiser = django_filters.ModelChoiceFilter(
        label=_("merchandiser"), queryset=User.objects.filter(role=Role.MERCHANDISER)
    )
    attention = django_filters.ChoiceFilter(
        label=_("Needs"),
        choices=[
            ("findings", _("Findings to resolve")),
            ("acks", _("Acknowledgements missing")),
            ("changes", _("Changes waiting")),
            ("due", _("Due within 7 days")),
        ],
        method="filter_attention",
    )

    class Meta:
        model = Order
        fields = ["q", "state", "status", "priority", "merchandiser", "customer", "attention"]

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("state"):
            data = data.copy()
            data["state"] = "open"
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(customer_po__icontains=value)
            | Q(customer__code__icontains=value)
            | Q(customer__name__icontains=value)
            | Q(lines__product__code__icontains=value)
        ).distinct()

    def filter_state(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(status__in=OPEN_STATES)

    def filter_attention(self, queryset, name, value):
        return queryset.filter(attention_condition(value)) if value else queryset


def attention_condition(value: str):
    """The "needs the merchandiser now" conditions, shared by the list filter and the home page."""
    if value == "findings":
        return Exists(Finding.objects.filter(OPEN_FINDING, order=OuterRef("pk"))) & Q(
            status__in=[OrderStatus.IN_REVIEW, OrderStatus.AWAITING_CLARIFICATION, OrderStatus.DRAFT]
        )
    if value == "acks":
        pending = Acknowledgement.objects.filter(
            order=OuterRef("pk"), acknowledged_at__isnull=True, order_version=OuterRef("version")
        )
        return Exists(pending) & Q(status__in=RELEASED_STATES)
    if value == "changes":
        return Exists(ChangeRequest.objects.filter(PENDING_CHANGE, order=OuterRef("pk")))
    if value == "due":
        soon = timezone.localdate() + dt.timedelta(days=7)
        return Exists(
            OrderLine.objects.filter(order=OuterRef("pk"), is_cancelled=False, delivery_date__lte=soon)
        ) & Q(status__in=OPEN_STATES - {OrderStatus.SHIPPED})
    return Q()
