"""Order review (R-1.3): every finding in plain words (in the reader's language), resolutions
that survive a re-review, mark reviewed only when nothing is open, clarification with the customer."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import ERROR
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from gendan.core.exceptions import WorkflowConflict
from gendan.orders import services
from gendan.orders.choices import FindingCode, FindingStatus, OrderStatus
from gendan.orders.models import Clarification, Finding, Order

from .conftest import clean_line

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _messages(response):
    return [(m.level, str(m)) for m in response.context["messages"]]


def _findings(order) -> dict[str, Finding]:
    return {f.key: f for f in order.findings.filter(is_current=True)}


def test_a_clean_order_has_no_findings(orders):
    order = orders.in_review()
    assert order.status == OrderStatus.IN_REVIEW
    assert list(order.findings.all()) == []


def test_each_problem_is_a_finding_in_plain_english(orders, make, product):
    archived = make.product(code="OLD-1", is_archived=True)
    lines = [
        clean_line(product, spec="110V 60Hz"),  # 1: spec differs
        clean_line(None, product_code="FS-45X"),  # 2: unknown product
        clean_line(product, quantity=Decimal(0)),  # 3: zero
        clean_line(product, quantity=Decimal(-5)),  # 4: negative
        clean_line(product, delivery_date=TODAY() - dt.timedelta(days=2)),  # 5: past
        clean_line(product, delivery_date=TODAY() + dt.timedelta(days=3)),  # 6: shorter than 10 days
        clean_line(product, quality_requirements="", packaging_requirements=""),  # 7
        clean_line(archived),  # 8
        {"product": product, "line_no": 9},  # 9: no quantity, no date
    ]
    order = orders.in_review(lines=lines, customer_po="")
    found = {(f.line.line_no if f.line else None, f.key): f for f in order.findings.all()}
    with translation.override("en"):
        text = {key: f.message for key, f in found.items()}
    assert text[(None, "missing_customer_po")] == "The customer's PO number is missing."
    assert (
        text[(1, "unknown_spec")]
        == "Line 1: specification “110V 60Hz” differs from the product's “220V 50Hz”."
    )
    assert text[(2, "unknown_product")] == "Line 2: product “FS-45X” is not in the product list."
    assert text[(3, "bad_quantity")] == "Line 3: quantity 0 must be more than zero."
    assert text[(4, "bad_quantity")] == "Line 4: quantity -5 must be more than zero."
    past = (TODAY() - dt.timedelta(days=2)).isoformat()
    assert text[(5, "past_date")] == f"Line 5: delivery date {past} is in the past."
    short = (TODAY() + dt.timedelta(days=3)).isoformat()
    earliest = (TODAY() + dt.timedelta(days=10)).isoformat()
    assert text[(6, "short_lead_time")] == (
        f"Line 6: delivery date {short} is 3 days away; the product's standard lead time is 10 days "
        f"(earliest {earliest})."
    )
    assert text[(7, "missing_quality")].startswith("Line 7: no quality requirements given")
    assert text[(7, "missing_packaging")].startswith("Line 7: no packaging requirements given")
    assert text[(8, "archived_product")] == "Line 8: product “OLD-1” is archived."
    assert text[(9, "missing_quantity")] == "Line 9: no quantity given."
    assert text[(9, "missing_date")] == "Line 9: no delivery date given."
    assert found[(3, "bad_quantity")].code == FindingCode.BAD_QUANTITY
    assert found[(6, "short_lead_time")].code == FindingCode.SHORT_LEAD_TIME
    assert all(f.status == FindingStatus.OPEN and f.is_current for f in found.values())


def test_duplicate_po_credit_hold_and_credit_limit(orders, make, users, product):
    first = orders.in_review(customer_po="PO-DUP")
    second = orders.in_review(customer_po="PO-DUP")
    with translation.override("en"):
        assert _findings(second)["duplicate_po"].message == (
            f"Customer PO “PO-DUP” is already used by order {first.number}."
        )
    # The same PO at another customer is no duplicate.
    elsewhere = orders.in_review(customer_po="PO-DUP", customer=make.customer())
    assert "duplicate_po" not in _findings(elsewhere)

    on_hold = make.customer(name="冻结客户", credit_status="hold")
    order = orders.in_review(customer=on_hold)
    with translation.override("en"):
        assert _findings(order)["credit_hold"].message == "Customer 冻结客户 is on credit hold."

    limited = make.customer(name="小客户", credit_limit=Decimal("1000"))
    ok = orders.in_review(customer=limited)  # 100 × 12.5 = 1,250 > 1,000
    with translation.override("en"):
        assert _findings(ok)["credit_limit"].message == (
            "Open orders of 小客户 would total 1,250.00, over the credit limit of 1,000.00."
        )


def test_messages_are_worded_in_the_readers_language(orders, users, client_merchandiser, api_for):
    order = orders.in_review(customer_po="", lines=[clean_line(None, product_code="FS-45X")])
    finding = _findings(order)["unknown_product"]
    with translation.override("zh-hans"):
        assert finding.message == "第 1 行：产品「FS-45X」不在产品清单中。"
    with translation.override("en"):
        assert finding.message == "Line 1: product “FS-45X” is not in the product list."

    page = client_merchandiser.get(f"/orders/order/{order.pk}/").content.decode()
    assert "第 1 行：产品「FS-45X」不在产品清单中。" in page and "缺少客户订单号。" in page

    users["merchandiser"].language = "en"
    users["merchandiser"].save()
    page = client_merchandiser.get(f"/orders/order/{order.pk}/").content.decode()
    assert "Line 1: product “FS-45X” is not in the product list." in page
    assert (
        "The customer&#x27;s PO number is missing." in page or "The customer's PO number is missing." in page
    )

    body = api_for("merchandiser").get(f"/api/findings/?order={order.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert "Line 1: product “FS-45X” is not in the product list." in [r["message"] for r in rows]


def test_rerunning_the_review_keeps_resolutions_and_retires_fixed_problems(orders, users, product):
    actor = users["merchandiser"]
    order = orders.in_review(
        customer_po="", lines=[clean_line(product, quality_requirements=""), clean_line(product, spec="9V")]
    )
    found = _findings(order)
    assert set(found) == {"missing_customer_po", "missing_quality", "unknown_spec"}
    services.finding_resolve(actor=actor, finding_id=found["missing_quality"].pk, resolution="按产品标准")

    # The customer's PO number arrives; the review runs again.
    services.order_update(
        actor=actor, order_id=order.pk, data={"customer": order.customer, "customer_po": "PO-9"}
    )
    services.order_run_review(actor=actor, order_id=order.pk)

    quality = Finding.objects.get(pk=found["missing_quality"].pk)
    assert quality.status == FindingStatus.RESOLVED and quality.is_current
    assert quality.resolution == "按产品标准" and quality.resolved_by == actor
    po = Finding.objects.get(pk=found["missing_customer_po"].pk)
    assert po.is_current is False and not po.is_open
    spec = Finding.objects.get(pk=found["unknown_spec"].pk)
    assert spec.is_open
    # No duplicates of the same problem.
    assert order.findings.filter(key="missing_quality").count() == 1
    assert order.findings.filter(key="unknown_spec").count() == 1


def test_mark_reviewed_is_refused_while_a_finding_is_open(
    orders, users, api_merchandiser, client_merchandiser
):
    actor = users["merchandiser"]
    order = orders.in_review(customer_po="")

    with pytest.raises(ValidationError):
        services.order_mark_reviewed(actor=actor, order_id=order.pk)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and order.reviewed_at is None

    response = api_merchandiser.post(f"/api/orders/{order.pk}/mark-reviewed/")
    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_REVIEW

    response = client_merchandiser.post(f"/orders/order/{order.pk}/reviewed/", follow=True)
    assert [level for level, _text in _messages(response)] == [ERROR]
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_REVIEW

    finding = order.findings.get()
    response = api_merchandiser.post(f"/api/findings/{finding.pk}/resolve/", {"resolution": "电话确认"})
    assert response.status_code == 200
    response = api_merchandiser.post(f"/api/orders/{order.pk}/mark-reviewed/")
    assert response.status_code == 200 and response.json()["status"] == OrderStatus.REVIEWED
    order.refresh_from_db()
    assert order.reviewed_by == actor and order.reviewed_at is not None


def test_resolving_needs_a_resolution(orders, users):
    order = orders.in_review(customer_po="")
    finding = order.findings.get()
    with pytest.raises(ValidationError):
        services.finding_resolve(actor=users["merchandiser"], finding_id=finding.pk, resolution="  ")
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.OPEN


def test_clarification_round_trip_on_the_dossier(orders, users, client_merchandiser, product):
    order = orders.in_review(
        lines=[clean_line(product, delivery_date=TODAY() + dt.timedelta(days=2), packaging_requirements="")]
    )
    open_ids = sorted(order.findings.values_list("pk", flat=True))
    assert len(open_ids) == 2
    question_file = SimpleUploadedFile("问题清单.xlsx", b"PK\x03\x04 question sheet")
    response = client_merchandiser.post(
        f"/orders/order/{order.pk}/clarifications/",
        {
            "findings": open_ids,
            "question": "请确认交期与包装要求",
            "channel": "wechat",
            "contact": "李经理",
            "attachment": question_file,
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_CLARIFICATION
    assert set(order.findings.values_list("status", flat=True)) == {FindingStatus.ASKED}
    clarification = Clarification.objects.get(order=order)
    assert sorted(clarification.findings.values_list("pk", flat=True)) == open_ids
    assert clarification.asked_by == users["merchandiser"]

    # Marking reviewed while waiting for the customer is refused.
    with pytest.raises(WorkflowConflict):
        services.order_mark_reviewed(actor=users["merchandiser"], order_id=order.pk)

    response = client_merchandiser.post(
        f"/orders/order/{order.pk}/clarifications/{clarification.pk}/answer/",
        {"answer": "交期顺延至下月底，包装用标准纸箱"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    clarification.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW
    assert set(order.findings.values_list("status", flat=True)) == {FindingStatus.OPEN}
    assert clarification.answer_recorded_by == users["merchandiser"] and clarification.answered_at

    page = client_merchandiser.get(f"/orders/order/{order.pk}/").content.decode()
    assert "请确认交期与包装要求" in page and "交期顺延至下月底，包装用标准纸箱" in page
    assert "李经理" in page and "问题清单.xlsx" in page
    assert users["merchandiser"].display_name in page
    assert timezone.localtime(clarification.asked_at).strftime("%Y-%m-%d %H:%M") in page
    actions = set(order_actions(order))
    assert {"clarification_asked", "clarification_answered", "status:awaiting_clarification"} <= actions

    # Answering twice is refused.
    response = client_merchandiser.post(
        f"/orders/order/{order.pk}/clarifications/{clarification.pk}/answer/",
        {"answer": "again"},
        follow=True,
    )
    assert [level for level, _text in _messages(response)] == [ERROR]
    assert Clarification.objects.get(pk=clarification.pk).answer == "交期顺延至下月底，包装用标准纸箱"


def test_clarification_needs_a_question(orders, users):
    order = orders.in_review(customer_po="")
    with pytest.raises(ValidationError) as info:
        services.clarification_ask(
            actor=users["merchandiser"], order_id=order.pk, finding_ids=[], question=" ", channel="email"
        )
    assert "question" in info.value.message_dict
    assert Clarification.objects.count() == 0
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_REVIEW


def order_actions(order):
    from gendan.core.models import AuditEntry

    return AuditEntry.objects.filter(scope=order.scope).values_list("action", flat=True)


def test_mark_reviewed_waits_for_the_capacity_check(
    orders, client_merchandiser, django_capture_on_commit_callbacks
):
    order = orders.draft()
    client_merchandiser.post(f"/orders/order/{order.pk}/submit/")  # the worker has not answered yet
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_REVIEW and order.capacity_checked_at is None
    response = client_merchandiser.post(f"/orders/order/{order.pk}/reviewed/", follow=True)
    assert _messages(response)[-1][0] == ERROR
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_REVIEW

    with django_capture_on_commit_callbacks(execute=True):
        client_merchandiser.post(f"/orders/order/{order.pk}/rerun/")
    order.refresh_from_db()
    assert order.capacity_checked_at is not None
    client_merchandiser.post(f"/orders/order/{order.pk}/reviewed/")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.REVIEWED


def test_a_line_the_factory_cannot_finish_in_time_is_a_capacity_finding(orders, make, product):
    centre = make.work_centre(code="WC-ASM", name="总装线")
    make.shift(work_centre=centre)
    make.operation(product=product, work_centre=centre, run_minutes=Decimal("60"))
    due = TODAY() + dt.timedelta(days=20)  # longer than the 10-day lead time, far too short for 1000 hours
    order = orders.in_review(lines=[clean_line(product, quantity=Decimal("1000"), delivery_date=due)])
    finding = order.findings.get(code=FindingCode.CAPACITY)
    with translation.override("en"):
        assert finding.message.startswith("Line 1: the factory can finish 1000 by ")
        assert f"after the requested {due.isoformat()}" in finding.message
    assert finding.is_open


def test_editing_the_order_asks_for_a_new_capacity_check(orders, users, product):
    actor = users["merchandiser"]
    order = orders.in_review()
    assert order.capacity_checked_at is not None
    line = clean_line(product, quantity=Decimal("100000"), line_no=1)
    services.order_update(actor=actor, order_id=order.pk, data={"customer": order.customer}, lines=[line])
    order.refresh_from_db()
    # The answer was for the old quantity: marking reviewed waits for the new one.
    assert order.capacity_checked_at is None
    with pytest.raises(ValidationError):
        services.order_mark_reviewed(actor=actor, order_id=order.pk)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.IN_REVIEW

    reviewed = orders.reviewed()
    services.order_update(
        actor=actor, order_id=reviewed.pk, data={"customer": reviewed.customer}, lines=[line]
    )
    reviewed.refresh_from_db()
    assert reviewed.status == OrderStatus.IN_REVIEW and reviewed.capacity_checked_at is None
