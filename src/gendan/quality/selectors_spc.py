"""The X̄-R chart of a measured characteristic (R-4.2), read from in-process and final inspections.

One characteristic of one inspection plan (so of one product, at one operation or finished) is
charted at a time: the reader picks it on the records page; without a choice it is the first
measured characteristic of the plan inspected most often in the period (of the product filtered,
if any). Its values come from the inspections decided (passed or failed) in the period, newest
last, at the work centre filtered (the operation's actual one), if any:

- by inspection (the default): one subgroup per inspection, its values in sample-unit order, every
  subgroup cut to the size most inspections reached (engine.spc.by_inspection); an inspection that
  measured fewer units is left out and counted. When the inspections measure one unit each (a
  final check of every 50th unit), the values are grouped five in a row instead;
- n values in a row (2–10, chosen): the values in time order, grouped n at a time.

Only the last MAX_SUBGROUPS subgroups are read and charted, and the limits are computed from them:
the page answers in the same few queries however many inspections the period holds. The spec
limits (the plan item's lower and upper limit and nominal) are drawn beside the control limits;
Cp and Cpk estimate σ within subgroups (R̄ / d2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from gendan.engine.spc import (
    MAX_SUBGROUP,
    Capability,
    ControlChart,
    SpcError,
    Subgroups,
    by_inspection,
    capability,
    consecutive,
    xbar_r,
)

from .choices import CharacteristicKind, ProcessStatus
from .models_plans import InspectionPlanItem
from .models_process import ProcessInspection, ProcessMeasurement

if TYPE_CHECKING:
    from .forms_records import RecordFilter

MAX_SUBGROUPS = 50
FALLBACK_N = 5  # values in a row when the inspections measure one unit each
DECIDED = (ProcessStatus.PASSED, ProcessStatus.FAILED)


def measured_items(product_id: int | None = None) -> QuerySet[InspectionPlanItem]:
    """The measured characteristics of the plans in force (of one product when given), in the order
    the chart's select lists them."""
    qs = InspectionPlanItem.objects.filter(
        kind=CharacteristicKind.MEASURED, is_archived=False, plan__is_archived=False
    ).select_related("plan__product", "plan__routing_operation")
    if product_id:
        qs = qs.filter(plan__product_id=product_id)
    return qs.order_by(
        "plan__product__code", "plan__routing_operation__sequence", "plan_id", "sequence", "pk"
    )


def item_label(item: InspectionPlanItem) -> str:
    """ "P-001 · #10 下料 · 外径 (mm)": the product, where it is checked, what is measured."""
    unit = f" ({item.unit})" if item.unit else ""
    return f"{item.plan.product.code} · {item.plan.stage_label} · {item.characteristic}{unit}"


def day_bounds(f: RecordFilter) -> tuple[dt.datetime, dt.datetime]:
    """The period as [first day 00:00, the day after the last 00:00) in the local time zone: the
    same days as `completed_at__date`, but a range an index on the timestamp can serve."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(f.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(f.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


@dataclass
class MeasuredGroup:
    label: str  # when and which order line, for the tooltip and the export
    axis: str  # the short label under the axis
    values: tuple[float, ...]
    inspections: tuple[int, ...]  # the inspection(s) its values come from


@dataclass
class MeasuredChart:
    items: list[InspectionPlanItem] = field(default_factory=list)  # what the select offers
    item: InspectionPlanItem | None = None
    subgroup: str = ""  # as read: "" by inspection, or "2"…"10" values in a row
    in_a_row: bool = False  # grouped by values in a row (chosen, or the fallback)
    n: int = 0
    groups: list[MeasuredGroup] = field(default_factory=list)
    left_out: int = 0  # inspections with fewer values than n
    inspections: int = 0  # inspections read (at most MAX_SUBGROUPS by inspection)
    xbar: ControlChart | None = None
    r: ControlChart | None = None
    capability: Capability | None = None
    out_of_spec: int = 0  # charted values outside the spec limits

    @property
    def spec(self) -> tuple[float, float, float] | None:
        item = self.item
        if item is None or item.lower_limit is None or item.upper_limit is None or item.nominal is None:
            return None
        return float(item.lower_limit), float(item.nominal), float(item.upper_limit)

    @property
    def label(self) -> str:
        return item_label(self.item) if self.item else ""


def _decided(f: RecordFilter, path: str = "") -> Q:
    """Decided in the period (product: the plan's; work centre: where the operation ran), for an
    inspection or, through `path`, for its parts."""
    start, end = day_bounds(f)
    q = Q(
        **{
            f"{path}status__in": DECIDED,
            f"{path}completed_at__gte": start,
            f"{path}completed_at__lt": end,
        }
    )
    if f.product:
        q &= Q(**{f"{path}plan__product": f.product})
    if f.work_centre:
        q &= Q(**{f"{path}operation__work_centre": f.work_centre})
    return q


def decided_in(*, user, f: RecordFilter) -> QuerySet[ProcessInspection]:
    """In-process and final inspections decided in the period, as `user` may see them."""
    return ProcessInspection.objects.restrict(user, "view").filter(_decided(f))


def decided_parts(model, *, user, f: RecordFilter) -> QuerySet:
    """The measurements or defects of those inspections, joined rather than `IN (…)`, so the
    database may start from the few rows asked for (units out of limits, defects) instead of
    probing every inspection of the period."""
    return model.objects.restrict(user, "view").filter(_decided(f, "inspection__"))


def measured_chart(*, user, f: RecordFilter) -> MeasuredChart:
    """The X̄-R chart of the chosen (or the most inspected) characteristic, in six queries at most."""
    chart = MeasuredChart(
        items=list(measured_items(f.product.pk if f.product else None)), subgroup=f.subgroup
    )
    chart.item = _chosen(chart.items, user=user, f=f)
    if chart.item is None:
        return chart
    inspections = decided_in(user=user, f=f).filter(plan_id=chart.item.plan_id)
    if f.subgroup:
        _in_a_row(chart, inspections, int(f.subgroup))
    else:
        _by_inspection(chart, inspections)
        if chart.n < 2 and chart.inspections:
            _in_a_row(chart, inspections, FALLBACK_N)  # one unit an inspection: five in a row
    _limits(chart)
    return chart


def _chosen(items: list[InspectionPlanItem], *, user, f: RecordFilter) -> InspectionPlanItem | None:
    wanted = f.characteristic
    if wanted is not None and any(i.pk == wanted.pk for i in items):
        return next(i for i in items if i.pk == wanted.pk)
    if not items:
        return None
    # The plan inspected most often in the period; of two as often, the first listed.
    counts = dict(
        decided_in(user=user, f=f)
        .filter(plan_id__in={i.plan_id for i in items})
        .values_list("plan_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return max(enumerate(items), key=lambda pair: (counts.get(pair[1].plan_id, 0), -pair[0]))[1]


def _stamp(completed: dt.datetime, number: str, line_no: int) -> tuple[str, str]:
    local = timezone.localtime(completed)
    return f"{local:%Y-%m-%d %H:%M} · {number}/{line_no}", f"{local:%m-%d}"


def _newest(inspections: QuerySet[ProcessInspection], count: int) -> list[tuple]:
    """(pk, completed_at, order number, line no) of the newest `count` inspections, oldest first."""
    rows = list(
        inspections.order_by("-completed_at", "-pk").values_list(
            "pk", "completed_at", "order__number", "order_line__line_no"
        )[:count]
    )
    rows.reverse()
    return rows


def _values(chart: MeasuredChart, ids: list[int], per_inspection: int) -> dict[int, list[float]]:
    """The item's values of these inspections, the first `per_inspection` units of each, in unit order."""
    values: dict[int, list[float]] = {pk: [] for pk in ids}
    rows = (
        ProcessMeasurement.objects.filter(inspection_id__in=ids, item=chart.item, value__isnull=False)
        .annotate(nth=Window(RowNumber(), partition_by=[F("inspection_id")], order_by=F("unit_no").asc()))
        .filter(nth__lte=per_inspection)
        .order_by("inspection_id", "unit_no")
        .values_list("inspection_id", "value")
    )
    for inspection_id, value in rows:
        values[inspection_id].append(float(value))
    return values


def _by_inspection(chart: MeasuredChart, inspections: QuerySet[ProcessInspection]) -> None:
    newest = _newest(inspections, MAX_SUBGROUPS)
    chart.inspections = len(newest)
    values = _values(chart, [pk for pk, *_rest in newest], MAX_SUBGROUP)  # a subgroup has at most ten
    labels = {pk: _stamp(at, number, line) for pk, at, number, line in newest}
    cut = by_inspection([(str(pk), values[pk]) for pk, *_rest in newest])
    _groups(chart, cut, lambda label: (labels[int(label)], (int(label),)))


def _in_a_row(chart: MeasuredChart, inspections: QuerySet[ProcessInspection], n: int) -> None:
    # The newest MAX_SUBGROUPS × n values lie in at most as many inspections: read those only.
    wanted = MAX_SUBGROUPS * n
    newest = _newest(inspections, wanted)
    values = _values(chart, [pk for pk, *_rest in newest], wanted)
    chart.in_a_row = True
    rows = [(pk, unit, v) for pk, *_rest in newest for unit, v in enumerate(values[pk])][-wanted:]
    chart.inspections = len({pk for pk, _unit, _v in rows})
    labels = {pk: _stamp(at, number, line) for pk, at, number, line in newest}
    keys = [f"{pk}:{unit}" for pk, unit, _v in rows]
    cut = consecutive([(key, v) for key, (_pk, _unit, v) in zip(keys, rows, strict=True)], n)
    position = {key: i for i, key in enumerate(keys)}

    def of(label: str):
        # The group ending at this value holds the n values before it: their inspections.
        end = position[label] + 1
        ids = tuple(dict.fromkeys(rows[i][0] for i in range(end - n, end)))
        return labels[rows[end - 1][0]], ids

    _groups(chart, cut, of)


def _groups(chart: MeasuredChart, cut: Subgroups, of) -> None:
    chart.n, chart.left_out = cut.n, cut.left_out
    chart.groups = []
    for label, values in cut.groups:
        (text, axis), ids = of(label)
        chart.groups.append(MeasuredGroup(label=text, axis=axis, values=values, inspections=ids))


def _limits(chart: MeasuredChart) -> None:
    try:
        chart.xbar, chart.r = xbar_r([(g.label, g.values) for g in chart.groups])
    except SpcError:  # fewer than two subgroups: no limits to draw
        chart.xbar = chart.r = None
        return
    spec = chart.spec
    if spec is None:
        return
    lsl, _nominal, usl = spec
    chart.out_of_spec = sum(1 for g in chart.groups for v in g.values if v < lsl or v > usl)
    try:
        chart.capability = capability(chart.xbar.centre, chart.r.centre, chart.n, lsl, usl)
    except SpcError:
        chart.capability = None
