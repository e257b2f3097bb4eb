"""The delivery forms: only what the user enters; status, who and when the system records."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import datetime_picker

from .choices import ConfirmedVia, Method

DT = datetime_picker()


class ShipmentForm(forms.Form):
    method = forms.ChoiceField(label=_("Delivery method"), choices=Method.choices)
    address = forms.TypedChoiceField(
        label=_("Delivery address"), coerce=int, required=False, empty_value=None
    )
    planned_at = forms.DateTimeField(label=_("Planned time"), widget=DT)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, addresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].choices = [("", "—")] + [(a.pk, f"{a.label} · {a.address}") for a in addresses]


class ConfirmForm(forms.Form):
    confirmed_by_name = forms.CharField(label=_("Confirmed by (customer)"), max_length=100)
    confirmed_via = forms.ChoiceField(label=_("Confirmed via"), choices=ConfirmedVia.choices)
    confirmed_at = forms.DateTimeField(label=_("Confirmed at"), widget=DT, required=False)


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=100, required=False)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=60, required=False)
    vehicle_plate = forms.CharField(label=_("Vehicle plate"), max_length=20, required=False)
    driver = forms.CharField(label=_("Driver"), max_length=60, required=False)
    driver_phone = forms.CharField(label=_("Driver's phone"), max_length=40, required=False)
    shipped_at = forms.DateTimeField(label=_("Shipped at"), widget=DT, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why cancelled"), max_length=300)


class ProofForm(forms.Form):
    file = forms.FileField(
        label=_("Signed receipt (photo or scan)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    signed_by = forms.CharField(label=_("Signed by"), max_length=100)
    signed_at = forms.DateTimeField(label=_("Signed at"), widget=DT, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
