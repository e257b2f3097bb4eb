"""Issue 14, item 5: input a user or a script can type never gives a server error (500), but a
400/404 with a clear message, and changes nothing."""

import pytest

from gendan.masterdata.models import Customer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sort", ["--code", "---name", "-", "--", "- code"])
def test_a_malformed_sort_key_falls_back_to_the_default_order(client_merchandiser, make, sort):
    make.customer(code="C1")
    for url in ("/masterdata/customer/", "/masterdata/customer/export/"):
        response = client_merchandiser.get(url, {"sort": sort})
        assert response.status_code == 200, (url, sort)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/customers/abc/"),
        ("get", "/api/customers/1x/history/"),
        ("put", "/api/customers/abc/"),
        ("patch", "/api/customers/abc/"),
        ("post", "/api/customers/abc/archive/"),
        ("post", "/api/customers/abc/restore/"),
        ("get", "/api/products/1.5/"),
        ("get", "/api/warehouses/abc/"),
        ("post", "/api/orders/abc/submit/"),
        ("post", "/api/orders/abc/release/"),
        ("get", "/api/orders/abc/timeline/"),
        ("get", "/api/findings/abc/"),
        ("post", "/api/acknowledgements/abc/acknowledge/"),
        ("get", "/api/customers/²/"),
        ("get", "/api/customers/999999999999999999999999999999/"),
        ("get", "/api/orders/999999999999999999999999999999/timeline/"),
    ],
)
def test_a_non_numeric_or_huge_id_in_an_api_path_is_not_found(api_admin, make, method, path):
    make.customer(code="C1")
    before = list(Customer.objects.values_list("pk", "code", "is_archived"))
    response = getattr(api_admin, method)(path, {}, format="json")
    assert response.status_code == 404, (path, response.status_code)
    assert list(Customer.objects.values_list("pk", "code", "is_archived")) == before


@pytest.mark.parametrize(
    "path", ["/orders/999999999999999999999999999999/", "/masterdata/customer/99999999999999999999999/"]
)
def test_a_huge_id_in_a_page_path_is_not_found(client_admin, path):
    assert client_admin.get(path).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/order-lines/",
        "/api/findings/",
        "/api/clarifications/",
        "/api/acknowledgements/",
        "/api/change-requests/",
    ],
)
@pytest.mark.parametrize("value", ["²", "999999999999999999999999999999", "-1x", "1.5"])
def test_a_bad_order_filter_on_the_child_lists_is_a_clear_400(api_admin, url, value):
    response = api_admin.get(url, {"order": value})
    assert response.status_code == 400, (url, value, response.status_code)
    assert "1 至 9223372036854775807 之间的整数" in response.json()["order"][0]


def test_a_good_order_filter_on_the_child_lists_still_filters(api_admin):
    assert api_admin.get("/api/order-lines/", {"order": "12"}).json()["count"] == 0


@pytest.mark.parametrize("url", ["/accounts/user/export/", "/inventory/stocklevel/export/"])
def test_exports_with_dates_and_times_work(client_admin, make, url):
    make.stock(quantity=5)
    response = client_admin.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
