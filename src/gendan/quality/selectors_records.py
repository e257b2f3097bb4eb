"""The quality records' reads (R-4.2): the figures behind the pictures, aggregated in SQL (one
query per figure, however many records), and the record lists behind them for the exports.

Where the figures come from today:
- incoming inspections done in the period (by their completion day): defects per defect code (the
  Pareto), lots accepted per week (acceptance rate), and the p chart of the sampled units found
  nonconforming per week (d = nonconforming found, n = sample size);
- in-process and final inspections decided in the period (by their completion time): lots passed,
  and the defects found (the Pareto of defect codes counted, with the units out of limits or
  failed per plan item beside them); the X̄-R chart of a measured characteristic is
  selectors_spc's;
- the shop floor's daily reports in the period (by their work day; a reversal's negative
  quantities cancel the report it reverses): scrap per scrap reason (the Pareto), first-pass yield
  per work centre and per week, FPY = good / (good + scrap), the rolled throughput yield of each
  product (the product of its operations' FPYs, by routing sequence), and the scrap per product.

Scrap value: master data has no standard cost, so scrapped units of an order line's own product
are valued at the line's selling price (a sub-assembly's scrap has no price of its own and counts
in quantity only). It is shown only to those who may see order prices (FIELD_GROUPS "prices").

Filters: the supplier applies to incoming inspections; the work centre to the shop floor and to
in-process inspections (where the operation ran); the product to the shop floor (its operations),
to in-process and final inspections (their plan's product) and to incoming inspections of the
materials on its bill of materials (one level)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.roles import can_see
from gendan.core.i18n import pick
from gendan.engine.spc import (
    ControlChart,
    ParetoRow,
    SpcError,
    YieldRow,
    first_pass_yield,
    p_chart,
    pareto,
    rolled_throughput_yield,
    yields,
)
from gendan.masterdata.models import BomLine
from gendan.shopfloor.models import ProductionReport

from .choices import CharacteristicKind, InspectionResult, InspectionStatus, ProcessStatus
from .forms_records import RecordFilter
from .models import Inspection, InspectionDefect
from .models_process import ProcessDefect, ProcessMeasurement
from .selectors_spc import day_bounds, decided_in, decided_parts

# Who reads the quality records: quality and management (the role table); others get a 403.
RECORDS_PERMISSION = "quality.view_qualityrecords"
PARETO_TOP = 8
ZERO = Decimal(0)


def may_read_records(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(RECORDS_PERMISSION))


def may_see_value(user) -> bool:
    return can_see(user, "prices")


@dataclass
class ProductYield:
    code: str
    name: str
    steps: list[YieldRow]
    rty: float | None


@dataclass
class ProductScrap:
    code: str
    name: str
    good: Decimal
    scrap: Decimal
    value: Decimal | None  # None when the reader may not see prices


@dataclass
class QualityRecords:
    filter: RecordFilter
    show_value: bool
    lots: int = 0
    lots_accepted: int = 0
    defects: list[ParetoRow] = field(default_factory=list)
    acceptance: list[tuple[str, float | None]] = field(default_factory=list)
    p_chart: ControlChart | None = None
    scrap_reasons: list[ParetoRow] = field(default_factory=list)
    fpy_centres: list[YieldRow] = field(default_factory=list)
    fpy_weeks: list[tuple[str, float | None]] = field(default_factory=list)
    fpy_total: float | None = None
    products: list[ProductYield] = field(default_factory=list)
    scrap_products: list[ProductScrap] = field(default_factory=list)
    process_lots: int = 0
    process_passed: int = 0
    process_defects: list[ParetoRow] = field(default_factory=list)

    @property
    def acceptance_rate(self) -> float | None:
        return self.lots_accepted / self.lots if self.lots else None

    @property
    def process_pass_rate(self) -> float | None:
        return self.process_passed / self.process_lots if self.process_lots else None


# ---------------------------------------------------------------- the records read


def _lots(f: RecordFilter, path: str = "") -> Q:
    """Incoming lots inspected in the period (of the supplier; of the materials on the product's
    bill of materials), for an inspection or, through `path`, for its defects."""
    start, end = day_bounds(f)
    q = Q(
        **{
            f"{path}status": InspectionStatus.DONE,
            f"{path}completed_at__gte": start,
            f"{path}completed_at__lt": end,
        }
    )
    if f.supplier:
        q &= Q(**{f"{path}supplier": f.supplier})
    if f.product:
        materials = BomLine.objects.filter(parent=f.product, component_material__isnull=False)
        q &= Q(**{f"{path}material_id__in": materials.values("component_material_id")})
    return q


def inspections_in(*, user, f: RecordFilter) -> QuerySet[Inspection]:
    return Inspection.objects.restrict(user, "view").filter(_lots(f))


def defects_in(*, user, f: RecordFilter) -> QuerySet[InspectionDefect]:
    # Joined, not `IN (…)`: the database starts from the defects, far fewer than the lots.
    return InspectionDefect.objects.restrict(user, "view").filter(_lots(f, "inspection__"))


def reports_in(*, user, f: RecordFilter) -> QuerySet[ProductionReport]:
    qs = ProductionReport.objects.restrict(user, "view").filter(work_date__gte=f.start, work_date__lte=f.end)
    if f.product:
        qs = qs.filter(operation__product=f.product)
    if f.work_centre:
        qs = qs.filter(work_centre=f.work_centre)
    return qs


# ---------------------------------------------------------------- weeks


def weeks(f: RecordFilter) -> list[dt.date]:
    """The Mondays of the weeks the period touches, oldest first."""
    monday = f.start - dt.timedelta(days=f.start.weekday())
    out = []
    while monday <= f.end:
        out.append(monday)
        monday += dt.timedelta(days=7)
    return out


def week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_of(field: str, f: RecordFilter, *, dates: bool = False):
    """The index in weeks(f) of a row's week, by comparing its time with the Mondays between
    (local midnight for a timestamp), halving the weeks at each step: a two-year period costs a row
    seven comparisons. Truncating each row's time in its time zone would call Python per row on
    SQLite; the rows are already in the period."""
    zone = timezone.get_current_timezone()
    mondays = weeks(f)[1:]
    bounds = mondays if dates else [dt.datetime.combine(m, dt.time.min, tzinfo=zone) for m in mondays]

    def index(lo: int, hi: int):
        # Weeks lo..hi; week i (i > 0) starts at bounds[i - 1].
        if lo == hi:
            return Value(lo)
        mid = (lo + hi + 1) // 2
        return Case(
            When(**{f"{field}__lt": bounds[mid - 1]}, then=index(lo, mid - 1)),
            default=index(mid, hi),
            output_field=IntegerField(),
        )

    return index(0, len(bounds))


# ---------------------------------------------------------------- the figures


def quality_records(*, user, f: RecordFilter) -> QualityRecords:
    """Every figure of the page and the API, one aggregate query each."""
    records = QualityRecords(filter=f, show_value=may_see_value(user))
    _incoming(records, user=user, f=f)
    _in_process(records, user=user, f=f)
    _shop_floor(records, user=user, f=f)
    return records


def _incoming(records: QualityRecords, *, user, f: RecordFilter) -> None:
    by_code = (
        defects_in(user=user, f=f)
        .values("code__code", "code__name", "code__name_en")
        .annotate(total=Sum("count"))
        .order_by()
    )
    records.defects = pareto(
        _named([(r["code__code"], pick(r["code__name"], r["code__name_en"]), r["total"]) for r in by_code]),
        top=PARETO_TOP,
        other=_("Other"),
    )
    mondays = weeks(f)
    by_week = {
        mondays[r["week"]]: r
        for r in inspections_in(user=user, f=f)
        .annotate(week=week_of("completed_at", f))
        .values("week")
        .annotate(
            lots=Count("pk"),
            accepted=Count("pk", filter=Q(result=InspectionResult.ACCEPTED)),
            sampled=Sum("sample_size"),
            nonconforming=Sum("nonconforming"),
        )
        .order_by()
    }
    subgroups = []
    for monday in mondays:
        row = by_week.get(monday)
        label = week_label(monday)
        if not row:
            records.acceptance.append((label, None))
            continue
        records.lots += row["lots"]
        records.lots_accepted += row["accepted"]
        records.acceptance.append((label, row["accepted"] / row["lots"]))
        sampled, bad = row["sampled"] or 0, row["nonconforming"] or 0
        subgroups.append((label, min(bad, sampled), sampled))
    records.p_chart = _p_chart(subgroups)


def _named(rows: list[tuple[str, str, float]]) -> list[tuple[str, float]]:
    """(code, name, count) → (name, count): a bar is named as people say it; a name that two
    codes share gets its code, so their counts stay apart."""
    names = [name for _code, name, _count in rows]
    return [(f"{code} {name}" if names.count(name) > 1 else name, count) for code, name, count in rows]


def _p_chart(subgroups) -> ControlChart | None:
    try:
        return p_chart(subgroups)
    except SpcError:  # nothing sampled in the period: no chart
        return None


def _in_process(records: QualityRecords, *, user, f: RecordFilter) -> None:
    counts = decided_in(user=user, f=f).aggregate(
        lots=Count("pk"), passed=Count("pk", filter=Q(status=ProcessStatus.PASSED))
    )
    records.process_lots, records.process_passed = counts["lots"], counts["passed"]
    by_code = (
        decided_parts(ProcessDefect, user=user, f=f)
        .values("code__code", "code__name", "code__name_en")
        .annotate(total=Sum("count"))
        .order_by()
    )
    rows = [(r["code__code"], pick(r["code__name"], r["code__name_en"]), r["total"]) for r in by_code]
    # Units found out of limits (or failed) count under their characteristic, beside the codes.
    for r in (
        decided_parts(ProcessMeasurement, user=user, f=f)
        .filter(ok=False)
        .values("item_id", "item__characteristic", "item__kind")
        .annotate(total=Count("pk"))
        .order_by()
    ):
        name = r["item__characteristic"]
        worded = (
            _("%(item)s out of limits")
            if r["item__kind"] == CharacteristicKind.MEASURED
            else _("%(item)s failed")
        ) % {"item": name}
        rows.append((f"#{r['item_id']}", worded, r["total"]))
    records.process_defects = pareto(_named(rows), top=PARETO_TOP, other=_("Other"))


def _shop_floor(records: QualityRecords, *, user, f: RecordFilter) -> None:
    reports = reports_in(user=user, f=f)
    by_reason = (
        reports.exclude(scrap_qty=0)
        .values("scrap_reason__code", "scrap_reason__name", "scrap_reason__name_en")
        .annotate(total=Sum("scrap_qty"))
        .order_by()
    )
    records.scrap_reasons = pareto(
        _named(
            [
                (
                    r["scrap_reason__code"] or "",
                    pick(r["scrap_reason__name"], r["scrap_reason__name_en"])
                    if r["scrap_reason__code"]
                    else _("No reason given"),
                    float(r["total"]),
                )
                for r in by_reason
                if r["total"] > 0
            ]
        ),
        top=PARETO_TOP,
        other=_("Other"),
    )
    by_centre = (
        reports.values("work_centre__code", "work_centre__name", "work_centre__name_en")
        .annotate(good=Sum("good_qty"), scrap=Sum("scrap_qty"))
        .order_by("work_centre__code")
    )
    records.fpy_centres = yields(
        (
            f"{r['work_centre__code']} {pick(r['work_centre__name'], r['work_centre__name_en'])}",
            r["good"] + r["scrap"],
            r["good"],
        )
        for r in by_centre
    )
    started = sum(r.started for r in records.fpy_centres)
    records.fpy_total = first_pass_yield(started, sum(r.good for r in records.fpy_centres))
    mondays = weeks(f)
    # A report whose day falls in no week of the period (the week column is then empty) is left out.
    by_week = {
        mondays[r["week"]]: first_pass_yield((r["good"] or 0) + (r["scrap"] or 0), r["good"] or 0)
        for r in reports.annotate(week=week_of("work_date", f, dates=True))
        .values("week")
        .annotate(good=Sum("good_qty"), scrap=Sum("scrap_qty"))
        .order_by()
        if r["week"] in mondays
    }
    records.fpy_weeks = [(week_label(m), by_week.get(m)) for m in mondays]
    _products(records, reports)


def _products(records: QualityRecords, reports: QuerySet[ProductionReport]) -> None:
    steps: dict[tuple[str, str], list[tuple[str, Decimal, Decimal]]] = defaultdict(list)
    for r in (
        reports.values(
            "operation__product__code",
            "operation__product__name",
            "operation__product__name_en",
            "operation__sequence",
            "operation__name",
        )
        .annotate(good=Sum("good_qty"), scrap=Sum("scrap_qty"))
        .order_by("operation__product__code", "operation__sequence", "operation__name")
    ):
        product = (
            r["operation__product__code"],
            pick(r["operation__product__name"], r["operation__product__name_en"]),
        )
        steps[product].append(
            (f"{r['operation__sequence']} {r['operation__name']}", r["good"] + r["scrap"], r["good"])
        )
    for (code, name), rows in steps.items():
        step_yields = yields(rows)
        records.products.append(
            ProductYield(code, name, step_yields, rolled_throughput_yield(s.fpy for s in step_yields))
        )
    own_product = Q(operation__product_id=F("operation__order_line__product_id"))
    value = Sum(
        Case(
            When(own_product, then=F("scrap_qty") * F("operation__order_line__unit_price")),
            default=None,
            output_field=DecimalField(max_digits=20, decimal_places=4),
        )
    )
    for r in (
        reports.values("operation__product__code", "operation__product__name", "operation__product__name_en")
        .annotate(good=Sum("good_qty"), scrap=Sum("scrap_qty"), value=value)
        .order_by("-scrap", "operation__product__code")
    ):
        records.scrap_products.append(
            ProductScrap(
                code=r["operation__product__code"],
                name=pick(r["operation__product__name"], r["operation__product__name_en"]),
                good=r["good"],
                scrap=r["scrap"],
                value=(r["value"] or ZERO) if records.show_value else None,
            )
        )
