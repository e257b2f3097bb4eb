"""The quality records' X̄-R chart in a real browser, in Chinese: an inspector opens the page and
reads the chart of the diameter his colleagues measured (the shifted lot red, the part out of
tolerance marked); he groups the values two by two and only the chart is redrawn (htmx), the
address keeping his choice."""

import pytest

from gendan.quality import services_process as svc
from gendan.quality.tests.process_rows import planned_with_plans
from gendan.testing import TEST_PASSWORD as PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VALUES = [
    ["20.01", "19.99", "20.00", "20.02", "19.98"],
    ["20.00", "20.01", "19.99", "20.00", "20.01"],
    ["19.99", "20.00", "20.02", "20.01", "19.99"],
    ["20.01", "20.00", "19.98", "20.00", "20.02"],
    ["20.00", "19.99", "20.01", "20.02", "20.00"],
    ["20.02", "20.00", "19.99", "20.01", "19.99"],
    ["20.08", "20.09", "20.11", "20.08", "20.09"],  # the tool wore: one part over 20.1
]


def test_the_inspector_reads_the_chart_and_regroups_it_in_place(make, users, new_page, login, e2e_server):
    w = planned_with_plans(make, users)
    inspector = users["quality"]
    for values in VALUES:
        task = svc.process_inspection_create(
            actor=inspector,
            kind="in_process",
            order_line_id=w.line.pk,
            operation_id=w.ops[0].pk,
            lot_quantity=1000,
        )
        svc.process_inspection_start(actor=inspector, inspection_id=task.pk)
        for unit, value in enumerate(values, start=1):
            svc.process_measurement_record(
                actor=inspector, inspection_id=task.pk, item_id=w.diameter.pk, unit_no=unit, value=value
            )
        svc.process_inspection_complete(actor=inspector, inspection_id=task.pk)

    page = new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    login(page, "quality", PASSWORD)
    page.goto(f"{e2e_server}/quality/records/")
    card = page.locator("#xbar")
    assert "计量特性的均值-极差（X̄-R）控制图" in card.inner_text()
    xbar = card.locator("svg.quality-chart.control").first
    assert xbar.locator("circle.point").count() == len(VALUES)
    assert xbar.locator("circle.point.signal").count() >= 1
    assert xbar.locator("circle.value.off-spec").count() == 1
    assert xbar.locator("line.usl").count() == 1 and xbar.locator("polyline.ucl").count() == 1

    page.evaluate("window.__kept = true")  # gone if the whole page were loaded again
    page.select_option("#xbar select[name=subgroup]", "2")
    page.wait_for_function(
        "() => document.querySelectorAll('#xbar svg.quality-chart.control')[0]"
        f".querySelectorAll('circle.point').length === {len(VALUES) * 5 // 2}"
    )
    assert page.evaluate("window.__kept") is True
    assert "subgroup=2" in page.url and "part=" not in page.url
    assert "每组连续 2 个测量值" in card.inner_text()
