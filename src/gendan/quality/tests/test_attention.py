"""The home page tells each person the nonconformance or corrective action step waiting for him:
quality the dispositions to decide and the actions to verify (not his own), management the use as
is to approve (not what it decided), an owner his actions due or overdue, the merchandiser the open
nonconformances on his orders, and nobody another merchandiser's."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.core.attention import attention_for
from gendan.quality import services_nc as nc_svc
from gendan.quality.models import CorrectiveAction, Nonconformance

from .test_nc_api import _png

pytestmark = pytest.mark.django_db

DISPOSITION = "Nonconformances waiting for a disposition"
APPROVAL = "Use as is waiting for your approval"
MINE = "Your corrective actions due or overdue"
VERIFY = "Corrective actions done, waiting for verification"
ORDERS = "Open nonconformances on your orders"


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _items(user) -> dict[str, object]:
    return {str(item.title): item for item in attention_for(user)}


def _action(nc, owner, *, days: int, actor):
    made = nc_svc.action_create(
        actor=actor,
        nc_id=nc.pk,
        containment="隔离",
        root_cause="刀具磨损",
        action="换刀",
        owner_id=owner.pk,
        due_date=timezone.localdate() + dt.timedelta(days=max(days, 0)),
    )
    if days < 0:  # overdue: the due date passed since it was set
        CorrectiveAction.objects.filter(pk=made.pk).update(
            due_date=timezone.localdate() + dt.timedelta(days=days)
        )
    return made


def test_quality_sees_the_open_nonconformances_to_decide(nc, users):
    item = _items(users["quality"])[DISPOSITION]
    assert item.count == 1 and item.url.endswith("?status=open")
    assert f"NC-{nc.pk:05d}" in item.examples[0][0] and item.examples[0][1].endswith(f"/{nc.pk}/")
    assert DISPOSITION not in _items(users["management"])  # it approves, it does not decide
    nc_svc.nc_decide(actor=users["quality"], nc_id=nc.pk, disposition="rework")
    assert DISPOSITION not in _items(users["quality"])


def test_management_sees_the_use_as_is_to_approve_but_not_what_it_decided(nc, users):
    nc_svc.nc_decide(actor=users["quality"], nc_id=nc.pk, disposition="use_as_is", note="不影响装配")
    assert _items(users["management"])[APPROVAL].count == 1
    assert APPROVAL not in _items(users["quality"])  # no right to approve
    Nonconformance.objects.filter(pk=nc.pk).update(decided_by=users["management"])
    assert APPROVAL not in _items(users["management"])


def test_an_owner_sees_his_actions_due_soon_and_overdue_in_red(nc, users, make):
    owner = users["production"]
    assert MINE not in _items(owner)
    _action(nc, owner, days=30, actor=users["quality"])  # not due yet
    assert MINE not in _items(owner)
    soon = _action(nc, owner, days=0, actor=users["quality"])
    item = _items(owner)[MINE]
    assert (item.count, item.level) == (1, "warn")
    late = _action(nc, owner, days=-2, actor=users["quality"])
    item = _items(owner)[MINE]
    assert (item.count, item.level) == (2, "danger")
    assert item.examples[0][0].startswith(f"CA-{late.pk:05d}") and "overdue" in item.examples[0][0]
    nc_svc.action_done(actor=owner, action_id=soon.pk, note="已换刀")
    assert _items(owner)[MINE].count == 1
    assert MINE not in _items(make.user(role="production"))


def test_quality_sees_the_actions_to_verify_but_not_its_own(nc, users, make):
    colleague = make.user(role="quality", department=users["quality"].department)
    theirs = _action(nc, users["production"], days=5, actor=users["quality"])
    own = _action(nc, colleague, days=5, actor=users["quality"])
    assert VERIFY not in _items(users["quality"])
    for action, owner in ((theirs, users["production"]), (own, colleague)):
        nc_svc.evidence_add(actor=owner, action_id=action.pk, upload=_png())
        nc_svc.action_done(actor=owner, action_id=action.pk, note="完成")
    assert _items(users["quality"])[VERIFY].count == 2
    assert _items(colleague)[VERIFY].count == 1  # not the one he did himself
    assert VERIFY not in _items(users["production"])
    nc_svc.action_verify(actor=users["quality"], action_id=theirs.pk, note="复检合格")
    assert VERIFY not in _items(colleague) and _items(users["quality"])[VERIFY].count == 1


def test_the_merchandiser_sees_the_open_nonconformances_on_his_orders_only(nc, users, make):
    item = _items(users["merchandiser"])[ORDERS]
    assert item.count == 1 and nc.order.number in item.examples[0][0]
    assert ORDERS not in _items(make.user(role="merchandiser"))
    assert ORDERS not in _items(users["quality"])
    nc_svc.nc_decide(actor=users["quality"], nc_id=nc.pk, disposition="use_as_is", note="外观轻微")
    assert _items(users["merchandiser"])[ORDERS].count == 1  # waiting for approval: still open
    nc_svc.nc_approve(actor=users["management"], nc_id=nc.pk, customer_approval="客户邮件")
    assert ORDERS not in _items(users["merchandiser"])


def test_the_home_page_shows_them(nc, client_for):
    page = client_for("quality").get("/").content.decode()
    assert f"NC-{nc.pk:05d}" in page


def _another_failed_lot(w, inspector):
    from gendan.quality import services_process as svc

    made = svc.process_inspection_create(
        actor=inspector, kind="in_process", order_line_id=w.line.pk, operation_id=w.ops[0].pk, lot_quantity=10
    )
    svc.process_inspection_start(actor=inspector, inspection_id=made.pk)
    svc.process_measurement_record(
        actor=inspector, inspection_id=made.pk, item_id=w.diameter.pk, unit_no=1, value="20.5"
    )
    svc.process_inspection_complete(actor=inspector, inspection_id=made.pk)


def test_the_number_of_queries_does_not_grow_with_the_records(nc, users, line_with_plans, inspector):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gendan.quality.attention import quality_attention

    def queries(user) -> int:
        with CaptureQueriesContext(connection) as seen:
            quality_attention(user)
        return len(seen)

    _action(nc, users["production"], days=0, actor=inspector)
    done = _action(nc, users["production"], days=3, actor=inspector)
    nc_svc.evidence_add(actor=users["production"], action_id=done.pk, upload=_png())
    nc_svc.action_done(actor=users["production"], action_id=done.pk, note="完成")
    before = {who: queries(users[who]) for who in ("quality", "merchandiser", "production")}
    for _ in range(6):
        _another_failed_lot(line_with_plans, inspector)
        _action(nc, users["production"], days=-1, actor=inspector)
    after = {who: queries(users[who]) for who in ("quality", "merchandiser", "production")}
    assert after == before
    assert _items(users["quality"])[DISPOSITION].count == 7
    assert {VERIFY, DISPOSITION} <= set(_items(users["quality"]))
    assert _items(users["production"])[MINE].count == 7
