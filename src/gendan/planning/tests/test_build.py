"""Building plans (R-2.1): the engine places every operation of the routing, sub-assemblies first,
and the plan lists the materials exploded from the BOM with scrap."""

from decimal import Decimal

from gendan.planning.models import OrderOperation
from gendan.planning.services.build import plan_build


def test_a_two_level_order_places_the_sub_assembly_before_the_parent(released, planner):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    assert version.status == "draft" and version.number == 1
    rows = {
        (r.operation.job_key.count("."), r.operation.name): r
        for r in version.operations.select_related("operation")
    }
    turning, assembly, test = rows[(1, "车削")], rows[(0, "装配")], rows[(0, "测试")]
    assert turning.end <= assembly.start <= assembly.end <= test.start
    assert turning.work_centre.code in {"CNC", "CNC2"} and assembly.work_centre.code == "ASM"
    assert OrderOperation.objects.filter(order=released).count() == 3
    materials = {m.material.code: m for m in version.materials.select_related("material")}
    assert materials["STEEL"].quantity == Decimal("165")  # 100 shafts × 1.5 kg + 10 % scrap
    assert materials["SEAL"].quantity == Decimal("210")
    assert materials["STEEL"].need_date == turning.start.date()
    assert version.planned_start == turning.start and version.planned_finish == test.end
