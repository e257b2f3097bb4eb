"""The KPI settings form: hours per step, then per figure its target and weight. The field names
are the service's (`hours_<step>`, `target_<figure>`, `weight_<figure>`), so its messages land on
the field they name."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.engine import kpi as engine

from .labels import FIGURE_LABELS, STEP_LABELS, UNIT_LABELS


class KpiSettingsForm(forms.Form):
    def __init__(self, *args, values, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in engine.STEPS:
            self.fields[f"hours_{kind}"] = forms.DecimalField(
                label=STEP_LABELS[kind],
                help_text=_("h"),
                min_value=Decimal("0.1"),
                max_value=Decimal(24 * 90),
                decimal_places=1,
                initial=values["step_hours"].get(kind),
            )
        for code, (unit, _better) in engine.FIGURES.items():
            self.fields[f"target_{code}"] = forms.DecimalField(
                label=FIGURE_LABELS[code],
                help_text=UNIT_LABELS.get(unit, unit),
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100) if unit == "%" else Decimal(100_000),
                decimal_places=2,
                initial=values["targets"].get(code),
            )
            self.fields[f"weight_{code}"] = forms.DecimalField(
                label=FIGURE_LABELS[code],
                min_value=Decimal(0),
                max_value=Decimal(1000),
                decimal_places=2,
                initial=values["weights"].get(code, 0),
            )

    def rows(self):
        """(figure's label, target field, weight field) for the table."""
        return [(FIGURE_LABELS[c], self[f"target_{c}"], self[f"weight_{c}"]) for c in engine.FIGURES]

    def hours(self):
        return [self[f"hours_{k}"] for k in engine.STEPS]

    def split(self) -> dict:
        data = self.cleaned_data
        return {
            "step_hours": {k: data[f"hours_{k}"] for k in engine.STEPS},
            "targets": {c: data[f"target_{c}"] for c in engine.FIGURES},
            "weights": {c: data[f"weight_{c}"] for c in engine.FIGURES},
        }
