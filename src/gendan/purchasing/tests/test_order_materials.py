"""The order's materials (issue item 8): for each material the order needs, what is required, what
stock gives it, what is on order for it (PO numbers and dates), late, in inspection, rejected and
short; on the dossier, the merchandiser's home and in the API; only for those who may see the order."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from gendan.planning.services.build import plan_build
from gendan.planning.tests.helpers import put_in_force
from gendan.purchasing.services.tracking import orders_recheck

from .po_rows import days, po_line, receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def bought(released, planner, make, users, product):
    """The order's plan in force; its steel (165 kg) partly bought: 100 late, 50 of which 20 wait in
    inspection and 10 were rejected; its seals in stock."""
    seal = product.bom_lines.get(component_material__code="SEAL").component_material
    make.stock(material=seal, quantity=1000)
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    version = put_in_force(version)
    steel = version.materials.get(material__code="STEEL")
    buyer = users["purchasing"]
    late = po_line(
        make=make,
        actor=buyer,
        material=steel.material,
        quantity=100,
        delivery=days(-2),
        expected=days(-2),
        status="confirmed",
        orders=[released],
    )
    coming = po_line(
        make=make,
        actor=buyer,
        material=steel.material,
        quantity=50,
        delivery=steel.need_date - dt.timedelta(days=1),
        orders=[released],
    )
    receipt(make=make, line=coming, quantity=20)
    receipt(make=make, line=coming, quantity=10, status="rejected", rejected=10)
    orders_recheck(line_ids=[late.pk, coming.pk])
    return {"version": version, "late": late, "coming": coming, "steel": steel}


def page(client, order):
    return client.get(f"/purchasing/orders/{order.pk}/materials/")


def test_the_page_shows_each_material_with_its_po_lines_inspection_rejections_and_shortage(
    bought, released, client_for
):
    response = page(client_for("merchandiser"), released)
    assert response.status_code == 200
    materials = {m.material.code: m for m in response.context["materials"]}
    steel = materials["STEEL"]
    # 165 needed: 100 late (still counted, expected two days ago), 20 in inspection, 20 still to come
    # before the need date; 10 were rejected: 25 short.
    assert (steel.required, steel.available, steel.on_order, steel.late) == (165, 0, 120, 100)
    assert (steel.in_inspection, steel.rejected, steel.short) == (20, 10, 25)
    assert [ln.line.order.number for ln in steel.lines] == [
        bought["late"].order.number,
        bought["coming"].order.number,
    ]
    seal = materials["SEAL"]
    assert seal.short == 0 and seal.available == seal.required and not seal.lines
    html = response.content.decode()
    assert bought["late"].order.number in html and 'data-material="STEEL"' in html


def test_an_order_the_user_may_not_see_is_a_404_and_a_role_without_materials_a_403(
    bought, released, make, client_for
):
    other = Client()
    other.force_login(make.user(role="merchandiser"))
    assert page(other, released).status_code == 404
    assert page(client_for("merchandiser"), type(released)(pk=999999)).status_code == 404
    assert page(client_for("merchandiser"), type(released)(pk=10**30)).status_code == 404
    assert page(client_for("logistics"), released).status_code == 403
    assert page(client_for("warehouse"), released).status_code == 200


def test_the_api_gives_the_same_numbers_with_the_same_restriction(bought, released, make, api_for):
    response = api_for("merchandiser").get(f"/api/order-materials/{released.pk}/")
    assert response.status_code == 200
    steel = next(m for m in response.json()["materials"] if m["material_code"] == "STEEL")
    assert Decimal(steel["short"]) == 25 and Decimal(steel["in_inspection"]) == 20
    assert [ln["po_number"] for ln in steel["lines"]][0] == bought["late"].order.number
    assert steel["lines"][0]["late"] is True
    assert api_for("logistics").get(f"/api/order-materials/{released.pk}/").status_code == 403
    assert api_for("merchandiser").get("/api/order-materials/abc/").status_code == 404
    other = make.user(role="merchandiser")
    client = APIClient()
    client.force_login(other)
    assert client.get(f"/api/order-materials/{released.pk}/").status_code == 404


def test_the_dossier_links_the_materials_and_the_merchandisers_home_lists_orders_short(
    bought, released, client_for
):
    url = f"/purchasing/orders/{released.pk}/materials/"
    dossier = client_for("merchandiser").get(f"/orders/order/{released.pk}/").content.decode()
    assert url in dossier
    home = client_for("merchandiser").get("/").content.decode()
    assert url in home and released.number in home
    assert url not in client_for("purchasing").get("/").content.decode()  # his home is not for orders


def test_an_order_not_yet_planned_shows_its_share_of_the_requirements(released, make, compute, client_for):
    seal = released.lines.get().product.bom_lines.get(component_material__code="SEAL").component_material
    make.stock(material=seal, quantity=100)
    compute()
    materials = {m.material.code: m for m in page(client_for("merchandiser"), released).context["materials"]}
    # 210 seals needed, 100 in stock; nothing checked yet (no plan in force).
    assert (materials["SEAL"].required, materials["SEAL"].available) == (210, 100)
    assert not materials["SEAL"].checked and materials["STEEL"].required == 165
