"""Quality's master lists (defect codes, sampling settings, inspection plans and their items: the
generic pages of core.crud); the inspection pages are in views_inspection.py and views_process.py."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.columns import Related
from gendan.core.crud import Col, EntityViews

from . import forms
from .filters import DefectCodeFilter, InspectionPlanFilter, InspectionPlanItemFilter, SamplingSettingFilter
from .models import DefectCode, InspectionPlan, InspectionPlanItem, SamplingSetting
from .selectors_process import customer_requirements


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


def _plan_requirements(*, user, parent):
    return customer_requirements(user=user, product_id=parent.product_id)


class InspectionPlanViews(EntityViews):
    model, namespace, slug = InspectionPlan, "quality", "inspectionplan"
    form_class, filterset_class = forms.InspectionPlanForm, InspectionPlanFilter
    default_sort = "product__code"
    select_related = ("product", "routing_operation")
    columns = [
        Col("name", gettext_lazy("Plan"), "name", link=True),
        Col("product", gettext_lazy("Product"), "product__code", phone=True),
        Col("stage_label", gettext_lazy("Operation"), "routing_operation__sequence", phone=True),
        Col("note", gettext_lazy("Note")),
    ]
    related = [
        Related(
            gettext_lazy("Items"),
            lambda o: o.items.all(),
            [
                Col("sequence", gettext_lazy("Sequence")),
                Col("characteristic", gettext_lazy("Characteristic")),
                Col("kind", gettext_lazy("Kind")),
                Col("limits_text", gettext_lazy("Nominal [limits]")),
                Col("frequency", gettext_lazy("How many to check")),
                Col("level", gettext_lazy("Inspection level")),
                Col("aql", gettext_lazy("AQL")),
                Col("every_n", gettext_lazy("Every Nth")),
            ],
            "quality:inspectionplanitem",
            "plan",
        ),
        Related(
            gettext_lazy("The customers' quality requirements (open order lines of this product)"),
            None,
            [
                Col("order.number", gettext_lazy("Order")),
                Col("line_no", gettext_lazy("Line")),
                Col("order.customer", gettext_lazy("Customer")),
                Col("quality_requirements", gettext_lazy("Quality requirements")),
            ],
            selector=_plan_requirements,
        ),
    ]


class InspectionPlanItemViews(EntityViews):
    model, namespace, slug = InspectionPlanItem, "quality", "inspectionplanitem"
    form_class, filterset_class = forms.InspectionPlanItemForm, InspectionPlanItemFilter
    default_sort = "plan__product__code"
    select_related = ("plan__product", "plan__routing_operation")
    columns = [
        Col("characteristic", gettext_lazy("Characteristic"), "characteristic", link=True),
        Col("plan", gettext_lazy("Inspection plan"), "plan__product__code", phone=True),
        Col("kind", gettext_lazy("Kind"), "kind", phone=True),
        Col("limits_text", gettext_lazy("Nominal [limits]")),
        Col("frequency", gettext_lazy("How many to check"), "frequency", phone=True),
    ]

    def _check_plan(self, data: dict) -> None:
        plan = data.get("plan")
        if plan is not None and plan.is_archived:
            raise ValidationError({"plan": _("The plan is archived: restore it before changing its items.")})

    def create(self, *, actor, data: dict):
        self._check_plan(data)
        return super().create(actor=actor, data=data)

    def update(self, *, actor, pk, data: dict):
        self._check_plan(data)
        return super().update(actor=actor, pk=pk, data=data)


defect_codes = DefectCodeViews()
sampling_settings = SamplingSettingViews()
inspection_plans = InspectionPlanViews()
inspection_plan_items = InspectionPlanItemViews()
ALL = [defect_codes, sampling_settings, inspection_plans, inspection_plan_items]
