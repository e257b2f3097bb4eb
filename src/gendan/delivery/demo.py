"""Delivery's demo (step 76, after the warehouse's stock-in and the meetings):
- the two orders the shop floor's demo finished (every operation reported), stocked in by the
  warehouse, which makes them ready to ship: one shipped, delivered in full with its signed receipt
  and closed by its merchandiser, the other shipped and on its way;
- from what the warehouse had stocked in before: one order delivered in part (a shipment delivered
  with its signed receipt, the rest still to make and ship), a confirmed shipment waiting for
  logistics, and one waiting for the customer's confirmation.
Shipped, delivered and closed are never recorded by hand: these are the demo's only such orders.
Built once: an order that already has a shipment is left."""

import contextlib
import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from gendan.core.demo import DemoPart
from gendan.core.exceptions import WorkflowConflict
from gendan.inventory.models import Warehouse
from gendan.masterdata.models import DeliveryAddress
from gendan.orders.choices import OrderStatus
from gendan.orders.models import Order
from gendan.stores.models import StockedInTotal
from gendan.stores.services import finished_goods_in, last_operation

from .choices import SHIPPABLE_ORDER_STATES, Method
from .models import ProofOfDelivery, Shipment, ShipmentTotal
from .services import shipment_confirm, shipment_create, shipment_ship
from .services_pod import delivery_record, order_close

ZERO = Decimal(0)


def receipt_image(text: str) -> SimpleUploadedFile:
    """A photographed receipt: a sheet with a table and a signature scrawl."""
    image = Image.new("RGB", (600, 420), (250, 250, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 570, 390), outline=(60, 60, 60), width=2)
    for y in range(90, 330, 40):
        draw.line((30, y, 570, y), fill=(120, 120, 120))
    draw.text((45, 45), text, fill=(20, 20, 20))
    draw.line((380, 350, 420, 330, 450, 360, 500, 335, 540, 355), fill=(20, 40, 160), width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile("receipt.jpg", out.getvalue(), content_type="image/jpeg")


def build_delivery(*, users, **_earlier) -> DemoPart:
    if not Shipment.objects.exists():
        _build(users)
    return DemoPart(
        counts={"shipments": Shipment.objects.count(), "proofs of delivery": ProofOfDelivery.objects.count()}
    )


def _candidates() -> list[Order]:
    stocked = StockedInTotal.objects.filter(quantity__gt=0).values("order_id")
    return list(
        Order.objects.filter(status__in=SHIPPABLE_ORDER_STATES, pk__in=stocked)
        .select_related("merchandiser", "customer")
        .order_by("number")
    )


def _address(order: Order) -> DeliveryAddress | None:
    rows = DeliveryAddress.objects.filter(customer_id=order.customer_id, is_archived=False)
    return rows.order_by("-is_default", "pk").first()


def _arrange(order: Order, *, days: int, share: Decimal = Decimal(1)) -> Shipment | None:
    stocked = dict(StockedInTotal.objects.filter(order=order).values_list("order_line_id", "quantity"))
    held = dict(
        ShipmentTotal.objects.filter(order_line_id__in=stocked).values_list("order_line_id", "committed")
    )
    free = {pk: qty - held.get(pk, ZERO) for pk, qty in stocked.items()}
    lines = [(pk, (qty * share).to_integral_value()) for pk, qty in free.items() if qty > 0]
    lines = [(pk, qty) for pk, qty in lines if qty > 0]
    address = _address(order)
    if not lines or order.merchandiser is None:
        return None
    planned = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=days
    )
    try:
        return shipment_create(
            actor=order.merchandiser,
            order=order,
            lines=lines,
            method=Method.LOGISTICS if address else Method.PICKUP,
            address=address,
            planned_at=planned,
            place="客户仓库收货口" if address else "本厂成品仓",
            notes="请提前一天电话预约卸货",
        )
    except (ValidationError, WorkflowConflict):
        return None


def _confirm(shipment: Shipment, *, hours_ago: int) -> None:
    shipment_confirm(
        actor=shipment.order.merchandiser,
        shipment_id=shipment.pk,
        confirmed_by_name="刘主管",
        confirmed_via="wecom",
        confirmed_at=timezone.now() - dt.timedelta(hours=hours_ago),
    )


def _ship(shipment: Shipment, logistics, *, n: int, hours_ago: int = 48) -> None:
    shipment_ship(
        actor=logistics,
        shipment_id=shipment.pk,
        carrier="德邦物流",
        tracking_number=f"DPK{7300120 + n}",
        driver="陈师傅",
        driver_phone="13912345678",
        shipped_at=timezone.now() - dt.timedelta(hours=hours_ago),
    )


def _ship_and_deliver(shipment: Shipment, logistics, *, n: int, hours_ago: int = 48) -> None:
    _ship(shipment, logistics, n=n, hours_ago=hours_ago)
    delivery_record(
        actor=logistics,
        shipment_id=shipment.pk,
        upload=receipt_image(shipment.number),
        signed_by="刘主管",
        signed_at=timezone.now() - dt.timedelta(hours=hours_ago // 2),
    )


def _complete(keeper, count: int) -> list[Order]:
    """Up to `count` orders in production whose every line's last operation reported its whole
    quantity good: the warehouse stocks the rest in, which makes each ready to ship."""
    warehouse = Warehouse.objects.filter(is_archived=False).order_by("code").first()
    found: list[Order] = []
    if warehouse is None:
        return found
    states = (OrderStatus.IN_PRODUCTION, OrderStatus.READY_TO_SHIP)
    for order in Order.objects.filter(status__in=states).exclude(shipments__isnull=False).order_by("number"):
        lines = list(order.lines.filter(is_cancelled=False))
        lasts = [(line, last_operation(line)) for line in lines]
        if not lines or any(op is None or op.good_qty < (line.quantity or ZERO) for line, op in lasts):
            continue
        try:
            for line, _op in lasts:
                done = (
                    StockedInTotal.objects.filter(order_line=line).values_list("quantity", flat=True).first()
                )
                missing = (line.quantity or ZERO) - (done or ZERO)
                if missing > 0:
                    finished_goods_in(actor=keeper, order_line=line, warehouse=warehouse, quantity=missing)
        except ValidationError:
            continue
        order.refresh_from_db()
        if order.status == OrderStatus.READY_TO_SHIP:
            found.append(order)
            if len(found) == count:
                break
    return found


def _build(users) -> None:
    logistics = users["logistics"]
    complete = _complete(users["warehouse"], 2)
    # The first complete order shipped, delivered in full and closed by its merchandiser; the
    # second shipped this morning and on its way. (Stocked in just now: their times are today's.)
    if complete and (shipment := _arrange(complete[0], days=0)):
        _confirm(shipment, hours_ago=1)
        _ship_and_deliver(shipment, logistics, n=0, hours_ago=0)
        with contextlib.suppress(ValidationError, WorkflowConflict):  # an issue open: stays delivered
            order_close(actor=complete[0].merchandiser, order_id=complete[0].pk)
    if len(complete) > 1 and (shipment := _arrange(complete[1], days=0)):
        _confirm(shipment, hours_ago=1)
        _ship(shipment, logistics, n=9, hours_ago=0)
    candidates = [o for o in _candidates() if not o.shipments.exists()]
    if not candidates:
        return
    # A partial delivery: half of what is stocked in delivered, the rest still to ship; then, on
    # the next orders (or what is left of the first), a shipment confirmed with the customer
    # waiting for logistics, and one waiting for the customer's confirmation.
    if shipment := _arrange(candidates[0], days=-2, share=Decimal("0.5")):
        _confirm(shipment, hours_ago=72)
        _ship_and_deliver(shipment, logistics, n=1)
    second = candidates[1] if len(candidates) > 1 else candidates[0]
    if shipment := _arrange(second, days=1, share=Decimal("0.5") if second == candidates[0] else Decimal(1)):
        _confirm(shipment, hours_ago=3)
    third = candidates[2] if len(candidates) > 2 else candidates[-1]
    _arrange(third, days=3)
