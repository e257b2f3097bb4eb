"""Customer changes after release (R-1.6): recorded with old and new values and their impact,
applied on approval as a new version (every version stays readable), re-acknowledged."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import ERROR
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from gendan.core.exceptions import WorkflowConflict
from gendan.core.models import AuditEntry
from gendan.orders import services
from gendan.orders.choices import ChangeKind, ChangeStatus, OrderStatus, Step
from gendan.orders.models import Acknowledgement, ChangeRequest, Order, OrderVersion
from gendan.orders.services.changes import impact_text
from gendan.orders.services.common import move_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def bom(make, product):
    """One unit of the product needs 2 of a motor and 0.5 of a cable."""
    motor = make.material(code="MOT-1", name="电机", unit="pcs")
    cable = make.material(code="CAB-1", name="电源线", unit="m")
    make.bom_line(parent=product, material=motor, quantity=Decimal("2"))
    make.bom_line(parent=product, material=cable, quantity=Decimal("0.5"))
    make.stock(quantity=1000, material=cable)
    return motor, cable


def _impact(change, lang="en"):
    with translation.override(lang):
        return [impact_text(item) for item in change.impact]


def test_a_quantity_change_records_old_new_and_its_material_impact(orders, users, bom):
    order = orders.released()
    line = order.lines.get()
    change = services.change_request_create(
        actor=users["merchandiser"],
        order_id=order.pk,
        kind=ChangeKind.QUANTITY,
        line_id=line.pk,
        new_value="150",
        reason="客户追加 50 台",
        customer_reference="邮件 11-20",
    )
    assert (change.number, change.old_value, change.new_value) == (1, "100", "150")
    assert change.status == ChangeStatus.PENDING
    keys = [item["key"] for item in change.impact]
    assert "material_short" in keys and "material_more" in keys and "acks" in keys
    text = _impact(change)
    assert "Needs 100 more pcs of MOT-1 电机, but only 0 on hand: a purchase is needed." in text
    assert "Needs 25 more m of CAB-1 电源线 (on hand 1000)." in text
    assert "Production, purchasing and quality will be asked to acknowledge version 2." in text
    assert "需要" in " ".join(_impact(change, "zh-hans"))
    # Nothing is applied yet.
    line.refresh_from_db()
    assert line.quantity == Decimal("100") and Order.objects.get(pk=order.pk).version == 1
    assert AuditEntry.objects.filter(scope=order.scope, action="change_requested").count() == 1


def test_date_spec_and_packaging_changes_record_their_values(orders, users):
    actor = users["merchandiser"]
    order = orders.released()
    line = order.lines.get()
    later = line.delivery_date + dt.timedelta(days=14)
    date_change = services.change_request_create(
        actor=actor,
        order_id=order.pk,
        kind=ChangeKind.DELIVERY_DATE,
        line_id=line.pk,
        new_value=later.isoformat(),
        reason="延期",
    )
    assert (date_change.old_value, date_change.new_value) == (
        line.delivery_date.isoformat(),
        later.isoformat(),
    )
    assert f"Delivery moves 14 days later, to {later.isoformat()}." in _impact(date_change)

    spec = services.change_request_create(
        actor=actor,
        order_id=order.pk,
        kind=ChangeKind.SPEC,
        line_id=line.pk,
        new_value="110V 60Hz",
        reason="出口",
    )
    assert (spec.old_value, spec.new_value) == ("220V 50Hz", "110V 60Hz")
    assert any("110V 60Hz" in text for text in _impact(spec))

    packaging = services.change_request_create(
        actor=actor,
        order_id=order.pk,
        kind=ChangeKind.PACKAGING,
        line_id=line.pk,
        new_value="木箱",
        reason="海运",
    )
    assert (packaging.old_value, packaging.new_value) == ("彩盒，每箱 2 台", "木箱")
    assert [c.number for c in order.changes.all()] == [1, 2, 3]


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [
        (ChangeKind.QUANTITY, "lots", "new_value"),
        (ChangeKind.QUANTITY, "0", "new_value"),
        (ChangeKind.DELIVERY_DATE, "2020-01-01", "new_value"),
        (ChangeKind.DELIVERY_DATE, "31/12", "new_value"),
        (ChangeKind.SPEC, "", "new_value"),
    ],
)
def test_a_bad_new_value_is_refused_by_field(orders, users, kind, value, field):
    order = orders.released()
    with pytest.raises(ValidationError) as info:
        services.change_request_create(
            actor=users["merchandiser"],
            order_id=order.pk,
            kind=kind,
            line_id=order.lines.get().pk,
            new_value=value,
            reason="r",
        )
    assert field in info.value.message_dict
    assert not ChangeRequest.objects.exists()


def test_a_line_change_needs_a_line_of_this_order_and_a_reason(orders, users):
    order, other = orders.released(), orders.released()
    kwargs = {
        "actor": users["merchandiser"],
        "order_id": order.pk,
        "kind": ChangeKind.QUANTITY,
        "new_value": "5",
    }
    with pytest.raises(ValidationError) as info:
        services.change_request_create(**kwargs, reason="r")
    assert "line" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.change_request_create(**kwargs, reason="r", line_id=other.lines.get().pk)
    assert "line" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.change_request_create(**kwargs, reason=" ", line_id=order.lines.get().pk)
    assert "reason" in info.value.message_dict
    assert not ChangeRequest.objects.exists()


def test_approving_makes_a_new_version_and_asks_for_new_acknowledgements(
    orders, users, client_merchandiser, bom
):
    actor = users["merchandiser"]
    order = orders.released()
    line = order.lines.get()
    for ack in order.acknowledgements.all():
        services.acknowledgement_confirm(actor=users[ack.department.kind], ack_id=ack.pk)
    change = services.change_request_create(
        actor=actor,
        order_id=order.pk,
        kind=ChangeKind.QUANTITY,
        line_id=line.pk,
        new_value="150",
        reason="追加",
    )

    # The merchandiser who recorded it may not approve it; a second person does.
    response = client_merchandiser.post(
        f"/orders/order/{order.pk}/changes/{change.pk}/approve/", {"note": "x"}
    )
    assert response.status_code == 403
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.PENDING
    response = orders.approver_client().post(
        f"/orders/order/{order.pk}/changes/{change.pk}/approve/", {"note": "同意"}
    )
    assert response.status_code == 302

    order.refresh_from_db()
    line.refresh_from_db()
    change.refresh_from_db()
    assert order.version == 2 and order.status == OrderStatus.RELEASED
    assert line.quantity == Decimal("150")
    assert (change.status, change.decided_by, change.decision_note) == (
        ChangeStatus.APPROVED,
        orders.approver,
        "同意",
    )
    assert change.resulting_version == 2
    v1, v2 = OrderVersion.objects.filter(order=order).order_by("number")
    assert Decimal(v1.data["lines"][0]["quantity"]) == Decimal("100")  # the released version is kept
    assert Decimal(v2.data["lines"][0]["quantity"]) == Decimal("150") and v2.change == change
    diff = services.version_diff(v1.data, v2.data)
    assert [(row["line"], row["field"]) for row in diff] == [(1, "quantity")]

    new_acks = order.acknowledgements.filter(order_version=2)
    assert {a.department.kind for a in new_acks} == {"production", "purchasing", "quality"}
    assert not new_acks.filter(acknowledged_at__isnull=False).exists()
    assert order.acknowledgements.filter(order_version=1, acknowledged_at__isnull=False).count() == 3
    # An old version's acknowledgement can no longer be given.
    old = order.acknowledgements.get(order_version=1, department__kind="production")
    Acknowledgement.objects.filter(pk=old.pk).update(acknowledged_at=None)
    with pytest.raises(WorkflowConflict):
        services.acknowledgement_confirm(actor=users["production"], ack_id=old.pk)

    # The dossier shows both versions and the difference.
    page = client_merchandiser.get(f"/orders/order/{order.pk}/")
    html = page.content.decode()
    assert page.context["versions"] == [v1, v2]
    shown = [
        [(d["line"], d["field"], d["old"], d["new"]) for d in row["diff"]]
        for row in page.context["version_rows"]
    ]
    assert shown == [[(1, "quantity", "100", "150")]]
    assert 'id="versions"' in html and "v2" in html
    # Deciding twice is refused.
    with pytest.raises(WorkflowConflict):
        services.change_request_approve(actor=orders.approver, change_id=change.pk)
    assert Order.objects.get(pk=order.pk).version == 2


def test_rejecting_needs_a_note_and_changes_nothing(orders, users, client_merchandiser):
    actor = users["merchandiser"]
    order = orders.released()
    line = order.lines.get()
    change = services.change_request_create(
        actor=actor,
        order_id=order.pk,
        kind=ChangeKind.PACKAGING,
        line_id=line.pk,
        new_value="木箱",
        reason="r",
    )
    response = orders.approver_client().post(
        f"/orders/order/{order.pk}/changes/{change.pk}/reject/", {"note": ""}, follow=True
    )
    assert [m.level for m in response.context["messages"]] == [ERROR]
    assert ChangeRequest.objects.get(pk=change.pk).status == ChangeStatus.PENDING

    services.change_request_reject(actor=orders.approver, change_id=change.pk, note="包材已采购")
    change.refresh_from_db()
    line.refresh_from_db()
    order.refresh_from_db()
    assert (change.status, change.decision_note) == (ChangeStatus.REJECTED, "包材已采购")
    assert line.packaging_requirements == "彩盒，每箱 2 台"
    assert order.version == 1 and OrderVersion.objects.filter(order=order).count() == 1
    assert order.acknowledgements.count() == 3
    with pytest.raises(WorkflowConflict):
        services.change_request_approve(actor=orders.approver, change_id=change.pk)


def test_a_change_request_on_an_unreleased_order_is_refused(
    orders, users, client_merchandiser, api_merchandiser
):
    order = orders.draft()
    line = order.lines.get()
    with pytest.raises(WorkflowConflict):
        services.change_request_create(
            actor=users["merchandiser"],
            order_id=order.pk,
            kind=ChangeKind.QUANTITY,
            line_id=line.pk,
            new_value="5",
            reason="r",
        )
    response = api_merchandiser.post(
        "/api/change-requests/",
        {"order": order.pk, "kind": "quantity", "line": line.pk, "new_value": "5", "reason": "r"},
        format="json",
    )
    assert response.status_code == 409
    response = client_merchandiser.post(
        f"/orders/order/{order.pk}/changes/",
        {"kind": "quantity", "line": line.pk, "new_value": "5", "reason": "r"},
        follow=True,
    )
    assert [m.level for m in response.context["messages"]] == [ERROR]
    assert not ChangeRequest.objects.exists()
    assert order.lines.get().quantity == Decimal("100")


def test_page_change_request_then_approve(orders, client_merchandiser):
    order = orders.released()
    line = order.lines.get()
    new_date = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    response = client_merchandiser.post(
        f"/orders/order/{order.pk}/changes/",
        {"kind": "delivery_date", "line": line.pk, "new_value": new_date, "reason": "客户要求"},
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get(order=order)
    assert change.new_value == new_date and change.requested_by == order.merchandiser
    orders.approver_client().post(f"/orders/order/{order.pk}/changes/{change.pk}/approve/")
    line.refresh_from_db()
    assert line.delivery_date.isoformat() == new_date


def test_a_change_approved_while_on_hold_is_acknowledged_after_resuming(orders, users):
    """Departments must confirm the version they will work on, even if it changed during a hold."""
    actor = users["merchandiser"]
    order = orders.released()
    line = order.lines.get()
    hold = services.change_request_create(actor=actor, order_id=order.pk, kind=ChangeKind.HOLD, reason="暂停")
    services.change_request_approve(actor=orders.approver, change_id=hold.pk)
    qty = services.change_request_create(
        actor=actor,
        order_id=order.pk,
        kind=ChangeKind.QUANTITY,
        line_id=line.pk,
        new_value="80",
        reason="减量",
    )
    services.change_request_approve(actor=orders.approver, change_id=qty.pk)
    resume = services.change_request_create(
        actor=actor, order_id=order.pk, kind=ChangeKind.RESUME, reason="恢复"
    )
    services.change_request_approve(actor=orders.approver, change_id=resume.pk)

    order.refresh_from_db()
    assert (order.status, order.version) == (OrderStatus.RELEASED, 2)
    assert order.acknowledgements.filter(order_version=2).count() == 3


def test_after_release_the_services_themselves_turn_hold_and_resume_into_change_requests(orders, users):
    """Not only the page: whoever calls the service (API, a command, a later area) cannot hold a
    released order directly."""
    actor = users["merchandiser"]
    order = orders.released()
    result = services.order_hold(actor=actor, order_id=order.pk, reason="暂停")
    assert result.change is not None and result.change.kind == ChangeKind.HOLD
    assert Order.objects.get(pk=order.pk).status == OrderStatus.RELEASED
    with pytest.raises(WorkflowConflict):
        move_status(actor=actor, order=order, to=OrderStatus.ON_HOLD, step=Step.HOLD)
    services.change_request_approve(actor=orders.approver, change_id=result.change.pk)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.ON_HOLD

    result = services.order_resume(actor=actor, order_id=order.pk, reason="恢复")
    assert result.change is not None and result.change.kind == ChangeKind.RESUME
    assert Order.objects.get(pk=order.pk).status == OrderStatus.ON_HOLD
    services.change_request_approve(actor=orders.approver, change_id=result.change.pk)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.RELEASED


def test_a_cancelled_order_takes_no_more_changes(orders, users):
    actor = users["merchandiser"]
    order = orders.released()
    line = order.lines.get()
    qty = services.change_request_create(
        actor=actor,
        order_id=order.pk,
        kind=ChangeKind.QUANTITY,
        line_id=line.pk,
        new_value="999",
        reason="追加",
    )
    cancel = services.change_request_create(
        actor=actor, order_id=order.pk, kind=ChangeKind.CANCEL, reason="取消"
    )
    services.change_request_approve(actor=orders.approver, change_id=cancel.pk)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED

    with pytest.raises(WorkflowConflict):
        services.change_request_approve(actor=orders.approver, change_id=qty.pk)
    line.refresh_from_db()
    assert line.quantity == Decimal("100")
    assert Order.objects.get(pk=order.pk).version == 1
    assert ChangeRequest.objects.get(pk=qty.pk).status == ChangeStatus.PENDING
    # It can still be rejected, so it does not wait for ever.
    services.change_request_reject(actor=orders.approver, change_id=qty.pk, note="订单已取消")
    assert ChangeRequest.objects.get(pk=qty.pk).status == ChangeStatus.REJECTED


def test_each_approved_version_gets_its_order_copy(orders, users):
    actor = users["merchandiser"]
    order = orders.released()
    change = services.change_request_create(
        actor=actor,
        order_id=order.pk,
        kind=ChangeKind.QUANTITY,
        line_id=order.lines.get().pk,
        new_value="150",
        reason="追加",
    )
    services.change_request_approve(actor=orders.approver, change_id=change.pk)
    copies = order.attachments.filter(kind="order_copy").order_by("version")
    assert [c.version for c in copies] == [1, 2]
    assert copies[1].file.read().startswith(b"%PDF")


def test_an_order_held_before_release_takes_no_change_requests(orders, users):
    actor = users["merchandiser"]
    order = orders.in_review()
    services.order_hold(actor=actor, order_id=order.pk, reason="等客户确认")
    with pytest.raises(WorkflowConflict):
        services.change_request_create(
            actor=actor,
            order_id=order.pk,
            kind=ChangeKind.QUANTITY,
            line_id=order.lines.get().pk,
            new_value="5",
            reason="r",
        )
    assert not ChangeRequest.objects.exists()
    order.refresh_from_db()
    assert order.version == 1 and not OrderVersion.objects.filter(order=order).exists()


def test_a_quantity_increase_shows_the_date_capacity_gives(
    orders, users, make, product, django_capture_on_commit_callbacks
):
    """The same capable-to-promise check as the review: the change says whether the factory can make
    the new quantity by the date, and if not, by when and what limits it."""
    centre = make.work_centre(code="WC-ASM", name="总装线")
    make.shift(work_centre=centre)
    make.operation(product=product, work_centre=centre, run_minutes=Decimal("10"))
    order = orders.released()
    line = order.lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        small = services.change_request_create(
            actor=order.merchandiser,
            order_id=order.pk,
            kind=ChangeKind.QUANTITY,
            line_id=line.pk,
            new_value="120",
            reason="追加 20 台",
        )
    small.refresh_from_db()
    assert small.capacity_checked_at is not None
    assert [i["key"] for i in small.impact if i["key"].startswith("capacity_")] == ["capacity_ok"]

    with django_capture_on_commit_callbacks(execute=True):
        big = services.change_request_create(
            actor=order.merchandiser,
            order_id=order.pk,
            kind=ChangeKind.QUANTITY,
            line_id=line.pk,
            new_value="12000",
            reason="追加",
        )
    big.refresh_from_db()
    late = next(i for i in big.impact if i["key"] == "capacity_late")
    assert late["params"]["earliest"] > line.delivery_date.isoformat()
    with translation.override("en"):
        texts = [impact_text(i) for i in big.impact]
    assert any(t.startswith("The factory can finish 12000 by ") for t in texts), texts
    # While the worker is still at it, the dossier says so.
    pending = services.change_request_create(
        actor=order.merchandiser,
        order_id=order.pk,
        kind=ChangeKind.DELIVERY_DATE,
        line_id=line.pk,
        new_value=(line.delivery_date - dt.timedelta(days=5)).isoformat(),
        reason="提前",
    )
    assert pending.capacity_pending
    html = orders.approver_client().get(f"/orders/order/{order.pk}/").content.decode()
    assert 'hx-select="#changes"' in html
