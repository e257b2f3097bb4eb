import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.core.filters import FilterSet
from gendan.core.models import ImportJob

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
    # The orders an Excel import created (the import's result page links here): hidden in the bar.
    imported = django_filters.NumberFilter(method="filter_imported", widget=forms.HiddenInput)
    attention = django_filters.ChoiceFilter(
        label=_("Needs"),
        choices=[
            ("findings", _("Findings to resolve")),
            ("acks", _("Acknowledgements missing")),
            ("approve", _("Changes waiting for my approval")),
            ("changes", _("Changes waiting for others' approval")),
            ("overdue", _("Overdue")),
            ("due", _("Due within 7 days")),
            ("unacknowledged", _("Not yet acknowledged by my department")),
        ],
        method="filter_attention",
    )

    class Meta:
        model = Order
        fields = ["q", "state", "status", "priority", "merchandiser", "customer", "attention", "imported"]

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

    def filter_imported(self, queryset, name, value):
        # Which orders an import created is no secret from whoever may see those orders.
        job = ImportJob.objects.filter(pk=value, kind="orders").first()  # OrderSheetImport.key
        return queryset.filter(pk__in=job.created_ids if job is not None else [])

    def filter_attention(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(attention_condition(value, user=user)) if value else queryset


def register_list_filter(name: str, filter_) -> None:
    """A filter an app above orders adds to the order list and /api/orders/ (the delivery risk)."""
    OrderFilter.base_filters.setdefault(name, filter_)


# Orders whose delivery dates still matter: open and not yet shipped.
DUE_STATES = OPEN_STATES - {OrderStatus.SHIPPED}


def _open_lines_due(**dates) -> Exists:
    return Exists(OrderLine.objects.filter(order=OuterRef("pk"), is_cancelled=False, **dates))


def is_overdue(status: str, first_delivery: dt.date | None) -> bool:
    """An order whose earliest open delivery date has passed and that has not shipped."""
    return first_delivery is not None and first_delivery < timezone.localdate() and status in DUE_STATES


def attention_condition(value: str, *, user=None):
    """The "needs attention now" conditions, shared by the list filter and the home page: the
    merchandiser's (findings, acknowledgements missing, changes, overdue, due soon) and a receiving
    department's (`unacknowledged`: released orders `user`'s department has not acknowledged)."""
    if value == "findings":
        return Exists(Finding.objects.filter(OPEN_FINDING, order=OuterRef("pk"))) & Q(
            status__in=[OrderStatus.IN_REVIEW, OrderStatus.AWAITING_CLARIFICATION, OrderStatus.DRAFT]
        )
    if value == "acks":
        pending = Acknowledgement.objects.filter(
            order=OuterRef("pk"), acknowledged_at__isnull=True, order_version=OuterRef("version")
        )
        return Exists(pending) & Q(status__in=RELEASED_STATES)
    if value in ("approve", "changes"):
        # Split by who decides: the changes `user` may approve, and those waiting for someone else.
        pending = ChangeRequest.objects.filter(PENDING_CHANGE, order=OuterRef("pk"))
        mine = Exists(pending.restrict(user, "approve")) if user is not None else Q(pk__in=[])
        return mine if value == "approve" else Exists(pending) & ~mine
    today = timezone.localdate()
    if value == "overdue":
        # The earliest open delivery date has passed.
        return _open_lines_due(delivery_date__lt=today) & Q(status__in=DUE_STATES)
    if value == "due":
        # Due within 7 days and not overdue already (those are listed apart, first).
        soon = today + dt.timedelta(days=7)
        return (
            _open_lines_due(delivery_date__gte=today, delivery_date__lte=soon)
            & ~_open_lines_due(delivery_date__lt=today)
            & Q(status__in=DUE_STATES)
        )
    if value == "unacknowledged":
        department = getattr(user, "department_id", None)
        if department is None:
            return Q(pk__in=[])
        pending = Acknowledgement.objects.filter(
            order=OuterRef("pk"),
            department_id=department,
            acknowledged_at__isnull=True,
            order_version=OuterRef("version"),
        )
        return Exists(pending) & ~Q(status__in=[OrderStatus.CANCELLED, OrderStatus.CLOSED])
    return Q()
