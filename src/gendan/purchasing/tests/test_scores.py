"""Supplier scorecards (R-3.4) as purchasing, quality and management read them: figures from the
records, periods, drill-down rows that add up to the figures, the supplier suggestion's scores in
a fixed number of queries, who reads and who rates, bad input."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone, translation

from gendan.core.models import AuditEntry
from gendan.engine.scorecard import last_twelve_months, month
from gendan.purchasing.choices import POLineStatus, POStatus, ReceiptStatus
from gendan.purchasing.models import (
    POLineConfirmation,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ServiceRating,
)
from gendan.purchasing.scorecard import current_scores, period_cards, scorecard_detail

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_MONTH = month(TODAY.year, TODAY.month)
LAST_MONTH = THIS_MONTH.previous()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


class History:
    """Purchase orders, confirmations and receipts with the dates the test names."""

    def __init__(self, make, users):
        self.make, self.users, self.n = make, users, 0
        self.warehouse = make.warehouse()

    def line(self, supplier, *, made, due, qty=100, price="10", material=None, promised=None):
        self.n += 1
        po = PurchaseOrder.objects.create(
            number=f"PO-T-{self.n:04d}",
            supplier=supplier,
            status=POStatus.SENT,
            created_by=self.users["purchasing"],
        )
        PurchaseOrder.objects.filter(pk=po.pk).update(created_at=at(made))
        line = PurchaseOrderLine.objects.create(
            order=po,
            material=material or self.make.material(),
            quantity=D(qty),
            unit_price=D(price),
            delivery_date=due,
            status=POLineStatus.CONFIRMED,
        )
        for q, day in promised or []:
            POLineConfirmation.objects.create(line=line, quantity=D(q), promised_date=day)
        return line

    def receipt(self, line, *, received, qty=None, rejected=0, inspected=None):
        self.n += 1
        qty = D(qty if qty is not None else line.quantity)
        rejected = D(rejected)
        status = (
            ReceiptStatus.ACCEPTED
            if not rejected
            else ReceiptStatus.REJECTED
            if rejected == qty
            else ReceiptStatus.PARTLY_ACCEPTED
        )
        return Receipt.objects.create(
            number=f"SH-T-{self.n:04d}",
            line=line,
            quantity=qty,
            warehouse=self.warehouse,
            status=status,
            accepted_qty=qty - rejected,
            rejected_qty=rejected,
            received_at=at(received),
            inspected_at=at(inspected or received, 15),
        )

    def good_supplier(self, supplier, period=LAST_MONTH, lots=3):
        """`lots` lines delivered on time and accepted whole in `period`."""
        for k in range(lots):
            day = period.start + dt.timedelta(days=k)
            self.receipt(
                self.line(supplier, made=day, due=day + dt.timedelta(days=5)),
                received=day + dt.timedelta(days=2),
            )


@pytest.fixture(autouse=True)
def english(users):
    """The pages in English, so the tests read the msgids."""
    for user in users.values():
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def history(make, users):
    return History(make, users)


@pytest.fixture
def supplier(make):
    return make.supplier()


# ---------------------------------------------------------------- figures and periods


def test_the_scorecard_counts_inspections_deliveries_against_confirmed_dates_prices_and_service(
    history, supplier, users
):
    start = LAST_MONTH.start
    # 40 promised by day 3, 60 by day 10: a delivery of 100 on day 5 is 40 late, 60 on time.
    line = history.line(
        supplier,
        made=start,
        due=start + dt.timedelta(days=9),
        promised=[(40, start + dt.timedelta(days=2)), (60, start + dt.timedelta(days=9))],
    )
    history.receipt(line, received=start + dt.timedelta(days=4), rejected=10)
    history.good_supplier(supplier, lots=2)
    ServiceRating.objects.create(
        supplier=supplier,
        period=LAST_MONTH.key,
        start=LAST_MONTH.start,
        end=LAST_MONTH.end,
        rating=4,
        rated_by=users["purchasing"],
    )
    cards, _records = period_cards([supplier.pk], LAST_MONTH)
    card = cards[supplier.pk]
    assert (card.lots, card.lots_accepted, card.acceptance) == (3, 2, D("96.7"))  # 290 of 300
    assert (card.deliveries, card.late_deliveries, card.on_time) == (3, 1, D("86.7"))  # 260 of 300
    assert card.service == D("4.0")
    assert card.score is not None and card.enough


def test_a_receipt_counts_in_the_month_it_came_and_the_quarter_holds_its_months(history, supplier):
    line = history.line(supplier, made=LAST_MONTH.start, due=LAST_MONTH.end)
    history.receipt(line, received=LAST_MONTH.end, inspected=THIS_MONTH.start)
    last, _ = period_cards([supplier.pk], LAST_MONTH)
    this, _ = period_cards([supplier.pk], THIS_MONTH)
    assert (last[supplier.pk].deliveries, last[supplier.pk].lots) == (1, 0)  # delivered in last month
    assert (this[supplier.pk].deliveries, this[supplier.pk].lots) == (0, 1)  # inspected this month


def test_the_price_trend_compares_with_the_period_before(history, supplier, make):
    steel = make.material()
    before = LAST_MONTH.previous()
    history.line(supplier, made=before.start, due=before.end, price="10", material=steel)
    history.line(supplier, made=LAST_MONTH.start, due=LAST_MONTH.end, price="11", material=steel)
    cards, _ = period_cards([supplier.pk], LAST_MONTH)
    assert cards[supplier.pk].price_trend == D("10.0")


def test_too_few_records_give_no_score_and_no_current_score(history, supplier):
    history.good_supplier(supplier, lots=2)
    cards, _ = period_cards([supplier.pk], LAST_MONTH)
    assert cards[supplier.pk].score is None
    assert current_scores([supplier.pk]) == {}


def test_the_drill_down_lists_are_the_records_behind_each_figure(history, supplier):
    history.good_supplier(supplier, lots=3)
    late = history.line(supplier, made=LAST_MONTH.start, due=LAST_MONTH.start + dt.timedelta(days=1))
    history.receipt(late, received=LAST_MONTH.start + dt.timedelta(days=6), qty=60, rejected=60)
    history.receipt(late, received=LAST_MONTH.start + dt.timedelta(days=7), qty=40)
    detail = scorecard_detail(supplier=supplier, period=LAST_MONTH)
    card = detail.card
    assert len(detail.inspected) == card.lots == 5
    assert sum(r.accepted_qty for r in detail.inspected) == card.accepted_qty
    assert sum(d.result.quantity for d in detail.deliveries) == card.delivered_qty
    assert sum(d.result.on_time for d in detail.deliveries) == card.on_time_qty
    assert len(detail.late) == card.late_deliveries == 2
    assert len(detail.price_lines) == 4


def test_current_scores_take_a_fixed_number_of_queries_for_any_number_of_suppliers(
    history, make, django_assert_num_queries
):
    few = [make.supplier()]
    many = [make.supplier() for _ in range(6)]
    for s in few + many:
        history.good_supplier(s, period=LAST_MONTH, lots=3)
    with django_assert_num_queries(5):
        assert set(current_scores([s.pk for s in few])) == {few[0].pk}
    with django_assert_num_queries(5):
        scores = current_scores([s.pk for s in many])
    assert set(scores) == {s.pk for s in many} and all(v == D(100) for v in scores.values())
    assert current_scores([]) == {}


def test_a_supplier_below_the_threshold_is_flagged_on_the_list(history, make, client_for, settings):
    settings.GENDAN_SUPPLIER_SCORE_THRESHOLD = 70
    good, bad = make.supplier(code="GOOD"), make.supplier(code="BAD")
    history.good_supplier(good)
    for k in range(3):
        day = LAST_MONTH.start + dt.timedelta(days=k)
        history.receipt(
            history.line(bad, made=day, due=day), received=day + dt.timedelta(days=5), rejected=50
        )
    response = client_for("purchasing").get("/purchasing/scorecards/", {"period": LAST_MONTH.key})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.supplier.code for r in rows[:2]] == ["GOOD", "BAD"]
    assert rows[1].card.flagged and not rows[0].card.flagged
    with translation.override("en"):
        page = (
            client_for("purchasing")
            .get("/purchasing/scorecards/", {"period": LAST_MONTH.key})
            .content.decode()
        )
    assert "below threshold" in page and "1 supplier below the threshold" in page


# ---------------------------------------------------------------- pages: who reads, bad input


@pytest.mark.parametrize(
    "role, status",
    [
        ("purchasing", 200),
        ("quality", 200),
        ("management", 200),
        ("merchandiser", 200),
        ("admin", 200),
        ("production", 403),
        ("warehouse", 403),
        ("logistics", 403),
    ],
)
def test_who_reads_the_scorecards(role, status, client_for, supplier):
    assert client_for(role).get("/purchasing/scorecards/").status_code == status
    assert client_for(role).get(f"/purchasing/scorecards/{supplier.pk}/").status_code == status
    assert client_for(role).get("/purchasing/scorecards/materials/").status_code == status


@pytest.mark.parametrize("period", ["2026-13", "junk", "2026-Q9", "<script>"])
def test_a_bad_period_is_a_400_with_a_clear_message(period, client_for, supplier):
    client = client_for("purchasing")
    with translation.override("en"):
        for url in (
            "/purchasing/scorecards/",
            f"/purchasing/scorecards/{supplier.pk}/",
            "/purchasing/scorecards/export/",
        ):
            response = client.get(url, {"period": period})
            assert response.status_code == 400, url
            assert "cannot be read" in response.content.decode()
            assert "<script>" not in response.content.decode()


def test_an_unknown_supplier_or_material_is_a_404(client_for):
    client = client_for("purchasing")
    assert client.get("/purchasing/scorecards/999999/").status_code == 404
    assert client.get("/purchasing/scorecards/materials/", {"material": "x"}).status_code == 404
    assert client.get("/purchasing/scorecards/materials/", {"material": "999999"}).status_code == 404


def test_the_supplier_page_drills_down_and_shows_unit_prices_only_to_those_who_see_supplier_prices(
    history, supplier, client_for
):
    history.good_supplier(supplier, lots=3)
    url = f"/purchasing/scorecards/{supplier.pk}/"
    with translation.override("en"):
        page = client_for("purchasing").get(url, {"period": LAST_MONTH.key}).content.decode()
        quality = client_for("quality").get(url, {"period": LAST_MONTH.key}).content.decode()
    receipt = Receipt.objects.filter(line__order__supplier=supplier).first()
    assert receipt.number in page and receipt.number in quality
    assert "<svg" in page and "Score by month" in page
    assert "Purchase order lines of the period" in page and "Unit price" in page
    assert "Unit price" not in quality and "Average price" not in quality


def test_the_twelve_months_before_are_named_by_their_days(history, supplier, client_for):
    history.good_supplier(supplier, lots=3)
    with translation.override("en"):
        page = client_for("purchasing").get(f"/purchasing/scorecards/{supplier.pk}/").content.decode()
    before = last_twelve_months(timezone.localdate()).previous()
    assert "last12@" not in page
    assert f"against {before.start:%Y-%m-%d} – {before.end:%Y-%m-%d}" in page


def test_the_material_ranking_orders_its_suppliers_by_score(history, make, client_for):
    steel = make.material()
    good, bad = make.supplier(), make.supplier()
    make.supplier_material(supplier=bad, material=steel)
    make.supplier_material(supplier=good, material=steel)
    history.good_supplier(good)
    for k in range(3):
        day = LAST_MONTH.start + dt.timedelta(days=k)
        history.receipt(
            history.line(bad, made=day, due=day), received=day + dt.timedelta(days=3), rejected=20
        )
    response = client_for("quality").get(
        "/purchasing/scorecards/materials/", {"material": steel.pk, "period": LAST_MONTH.key}
    )
    assert [r.supplier for r in response.context["rows"]] == [good, bad]


def test_the_list_exports_to_excel(history, supplier, client_for):
    import io

    from openpyxl import load_workbook

    history.good_supplier(supplier)
    response = client_for("management").get("/purchasing/scorecards/export/", {"period": LAST_MONTH.key})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == supplier.code and rows[1][3] == 100


# ---------------------------------------------------------------- the service rating


def test_purchasing_rates_a_supplier_and_a_second_rating_replaces_the_first(client_for, supplier):
    client = client_for("purchasing")
    url = f"/purchasing/scorecards/{supplier.pk}/rate/"
    response = client.post(url, {"period": LAST_MONTH.key, "rating": "2", "note": "slow"})
    assert response.status_code == 302
    client.post(url, {"period": LAST_MONTH.key, "rating": "4", "note": "better"})
    rating = ServiceRating.objects.get(supplier=supplier)
    assert (rating.rating, rating.note, rating.start, rating.end) == (
        4,
        "better",
        LAST_MONTH.start,
        LAST_MONTH.end,
    )
    entries = AuditEntry.objects.filter(object_id=str(rating.pk)).order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["rating"] == [2, 4]


@pytest.mark.parametrize("role", ["merchandiser", "quality", "management", "production"])
def test_only_purchasing_rates(role, client_for, supplier):
    response = client_for(role).post(
        f"/purchasing/scorecards/{supplier.pk}/rate/", {"period": "2026-01", "rating": "5"}
    )
    assert response.status_code == 403
    assert not ServiceRating.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"period": "2026-13", "rating": "3"}, "period"),
        ({"period": "last12", "rating": "3"}, "period"),
        ({"period": "2026-03", "rating": "6"}, "rating"),
        ({"period": "2026-03", "rating": "x"}, "rating"),
        ({"period": "", "rating": "3"}, "period"),
        ({"period": "2099-01", "rating": "3"}, "period"),
    ],
)
def test_a_bad_rating_names_the_field_and_saves_nothing(data, field, client_for, supplier):
    response = client_for("purchasing").post(f"/purchasing/scorecards/{supplier.pk}/rate/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not ServiceRating.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_purchasers_rating_the_same_period_at_once_leave_one_rating(make, users):
    from gendan.core.exceptions import WorkflowConflict
    from gendan.purchasing.services.scores import service_rating_save
    from gendan.testing import race

    supplier = make.supplier()
    second = make.user(role="purchasing")
    raters = [users["purchasing"], second]
    results = race(
        2,
        lambda i: service_rating_save(
            actor=raters[i], supplier_id=supplier.pk, period="2026-Q1", rating=2 + i
        ),
    )
    assert ServiceRating.objects.filter(supplier=supplier).count() == 1
    # Either both went through one after the other (the second replaced the first), or the loser
    # was told someone else rated first; never two ratings, never an error page.
    assert all(isinstance(r, ServiceRating | WorkflowConflict) for r in results), results


def test_an_archived_supplier_is_not_rated(client_for, make):
    from django.core.exceptions import ValidationError

    from gendan.purchasing.services.scores import service_rating_save

    archived = make.supplier(is_archived=True)
    with pytest.raises(ValidationError) as err:
        service_rating_save(actor=None, supplier_id=archived.pk, period="2026-01", rating=3)
    assert "supplier" in err.value.message_dict


# ---------------------------------------------------------------- API


def test_the_api_gives_the_same_scorecards_as_the_page(history, supplier, api_for, client_for):
    history.good_supplier(supplier)
    page = client_for("purchasing").get("/purchasing/scorecards/", {"period": LAST_MONTH.key}).context["rows"]
    api = api_for("purchasing").get("/api/supplier-scorecards/", {"period": LAST_MONTH.key})
    assert api.status_code == 200
    assert [(r["supplier"], r["score"], r["flagged"]) for r in api.json()] == [
        (r.supplier.pk, str(r.card.score) if r.card.score is not None else None, r.card.flagged) for r in page
    ]
    detail = (
        api_for("purchasing")
        .get(f"/api/supplier-scorecards/{supplier.pk}/", {"period": LAST_MONTH.key})
        .json()
    )
    assert detail["lots"] == len(detail["inspected"]) == 3
    assert detail["deliveries"] == len(detail["delivery_records"]) == 3
    assert sum(D(d["on_time"]) for d in detail["delivery_records"]) == D(300)
    assert len(detail["price_lines"]) == 3
    quality = (
        api_for("quality").get(f"/api/supplier-scorecards/{supplier.pk}/", {"period": LAST_MONTH.key}).json()
    )
    assert "price_lines" not in quality and all("average_price" not in m for m in quality["materials"])


def test_the_api_refuses_a_bad_period_and_unknown_suppliers(api_for):
    api = api_for("purchasing")
    response = api.get("/api/supplier-scorecards/", {"period": "2026-99"})
    assert response.status_code == 400 and "period" in response.json()
    assert api.get("/api/supplier-scorecards/999999/").status_code == 404
    assert api.get("/api/supplier-scorecards/abc/").status_code == 404
    assert api_for("production").get("/api/supplier-scorecards/").status_code == 403


def test_service_ratings_through_the_api_follow_the_same_rules(api_for, supplier):
    api = api_for("purchasing")
    created = api.post(
        "/api/supplier-service-ratings/",
        {"supplier": supplier.pk, "period": "2026-Q1", "rating": 3},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["start"] == "2026-01-01"
    changed = api.patch(
        f"/api/supplier-service-ratings/{created.json()['id']}/", {"rating": 5}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["rating"] == 5
    assert ServiceRating.objects.get().rating == 5
    again = api.post(
        "/api/supplier-service-ratings/",
        {"supplier": supplier.pk, "period": "2026-Q1", "rating": 2},
        format="json",
    )
    assert again.status_code == 201 and ServiceRating.objects.count() == 1
    bad = api.post(
        "/api/supplier-service-ratings/",
        {"supplier": supplier.pk, "period": "Q1", "rating": 9},
        format="json",
    )
    assert bad.status_code == 400 and "rating" in bad.json()
    bad_period = api.post(
        "/api/supplier-service-ratings/",
        {"supplier": supplier.pk, "period": "Q1", "rating": 3},
        format="json",
    )
    assert bad_period.status_code == 400 and "period" in bad_period.json()
    refused = api_for("merchandiser").post(
        "/api/supplier-service-ratings/",
        {"supplier": supplier.pk, "period": "2026-Q2", "rating": 3},
        format="json",
    )
    assert refused.status_code == 403
    assert api_for("merchandiser").get("/api/supplier-service-ratings/").status_code == 200
