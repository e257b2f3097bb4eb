"""The Content-Security-Policy breaks nothing: the main pages, the order form's "add line" and the
API docs work in a real browser, and the console shows no CSP violation."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/orders/order/",
    "/orders/order/new/",
    "/masterdata/customer/",
    "/notifications/",
    "/accounts/me/",
]


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def _csp(problems: list[str]) -> list[str]:
    return [p for p in problems if "Content Security Policy" in p or "Content-Security-Policy" in p]


def test_main_pages_show_no_csp_violation(people, new_page, login, e2e_server):
    page = new_page()
    problems = _watch(page)
    login(page, "merchandiser")
    for path in PAGES:
        page.goto(f"{e2e_server}{path}")
        page.wait_for_load_state("networkidle")
        assert page.locator("main.page").count() == 1, path
    assert _csp(problems) == []

    # The order form's "add line" (moved from an inline script into app.js) still adds a row.
    page.goto(f"{e2e_server}/orders/order/new/")
    rows = page.locator("#line-rows tr").count()
    page.click("[data-add-line]")
    assert page.locator("#line-rows tr").count() == rows + 1
    assert _csp(problems) == []


def test_the_api_docs_render_under_the_policy(people, new_page, login, e2e_server):
    page = new_page()
    problems = _watch(page)
    login(page, "admin")
    page.goto(f"{e2e_server}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Gendan API" in page.locator(".swagger-ui .info .title").inner_text()
    assert _csp(problems) == []
