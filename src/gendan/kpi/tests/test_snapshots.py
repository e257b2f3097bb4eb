"""The stored reports the overview reads (snapshots.py): the worker's reports are shown while fresh
and computed under the settings in force; a stale one, one under other settings, or a merchandiser
the worker has not seen yet is computed live. One merchandiser's page is always live."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.engine.scorecard import month
from gendan.kpi.collect import collect
from gendan.kpi.models import KpiSnapshot
from gendan.kpi.refresh import kpi_snapshots_refresh
from gendan.kpi.selectors import effective_settings, kpi_overview, report_of
from gendan.kpi.services import kpi_settings_update
from gendan.kpi.snapshots import FRESH_FOR, report_from_json, report_to_json, stored_periods

pytestmark = pytest.mark.django_db


def _moment(days_ago: float, hour: float = 9) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone()) + dt.timedelta(
        hours=hour
    )


@pytest.fixture
def period():
    """The month of the records below (three days ago: this month or the last, both stored)."""
    day = timezone.localdate() - dt.timedelta(days=3)
    return month(day.year, day.month)


def _order(rec, merchandiser, *, late: bool):
    received = _moment(3)
    return rec.order(
        merchandiser,
        received=received.date().isoformat(),
        entered=received,
        reviewed=received + dt.timedelta(hours=30 if late else 2),
    )


def _figure(rows, person, code="review_on_time"):
    return next(r for r in rows if r.merchandiser == person).report.figures[code]


def test_a_report_survives_the_round_trip_whole(rec, merch, period):
    _order(rec, merch, late=True)
    _order(rec, merch, late=False)
    found = collect([merch.pk], period.start, period.end)
    report = report_of(found.of(merch.pk), period, timezone.localtime(), effective_settings())
    assert report.figures["review_on_time"].counted  # something to carry
    assert report_from_json(report_to_json(report), period) == report


def test_the_overview_reads_the_worker_s_reports_while_fresh(rec, merch, users, period):
    manager = users["management"]
    _order(rec, merch, late=False)
    stored = kpi_snapshots_refresh()
    assert (
        stored
        == len(stored_periods(timezone.localdate()))
        * KpiSnapshot.objects.values("merchandiser").distinct().count()
    )
    _order(rec, merch, late=True)  # after the worker's run: not in the stored report yet
    rows = kpi_overview(user=manager, period=period)
    assert _figure(rows, merch).value == 100
    assert rows[0].as_of == timezone.localtime(KpiSnapshot.objects.first().computed_at)
    # One merchandiser's page is computed live: the late review is there.
    from gendan.kpi.selectors import kpi_detail

    assert kpi_detail(merchandiser=merch, period=period).report.figures["review_on_time"].value == 50


def test_a_stale_report_is_computed_live(rec, merch, users, period):
    _order(rec, merch, late=False)
    kpi_snapshots_refresh(now=timezone.now() - FRESH_FOR - dt.timedelta(minutes=1))
    _order(rec, merch, late=True)
    assert _figure(kpi_overview(user=users["management"], period=period), merch).value == 50


def test_after_a_settings_change_the_figures_are_computed_under_the_new_settings(
    rec, merch, users, period, monkeypatch
):
    monkeypatch.setattr("gendan.kpi.services.kpi_refresh_task", SimpleNamespace(enqueue=lambda: None))
    _order(rec, merch, late=True)  # 30 hours
    kpi_snapshots_refresh()
    manager = users["management"]
    assert _figure(kpi_overview(user=manager, period=period), merch).value == 0
    kpi_settings_update(actor=manager, step_hours={"review": 36})
    assert _figure(kpi_overview(user=manager, period=period), merch).value == 100


def test_a_merchandiser_the_worker_has_not_seen_is_computed_live(rec, merch, merch2, users, period):
    KpiSnapshot.objects.all().delete()
    kpi_snapshots_refresh()
    KpiSnapshot.objects.filter(merchandiser=merch2).delete()
    _order(rec, merch2, late=True)
    rows = kpi_overview(user=users["management"], period=period)
    assert _figure(rows, merch2).value == 0


def test_the_page_says_when_its_figures_were_computed(client_for, rec, merch, period):
    _order(rec, merch, late=False)
    kpi_snapshots_refresh(now=timezone.now() - dt.timedelta(minutes=4))
    html = client_for("management").get(reverse("kpi:overview") + f"?period={period.key}").content.decode()
    stamp = timezone.localtime(KpiSnapshot.objects.first().computed_at).strftime("%Y-%m-%d %H:%M")
    assert stamp in html


def test_a_settings_change_asks_the_worker_for_new_reports(
    users, django_capture_on_commit_callbacks, monkeypatch
):
    asked = []
    monkeypatch.setattr(
        "gendan.kpi.services.kpi_refresh_task", SimpleNamespace(enqueue=lambda: asked.append(1))
    )
    with django_capture_on_commit_callbacks(execute=True):
        kpi_settings_update(actor=users["management"], step_hours={"review": 30})
    assert asked == [1]
