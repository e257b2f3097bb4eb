"""Who may do what to an order, per role: one table, asked the same way by the services, the pages
(buttons and POSTs) and the API. The order belongs to the `merchandiser` user; `other` is a second
merchandiser of the same department."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from rest_framework.test import APIClient

from gendan.orders import services
from gendan.orders.choices import RELEASED_STATES, TRANSITIONS, OrderStatus, Step, next_steps
from gendan.orders.models import Acknowledgement, ChangeRequest, Order
from gendan.orders.selectors import OrderActions

pytestmark = pytest.mark.django_db
S = OrderStatus
ACTIONS = ["view", "change", "review", "release"]

# role → the actions he may take on a draft (not yet released) and on a released order.
EXPECTED = {
    "merchandiser": ({"view", "change", "review", "release"}, {"view", "change", "review", "release"}),
    "other": (set(), set()),
    "admin": ({"view", "change", "review", "release"}, {"view", "change", "review", "release"}),
    "management": ({"view"}, {"view"}),
    "production": (set(), {"view"}),
    "purchasing": (set(), {"view"}),
    "quality": (set(), {"view"}),
    "warehouse": (set(), {"view"}),
    "logistics": (set(), {"view"}),
}


@pytest.fixture
def people(users, make):
    return users | {
        "other": make.user(role="merchandiser", username="other", department=users["merchandiser"].department)
    }


@pytest.mark.parametrize("role", EXPECTED)
def test_what_each_role_may_do_to_an_order(role, people, orders):
    user = people[role]
    draft, released = orders.draft(), orders.released()
    for order, expected in zip((draft, released), EXPECTED[role], strict=True):
        assert Order.objects.allowed_actions(user, order, ACTIONS) == expected, (role, order.status)
        for action in ACTIONS:
            assert (order in Order.objects.restrict(user, action)) == (action in expected), (role, action)


@pytest.mark.parametrize("role", EXPECTED)
def test_the_dossier_shows_only_the_buttons_the_role_may_press(role, people, orders):
    user = people[role]
    reviewed, released = orders.reviewed(), orders.released()
    owner_like = role in ("merchandiser", "admin")
    can = OrderActions(user=user, order=reviewed)
    assert ("release" in can) == owner_like
    assert (can.steps == {"release", "hold", "cancel"}) == owner_like, can.steps
    can = OrderActions(user=user, order=released)
    # After release the merchandiser still has hold and cancel, which record change requests.
    assert can.steps == ({"advance", "hold", "cancel"} if owner_like else set()), can.steps
    assert can.by_change_request and can.request_change == owner_like
    own_ack = {a.pk for a in released.acknowledgements.all() if a.department_id == user.department_id}
    assert can.acknowledge == (
        {a.pk for a in released.acknowledgements.all()} if role == "admin" else own_ack
    ), role


@pytest.mark.parametrize("role", EXPECTED)
def test_services_refuse_what_the_role_may_not_do(role, people, orders):
    """The service decides, whoever calls it: a role that may not release gets PermissionDenied and
    nothing changes."""
    user = people[role]
    order = orders.reviewed()
    if "release" in EXPECTED[role][0]:
        services.order_release(actor=user, order_id=order.pk)
        assert Order.objects.get(pk=order.pk).status == S.RELEASED
        return
    with pytest.raises(PermissionDenied):
        services.order_release(actor=user, order_id=order.pk)
    assert Order.objects.get(pk=order.pk).status == S.REVIEWED


def _client(user, api=False):
    client = APIClient() if api else Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", EXPECTED)
def test_pages_and_api_answer_404_for_orders_out_of_sight_and_403_for_steps_not_allowed(role, people, orders):
    user = people[role]
    order = orders.released()
    expected = EXPECTED[role][1]
    page = _client(user).post(f"/orders/order/{order.pk}/advance/", {"expected": S.RELEASED})
    api = _client(user, api=True).post(f"/api/orders/{order.pk}/advance/", {"expected": S.RELEASED})
    if "change" in expected:
        assert (page.status_code, Order.objects.get(pk=order.pk).status) == (302, S.IN_PRODUCTION)
        assert api.status_code == 409  # the page moved it already; the API saw "released"
        return
    status = 403 if "view" in expected else 404
    assert page.status_code == status
    assert api.status_code == (status if Order.objects.all().role_allows(user, "view") else 403)
    assert Order.objects.get(pk=order.pk).status == S.RELEASED


@pytest.fixture
def lead(people, make):
    """A merchandiser who manages the merchandising department."""
    department = people["merchandiser"].department
    lead = make.user(role="merchandiser", username="lead", department=department)
    department.manager = lead
    department.save()
    return lead


def test_a_customer_change_is_decided_by_a_second_person(people, orders, lead):
    """Never by who recorded it: by the merchandiser's manager (or management); the manager sees
    the order and has the buttons, and the approval reads 已批准."""
    order = orders.released()
    change = services.order_hold(actor=order.merchandiser, order_id=order.pk, reason="客户要求暂停").change
    for role in ("merchandiser", "other", "production", "quality"):
        with pytest.raises(PermissionDenied):
            services.change_request_approve(actor=people[role], change_id=change.pk)
    assert ChangeRequest.objects.get(pk=change.pk).status == "pending"
    api = _client(people["production"], api=True)
    assert api.post(f"/api/change-requests/{change.pk}/approve/", {}).status_code == 403
    # The manager is told, sees the order, and has the buttons.
    from gendan.notifications.models import Notification

    assert Notification.objects.filter(recipient=lead, event="order.change_requested").exists()
    assert OrderActions(user=lead, order=order).decide_changes == {change.pk}
    page = _client(lead).get(f"/orders/order/{order.pk}/")
    assert f"/changes/{change.pk}/approve/" in page.content.decode()
    services.change_request_approve(actor=lead, change_id=change.pk)
    assert Order.objects.get(pk=order.pk).status == S.ON_HOLD
    from django.utils import translation

    with translation.override("zh-hans"):
        assert ChangeRequest.objects.get(pk=change.pk).get_status_display() == "已批准"


def test_a_department_can_leave_changes_to_management(people, orders, lead):
    department = lead.department
    department.change_approval = "management"
    department.save()
    order = orders.released()
    change = services.order_hold(actor=order.merchandiser, order_id=order.pk, reason="暂停").change
    with pytest.raises(PermissionDenied):
        services.change_request_approve(actor=lead, change_id=change.pk)
    services.change_request_approve(actor=people["management"], change_id=change.pk)
    assert Order.objects.get(pk=order.pk).status == S.ON_HOLD


def test_a_managers_own_change_goes_to_management(people, orders, lead, customer):
    customer.merchandiser = lead
    customer.save()
    order = orders.released(owner=lead)
    change = services.order_cancel(actor=lead, order_id=order.pk, reason="客户取消").change
    with pytest.raises(PermissionDenied):
        services.change_request_approve(actor=lead, change_id=change.pk)
    from gendan.notifications.models import Notification

    assert Notification.objects.filter(
        recipient=people["management"], event="order.change_requested"
    ).exists()
    services.change_request_reject(actor=people["management"], change_id=change.pk, note="先与客户协商")
    assert ChangeRequest.objects.get(pk=change.pk).status == "rejected"


def test_each_department_acknowledges_only_for_itself(people, orders):
    order = orders.released()
    for ack in order.acknowledgements.select_related("department"):
        for role in ("production", "purchasing", "quality"):
            user = people[role]
            allowed = Acknowledgement.objects.allows(user, ack, "acknowledge")
            assert allowed == (user.department_id == ack.department_id), (role, ack.department)


def test_every_step_has_a_service_that_checks_who_takes_it(people, orders):
    """Each button's service refuses a user who sees the order but may not act on it."""
    production = people["production"]
    order = orders.released()
    calls = {
        Step.ADVANCE: lambda: services.order_advance(
            actor=production, order_id=order.pk, expected=S.RELEASED
        ),
        Step.HOLD: lambda: services.order_hold(actor=production, order_id=order.pk, reason="r"),
        Step.CANCEL: lambda: services.order_cancel(actor=production, order_id=order.pk, reason="r"),
        Step.RESUME: lambda: services.order_resume(actor=production, order_id=order.pk, reason="r"),
    }
    for step, call in calls.items():
        with pytest.raises(PermissionDenied):
            call()
        assert Order.objects.get(pk=order.pk).status == S.RELEASED, step
    assert not ChangeRequest.objects.filter(order=order).exists()


def _set(order, status, held_from=""):
    Order.objects.filter(pk=order.pk).update(status=status, held_from=held_from)
    order.refresh_from_db()
    return order


def _take_step(order, step, target, *, actor, approver):
    """Take `step` from the order's status through the service a user's button calls."""
    from django.utils import timezone

    if step == Step.SUBMIT:
        services.order_submit(actor=actor, order_id=order.pk, check_capacity=False)
    elif step == Step.BACK_TO_DRAFT:
        services.order_back_to_draft(actor=actor, order_id=order.pk)
    elif step == Step.ASK_CUSTOMER:
        services.clarification_ask(
            actor=actor, order_id=order.pk, finding_ids=[], question="交期？", channel="email"
        )
    elif step == Step.CUSTOMER_ANSWERED:
        clarification = order.clarifications.create(question="交期？", asked_by=actor)
        services.clarification_answer(actor=actor, clarification_id=clarification.pk, answer="可以")
    elif step == Step.MARK_REVIEWED:
        Order.objects.filter(pk=order.pk).update(capacity_checked_at=timezone.now())
        services.order_mark_reviewed(actor=actor, order_id=order.pk)
    elif step == Step.REOPEN_REVIEW:
        services.order_update(
            actor=actor, order_id=order.pk, data={"customer": order.customer, "notes": "改"}
        )
    elif step == Step.RELEASE:
        services.order_release(actor=actor, order_id=order.pk)
    elif step == Step.ADVANCE:
        services.order_advance(actor=actor, order_id=order.pk, expected=order.status)
    else:
        service = {
            S.ON_HOLD: services.order_hold,
            S.CANCELLED: services.order_cancel,
        }.get(target, services.order_resume)
        result = service(actor=actor, order_id=order.pk, reason="客户要求")
        assert (result.change is not None) == (step == Step.CHANGE_REQUEST)
        if result.change is not None:
            services.change_request_approve(actor=approver, change_id=result.change.pk)


TABLE = [
    (current, held_from, target, step)
    for current, row in TRANSITIONS.items()
    for held_from in ([""] if current != S.ON_HOLD else [S.IN_REVIEW, S.REVIEWED, S.RELEASED])
    for target, step in next_steps(current, held_from=held_from).items()
]


@pytest.mark.parametrize(
    ("current", "held_from", "target", "step"),
    TABLE,
    ids=[f"{c}{'(' + h + ')' if h else ''}-{t}" for c, h, t, _s in TABLE],
)
def test_every_transition_of_the_table_is_taken_by_its_service(current, held_from, target, step, orders):
    order = _set(orders.draft(), current, held_from)
    if current in RELEASED_STATES or held_from in RELEASED_STATES:
        Order.objects.filter(pk=order.pk).update(released_at="2026-01-01T00:00:00Z")
        order.refresh_from_db()
    _take_step(order, step, target, actor=order.merchandiser, approver=orders.approver)
    assert Order.objects.get(pk=order.pk).status == target
