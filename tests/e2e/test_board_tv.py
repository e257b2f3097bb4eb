"""The wall screen in a real browser (issue 15, item 8): opened with its link and no login, it shows
the board from its own script (no CSP violation), keeps the last data with a "stale since" mark
while the server is away, recovers by itself, and says so once the link is revoked."""

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def screen_link(people):
    from django.utils import timezone

    from gendan.masterdata.models import Customer, Product
    from gendan.orders.models import Order, OrderLine
    from gendan.shopfloor.services_board import board_link_create

    admin = people["admin"]
    order = Order.objects.create(
        number="SO-TV-0001",
        customer=Customer.objects.create(code="C-TV", name="电视客户"),
        merchandiser=people["merchandiser"],
        status="released",
        released_at=timezone.now(),
    )
    OrderLine.objects.create(
        order=order,
        line_no=1,
        product=Product.objects.create(code="FS-TV", name="台扇"),
        quantity=100,
        delivery_date=timezone.localdate() + dt.timedelta(days=20),
    )
    link, token = board_link_create(actor=admin, name="总装东墙", scope="factory")
    return link, token


def test_the_screen_shows_the_board_goes_stale_recovers_and_hears_of_revocation(
    screen_link, new_page, e2e_server
):
    from gendan.shopfloor.services_board import board_link_revoke

    link, token = screen_link
    page = new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.clock.install()
    page.goto(f"{e2e_server}/tv/{token}/")
    page.get_by_text("SO-TV-0001").wait_for()
    assert page.locator("a").count() == 0  # nothing to follow off the screen
    stale = page.locator("[data-tv-stale]")
    assert stale.is_hidden()

    # The server goes away: the last data stays, marked stale since the last good refresh.
    page.route("**/data/", lambda route: route.abort())
    page.clock.fast_forward("00:50")
    stale.wait_for(state="visible")
    assert re.search(r"\d\d:\d\d", stale.inner_text())
    assert page.get_by_text("SO-TV-0001").is_visible()

    # It comes back: the screen recovers by itself.
    page.unroute("**/data/")
    page.clock.fast_forward("00:50")
    stale.wait_for(state="hidden")

    # Revoked: the next refresh says so and the board is cleared.
    board_link_revoke(actor=link.created_by, link_id=link.pk)
    page.clock.fast_forward("00:50")
    page.locator("[data-tv-message]").wait_for(state="visible")
    assert page.get_by_text("SO-TV-0001").count() == 0
    assert [p for p in problems if "Content Security Policy" in p] == []
