"""The checks before submission (R-2.2): shortages with the date they are covered, overloads and
people against the schedule in force, a late finish with the engine's reason; each warning is
acknowledged by name."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.exceptions import WorkflowConflict
from gendan.orders.tests.conftest import clean_line
from gendan.planning.messages import warning_details, warning_text
from gendan.planning.models import PlanVersion
from gendan.planning.services.adjust import plan_acknowledge_warning
from gendan.planning.services.build import plan_build
from gendan.planning.services.checks import version_check

from .helpers import put_in_force


def kinds(version):
    return sorted({w["kind"] for w in version.warnings})


def test_materials_not_in_stock_are_short_until_their_lead_time(released, planner, make):
    seal = released.lines.get().product.bom_lines.get(component_material__code="SEAL").component_material
    make.stock(material=seal, quantity=1000)
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    steel = version.materials.get(material__code="STEEL")
    assert steel.shortage == Decimal("165") and steel.on_hand == 0
    assert steel.covered_on == timezone.localdate() + dt.timedelta(days=10)
    seal_row = version.materials.get(material__code="SEAL")
    assert seal_row.shortage == 0 and seal_row.on_hand == 1000 and seal_row.covered_on is None
    (shortage,) = [w for w in version.warnings if w["kind"] == "shortage"]
    (item,) = shortage["params"]["items"]  # the seal is in stock: only the steel is short
    assert item["material"]["zh"].startswith("STEEL") or "圆钢" in item["material"]["zh"]
    assert shortage["acknowledged_by"] is None and shortage["acknowledged_at"] is None


def test_short_materials_are_one_warning_to_acknowledge_with_each_listed(released, planner):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    short = version.materials.filter(shortage__gt=0)
    assert short.count() >= 2
    (shortage,) = [w for w in version.warnings if w["kind"] == "shortage"]
    assert len(shortage["params"]["items"]) == short.count()
    text, details = warning_text(shortage), warning_details(shortage)
    assert f"{short.count()} 种物料短缺" in text
    assert len(details) == short.count() and all("短缺" in line for line in details)
    # One acknowledgement covers them all; a re-check that finds the same keeps it.
    index = version.warnings.index(shortage)
    version = plan_acknowledge_warning(actor=planner, version_id=version.pk, index=index)
    again = [w for w in version_check(version) if w["kind"] == "shortage"]
    assert again[0]["acknowledged_by"] == planner.pk


def test_a_material_allocated_to_a_plan_in_force_is_not_free_for_the_next(orders, product, planner, make):
    steel = (
        product.bom_lines.get(component_product__isnull=False)
        .component_product.bom_lines.get()
        .component_material
    )
    make.stock(material=steel, quantity=200)
    first, second = orders.released(), orders.released()
    (v1,) = plan_build(actor=planner, order_ids=[first.pk])
    assert v1.materials.get(material=steel).shortage == 0
    put_in_force(v1)
    (v2,) = plan_build(actor=planner, order_ids=[second.pk])
    row = v2.materials.get(material=steel)
    assert (row.on_hand, row.allocated, row.shortage) == (200, Decimal("165"), Decimal("130"))


def test_overload_and_people_against_the_schedule_in_force_are_warned(orders, product, planner):
    # 400 pumps: 20 hours of turning and 14 of assembly, so at least one full day of each.
    first, second = (orders.released(lines=[clean_line(product, quantity=Decimal(400))]) for _ in range(2))
    v1, v2 = plan_build(actor=planner, order_ids=[first.pk, second.pk])
    put_in_force(v1)
    # The plan in force was moved onto the draft's days (as a later reschedule may): the draft's
    # page now shows both on the same machines and people.
    for mine in v2.operations.all():
        v1.operations.filter(
            operation__sequence=mine.operation.sequence, operation__name=mine.operation.name
        ).update(start=mine.start, end=mine.end, work_centre=mine.work_centre)
    warnings = version_check(v2)
    overload = [w for w in warnings if w["kind"] == "overload"]
    people = [w for w in warnings if w["kind"] == "people"]
    # One warning per work centre, each day or shift under it.
    assert len({w["key"] for w in overload}) == len(overload)
    assert overload and max(i["percent"] for i in overload[0]["params"]["items"]) > 100
    assert people and any(i["needed"] > i["headcount"] for i in people[0]["params"]["items"])


def test_a_plan_that_cannot_make_the_delivery_date_says_why(orders, product, planner):
    soon = orders.released(
        lines=[
            clean_line(
                product, quantity=Decimal(2000), delivery_date=timezone.localdate() + dt.timedelta(days=2)
            )
        ]
    )
    (version,) = plan_build(actor=planner, order_ids=[soon.pk])
    assert version.tardiness_minutes > 0 and version.late_reason["kind"] in {
        "work_centre",
        "material",
        "chain",
    }
    assert "late" in kinds(version)


def test_each_warning_is_acknowledged_by_name_and_kept_on_re_check(released, planner):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    assert version.warnings
    version = plan_acknowledge_warning(actor=planner, version_id=version.pk, index=0)
    assert version.warnings[0]["acknowledged_by"] == planner.pk and version.warnings[0]["acknowledged_at"]
    again = version_check(version)
    assert again[0]["acknowledged_by"] == planner.pk
    PlanVersion.objects.filter(pk=version.pk).update(status="submitted")
    with pytest.raises(WorkflowConflict):
        plan_acknowledge_warning(actor=planner, version_id=version.pk, index=1)
