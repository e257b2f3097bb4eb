"""The checks of a plan version before it is submitted (R-2.2): load per work centre per day and
people per shift against the schedule in force (the approved versions of other orders), the kit
check per material, and the delivery date. Findings are stored on the version as warnings
({"kind", "key", "params", "acknowledged_by", "acknowledged_at"}), worded when shown."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone

from gendan.core.i18n import str_in_both
from gendan.engine.kitcheck import KitLine, Need, Supply, kit_check
from gendan.engine.loadcheck import Booking, Centre, DayLoad, ShiftPeople, load_by_day, people_by_shift
from gendan.inventory.models import StockLevel
from gendan.orders.engine_adapter import LOADING_STATES, Factory, load_centres

from ..choices import WarningKind
from ..hooks import supply_on_order
from ..models import PlanMaterial, PlannedOperation, PlanVersion

ZERO = Decimal(0)


@dataclass
class Loads:
    """What the version's page draws: the factory's calendars, and the version's loads and people."""

    factory: Factory
    days: list[DayLoad]
    shifts: list[ShiftPeople]

    def date_of(self, day: int) -> dt.date:
        return (self.factory.origin + dt.timedelta(days=day)).date()

    def at(self, minute: int) -> dt.datetime:
        return self.factory.at(minute)


def calendars(today: dt.date | None = None) -> Factory:
    """The work centres and their calendars only (what the checks need; no routings or BOMs)."""
    origin = dt.datetime.combine(today or timezone.localdate(), dt.time())
    centres, by_code = load_centres(origin)
    return Factory(
        origin=origin, work_centres=centres, routings={}, bom={}, material_ready={}, centres=by_code
    )


def _bookings(factory: Factory, rows, *, own: bool) -> list[Booking]:
    return [
        Booking(
            work_centre=row.work_centre.code,
            start=factory.minute_of(row.start),
            end=factory.minute_of(row.end),
            people=row.people,
            own=own,
        )
        for row in rows
    ]


def version_loads(version: PlanVersion, factory: Factory | None = None) -> Loads:
    factory = factory or calendars()
    own_rows = list(version.operations.select_related("work_centre"))
    if not own_rows:
        return Loads(factory, [], [])
    first = min(r.start for r in own_rows)
    last = max(r.end for r in own_rows)
    centre_ids = {r.work_centre_id for r in own_rows}
    others = (
        PlannedOperation.objects.filter(
            version__plan__in_force=F("version"),
            work_centre_id__in=centre_ids,
            start__lt=last,
            end__gt=first,
        )
        .exclude(version__plan_id=version.plan_id)
        .select_related("work_centre")
    )
    bookings = _bookings(factory, own_rows, own=True) + _bookings(factory, others, own=False)
    centres = {
        wc.id: Centre(wc.calendar, wc.machines, wc.headcount)
        for wc in factory.work_centres
        if wc.calendar is not None
    }
    return Loads(factory, load_by_day(bookings, centres), people_by_shift(bookings, centres))


def kit(version: PlanVersion, today: dt.date) -> list[KitLine]:
    """The kit check of the version's materials: stock on hand, less what other plans in force
    need for orders still open, plus what is on order, each arrival on its date (the supply sources
    registered in planning/hooks.py: purchasing's open PO lines and receipts in inspection, the
    same numbers its requirements net against)."""
    rows = list(version.materials.select_related("material"))
    ids = {r.material_id for r in rows}
    on_hand = dict(
        StockLevel.objects.filter(material_id__in=ids)
        .values("material_id")
        .annotate(q=Sum("quantity"))
        .values_list("material_id", "q")
    )
    allocated = dict(
        PlanMaterial.objects.filter(
            Q(version__plan__in_force=F("version")),
            material_id__in=ids,
            version__plan__order__status__in=LOADING_STATES,
        )
        .exclude(version__plan_id=version.plan_id)
        .values("material_id")
        .annotate(q=Sum("quantity"))
        .values_list("material_id", "q")
    )
    arriving = supply_on_order(ids)
    supplies: dict[int | str, Supply] = {
        m: Supply(
            on_hand=on_hand.get(m) or ZERO,
            allocated=allocated.get(m) or ZERO,
            arrivals=tuple(arriving.get(m, ())),
        )
        for m in ids
    }
    needs = [Need(r.material_id, r.quantity, r.need_date, r.material.lead_time_days, ref=r) for r in rows]
    return kit_check(needs, supplies, today)


@dataclass(frozen=True)
class KitChange:
    """A material of a version whose shortage changed: summed over its needs, before and after."""

    material: object  # masterdata.Material
    before: Decimal
    after: Decimal
    need_date: dt.date  # its first need still short (after), or its first need
    covered_on: dt.date | None


def kit_recheck(version: PlanVersion, today: dt.date | None = None) -> list[KitChange]:
    """The kit check of a version again (a plan in force, after what is on order moved): the new
    numbers are stored on its materials, and the materials whose shortage changed since they were
    last stored are returned. Its warnings are left alone (the planner acknowledged them before
    approval). Running it twice finds nothing the second time."""
    today = today or timezone.localdate()
    before: dict[int, Decimal] = defaultdict(lambda: ZERO)
    after: dict[int, Decimal] = defaultdict(lambda: ZERO)
    first: dict[int, tuple[dt.date, dt.date | None]] = {}  # the first need, or the first short one
    short_seen: set[int] = set()
    materials: dict[int, object] = {}
    checked: list[PlanMaterial] = []
    for line in kit(version, today):
        row: PlanMaterial = line.need.ref  # type: ignore[assignment]
        before[row.material_id] += row.shortage
        after[row.material_id] += line.shortage
        materials[row.material_id] = row.material
        m, when = row.material_id, row.need_date
        if line.short and (m not in short_seen or first[m][0] > when):
            first[m] = (when, line.covered_on)
            short_seen.add(m)
        elif m not in short_seen and (m not in first or first[m][0] > when):
            first[m] = (when, None)
        row.on_hand, row.allocated, row.on_order = line.on_hand, line.allocated, line.on_order
        row.shortage, row.covered_on = line.shortage, line.covered_on
        checked.append(row)
    PlanMaterial.objects.bulk_update(checked, ["on_hand", "allocated", "on_order", "shortage", "covered_on"])
    return [
        KitChange(materials[m], before[m], after[m], *first[m])
        for m in sorted(materials, key=lambda m: str(getattr(materials[m], "code", m)))
        if before[m] != after[m]
    ]


def _same(params) -> str:
    return json.dumps(params, sort_keys=True, default=str)


def _warning(kind: str, key: str, params: dict) -> dict:
    return {"kind": kind, "key": key, "params": params, "acknowledged_by": None, "acknowledged_at": None}


def _hhmm(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%H:%M")


def version_check(version: PlanVersion, factory: Factory | None = None) -> list[dict]:
    """Run the checks, store the kit numbers on the materials and the warnings on the version.
    Findings are grouped so the planner acknowledges a problem once, not once per day or material:
    one warning per overloaded work centre (its days), one per work centre short of people (its
    shifts), one for all short materials. A warning found again exactly as before keeps its
    acknowledgement."""
    factory = factory or calendars()
    loads = version_loads(version, factory)
    overloads: dict[str, list[dict]] = defaultdict(list)
    for d in loads.days:
        if d.overloaded:
            overloads[d.work_centre].append(
                {
                    "date": loads.date_of(d.day).isoformat(),
                    "load_hours": round(d.total / 60, 1),
                    "capacity_hours": round(d.capacity / 60, 1),
                    "percent": d.percent,
                }
            )
    short_shifts: dict[str, list[dict]] = defaultdict(list)
    for s in loads.shifts:
        if s.short:
            start, end = factory.at(s.start), factory.at(s.end)
            short_shifts[s.work_centre].append(
                {
                    "date": timezone.localtime(start).date().isoformat(),
                    "start": _hhmm(start),
                    "end": _hhmm(end),
                    "needed": s.needed,
                    "headcount": s.headcount,
                }
            )
    warnings: list[dict] = []
    for kind, found in ((WarningKind.OVERLOAD, overloads), (WarningKind.PEOPLE, short_shifts)):
        for code, items in found.items():
            params = {"work_centre": str_in_both(factory.centres[code]), "items": items}
            warnings.append(_warning(kind, f"{kind}:{code}", params))
    today = factory.origin.date()
    checked: list[PlanMaterial] = []
    shortages: list[dict] = []
    for line in kit(version, today):
        row: PlanMaterial = line.need.ref  # type: ignore[assignment]
        checked.append(row)
        row.on_hand, row.allocated, row.on_order = line.on_hand, line.allocated, line.on_order
        row.shortage, row.covered_on = line.shortage, line.covered_on
        if line.short:
            shortages.append(
                {
                    "material": str_in_both(row.material),
                    "shortage": format(line.shortage.normalize(), "f"),
                    "unit": row.material.unit,
                    "need_date": row.need_date.isoformat(),
                    "covered_on": line.covered_on.isoformat() if line.covered_on else "",
                }
            )
    if shortages:
        shortages.sort(key=lambda item: item["need_date"])
        warnings.append(_warning(WarningKind.SHORTAGE, "shortage", {"items": shortages}))
    PlanMaterial.objects.bulk_update(checked, ["on_hand", "allocated", "on_order", "shortage", "covered_on"])
    order = version.plan.order
    if version.tardiness_minutes and version.planned_finish:
        finish = timezone.localtime(version.planned_finish).date()
        due = max((ln.delivery_date for ln in order.lines.all() if ln.delivery_date), default=None)
        warnings.append(
            _warning(
                WarningKind.LATE,
                "late",
                {
                    "finish": finish.isoformat(),
                    "delivery": due.isoformat() if due else "",
                    "days": (finish - due).days if due else 0,
                    "reason": version.late_reason or {},
                },
            )
        )
    # PostgreSQL's jsonb gives the keys back in its own order: compare the parameters sorted.
    before = {(w.get("kind"), w.get("key"), _same(w.get("params"))): w for w in version.warnings or []}
    for w in warnings:
        old = before.get((w["kind"], w["key"], _same(w["params"])))
        if old and old.get("acknowledged_by"):
            w["acknowledged_by"], w["acknowledged_at"] = old["acknowledged_by"], old.get("acknowledged_at")
    version.warnings = warnings
    version.checked_at = timezone.now()
    version.save(update_fields=["warnings", "checked_at"])
    return warnings


def by_centre(days: list[DayLoad]) -> dict[str, list[DayLoad]]:
    out: dict[str, list[DayLoad]] = defaultdict(list)
    for d in days:
        out[d.work_centre].append(d)
    return out
