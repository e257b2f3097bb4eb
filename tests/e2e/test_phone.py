"""Issue 13, item 7: the merchandiser follows his orders on a 370 px phone. The order list shows each
order as a card with its number, customer, status and first delivery; the order's page shows every
line's delivery date; nothing needs sideways scrolling, and the menu and the language switch are
within reach."""

import pytest
from django.utils import formats, translation

from gendan.orders.selectors import order_list

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 370
PHONE = {
    "viewport": {"width": WIDTH, "height": 800},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


@pytest.fixture
def factory(people):
    from gendan.masterdata.demo import build_masterdata
    from gendan.orders.demo import build_orders

    build_masterdata(users=people)
    build_orders(users=people)
    return people


def assert_fits(page, where: str) -> None:
    """No sideways scrolling: a phone browser widens the layout to the page's width when it is wider."""
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width == WIDTH, f"{where}: {scroll_width} px wide in a {WIDTH} px screen"


def assert_on_screen(locator, what: str) -> None:
    assert locator.is_visible(), f"{what} is hidden"
    box = locator.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, f"{what} is cut off: {box}"


def shown_date(value) -> str:
    with translation.override("zh-hans"):
        return formats.date_format(value)


def test_orders_on_a_phone(factory, new_page, login, e2e_server):
    merchandiser = factory["merchandiser"]
    page = new_page(**PHONE)
    login(page, "merchandiser")

    # The top bar: the menu opens, and the language switch and logging out are on screen.
    page.click("[data-toggle-nav]")
    assert_on_screen(page.locator("#mainnav a[href='/orders/order/']").first, "the menu's order list")
    assert_on_screen(page.locator("button[name=language]"), "the language switch")
    assert_on_screen(page.locator(".userbox form[action$='/logout/'] button"), "log out")
    assert_fits(page, "home page with the menu open")

    # The order list: each order a card; the first shows its status and first delivery on screen.
    page.goto(f"{e2e_server}/orders/order/")
    assert_fits(page, "order list")
    card = page.locator("table.grid tbody tr").first
    number = card.locator("a").first.inner_text().strip()
    order = order_list(user=merchandiser).get(number=number)
    assert order.first_delivery is not None
    with translation.override("zh-hans"):
        status, customer = order.get_status_display(), str(order.customer)
    assert_on_screen(card.get_by_text(number, exact=True), f"{number}'s number")
    assert_on_screen(card.get_by_text(customer, exact=True), f"{number}'s customer")
    assert_on_screen(card.get_by_text(status, exact=True), f"{number}'s status")
    assert_on_screen(
        card.get_by_text(shown_date(order.first_delivery), exact=True), f"{number}'s first delivery"
    )

    # The order's page: every line's delivery date is on screen (once scrolled to).
    with page.expect_navigation():
        card.locator("a").first.click()
    assert_fits(page, f"order {number}")
    lines_table = page.locator("table.grid", has=page.locator("a[href*='/masterdata/product/']"))
    dated = [line for line in order.lines.order_by("line_no") if line.delivery_date]
    assert dated
    for line in dated:
        cell = lines_table.locator("td", has_text=shown_date(line.delivery_date)).first
        cell.scroll_into_view_if_needed()
        assert_on_screen(cell, f"line {line.line_no}'s delivery date")


def test_choosing_english_on_the_login_page_before_logging_in(people, new_page, e2e_server):
    """Item 8: the login page has its own language switch; after logging in, the person's own
    language (Chinese for the demo's merchandiser) applies."""
    page = new_page(locale="zh-CN", **PHONE)
    page.goto(f"{e2e_server}/accounts/login/?next=/orders/order/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    with page.expect_navigation():
        page.click(".langswitch button[value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/accounts/login/?next=/orders/order/")
    assert page.locator("form button.primary").inner_text().strip() == "Log in"
    assert_fits(page, "login page")

    page.fill("#id_username", "merchandiser")
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("form button.primary")
    assert page.url == f"{e2e_server}/orders/order/"
    assert page.locator("html").get_attribute("lang") == people["merchandiser"].language == "zh-hans"


def test_my_orders_by_delivery_risk_on_a_phone(factory, new_page, login, e2e_server):
    """The home's risk panel: each order a block with its level and reasons, nothing cut off."""
    page = new_page(**PHONE)
    login(page, "merchandiser")
    page.goto(f"{e2e_server}/")
    panel = page.locator("section.risk-panel")
    assert panel.count() == 1
    assert_fits(page, "home page with the risk panel")
    first = panel.locator("tbody tr").first
    first.scroll_into_view_if_needed()
    assert_on_screen(first.locator("a").first, "the gravest order's number")
    assert_on_screen(first.locator(".badge").first, "the gravest order's risk level")
