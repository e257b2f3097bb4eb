from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department, User

from .models import Issue, MaintenanceRecord
from .services.register import EDITABLE, TEXT_MAX

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what a date picker reads


class IssueForm(forms.ModelForm):
    """Opening an issue by hand (from the register, an order's dossier or an operation); editing
    it keeps to what the follow-up records: the order, operation and kind stay as opened."""

    wants_user = True

    class Meta:
        model = Issue
        fields = [
            "kind",
            "title",
            "severity",
            "order",
            "operation",
            "work_centre",
            "responsible_department",
            "owner",
            "due_date",
            "blocks_from",
            "blocks_until",
            "description",
            "cause",
            "solution",
        ]
        widgets = {"due_date": DATE, "blocks_from": DATE, "blocks_until": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        Order = apps.get_model("orders", "Order")
        OrderOperation = apps.get_model("planning", "OrderOperation")
        WorkCentre = apps.get_model("masterdata", "WorkCentre")
        if self.instance.pk:
            for name in list(self.fields):
                if name not in EDITABLE:
                    del self.fields[name]
        else:
            orders = Order.objects.restrict(user, "view") if user is not None else Order.objects.none()
            self.fields["order"].queryset = orders.order_by("-pk")
            self.fields["operation"].queryset = OrderOperation.objects.filter(
                order__in=orders
            ).select_related("order")
            self.fields["work_centre"].queryset = WorkCentre.objects.filter(is_archived=False)
            for name in ("cause", "solution"):
                del self.fields[name]
        self.fields["responsible_department"].queryset = Department.objects.filter(is_archived=False)
        self.fields["responsible_department"].required = True
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("username")
        for name in ("description", "cause", "solution"):
            if name in self.fields:
                self.fields[name].max_length = TEXT_MAX
                self.fields[name].widget.attrs.update(rows=3, maxlength=TEXT_MAX)

    def clean(self):
        data = super().clean()
        operation = data.get("operation")
        if operation is not None and data.get("order") is None and "order" in self.fields:
            data["order"] = operation.order
        return data


class SolutionForm(forms.Form):
    solution = forms.CharField(
        label=_("Solution"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=TEXT_MAX, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen"), max_length=TEXT_MAX)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class MaintenanceForm(forms.ModelForm):
    class Meta:
        model = MaintenanceRecord
        fields = [
            "work_centre",
            "kind",
            "date",
            "description",
            "downtime_hours",
            "performed_by",
            "next_due",
            "issue",
        ]
        widgets = {"date": DATE, "next_due": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        WorkCentre = apps.get_model("masterdata", "WorkCentre")
        self.fields["work_centre"].queryset = WorkCentre.objects.filter(is_archived=False)
        self.fields["issue"].queryset = Issue.objects.filter(kind="equipment").order_by("-pk")
        self.fields["description"].max_length = TEXT_MAX
