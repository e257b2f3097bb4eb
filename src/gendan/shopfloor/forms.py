"""The report forms: the phone's (one operation) and the desktop grid's (one row per operation).
They parse and bound the input; the guards are the service's (report_check)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import StyledModelForm
from gendan.masterdata.models import Shift

from .models import ScrapReason

QTY = {"min_value": Decimal(0), "max_digits": 14, "decimal_places": 4}


class ScrapReasonForm(StyledModelForm):
    class Meta:
        model = ScrapReason
        fields = ["code", "name", "name_en"]


def _reasons():
    return ScrapReason.objects.filter(is_archived=False).order_by("code")


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput | forms.HiddenInput):
                field.widget.attrs.setdefault("class", "input")


class PhoneReportForm(_Styled):
    """Big fields, few taps: the quantities with a numeric keypad, the reason as a list."""

    work_date = forms.DateField(
        label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    shift = forms.ModelChoiceField(label=_("shift"), queryset=Shift.objects.none(), required=False)
    good_qty = forms.DecimalField(label=_("good quantity"), required=False, **QTY)
    scrap_qty = forms.DecimalField(label=_("scrap"), required=False, **QTY)
    scrap_reason = forms.ModelChoiceField(
        label=_("scrap reason"), queryset=ScrapReason.objects.none(), required=False
    )
    hours = forms.DecimalField(
        label=_("hours"), required=False, min_value=Decimal(0), max_digits=8, decimal_places=2
    )
    people = forms.IntegerField(label=_("people"), min_value=1, max_value=500, initial=1)
    finished = forms.BooleanField(label=_("operation finished"), required=False)
    remarks = forms.CharField(
        label=_("remarks"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    allow_over = forms.BooleanField(
        label=_("Allow more than the previous step passed on (supervisor)"), required=False
    )

    def __init__(self, *args, work_centre_id=None, supervisor=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = Shift.objects.filter(work_centre_id=work_centre_id, is_archived=False)
        self.fields["scrap_reason"].queryset = _reasons()
        self.fields["work_date"].initial = timezone.localdate()
        for name in ("good_qty", "scrap_qty", "hours"):
            self.fields[name].widget.attrs.update(inputmode="decimal", autocomplete="off")
        self.fields["people"].widget.attrs.update(inputmode="numeric")
        if not supervisor:
            del self.fields["allow_over"]


class GridRowForm(_Styled):
    """One row of the desktop grid; the operation comes from the row, not from the user."""

    good_qty = forms.DecimalField(label=_("good quantity"), required=False, **QTY)
    scrap_qty = forms.DecimalField(label=_("scrap"), required=False, **QTY)
    scrap_reason = forms.ModelChoiceField(
        label=_("scrap reason"), queryset=ScrapReason.objects.none(), required=False
    )
    hours = forms.DecimalField(
        label=_("hours"), required=False, min_value=Decimal(0), max_digits=8, decimal_places=2
    )
    people = forms.IntegerField(label=_("people"), min_value=1, max_value=500, required=False)
    finished = forms.BooleanField(label=_("finished"), required=False)
    remarks = forms.CharField(label=_("remarks"), max_length=300, required=False)

    def __init__(self, *args, reasons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scrap_reason"].queryset = reasons if reasons is not None else _reasons()
        for name in ("good_qty", "scrap_qty", "hours", "people"):
            self.fields[name].widget.attrs.update(inputmode="decimal", autocomplete="off")

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (
            data.get("good_qty") or data.get("scrap_qty") or data.get("hours") or data.get("finished")
        )


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why is it reversed?"), max_length=300)
