from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.core.forms import StyledModelForm
from gendan.masterdata.models import Customer, DeliveryAddress, Product

from .choices import ChangeKind, ClarificationChannel
from .models import Order, OrderLine
from .services import merchandiser_for


class OrderForm(StyledModelForm):
    attachment = forms.FileField(label=_("Customer's PO file"), required=False)
    hand_over = forms.BooleanField(
        label=_("Hand this order over to its merchandiser"),
        required=False,
        help_text=_(
            "Needed when you enter an order for another merchandiser: you will not see it afterwards."
        ),
    )

    class Meta:
        model = Order
        fields = list(Order.ENTRY_FIELDS)
        widgets = {
            "received_on": forms.DateInput(format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["customer"].queryset = Customer.objects.filter(is_archived=False)
        self.fields["merchandiser"].queryset = User.objects.filter(is_active=True, role=Role.MERCHANDISER)
        self.fields["delivery_address"].queryset = DeliveryAddress.objects.filter(
            is_archived=False
        ).select_related("customer")
        if self.instance.pk:
            del self.fields["attachment"]
        if self.instance.pk or user is None or Order.objects.would_see(user, None):
            del self.fields["hand_over"]
        else:
            self.fields["merchandiser"].help_text = _("Left empty, the order is yours.")

    def owner(self):
        """Who the order will belong to once saved (the rule of the entry service)."""
        customer = self.cleaned_data.get("customer")
        chosen = self.cleaned_data.get("merchandiser")
        if chosen is not None or customer is None:
            return chosen
        return merchandiser_for(customer=customer, actor=self.user)

    def clean(self):
        cleaned = super().clean()
        if "hand_over" in self.fields:
            owner = self.owner()
            if not Order.objects.would_see(self.user, owner) and not cleaned.get("hand_over"):
                self.add_error(
                    "hand_over",
                    _(
                        "This order will belong to %(owner)s; once it is saved you will no longer see it. "
                        "Tick this box to hand it over, or leave the merchandiser empty to keep it."
                    )
                    % {"owner": owner or _("nobody")},
                )
        return cleaned


class OrderLineForm(StyledModelForm):
    class Meta:
        model = OrderLine
        # The code as ordered is the chosen product's on the form (imports and the API keep a
        # customer's unknown code for the review to flag).
        fields = [f for f in OrderLine.ENTRY_FIELDS if f != "product_code"]
        widgets = {
            "delivery_date": forms.DateInput(format="%Y-%m-%d"),
            "quality_requirements": forms.Textarea(attrs={"rows": 1}),
            "packaging_requirements": forms.Textarea(attrs={"rows": 1}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_archived=False)


OrderLineFormSet = inlineformset_factory(
    Order, OrderLine, form=OrderLineForm, extra=1, can_delete=True, min_num=1, validate_min=True
)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.TextInput(attrs={"class": "input"})
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("How was it resolved?"), max_length=1000, widget=forms.TextInput(attrs={"class": "input"})
    )


class ClarificationForm(forms.Form):
    findings = forms.TypedMultipleChoiceField(
        label=_("Findings to ask about"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    question = forms.CharField(
        label=_("Question to the customer"), widget=forms.Textarea(attrs={"rows": 3, "class": "input"})
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=ClarificationChannel.choices,
        widget=forms.Select(attrs={"class": "input"}),
    )
    contact = forms.CharField(
        label=_("Customer contact"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "input"}),
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].choices = [(f.pk, f.message) for f in findings]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Customer's answer"), widget=forms.Textarea(attrs={"rows": 3, "class": "input"})
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What changes"), choices=ChangeKind.choices, widget=forms.Select(attrs={"class": "input"})
    )
    line = forms.TypedChoiceField(
        label=_("Line"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "input"}),
    )
    new_value = forms.CharField(
        label=_("New value"),
        required=False,
        max_length=300,
        help_text=_("Quantity as a number, date as YYYY-MM-DD."),
        widget=forms.TextInput(attrs={"class": "input"}),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2, "class": "input"}))
    customer_reference = forms.CharField(
        label=_("Customer reference"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "input"}),
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", "—")] + [
            (line.pk, f"{line.line_no}. {line.product or line.product_code} × {line.quantity}")
            for line in lines
        ]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
