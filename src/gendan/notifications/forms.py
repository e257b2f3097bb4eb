from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .choices import Channel, WebhookKind
from .models import DepartmentWebhook
from .registry import all_events


def _field_name(event: str, channel: str) -> str:
    return f"{event}__{channel}"


class PreferencesForm(forms.Form):
    """One tick box per event and channel."""

    def __init__(self, *args, matrix, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for event, cells in matrix:
            names = []
            for channel, enabled in cells:
                name = _field_name(event.key, channel)
                self.fields[name] = forms.BooleanField(
                    required=False,
                    initial=enabled,
                    label=event.label,
                    widget=forms.CheckboxInput(
                        attrs={"aria-label": format_lazy("{} · {}", event.label, Channel(channel).label)}
                    ),
                )
                names.append(name)
            self.rows.append((event, [self[n] for n in names]))

    def choices(self) -> dict[tuple[str, str], bool]:
        result = {}
        for name, value in self.cleaned_data.items():
            event, channel = name.rsplit("__", 1)
            result[(event, channel)] = bool(value)
        return result


class DepartmentWebhookForm(forms.ModelForm):
    url = forms.URLField(
        label=_("webhook address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The address the chat app shows when the robot is added to the group."),
    )
    events = forms.MultipleChoiceField(
        label=_("events"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to send every event of the department."),
    )
    secret = forms.CharField(
        label=_("signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("DingTalk and Feishu only, when the robot's security setting is “signature”."),
    )
    clear_secret = forms.BooleanField(label=_("remove the signing secret"), required=False)

    class Meta:
        model = DepartmentWebhook
        fields = ["department", "name", "kind", "url", "secret", "events", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [(e.key, e.label) for e in all_events()]
        self.fields["department"].queryset = self.fields["department"].queryset.filter(is_archived=False)
        if self.instance.pk is None:
            del self.fields["clear_secret"]
        elif self.instance.secret:
            self.fields["secret"].help_text = _("A secret is stored; leave empty to keep it.")

    def clean(self):
        data = super().clean()
        if data.get("kind") == WebhookKind.WECOM and data.get("secret"):
            self.add_error("secret", _("A WeCom robot has no signing secret; leave this empty."))
        return data

    def service_data(self) -> dict:
        """The fields to save: a blank secret keeps the stored one unless removal is ticked."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["events"] = list(data.get("events") or [])
        if self.instance.pk is not None and not data["secret"]:
            if self.cleaned_data.get("clear_secret") or data["kind"] == WebhookKind.WECOM:
                data["secret"] = ""
            else:
                del data["secret"]
        return data
