"""The demo's patrol inspections (巡检) before the failed lot, so the quality records' X̄-R chart has
something to show: twenty rounds over the last five working days (four a day), five parts of each
measured on the critical diameter (Ø50, 49.95–50.05 mm). The process runs centred, then the tool
wears: the last rounds' means climb above the upper control limit while every part is still in
tolerance and every lot passes (the chart warns before the parts go bad), and then comes the lot
the demo fails (an oversize part and burrs: the nonconformance and its corrective action, "tool
wear").

Recorded through the services like any inspection, then dated at the hours of their rounds: the
demo enters in a second what the inspectors measured over a week. Seeded, so every build draws the
same values."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from gendan.planning.models import OrderOperation

from .models import ProcessInspection, ProcessMeasurement
from .services_process import (
    process_inspection_complete,
    process_inspection_create,
    process_inspection_start,
    process_measurement_record,
)

ROUNDS = 20
HOURS = (8, 10, 13, 15)  # the patrol rounds of a day shift
UNITS = 5
LOT = 40
SIGMA = 0.010  # mm: the spread of a sharp tool
# The mean of each round (mm above the nominal): centred, then the tool wears.
DRIFT = [0.0] * 16 + [0.010, 0.016, 0.022, 0.028]
SEED = 1  # its baseline crosses the centre line: the chart's signals are the drift's, not a run
CHARACTERISTIC = "关键尺寸 Ø50"


def round_times(now: dt.datetime, rounds: int = ROUNDS) -> list[dt.datetime]:
    """The last `rounds` patrol rounds before today (working days, four a day), oldest first."""
    zone = timezone.get_current_timezone()
    day, out = timezone.localtime(now).date(), []
    while len(out) < rounds:
        day -= dt.timedelta(days=1)
        if day.weekday() == 6:  # Sunday off (the demo factory works Monday to Saturday)
            continue
        out.extend(dt.datetime.combine(day, dt.time(hour, 30), tzinfo=zone) for hour in reversed(HOURS))
    return sorted(out[:rounds])


def values_of(rng: random.Random, shift: float) -> list[str]:
    """Five diameters around 50 + shift, read to the micrometer's 0.001 mm, kept inside the
    tolerance (the drift shows on the chart, not yet in the parts)."""
    out = []
    for _unit in range(UNITS):
        value = min(max(50 + shift + rng.gauss(0, SIGMA), 49.955), 50.045)
        out.append(f"{value:.3f}")
    return out


def patrol_rounds(inspector, op: OrderOperation) -> int:
    """The rounds on `op`'s in-process plan; returns how many were recorded."""
    rng = random.Random(SEED)
    made = 0
    for at, shift in zip(round_times(timezone.now()), DRIFT, strict=True):
        task = process_inspection_create(
            actor=inspector,
            kind="in_process",
            order_line_id=op.order_line_id,
            operation_id=op.pk,
            lot_quantity=LOT,
        )
        started = process_inspection_start(actor=inspector, inspection_id=task.pk)
        item = started.plan.items.get(characteristic=CHARACTERISTIC, is_archived=False)
        for unit, value in enumerate(values_of(rng, shift)[: started.sample_size], start=1):
            process_measurement_record(
                actor=inspector, inspection_id=started.pk, item_id=item.pk, unit_no=unit, value=Decimal(value)
            )
        done = process_inspection_complete(actor=inspector, inspection_id=started.pk, note="巡检")
        ProcessInspection.objects.filter(pk=done.pk).update(
            created_at=at - dt.timedelta(minutes=20),
            started_at=at - dt.timedelta(minutes=15),
            completed_at=at,
        )
        ProcessMeasurement.objects.filter(inspection_id=done.pk).update(
            recorded_at=at - dt.timedelta(minutes=5)
        )
        made += 1
    return made
