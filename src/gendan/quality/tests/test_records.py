"""The quality records page, its exports and its API (R-4.2): quality and management read them,
others are refused; the figures a person reads (defect Pareto, acceptance, p chart, scrap Pareto,
first-pass and rolled throughput yield, scrap per product, its value only for those who may see
prices); a bad filter answered with a 400 naming it; formulas in exported text kept as text; the
number of queries the same for few records and many."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from gendan.quality.models import DefectCode
from gendan.quality.services import inspection_complete, inspection_defect_add, inspection_start
from gendan.shopfloor.models import ProductionReport
from gendan.shopfloor.tests.factories import ShopFactory

pytestmark = pytest.mark.django_db

URL = "/quality/records/"
EXPORT = "/quality/records/export/"
API = "/api/quality-records/"
FORMULA = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def codes(db):
    return (
        DefectCode.objects.create(code="D01", name="尺寸超差", name_en="Out of tolerance"),
        DefectCode.objects.create(code="D02", name="划伤", name_en="Scratch"),
    )


@pytest.fixture
def lot(users, receive):
    """lot(defects=[(code, count, note)], supplier=None) -> a completed inspection of 500 (n = 50,
    Ac 1, Re 2)."""

    def run(defects, **kw):
        inspector = users["quality"]
        inspection = inspection_start(actor=inspector, receipt_id=receive("500", **kw).pk)
        for code, count, note in defects:
            inspection_defect_add(
                actor=inspector, inspection_id=inspection.pk, code_id=code.pk, count=count, note=note
            )
        return inspection_complete(actor=inspector, inspection_id=inspection.pk)

    return run


@pytest.fixture
def incoming(make, lot, codes):
    d01, d02 = codes
    supplier = make.supplier()
    lots = [
        lot([(d01, 3, FORMULA), (d02, 1, "")], supplier=supplier),  # 4 nonconforming: rejected
        lot([(d02, 1, "")], supplier=supplier),  # 1: accepted
        lot([(d01, 5, "")]),  # another supplier's: rejected
    ]
    return supplier, lots


@pytest.fixture
def floor(make, users):
    """An order of 100 at 10.00 each; cutting 95 good + 5 scrap, welding 90 good + 5 scrap."""
    shop = ShopFactory(make, users)
    planned = shop.planned_order(steps=2)
    planned.line.unit_price = Decimal("10")
    planned.line.save(update_fields=["unit_price"])
    burr, crack = shop.reason(name="毛刺", name_en="Burr"), shop.reason(name="裂纹", name_en="Crack")
    today = timezone.localdate()
    for op, good, scrap, reason in ((planned.ops[0], 95, 5, burr), (planned.ops[1], 90, 5, crack)):
        ProductionReport.objects.create(
            operation=op,
            work_date=today,
            work_centre=planned.work_centre,
            good_qty=Decimal(good),
            scrap_qty=Decimal(scrap),
            scrap_reason=reason,
            reported_by=users["production"],
            remarks="-1+1" if reason is burr else "",
        )
    return planned


@pytest.fixture
def english(users):
    """Everyone reads English (the pages follow the user's own language)."""
    for user in users.values():
        user.language = "en"
        user.save(update_fields=["language"])


def _sheet(response):
    assert response.status_code == 200, response.content[:300]
    return list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)


# ---------------------------------------------------------------- who reads them


@pytest.mark.parametrize("role", ["quality", "management", "admin"])
def test_quality_and_management_read_the_records_page_and_find_it_in_the_menu(client_for, role):
    client = client_for(role)
    page = client.get(URL)
    assert page.status_code == 200
    assert URL in client.get("/").content.decode()


@pytest.mark.parametrize("role", ["merchandiser", "production", "purchasing", "warehouse", "logistics"])
def test_other_roles_are_refused_the_page_its_exports_and_api(client_for, api_for, role):
    client = client_for(role)
    assert client.get(URL).status_code == 403
    assert client.get(EXPORT + "?list=defects").status_code == 403
    assert api_for(role).get(API).status_code == 403
    assert URL not in client.get("/").content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get(URL).status_code == 302
    assert client.get(API).status_code in (401, 403)


# ---------------------------------------------------------------- what a reader sees


def test_the_page_shows_the_defect_pareto_acceptance_and_the_p_chart(english, client_for, incoming):
    page = client_for("quality").get(URL, {"period": "this_month"}).content.decode()
    assert "1 of 3 lots accepted (33.3 %)" in page
    # The Pareto: tolerance (8) before scratch (2), drawn as bars with their names.
    assert page.index("Out of tolerance") < page.index("Scratch")
    assert 'class="bar"' in page and "quality-chart control" in page  # the p chart is drawn
    assert '<td>Out of tolerance</td><td class="num">8</td>' in page


def test_the_supplier_filter_keeps_only_his_lots(english, client_for, incoming):
    supplier, _lots = incoming
    page = client_for("quality").get(URL, {"supplier": supplier.pk}).content.decode()
    assert "1 of 2 lots accepted (50.0 %)" in page
    assert '<td>Out of tolerance</td><td class="num">3</td>' in page


def test_a_product_filters_incoming_lots_by_its_bill_of_materials(make, client_for, users, lot, codes):
    product, material = make.product(), make.material()
    make.bom_line(product, material=material)
    lot([(codes[0], 2, "")], material=material)
    lot([(codes[1], 7, "")])
    data = client_for("quality").get(API, {"product": product.pk}).json()
    assert [r["count"] for r in data["defects"]] == [2] and data["lots"] == 1


def test_the_shop_floor_figures_fpy_rty_and_scrap_pareto(english, client_for, floor):
    page = client_for("quality").get(URL).content.decode()
    assert "First-pass yield 94.9 %" in page  # 185 good of 195 made
    # Rolled throughput yield: 95/100 × 90/95 = 90 %.
    assert "90.0 %</td>" in page and "10 下料 95.0 %" in page
    assert ">Burr<" in page and ">Crack<" in page


def test_the_scrap_value_is_shown_only_to_those_who_may_see_prices(english, client_for, api_for, floor):
    manager = client_for("management").get(URL).content.decode()
    inspector = client_for("quality").get(URL).content.decode()
    assert "Scrap value (selling price)" in manager and "100.00" in manager  # 10 scrapped × 10.00
    assert "Scrap value" not in inspector
    assert api_for("quality").get(API).json()["scrap_by_product"][0]["value"] is None
    assert Decimal(api_for("management").get(API).json()["scrap_by_product"][0]["value"]) == 100


def test_a_period_without_records_says_so(english, client_for):
    page = client_for("quality").get(URL, {"period": "last_month"}).content.decode()
    assert "No records in this period" in page and "No units were sampled in this period." in page


# ---------------------------------------------------------------- bad filters


@pytest.mark.parametrize(
    "query, field",
    [
        ({"product": "abc"}, "product"),
        ({"supplier": "999999"}, "supplier"),
        ({"work_centre": "1 OR 1=1"}, "work_centre"),
        ({"period": "forever"}, "period"),
        ({"period": "custom"}, "start"),
        ({"period": "custom", "start": "2026-13-01", "end": "2026-01-01"}, "start"),
        ({"period": "custom", "start": "2026-05-01", "end": "2026-04-01"}, "end"),
        ({"period": "custom", "start": "2020-01-01", "end": "2026-01-01"}, "end"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field_never_a_500(client_for, api_for, query, field):
    page = client_for("quality").get(URL, query)
    assert page.status_code == 400 and 'class="error"' in page.content.decode()
    assert client_for("quality").get(EXPORT, {"list": "lots", **query}).status_code == 400
    answer = api_for("quality").get(API, query)
    assert answer.status_code == 400 and field in answer.json()


def test_a_custom_range_is_read(client_for, incoming):
    today = timezone.localdate()
    query = {
        "period": "custom",
        "start": (today - dt.timedelta(days=3)).isoformat(),
        "end": today.isoformat(),
    }
    assert client_for("quality").get(URL, query).status_code == 200
    old = {"period": "custom", "start": "2020-01-01", "end": "2020-01-31"}
    assert client_for("quality").get(API, old).json()["lots"] == 0


def test_an_unknown_export_list_is_a_400(client_for):
    assert client_for("quality").get(EXPORT, {"list": "../../etc"}).status_code == 400
    assert client_for("quality").get(EXPORT).status_code == 400


# ---------------------------------------------------------------- exports


def test_the_defect_list_is_exported_with_formulas_kept_as_text(english, client_for, incoming):
    rows = _sheet(client_for("quality").get(EXPORT, {"list": "defects", "period": "this_month"}))
    assert rows[0][7:] == ("Defect", "Count", "Note")
    notes = [r[9] for r in rows[1:]]
    assert "'" + FORMULA in notes and FORMULA not in notes
    assert sorted(r[8] for r in rows[1:]) == [1, 1, 3, 5]


def test_the_lots_list_is_exported(client_for, incoming):
    supplier, _lots = incoming
    rows = _sheet(client_for("management").get(EXPORT, {"list": "lots", "supplier": supplier.pk}))
    assert len(rows) == 3 and {r[2] for r in rows[1:]} == {supplier.code}


def test_the_reports_list_has_the_value_column_only_for_those_who_may_see_prices(english, client_for, floor):
    quality = _sheet(client_for("quality").get(EXPORT, {"list": "reports"}))
    manager = _sheet(client_for("management").get(EXPORT, {"list": "reports"}))
    assert "Scrap value (selling price)" not in quality[0] and len(quality) == 3
    assert manager[0][-1] == "Scrap value (selling price)"
    assert sorted(r[-1] for r in manager[1:]) == [50, 50]
    assert "'-1+1" in [r[9] for r in quality[1:]]  # a remark starting like a formula stays text


# ---------------------------------------------------------------- the API


def test_the_api_gives_the_pareto_rows_fpy_and_the_control_chart(api_for, incoming, floor):
    data = api_for("quality").get(API, {"period": "this_month"}).json()
    assert [(r["category"], r["count"]) for r in data["defects"]] == [("尺寸超差", 8), ("划伤", 2)]
    assert data["defects"][-1]["cumulative"] == 100
    assert data["lots"] == 3 and data["lots_accepted"] == 1
    chart = data["p_chart"]
    assert chart["kind"] == "p" and chart["centre"] == pytest.approx(10 / 150)
    point = next(p for p in chart["points"] if p["size"])
    assert point["size"] == 150 and {"ucl", "lcl", "beyond_limits", "run"} <= set(point)
    assert data["fpy"] == pytest.approx(185 / 195)
    assert data["products"][0]["rty"] == pytest.approx(0.9)
    assert [r["count"] for r in data["scrap_reasons"]] == [5, 5]


def test_the_api_is_in_the_schema(api_for):
    schema = api_for("admin").get("/api/schema/").content.decode()
    assert "/api/quality-records/" in schema


# ---------------------------------------------------------------- queries


def test_the_page_and_api_queries_do_not_grow_with_the_records(
    client_for, api_for, lot, codes, floor, make, users
):
    client, api = client_for("quality"), api_for("quality")
    lot([(codes[0], 1, "")])
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    with CaptureQueriesContext(connection) as few_api:
        api.get(API)
    for _i in range(3):
        lot([(codes[0], 2, ""), (codes[1], 1, "")], supplier=make.supplier())
    shop = ShopFactory(make, users)
    more = shop.planned_order(steps=3)
    for op in more.ops:
        ProductionReport.objects.create(
            operation=op, work_date=timezone.localdate(), work_centre=more.work_centre, good_qty=Decimal(9)
        )
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    with CaptureQueriesContext(connection) as many_api:
        api.get(API)
    assert len(many) == len(few) and len(many_api) == len(few_api)


# ---------------------------------------------------------------- names and measurements


def test_two_codes_with_the_same_name_stay_apart_under_their_codes():
    from gendan.quality.selectors_records import _named

    rows = _named([("D01", "划伤", 3), ("D07", "划伤", 1), ("D02", "生锈", 2)])
    assert rows == [("D01 划伤", 3), ("D07 划伤", 1), ("生锈", 2)]


@pytest.mark.parametrize(
    "choice, today, expected",
    [
        ("this_month", dt.date(2026, 11, 30), (dt.date(2026, 11, 1), dt.date(2026, 11, 30))),
        ("last_month", dt.date(2026, 1, 15), (dt.date(2025, 12, 1), dt.date(2025, 12, 31))),
        ("quarter", dt.date(2026, 11, 30), (dt.date(2026, 8, 31), dt.date(2026, 11, 30))),
        ("quarter", dt.date(2026, 5, 31), (dt.date(2026, 3, 1), dt.date(2026, 5, 31))),  # no 31 February
        ("quarter", dt.date(2026, 2, 10), (dt.date(2025, 11, 11), dt.date(2026, 2, 10))),
    ],
)
def test_the_periods_a_reader_picks(choice, today, expected):
    from gendan.quality.forms_records import period_days

    assert period_days(choice, today) == expected


def test_a_lot_counts_in_the_week_of_its_local_day(api_for, lot):
    """Sunday 23:59 and Monday 00:30 local time fall in two weeks, whatever UTC says."""
    from gendan.quality.models import Inspection

    zone = timezone.get_current_timezone()
    sunday, monday = lot([]), lot([])
    Inspection.objects.filter(pk=sunday.pk).update(completed_at=dt.datetime(2026, 11, 1, 23, 59, tzinfo=zone))
    Inspection.objects.filter(pk=monday.pk).update(completed_at=dt.datetime(2026, 11, 2, 0, 30, tzinfo=zone))
    data = (
        api_for("quality").get(API, {"period": "custom", "start": "2026-10-20", "end": "2026-11-10"}).json()
    )
    by_week = {w["week"]: w["value"] for w in data["acceptance_by_week"]}
    assert list(by_week) == ["2026-W43", "2026-W44", "2026-W45", "2026-W46"]
    assert by_week == {"2026-W43": None, "2026-W44": 1.0, "2026-W45": 1.0, "2026-W46": None}
    assert [p["size"] for p in data["p_chart"]["points"]] == [sunday.sample_size, monday.sample_size]
