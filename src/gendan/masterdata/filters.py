import django_filters
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import MasterFilterSet

from . import models as m
from .choices import CalendarDayKind, CreditStatus, MaterialKind, ProductKind


class CustomerFilter(MasterFilterSet):
    search_fields = ("code", "name", "name_en", "phone")
    credit_status = django_filters.ChoiceFilter(label=_("credit status"), choices=CreditStatus.choices)

    class Meta:
        model = m.Customer
        fields = ["q", "credit_status", "merchandiser", "archived"]


class CustomerContactFilter(MasterFilterSet):
    search_fields = ("name", "phone", "email", "customer__code", "customer__name")

    class Meta:
        model = m.CustomerContact
        fields = ["q", "customer", "archived"]


class DeliveryAddressFilter(MasterFilterSet):
    search_fields = ("label", "address", "city", "customer__code", "customer__name")

    class Meta:
        model = m.DeliveryAddress
        fields = ["q", "customer", "archived"]


class ProductFilter(MasterFilterSet):
    search_fields = ("code", "name", "name_en", "spec")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ProductKind.choices)
    problem = django_filters.ChoiceFilter(
        label=_("Problem"),
        choices=[("no_routing", _("Without routing")), ("no_bom", _("Without BOM"))],
        method="filter_problem",
    )

    class Meta:
        model = m.Product
        fields = ["q", "kind", "problem", "archived"]

    def filter_problem(self, queryset, name, value):
        if value == "no_routing":
            return queryset.exclude(operations__is_archived=False)
        if value == "no_bom":
            return queryset.exclude(bom_lines__is_archived=False)
        return queryset


class MaterialFilter(MasterFilterSet):
    search_fields = ("code", "name", "name_en", "spec")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=MaterialKind.choices)
    problem = django_filters.ChoiceFilter(
        label=_("Problem"), choices=[("no_supplier", _("Without supplier"))], method="filter_problem"
    )

    class Meta:
        model = m.Material
        fields = ["q", "kind", "problem", "archived"]

    def filter_problem(self, queryset, name, value):
        if value == "no_supplier":
            return queryset.exclude(supplier_offers__is_archived=False)
        return queryset


class BomLineFilter(MasterFilterSet):
    search_fields = ("parent__code", "parent__name", "component_material__code", "component_product__code")

    class Meta:
        model = m.BomLine
        fields = ["q", "parent", "component_material", "component_product", "archived"]


class RoutingOperationFilter(MasterFilterSet):
    search_fields = ("product__code", "product__name", "name", "work_centre__code")

    class Meta:
        model = m.RoutingOperation
        fields = ["q", "product", "work_centre", "archived"]


class WorkCentreFilter(MasterFilterSet):
    search_fields = ("code", "name", "name_en")
    problem = django_filters.ChoiceFilter(
        label=_("Problem"), choices=[("no_calendar", _("Without shifts"))], method="filter_problem"
    )

    class Meta:
        model = m.WorkCentre
        fields = ["q", "problem", "archived"]

    def filter_problem(self, queryset, name, value):
        if value == "no_calendar":
            return queryset.exclude(shifts__is_archived=False)
        return queryset


class ShiftFilter(MasterFilterSet):
    search_fields = ("name", "work_centre__code", "work_centre__name")

    class Meta:
        model = m.Shift
        fields = ["q", "work_centre", "archived"]


class CalendarDayFilter(MasterFilterSet):
    search_fields = ("description", "work_centre__code")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=CalendarDayKind.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("to"))

    class Meta:
        model = m.CalendarDay
        fields = ["q", "work_centre", "kind", "date_from", "date_to", "archived"]


class SupplierFilter(MasterFilterSet):
    search_fields = ("code", "name", "name_en", "phone")

    class Meta:
        model = m.Supplier
        fields = ["q", "is_approved", "archived"]


class SupplierContactFilter(MasterFilterSet):
    search_fields = ("name", "phone", "email", "supplier__code", "supplier__name")

    class Meta:
        model = m.SupplierContact
        fields = ["q", "supplier", "archived"]


class SupplierMaterialFilter(MasterFilterSet):
    search_fields = ("supplier__code", "supplier__name", "material__code", "material__name")

    class Meta:
        model = m.SupplierMaterial
        fields = ["q", "supplier", "material", "is_preferred", "archived"]
