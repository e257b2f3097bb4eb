"""Lists search as you type: the order list narrows to the matching orders a moment after the
merchandiser stops typing, without pressing Enter; the address and the export link keep the search."""

import pytest

from gendan.orders import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_order_list_searches_as_you_type(people, new_page, login, e2e_server):
    from gendan.masterdata.demo import build_masterdata
    from gendan.masterdata.models import Customer

    build_masterdata(users=people)
    merchandiser = people["merchandiser"]
    customer = Customer.objects.filter(merchandiser=merchandiser).order_by("code").first()
    for po in ("PO-APPLE-1", "PO-BANANA-2"):
        services.order_create(
            actor=merchandiser,
            data={"customer": customer, "customer_po": po, "merchandiser": merchandiser},
            lines=[],
        )

    page = new_page(viewport={"width": 1400, "height": 1000})
    login(page, "merchandiser")
    page.goto(f"{e2e_server}/orders/order/")
    results = page.locator("#results tbody")
    assert "PO-APPLE-1" in results.inner_text() and "PO-BANANA-2" in results.inner_text()

    page.locator("input[name=q]").press_sequentially("BANANA", delay=40)  # no Enter
    page.wait_for_function("() => !document.querySelector('#results tbody').innerText.includes('PO-APPLE-1')")
    assert "PO-BANANA-2" in results.inner_text()
    assert "q=BANANA" in page.url
    # The export exports the list as it now is.
    assert "q=BANANA" in page.get_attribute("#export-link", "href")
