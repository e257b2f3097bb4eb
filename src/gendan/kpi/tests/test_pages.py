"""The KPI pages and the export for HR (R-7.1, R-7.2): management sees every merchandiser, a
merchandiser only his own, each figure drills down to exactly the records behind it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .conftest import at

pytestmark = pytest.mark.django_db
MARCH = "2025-03"


@pytest.fixture
def march(rec, merch, merch2):
    """merch: one order reviewed late, one on time; merch2: one order reviewed on time."""
    late = rec.order(merch, received="2025-03-03", entered=at("2025-03-03", 9), reviewed=at("2025-03-04", 15))
    quick = rec.order(
        merch,
        received="2025-03-05",
        entered=at("2025-03-05", 9),
        reviewed=at("2025-03-05", 12),
        released=at("2025-03-05", 14),
    )
    other = rec.order(
        merch2, received="2025-03-06", entered=at("2025-03-06", 9), reviewed=at("2025-03-06", 10)
    )
    return late, quick, other


def _url(name, *args, **query):
    from urllib.parse import urlencode

    return reverse(name, args=args) + ("?" + urlencode(query) if query else "")


def test_management_sees_every_merchandiser_with_below_target_in_red(client_for, merch, merch2, march):
    page = client_for("management").get(_url("kpi:overview", period=MARCH))
    assert page.status_code == 200
    html = page.content.decode()
    assert str(merch) in html and str(merch2) in html
    assert "kpi-below" in html  # merch's 50 % reviewed on time against 90 %
    assert "50.0%" in html


def test_a_merchandiser_sees_only_his_own(client_for, merch, merch2, march):
    client = client_for("merchandiser")
    html = client.get(_url("kpi:overview", period=MARCH)).content.decode()
    assert str(merch) in html and str(merch2) not in html
    assert client.get(_url("kpi:detail", merch.pk, period=MARCH)).status_code == 200
    assert client.get(_url("kpi:detail", merch2.pk, period=MARCH)).status_code == 404


def test_other_roles_are_refused(client_for, merch):
    for role in ("production", "logistics", "quality"):
        assert client_for(role).get(_url("kpi:overview")).status_code == 403
        assert client_for(role).get(_url("kpi:detail", merch.pk)).status_code == 403
        assert client_for(role).get(_url("kpi:export")).status_code == 403


def test_the_drill_down_lists_exactly_the_records_behind_a_figure(client_for, merch, march):
    late, quick, other = march
    page = client_for("management").get(_url("kpi:detail", merch.pk, period=MARCH, figure="review_on_time"))
    assert page.status_code == 200
    html = page.content.decode()
    drill = html[html.index('id="review_on_time"') : html.index('id="review_median"')]
    assert late.number in drill and quick.number in drill and other.number not in drill
    assert reverse("orders:order_detail", args=[late.pk]) in drill
    assert drill.count("badge danger") == 1  # only the late review is against the figure
    assert "<svg" in html  # the trend charts


def test_a_period_without_records_says_no_data_not_zero(client_for, merch):
    html = client_for("management").get(_url("kpi:detail", merch.pk, period="2024-02")).content.decode()
    assert "无数据" in html
    assert "0.0%" not in html


def test_a_bad_period_or_figure_is_a_400_saying_what_is_expected(client_for, merch):
    client = client_for("management")
    page = client.get(_url("kpi:overview", period="2025-13"))
    assert page.status_code == 400 and "2026-Q1" in page.content.decode()
    assert client.get(_url("kpi:detail", merch.pk, period="nonsense")).status_code == 400
    assert client.get(_url("kpi:detail", merch.pk, period=MARCH, figure="bogus")).status_code == 400
    assert client.get("/kpi/999999/").status_code == 404


def test_the_export_has_a_row_per_merchandiser_and_figure(client_for, merch, merch2, march):
    response = client_for("management").get(_url("kpi:export", period=MARCH))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:7] == ("期间", "起", "止", "用户名", "跟单员", "评分", "指标")
    assert len(body) == 2 * 13
    review = [r for r in body if r[3] == merch.username and r[6] == "订单按时审核率"]
    assert review[0][0] == MARCH and review[0][7] == 50.0 and review[0][9] == 90.0 and review[0][10] == "否"
    empty = [r for r in body if r[3] == merch2.username and r[6] == "订单行准时交货率"]
    assert empty[0][7] == "无数据"


def test_a_merchandiser_exports_only_his_own(client_for, merch, merch2, march):
    response = client_for("merchandiser").get(_url("kpi:export", period=MARCH))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = {r[3] for r in list(sheet.iter_rows(values_only=True))[1:]}
    assert names == {merch.username}


def test_the_pages_read_in_english_for_an_english_reader(client_for, users, merch, march):
    import re

    manager = users["management"]
    manager.language = "en"
    manager.save(update_fields=["language"])
    client = client_for("management")
    for url in (
        _url("kpi:overview", period=MARCH),
        _url("kpi:detail", merch.pk, period=MARCH),
        _url("kpi:detail", merch.pk, period="2024-02"),
        reverse("kpi:settings"),
    ):
        html = client.get(url).content.decode()
        text = re.sub(r"陈军|跟单|中文|<[^>]+>", "", html)  # a name, the brand, the language switch
        assert not re.search(r"[\u3400-\u9fff]", text), (
            url,
            re.findall(r".{20}[\u3400-\u9fff]+.{20}", text)[:3],
        )
    assert "Orders reviewed on time" in client.get(_url("kpi:overview", period=MARCH)).content.decode()
    assert "no data" in client.get(_url("kpi:detail", merch.pk, period="2024-02")).content.decode()


def test_the_overview_query_count_does_not_grow_with_the_records(client_for, rec, merch, merch2):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("management")

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    rec.order(merch, received="2025-03-03", reviewed=at("2025-03-03", 12))
    few = (queries(_url("kpi:overview", period="2025")), queries(_url("kpi:detail", merch.pk, period="2025")))
    for day in range(4, 28):
        order = rec.order(merch, received=f"2025-03-{day:02d}", reviewed=at(f"2025-03-{day:02d}", 12))
        rec.ack(order, sent=at(f"2025-03-{day:02d}", 13))
        rec.issue(order, opened=at(f"2025-03-{day:02d}", 15))
        rec.order(merch2, received=f"2025-04-{day:02d}", reviewed=at(f"2025-04-{day:02d}", 12))
    many = (
        queries(_url("kpi:overview", period="2025")),
        queries(_url("kpi:detail", merch.pk, period="2025")),
    )
    assert many == few
