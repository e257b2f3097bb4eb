"""The plan pages and buttons, as each role sees them."""

import pytest

from gendan.accounts.models import User
from gendan.planning.choices import VersionStatus as V
from gendan.planning.models import PlanVersion

pytestmark = pytest.mark.django_db


def test_the_plan_list_tabs_and_filters(plans, client_production):
    waiting = plans.version(status=V.SUBMITTED).plan.order
    to_plan = plans.order()
    html = client_production.get("/planning/").content.decode()
    assert waiting.number in html and to_plan.number in html
    html = client_production.get("/planning/?state=submitted").content.decode()
    assert waiting.number in html and to_plan.number not in html
    for bad in ("?state=nonsense", "?page=abc", "?customer=x", "?merchandiser=999999", "?q=" + "x" * 500):
        assert client_production.get("/planning/" + bad).status_code == 200


def test_a_role_without_plans_gets_no_list(client_warehouse):
    assert client_warehouse.get("/planning/").status_code == 403


def test_versions_and_diff_pages(plans, client_merchandiser):
    order = plans.order()
    old = plans.version(order, status=V.SUPERSEDED)
    new = plans.version(order, shift_hours=5)
    html = client_merchandiser.get(f"/planning/orders/{order.pk}/versions/").content.decode()
    assert "v1" in html and "v2" in html
    page = client_merchandiser.get(f"/planning/orders/{order.pk}/diff/?old={new.pk}&new={old.pk}")
    assert page.status_code == 200
    assert "diff-before" in page.content.decode()
    for bad in ("", "?old=x&new=1", f"?old={old.pk}&new=99999999", "?old=-1&new=0"):
        assert client_merchandiser.get(f"/planning/orders/{order.pk}/diff/{bad}").status_code == 404


def test_another_merchandisers_order_is_not_found(plans, make, client_merchandiser):
    other = make.user(role="merchandiser")
    version = plans.version(plans.order(merchandiser=other), status=V.SUBMITTED)
    order_id = version.plan.order_id
    assert client_merchandiser.get(f"/planning/orders/{order_id}/versions/").status_code == 404
    assert client_merchandiser.get(f"/planning/versions/{version.pk}/approval/").status_code == 404
    assert client_merchandiser.post(f"/planning/versions/{version.pk}/approve/").status_code == 404
    assert PlanVersion.objects.get(pk=version.pk).status == V.SUBMITTED


def test_the_merchandiser_sees_approve_and_reject_the_planner_withdraw(
    plans, client_merchandiser, client_production
):
    version = plans.version(status=V.SUBMITTED)
    url = f"/planning/versions/{version.pk}/approval/"
    html = client_merchandiser.get(url).content.decode()
    assert f"/planning/versions/{version.pk}/approve/" in html and "reject/" in html
    assert "withdraw/" not in html
    html = client_production.get(url).content.decode()
    assert "approve/" not in html and "withdraw/" in html


def test_reject_without_reason_changes_nothing_then_with_one(plans, client_merchandiser):
    version = plans.version(status=V.SUBMITTED)
    url = f"/planning/versions/{version.pk}/reject/"
    client_merchandiser.post(url, {"reason": "  "})
    assert PlanVersion.objects.get(pk=version.pk).status == V.SUBMITTED
    response = client_merchandiser.post(url, {"reason": "请提前", "next": "//evil.example/"})
    assert (
        response.status_code == 302 and response["Location"] == f"/planning/versions/{version.pk}/approval/"
    )
    assert PlanVersion.objects.get(pk=version.pk).reason == "请提前"
    # The history names who rejected as the pages name people, not by his log-in name.
    html = client_merchandiser.get(f"/planning/versions/{version.pk}/approval/").content.decode()
    history = html.split('class="workflow-history"')[1]
    who = User.objects.get(pk=client_merchandiser.session["_auth_user_id"])
    assert f": {who} ·" in history and f": {who.username} ·" not in history


def test_production_cannot_approve_by_page(plans, client_production):
    version = plans.version(status=V.SUBMITTED)
    assert client_production.post(f"/planning/versions/{version.pk}/approve/").status_code == 403
    assert PlanVersion.objects.get(pk=version.pk).status == V.SUBMITTED


def test_submit_blocked_by_a_warning_shows_why(plans, client_production):
    version = plans.version(warnings=[{"kind": "late", "key": "late", "params": {}, "acknowledged_by": None}])
    html = client_production.get(f"/planning/versions/{version.pk}/approval/").content.decode()
    assert "disabled" in html
    client_production.post(f"/planning/versions/{version.pk}/submit/")
    assert PlanVersion.objects.get(pk=version.pk).status == V.DRAFT


def test_the_menu_has_plans(client_production):
    html = client_production.get("/").content.decode()
    assert 'href="/planning/"' in html


def test_the_plan_list_query_count_does_not_grow(plans, client_production):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client_production.get("/planning/").status_code == 200
        return len(ctx.captured_queries)

    plans.version(status=V.SUBMITTED)
    plans.order()
    few = count()
    for _ in range(6):
        plans.version(status=V.APPROVED)
        plans.order()
    assert count() == few
