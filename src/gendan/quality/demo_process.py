"""In-process and final inspection's demo (step 68, after the shop floor's reports and the
stores): inspection plans for the products the shop floor has reported on (an in-process plan at
the first operation reported, a final plan), and inspections of their lots through the services:
an in-process lot passed, one failed (a diameter out of tolerance and burrs: its nonconformance
reworked, its corrective action done and waiting for quality to verify it) after a week of
patrol rounds on the same operation whose X̄-R chart shows the tool wearing (demo_patrol), a
final inspection passed, and one lot waiting for the visitor. Plans made now cover only later reports, so the
demo's earlier reports open no further tasks. A second build adds nothing."""

import datetime as dt
import io
import math
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.core import services as core_services
from gendan.core.demo import DemoPart
from gendan.orders.choices import OrderStatus
from gendan.orders.models import OrderLine
from gendan.planning.models import OrderOperation
from gendan.stores.services import last_operation

from .demo_patrol import patrol_rounds
from .models import DefectCode, InspectionPlan, InspectionPlanItem, Nonconformance, ProcessInspection
from .services_nc import action_create, action_done, action_verify, evidence_add, nc_decide
from .services_process import (
    process_defect_add,
    process_inspection_complete,
    process_inspection_create,
    process_inspection_start,
    process_measurement_record,
)

IN_PRODUCTION = (OrderStatus.IN_PRODUCTION, OrderStatus.READY_TO_SHIP)


def build_process_inspections(*, users, **_earlier) -> DemoPart:
    inspector = users["inspector"]
    if not InspectionPlan.objects.exists():
        ops = _reported_operations()
        for op in ops:
            _plans(inspector, op)
        if not ProcessInspection.objects.exists():
            _inspections(inspector, ops)
    return DemoPart(
        counts={
            "inspection plans": InspectionPlan.objects.count(),
            "in-process and final inspections": ProcessInspection.objects.count(),
            "nonconformances": Nonconformance.objects.count(),
        }
    )


def _reported_operations() -> list[OrderOperation]:
    """One operation per product, of different lines, whose line's own job has reported good units
    at an operation of the routing: the first such of each of three products."""
    rows = (
        OrderOperation.objects.filter(
            good_qty__gte=2,
            routing_operation__isnull=False,
            order__status__in=IN_PRODUCTION,
            order_line__is_cancelled=False,
        )
        .select_related("order_line", "routing_operation")
        .order_by("order__number", "order_line__line_no", "sequence")
    )
    chosen, products = [], set()
    for op in rows:
        if op.job_key != f"L{op.order_line_id}" or op.product_id in products:
            continue
        chosen.append(op)
        products.add(op.product_id)
        if len(chosen) == 3:
            break
    return chosen


def _plans(inspector, op: OrderOperation) -> None:
    create = core_services.record_create
    patrol = create(
        actor=inspector,
        model=InspectionPlan,
        data={
            "product": op.product,
            "routing_operation": op.routing_operation,
            "name": f"{op.name}巡检",
            "note": "首件确认后按 GB/T 2828.1 抽检 / first article, then sampling",
        },
    )
    for data in (
        {
            "sequence": 10,
            "characteristic": "关键尺寸 Ø50",
            "kind": "measured",
            "nominal": Decimal("50"),
            "lower_limit": Decimal("49.95"),
            "upper_limit": Decimal("50.05"),
            "unit": "mm",
            "frequency": "sampling",
            "level": "II",
            "aql": "1.0",
            "method": "外径千分尺",
        },
        {"sequence": 20, "characteristic": "首件外观", "kind": "attribute", "frequency": "first"},
    ):
        create(actor=inspector, model=InspectionPlanItem, data={"plan": patrol, **data})
    final = create(
        actor=inspector,
        model=InspectionPlan,
        data={
            "product": op.product,
            "name": "成品终检",
            "note": "按客户质量要求 / per the customer's requirements",
        },
    )
    for data in (
        {
            "sequence": 10,
            "characteristic": "外观、标识",
            "kind": "attribute",
            "frequency": "sampling",
            "level": "II",
            "aql": "2.5",
        },
        {
            "sequence": 20,
            "characteristic": "总长",
            "kind": "measured",
            "nominal": Decimal("120"),
            "lower_limit": Decimal("119.8"),
            "upper_limit": Decimal("120.2"),
            "unit": "mm",
            "frequency": "every_nth",
            "every_n": 50,
        },
    ):
        create(actor=inspector, model=InspectionPlanItem, data={"plan": final, **data})


def _measure(inspector, inspection, values) -> None:
    items = {i.characteristic: i for i in inspection.plan.items.filter(is_archived=False)}
    for name, unit_no, value in values:
        item = items[name]
        kw = {"value": value} if item.kind == "measured" else {"ok": value}
        process_measurement_record(
            actor=inspector, inspection_id=inspection.pk, item_id=item.pk, unit_no=unit_no, **kw
        )


def _inspections(inspector, ops: list[OrderOperation]) -> None:
    if not ops:
        return
    burr = DefectCode.objects.filter(code="D04").first()
    # Passed, failed and waiting: on three products' lots, or more lots of fewer products.
    for n, op in enumerate(ops[i % len(ops)] for i in range(3)):
        lot = max(1, math.floor(op.good_qty))
        task = process_inspection_create(
            actor=inspector,
            kind="in_process",
            order_line_id=op.order_line_id,
            operation_id=op.pk,
            lot_quantity=lot,
        )
        if n == 2:
            continue  # waits for the visitor
        started = process_inspection_start(actor=inspector, inspection_id=task.pk)
        if n == 0:  # within tolerance: passed
            values = ["50.01", "49.99", "50.02", "50.00", "50.01"][: started.sample_size]
            _measure(inspector, started, [("关键尺寸 Ø50", u, v) for u, v in enumerate(values, start=1)])
            _measure(inspector, started, [("首件外观", 1, "1")])
        else:  # after the patrol rounds saw the tool wear: one part oversize and burrs, failed
            patrol_rounds(inspector, op)
            values = ["50.02", "50.09", "50.03", "50.04", "50.03"][: started.sample_size]
            _measure(inspector, started, [("关键尺寸 Ø50", u, v) for u, v in enumerate(values, start=1)])
            if burr is not None:  # with the oversize part, as many as Re: failed whatever the lot
                count = max(1, started.reject_number - 1)
                process_defect_add(
                    actor=inspector, inspection_id=started.pk, code_id=burr.pk, count=count, note="边缘毛刺"
                )
        process_inspection_complete(
            actor=inspector,
            inspection_id=started.pk,
            note="" if n == 0 else "外径超上限 0.04 mm，整批返工后复检",
        )
    _corrective_action(inspector)
    _open_nonconformance(inspector, ops[0], burr)
    # The final inspection of a line of these products whose last operation reported good units:
    # passed (a line reported only part of the way is inspected at what reached its last step).
    products = {op.product_id for op in ops}
    lines = OrderLine.objects.filter(
        product_id__in=products, is_cancelled=False, order__status__in=IN_PRODUCTION
    ).order_by("order__number", "line_no")
    for line in lines:
        last = last_operation(line)
        if last is None or last.good_qty < 1:
            continue
        task = process_inspection_create(
            actor=inspector, kind="final", order_line_id=line.pk, lot_quantity=math.floor(last.good_qty)
        )
        started = process_inspection_start(actor=inspector, inspection_id=task.pk)
        _measure(inspector, started, [("总长", 1, "120.05"), ("外观、标识", 1, "1")])
        process_inspection_complete(actor=inspector, inspection_id=started.pk)
        break


def _open_nonconformance(inspector, op: OrderOperation, burr) -> None:
    """A later lot of the first product fails undersize: its nonconformance waits for quality's
    disposition (and its issue for the quality department)."""
    task = process_inspection_create(
        actor=inspector,
        kind="in_process",
        order_line_id=op.order_line_id,
        operation_id=op.pk,
        lot_quantity=max(1, math.floor(op.good_qty)),
    )
    started = process_inspection_start(actor=inspector, inspection_id=task.pk)
    values = ["49.97", "49.93", "49.96", "49.92", "49.97"][: started.sample_size]
    _measure(inspector, started, [("关键尺寸 Ø50", u, v) for u, v in enumerate(values, start=1)])
    if burr is not None and started.reject_number > 2:
        process_defect_add(
            actor=inspector,
            inspection_id=started.pk,
            code_id=burr.pk,
            count=started.reject_number - 2,
            note="倒角处毛刺",
        )
    process_inspection_complete(
        actor=inspector, inspection_id=started.pk, note="外径偏小，待质量判定处理方式"
    )


def _evidence() -> SimpleUploadedFile:
    """A picture of the updated check sheet: a grid, as a phone photo of a form would show."""
    image = Image.new("RGB", (480, 320), "white")
    draw = ImageDraw.Draw(image)
    for x in range(20, 470, 90):
        draw.line([(x, 20), (x, 300)], fill="black", width=2)
    for y in range(20, 310, 40):
        draw.line([(20, y), (470, y)], fill="black", width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("点检表.png", buffer.getvalue(), content_type="image/png")


def _corrective_action(inspector) -> None:
    """The failed lot is reworked; production owns the corrective action, done with the updated
    check sheet as its evidence, and quality has verified it (so its issue is solved, for the
    merchandiser to confirm)."""
    nc = Nonconformance.objects.filter(status="open").order_by("pk").first()
    owner = User.objects.filter(role=Role.PRODUCTION, is_active=True).order_by("pk").first()
    if nc is None or owner is None:
        return
    nc_decide(actor=inspector, nc_id=nc.pk, disposition="rework", note="整批返工后复检")
    action = action_create(
        actor=inspector,
        nc_id=nc.pk,
        containment="在制品隔离，已完工件全检",
        root_cause="刀具磨损未按时更换",
        action="刀具寿命纳入点检表，每班首件确认外径",
        owner_id=owner.pk,
        due_date=timezone.localdate() + dt.timedelta(days=7),
    )
    action_done(actor=owner, action_id=action.pk, note="已换刀，点检表已更新")
    evidence_add(actor=owner, action_id=action.pk, upload=_evidence())
    action_verify(actor=inspector, action_id=action.pk, note="返工批复检合格，后续三班首件外径均在公差内")
