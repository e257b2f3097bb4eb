"""The planner's pages: plan orders, the version page (operations, kit check, load chart, people,
warnings) with pin/split/acknowledge in place; who may do what; and the API with the same rules."""

from decimal import Decimal

from django.urls import reverse

from gendan.planning.models import PlanVersion
from gendan.planning.services.build import plan_build

from .helpers import put_in_force


def test_the_planner_plans_a_released_order_from_the_list(released, client_for):
    client = client_for("production")
    page = client.get(reverse("planning:plan_orders"))
    assert page.status_code == 200 and released.number in page.content.decode()
    response = client.post(reverse("planning:plan_orders"), {"orders": [released.pk]})
    version = PlanVersion.objects.get(plan__order=released)
    assert response.status_code == 302 and response.url == reverse(
        "planning:version_detail", args=[version.pk]
    )


def test_a_merchandiser_does_not_plan(released, client_for):
    client = client_for("merchandiser")
    assert client.get(reverse("planning:plan_orders")).status_code == 403
    assert client.post(reverse("planning:plan_orders"), {"orders": [released.pk]}).status_code == 403
    assert not PlanVersion.objects.exists()


def test_the_version_page_shows_schedule_materials_load_and_warnings(released, planner, client_for):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    page = client_for("production").get(reverse("planning:version_detail", args=[version.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "车削" in html and "<svg" in html and "圆钢" in html
    assert "齐套" in html and "确认" in html
    # The merchandiser reads it, without the planner's buttons.
    html = (
        client_for("merchandiser").get(reverse("planning:version_detail", args=[version.pk])).content.decode()
    )
    assert "<svg" in html and reverse("planning:version_rerun", args=[version.pk]) not in html


def test_pin_and_split_re_render_the_version_in_place(released, planner, client_for, factory):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    turning = version.operations.get(operation__name="车削")
    client = client_for("production")
    response = client.post(
        reverse("planning:planned_pin", args=[turning.pk]),
        {"work_centre": factory["spare"].pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert version.operations.get(operation__name="车削").work_centre == factory["spare"]
    turning = version.operations.get(operation__name="车削")  # a re-run places the rows anew
    response = client.post(reverse("planning:planned_split", args=[turning.pk]), {"quantities": "abc"})
    assert response.status_code == 302 and version.operations.filter(operation__name="车削").count() == 1


def test_purchasing_may_read_but_not_pin(released, planner, client_for, factory):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    turning = version.operations.get(operation__name="车削")
    client = client_for("purchasing")
    assert client.get(reverse("planning:version_detail", args=[version.pk])).status_code == 200
    response = client.post(
        reverse("planning:planned_pin", args=[turning.pk]), {"work_centre": factory["spare"].pk}
    )
    assert response.status_code == 403
    assert not version.operations.get(operation__name="车削").pinned_work_centre


def test_another_department_does_not_see_plans(released, planner, client_for):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    assert (
        client_for("logistics").get(reverse("planning:version_detail", args=[version.pk])).status_code == 404
    )


def test_the_api_lists_builds_and_adjusts_plans_with_the_same_rules(released, api_for, factory):
    api = api_for("production")
    built = api.post("/api/plan-versions/build/", {"orders": [released.pk]}, format="json")
    assert built.status_code == 201
    version = built.json()[0]
    assert version["status"] == "draft" and version["operations"] and version["materials"]
    listed = api.get(f"/api/plan-versions/?order={released.pk}&status=draft").json()
    assert [v["id"] for v in listed["results"]] == [version["id"]]
    assert api.get("/api/plan-versions/?status=nonsense").status_code == 400
    turning = next(o for o in version["operations"] if o["name"] == "车削")
    found = api.get(
        f"/api/planned-operations/?work_centre={turning['work_centre']}&start_after=2000-01-01T00:00:00Z"
    )
    assert turning["id"] in [o["id"] for o in found.json()["results"]]
    assert api.get("/api/planned-operations/?start_after=yesterday").status_code == 400
    denied = api_for("purchasing").post(
        f"/api/planned-operations/{turning['id']}/pin/", {"work_centre": factory["spare"].pk}, format="json"
    )
    assert denied.status_code == 403
    bad = api.post(f"/api/planned-operations/{turning['id']}/split/", {"quantities": [10, 10]}, format="json")
    assert bad.status_code == 400
    split = api.post(
        f"/api/planned-operations/{turning['id']}/split/", {"quantities": [70, 30]}, format="json"
    )
    parts = [o for o in split.json()["operations"] if o["name"] == "车削"]
    assert sorted(Decimal(p["quantity"]) for p in parts) == [30, 70]
    ack = api.post(f"/api/plan-versions/{version['id']}/acknowledge-warning/", {"index": 0}, format="json")
    assert ack.status_code == 200 and ack.json()["warnings"][0]["acknowledged_by"] is not None
    assert (
        api_for("merchandiser")
        .post("/api/plan-versions/build/", {"orders": [released.pk]}, format="json")
        .status_code
        == 403
    )


def test_the_version_page_reads_in_english_for_an_english_reader(released, planner, users, client_for):
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    users["production"].language = "en"
    users["production"].save(update_fields=["language"])
    html = (
        client_for("production").get(reverse("planning:version_detail", args=[version.pk])).content.decode()
    )
    assert "Load per work centre" in html and "Materials and kit check" in html and "Machining" in html
    assert not any(word in html for word in ("负荷", "齐套", "工作中心", "计划开工", "确认"))
    warning = next(w for w in PlanVersion.objects.get(pk=version.pk).warnings if w["kind"] == "shortage")
    need_dates = [item["need_date"] for item in warning["params"]["items"]]
    assert all(date in html for date in need_dates) and "is short by" in html


def test_the_dossier_links_to_the_plan_and_the_shop_floor_of_the_order(released, planner, client_for):
    dossier = f"/orders/order/{released.pk}/"
    before = client_for("merchandiser").get(dossier).content.decode()
    assert reverse("planning:plan_versions", args=[released.pk]) not in before  # nothing planned yet
    (version,) = plan_build(actor=planner, order_ids=[released.pk])
    put_in_force(version)
    html = client_for("merchandiser").get(dossier).content.decode()
    assert reverse("planning:plan_versions", args=[released.pk]) in html and "生产计划（版本 1 生效）" in html
    assert reverse("shopfloor:order", args=[released.pk]) in html
    # Logistics reads the order but neither plans nor daily reports.
    logistics = client_for("logistics").get(dossier)
    assert logistics.status_code == 200
    assert reverse("planning:plan_versions", args=[released.pk]) not in logistics.content.decode()
    assert reverse("shopfloor:order", args=[released.pk]) not in logistics.content.decode()
