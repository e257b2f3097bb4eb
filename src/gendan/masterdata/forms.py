from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.core.forms import StyledModelForm

from . import models as m
from .choices import WEEKDAY_CHOICES


def active(model):
    return model.objects.filter(is_archived=False)


class CustomerForm(StyledModelForm):
    class Meta:
        model = m.Customer
        fields = [
            "code",
            "name",
            "name_en",
            "merchandiser",
            "tax_id",
            "phone",
            "email",
            "credit_limit",
            "credit_status",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merchandiser"].queryset = User.objects.filter(is_active=True, role=Role.MERCHANDISER)


class CustomerContactForm(StyledModelForm):
    class Meta:
        model = m.CustomerContact
        fields = ["customer", "name", "title", "phone", "email", "is_primary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = active(m.Customer)


class DeliveryAddressForm(StyledModelForm):
    class Meta:
        model = m.DeliveryAddress
        fields = ["customer", "label", "address", "city", "receiver", "phone", "is_default"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = active(m.Customer)


class ProductForm(StyledModelForm):
    class Meta:
        model = m.Product
        fields = [
            "code",
            "name",
            "name_en",
            "spec",
            "kind",
            "unit",
            "lead_time_days",
            "drawing_no",
            "quality_standard",
            "packaging_standard",
        ]


class MaterialForm(StyledModelForm):
    class Meta:
        model = m.Material
        fields = [
            "code",
            "name",
            "name_en",
            "spec",
            "kind",
            "unit",
            "lead_time_days",
            "min_order_qty",
            "order_multiple",
            "safety_stock",
        ]


class BomLineForm(StyledModelForm):
    class Meta:
        model = m.BomLine
        fields = [
            "parent",
            "position",
            "component_material",
            "component_product",
            "quantity",
            "scrap_pct",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = active(m.Product)
        self.fields["component_product"].queryset = active(m.Product)
        self.fields["component_material"].queryset = active(m.Material)


class RoutingOperationForm(StyledModelForm):
    class Meta:
        model = m.RoutingOperation
        fields = [
            "product",
            "sequence",
            "name",
            "work_centre",
            "alternative_work_centres",
            "setup_minutes",
            "run_minutes",
            "people",
            "splittable",
            "instructions",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = active(m.Product)
        self.fields["work_centre"].queryset = active(m.WorkCentre)
        self.fields["alternative_work_centres"].queryset = active(m.WorkCentre)

    def clean(self):
        data = super().clean()
        main, alternatives = data.get("work_centre"), data.get("alternative_work_centres")
        if main and alternatives and main in alternatives:
            self.add_error(
                "alternative_work_centres", _("The main work centre cannot also be an alternative.")
            )
        return data


class WorkCentreForm(StyledModelForm):
    class Meta:
        model = m.WorkCentre
        fields = [
            "code",
            "name",
            "name_en",
            "machines",
            "headcount",
            "efficiency_pct",
            "delay_threshold_hours",
            "scrap_allowance_pct",
            "description",
        ]


class ShiftForm(StyledModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("weekdays"), choices=WEEKDAY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = m.Shift
        fields = ["work_centre", "name", "start_time", "end_time", "break_minutes", "weekdays"]
        widgets = {"start_time": forms.TimeInput(format="%H:%M"), "end_time": forms.TimeInput(format="%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_centre"].queryset = active(m.WorkCentre)
        if self.instance.pk:
            self.initial["weekdays"] = self.instance.weekday_list

    def clean_weekdays(self):
        return ",".join(str(d) for d in sorted(self.cleaned_data["weekdays"]))


class CalendarDayForm(StyledModelForm):
    class Meta:
        model = m.CalendarDay
        fields = ["work_centre", "date", "kind", "hours", "description"]
        widgets = {"date": forms.DateInput(format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_centre"].queryset = active(m.WorkCentre)
        self.fields["work_centre"].empty_label = _("Whole factory")


class SupplierForm(StyledModelForm):
    class Meta:
        model = m.Supplier
        fields = [
            "code",
            "name",
            "name_en",
            "phone",
            "email",
            "address",
            "capacity_note",
            "is_approved",
            "notes",
        ]


class SupplierContactForm(StyledModelForm):
    class Meta:
        model = m.SupplierContact
        fields = ["supplier", "name", "title", "phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = active(m.Supplier)


class SupplierMaterialForm(StyledModelForm):
    class Meta:
        model = m.SupplierMaterial
        fields = [
            "supplier",
            "material",
            "unit_price",
            "currency",
            "lead_time_days",
            "min_order_qty",
            "is_preferred",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = active(m.Supplier)
        self.fields["material"].queryset = active(m.Material)
