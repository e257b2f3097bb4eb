from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.core.forms import date_picker
from gendan.delivery.models import Shipment
from gendan.orders.models import Order, OrderLine

from .choices import SCORES
from .models import Complaint
from .services import NAME_MAX, TEXT_MAX
from .services_rating import COMMENT_MAX, LINK_DAYS, LINK_DAYS_MAX

DATE = date_picker()


class ComplaintForm(forms.ModelForm):
    """Recording a complaint: only the user's own orders are offered (others are refused)."""

    wants_user = True

    class Meta:
        model = Complaint
        fields = [
            "order",
            "order_line",
            "shipment",
            "quantity",
            "description",
            "channel",
            "contact_name",
            "received_on",
            "severity",
        ]
        widgets = {"received_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        orders = Order.objects.restrict(user, "change").order_by("-pk") if user else Order.objects.none()
        self.fields["order"].queryset = orders
        self.fields["order_line"].queryset = OrderLine.objects.filter(
            order__in=orders.values("pk")
        ).select_related("order", "product")
        self.fields["shipment"].queryset = (
            Shipment.objects.filter(order__in=orders.values("pk")).select_related("order").order_by("-pk")
        )
        self.fields["shipment"].label_from_instance = lambda s: f"{s.order.number} / {s.number}"
        self.fields["order_line"].label_from_instance = lambda line: (
            f"{line.order.number} / {line.line_no} {line.product}"
        )
        self.fields["description"].max_length = TEXT_MAX
        if "contact_name" in self.fields:
            self.fields["contact_name"].max_length = NAME_MAX


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].widget.attrs.update({"accept": "image/*", "capture": "environment"})


class FindingsForm(forms.Form):
    quality_action = forms.TypedChoiceField(
        label=_("Corrective action of a nonconformance"), required=False, coerce=int, empty_value=None
    )
    root_cause = forms.CharField(
        label=_("Root cause"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    containment = forms.CharField(
        label=_("Containment"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    corrective_action = forms.CharField(
        label=_("Corrective action"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    action_owner = forms.ModelChoiceField(
        label=_("Action owner"), queryset=User.objects.none(), required=False
    )
    action_due = forms.DateField(label=_("Action due"), required=False, widget=DATE)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = {a.pk: a for a in actions}
        self.fields["quality_action"].choices = [("", "—")] + [
            (a.pk, f"{a.nonconformance} · {a.action[:50]}") for a in actions
        ]
        self.fields["action_owner"].queryset = User.objects.filter(is_active=True).order_by("username")

    def clean_quality_action(self):
        pk = self.cleaned_data.get("quality_action")
        return self.actions.get(pk) if pk else None


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply to the customer"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Score"), choices=SCORES, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), max_length=COMMENT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class LinkForm(forms.Form):
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=LINK_DAYS_MAX, initial=LINK_DAYS
    )
