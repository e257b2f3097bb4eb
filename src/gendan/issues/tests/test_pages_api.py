"""The register's pages and API: filters, 404 for others' issues, bad input is a 400."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from gendan.issues.models import Issue


def test_the_register_lists_and_filters(f, client_for, users):
    order = f.order()
    late = f.issue(order=order, due_date=timezone.localdate() - dt.timedelta(days=1), title="逾期的")
    f.issue(title="别的")
    client = client_for("merchandiser")
    page = client.get(reverse("issues:issues_list"))
    assert page.status_code == 200 and late.number in page.content.decode()
    only = client.get(
        reverse("issues:issues_list"), {"overdue": "true", "mine": "orders", "sort": "-severity_rank"}
    )
    assert only.status_code == 200
    body = only.content.decode()
    assert "逾期的" in body and "别的" not in body


def test_bad_filter_values_are_a_400_not_a_500(client_for, api_for, users):
    client = client_for("production")
    for bad in (
        {"older_than": "abc"},
        {"order": "-1"},
        {"severity": "huge"},
        {"owner": "x"},
        {"sort": "--x"},
    ):
        response = client.get(reverse("issues:issues_list"), bad)
        assert response.status_code in (200, 400), bad
        assert response.status_code == 400 or bad == {"sort": "--x"}
        assert api_for("production").get("/api/issues/", bad).status_code in (200, 400)
    assert api_for("production").get("/api/issues/", {"older_than": "abc"}).status_code == 400


def test_another_departments_issue_is_a_404(f, client_for, api_for, users):
    issue = f.issue(actor=users["production"])
    assert client_for("logistics").get(reverse("issues:issues_detail", args=[issue.pk])).status_code == 404
    assert api_for("logistics").get(f"/api/issues/{issue.pk}/").status_code == 404
    assert client_for("quality").get(reverse("issues:issues_detail", args=[issue.pk])).status_code == 200


def test_opening_from_an_order_dossier(f, client_for, users, departments):
    order = f.order()
    client = client_for("merchandiser")
    dossier = client.get(reverse("orders:order_detail", args=[order.pk])).content.decode()
    assert f"/issues/new/?order={order.pk}" in dossier
    form = client.get(reverse("issues:issues_create"), {"order": order.pk})
    assert form.status_code == 200
    response = client.post(
        reverse("issues:issues_create"),
        {
            "kind": "customer",
            "title": "客户改包装",
            "severity": "high",
            "order": order.pk,
            "responsible_department": departments["production"].pk,
        },
    )
    assert response.status_code == 302
    issue = Issue.objects.get(title="客户改包装")
    assert issue.order == order and issue.opened_by == users["merchandiser"] and issue.status == "open"


def test_the_buttons_follow_the_workflow(f, client_for, users):
    issue = f.issue(order=f.order())
    client = client_for("production")
    page = client.get(reverse("issues:issues_detail", args=[issue.pk])).content.decode()
    assert reverse("issues:accept", args=[issue.pk]) in page
    assert reverse("issues:close", args=[issue.pk]) not in page
    client.post(reverse("issues:resolve", args=[issue.pk]), {"solution": "调整参数"})
    assert Issue.objects.get(pk=issue.pk).status == "resolved"
    # A purchaser may not close it; the merchandiser of the order may.
    assert client_for("purchasing").post(reverse("issues:close", args=[issue.pk])).status_code in (403, 404)
    client_for("merchandiser").post(reverse("issues:close", args=[issue.pk]))
    assert Issue.objects.get(pk=issue.pk).status == "closed"


def test_the_api_opens_updates_and_steps(api_for, users, departments):
    api = api_for("production")
    created = api.post(
        "/api/issues/",
        {"kind": "material", "title": "缺料", "responsible_department": departments["purchasing"].pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["number"].startswith("YC-")
    refused = api.patch(f"/api/issues/{pk}/", {"status": "closed"}, format="json")
    assert refused.status_code == 400 or Issue.objects.get(pk=pk).status == "open"
    assert api.patch(f"/api/issues/{pk}/", {"colour": "red"}, format="json").status_code == 400
    assert api.patch(f"/api/issues/{pk}/", {"kind": "delay"}, format="json").status_code == 400
    assert api.post(f"/api/issues/{pk}/resolve/", {}, format="json").status_code == 400
    assert api.post(f"/api/issues/{pk}/notes/", {"text": "已催供应商"}, format="json").status_code == 201
    solved = api.post(f"/api/issues/{pk}/resolve/", {"solution": "供应商补货"}, format="json")
    assert solved.status_code == 200 and solved.json()["status"] == "resolved"
    assert api.post(f"/api/issues/{pk}/accept/").status_code == 409
    assert Issue.objects.get(pk=pk).status == "resolved"


def test_maintenance_records_are_kept_per_work_centre(make, client_for, api_for, users):
    wc = make.work_centre()
    api = api_for("production")
    created = api.post(
        "/api/maintenance-records/",
        {
            "work_centre": wc.pk,
            "kind": "repair",
            "date": "2026-11-20",
            "description": "换皮带",
            "downtime_hours": "2.5",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["recorded_by"] == users["production"].pk
    assert api_for("quality").post("/api/maintenance-records/", {}, format="json").status_code == 403
    listed = client_for("quality").get(reverse("issues:maintenance_list"), {"work_centre": wc.pk})
    assert listed.status_code == 200 and "换皮带" in listed.content.decode()
    page = (
        client_for("production").get(reverse("masterdata:workcentre_detail", args=[wc.pk])).content.decode()
    )
    assert f"/maintenance/?work_centre={wc.pk}" in page


def test_home_shows_the_merchandisers_open_issues(f, client_for, users):
    f.issue(order=f.order(), due_date=timezone.localdate() - dt.timedelta(days=1))
    from gendan.issues.selectors import issues_attention

    titles = [str(i.title) for i in issues_attention(users["merchandiser"])]
    assert any("your orders" in t or "订单" in t for t in titles)
    assert issues_attention(users["production"])


def test_opening_from_an_operation_fills_in_its_order(f, client_for, users, departments):
    op = f.operation()
    client = client_for("production")
    form = client.get(reverse("issues:issues_create"), {"operation": op.pk})
    assert form.status_code == 200
    assert f'<option value="{op.order_id}" selected>' in form.content.decode()
    response = client.post(
        reverse("issues:issues_create"),
        {
            "kind": "quality",
            "title": "尺寸偏差",
            "severity": "medium",
            "operation": op.pk,
            "responsible_department": departments["quality"].pk,
        },
    )
    assert response.status_code == 302
    issue = Issue.objects.get(title="尺寸偏差")
    assert issue.operation == op and issue.order == op.order
    # Bad ids in the query are ignored, not a 500.
    assert client.get(reverse("issues:issues_create"), {"operation": "x²"}).status_code == 200
