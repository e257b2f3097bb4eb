"""The forms of a supplier case's steps (the page's buttons); status, approver and quantities are
never among their fields: the services set them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import CaseKind
from .services.cases_flow import NOTE_MAX


class DecideForm(forms.Form):
    kind = forms.ChoiceField(label=_("Disposition"), choices=CaseKind.choices)
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea)
    due_date = forms.DateField(
        label=_("Settle by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    redeliver = forms.BooleanField(
        label=_("A return: the supplier delivers the quantity again"), required=False, initial=True
    )


class ReturnForm(forms.Form):
    returned_on = forms.DateField(
        label=_("Returned on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    carrier = forms.CharField(label=_("Carrier / waybill"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea)


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False, widget=forms.Textarea)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_MAX, widget=forms.Textarea)


def form_errors(form: forms.Form) -> str:
    """Every error of a form, each naming its field."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.extend(f"{label}: {e}" if label else str(e) for e in errors)
    return " ".join(parts)
