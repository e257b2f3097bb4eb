"""The dossier tells an order's whole story in a fixed number of queries; the list too; each role
sees only its orders; the home page says what needs attention."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from gendan.core.models import AuditEntry
from gendan.orders import services
from gendan.orders.choices import ChangeKind, OrderStatus
from gendan.orders.models import (
    Acknowledgement,
    ChangeRequest,
    Clarification,
    Finding,
    OrderLine,
    OrderVersion,
)

from .conftest import clean_line

pytestmark = pytest.mark.django_db


def story(orders, users, *, n_lines=2):
    """A released order that went through everything: findings, a clarification with a file,
    acknowledgements (one missing), approved, rejected and pending changes, versions."""
    actor = users["merchandiser"]
    lines = [clean_line(orders.product, packaging_requirements="") for _ in range(n_lines)]
    order = orders.in_review(lines=lines)
    findings = [f.pk for f in order.findings.all()]
    clarification = services.clarification_ask(
        actor=actor,
        order_id=order.pk,
        finding_ids=findings,
        question="包装要求是什么？",
        channel="email",
        attachments=[SimpleUploadedFile("question.pdf", b"%PDF-1.4 q")],
    )
    services.clarification_answer(actor=actor, clarification_id=clarification.pk, answer="标准纸箱")
    for pk in findings:
        services.finding_resolve(actor=actor, finding_id=pk, resolution="按标准纸箱")
    services.order_mark_reviewed(actor=actor, order_id=order.pk)
    services.order_release(actor=actor, order_id=order.pk)
    for ack in order.acknowledgements.exclude(department__kind="quality"):
        services.acknowledgement_confirm(actor=users[ack.department.kind], ack_id=ack.pk)
    for line in order.lines.all():
        change = services.change_request_create(
            actor=actor,
            order_id=order.pk,
            kind=ChangeKind.QUANTITY,
            line_id=line.pk,
            new_value=str(line.quantity + 10),
            reason="追加",
        )
        services.change_request_approve(actor=orders.approver, change_id=change.pk, note="同意")
        change = services.change_request_create(
            actor=actor,
            order_id=order.pk,
            kind=ChangeKind.PACKAGING,
            line_id=line.pk,
            new_value="木箱",
            reason="r",
        )
        services.change_request_reject(actor=orders.approver, change_id=change.pk, note="包材已采购")
    last = order.lines.last()
    services.change_request_create(
        actor=actor,
        order_id=order.pk,
        kind=ChangeKind.DELIVERY_DATE,
        line_id=last.pk,
        new_value=(last.delivery_date + dt.timedelta(days=7)).isoformat(),
        reason="延期",
    )
    for ack in order.acknowledgements.filter(order_version=n_lines + 1, department__kind="production"):
        services.acknowledgement_confirm(actor=users["production"], ack_id=ack.pk)
    order.refresh_from_db()
    return order


def test_the_dossier_tells_the_whole_story(orders, users, client_merchandiser):
    users["merchandiser"].language = "en"
    users["merchandiser"].save()
    order = story(orders, users)
    response = client_merchandiser.get(f"/orders/order/{order.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    ctx = response.context

    assert [line.line_no for line in ctx["lines"]] == [1, 2]
    assert len(ctx["findings"]) == 2 and ctx["open_findings"] == []
    assert "按标准纸箱" in html  # the resolution
    assert [c.question for c in ctx["clarifications"]] == ["包装要求是什么？"]
    assert "标准纸箱" in html and "question.pdf" in html
    assert len(ctx["acks"]) == 9  # three departments × versions 1, 2 and 3
    assert "Not yet" in html and "Superseded by a later version" in html
    assert [(c.number, c.status) for c, _impact in ctx["changes"]] == [
        (1, "approved"),
        (2, "rejected"),
        (3, "approved"),
        (4, "rejected"),
        (5, "pending"),
    ]
    assert "包材已采购" in html
    assert [v.number for v in ctx["versions"]] == [1, 2, 3]
    assert [[d["field"] for d in row["diff"]] for row in ctx["version_rows"]] == [["quantity"], ["quantity"]]
    kinds = {a.kind for a in ctx["attachments"]}
    assert {"order_copy", "clarification"} <= kinds
    for section in ("acks", "findings", "clarifications", "changes", "versions", "documents", "timeline"):
        assert f'id="{section}"' in html

    timeline = list(ctx["timeline"])
    assert {e.scope for e in timeline} == {order.scope}
    by_model = {(e.content_type.model, e.action) for e in timeline}
    assert {
        ("order", "create"),
        ("order", "status:released"),
        ("finding", "finding"),
        ("finding", "finding_resolved"),
        ("clarification", "clarification_asked"),
        ("acknowledgement", "acknowledged"),
        ("changerequest", "change_requested"),
        ("changerequest", "change_rejected"),
        ("orderline", "update"),
        ("orderattachment", "attach"),
    } <= by_model
    assert len(timeline) == AuditEntry.objects.filter(scope=order.scope).count()
    # Newest first.
    assert [e.at for e in timeline] == sorted((e.at for e in timeline), reverse=True)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dossier_queries_do_not_grow_with_lines_findings_acks_and_changes(orders, users, client_merchandiser):
    small = story(orders, users, n_lines=1)
    big = story(orders, users, n_lines=10)
    assert big.lines.count() == 10 and Finding.objects.filter(order=big).count() == 10
    assert OrderVersion.objects.filter(order=big).count() == 11
    assert Acknowledgement.objects.filter(order=big).count() == 33
    assert ChangeRequest.objects.filter(order=big).count() == 21
    url = "/orders/order/{}/"
    _queries(client_merchandiser, url.format(small.pk))  # warm up (session, content types)
    assert _queries(client_merchandiser, url.format(big.pk)) == _queries(
        client_merchandiser, url.format(small.pk)
    )
    # The departments' view of it too.
    client = Client()
    client.force_login(users["production"])
    _queries(client, url.format(small.pk))
    assert _queries(client, url.format(big.pk)) == _queries(client, url.format(small.pk))


def test_order_list_queries_are_the_same_for_1_and_50_orders(orders, users, client_merchandiser, make):
    orders.in_review()
    url = "/orders/order/?state=all&per_page=100"
    _queries(client_merchandiser, url)
    one = _queries(client_merchandiser, url)
    for i in range(49):
        customer = make.customer(merchandiser=users["merchandiser"])
        orders.released(customer=customer) if i % 10 == 0 else orders.draft(customer=customer, n_lines=2)
    response = client_merchandiser.get(url)
    assert len(response.context["page"].object_list) == 50
    assert _queries(client_merchandiser, url) == one


def test_api_order_list_queries_are_the_same_for_1_and_20_orders(orders, api_merchandiser):
    orders.released(n_lines=2)
    url = "/api/orders/?state=all"
    _queries(api_merchandiser, url)
    one = _queries(api_merchandiser, url)
    for _ in range(19):
        orders.draft(n_lines=3)
    assert len(_results(api_merchandiser.get(url).json())) == 20
    assert _queries(api_merchandiser, url) == one


def test_a_merchandiser_sees_only_own_orders(orders, users, make, api_merchandiser, client_merchandiser):
    other = make.user(role="merchandiser", username="lin")
    theirs = orders.released(owner=other, customer=make.customer(merchandiser=other))
    mine = orders.draft()
    assert client_merchandiser.get(f"/orders/order/{theirs.pk}/").status_code == 404
    assert client_merchandiser.get(f"/orders/order/{theirs.pk}/copy.pdf").status_code == 404
    assert api_merchandiser.get(f"/api/orders/{theirs.pk}/").status_code == 404
    line = theirs.lines.get()
    assert api_merchandiser.get(f"/api/order-lines/{line.pk}/").status_code == 404
    listed = [o["id"] for o in _results(api_merchandiser.get("/api/orders/?state=all").json())]
    assert listed == [mine.pk]
    page = client_merchandiser.get("/orders/order/?state=all").content.decode()
    assert mine.number in page and theirs.number not in page
    # Nor act on it.
    response = api_merchandiser.post(
        "/api/change-requests/",
        {"order": theirs.pk, "kind": "quantity", "line": line.pk, "new_value": "5", "reason": "r"},
        format="json",
    )
    assert response.status_code in (400, 403, 404)
    assert not ChangeRequest.objects.exists()


def _results(body):
    return body["results"] if isinstance(body, dict) else body


@pytest.mark.parametrize("role", ["production", "purchasing", "quality"])
def test_departments_see_only_released_orders(orders, client_for, api_for, role):
    draft, reviewed, released = orders.draft(), orders.reviewed(), orders.released()
    client, api = client_for(role), api_for(role)
    assert client.get(f"/orders/order/{draft.pk}/").status_code == 404
    assert client.get(f"/orders/order/{reviewed.pk}/").status_code == 404
    assert api.get(f"/api/orders/{draft.pk}/").status_code == 404
    assert client.get(f"/orders/order/{released.pk}/").status_code == 200
    assert [o["id"] for o in _results(api.get("/api/orders/?state=all").json())] == [released.pk]
    # They read but do not change orders.
    assert api.post(f"/api/orders/{released.pk}/advance/", {"expected": "released"}).status_code == 403
    assert client.post(f"/orders/order/{released.pk}/advance/", {"expected": "released"}).status_code == 403
    assert released.__class__.objects.get(pk=released.pk).status == OrderStatus.RELEASED


def test_management_sees_all_orders(orders, make, api_management, client_management, users):
    other = make.user(role="merchandiser", username="lin")
    draft = orders.draft(owner=other, customer=make.customer(merchandiser=other))
    released = orders.released()
    assert client_management.get(f"/orders/order/{draft.pk}/").status_code == 200
    ids = {o["id"] for o in _results(api_management.get("/api/orders/?state=all").json())}
    assert ids == {draft.pk, released.pk}
    assert client_management.post(f"/orders/order/{draft.pk}/submit/").status_code == 403


def test_the_merchandisers_home_lists_what_needs_attention(orders, users, client_merchandiser, product):
    orders.in_review(customer_po="")  # a finding to resolve
    released = orders.released()  # acknowledgements missing
    due = orders.released(
        lines=[clean_line(product, delivery_date=timezone.localdate() + dt.timedelta(days=3))]
    )
    for ack in due.acknowledgements.all():
        Acknowledgement.objects.filter(pk=ack.pk).update(acknowledged_at=timezone.now())
    services.change_request_create(
        actor=users["merchandiser"],
        order_id=released.pk,
        kind=ChangeKind.QUANTITY,
        line_id=released.lines.get().pk,
        new_value="1",
        reason="r",
    )
    response = client_merchandiser.get("/")
    assert response.status_code == 200
    counts = {
        item.url.rsplit("=", 1)[-1]: item.count
        for item in response.context["attention"]
        if "attention=" in item.url
    }
    assert counts == {"findings": 1, "acks": 1, "changes": 1, "due": 1}
    html = response.content.decode()
    assert "/orders/order/?attention=findings" in html and released.number in html
    # The list filter shows the same orders.
    page = client_merchandiser.get("/orders/order/?attention=due")
    assert due.number in page.content.decode() and released.number not in page.content.decode()
    # The change waits for someone else (he recorded it); the one who decides it is asked by name.
    manager = orders.approver_client().get("/")
    asked = {i.url.rsplit("=", 1)[-1]: i for i in manager.context["attention"] if "attention=" in i.url}
    assert asked["approve"].count == 1 and "changes" not in asked
    with translation.override("en"):
        assert str(asked["approve"].title) == "Change requests waiting for your approval"
    listed = orders.approver_client().get("/orders/order/?attention=approve").content.decode()
    assert released.number in listed and due.number not in listed


def test_a_planners_home_lists_orders_not_acknowledged_by_the_department(orders, users, client_production):
    users["production"].language = "en"
    users["production"].save()
    first, second = orders.released(), orders.released()
    ack = first.acknowledgements.get(department__kind="production")
    services.acknowledgement_confirm(actor=users["production"], ack_id=ack.pk)
    response = client_production.get("/")
    with translation.override("en"):
        items = [i for i in response.context["attention"] if "not acknowledged" in str(i.title)]
    assert len(items) == 1 and items[0].count == 1
    assert items[0].examples[0][1] == f"/orders/order/{second.pk}/"
    assert "Released orders your department has not acknowledged" in response.content.decode()


def test_the_finding_clarification_and_line_counts_sanity(orders, users):
    """Guards the story builder the query-count test relies on."""
    order = story(orders, users, n_lines=3)
    assert Clarification.objects.filter(order=order).count() == 1
    assert OrderLine.objects.filter(order=order).count() == 3
    assert order.version == 4 and order.lines.first().quantity == Decimal("110")
