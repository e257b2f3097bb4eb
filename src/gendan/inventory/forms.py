from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import StyledModelForm
from gendan.masterdata.models import Material, Product

from .models import StockMovement, Warehouse


class WarehouseForm(StyledModelForm):
    class Meta:
        model = Warehouse
        fields = ["code", "name", "name_en", "address", "keeper"]


class StockMovementForm(StyledModelForm):
    """Goods in or out. The balance is computed by the service, never typed."""

    class Meta:
        model = StockMovement
        fields = ["warehouse", "material", "product", "kind", "quantity", "reference", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = Warehouse.objects.filter(is_archived=False)
        self.fields["material"].queryset = Material.objects.filter(is_archived=False)
        self.fields["product"].queryset = Product.objects.filter(is_archived=False)
        self.fields["quantity"].help_text = _("Enter the quantity moved; issues and shipments take it out.")

    def clean(self):
        data = super().clean()
        if bool(data.get("material")) == bool(data.get("product")):
            raise forms.ValidationError(_("Choose either a material or a product."))
        return data

    def _post_clean(self):
        # balance_after is set by the service; skip the model's own full_clean of it here.
        self.instance.balance_after = 0
        super()._post_clean()
