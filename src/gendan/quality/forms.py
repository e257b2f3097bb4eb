"""Incoming inspection's forms: the master lists' and the inspector's (defects, photo, decision)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import StyledModelForm
from gendan.masterdata.models import RoutingOperation

from .choices import InspectionResult, ProcessKind
from .models import DefectCode, InspectionPlan, InspectionPlanItem, SamplingSetting


class DefectCodeForm(StyledModelForm):
    class Meta:
        model = DefectCode
        fields = ["code", "name", "name_en"]


class SamplingSettingForm(StyledModelForm):
    class Meta:
        model = SamplingSetting
        fields = ["supplier", "material", "level", "aql", "note"]
        help_texts = {
            "supplier": _(
                "Empty: every supplier of the material (or the factory default when both are empty)."
            ),
            "material": _("Empty: every material of the supplier."),
        }


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")


class DefectForm(_Styled):
    code = forms.ModelChoiceField(label=_("Defect"), queryset=DefectCode.objects.none())
    count = forms.IntegerField(label=_("Count"), min_value=1, max_value=10**9)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = DefectCode.objects.filter(is_archived=False).order_by("code")
        self.fields["count"].widget.attrs["inputmode"] = "numeric"


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs.update({"accept": "image/*", "capture": "environment"})


class CompleteForm(_Styled):
    result = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("As the sampling plan says")), *InspectionResult.choices],
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Reason for deciding otherwise"), max_length=300, required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class InspectionPlanForm(StyledModelForm):
    class Meta:
        model = InspectionPlan
        fields = ["product", "routing_operation", "name", "note"]
        help_texts = {"routing_operation": _("Empty: the final inspection of the finished product.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "routing_operation" in self.fields:
            self.fields["routing_operation"].queryset = RoutingOperation.objects.filter(
                is_archived=False
            ).select_related("product")


class InspectionPlanItemForm(StyledModelForm):
    class Meta:
        model = InspectionPlanItem
        fields = [
            "plan",
            "sequence",
            "characteristic",
            "kind",
            "nominal",
            "lower_limit",
            "upper_limit",
            "unit",
            "frequency",
            "level",
            "aql",
            "every_n",
            "method",
        ]
        help_texts = {
            "nominal": _("Measured characteristics only."),
            "level": _("Sampling only: GB/T 2828.1 inspection level and AQL."),
            "every_n": _("“Every Nth unit” only."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "plan" in self.fields:
            self.fields["plan"].queryset = InspectionPlan.objects.filter(is_archived=False).select_related(
                "product", "routing_operation"
            )


class ProcessCreateForm(_Styled):
    """An in-process or final inspection asked for by hand (ids, checked by the service)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ProcessKind.choices)
    order_line = forms.IntegerField(
        label=_("Order line"), min_value=1, max_value=2**31 - 1, widget=forms.Select
    )
    operation = forms.IntegerField(
        label=_("Operation"), min_value=1, max_value=2**31 - 1, required=False, widget=forms.Select
    )
    lot_quantity = forms.IntegerField(label=_("Lot quantity"), min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, lines=(), operations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order_line"].widget.choices = [("", "---------"), *lines]
        self.fields["operation"].widget.choices = [("", _("— none (final inspection) —")), *operations]


class MeasurementForm(_Styled):
    item = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    unit_no = forms.IntegerField(label=_("Sample unit"), min_value=1, max_value=2**31 - 1)
    value = forms.CharField(label=_("Value"), max_length=30, required=False)
    ok = forms.ChoiceField(
        label=_("Result"), choices=[("", "—"), ("1", _("pass")), ("0", _("fail"))], required=False
    )


class ProcessCompleteForm(_Styled):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
