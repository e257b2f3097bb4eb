"""Can we deliver? (R-2.3): the merchandiser's question, the engine's answer, the customer's reply."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from gendan.core.pdf_blocks import texts_of
from gendan.planning.pdf import delivery_reply_blocks
from gendan.planning.services.ctp import CtpItem, ctp_ask

from .conftest import in_days

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_a_small_order_can_be_delivered(users, product, loaded_order):
    answer = ctp_ask(
        user=users["merchandiser"], items=[CtpItem(product, Decimal("10"))], requested=in_days(60)
    )
    assert answer.possible and answer.without_delaying_others
    assert answer.earliest_free <= in_days(60)
    assert answer.impacts == [] and answer.limit == ""


def test_an_impossible_order_says_no_with_the_bottleneck_and_the_orders_it_would_delay(
    users, product, loaded_order, other_customer
):
    answer = ctp_ask(
        user=users["production"], items=[CtpItem(product, Decimal("5000"))], requested=in_days(30)
    )
    assert not answer.possible and not answer.without_delaying_others
    assert answer.earliest_free > in_days(30)
    assert answer.limit in {"work_centre", "chain"}
    with translation.override("en"):
        assert answer.limit_text
    [impact] = answer.impacts
    assert impact.number == loaded_order.number and impact.customer == str(other_customer)
    assert impact.delivery_date == in_days(30) and impact.days_later >= 1


def test_only_merchandisers_planners_and_management_may_ask(users, product):
    for role in ("merchandiser", "production", "management", "admin"):
        ctp_ask(user=users[role], items=[CtpItem(product, Decimal("1"))], requested=in_days(20))
    for role in ("warehouse", "quality", "purchasing", "logistics"):
        with pytest.raises(PermissionDenied):
            ctp_ask(user=users[role], items=[CtpItem(product, Decimal("1"))], requested=in_days(20))


def test_the_page_answers_below_the_form(client_merchandiser, product, loaded_order):
    page = client_merchandiser.get("/planning/ctp/")
    assert page.status_code == 200
    # The date picker gets its first date as an ISO date (the Chinese 2026/12/30 left it blank).
    assert f'value="{in_days(30).isoformat()}"' in page.content.decode()
    data = {
        "product_1": product.pk,
        "quantity_1": "5000",
        "date": in_days(30).isoformat(),
        "priority": "normal",
    }
    response = client_merchandiser.post("/planning/ctp/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and loaded_order.number in html and "reply.pdf" in html


def test_bad_questions_get_messages_not_errors(client_merchandiser, client_warehouse, product):
    for data in (
        {"product_1": "x", "quantity_1": "-1", "date": "soon"},
        {"product_1": product.pk, "quantity_1": "1e30", "date": in_days(5).isoformat()},
        {"product_1": product.pk, "quantity_1": "5", "date": in_days(-3).isoformat(), "priority": "normal"},
        {"product_1": product.pk, "date": in_days(5).isoformat(), "priority": "normal"},
    ):
        response = client_merchandiser.post("/planning/ctp/", data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "msg-error" in response.content.decode()
    assert client_warehouse.get("/planning/ctp/").status_code == 403
    assert client_merchandiser.get("/planning/ctp/reply.pdf?quantity_1=abc").status_code == 400


def test_the_reply_pdf_in_both_languages_names_no_other_customer(
    client_merchandiser, users, product, loaded_order, other_customer
):
    query = f"product_1={product.pk}&quantity_1=5000&date={in_days(30).isoformat()}&priority=normal"
    chinese = client_merchandiser.get(f"/planning/ctp/reply.pdf?{query}&customer=华东机械")
    english = client_merchandiser.get(f"/planning/ctp/reply.pdf?{query}&customer=East&lang=en")
    for response in (chinese, english):
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    answer = ctp_ask(
        user=users["merchandiser"], items=[CtpItem(product, Decimal("5000"))], requested=in_days(30)
    )
    assert answer.impacts  # the page shows them; the customer's reply must not
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            texts = " ".join(
                t for b in delivery_reply_blocks(answer, customer="华东机械") for t in texts_of(b)
            )
        assert "华东机械" in texts and answer.earliest_free.isoformat() in texts
        assert loaded_order.number not in texts and other_customer.name not in texts
        assert "WC-ASM" not in texts and "总装线" not in texts
    text = _pdf_text(chinese.content)
    if text is not None:
        assert "交期回复" in text and "华东机械" in text and loaded_order.number not in text
        assert "Delivery date reply" in _pdf_text(english.content)
