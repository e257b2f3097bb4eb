"""The Gantt (R-2.3): bars from plain rows, bounded, and the page of the schedule in force."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from gendan.planning.gantt import MAX_LANES, Bar, Lane, gantt_svg

from .conftest import at, plan_in_force

START = dt.datetime(2026, 3, 2, 0, 0)


def test_bars_lanes_ticks_today_and_late_marks():
    lanes = [Lane("A", "WC-A 冲压"), Lane("B", "WC-B <装配>")]
    bars = [
        Bar("A", START + dt.timedelta(hours=8), START + dt.timedelta(hours=17), "SO-1 · 10 冲压", "SO-1"),
        Bar("B", START + dt.timedelta(days=2), START + dt.timedelta(days=3), "SO-2 · 20 装配", late=True),
        Bar("B", START - dt.timedelta(days=9), START - dt.timedelta(days=8), "outside the window"),
        Bar("Z", START, START + dt.timedelta(hours=1), "on no lane"),
    ]
    svg = gantt_svg(
        lanes=lanes,
        bars=bars,
        start=START,
        end=START + dt.timedelta(days=7),
        now=START + dt.timedelta(days=1),
    )
    assert svg.startswith("<svg") and svg.count('<g class="bar') == 2
    assert "<title>SO-1 · 10 冲压</title>" in svg and 'class="bar late"' in svg
    assert "&lt;装配&gt;" in svg and "<装配>" not in svg  # every text escaped
    assert 'class="today"' in svg and "03-04" in svg  # the today line and the day ticks
    assert "outside the window" not in svg and "on no lane" not in svg


def test_the_chart_is_bounded():
    lanes = [Lane(str(i), f"lane {i}") for i in range(MAX_LANES + 40)]
    bars = [Bar(str(i), START, START + dt.timedelta(hours=2), f"bar {i}") for i in range(MAX_LANES + 40)]
    svg = gantt_svg(lanes=lanes, bars=bars, start=START, end=START + dt.timedelta(days=400))
    assert svg.count('<g class="bar') == MAX_LANES
    assert f"lane {MAX_LANES}<" not in svg
    assert len(svg) < 200_000


def test_overlay_draws_in_force_grey_and_the_proposal_in_colour():
    bars = [
        Bar("A", START, START + dt.timedelta(hours=4), "in force", layer="in_force"),
        Bar("A", START + dt.timedelta(hours=5), START + dt.timedelta(hours=9), "proposal", layer="proposal"),
    ]
    svg = gantt_svg(lanes=[Lane("A", "A")], bars=bars, start=START, end=START + dt.timedelta(days=2))
    assert "#b8bec7" in svg and "#2e9d6a" in svg


@pytest.mark.django_db
def test_the_page_shows_the_schedule_in_force_by_centre_and_by_order(
    client_production, client_warehouse, loaded_order, line_centre
):
    plan_in_force(loaded_order, start=at(1), end=at(5, 17), centre=line_centre)
    by_centre = client_production.get("/planning/gantt/")
    assert by_centre.status_code == 200
    html = by_centre.content.decode()
    assert html.count('<g class="bar') == 1 and loaded_order.number in html and "WC-ASM" in html
    by_order = client_production.get("/planning/gantt/?view=order&days=28&page=1")
    assert by_order.status_code == 200 and loaded_order.number in by_order.content.decode()
    empty = client_production.get(
        f"/planning/gantt/?start={(timezone.localdate() + dt.timedelta(days=200)).isoformat()}"
    )
    assert '<g class="bar' not in empty.content.decode()
    assert client_warehouse.get("/planning/gantt/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "view=gantt",
        "start=yesterday",
        "start=2026-02-30",
        "days=0",
        "days=1000",
        "days=x",
        "page=-1",
        "page=abc",
        "start=9999-01-01",
    ],
)
def test_bad_parameters_are_a_400(client_production, query):
    response = client_production.get(f"/planning/gantt/?{query}")
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_rows(
    client_production, orders, product, line_centre, django_assert_max_num_queries
):
    from .conftest import clean_line, in_days

    def page_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client_production.get("/planning/gantt/?view=order").status_code == 200
        return len(ctx.captured_queries)

    first = orders.released(lines=[clean_line(product, delivery_date=in_days(20))])
    plan_in_force(first, start=at(1), end=at(2), centre=line_centre)
    one = page_queries()
    for n in range(6):
        order = orders.released(lines=[clean_line(product, delivery_date=in_days(20)) for _ in range(2)])
        plan_in_force(order, start=at(1 + n), end=at(2 + n), centre=line_centre)
    many = page_queries()
    assert many == one
    assert (
        len(
            re.findall('<g class="bar', client_production.get("/planning/gantt/?view=order").content.decode())
        )
        == 13
    )
