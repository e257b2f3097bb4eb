from django import forms
from django.utils.translation import gettext_lazy as _

from .services.flow import REASON_MAX


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why is the plan rejected?"), max_length=REASON_MAX, strip=True)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=REASON_MAX, required=False, strip=True)
