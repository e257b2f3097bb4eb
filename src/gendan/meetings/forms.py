from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.accounts.models import Department, User
from gendan.core.forms import date_picker

from .models import Meeting
from .services import PLACE_MAX, TEXT_MAX, TITLE_MAX

DATE = date_picker()
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _people():
    return User.objects.filter(is_active=True).order_by("username")


class MeetingForm(forms.ModelForm):
    """Calling a meeting (its attendees too); editing changes title, time, place and chair."""

    class Meta:
        model = Meeting
        fields = ["title", "held_on", "place", "chair", "attendees"]
        widgets = {"held_on": WHEN}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["title"].max_length = TITLE_MAX
        self.fields["place"].max_length = PLACE_MAX
        self.fields["chair"].queryset = _people()
        self.fields["chair"].required = False
        if self.instance.pk:
            del self.fields["attendees"]
        else:
            self.fields["attendees"].queryset = _people()


class AgendaFilterForm(forms.Form):
    """Which open issues to preview for the agenda: of an order, a department, or older than."""

    order = forms.CharField(label=_("Order number"), max_length=30, required=False)
    department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=Department.objects.filter(is_archived=False),
        required=False,
    )
    older_than = forms.IntegerField(
        label=_("Opened more than (days) ago"), min_value=0, max_value=3650, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_order(self):
        from gendan.orders.models import Order

        number = self.cleaned_data["order"].strip()
        if not number:
            return None
        order = Order.objects.restrict(self.user, "view").filter(number=number).first()
        if order is None:
            raise forms.ValidationError(_("No order of yours has this number."))
        return order


class AttendeesForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _people()


class DecisionForm(forms.Form):
    decision = forms.CharField(
        label=pgettext_lazy("meeting", "Decision"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_date = forms.DateField(label=_("New due date of the issue"), required=False, widget=DATE)
    owner = forms.ModelChoiceField(
        label=_("New owner of the issue"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()


class ActionForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("meeting", "Action"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    agenda_item = forms.TypedChoiceField(
        label=_("On agenda issue"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()
        items = list(meeting.agenda.all()) if meeting is not None else []
        self.fields["agenda_item"].choices = [("", "—")] + [
            (item.pk, f"{item.issue.number} {item.issue.title[:40]}") for item in items
        ]
        self.items = {item.pk: item for item in items}

    def clean_agenda_item(self):
        pk = self.cleaned_data.get("agenda_item")
        return self.items.get(pk) if pk else None
