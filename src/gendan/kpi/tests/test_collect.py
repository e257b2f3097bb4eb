"""The collectors: the database as the KPI engine's records, each attributed to the order's
merchandiser, and the figures they give (R-7.1)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.engine import kpi as engine
from gendan.engine.scorecard import month
from gendan.kpi import sources
from gendan.kpi.collect import collect
from gendan.kpi.selectors import kpi_detail
from gendan.orders.choices import OrderStatus
from gendan.planning.choices import VersionStatus

from .conftest import at

pytestmark = pytest.mark.django_db
MARCH = month(2025, 3)


def _report(user):
    found = collect([user.pk], MARCH.start, MARCH.end)
    return engine.report(found.of(user.pk), MARCH, as_of=at("2025-06-01"))


@pytest.fixture
def source(monkeypatch):
    """Put a source in place of the registered one, or take one away, for one test only (the apps'
    own sources are back afterwards for the tests that follow)."""

    def put(name, fn, describe=None):
        monkeypatch.setitem(sources._SOURCES, name, sources.Source(fn, describe))

    put.drop = lambda name: monkeypatch.delitem(sources._SOURCES, name, raising=False)
    return put


def test_a_review_30_hours_after_receipt_is_missed_against_a_24_hour_target(rec, merch):
    late = rec.order(merch, received="2025-03-03", entered=at("2025-03-03", 9), reviewed=at("2025-03-04", 15))
    quick = rec.order(
        merch, received="2025-03-05", entered=at("2025-03-05", 9), reviewed=at("2025-03-05", 20)
    )
    figure = _report(merch).figures["review_on_time"]
    assert figure.counted == (late.pk, quick.pk)
    assert figure.missed == (late.pk,)
    assert figure.value == Decimal("50.0")
    assert _report(merch).figures["review_median"].value == Decimal("20.5")  # 30 h and 11 h


def test_an_order_entered_days_after_receipt_started_its_clock_on_the_day_received(rec, merch):
    order = rec.order(
        merch, received="2025-03-03", entered=at("2025-03-05", 10), reviewed=at("2025-03-05", 11)
    )
    figure = _report(merch).figures["review_on_time"]
    assert figure.missed == (order.pk,)  # 2 days and 11 h after the 3rd began


def test_release_counts_from_review_and_a_still_open_late_release_is_missed(rec, merch):
    on_time = rec.order(
        merch, received="2025-03-03", reviewed=at("2025-03-03", 12), released=at("2025-03-04", 8)
    )
    waiting = rec.order(merch, received="2025-03-10", reviewed=at("2025-03-10", 12))
    figure = _report(merch).figures["release_on_time"]
    assert figure.counted == (on_time.pk, waiting.pk)
    assert figure.missed == (waiting.pk,)


def test_acknowledgements_and_plans_are_counted_for_the_orders_merchandiser(rec, merch):
    order = rec.order(
        merch, received="2025-03-03", reviewed=at("2025-03-03", 12), released=at("2025-03-03", 14)
    )
    fast = rec.ack(order, sent=at("2025-03-03", 14), done=at("2025-03-03", 16))
    slow = rec.ack(order, sent=at("2025-03-03", 14), done=at("2025-03-05", 16), kind="purchasing")
    decided = rec.plan_version(order, submitted=at("2025-03-04", 9), decided=at("2025-03-04", 17))
    late = rec.plan_version(
        order, submitted=at("2025-03-06", 9), decided=at("2025-03-09", 9), status=VersionStatus.REJECTED
    )
    rec.plan_version(
        order, submitted=at("2025-03-07", 9), status=VersionStatus.WITHDRAWN
    )  # nothing to decide
    report = _report(merch)
    assert report.figures["ack_on_time"].counted == (fast.pk, slow.pk)
    assert report.figures["ack_on_time"].missed == (slow.pk,)
    assert report.figures["plan_on_time"].counted == (decided.pk, late.pk)
    assert report.figures["plan_on_time"].missed == (late.pk,)


def test_a_cancelled_order_never_reviewed_is_no_late_review(rec, merch):
    rec.order(merch, received="2025-03-03", status=OrderStatus.CANCELLED)
    assert _report(merch).figures["review_on_time"].value is None


def test_issues_of_his_orders_closed_late_and_open_overdue(rec, merch):
    order = rec.order(merch, received="2025-02-20", reviewed=at("2025-02-20", 12))
    in_time = rec.issue(order, opened=at("2025-03-02"), due="2025-03-05", closed=at("2025-03-04"))
    late = rec.issue(order, opened=at("2025-03-02"), due="2025-03-05", closed=at("2025-03-08"))
    open_overdue = rec.issue(order, opened=at("2025-03-20"), due="2025-03-25")
    report = _report(merch)
    assert report.figures["issues_closed_overdue"].counted == (in_time.pk, late.pk)
    assert report.figures["issues_closed_overdue"].missed == (late.pk,)
    assert report.figures["issues_closed_overdue"].value == Decimal("50.0")
    assert report.figures["issues_open_overdue"].missed == (open_overdue.pk,)
    assert report.figures["issue_close_median"].value == Decimal("4.0")  # 2 and 6 days


def test_each_merchandiser_gets_only_the_records_of_his_orders(rec, merch, merch2):
    mine = rec.order(merch, received="2025-03-03", reviewed=at("2025-03-03", 12))
    theirs = rec.order(merch2, received="2025-03-04", reviewed=at("2025-03-06", 12))
    found = collect([merch.pk, merch2.pk], MARCH.start, MARCH.end)
    assert [s.id for s in found.of(merch.pk).steps if s.kind == "review"] == [mine.pk]
    assert [s.id for s in found.of(merch2.pk).steps if s.kind == "review"] == [theirs.pk]


def test_records_outside_the_period_are_not_collected(rec, merch):
    rec.order(merch, received="2025-04-02", reviewed=at("2025-04-02", 12))
    assert _report(merch).figures["review_on_time"].value is None


def test_the_query_count_does_not_grow_with_the_records(rec, merch, merch2):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            collect([merch.pk, merch2.pk], MARCH.start, MARCH.end)
        return len(ctx.captured_queries)

    order = rec.order(
        merch, received="2025-03-03", reviewed=at("2025-03-03", 12), released=at("2025-03-03", 13)
    )
    rec.ack(order, sent=at("2025-03-03", 13))
    few = count()
    for day in range(4, 20):
        o = rec.order(
            merch2,
            received=f"2025-03-{day:02d}",
            reviewed=at(f"2025-03-{day:02d}", 12),
            released=at(f"2025-03-{day:02d}", 13),
        )
        rec.ack(o, sent=at(f"2025-03-{day:02d}", 13))
        rec.plan_version(o, submitted=at(f"2025-03-{day:02d}", 15))
        rec.issue(o, opened=at(f"2025-03-{day:02d}", 15))
    assert count() == few


def test_a_registered_source_feeds_its_figures_and_drill_down(rec, merch, source):
    def complaints(ids, start, end):
        return {merch.pk: [engine.Complaint("c1", dt.date(2025, 3, 10))]}

    source("complaints", complaints, describe=lambda kind, ids: {i: ("KS-1", "/x/") for i in ids})
    detail = kpi_detail(merchandiser=merch, period=MARCH)
    figure = detail.report.figures["complaints"]
    assert figure.value == Decimal(1)
    drill = next(d for d in detail.drills if d.figure.code == "complaints")
    assert [(line.ref.label, line.ref.url, line.missed) for line in drill.lines] == [("KS-1", "/x/", True)]


def test_without_a_registered_source_delivery_has_no_data_and_leaves_the_score(rec, merch, source):
    source.drop("lines")
    rec.order(
        merch,
        received="2025-03-03",
        entered=at("2025-03-03", 9),
        reviewed=at("2025-03-03", 12),
        released=at("2025-03-03", 14),
    )
    report = _report(merch)
    assert report.figures["delivery_on_time"].value is None
    assert report.left_out["delivery_on_time"] == engine.NO_VALUE
    assert report.score == Decimal(100)


def test_without_a_complaints_source_the_complaints_are_unknown_not_zero(rec, merch, source):
    source.drop("complaints")
    detail = kpi_detail(merchandiser=merch, period=MARCH)
    assert detail.report.figures["complaints"].value is None
    assert detail.report.figures["complaints"].reason == engine.NO_RECORDS


def test_complaints_per_100_shipments_lists_the_shipments_and_the_complaints_against_it(merch, source):
    line = engine.DueLine(
        "l1", dt.date(2025, 3, 20), Decimal(10), (engine.Shipped("s1", dt.date(2025, 3, 18), Decimal(10)),)
    )
    names = {"line": "行", "shipment": "SH-1", "complaint": "KS-1"}
    describe = lambda kind, ids: {i: (names[kind], f"/{kind}/") for i in ids}  # noqa: E731
    source("lines", lambda ids, start, end: {merch.pk: [line]}, describe=describe)
    source(
        "complaints",
        lambda ids, start, end: {merch.pk: [engine.Complaint("c1", dt.date(2025, 3, 25))]},
        describe=describe,
    )
    detail = kpi_detail(merchandiser=merch, period=MARCH)
    assert detail.report.figures["delivery_on_time"].value == Decimal(100)
    assert detail.report.figures["complaints_per_100"].value == Decimal(100)
    drill = next(d for d in detail.drills if d.figure.code == "complaints_per_100")
    assert [(x.ref.label, x.ref.url, x.missed) for x in drill.lines] == [
        ("SH-1", "/shipment/", False),
        ("KS-1", "/complaint/", True),
    ]


def test_the_on_time_delivery_drill_down_shows_each_lines_promised_date(merch, source):
    """Without it the merchandiser cannot see why a line delivered on the 22nd counts against him."""
    late = engine.DueLine(
        "l1", dt.date(2025, 3, 20), Decimal(10), (engine.Shipped("s1", dt.date(2025, 3, 22), Decimal(10)),)
    )
    describe = lambda kind, ids: {i: (f"{kind} {i}", f"/{kind}/") for i in ids}  # noqa: E731
    source("lines", lambda ids, start, end: {merch.pk: [late]}, describe=describe)
    detail = kpi_detail(merchandiser=merch, period=MARCH)
    drill = next(d for d in detail.drills if d.figure.code == "delivery_on_time")
    assert [(x.ref.label, x.ref.due, x.missed) for x in drill.lines] == [
        ("line l1", dt.date(2025, 3, 20), True)
    ]
