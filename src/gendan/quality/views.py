"""Incoming inspection's master lists (defect codes, sampling settings: the generic pages of
core.crud); the inspection pages are in views_inspection.py."""

from django.utils.translation import gettext_lazy

from gendan.core.crud import Col, EntityViews

from . import forms
from .filters import DefectCodeFilter, SamplingSettingFilter
from .models import DefectCode, SamplingSetting


class DefectCodeViews(EntityViews):
    model, namespace, slug = DefectCode, "quality", "defectcode"
    form_class, filterset_class = forms.DefectCodeForm, DefectCodeFilter
    columns = [
        Col("code", gettext_lazy("Code"), "code", link=True),
        Col("local_name", gettext_lazy("Name"), "name"),
        Col("name_en", gettext_lazy("English name"), "name_en"),
    ]


class SamplingSettingViews(EntityViews):
    model, namespace, slug = SamplingSetting, "quality", "samplingsetting"
    form_class, filterset_class = forms.SamplingSettingForm, SamplingSettingFilter
    default_sort = "pk"
    select_related = ("supplier", "material")
    columns = [
        Col("pk", gettext_lazy("Setting"), "pk", link=True, get=str),
        Col("supplier", gettext_lazy("Supplier"), "supplier__code", phone=True),
        Col("material", gettext_lazy("Material"), "material__code", phone=True),
        Col("level", gettext_lazy("Inspection level"), "level", phone=True),
        Col("aql", gettext_lazy("AQL"), "aql", phone=True),
        Col("note", gettext_lazy("Note")),
    ]


defect_codes = DefectCodeViews()
sampling_settings = SamplingSettingViews()
ALL = [defect_codes, sampling_settings]
