"""The order workflow: the TRANSITIONS table is the law (service, API and page), review cannot be
skipped, two people releasing at once cannot both win, hold returns where it was, cancel needs a
reason, and after release hold/cancel/resume become change requests."""

import pytest
from django.contrib.messages import ERROR
from django.core.exceptions import ValidationError

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.orders import services
from gendan.orders.choices import (
    DRIVEN,
    RELEASED_STATES,
    STEP_ACTION,
    TRANSITIONS,
    AttachmentKind,
    ChangeKind,
    ChangeStatus,
    OrderStatus,
    Step,
    step_between,
)
from gendan.orders.models import Acknowledgement, ChangeRequest, Order, OrderAttachment, OrderVersion
from gendan.orders.services.common import move_status
from gendan.testing import race

pytestmark = pytest.mark.django_db
S = OrderStatus


def _levels(response):
    return [m.level for m in response.context["messages"]]


def test_the_transitions_table_is_enforced_for_every_pair_and_step(orders, users):
    """move_status takes an order from one status to another only by the step the table names."""
    actor = users["merchandiser"]
    order = orders.draft()
    for current in S.values:
        for held_from in [""] if current != S.ON_HOLD else [S.IN_REVIEW, S.RELEASED]:
            for target in S.values:
                for step in Step.values:
                    Order.objects.filter(pk=order.pk).update(status=current, held_from=held_from)
                    order.refresh_from_db()
                    entries = AuditEntry.objects.count()
                    by_table = step_between(current, target, held_from=held_from) == step
                    if by_table or DRIVEN.get((current, target)) == step:
                        move_status(actor=actor, order=order, to=target, step=step)
                        assert Order.objects.get(pk=order.pk).status == target
                        assert AuditEntry.objects.count() == entries + 1
                    else:
                        with pytest.raises(WorkflowConflict):
                            move_status(actor=actor, order=order, to=target, step=step)
                        assert Order.objects.get(pk=order.pk).status == current, (current, target, step)
                        assert AuditEntry.objects.count() == entries


def test_the_table_says_the_rules_of_the_regulation():
    # Closed and cancelled are final.
    assert TRANSITIONS[S.CLOSED] == {} and TRANSITIONS[S.CANCELLED] == {}
    # Release only from reviewed: review cannot be skipped.
    assert [c for c in S.values if step_between(c, S.RELEASED) == Step.RELEASE] == [S.REVIEWED]
    # After release, hold and cancel only by an approved change request, never directly.
    for current in RELEASED_STATES:
        for target in (S.ON_HOLD, S.CANCELLED):
            assert step_between(current, target) in (Step.CHANGE_REQUEST, None), (current, target)
    assert step_between(S.ON_HOLD, S.CANCELLED, held_from=S.RELEASED) == Step.CHANGE_REQUEST
    assert step_between(S.ON_HOLD, S.CANCELLED, held_from=S.IN_REVIEW) == Step.CANCEL
    assert step_between(S.ON_HOLD, S.RELEASED, held_from=S.RELEASED) == Step.CHANGE_REQUEST
    assert step_between(S.ON_HOLD, S.REVIEWED, held_from=S.REVIEWED) == Step.RESUME
    # A held order resumes only to where it was.
    assert step_between(S.ON_HOLD, S.RELEASED, held_from=S.IN_REVIEW) is None
    # Every step has who may take it.
    assert set(STEP_ACTION) == set(Step.values)
    # The delivery area drives only moves forward after production (and back when a stock-in is
    # reversed), each the same pair a person may still record by hand, except going back.
    for (current, target), step in DRIVEN.items():
        assert current in RELEASED_STATES and target in RELEASED_STATES | {S.CLOSED}, step
        assert step_between(current, target) in (Step.ADVANCE, None), (current, target)


def test_the_api_cannot_skip_review(orders, api_merchandiser):
    order = orders.in_review()
    response = api_merchandiser.post(f"/api/orders/{order.pk}/release/")
    assert response.status_code in (400, 409)
    order.refresh_from_db()
    assert order.status == S.IN_REVIEW and order.released_at is None
    assert not Acknowledgement.objects.exists() and not OrderVersion.objects.exists()

    draft = orders.draft()
    assert api_merchandiser.post(f"/api/orders/{draft.pk}/mark-reviewed/").status_code == 409
    assert api_merchandiser.post(f"/api/orders/{draft.pk}/release/").status_code == 409
    response = api_merchandiser.post(f"/api/orders/{draft.pk}/advance/", {"expected": "draft"})
    assert response.status_code == 409
    # Nor by claiming another status than the order has.
    response = api_merchandiser.post(f"/api/orders/{draft.pk}/advance/", {"expected": "released"})
    assert response.status_code == 409
    assert Order.objects.get(pk=draft.pk).status == S.DRAFT


def test_an_illegal_step_on_the_page_is_a_message_and_changes_nothing(orders, client_merchandiser):
    order = orders.in_review()
    response = client_merchandiser.post(f"/orders/order/{order.pk}/release/", follow=True)
    assert response.status_code == 200
    assert _levels(response) == [ERROR]
    assert Order.objects.get(pk=order.pk).status == S.IN_REVIEW

    response = client_merchandiser.post(
        f"/orders/order/{order.pk}/advance/", {"expected": "released"}, follow=True
    )
    assert _levels(response) == [ERROR]
    assert Order.objects.get(pk=order.pk).status == S.IN_REVIEW


def test_another_merchandiser_cannot_act_on_my_order(orders, make, api_for, users):
    order = orders.reviewed()
    other = make.user(role="merchandiser", username="lin")
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.post(f"/orders/order/{order.pk}/release/").status_code == 404
    assert Order.objects.get(pk=order.pk).status == S.REVIEWED


def _assert_released_once(order):
    assert Order.objects.get(pk=order.pk).status == S.RELEASED
    assert AuditEntry.objects.filter(scope=order.scope, action="status:released").count() == 1
    assert Acknowledgement.objects.filter(order=order).count() == 3
    assert OrderVersion.objects.filter(order=order).count() == 1
    assert OrderAttachment.objects.filter(order=order, kind=AttachmentKind.ORDER_COPY).count() == 1


def test_two_sessions_releasing_with_what_they_saw_only_one_wins(orders, users, make):
    order = orders.reviewed()
    second = users["admin"]  # may act on every order
    seen_by_b = Order.objects.get(pk=order.pk)  # B opened the page while it was reviewed

    services.order_release(actor=users["merchandiser"], order_id=order.pk)

    with pytest.raises(WorkflowConflict):
        move_status(actor=second, order=seen_by_b, to=S.RELEASED, step=Step.RELEASE, expected=S.REVIEWED)
    with pytest.raises(WorkflowConflict):
        services.order_release(actor=second, order_id=order.pk)
    _assert_released_once(order)


@pytest.mark.django_db(transaction=True)
def test_two_threads_releasing_at_once_only_one_wins(orders, users, make):
    order = orders.reviewed()
    actors = [users["merchandiser"], users["admin"]]

    results = race(2, lambda i: services.order_release(actor=actors[i], order_id=order.pk))

    wins = [r for r in results if isinstance(r, Order)]
    conflicts = [r for r in results if isinstance(r, WorkflowConflict)]
    assert (len(wins), len(conflicts)) == (1, 1), results
    _assert_released_once(order)


def test_hold_and_resume_return_to_the_held_from_status(orders, users):
    actor = users["merchandiser"]
    for make_order, status in ((orders.in_review, S.IN_REVIEW), (orders.reviewed, S.REVIEWED)):
        order = make_order()
        with pytest.raises(ValidationError):
            services.order_hold(actor=actor, order_id=order.pk, reason=" ")
        assert Order.objects.get(pk=order.pk).status == status
        held = services.order_hold(actor=actor, order_id=order.pk, reason="客户暂停").order
        assert (held.status, held.held_from, held.status_reason) == (S.ON_HOLD, status, "客户暂停")
        with pytest.raises(WorkflowConflict):
            services.order_hold(actor=actor, order_id=order.pk, reason="again")
        resumed = services.order_resume(actor=actor, order_id=order.pk).order
        assert (resumed.status, resumed.held_from) == (status, "")
        with pytest.raises(WorkflowConflict):
            services.order_resume(actor=actor, order_id=order.pk)


def test_cancel_needs_a_reason(orders, users, client_merchandiser, api_merchandiser):
    order = orders.in_review()
    with pytest.raises(ValidationError):
        services.order_cancel(actor=users["merchandiser"], order_id=order.pk, reason="")
    response = client_merchandiser.post(f"/orders/order/{order.pk}/cancel/", {"reason": ""}, follow=True)
    assert _levels(response) == [ERROR]
    assert api_merchandiser.post(f"/api/orders/{order.pk}/cancel/", {}).status_code == 400
    assert Order.objects.get(pk=order.pk).status == S.IN_REVIEW

    response = client_merchandiser.post(f"/orders/order/{order.pk}/cancel/", {"reason": "客户取消"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.status_reason) == (S.CANCELLED, "客户取消")
    with pytest.raises(WorkflowConflict):
        services.order_submit(actor=users["merchandiser"], order_id=order.pk)


def test_after_release_the_page_buttons_record_change_requests(orders, client_merchandiser):
    order = orders.released()
    response = client_merchandiser.post(f"/orders/order/{order.pk}/hold/", {"reason": "客户仓库满"})
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == S.RELEASED
    hold = ChangeRequest.objects.get(order=order, kind=ChangeKind.HOLD)
    assert hold.status == ChangeStatus.PENDING and hold.reason == "客户仓库满"

    orders.approver_client().post(f"/orders/order/{order.pk}/changes/{hold.pk}/approve/", {"note": "同意"})
    order.refresh_from_db()
    assert (order.status, order.held_from) == (S.ON_HOLD, S.RELEASED)

    client_merchandiser.post(f"/orders/order/{order.pk}/cancel/", {"reason": "客户取消"})
    assert Order.objects.get(pk=order.pk).status == S.ON_HOLD
    cancel = ChangeRequest.objects.get(order=order, kind=ChangeKind.CANCEL)
    assert cancel.status == ChangeStatus.PENDING

    client_merchandiser.post(f"/orders/order/{order.pk}/resume/", {"reason": "客户恢复"})
    assert Order.objects.get(pk=order.pk).status == S.ON_HOLD
    resume = ChangeRequest.objects.get(order=order, kind=ChangeKind.RESUME)
    orders.approver_client().post(f"/orders/order/{order.pk}/changes/{resume.pk}/approve/")
    assert Order.objects.get(pk=order.pk).status == S.RELEASED


def test_after_release_the_api_records_change_requests_too(orders, api_merchandiser):
    order = orders.released()
    response = api_merchandiser.post(f"/api/orders/{order.pk}/hold/", {"reason": "客户仓库满"})
    assert response.status_code == 202
    assert Order.objects.get(pk=order.pk).status == S.RELEASED
    services.change_request_approve(actor=orders.approver, change_id=response.json()["id"])
    assert Order.objects.get(pk=order.pk).status == S.ON_HOLD

    # Held after release: cancelling or resuming is still a change request, never direct.
    response = api_merchandiser.post(f"/api/orders/{order.pk}/cancel/", {"reason": "客户取消"})
    assert response.status_code == 202, response.content
    assert Order.objects.get(pk=order.pk).status == S.ON_HOLD
    response = api_merchandiser.post(f"/api/orders/{order.pk}/resume/", {"reason": "恢复"})
    assert response.status_code == 202, response.content
    assert Order.objects.get(pk=order.pk).status == S.ON_HOLD
    assert ChangeRequest.objects.filter(order=order, status=ChangeStatus.PENDING).count() == 2


def test_state_changing_urls_reject_get(orders, client_merchandiser, users):
    order = orders.released()
    ack = order.acknowledgements.first()
    finding_order = orders.in_review(customer_po="")
    finding = finding_order.findings.get()
    paths = [
        f"/orders/order/{order.pk}/{step}/"
        for step in ("submit", "rerun", "reviewed", "release", "draft", "advance", "hold", "resume", "cancel")
    ] + [
        f"/orders/order/{order.pk}/acknowledgements/{ack.pk}/",
        f"/orders/order/{order.pk}/changes/",
        f"/orders/order/{order.pk}/clarifications/",
        f"/orders/order/{order.pk}/attachments/",
        f"/orders/order/{finding_order.pk}/findings/{finding.pk}/resolve/",
    ]
    for path in paths:
        assert client_merchandiser.get(path).status_code == 405, path
    assert Order.objects.get(pk=order.pk).status == S.RELEASED


@pytest.mark.parametrize("status", [S.READY_TO_SHIP, S.SHIPPED, S.DELIVERED])
def test_shipped_delivered_and_closed_are_never_recorded_by_hand(orders, api_merchandiser, status):
    """They come from shipments, proofs of delivery and the close that checks nothing is open."""
    order = orders.reviewed()
    Order.objects.filter(pk=order.pk).update(status=status)
    response = api_merchandiser.post(f"/api/orders/{order.pk}/advance/", {"expected": status})
    assert response.status_code == 409
    assert Order.objects.get(pk=order.pk).status == status
