from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.accounts.choices import Role
from gendan.accounts.models import Department
from gendan.core.forms import date_picker
from gendan.masterdata.models import Product

from .choices import MAX_GRANT_DAYS, Level
from .services import NOTE_MAX, REASON_MAX, TITLE_MAX
from .sources import upload_kinds


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    title = forms.CharField(
        label=pgettext_lazy("document", "Title"),
        max_length=TITLE_MAX,
        help_text=_("The same kind and title again is filed as the next version."),
    )
    file = forms.FileField(label=_("File"))
    level = forms.ChoiceField(
        label=_("Confidentiality"),
        choices=[("", _("As the kind says"))] + list(Level.choices),
        required=False,
    )
    allowed_roles = forms.MultipleChoiceField(
        label=_("Roles that may open it"),
        choices=[(r, label) for r, label in Role.choices if r != Role.ADMIN],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Confidential and secret documents only; by default management (and merchandisers for confidential)."
        ),
    )
    allowed_departments = forms.ModelMultipleChoiceField(
        label=_("Departments that may open it"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none(), required=False)
    filed_on = forms.DateField(label=_("Filed on"), required=False, widget=date_picker())

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.kind, k.label) for k in upload_kinds()]
        self.fields["allowed_departments"].queryset = Department.objects.filter(is_archived=False)
        if order is not None:
            self.fields["product"].queryset = Product.objects.filter(order_lines__order=order).distinct()


class AccessRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    days = forms.IntegerField(
        label=_("Period (days)"),
        min_value=1,
        max_value=MAX_GRANT_DAYS,
        initial=7,
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=NOTE_MAX, required=False)
