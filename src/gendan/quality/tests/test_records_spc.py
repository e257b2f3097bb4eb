"""The X̄-R chart of the quality records page (R-4.2), drawn from the values inspectors measured in
process: one subgroup per inspection (or n values in a row), the standard A2/D3/D4 limits, the
specification limits drawn apart, a shifted subgroup and a value out of specification marked; the
characteristic chosen on the page (htmx redraws the chart only), the same figures in the API and
the Excel export; the in-process defects in their Pareto; the same number of queries for few
inspections and many."""

import io
import statistics
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gendan.engine.spc import CONSTANTS
from gendan.quality import services_process as svc
from gendan.quality.models import DefectCode, InspectionPlanItem

pytestmark = pytest.mark.django_db

URL = "/quality/records/"
EXPORT = "/quality/records/export/"
API = "/api/quality-records/"
A2, D3, D4, _D2 = CONSTANTS[5]
QUIET = [
    ["20.01", "19.99", "20.00", "20.02", "19.98"],
    ["20.00", "20.01", "19.99", "20.00", "20.01"],
    ["19.99", "20.00", "20.02", "20.01", "19.99"],
    ["20.01", "20.00", "19.98", "20.00", "20.02"],
    ["20.00", "19.99", "20.01", "20.02", "20.00"],
    ["20.02", "20.00", "19.99", "20.01", "19.99"],
    ["19.98", "20.01", "20.00", "20.01", "20.00"],
    ["20.00", "20.02", "20.01", "19.99", "20.00"],
]
# The tool wears: the diameter grows; one part is out of tolerance (20 ± 0.1).
SHIFTED = ["20.08", "20.09", "20.11", "20.08", "20.09"]


@pytest.fixture
def english(users):
    for user in users.values():
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.fixture
def inspect(line_with_plans, users):
    """inspect(values, item=diameter, lot=1000, defects=()) -> an in-process inspection of the
    plan's first operation with these values on units 1, 2, …, completed."""
    w = line_with_plans

    def run(values, item=None, lot=1000, defects=()):
        item = item or w.diameter
        inspector = users["quality"]
        task = svc.process_inspection_create(
            actor=inspector,
            kind="in_process",
            order_line_id=w.line.pk,
            operation_id=w.ops[0].pk,
            lot_quantity=lot,
        )
        started = svc.process_inspection_start(actor=inspector, inspection_id=task.pk)
        for unit, value in enumerate(values, start=1):
            svc.process_measurement_record(
                actor=inspector, inspection_id=started.pk, item_id=item.pk, unit_no=unit, value=value
            )
        for code, count in defects:
            svc.process_defect_add(actor=inspector, inspection_id=started.pk, code_id=code.pk, count=count)
        return svc.process_inspection_complete(actor=inspector, inspection_id=started.pk)

    return run


def _charts(page: str) -> list[ET.Element]:
    """The control charts of the X̄-R card, X̄ first."""
    start = page.index('id="xbar"')
    card = page[start : page.find("</section>", start)]
    out, at = [], 0
    while (start := card.find("<svg", at)) >= 0:
        end = card.index("</svg>", start) + 6
        out.append(ET.fromstring(card[start:end]))
        at = end
    return out


def by_class(root, css: str) -> list[ET.Element]:
    return [e for e in root.iter() if css in (e.get("class") or "").split()]


# ---------------------------------------------------------------- the chart


def test_the_xbar_r_chart_is_drawn_from_the_measured_values_with_standard_limits(
    english, client_for, inspect
):
    for values in QUIET:
        inspect(values)
    page = client_for("quality").get(URL).content.decode()
    assert "X̄-R control chart of a measured characteristic" in page
    charts = _charts(page)
    assert len(charts) == 2, "the X̄ and the R chart are drawn"
    xbar, r = charts
    assert len(by_class(xbar, "point")) == len(QUIET) == len(by_class(r, "point"))
    assert by_class(xbar, "ucl") and by_class(xbar, "lcl") and by_class(xbar, "centre")
    # The specification is drawn on the X̄ chart only, unlike the control limits.
    assert by_class(xbar, "usl") and by_class(xbar, "lsl") and not by_class(r, "usl")
    assert by_class(xbar, "usl")[0].get("stroke") != by_class(xbar, "ucl")[0].get("stroke")
    assert len(by_class(xbar, "value")) == 5 * len(QUIET)  # every single value behind the means
    assert not by_class(xbar, "signal") and not by_class(xbar, "off-spec")
    assert "8 inspections, 5 values each" in page

    data = client_for("quality").get(API).json()["measured"]
    means = [statistics.fmean(float(v) for v in values) for values in QUIET]
    ranges = [max(map(float, values)) - min(map(float, values)) for values in QUIET]
    grand, rbar = statistics.fmean(means), statistics.fmean(ranges)
    assert data["characteristic"]["characteristic"] == "外径" and data["n"] == 5
    assert [s["values"] for s in data["subgroups"]] == [[float(v) for v in values] for values in QUIET]
    assert data["xbar"]["centre"] == pytest.approx(grand)
    assert data["xbar"]["points"][0]["ucl"] == pytest.approx(grand + A2 * rbar)
    assert data["xbar"]["points"][0]["lcl"] == pytest.approx(grand - A2 * rbar)
    assert data["r"]["centre"] == pytest.approx(rbar)
    assert data["r"]["points"][0]["ucl"] == pytest.approx(D4 * rbar)
    assert data["r"]["points"][0]["lcl"] == pytest.approx(D3 * rbar)
    assert data["cpk"] == pytest.approx(min(20.1 - grand, grand - 19.9) / (3 * rbar / CONSTANTS[5][3]))


def test_a_shifted_subgroup_is_out_of_control_and_a_part_out_of_tolerance_is_marked(
    english, client_for, inspect
):
    for values in QUIET:
        inspect(values)
    inspect(SHIFTED)
    page = client_for("quality").get(URL).content.decode()
    xbar, _r = _charts(page)
    points = by_class(xbar, "point")
    assert [("signal" in p.get("class")) for p in points] == [False] * len(QUIET) + [True]
    assert "beyond a control limit" in points[-1].find("{http://www.w3.org/2000/svg}title").text
    off = by_class(xbar, "off-spec")
    assert len(off) == 1 and "20.11" in off[0].find("{http://www.w3.org/2000/svg}title").text
    data = client_for("quality").get(API).json()["measured"]
    assert data["out_of_spec"] == 1 and data["xbar"]["points"][-1]["beyond_limits"]


def test_inspections_that_measured_fewer_units_are_left_out_and_counted(english, client_for, inspect):
    for values in QUIET[:3]:
        inspect(values + ["20.00", "20.01"])  # seven values: the first five are its subgroup
    inspect(["20.00", "20.01", "20.02"])  # three: left out
    data = client_for("quality").get(API).json()["measured"]
    assert data["grouping"] == "by_inspection" and (data["n"], data["left_out"]) == (7, 1)
    for values in QUIET[3:7]:
        inspect(values)
    data = client_for("quality").get(API).json()["measured"]
    # Three of seven, four of five, one of three: five values, the one of three left out.
    assert (data["n"], data["left_out"], len(data["subgroups"])) == (5, 1, 7)
    assert data["subgroups"][0]["values"] == [float(v) for v in QUIET[0]]
    assert "1 with fewer values left out" in client_for("quality").get(URL).content.decode()


def test_values_in_a_row_when_chosen_and_when_each_inspection_measured_one_unit(client_for, inspect):
    for value in [
        "20.00",
        "20.01",
        "19.99",
        "20.02",
        "20.00",
        "19.98",
        "20.01",
        "20.00",
        "20.01",
        "19.99",
        "20",
    ]:
        inspect([value])
    data = client_for("quality").get(API).json()["measured"]
    # One unit an inspection: five values in a row; the oldest value that fills no group is left out.
    assert data["grouping"] == "in_a_row" and data["n"] == 5 and len(data["subgroups"]) == 2
    assert data["subgroups"][0]["values"] == [20.01, 19.99, 20.02, 20.0, 19.98]
    assert data["subgroups"][-1]["values"] == [20.01, 20.0, 20.01, 19.99, 20.0]
    pairs = client_for("quality").get(API, {"subgroup": "2"}).json()["measured"]
    assert pairs["n"] == 2 and len(pairs["subgroups"]) == 5
    page = client_for("quality").get(URL, {"subgroup": "2"}).content.decode()
    assert '<option value="2" selected>' in page


def test_fewer_than_two_subgroups_say_so_and_no_plan_no_chart(english, client_for, inspect):
    page = client_for("quality").get(URL).content.decode()
    assert "fewer than two subgroups in this period" in page  # the plan exists, nothing measured
    inspect(QUIET[0])
    page = client_for("quality").get(URL).content.decode()
    assert "fewer than two subgroups in this period" in page and not _charts(page)


def test_without_a_measured_characteristic_the_page_says_what_to_do(english, client_for):
    page = client_for("quality").get(URL).content.decode()
    assert "No inspection plan has a measured characteristic yet" in page


# ---------------------------------------------------------------- choosing it


def test_the_characteristic_is_chosen_on_the_page_and_htmx_redraws_the_chart_only(
    english, client_for, inspect, line_with_plans
):
    w = line_with_plans
    for values in QUIET[:3]:
        inspect(values)
    length = InspectionPlanItem.objects.create(
        plan=w.in_process,
        sequence=20,
        characteristic="长度",
        kind="measured",
        nominal="100",
        lower_limit="99.5",
        upper_limit="100.5",
        unit="mm",
        frequency="first",
    )
    client = client_for("quality")
    page = client.get(URL).content.decode()
    assert f'<option value="{w.diameter.pk}" selected>' in page and f'<option value="{length.pk}">' in page
    assert 'hx-get="/quality/records/"' in page and 'name="part" value="xbar"' in page
    part = client.get(
        URL, {"part": "xbar", "characteristic": length.pk, "period": "quarter"}, HTTP_HX_REQUEST="true"
    )
    body = part.content.decode()
    assert part.status_code == 200 and body.startswith('<div id="xbar"')
    assert "Incoming inspection" not in body and "长度 (mm): fewer than two subgroups" in body
    assert part["HX-Push-Url"] == f"{URL}?characteristic={length.pk}&period=quarter"
    # The main filter carries the characteristic along.
    page = client.get(URL, {"characteristic": length.pk}).content.decode()
    assert f'<input type="hidden" name="characteristic" value="{length.pk}">' in page


def test_a_characteristic_of_another_product_than_the_filters_is_passed_over(
    client_for, inspect, line_with_plans, make
):
    for values in QUIET[:3]:
        inspect(values)
    other = make.product()
    answer = client_for("quality").get(
        API, {"product": other.pk, "characteristic": line_with_plans.diameter.pk}
    )
    assert answer.status_code == 200 and answer.json()["measured"]["characteristic"] is None


@pytest.mark.parametrize(
    "query, field",
    [
        ({"characteristic": "abc"}, "characteristic"),
        ({"characteristic": "99999"}, "characteristic"),
        ({"subgroup": "11"}, "subgroup"),
    ],
)
def test_a_bad_chart_choice_is_a_400_naming_the_field(client_for, api_for, query, field):
    assert client_for("quality").get(URL, query).status_code == 400
    assert client_for("quality").get(EXPORT, {"list": "xbar", **query}).status_code == 400
    answer = api_for("quality").get(API, query)
    assert answer.status_code == 400 and field in answer.json()


def test_a_pass_fail_item_is_not_offered(client_for, line_with_plans):
    page = client_for("quality").get(URL).content.decode()
    select = page[page.index('<select name="characteristic"') :]
    select = select[: select.index("</select>")]
    assert f'<option value="{line_with_plans.diameter.pk}"' in select
    assert f'<option value="{line_with_plans.appearance.pk}"' not in select


# ---------------------------------------------------------------- export, defects, Chinese, queries


def test_the_charts_data_is_exported_one_row_per_subgroup(english, client_for, inspect):
    for values in QUIET:
        inspect(values)
    inspect(SHIFTED)
    response = client_for("quality").get(EXPORT, {"list": "xbar"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    header = rows[0]
    assert header[:3] == ("Subgroup", "Characteristic", "Value 1") and "Value 5" in header
    assert len(rows) == len(QUIET) + 2
    assert list(rows[-1][2:7]) == [float(v) for v in SHIFTED]
    out_of_control = header.index("Out of control")
    assert "beyond a control limit" in rows[-1][out_of_control] and not rows[1][out_of_control]
    assert rows[-1][header.index("Values outside the specification")] == 1
    assert rows[1][header.index("Upper limit")] == 20.1


def test_in_process_defects_and_units_out_of_limits_make_their_pareto(english, client_for, inspect):
    burr = DefectCode.objects.create(code="D04", name="毛刺", name_en="Burr")
    inspect(QUIET[0], defects=[(burr, 2)])
    inspect(SHIFTED)
    page = client_for("quality").get(URL).content.decode()
    assert "2 of 2 lots passed (100.0 %)" in page  # Ac 2 of a sample of 80
    assert "<td>Burr</td>" in page and "<td>外径 out of limits</td>" in page
    data = client_for("quality").get(API).json()
    assert [(r["category"], r["count"]) for r in data["process_defects"]] == [
        ("Burr", 2),
        ("外径 out of limits", 1),
    ]
    assert (data["process_lots"], data["process_passed"]) == (2, 2)


def test_the_chart_reads_in_chinese(client_for, inspect):
    for values in QUIET[:3]:
        inspect(values)
    page = client_for("quality").get(URL).content.decode()  # the users' default language
    assert "计量特性的均值-极差（X̄-R）控制图" in page and "规格限" in page


def test_the_process_export_lists_the_inspections_decided(english, client_for, inspect):
    inspect(QUIET[0])
    inspect(SHIFTED)
    response = client_for("management").get(EXPORT, {"list": "process"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 3 and rows[0][1] == "Kind" and {r[-3] for r in rows[1:]} == {"Passed"}


def test_the_chart_costs_the_same_queries_for_few_inspections_and_many(client_for, api_for, inspect):
    client, api = client_for("quality"), api_for("quality")
    for values in QUIET[:3]:
        inspect(values)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    with CaptureQueriesContext(connection) as few_part:
        client.get(URL, {"part": "xbar"}, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as few_api:
        api.get(API)
    for values in QUIET[3:]:
        inspect(values)
    inspect(SHIFTED)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    with CaptureQueriesContext(connection) as many_part:
        client.get(URL, {"part": "xbar"}, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as many_api:
        api.get(API)
    assert (len(many), len(many_part), len(many_api)) == (len(few), len(few_part), len(few_api))
    assert len(few_part) < len(few)  # the redraw reads the chart only


def test_the_subgroup_choices_speak_the_readers_language(client_for, inspect, english):
    # Worded when the page is drawn: a list worded at import time stayed in the first language.
    inspect(["20.00", "20.01", "19.99"])
    page = client_for("quality").get(URL).content.decode()
    assert "5 values in a row" in page and "连续 5 个测量值" not in page
