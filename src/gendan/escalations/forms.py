"""Escalation's forms: the set-up (ladders, levels, rules), escalating by hand, acknowledging."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.core.forms import StyledModelForm

from .models import Ladder, LadderLevel, Rule
from .services.flow import REASON_MAX


class LadderForm(StyledModelForm):
    class Meta:
        model = Ladder
        fields = ["code", "name", "name_en", "is_default"]


class LadderLevelForm(StyledModelForm):
    class Meta:
        model = LadderLevel
        fields = ["ladder", "position", "role", "climb_hours"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ladder"].queryset = Ladder.objects.filter(is_archived=False).order_by("code")


class RuleForm(StyledModelForm):
    class Meta:
        model = Rule
        fields = ["code", "name", "name_en", "kind", "min_severity", "threshold", "ladder", "level"]
        help_texts = {"min_severity": _("Only for a rule on severity.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ladder"].queryset = Ladder.objects.filter(is_archived=False).order_by("code")


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")


class EscalateForm(_Styled):
    reason = forms.CharField(
        label=_("Why escalate"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    level = forms.TypedChoiceField(
        label=pgettext_lazy("escalation", "To"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", _("The next level"))] + [
            (lv.pk, f"{lv.position} · {lv.get_role_display()}") for lv in levels
        ]


class AcknowledgeForm(_Styled):
    note = forms.CharField(label=_("Note"), max_length=REASON_MAX, required=False)


def form_errors(form) -> dict:
    return {name: [str(e) for e in errors] for name, errors in form.errors.items()}
