"""Material requirements (R-3.1): from the plans in force and the released orders not yet planned,
netted against stock, with pegging to the orders; computed again when what they depend on changes;
read by the departments that use them, a merchandiser only for his orders."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.accounts.models import User
from gendan.planning.services.build import plan_build
from gendan.planning.tests.helpers import put_in_force
from gendan.purchasing.models import MaterialRequirement, RequirementRun
from gendan.purchasing.selectors import order_materials
from gendan.purchasing.services import requirements_refresh

pytestmark = pytest.mark.django_db


def steel_of(run):
    return MaterialRequirement.objects.get(run=run, material__code="STEEL")


def test_a_plan_in_force_needs_its_materials_on_its_days_pegged_to_its_order(released, planner, compute):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    put_in_force(version)
    planned = version.materials.get(material__code="STEEL")
    run = compute(planner)
    assert run.status == "done" and run.summary["orders"] == 1 and run.summary["unplanned_orders"] == 0
    steel = steel_of(run)
    assert (steel.need_date, steel.gross, steel.from_stock, steel.net) == (
        planned.need_date,
        planned.quantity,
        0,
        planned.quantity,
    )
    assert steel.to_buy == planned.quantity and steel.order_by == planned.need_date - dt.timedelta(days=10)
    (peg,) = steel.pegs.all()
    assert (peg.order_id, peg.order_line_id, peg.version_id, peg.quantity) == (
        released.pk,
        released.lines.get().pk,
        version.pk,
        planned.quantity,
    )
    assert not steel.unplanned


def test_an_order_not_yet_planned_is_exploded_through_its_bom_and_marked(released, make, compute):
    seal = released.lines.get().product.bom_lines.get(component_material__code="SEAL").component_material
    make.stock(material=seal, quantity=1000)
    run = compute()
    steel = steel_of(run)
    # 100 pumps need 100 shafts, each 1.5 kg of steel with 10 % scrap; the shaft starts the pump's
    # lead time (5 days) before its delivery date, the steel the shaft's (7) before that.
    line = released.lines.get()
    assert steel.gross == Decimal("165") and steel.unplanned
    assert steel.need_date == line.delivery_date - dt.timedelta(days=5 + 7)
    seal_row = MaterialRequirement.objects.get(run=run, material=seal)
    assert seal_row.gross == Decimal("210") and seal_row.from_stock == Decimal("210") and seal_row.to_buy == 0
    assert [p.version_id for p in steel.pegs.all()] == [None]


def test_the_worker_computes_again_only_when_something_changed(released, make, compute):
    first = compute()
    assert requirements_refresh() is None  # nothing changed
    steel = steel_of(first).material
    make.stock(material=steel, quantity=50)
    again = requirements_refresh()
    assert again is not None and again.status == "queued" and again.trigger == "change"
    assert requirements_refresh() is None  # one waiting is enough


def test_the_newest_computation_replaces_the_rows_of_the_last(released, make, compute):
    first = compute()
    steel = steel_of(first)
    make.stock(material=steel.material, quantity=60)
    second = compute()
    assert not MaterialRequirement.objects.filter(run=first).exists()
    assert steel_of(second).from_stock == 60 and RequirementRun.objects.count() == 2


def test_a_merchandiser_reads_the_requirements_of_his_orders_only(released, users, make, compute):
    compute()
    assert MaterialRequirement.objects.restrict(users["merchandiser"], "view").exists()
    other = User.objects.create_user(
        username="m2", password="x", role="merchandiser", department=users["merchandiser"].department
    )
    assert not MaterialRequirement.objects.restrict(other, "view").exists()  # not his order
    assert MaterialRequirement.objects.restrict(users["warehouse"], "view").exists()
    assert not MaterialRequirement.objects.restrict(users["logistics"], "view").exists()


def test_the_page_lists_requirements_with_their_orders_and_filters(released, compute, client_for):
    compute()
    page = client_for("purchasing").get(reverse("purchasing:requirements") + "?to_buy=true")
    html = page.content.decode()
    assert page.status_code == 200 and "STEEL" in html and released.number in html and "未排产" in html
    assert client_for("logistics").get(reverse("purchasing:requirements")).status_code == 403
    assert client_for("merchandiser").post(reverse("purchasing:compute")).status_code == 403
    assert client_for("purchasing").post(reverse("purchasing:compute")).status_code == 302


def test_a_yes_no_filter_not_used_says_all(client_for):
    """Its empty choice reads 全部 (All), not Django's 未知 (Unknown); yes and no still filter."""
    html = client_for("purchasing").get(reverse("purchasing:requirements")).content.decode()
    assert '<option value="unknown" selected>全部</option>' in html and "未知" not in html
    assert "需用日期从" in html and "需用日期至" in html  # the two ends of the need dates
    assert '<option value="true">是</option>' in html and '<option value="false">否</option>' in html
    page = client_for("purchasing").get(reverse("purchasing:requirements"), {"to_buy": "false"})
    assert '<option value="false" selected>否</option>' in page.content.decode()


def test_the_dossier_shows_the_orders_materials(released, compute, client_for, users):
    compute()
    materials = order_materials(user=users["merchandiser"], order=released)
    assert {m.material.code for m in materials} == {"STEEL", "SEAL"} and all(m.to_buy for m in materials)
    html = client_for("merchandiser").get(f"/orders/order/{released.pk}/").content.decode()
    assert "物料（2 种，2 种待采购）" in html


def test_the_api_lists_requirements_and_asks_for_a_computation(released, compute, api_for):
    compute()
    rows = api_for("purchasing").get("/api/material-requirements/", {"order": released.number}).json()
    assert {r["material_code"] for r in rows["results"]} == {"STEEL", "SEAL"}
    assert rows["results"][0]["pegs"][0]["order_number"] == released.number
    assert api_for("purchasing").post("/api/requirement-runs/").status_code == 202
    assert api_for("merchandiser").post("/api/requirement-runs/").status_code == 403


def test_a_bom_cycle_fails_the_computation_with_its_path_and_is_not_retried_until_a_change(
    released, make, compute
):
    pump = released.lines.get().product
    shaft = pump.bom_lines.get(component_product__isnull=False).component_product
    make.bom_line(parent=shaft, product=pump, quantity=Decimal(1))  # the shaft now needs a pump
    run = compute()
    assert run.status == "failed" and "->" in run.message
    assert requirements_refresh() is None  # nothing changed since: not tried again
