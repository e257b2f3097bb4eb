"""The warehouse's forms: the picking list's issue grid (one quantity per material and
warehouse), a return of unused material, and finished goods in for an order line."""

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.inventory.models import Warehouse

_CELL = re.compile(r"^q-(\d{1,18})-(\d{1,18})$")


def issue_cells(data) -> list[tuple[int, int, str]]:
    """The grid's filled cells: (material id, warehouse id, what was typed), in the page's order."""
    cells = []
    for key in data:
        match = _CELL.match(key)
        value = (data.get(key) or "").strip()
        if match and value:
            cells.append((int(match[1]), int(match[2]), value))
    return cells


def _warehouses():
    return Warehouse.objects.filter(is_archived=False).order_by("code")


class IssueOptionsForm(forms.Form):
    allow_over = forms.BooleanField(label=_("Allow more than the plan needs"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ReturnForm(forms.Form):
    material = forms.TypedChoiceField(label=_("Material"), coerce=int, choices=())
    warehouse = forms.ModelChoiceField(label=_("Into warehouse"), queryset=Warehouse.objects.none())
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=16, decimal_places=4, min_value=Decimal("0.0001")
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].choices = [(m.pk, f"{m.code} {m}") for m in materials]
        self.fields["warehouse"].queryset = _warehouses()


class FinishedGoodsForm(forms.Form):
    order_line = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    warehouse = forms.ModelChoiceField(label=_("Into warehouse"), queryset=Warehouse.objects.none())
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=16, decimal_places=4, min_value=Decimal("0.0001")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = _warehouses()
