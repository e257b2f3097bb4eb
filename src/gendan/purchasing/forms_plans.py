"""Forms of the purchase plan pages: they parse; the services (services/plans*.py) judge."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import can_see
from gendan.masterdata.models import Material, Supplier

from .services.plans import REASON_MAX


def _date():
    # A date picker reads and writes ISO dates only: the Chinese input format (2026/12/07) left it blank.
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date", "class": "input"}, format="%Y-%m-%d")
    )


def _number(label, required=True):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=4,
        widget=forms.NumberInput(attrs={"class": "input", "step": "any"}),
    )


class PlanLineForm(forms.Form):
    """A proposed line's quantity, supplier, price, dates and note (status never: not a field)."""

    quantity = _number(_("Quantity"))
    supplier = forms.ModelChoiceField(
        label=_("Supplier"),
        queryset=Supplier.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "input"}),
    )
    unit_price = _number(_("Unit price"), required=False)
    order_by = _date()
    need_date = _date()
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False, widget=forms.TextInput(attrs={"class": "input"})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(
            is_archived=False, is_approved=True
        ).order_by("code")
        self.fields["order_by"].label = _("Order by")
        self.fields["need_date"].label = _("Needed by")
        if not can_see(user, "supplier_prices"):
            del self.fields["unit_price"]

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        if "unit_price" in self.fields and data.get("unit_price") is None:
            data.pop("unit_price")
        return data


class AddLineForm(PlanLineForm):
    material = forms.ModelChoiceField(
        label=_("Material"), queryset=Material.objects.none(), widget=forms.Select(attrs={"class": "input"})
    )
    field_order = ["material", "quantity", "need_date", "order_by", "supplier", "unit_price", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = Material.objects.filter(is_archived=False).order_by("code")
        self.fields["order_by"].required = False


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False, strip=True)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=REASON_MAX, required=False, strip=True)
