"""The quality records' filter (R-4.2): product, supplier, work centre and a period (this month,
last month, the last three months, or a range of dates), and for the X̄-R chart the measured
characteristic and how its values are grouped. One form serves the page, its exports and the API,
so a bad value is refused the same way everywhere (a 400 naming the field)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import date_picker
from gendan.masterdata.models import Product, Supplier, WorkCentre

from .models_plans import InspectionPlanItem
from .selectors_spc import item_label, measured_items

MAX_DAYS = 731  # two years: a longer range is a report for the data warehouse, not a page


class PeriodChoice:
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    QUARTER = "quarter"
    CUSTOM = "custom"

    choices = [
        (THIS_MONTH, _("This month")),
        (LAST_MONTH, _("Last month")),
        (QUARTER, _("Last 3 months")),
        (CUSTOM, _("Dates from … to …")),
    ]


@dataclass(frozen=True)
class RecordFilter:
    """What the selectors read: the days [start, end] (both included) and the chosen records."""

    start: dt.date
    end: dt.date
    product: Product | None = None
    supplier: Supplier | None = None
    work_centre: WorkCentre | None = None
    characteristic: InspectionPlanItem | None = None  # None: the one inspected most in the period
    subgroup: str = ""  # "inspection", "2"…"10" consecutive values, or "" (by inspection if it can)

    @property
    def key(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def period_days(choice: str, today: dt.date, start=None, end=None) -> tuple[dt.date, dt.date]:
    first = today.replace(day=1)
    if choice == PeriodChoice.THIS_MONTH:
        return first, today
    if choice == PeriodChoice.LAST_MONTH:
        last = first - dt.timedelta(days=1)
        return last.replace(day=1), last
    if choice == PeriodChoice.CUSTOM:
        return start, end
    # The last three months: from the same day three months ago (the month's last day if shorter).
    month, year = today.month - 3, today.year
    if month < 1:
        month, year = month + 12, year - 1
    for day in range(today.day, 0, -1):
        try:
            return dt.date(year, month, day) + dt.timedelta(days=1), today
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _in_a_row(n: int) -> str:
    return gettext("%(n)s values in a row") % {"n": n}


# Worded when shown, in the reader's language (not once, when the module is imported).
SUBGROUP_CHOICES = [
    ("", _("One inspection's values")),
    *[(str(n), lazy(_in_a_row, str)(n)) for n in range(2, 11)],
]
CHART_FIELDS = ("characteristic", "subgroup")


class CharacteristicField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return item_label(obj)


class RecordFilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), choices=PeriodChoice.choices, required=False, initial=PeriodChoice.QUARTER
    )
    start = forms.DateField(label=_("From"), required=False, widget=date_picker())
    end = forms.DateField(label=_("To"), required=False, widget=date_picker())
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.all(), required=False)
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=Supplier.objects.all(), required=False)
    work_centre = forms.ModelChoiceField(
        label=_("Work centre"), queryset=WorkCentre.objects.all(), required=False
    )

    characteristic = CharacteristicField(
        label=_("Characteristic"),
        queryset=InspectionPlanItem.objects.none(),
        required=False,
        empty_label=_("(inspected most often)"),
    )
    subgroup = forms.ChoiceField(label=_("Subgroup"), choices=SUBGROUP_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any measured characteristic is accepted (one of another product than the filter's is
        # passed over by the chart, not refused); the page lists the product's own.
        self.fields["characteristic"].queryset = measured_items()
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")

    def clean(self):
        data = super().clean()
        choice = data.get("period") or PeriodChoice.QUARTER
        start, end = data.get("start"), data.get("end")
        if choice == PeriodChoice.CUSTOM:
            if not start:
                self.add_error("start", _("Give the first day of the period."))
            if not end:
                self.add_error("end", _("Give the last day of the period."))
            if start and end and start > end:
                self.add_error("end", _("The last day comes before the first."))
            if start and end and (end - start).days >= MAX_DAYS:
                self.add_error("end", _("Choose at most two years."))
        data["period"] = choice
        return data

    def record_filter(self) -> RecordFilter:
        """The filter of a valid form."""
        data = self.cleaned_data
        start, end = period_days(data["period"], timezone.localdate(), data.get("start"), data.get("end"))
        return RecordFilter(
            start=start,
            end=end,
            product=data.get("product"),
            supplier=data.get("supplier"),
            work_centre=data.get("work_centre"),
            characteristic=data.get("characteristic"),
            subgroup=data.get("subgroup") or "",
        )
