from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class StyledModelForm(forms.ModelForm):
    """Model form whose widgets carry our CSS classes; dates and times use the browser's pickers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
            elif isinstance(widget, forms.TimeInput):
                widget.input_type = "time"
            if isinstance(widget, forms.CheckboxInput):
                continue
            widget.attrs.setdefault("class", "input")


# A browser's date and time pickers read and send ISO values only: rendered in the reader's locale
# format (2026/12/07 in Chinese) the picker shows nothing, and saving the form again loses the value.
def date_picker(**attrs) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def datetime_picker(**attrs) -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local", **attrs}, format="%Y-%m-%dT%H:%M")
