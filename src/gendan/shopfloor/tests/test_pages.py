"""The pages a team leader uses: the QR code's landing, the phone form, the desktop grid, the
order's shop floor page with the reverse button, the report list, and the home panel."""

from decimal import Decimal

import pytest
from django.core import signing
from django.test import override_settings
from django.utils import timezone

from gendan.planning.models import OrderOperation
from gendan.shopfloor.models import ProductionReport
from gendan.shopfloor.services import report_create
from gendan.shopfloor.tokens import SALT, operation_token

pytestmark = pytest.mark.django_db


def test_the_qr_code_opens_the_operations_report_form(shop, client_production):
    p = shop.planned_order()
    response = client_production.get(f"/s/{operation_token(p.ops[1].pk)}")
    assert response.status_code == 302 and response["Location"] == f"/shopfloor/report/{p.ops[1].pk}/"


def test_the_qr_code_needs_a_login_and_comes_back(shop, client):
    p = shop.planned_order()
    path = f"/s/{operation_token(p.ops[0].pk)}"
    response = client.get(path)
    assert (
        response.status_code == 302 and "login" in response["Location"] and "next=/s/" in response["Location"]
    )


def test_a_forged_or_foreign_code_is_refused_clearly(shop, client_production):
    p = shop.planned_order()
    forged = signing.dumps({"op": p.ops[0].pk, "f": "gendan"}, salt=SALT, key="another factory's key" * 3)
    with override_settings(GENDAN_FACTORY_ID="another-factory"):
        foreign = operation_token(p.ops[0].pk)
    for token in (forged, foreign, "nonsense", operation_token(p.ops[0].pk)[:-2] + "xx"):
        response = client_production.get(f"/s/{token}")
        assert response.status_code == 400, token
        assert "不是本厂" in response.content.decode()
    assert ProductionReport.objects.count() == 0


def test_the_phone_form_is_filled_and_saves(shop, client_production):
    p = shop.planned_order()
    op = p.ops[0]
    page = client_production.get(f"/shopfloor/report/{op.pk}/").content.decode()
    assert p.order.number in page and op.name in page and p.work_centre.code in page
    assert 'name="allow_over"' in page  # production's role may allow more
    response = client_production.post(
        f"/shopfloor/report/{op.pk}/",
        {"work_date": timezone.localdate().isoformat(), "good_qty": "12", "people": "1", "hours": "2"},
    )
    assert response.status_code == 302
    report = ProductionReport.objects.get()
    assert report.good_qty == 12 and report.channel == "phone"


def test_the_phone_form_shows_a_refusal_on_its_field(shop, client_production):
    p = shop.planned_order(quantity="10")
    response = client_production.post(
        f"/shopfloor/report/{p.ops[0].pk}/",
        {"work_date": timezone.localdate().isoformat(), "good_qty": "11", "people": "1"},
    )
    assert response.status_code == 200
    assert "上道工序" in response.content.decode() or "previous" in response.content.decode()
    assert ProductionReport.objects.count() == 0


def test_who_only_reads_sees_no_form_and_cannot_post(shop, client_merchandiser):
    p = shop.planned_order()
    page = client_merchandiser.get(f"/shopfloor/report/{p.ops[0].pk}/")
    assert page.status_code == 200 and 'name="good_qty"' not in page.content.decode()
    response = client_merchandiser.post(f"/shopfloor/report/{p.ops[0].pk}/", {"good_qty": "1", "people": "1"})
    assert response.status_code == 403
    assert ProductionReport.objects.count() == 0


def test_the_report_form_of_an_unknown_operation_is_404(client_production):
    assert client_production.get("/shopfloor/report/999999/").status_code == 404


def _grid_url(p):
    return f"/shopfloor/daily/?work_centre={p.work_centre.pk}&date={timezone.localdate().isoformat()}"


def test_the_grid_saves_every_row_at_once(shop, client_production):
    p = shop.planned_order(steps=2)
    page = client_production.get(_grid_url(p)).content.decode()
    assert p.ops[0].name in page and p.ops[1].name in page
    data = {
        f"op{p.ops[0].pk}-good_qty": "20",
        f"op{p.ops[0].pk}-people": "2",
        f"op{p.ops[1].pk}-good_qty": "15",
    }
    response = client_production.post(_grid_url(p), data)
    assert response.status_code == 302
    p.refresh()
    assert (p.ops[0].good_qty, p.ops[1].good_qty) == (Decimal(20), Decimal(15))


def test_one_wrong_row_saves_nothing_and_is_named(shop, client_production):
    p = shop.planned_order(steps=2)
    data = {f"op{p.ops[0].pk}-good_qty": "20", f"op{p.ops[1].pk}-good_qty": "25"}  # 25 > 20 passed on
    response = client_production.post(_grid_url(p), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{p.order.number} / {p.ops[1].sequence} {p.ops[1].name}" in page
    data = {f"op{p.ops[0].pk}-good_qty": "abc", f"op{p.ops[1].pk}-good_qty": "1"}
    response = client_production.post(_grid_url(p), data)
    assert response.status_code == 200 and f"{p.ops[0].sequence} {p.ops[0].name}" in response.content.decode()
    assert ProductionReport.objects.count() == 0
    p.refresh()
    assert p.ops[0].good_qty == 0


def test_the_grid_is_for_who_reports(client_merchandiser):
    assert client_merchandiser.get("/shopfloor/daily/").status_code == 403


def test_the_grid_takes_bad_parameters_calmly(client_production):
    for query in ("?work_centre=abc&date=x", "?work_centre=999999", "?date=2026-13-45"):
        assert client_production.get(f"/shopfloor/daily/{query}").status_code == 200


def test_the_orders_page_shows_planned_against_actual_and_reverses(shop, leader, client_production):
    p = shop.planned_order()
    report = report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="7")
    page = client_production.get(f"/shopfloor/orders/{p.order.pk}/").content.decode()
    assert p.ops[0].name in page and f"/shopfloor/reports/{report.pk}/reverse/" in page
    response = client_production.post(f"/shopfloor/reports/{report.pk}/reverse/", {"reason": "数错"})
    assert response.status_code == 302
    assert OrderOperation.objects.get(pk=p.ops[0].pk).good_qty == 0
    page = client_production.get(f"/shopfloor/orders/{p.order.pk}/").content.decode()
    assert f"/shopfloor/reports/{report.pk}/reverse/" not in page


def test_a_reverse_without_reason_changes_nothing(shop, leader, client_production, client_merchandiser):
    p = shop.planned_order()
    report = report_create(actor=leader, operation_id=p.ops[0].pk, good_qty="7")
    client_production.post(f"/shopfloor/reports/{report.pk}/reverse/", {"reason": ""})
    assert (
        client_merchandiser.post(f"/shopfloor/reports/{report.pk}/reverse/", {"reason": "x"}).status_code
        == 403
    )
    assert ProductionReport.objects.count() == 1


def test_the_report_list_filters(shop, leader, client_production):
    a, b = shop.planned_order(), shop.planned_order()
    report_create(actor=leader, operation_id=a.ops[0].pk, good_qty="3")
    report_create(actor=leader, operation_id=b.ops[0].pk, good_qty="4")
    page = client_production.get(f"/shopfloor/reports/?order={a.order.number}").content.decode()
    assert a.order.number in page and b.order.number not in page
    page = client_production.get(f"/shopfloor/reports/?work_centre={b.work_centre.pk}").content.decode()
    assert b.order.number in page and a.order.number not in page
    assert client_production.get("/shopfloor/reports/?date_from=nonsense&work_centre=x").status_code == 200


def test_the_home_page_lists_todays_operations_for_the_team_leader(
    shop, client_production, client_merchandiser
):
    p = shop.planned_order()
    page = client_production.get("/").content.decode()
    assert f"/shopfloor/daily/?work_centre={p.work_centre.pk}" in page
    assert "/shopfloor/daily/" not in client_merchandiser.get("/").content.decode()
