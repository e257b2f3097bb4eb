"""Issue 15, item 6: a worker scans an operation's QR code on the job traveller with a 370 px phone,
logs in, and reports it in a few taps, then the next operation's; nothing needs sideways scrolling."""

import pytest

from gendan.shopfloor.models import ProductionReport
from gendan.shopfloor.tests.factories import ShopFactory
from gendan.shopfloor.tokens import operation_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 370
PHONE = {
    "viewport": {"width": WIDTH, "height": 800},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def assert_fits(page, where: str) -> None:
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width == WIDTH, f"{where}: {scroll_width} px wide in a {WIDTH} px screen"


def test_a_worker_reports_an_operation_from_its_qr_code(people, make, new_page, e2e_server):
    planned = ShopFactory(make, people).planned_order(quantity="50")
    op = planned.ops[0]
    page = new_page(**PHONE)
    page.goto(f"{e2e_server}/s/{operation_token(op.pk)}")
    # Not logged in: the login page, then back to the operation's form.
    page.fill("#id_username", "planner")
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("form button.primary")
    assert page.url == f"{e2e_server}/shopfloor/report/{op.pk}/"
    assert planned.order.number in page.content()
    assert_fits(page, "the report form")
    page.fill("#id_good_qty", "20")
    box = page.locator("button.sf-big").bounding_box()
    assert box and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    with page.expect_navigation():
        page.click("button.sf-big")
    assert_fits(page, "the form after saving")
    assert page.locator(".error").count() == 0, page.locator(".error").all_inner_texts()
    assert ProductionReport.objects.get().good_qty == 20

    # The next operation's QR code: already logged in, straight to its form; it may report what the
    # first passed on.
    following = planned.ops[1]
    page.goto(f"{e2e_server}/s/{operation_token(following.pk)}")
    assert page.url == f"{e2e_server}/shopfloor/report/{following.pk}/"
    assert_fits(page, "the second report form")
    page.fill("#id_good_qty", "15")
    with page.expect_navigation():
        page.click("button.sf-big")
    assert page.locator(".error").count() == 0, page.locator(".error").all_inner_texts()
    assert list(ProductionReport.objects.order_by("pk").values_list("operation_id", "good_qty")) == [
        (op.pk, 20),
        (following.pk, 15),
    ]
