"""Every role logs in with a real browser and sees the home page in Chinese (the default language).

The Chinese strings asserted exactly are the translations of:
  "Needs your attention" -> "需要您处理"   (home page heading)
  "Master data"          -> "主数据"       (menu group every role sees)
Other texts (page title, role name, "Log out") are only required to be written in Chinese characters.
"""

import re

import pytest

from gendan.accounts.choices import Role
from gendan.accounts.demo import DEMO_USERS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
ATTENTION_ZH = "需要您处理"
MASTER_DATA_ZH = "主数据"

# The first demo account of each role (admin, merchandiser, planner, purchaser, ...).
USER_OF_ROLE = {}
for _username, _display, _role, _dept, _manages in DEMO_USERS:
    USER_OF_ROLE.setdefault(_role, _username)
assert set(USER_OF_ROLE) == set(Role), "the demo has an account for every role"

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def assert_no_horizontal_scroll(page, where: str) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{where}: the page scrolls sideways ({widths[0]} > {widths[1]} px)"


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_each_role_logs_in_and_sees_home_in_chinese(role, people, new_page, login, e2e_server):
    user = people[USER_OF_ROLE[role]]
    assert user.role == role and user.language == "zh-hans"
    page = new_page(locale="en-US")  # the browser asks for English: the user's own language wins

    login(page, user.username)

    assert page.url == f"{e2e_server}/", f"{role}: landed on {page.url}, not on the home page"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".cardhead h2").first.inner_text().strip() == ATTENTION_ZH
    assert MASTER_DATA_ZH in page.locator("#mainnav .navhead").all_inner_texts()
    assert CJK.search(page.title()), f"{role}: page title {page.title()!r} is not in Chinese"
    who = page.locator(".userbox .who").inner_text()
    role_name = who.rsplit("·", 1)[-1].strip()
    assert CJK.search(role_name) and not LATIN.search(role_name), f"{role}: role shown as {role_name!r}"
    logout = page.locator(".userbox form[action$='/logout/'] button").inner_text()
    assert CJK.search(logout) and not LATIN.search(logout), f"{role}: log-out button says {logout!r}"
    # The language switch offers the other language, by its own name.
    assert page.locator("button[name=language]").inner_text().strip() == "English"


def test_language_switch_round_trip(people, new_page, login, e2e_server):
    admin = people["admin"]
    page = new_page()
    login(page, admin.username)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".cardhead h2").first.inner_text().strip() == ATTENTION_ZH

    with page.expect_navigation():
        page.click("button[name=language][value=en]")
    assert page.url == f"{e2e_server}/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".cardhead h2").first.inner_text().strip() == "Needs your attention"
    assert "Master data" in page.locator("#mainnav .navhead").all_inner_texts()
    page.screenshot(path="/tmp/e2e-home-desktop-en.png", full_page=True)

    # The choice is kept on the user: it survives a reload and a new session.
    page.reload()
    assert page.locator("html").get_attribute("lang") == "en"
    admin.refresh_from_db()
    assert admin.language == "en"

    with page.expect_navigation():
        page.click("button[name=language][value=zh-hans]")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".cardhead h2").first.inner_text().strip() == ATTENTION_ZH
    admin.refresh_from_db()
    assert admin.language == "zh-hans"


def test_planner_on_a_phone_opens_the_menu_and_a_list(people, new_page, login, e2e_server):
    from gendan.core.audit import audit_source
    from gendan.masterdata.demo import build_masterdata

    with audit_source("command"):
        build_masterdata(users=people)
    planner = people["planner"]
    page = new_page(**PHONE)
    login(page, planner.username)

    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator(".cardhead h2").first.inner_text().strip() == ATTENTION_ZH
    menu = page.locator("#mainnav")
    toggle = page.locator("button.navtoggle")
    assert toggle.is_visible(), "the ☰ button shows on a phone"
    assert not menu.is_visible(), "the menu is folded away on a phone until ☰ is pressed"
    assert_no_horizontal_scroll(page, "home page")
    page.screenshot(path="/tmp/e2e-home-phone.png", full_page=True)

    toggle.click()
    assert menu.is_visible()
    assert page.get_by_text(MASTER_DATA_ZH, exact=True).is_visible()
    page.screenshot(path="/tmp/e2e-menu-phone.png", full_page=True)

    materials = menu.locator("a[href='/masterdata/material/']")
    assert materials.is_visible()
    with page.expect_navigation():
        materials.click()
    assert page.url == f"{e2e_server}/masterdata/material/"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert CJK.search(page.locator("h1").inner_text())
    assert page.locator("table.grid tbody tr").count() > 0
    assert not menu.is_visible(), "the menu is folded again on the next page"
    assert_no_horizontal_scroll(page, "materials list")
    page.screenshot(path="/tmp/e2e-list-phone.png", full_page=True)


def test_desktop_screenshots(people, new_page, login, e2e_server):
    from gendan.core.audit import audit_source
    from gendan.masterdata.demo import build_masterdata

    with audit_source("command"):
        build_masterdata(users=people)
    page = new_page(viewport={"width": 1366, "height": 800})
    login(page, "planner")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert not page.locator("button.navtoggle").is_visible()
    assert_no_horizontal_scroll(page, "home page")
    page.screenshot(path="/tmp/e2e-home-desktop.png", full_page=True)
    page.goto(f"{e2e_server}/masterdata/material/")
    assert page.locator("table.grid tbody tr").count() > 0
    assert_no_horizontal_scroll(page, "materials list")
    page.screenshot(path="/tmp/e2e-list-desktop.png", full_page=True)
