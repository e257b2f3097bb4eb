"""Issue 14, item 6: the OpenAPI schema describes the answers as they are (the fuzzer in
tests/probes checks every operation; these are the cases it found)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _answer(schema, path, method="get", code="200"):
    return schema["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]


def test_an_orders_timeline_is_one_list_not_pages(schema, api_admin, orders):
    order = orders.draft()
    assert _answer(schema, "/api/orders/{id}/timeline/")["type"] == "array"
    body = api_admin.get(f"/api/orders/{order.pk}/timeline/").json()
    assert isinstance(body, list) and body


def test_a_finding_about_the_whole_order_has_no_line(schema):
    assert schema["components"]["schemas"]["Finding"]["properties"]["line_no"].get("nullable") is True


def test_times_are_described_as_the_api_writes_them(schema, api_admin, make):
    start = schema["components"]["schemas"]["Shift"]["properties"]["start_time"]
    assert start["format"] == "partial-time" and "pattern" in start
    import re

    shift = make.shift()
    written = api_admin.get(f"/api/shifts/{shift.pk}/").json()["start_time"]
    assert re.fullmatch(start["pattern"], written)


def test_error_answers_are_described(schema):
    responses = schema["paths"]["/api/orders/{id}/submit/"]["post"]["responses"]
    assert {"400", "403", "404", "409"} <= set(responses)
