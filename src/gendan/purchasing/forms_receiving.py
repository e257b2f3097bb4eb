"""The keeper's form: how much arrived, where, with which delivery note and supplier's lot."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.inventory.models import Warehouse

from .choices import CaseStatus
from .models import SupplierCase


class ReceiveForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    quantity = forms.DecimalField(label=_("Quantity received"), max_digits=16, decimal_places=4, min_value=0)
    warehouse = forms.ModelChoiceField(
        label=_("Warehouse"), queryset=Warehouse.objects.none(), required=False
    )
    delivery_note = forms.CharField(label=_("Supplier's delivery note"), max_length=60, required=False)
    lot_no = forms.CharField(label=_("Supplier's lot"), max_length=60, required=False)
    case = forms.ModelChoiceField(
        label=_("Replacement for supplier case"), queryset=SupplierCase.objects.none(), required=False
    )

    def __init__(self, *args, line=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A replacement names its case; the field is there only for a line with open cases.
        cases = (
            SupplierCase.objects.filter(receipt__line=line).exclude(status=CaseStatus.CLOSED).order_by("pk")
        )
        if line is not None and cases.exists():
            self.fields["case"].queryset = cases
        else:
            del self.fields["case"]
        self.fields["warehouse"].queryset = Warehouse.objects.filter(is_archived=False).order_by("code")
        for name, field in self.fields.items():
            if name != "line":
                field.widget.attrs.setdefault("class", "input")
        self.fields["quantity"].widget.attrs["inputmode"] = "decimal"
