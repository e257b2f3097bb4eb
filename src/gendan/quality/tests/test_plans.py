"""Inspection plans (R-4.2): every generic check (list, detail, create, edit, archive, history,
export, API, the role table), and the rules a quality engineer would notice."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gendan.quality.models import InspectionPlan, InspectionPlanItem
from gendan.testing import EntityCase


def _plan(make, **kw):
    product = kw.pop("product", None) or make.product()
    return InspectionPlan.objects.create(product=product, name=kw.pop("name", "终检"), **kw)


def _item(make):
    return InspectionPlanItem.objects.create(
        plan=_plan(make),
        characteristic="外径",
        kind="measured",
        nominal=Decimal("20"),
        lower_limit=Decimal("19.9"),
        upper_limit=Decimal("20.1"),
        unit="mm",
        frequency="sampling",
        level="II",
        aql="1.0",
    )


PLAN_CASES = {
    "inspectionplan": EntityCase(
        existing=_plan,
        create=lambda make: {"product": make.product(), "name": "成品检验"},
        edit={"name": "成品终检"},
    ),
    "inspectionplanitem": EntityCase(
        existing=_item,
        create=lambda make: {
            "plan": _plan(make),
            "sequence": 10,
            "characteristic": "外观",
            "kind": "attribute",
            "frequency": "all",
        },
        edit={"characteristic": "外观无划伤"},
    ),
}

pytestmark = pytest.mark.django_db


def test_an_operation_of_another_product_is_refused(make):
    plan = InspectionPlan(product=make.product(), routing_operation=make.operation(), name="巡检")
    with pytest.raises(ValidationError) as exc:
        plan.full_clean()
    assert "routing_operation" in exc.value.message_dict


def test_one_final_plan_per_product_and_one_per_operation(make):
    product = make.product()
    _plan(make, product=product)
    with pytest.raises(ValidationError):
        InspectionPlan(product=product, name="again").full_clean()
    op = make.operation(product=product)
    _plan(make, product=product, routing_operation=op, name="巡检")
    with pytest.raises(ValidationError):
        InspectionPlan(product=product, routing_operation=op, name="again").full_clean()


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"kind": "measured", "nominal": "20", "lower_limit": "19"}, "upper_limit"),
        ({"kind": "measured", "nominal": "25", "lower_limit": "19", "upper_limit": "21"}, "nominal"),
        ({"kind": "attribute", "frequency": "sampling"}, "level"),
        ({"kind": "attribute", "frequency": "every_nth", "every_n": 1}, "every_n"),
    ],
)
def test_an_item_says_what_is_missing(make, fields, bad):
    item = InspectionPlanItem(plan=_plan(make), characteristic="x", **{"frequency": "all", **fields})
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert bad in exc.value.message_dict


def test_how_many_are_checked(make):
    item = InspectionPlanItem(plan=_plan(make), characteristic="x", kind="attribute")
    item.frequency, item.level, item.aql = "sampling", "II", "1.0"
    assert item.sample_size(500) == 50  # GB/T 2828.1: 500 at II is letter H, n = 50
    item.frequency = "first"
    assert item.sample_size(500) == 1
    item.frequency, item.every_n = "every_nth", 30
    assert item.sample_size(500) == 17
    item.frequency = "all"
    assert item.sample_size(500) == 500


def test_an_archived_plan_takes_no_new_item(make, client_for):
    plan = _plan(make)
    plan.is_archived = True
    plan.save()
    response = client_for("quality").post(
        reverse("quality:inspectionplanitem_create"),
        {"plan": plan.pk, "sequence": 10, "characteristic": "外观", "kind": "attribute", "frequency": "all"},
    )
    assert response.status_code == 200  # the form again, with the reason
    assert not InspectionPlanItem.objects.exists()


def test_the_plan_shows_the_customers_quality_requirements(make, client_for, users):
    from gendan.shopfloor.tests.factories import ShopFactory

    planned = ShopFactory(make, users).planned_order()
    planned.line.quality_requirements = "客户要求：盐雾试验 48 小时"
    planned.line.save()
    plan = _plan(make, product=planned.line.product)
    page = client_for("quality").get(reverse("quality:inspectionplan_detail", args=[plan.pk]))
    assert "盐雾试验 48 小时" in page.content.decode()
