"""On-time delivery counts what the customer signed for: a line is on time when its proofs of
delivery accepted its whole quantity by its promised date; a partial delivery is not on time until
the rest arrives; the drill-down names the line by its order and line number."""

import datetime as dt

from django.utils import timezone

from gendan.delivery.services_pod import delivery_record
from gendan.delivery.tests.conftest import DeliveryFactory, receipt_photo
from gendan.engine.scorecard import last_twelve_months
from gendan.kpi.selectors import kpi_detail


def _signed(dlv, users, ready, qty, day):
    shipment = dlv.shipped(ready, qty)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    delivery_record(
        actor=users["logistics"],
        shipment_id=shipment.pk,
        upload=receipt_photo(),
        signed_by="王先生",
        signed_at=moment,
    )


def test_a_line_delivered_in_full_by_its_date_is_on_time_a_short_one_is_not(make, users):
    dlv = DeliveryFactory(make, users)
    today = timezone.localdate()
    promised = today - dt.timedelta(days=2)
    on_time, short = dlv.order(), dlv.order()
    for ready in (on_time, short):
        ready.line.delivery_date = promised
        ready.line.save(update_fields=["delivery_date"])
    _signed(dlv, users, on_time, "100", promised - dt.timedelta(days=1))
    _signed(dlv, users, short, "60", promised - dt.timedelta(days=1))  # 40 still to come

    period = last_twelve_months(today)
    detail = kpi_detail(merchandiser=users["merchandiser"], period=period)
    figure = detail.report.figures["delivery_on_time"]
    assert figure.value == 50
    assert set(figure.counted) == {on_time.line.pk, short.line.pk}
    assert figure.missed == (short.line.pk,)
    drill = next(d for d in detail.drills if d.figure.code == "delivery_on_time")
    missed = [line.ref.label for line in drill.lines if line.missed]
    assert missed == [f"{short.order.number} / {short.line.line_no}"]
