"""Filter sets of incoming inspection, each serving its page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.filters import FilterSet, MasterFilterSet
from gendan.masterdata.models import Material, Supplier

from .choices import (
    CharacteristicKind,
    CheckFrequency,
    InspectionResult,
    InspectionStatus,
    Level,
    ProcessKind,
    ProcessStatus,
    Severity,
)
from .models import (
    DefectCode,
    Inspection,
    InspectionPlan,
    InspectionPlanItem,
    ProcessInspection,
    SamplingSetting,
)


class DefectCodeFilter(MasterFilterSet):
    search_fields = ("code", "name", "name_en")

    class Meta:
        model = DefectCode
        fields = ["q", "archived"]


class SamplingSettingFilter(MasterFilterSet):
    search_fields = ("material__code", "material__name", "supplier__code", "supplier__name", "note")
    level = django_filters.ChoiceFilter(label=_("Inspection level"), choices=Level.choices)

    class Meta:
        model = SamplingSetting
        fields = ["q", "archived", "level"]


def _suppliers(request):
    if request is None:
        return Supplier.objects.order_by("code")
    return Supplier.objects.restrict(request.user, "view").order_by("code")


class InspectionFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Receipt or PO"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InspectionStatus.choices)
    result = django_filters.ChoiceFilter(label=_("Result"), choices=InspectionResult.choices)
    severity = django_filters.ChoiceFilter(
        label=pgettext_lazy("inspection", "Severity"), choices=Severity.choices
    )
    # Only the suppliers the user may see are offered (supplier lists are for purchasing and quality).
    supplier = django_filters.ModelChoiceFilter(label=_("Supplier"), queryset=_suppliers)
    material = django_filters.ModelChoiceFilter(
        label=_("Material"), queryset=Material.objects.order_by("code")
    )

    class Meta:
        model = Inspection
        fields = ["q", "status", "result", "severity", "supplier", "material"]

    def filter_q(self, queryset, name, value):
        value = value.strip()[:60]
        if not value:
            return queryset
        return queryset.filter(receipt__number__icontains=value) | queryset.filter(
            receipt__line__order__number__icontains=value
        )


class InspectionPlanFilter(MasterFilterSet):
    search_fields = ("product__code", "product__name", "routing_operation__name", "name")
    final = django_filters.BooleanFilter(
        label=_("Final inspection"), field_name="routing_operation", lookup_expr="isnull"
    )

    class Meta:
        model = InspectionPlan
        fields = ["q", "archived", "product", "final"]


class InspectionPlanItemFilter(MasterFilterSet):
    search_fields = ("characteristic", "plan__name", "plan__product__code")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CharacteristicKind.choices)
    frequency = django_filters.ChoiceFilter(label=_("How many to check"), choices=CheckFrequency.choices)

    class Meta:
        model = InspectionPlanItem
        fields = ["q", "archived", "plan", "kind", "frequency"]


class ProcessInspectionFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Order or product"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ProcessKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProcessStatus.choices)
    created_after = django_filters.DateFilter(
        label=_("From"), field_name="created_at", lookup_expr="date__gte"
    )
    created_before = django_filters.DateFilter(
        label=_("To"), field_name="created_at", lookup_expr="date__lte"
    )

    class Meta:
        model = ProcessInspection
        fields = ["q", "kind", "status", "created_after", "created_before"]

    def filter_q(self, queryset, name, value):
        value = value.strip()[:60]
        if not value:
            return queryset
        return queryset.filter(order__number__icontains=value) | queryset.filter(
            order_line__product__code__icontains=value
        )
