"""Forms of the purchase order pages. Status, numbers, who made or sent it are never fields here:
the services set them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.inventory.models import Warehouse

from .models import PurchaseOrder
from .services.po_common import REASON_MAX

LANGUAGE_CHOICES = [("zh-hans", _("Chinese")), ("en", _("English"))]


class POHeaderForm(forms.ModelForm):
    language = forms.ChoiceField(label=_("Language of the PDF"), choices=LANGUAGE_CHOICES)

    class Meta:
        model = PurchaseOrder
        fields = ["warehouse", "quality_requirements", "packaging_requirements", "note", "language"]
        widgets = {
            "quality_requirements": forms.Textarea(attrs={"rows": 3}),
            "packaging_requirements": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = Warehouse.objects.filter(is_archived=False).order_by("code")


class CreateForm(forms.Form):
    line_ids = forms.TypedMultipleChoiceField(label=_("Plan lines"), coerce=int, choices=())

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line_ids"].choices = [(line.pk, str(line)) for line in lines]


class SendForm(forms.Form):
    by_hand = forms.BooleanField(label=_("Sent by hand (not by e-mail)"), required=False)
    note = forms.CharField(label=_("How it was sent"), max_length=200, required=False)


class ConfirmForm(forms.Form):
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=16, decimal_places=4, min_value=0)
    promised_date = forms.DateField(
        label=_("Promised date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    confirmed_by = forms.CharField(label=_("Confirmed by (supplier)"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ChangeForm(forms.Form):
    quantity = forms.DecimalField(label=_("New quantity"), max_digits=16, decimal_places=4, required=False)
    delivery_date = forms.DateField(
        label=_("New delivery date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    unit_price = forms.DecimalField(
        label=_("New unit price"), max_digits=14, decimal_places=4, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)

    def __init__(self, *args, show_prices: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_prices:
            del self.fields["unit_price"]  # a POST cannot set what the role may not see


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False)
