"""The "Can we deliver?" question (R-2.3): up to five products with quantities, a date, a priority."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.masterdata.models import Product
from gendan.orders.choices import Priority

from .services.ctp import MAX_QUANTITY, CtpItem

ROWS = 5


class CtpForm(forms.Form):
    date = forms.DateField(
        label=_("Wanted by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        products = Product.objects.filter(is_archived=False).order_by("code")
        for n in range(1, ROWS + 1):
            self.fields[f"product_{n}"] = forms.ModelChoiceField(
                label=_("Product %(n)d") % {"n": n}, queryset=products, required=n == 1
            )
            self.fields[f"quantity_{n}"] = forms.DecimalField(
                label=_("Quantity %(n)d") % {"n": n},
                required=n == 1,
                min_value=Decimal("0.0001"),
                max_value=MAX_QUANTITY,
                max_digits=14,
                decimal_places=4,
            )
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate() + dt.timedelta(days=30))

    def rows(self):
        """The product/quantity pairs, for the template."""
        return [(self[f"product_{n}"], self[f"quantity_{n}"]) for n in range(1, ROWS + 1)]

    def clean(self):
        data = super().clean()
        for n in range(1, ROWS + 1):
            product, qty = data.get(f"product_{n}"), data.get(f"quantity_{n}")
            if product and qty is None and f"quantity_{n}" not in self.errors:
                self.add_error(f"quantity_{n}", _("Give the quantity of this product."))
            if qty is not None and not product and f"product_{n}" not in self.errors:
                self.add_error(f"product_{n}", _("Choose the product of this quantity."))
        return data

    def items(self) -> list[CtpItem]:
        data = self.cleaned_data
        return [
            CtpItem(product=data[f"product_{n}"], quantity=data[f"quantity_{n}"])
            for n in range(1, ROWS + 1)
            if data.get(f"product_{n}") and data.get(f"quantity_{n}") is not None
        ]


class ReplyForm(forms.Form):
    """What the customer's delivery-date reply adds to the question."""

    customer = forms.CharField(label=_("Customer name"), max_length=100, required=False)
    lang = forms.ChoiceField(
        label=_("Language"), choices=[("zh-hans", "中文"), ("en", "English")], required=False
    )
    valid_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=90, required=False)
