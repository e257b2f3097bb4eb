"""Material requirements (R-3.1): the worker computes what every material is needed for, from the
plans in force (their materials, exploded with scrap, on the days their jobs start) and the released
orders not yet planned (their products exploded through the BOMs, due on their delivery dates, made
a lead time ahead), netted against stock and what is on order (purchasing/supply.py: open PO lines
on their expected dates, receipts waiting in inspection) by engine/mrp.py, and stores it with
its pegs. It computes again when what it was computed from changes (`requirements_refresh`, a
minute's periodic job) or when purchasing or production asks."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Hashable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from gendan.core.audit import audit_record
from gendan.core.permissions import require
from gendan.engine.mrp import BomLine, Demand, Item, MrpResult, Receipt, run_mrp
from gendan.inventory.models import StockLevel
from gendan.masterdata.models import BomLine as BomRow
from gendan.masterdata.models import Material, Product
from gendan.orders.engine_adapter import LOADING_STATES
from gendan.orders.models import Order, OrderLine
from gendan.planning.models import PlanMaterial

from ..choices import RunStatus, RunTrigger
from ..models import MaterialRequirement, RequirementPeg, RequirementRun
from ..supply import on_order

ZERO = Decimal(0)
OPEN_RUN = [RunStatus.QUEUED, RunStatus.RUNNING]


def requirements_fingerprint() -> str:
    """What the requirements depend on: the open orders with their plans in force, the stock, the
    materials' and products' settings and BOMs, and what is on order (each arrival as the
    computation reads it: a PO line confirmed, moved, received or cancelled changes it)."""
    orders = list(
        Order.objects.filter(status__in=LOADING_STATES)
        .order_by("pk")
        .values_list("pk", "version", "plan__in_force_id")
    )
    stock = StockLevel.objects.aggregate(n=Count("pk"), q=Sum("quantity"), at=Max("updated_at"))
    master = [
        model.objects.aggregate(n=Count("pk"), at=Max("updated_at")) for model in (Material, Product, BomRow)
    ]
    arrivals = [(a.ref, a.material_id, a.quantity, a.date) for a in on_order()]
    return hashlib.sha256(repr((orders, stock, master, arrivals)).encode()).hexdigest()[:40]


def requirements_request(
    *, actor=None, trigger: str = RunTrigger.HAND, enqueue: bool = True
) -> RequirementRun:
    """Queue a computation (one waiting at a time: a second request joins it). `enqueue=False`: the
    caller runs it itself (the demo)."""
    if actor is not None:
        require(actor, RequirementRun, "add")
    from ..tasks import requirements_task

    with transaction.atomic():
        waiting = RequirementRun.objects.filter(status=RunStatus.QUEUED).order_by("-pk").first()
        if waiting is not None:
            return waiting
        run = RequirementRun.objects.create(trigger=trigger, created_by=actor)
        if actor is not None:
            audit_record(actor=actor, obj=run, action="create")
        if enqueue:
            transaction.on_commit(lambda: requirements_task.enqueue(run.pk))
    return run


def requirements_refresh() -> RequirementRun | None:
    """The periodic job: compute again if plans, orders, stock or settings changed since the last
    computation (finished or under way)."""
    # A failed computation carries its fingerprint too: it is not tried again every minute until
    # something changes (a BOM cycle is mended, say).
    last = RequirementRun.objects.order_by("-pk").first()
    if last is not None and (last.status in OPEN_RUN or last.fingerprint == requirements_fingerprint()):
        return None
    return requirements_request(trigger=RunTrigger.CHANGE)


def _progress(run_id: int, percent: int) -> None:
    RequirementRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(progress=percent)


def requirements_run(*, run_id: int) -> RequirementRun:
    """The worker's part: claim the queued computation, compute, store, and keep only its rows."""
    won = RequirementRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, progress=5
    )
    if not won:
        return RequirementRun.objects.get(pk=run_id)  # another worker has it
    fingerprint = requirements_fingerprint()  # first: a change meanwhile is computed next time
    try:
        today = timezone.localdate()
        demands, unplanned_orders = _demands(today)
        items, bom = _items_and_bom()
        receipts = [Receipt(("M", a.material_id), a.quantity, a.date, a.ref) for a in on_order()]
        _progress(run_id, 30)
        result = run_mrp(items, bom, demands, receipts, today=today)
        _progress(run_id, 70)
        with transaction.atomic():
            summary = _store(run_id, result)
            summary["unplanned_orders"] = unplanned_orders
            MaterialRequirement.objects.filter(~Q(run_id=run_id)).delete()
            RequirementRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
                status=RunStatus.DONE,
                progress=100,
                fingerprint=fingerprint,
                summary=summary,
                finished_at=timezone.now(),
            )
    except (ValueError, KeyError) as exc:  # a BOM cycle, an item missing: said on the page
        RequirementRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            message=str(exc)[:500],
            fingerprint=fingerprint,
            finished_at=timezone.now(),
        )
    return RequirementRun.objects.get(pk=run_id)


Peg = tuple[int, int, int | None]  # order, order line, plan version (None: not yet planned)


def _demands(today: dt.date) -> tuple[list[Demand], int]:
    """The plans in force's materials, and the products of released orders without one."""
    demands = [
        Demand(("M", material), quantity, need_date, (order, line, version))
        for material, quantity, need_date, order, line, version in PlanMaterial.objects.filter(
            version__plan__in_force=F("version"), version__plan__order__status__in=LOADING_STATES
        ).values_list(
            "material_id", "quantity", "need_date", "version__plan__order_id", "order_line_id", "version_id"
        )
    ]
    lines = OrderLine.objects.filter(
        order__status__in=LOADING_STATES,
        is_cancelled=False,
        product__isnull=False,
        quantity__gt=0,
    ).filter(Q(order__plan__isnull=True) | Q(order__plan__in_force__isnull=True))
    orders = set()
    for line, order, product, quantity, delivery in lines.values_list(
        "pk", "order_id", "product_id", "quantity", "delivery_date"
    ):
        demands.append(Demand(("P", product), quantity or ZERO, delivery or today, (order, line, None)))
        orders.add(order)
    return demands, len(orders)


def _items_and_bom() -> tuple[dict[Hashable, Item], dict[Hashable, list[BomLine]]]:
    stock: dict[Hashable, Decimal] = defaultdict(lambda: ZERO)
    for material, product, quantity in StockLevel.objects.values_list(
        "material_id", "product_id", "quantity"
    ):
        stock[("M", material) if material else ("P", product)] += quantity
    items: dict[Hashable, Item] = {}
    for pk, lead, moq, multiple, safety in Material.objects.values_list(
        "pk", "lead_time_days", "min_order_qty", "order_multiple", "safety_stock"
    ):
        key = ("M", pk)
        items[key] = Item(
            key,
            lead_time_days=lead,
            on_hand=max(stock[key], ZERO),
            safety_stock=safety or ZERO,
            min_order=moq or ZERO,
            multiple=multiple or ZERO,
        )
    for pk, lead in Product.objects.values_list("pk", "lead_time_days"):
        key = ("P", pk)
        items[key] = Item(key, lead_time_days=lead, on_hand=max(stock[key], ZERO), made=True)
    bom: dict[Hashable, list[BomLine]] = defaultdict(list)
    for parent, product, material, quantity, scrap in BomRow.objects.filter(is_archived=False).values_list(
        "parent_id", "component_product_id", "component_material_id", "quantity", "scrap_pct"
    ):
        component = ("P", product) if product else ("M", material)
        bom[("P", parent)].append(BomLine(("P", parent), component, quantity, scrap or ZERO))
    return items, bom


def _store(run_id: int, result: MrpResult) -> dict:
    to_buy = {(p.item, p.need_date): p for p in result.planned}
    rows: list[MaterialRequirement] = []
    peg_rows: list[list[RequirementPeg]] = []
    orders: set[int] = set()
    for req in result.requirements:
        key: tuple[str, int] = req.item  # type: ignore[assignment]  # ("M", material) or ("P", product)
        kind, material = key
        if kind != "M":
            continue  # products made in-house are planned by production, not bought
        planned = to_buy.get((req.item, req.date))
        shares: dict[Peg, Decimal] = defaultdict(lambda: ZERO)
        for peg, quantity in req.pegs:
            if peg is not None:
                shares[peg] += quantity  # type: ignore[index]
        rows.append(
            MaterialRequirement(
                run_id=run_id,
                material_id=material,
                need_date=req.date,
                gross=req.quantity,
                from_stock=req.from_stock,
                on_order=sum((q for _r, q in req.from_receipts), ZERO),
                net=req.net,
                to_buy=planned.quantity if planned else ZERO,
                order_by=planned.order_by if planned else None,
                late=bool(planned and planned.late),
                unplanned=any(version is None for _o, _l, version in shares),
            )
        )
        peg_rows.append(
            [
                RequirementPeg(order_id=order, order_line_id=line, version_id=version, quantity=quantity)
                for (order, line, version), quantity in shares.items()
            ]
        )
        orders.update(order for order, _l, _v in shares)
    MaterialRequirement.objects.bulk_create(rows, batch_size=500)
    pegs = []
    for row, mine in zip(rows, peg_rows, strict=True):
        for peg in mine:
            peg.requirement = row
            pegs.append(peg)
    RequirementPeg.objects.bulk_create(pegs, batch_size=1000)
    return {
        "requirements": len(rows),
        "materials": len({r.material_id for r in rows}),
        "to_buy": sum(1 for r in rows if r.to_buy > 0),
        "late": sum(1 for r in rows if r.late),
        "orders": len(orders),
    }
