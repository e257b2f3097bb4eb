# ruff: noqa: F811 - the fixtures come from plans_setup
"""The purchase plan pages: who sees what, the buttons by role, editing a line in place, deciding,
the merchandiser's lines awaiting his decision, the export, bad input."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from gendan.core.attention import attention_for
from gendan.purchasing.choices import PlanLineStatus, PlanStatus
from gendan.purchasing.exports_plans import plan_rows
from gendan.purchasing.models import PurchasePlan, PurchasePlanLine
from gendan.purchasing.services.plans_flow import plan_submit

from .plans_setup import buying, drafted, line_of  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
L = PlanLineStatus


@pytest.fixture(autouse=True)
def english(users, buying):
    """Everyone reads the pages in English here (the tests assert English words)."""
    from gendan.accounts.models import User

    User.objects.update(language="en")
    for user in [*users.values(), buying.m2]:
        user.language = "en"
    with translation.override("en"):
        yield


def test_the_list_and_a_plan_for_purchasing(buying, drafted, client_for):
    client = client_for("purchasing")
    page = client.get(reverse("purchasing:plan_list"))
    assert page.status_code == 200 and drafted.number in page.content.decode()
    page = client.get(reverse("purchasing:plan_detail", args=[drafted.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "STEEL" in text and "Submit for approval" in text and "can deliver by the need date" in text
    assert buying.order2.number in text


@pytest.mark.parametrize("role", ["production", "quality", "warehouse", "logistics"])
def test_roles_that_do_not_buy_or_decide_do_not_read_plans(buying, drafted, client_for, role):
    client = client_for(role)
    assert client.get(reverse("purchasing:plan_list")).status_code == 403
    assert client.get(reverse("purchasing:plan_detail", args=[drafted.pk])).status_code == 404


def test_a_merchandiser_sees_his_part_only(buying, drafted, client_for, users):
    plan_submit(actor=users["purchasing"], plan_id=drafted.pk)
    from django.test import Client

    other = Client()
    other.force_login(buying.m2)
    text = other.get(reverse("purchasing:plan_detail", args=[drafted.pk])).content.decode()
    assert "STEEL" in text and "SEAL" not in text
    assert buying.order2.number in text and buying.order1.number not in text
    assert "Submit for approval" not in text
    seal = line_of(drafted, buying.seal)
    assert (
        other.post(
            reverse("purchasing:plan_line_decide", args=[seal.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )


def test_merchandiser_decides_from_the_page_and_a_rejection_needs_a_reason(
    buying, drafted, client_for, users
):
    plan_submit(actor=users["purchasing"], plan_id=drafted.pk)
    client = client_for("merchandiser")
    seal = line_of(drafted, buying.seal)
    url = reverse("purchasing:plan_line_decide", args=[seal.pk])
    response = client.post(url, {"decision": "reject", "reason": ""}, follow=True)
    assert "Say why" in response.content.decode()
    assert line_of(drafted, buying.seal).status == L.PROPOSED
    response = client.post(url, {"decision": "approve", "row": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="line-{seal.pk}"' in response.content.decode()
    assert line_of(drafted, buying.seal).status == L.APPROVED


def test_purchasing_may_not_decide_and_a_merchandiser_may_not_submit(buying, drafted, client_for, users):
    line = line_of(drafted, buying.seal)
    assert client_for("merchandiser").post(
        reverse("purchasing:plan_submit", args=[drafted.pk])
    ).status_code in (403, 404)
    plan_submit(actor=users["purchasing"], plan_id=drafted.pk)
    response = client_for("purchasing").post(
        reverse("purchasing:plan_line_decide", args=[line.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert line_of(drafted, buying.seal).status == L.PROPOSED


def test_a_line_is_edited_in_place(buying, drafted, client_for):
    client = client_for("purchasing")
    line = line_of(drafted, buying.steel)
    url = reverse("purchasing:plan_line_edit", args=[line.pk])
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and 'name="quantity"' in form.content.decode()
    data = {
        "quantity": "175",
        "supplier": buying.fast.pk,
        "unit_price": "11",
        "order_by": line.order_by.isoformat(),
        "need_date": line.need_date.isoformat(),
        "note": "加急",
    }
    row = client.post(url, data, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and "175" in row.content.decode()
    line.refresh_from_db()
    assert line.quantity == 175 and line.unit_price == 11 and line.note == "加急"
    bad = client.post(url, {**data, "quantity": "0"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "more than zero" in bad.content.decode()
    assert PurchasePlanLine.objects.get(pk=line.pk).quantity == 175


def test_the_edit_form_keeps_the_line_dates_in_chinese(buying, drafted, client_for, users):
    """The date pickers get ISO dates (the Chinese format left them blank and the form unsavable)."""
    users["purchasing"].language = "zh-hans"
    users["purchasing"].save(update_fields=["language"])
    line = line_of(drafted, buying.steel)
    with translation.override("zh-hans"):
        form = client_for("purchasing").get(reverse("purchasing:plan_line_edit", args=[line.pk]))
    text = form.content.decode()
    assert f'value="{line.order_by.isoformat()}"' in text
    assert f'value="{line.need_date.isoformat()}"' in text


def test_a_price_well_above_the_last_is_red(buying, drafted, client_for):
    PurchasePlanLine.objects.filter(pk=line_of(drafted, buying.steel).pk).update(last_price=Decimal("9"))
    text = client_for("purchasing").get(reverse("purchasing:plan_detail", args=[drafted.pk])).content.decode()
    assert "price-up" in text and "11.1 %" in text


def test_the_lines_awaiting_my_decision_and_the_home_page(buying, drafted, client_for, users):
    plan_submit(actor=users["purchasing"], plan_id=drafted.pk)
    page = client_for("merchandiser").get(reverse("purchasing:plan_pending"))
    assert page.status_code == 200
    assert page.content.decode().count('name="decision" value="approve"') == 2
    items = attention_for(users["merchandiser"])
    assert any(i.count == 2 and i.url == reverse("purchasing:plan_pending") for i in items)
    assert client_for("purchasing").get(reverse("purchasing:plan_pending")).status_code == 403
    mine = client_for("merchandiser").get(reverse("purchasing:plan_list"), {"mine": "true"})
    assert drafted.number in mine.content.decode()


def test_draft_submit_revise_from_the_pages(buying, client_for, users):
    client = client_for("purchasing")
    response = client.post(reverse("purchasing:plan_new"))
    plan = PurchasePlan.objects.get()
    assert response.status_code == 302 and plan.status == PlanStatus.DRAFT
    again = client.post(reverse("purchasing:plan_new"), follow=True)
    assert "already in a plan" in again.content.decode() and PurchasePlan.objects.count() == 1
    client.post(reverse("purchasing:plan_submit", args=[plan.pk]))
    client.post(reverse("purchasing:plan_withdraw", args=[plan.pk]), {"reason": "重新询价"})
    response = client.post(reverse("purchasing:plan_revise", args=[plan.pk]))
    new = PurchasePlan.objects.get(version=2)
    assert response.url == reverse("purchasing:plan_detail", args=[new.pk])
    text = client.get(response.url).content.decode()
    assert "v1" in text and "v2" in text


def test_bad_ids_and_filters_are_not_errors(buying, drafted, client_for):
    client = client_for("purchasing")
    assert client.get(reverse("purchasing:plan_detail", args=[999999])).status_code == 404
    assert client.get(reverse("purchasing:plan_list"), {"status": "nonsense", "mine": "x"}).status_code == 200
    assert client.post(reverse("purchasing:plan_line_edit", args=[999999]), {}).status_code == 404


def test_the_export_escapes_cells_and_shows_prices_only_to_who_may_see_them(
    buying, drafted, client_for, users
):
    PurchasePlanLine.objects.filter(pk=line_of(drafted, buying.steel).pk).update(note="=HYPERLINK(1)")
    response = client_for("purchasing").get(reverse("purchasing:plan_export", args=[drafted.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert "Unit price" in rows[0]
    assert "'=HYPERLINK(1)" in [c for row in rows for c in row]
    headers, _rows = plan_rows(user=users["production"], lines=drafted.lines.all())
    assert "Unit price" not in headers and "Last price" not in headers
