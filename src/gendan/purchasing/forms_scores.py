"""The service rating form (R-3.4): the period, 1–5 stars and a note. The supplier comes from the
page's address and the rater is the user: neither is a field."""

from django import forms
from django.utils.translation import gettext_lazy as _

STARS = [(n, "★" * n) for n in range(1, 6)]


class ServiceRatingForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A month (2026-03), a quarter (2026-Q1) or a year (2026)."),
    )
    rating = forms.TypedChoiceField(label=_("Service rating"), choices=STARS, coerce=int)
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
