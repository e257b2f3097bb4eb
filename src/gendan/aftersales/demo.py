"""After-sales' part of the demo factory (after quality, escalations and meetings, step 74): on an
order with production reports and inspections, a complaint investigated by quality, answered and
rated by the customer through the link, and one still being investigated."""

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from gendan.core.demo import DemoPart
from gendan.orders.models import Order
from gendan.quality.models import CorrectiveAction, ProcessInspection

from .choices import Channel
from .models import Complaint, Rating
from .services import complaint_answer, complaint_create, complaint_investigate, complaint_take
from .services_rating import rating_by_link, rating_link_create

ANSWERED_NOTE = "外观划伤 / Scratches on the surface"
OPEN_NOTE = "尺寸偏大，装配困难 / Outer diameter too large, hard to assemble"


def build_aftersales(*, users, **_earlier) -> DemoPart:
    if not Complaint.objects.exists():
        _complaints(users)
    return DemoPart(
        counts={
            "customer complaints": Complaint.objects.count(),
            "satisfaction ratings": Rating.objects.count(),
        }
    )


def _order() -> Order | None:
    inspected = ProcessInspection.objects.filter(order=OuterRef("pk"))
    return (
        Order.objects.filter(Exists(inspected), merchandiser__is_active=True)
        .select_related("merchandiser")
        .order_by("pk")
        .first()
    )


def _complaints(users) -> None:
    order = _order()
    inspector = users.get("inspector") or users.get("quality")
    if order is None or inspector is None:
        return
    merchandiser = order.merchandiser
    line = order.lines.order_by("line_no").first()
    today = timezone.localdate()
    first = complaint_create(
        actor=merchandiser,
        order=order,
        order_line=line,
        quantity=min(line.quantity, 5) if line else 5,
        description=ANSWERED_NOTE
        + "\n客户来料检验发现 5 件外观划伤 / The customer's incoming inspection found 5 pieces scratched",
        channel=Channel.WECOM,
        contact_name="王经理 / Mr Wang",
        received_on=today - dt.timedelta(days=6),
        severity="medium",
    )
    complaint_take(actor=inspector, complaint_id=first.pk)
    action = CorrectiveAction.objects.filter(nonconformance__order=order).order_by("pk").first()
    complaint_investigate(
        actor=inspector,
        complaint_id=first.pk,
        root_cause="包装无隔层，运输中相互摩擦 / No separators in the carton: parts rubbed in transport",
        containment="库存品全检，返工 / All stock inspected and reworked",
        corrective_action="包装增加珍珠棉隔层，修订包装作业指导书 / Foam separators added; packing instruction revised",
        action_owner=inspector,
        action_due=today + dt.timedelta(days=7),
        quality_action=action,
    )
    first = complaint_answer(
        actor=merchandiser,
        complaint_id=first.pk,
        reply="已补发 5 件，后续批次按新包装发货 / 5 pieces re-sent; later lots ship in the new packing",
    )
    _link, token = rating_link_create(actor=merchandiser, order=order, complaint=first)
    rating_by_link(token=token, score=4, comment="处理及时 / Handled promptly")
    second = complaint_create(
        actor=merchandiser,
        order=order,
        order_line=line,
        quantity=min(line.quantity, 2) if line else 2,
        description=OPEN_NOTE,
        channel=Channel.PHONE,
        received_on=today - dt.timedelta(days=1),
        severity="high",
    )
    complaint_take(actor=inspector, complaint_id=second.pk)
