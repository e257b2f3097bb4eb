"""Reading the KPIs (R-7.1): who may see whose, the figures of a period for every merchandiser one
may see (one collection for all of them: the query count does not grow with the merchandisers or
the records), one merchandiser's figures with the records behind each, and his months' trend."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils import timezone

from gendan.accounts.choices import Role
from gendan.accounts.models import User
from gendan.engine import kpi as engine
from gendan.engine.scorecard import Period, month, parse_period, quarter

from . import sources
from .collect import Collected, Ref, collect
from .labels import FIGURE_KIND
from .models import KpiSnapshot
from .services import engine_settings
from .snapshots import FRESH_FOR, report_from_json, settings_key

READ = "kpi.view_kpi"
READ_ALL = "kpi.view_all_kpi"
TREND_MONTHS = 12


def read_period(text: str | None) -> Period:
    """The period asked for: empty is the current quarter (PeriodError when unreadable)."""
    today = timezone.localdate()
    if not (text or "").strip():
        return quarter(today.year, (today.month - 1) // 3 + 1)
    return parse_period(text[:20], today=today)


def may_read(user) -> bool:
    return user.has_perm(READ)


def merchandisers(user):
    """The merchandisers whose KPIs the user may read: all for management, himself otherwise."""
    qs = User.objects.filter(role=Role.MERCHANDISER)
    if not user.has_perm(READ_ALL):
        if not user.has_perm(READ):
            return qs.none()
        qs = qs.filter(pk=user.pk)
    return qs.filter(is_active=True).order_by("display_name", "username")


@dataclass(frozen=True)
class Row:
    merchandiser: User
    report: engine.Report
    as_of: dt.datetime  # when the figures were computed (a stored report's time, or now)


def _as_of() -> dt.datetime:
    return timezone.localtime()


def effective_settings() -> engine.KpiSettings:
    """The settings in force; without a complaints source the count of complaints is unknown, not
    0, so it cannot weigh in the score (see `report_of`)."""
    settings = engine_settings()
    if sources.source("complaints") is None:
        settings = replace(
            settings,
            weights={**settings.weights, "complaints": 0},
            targets={**settings.targets, "complaints": None},
        )
    return settings


def report_of(records: engine.Records, period: Period, as_of: dt.datetime, settings) -> engine.Report:
    report = engine.report(records, period, as_of=as_of, settings=settings)
    if sources.source("complaints") is None and report.figures["complaints"].value is not None:
        # No area records complaints yet: the engine counts none received, but none are known.
        figure = replace(report.figures["complaints"], value=None, met=None, reason=engine.NO_RECORDS)
        report = replace(report, figures={**report.figures, "complaints": figure})
    return report


def _stored(ids: list[int], period: Period, settings: engine.KpiSettings, as_of: dt.datetime) -> dict:
    """{merchandiser id: (report, computed at)} of the fresh reports the worker stored under these
    settings (snapshots.py); the others are computed live."""
    rows = KpiSnapshot.objects.filter(
        period_key=period.key,
        merchandiser_id__in=ids,
        settings_key=settings_key(settings),
        computed_at__gte=as_of - FRESH_FOR,
        computed_at__lte=as_of,
    ).values_list("merchandiser_id", "report", "computed_at")
    return {pk: (report_from_json(data, period), timezone.localtime(at)) for pk, data, at in rows}


def kpi_overview(*, user, period: Period) -> list[Row]:
    """Every merchandiser's report of the period: the worker's stored one when fresh, else live
    (one collection for all those without)."""
    people = list(merchandisers(user))
    settings, as_of = effective_settings(), _as_of()
    stored = _stored([p.pk for p in people], period, settings, as_of)
    live = [p.pk for p in people if p.pk not in stored]
    found = collect(live, period.start, period.end, refs=False)
    rows = []
    for p in people:
        report, at = stored.get(p.pk) or (report_of(found.of(p.pk), period, as_of, settings), as_of)
        rows.append(Row(p, report, at))
    return rows


@dataclass(frozen=True)
class Line:
    """One record behind a figure: counted (in the figure) and missed (against it)."""

    id: object
    ref: Ref
    missed: bool


@dataclass(frozen=True)
class Drill:
    figure: engine.Figure
    kind: str
    lines: list[Line]


@dataclass(frozen=True)
class Detail:
    merchandiser: User
    report: engine.Report
    drills: list[Drill]


def drills(report: engine.Report, found: Collected) -> list[Drill]:
    out = []
    for code, figure in report.figures.items():
        kind = FIGURE_KIND[code]
        missed = set(figure.missed)
        ids = list(figure.counted) + [i for i in figure.missed if i not in set(figure.counted)]
        # Complaints per 100 shipments counts shipments and holds the complaints against it.
        against = "complaint" if code == "complaints_per_100" else kind
        lines = [
            Line(i, found.refs.get((against if i in missed else kind, i)) or Ref(str(i)), i in missed)
            for i in ids
        ]
        out.append(Drill(figure, kind, lines))
    return out


def _trend_months(last: Period, months: int) -> tuple[Period, Period]:
    end = month(last.end.year, last.end.month)
    first = end
    for _i in range(months - 1):
        first = first.previous()
    return first, end


def kpi_detail(*, merchandiser: User, period: Period) -> Detail:
    found = collect([merchandiser.pk], period.start, period.end)
    report = report_of(found.of(merchandiser.pk), period, _as_of(), effective_settings())
    return Detail(merchandiser, report, drills(report, found))


def kpi_detail_and_trend(
    *, merchandiser: User, period: Period, months: int = TREND_MONTHS
) -> tuple[Detail, list[engine.Report]]:
    """The period's figures with their records, and the months up to the period's end, from one
    collection of his records over both."""
    first, end = _trend_months(period, months)
    found = collect([merchandiser.pk], min(first.start, period.start), max(end.end, period.end))
    settings, as_of = effective_settings(), _as_of()
    records = found.of(merchandiser.pk)
    report = report_of(records, period, as_of, settings)
    trend = [report_of(records, m, as_of, settings) for m in engine.months_between(first.start, end.end)]
    return Detail(merchandiser, report, drills(report, found)), trend


def kpi_trend(*, merchandiser: User, last: Period, months: int = TREND_MONTHS) -> list[engine.Report]:
    """The months up to the end of `last` (the month it ends in, and the ones before)."""
    return kpi_detail_and_trend(merchandiser=merchandiser, period=last, months=months)[1]
