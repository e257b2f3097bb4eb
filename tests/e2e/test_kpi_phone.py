"""Merchandiser KPIs (R-7.1) on a 370 px phone: the manager reads the overview and a merchandiser's
page with its trend and drill-down without sideways scrolling; the merchandiser reads his own."""

import pytest
from test_phone import PHONE, assert_fits, assert_on_screen

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def factory(people):
    from gendan.kpi.demo import build_kpi
    from gendan.masterdata.demo import build_masterdata
    from gendan.orders.demo import build_orders

    build_masterdata(users=people)
    build_orders(users=people)
    build_kpi(users=people)
    return people


def test_kpis_on_a_phone(factory, new_page, login, e2e_server):
    merchandiser = factory["merchandiser"]
    page = new_page(**PHONE)
    login(page, "manager")
    page.goto(f"{e2e_server}/kpi/")
    assert_fits(page, "KPI overview")
    link = page.locator(f"table.grid a[href^='/kpi/{merchandiser.pk}/']").first
    assert_on_screen(link, "the merchandiser's name")

    page.goto(f"{e2e_server}/kpi/{merchandiser.pk}/?figure=review_on_time")
    assert_fits(page, "a merchandiser's KPIs")
    assert_on_screen(page.locator("svg.kpi-trend").first, "the score trend")
    record = page.locator("#review_on_time table.grid a[href^='/orders/order/']").first
    record.scroll_into_view_if_needed()
    assert_on_screen(record, "an order behind the figure")

    mine = new_page(**PHONE)
    login(mine, "merchandiser")
    mine.goto(f"{e2e_server}/kpi/")
    assert_fits(mine, "his own KPIs")
    assert mine.locator("table.grid tbody tr").count() == 1
