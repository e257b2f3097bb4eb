"""Test data of in-process and final inspection: an order planned by the shop floor's factory, its
operations linked to routing operations, and inspection plans for the first operation and the
finished product."""

from dataclasses import dataclass
from decimal import Decimal

from gendan.quality.models import InspectionPlan, InspectionPlanItem
from gendan.shopfloor.tests.factories import Planned, ShopFactory


@dataclass
class WithPlans:
    planned: Planned
    in_process: InspectionPlan
    final: InspectionPlan
    diameter: InspectionPlanItem
    appearance: InspectionPlanItem

    @property
    def line(self):
        return self.planned.line

    @property
    def ops(self):
        return self.planned.ops


def planned_with_plans(make, users, *, quantity: str = "1000") -> WithPlans:
    planned = ShopFactory(make, users).planned_order(quantity=quantity)
    product = planned.line.product
    for op in planned.ops:
        routing = make.operation(
            product=product, work_centre=planned.work_centre, sequence=op.sequence, name=op.name
        )
        op.routing_operation = routing
        op.save(update_fields=["routing_operation"])
    planned.line.quality_requirements = "客户要求：外径 20±0.1，无毛刺"
    planned.line.save(update_fields=["quality_requirements"])
    in_process = InspectionPlan.objects.create(
        product=product, routing_operation=planned.ops[0].routing_operation, name="下料巡检"
    )
    diameter = InspectionPlanItem.objects.create(
        plan=in_process,
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
    final = InspectionPlan.objects.create(product=product, name="成品终检")
    appearance = InspectionPlanItem.objects.create(
        plan=final, characteristic="外观", kind="attribute", frequency="first"
    )
    return WithPlans(planned, in_process, final, diameter, appearance)
