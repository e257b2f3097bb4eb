"""Forms of plan building: which orders to plan, a pin, a split."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import datetime_picker
from gendan.masterdata.models import WorkCentre
from gendan.orders.engine_adapter import LOADING_STATES
from gendan.orders.models import Order

from .services.adjust import MAX_PARTS
from .services.build import MAX_ORDERS
from .services.flow import REASON_MAX


class BuildForm(forms.Form):
    orders = forms.ModelMultipleChoiceField(
        label=_("Orders"), queryset=Order.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orders"].queryset = Order.objects.restrict(user, "view").filter(
            status__in=LOADING_STATES
        )

    def clean_orders(self):
        chosen = self.cleaned_data["orders"]
        if len(chosen) > MAX_ORDERS:
            raise forms.ValidationError(_("Plan at most %(n)s orders at once.") % {"n": MAX_ORDERS})
        return chosen


class PinForm(forms.Form):
    work_centre = forms.ModelChoiceField(
        label=_("Work centre"), queryset=WorkCentre.objects.none(), required=False
    )
    start = forms.DateTimeField(label=_("Start at"), required=False, widget=datetime_picker())

    def __init__(self, *args, planned=None, **kwargs):
        super().__init__(*args, **kwargs)
        routing = planned.operation.routing_operation if planned else None
        ids = []
        if routing is not None:
            ids = [routing.work_centre_id, *routing.alternative_work_centres.values_list("pk", flat=True)]
        self.fields["work_centre"].queryset = WorkCentre.objects.filter(pk__in=ids, is_archived=False)


class SplitForm(forms.Form):
    quantities = forms.CharField(
        label=_("Quantities of the parts"),
        max_length=200,
        help_text=_("Separated by commas, e.g. 60, 40; they must add up to the operation's quantity."),
    )

    def clean_quantities(self):
        text = self.cleaned_data["quantities"].replace("，", ",")
        try:
            values = [Decimal(v.strip()) for v in text.split(",") if v.strip()]
        except InvalidOperation as exc:
            raise forms.ValidationError(_("Enter quantities as numbers separated by commas.")) from exc
        if not 1 <= len(values) <= MAX_PARTS or any(not v.is_finite() or v <= 0 for v in values):
            raise forms.ValidationError(_("Enter 1 to %(n)s positive quantities.") % {"n": MAX_PARTS})
        return values


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why is the plan rejected?"), max_length=REASON_MAX, strip=True)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=REASON_MAX, required=False, strip=True)
