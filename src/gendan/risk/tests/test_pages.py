"""Where the delivery risk shows: the merchandiser's home (his open orders, gravest first, with
the reasons in his language), management's home (orders per level), the order page's panel, and
the order list's column, sort and filter. Another merchandiser's orders never show."""

import re

import pytest

from gendan.orders.choices import OrderStatus
from gendan.risk.models import OrderRisk
from gendan.risk.services import risk_refresh

pytestmark = pytest.mark.django_db


def _numbers(html: str, numbers) -> list[str]:
    """The given order numbers in the order they appear in the risk panel (or the list's table)."""
    html = html[html.find("risk-panel") :] if "risk-panel" in html else html[html.find("<table") :]
    found = [(html.find(n), n) for n in numbers if n in html]
    return [n for _i, n in sorted(found)]


@pytest.fixture
def three(f):
    """A late order (its schedule ends after delivery), one at risk (a material nothing covers),
    one on track; created mildest first so the page's order is not the creation order."""
    on_track = f.order(due_in_days=40)
    f.operations(on_track)
    f.plan(on_track, finish_in_days=20)
    at_risk = f.order(due_in_days=40)
    f.operations(at_risk)
    f.shortage(f.plan(at_risk, finish_in_days=20), covered_in_days=None)
    late = f.order(due_in_days=30)
    f.operations(late)
    f.plan(late, finish_in_days=35)
    return late, at_risk, on_track


def test_the_merchandisers_home_lists_the_gravest_order_first(three, english, client_for):
    late, at_risk, on_track = three
    html = client_for("merchandiser").get("/").content.decode()

    assert "My orders by delivery risk" in html
    assert _numbers(html, [on_track.number, at_risk.number, late.number]) == [
        late.number,
        at_risk.number,
        on_track.number,
    ]
    assert "the schedule in force finishes 5 days after the delivery date" in html
    assert "is short and nothing on order covers it" in html


def test_the_home_panel_reads_in_chinese(three, client_for):
    html = client_for("merchandiser").get("/").content.decode()
    assert "我的订单（按交期风险）" in html
    assert "延误" in html and "第 1 行：生效计划比交期晚 5 天完工" in html


def test_stored_and_live_assessments_agree(three, english, client_for):
    late, at_risk, on_track = three
    live = client_for("merchandiser").get("/").content.decode()
    assert risk_refresh() == 3
    stored = client_for("merchandiser").get("/").content.decode()
    assert _numbers(stored, [on_track.number, at_risk.number, late.number]) == _numbers(
        live, [on_track.number, at_risk.number, late.number]
    )
    assert OrderRisk.objects.get(order=late).level == "late"


def test_another_merchandisers_orders_are_not_on_my_home(f, make, english, client_for):
    other = make.user(role="merchandiser", username="other_md")
    theirs = f.order(merchandiser=other, due_in_days=-3)
    mine = f.order(due_in_days=10)
    html = client_for("merchandiser").get("/").content.decode()
    assert mine.number in html and theirs.number not in html


def test_management_sees_the_count_of_orders_per_level(three, english, client_for):
    html = client_for("management").get("/").content.decode()
    assert "Open orders by delivery risk" in html
    assert "?risk=late" in html
    counts = re.findall(r'class="count badge (\w+)">(\d+)<', html)
    assert counts == [("danger", "1"), ("warn", "1"), ("info", "0"), ("ok", "1")]


def test_a_role_without_the_panel_sees_none(three, client_for):
    html = client_for("warehouse").get("/").content.decode()
    assert "risk-panel" not in html


def test_the_order_page_shows_its_risk_and_why(three, english, client_for):
    late, _at_risk, _on_track = three
    html = client_for("merchandiser").get(f"/orders/order/{late.pk}/").content.decode()
    assert "Delivery risk" in html and "badge danger" in html
    assert "the schedule in force finishes 5 days after the delivery date" in html


def test_an_order_not_open_has_no_risk_panel(f, client_for):
    draft = f.order(status=OrderStatus.DRAFT)
    html = client_for("merchandiser").get(f"/orders/order/{draft.pk}/").content.decode()
    assert "risk-panel" not in html


def test_the_order_list_sorts_and_filters_by_risk(three, english, client_for):
    late, at_risk, on_track = three
    risk_refresh()
    client = client_for("merchandiser")
    numbers = [on_track.number, at_risk.number, late.number]

    html = client.get("/orders/order/?sort=-risk__score").content.decode()
    assert "Delivery risk" in html
    assert _numbers(html, numbers) == [late.number, at_risk.number, on_track.number]

    html = client.get("/orders/order/?risk=at_risk").content.decode()
    assert _numbers(html, numbers) == [at_risk.number]


def test_a_bad_risk_filter_on_the_list_is_no_error(three, client_for):
    response = client_for("merchandiser").get("/orders/order/?risk=doomed&sort=-risk__score")
    assert response.status_code in (200, 400)


def test_a_row_of_the_home_shows_the_three_gravest_reasons_and_how_many_more(f, english, client_for):
    order = f.order(due_in_days=40)
    f.operations(order)
    version = f.plan(order, finish_in_days=20)
    for _ in range(5):
        f.shortage(version, covered_in_days=None)
    html = client_for("merchandiser").get("/").content.decode()
    assert html.count("nothing on order covers it") == 3
    assert "and 2 more" in html
    page = client_for("merchandiser").get(f"/orders/order/{order.pk}/").content.decode()
    assert page.count("nothing on order covers it") == 5


def _home_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_the_home_reads_a_number_of_queries_that_does_not_grow_with_the_orders(f, client_for):
    def add(n):
        for _ in range(n):
            order = f.order()
            f.operations(order)
            f.shortage(f.plan(order), covered_in_days=None)
            f.issue(order)

    client = client_for("merchandiser")
    add(2)
    live = _home_queries(client)
    risk_refresh()
    stored = _home_queries(client)
    add(6)
    assert _home_queries(client) == live
    risk_refresh()
    assert _home_queries(client) == stored


def test_yesterdays_assessment_stands_until_the_worker_refreshes_an_older_one_does_not(
    three, english, client_for
):
    """Just after midnight every stored row is yesterday's: they are shown (not thousands assessed
    on each page); a row from two days ago (the worker stopped) is assessed again on the spot."""
    import datetime as dt

    from django.utils import timezone

    late, at_risk, on_track = three
    risk_refresh()
    client = client_for("merchandiser")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    # Marked so the page shows which one it read: the stored row says on track.
    OrderRisk.objects.filter(order=late).update(assessed_on=yesterday, level="on_track", score=0)
    html = client.get("/").content.decode()
    assert _numbers(html, [on_track.number, at_risk.number, late.number])[0] == at_risk.number
    OrderRisk.objects.filter(order=late).update(assessed_on=yesterday - dt.timedelta(days=1))
    html = client.get("/").content.decode()
    assert _numbers(html, [on_track.number, at_risk.number, late.number])[0] == late.number
