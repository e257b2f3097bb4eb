"""The progress board (R-4.1): every open order's progress, planned against actual, late and
at-risk orders first, with the reason in words; filters; only what the reader may see; no prices;
a query count that does not grow with the number of orders."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.orders.choices import OrderStatus

from .board_factories import BoardFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def f(make, users):
    for user in users.values():  # these tests read the English wording; one below reads Chinese
        user.language = "en"
        user.save(update_fields=["language"])
    return BoardFactory(make, users["merchandiser"])


def _numbers(html: str) -> list[str]:
    return re.findall(r'data-order="([^"]+)"', html)


def _board(client, query=""):
    response = client.get("/board/" + query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_late_orders_come_first_then_at_risk_then_on_track_then_done(f, client_merchandiser):
    on_track = f.order(due_in_days=30)
    f.operations(on_track)
    f.plan(on_track, finish_in_days=20)
    done = f.order(status=OrderStatus.READY_TO_SHIP, due_in_days=3)
    late = f.order(due_in_days=30)
    f.operations(late)
    f.plan(late, finish_in_days=40)
    short = f.order(due_in_days=25)
    f.operations(short)
    f.shortage(f.plan(short, finish_in_days=20), covered_in_days=9, need_in_days=5)

    html = _board(client_merchandiser)

    assert _numbers(html) == [late.number, short.number, on_track.number, done.number]
    assert "is after the delivery date" in html
    assert "arrives after it is needed" in html


def test_the_board_reads_in_chinese_by_default(make, users, client_merchandiser):
    f = BoardFactory(make, users["merchandiser"])
    late = f.order(due_in_days=10)
    f.operations(late)
    f.plan(late, finish_in_days=15)
    html = _board(client_merchandiser)
    assert "生产进度看板" in html and "延误" in html and "晚于交期" in html


def test_each_source_of_risk_says_why(f, client_merchandiser):
    today = timezone.localdate()
    behind = f.order(due_in_days=30)
    ops = f.operations(behind)
    version = f.plan(behind, finish_in_days=20)
    now = timezone.now()
    f.place(version, ops[0], start=now - dt.timedelta(days=2), end=now - dt.timedelta(hours=3))
    uncovered = f.order(due_in_days=30)
    f.operations(uncovered)
    f.shortage(f.plan(uncovered), covered_in_days=None)
    serious = f.order(due_in_days=30)
    f.issue(serious, severity="critical")
    f.issue(serious, severity="low", status="closed")  # closed: no longer a risk
    minor = f.order(due_in_days=30)
    f.operations(minor)
    f.plan(minor)
    f.issue(minor, severity="low")
    overdue = f.order(due_in_days=-2)

    html = _board(client_merchandiser)
    rows = {n: html.split(f'data-order="{n}"')[1].split("</article>")[0] for n in _numbers(html)}

    assert (
        "risk-amber" in rows[behind.number]
        and "1 operation is past its planned finish" in rows[behind.number]
    )
    assert "risk-red" in rows[uncovered.number] and "no cover in sight" in rows[uncovered.number]
    assert "risk-red" in rows[serious.number] and "1 serious open issue" in rows[serious.number]
    assert "risk-amber" in rows[minor.number] and "1 open issue" in rows[minor.number]
    assert "No plan in force yet" in rows[serious.number]
    assert f"Delivery date {(today - dt.timedelta(days=2)).isoformat()} has passed" in rows[overdue.number]


def test_progress_is_the_last_operations_good_quantity_and_chips_show_each_operation(f, client_merchandiser):
    order = f.order(quantity=200)
    cut, assemble, pack = f.operations(order, sub=4)
    version = f.plan(order, finish_in_days=10)
    now = timezone.now()
    f.place(version, assemble, start=now - dt.timedelta(hours=5), end=now + dt.timedelta(hours=5))
    f.place(version, pack, start=now - dt.timedelta(hours=1), end=now + dt.timedelta(hours=8))
    f.report(cut, good=200, finished=True)
    f.report(assemble, good=120)

    html = _board(client_merchandiser)

    assert 'value="0"' in html  # packing (the last operation) has made nothing yet
    # cut: done; assembly: started, within its plan; packing: should have started an hour ago
    assert html.index("chip-done") < html.index("chip-running") < html.index("chip-late")
    f.report(pack, good=50)
    html = _board(client_merchandiser)
    assert 'value="25"' in html and "25%" in html
    assert "1 of 7 operations done" in html  # three of its own, four of a sub-assembly
    assert "0 of 4 done" in html  # the sub-assembly in one chip


def test_only_open_orders_the_reader_may_see(f, make, users, client_merchandiser, client_production):
    mine = f.order()
    other = f.order(merchandiser=make.user(role="merchandiser"), customer=make.customer())
    draft = f.order(status=OrderStatus.DRAFT)
    shipped = f.order(status=OrderStatus.SHIPPED)

    mine_html = _board(client_merchandiser)
    assert _numbers(mine_html) == [mine.number]
    production = _numbers(_board(client_production))
    assert set(production) == {mine.number, other.number}  # released orders, everyone's
    assert draft.number not in production and shipped.number not in production


def test_filters_by_work_centre_merchandiser_and_customer(f, make, users, client_admin):
    a = f.order()
    f.operations(a)
    press = make.work_centre(code="PRESS")
    f.plan(a, work_centre=press)
    b = f.order(customer=make.customer())
    f.operations(b)
    f.plan(b)
    other_merchandiser = make.user(role="merchandiser")
    c = f.order(merchandiser=other_merchandiser)

    html = _board(client_admin)
    assert 'href="/board/work-centres/PRESS/"' in html  # the board leads to each centre's board
    assert _numbers(_board(client_admin, "?wc=PRESS")) == [a.number]
    assert _numbers(_board(client_admin, f"?customer={b.customer_id}")) == [b.number]
    assert _numbers(_board(client_admin, f"?merchandiser={other_merchandiser.pk}")) == [c.number]


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc",
        "?page=0",
        "?page=99999999999",
        "?wc=NOPE",
        "?wc=%3Cscript%3E",
        "?merchandiser=-1",
        "?customer=x",
    ],
)
def test_bad_parameters_are_a_400(f, client_admin, api_admin, query):
    assert client_admin.get("/board/" + query).status_code == 400
    assert api_admin.get("/api/board/" + query).status_code == 400


def test_no_prices_on_the_board_the_api_or_the_screen(f, client_admin, api_admin):
    order = f.order()
    f.operations(order)
    f.plan(order)
    assert "987.65" not in _board(client_admin)
    body = api_admin.get("/api/board/").content.decode()
    assert order.number in body and "987.65" not in body and "price" not in body


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _orders(f, n):
    for i in range(n):
        order = f.order(due_in_days=10 + i % 30)
        ops = f.operations(order, sub=1)
        version = f.plan(order, finish_in_days=5 + i % 40)
        f.report(ops[0], good=10, finished=i % 2 == 0)
        if i % 3 == 0:
            f.shortage(version, covered_in_days=8)
        if i % 4 == 0:
            f.issue(order)


def test_query_count_does_not_grow_with_the_number_of_orders(f, client_merchandiser, api_merchandiser):
    _orders(f, 5)
    board_5 = _queries(client_merchandiser, "/board/")
    api_5 = _queries(api_merchandiser, "/api/board/")
    _orders(f, 45)
    assert _queries(client_merchandiser, "/board/") == board_5
    assert _queries(api_merchandiser, "/api/board/") == api_5
    # 25 a page: the second page is there and as cheap
    assert _queries(client_merchandiser, "/board/?page=2") == board_5


def test_the_board_refreshes_itself_with_htmx(f, client_merchandiser):
    order = f.order()
    html = _board(client_merchandiser)
    assert 'hx-trigger="every 60s"' in html
    partial = client_merchandiser.get("/board/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="board-rows"') and order.number in partial and "<html" not in partial


def test_api_board_rows(f, api_production):
    order = f.order(quantity=300)
    ops = f.operations(order)
    f.plan(order, finish_in_days=40)
    f.report(ops[-1], good=150)
    data = api_production.get("/api/board/").json()
    assert data["total"] == 1 and data["counts"]["red"] == 1
    row = data["rows"][0]
    assert row["number"] == order.number and row["risk"] == "red" and row["progress_pct"] == 50
    assert [op["name"] for op in row["operations"]] == ["注塑", "装配", "包装"]
