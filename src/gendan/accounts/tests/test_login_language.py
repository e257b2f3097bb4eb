"""The login page speaks the browser's language and has a switch (中文 / English) that works before
logging in; once logged in, each person's own language applies, as everywhere else."""

import re

import pytest
from django.test import Client

from gendan.testing import TEST_PASSWORD as PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


def english_browser() -> Client:
    return Client(headers={"accept-language": "en-US,en;q=0.9"})


def test_the_login_page_follows_the_browser_and_offers_both_languages():
    assert page_language(Client(headers={"accept-language": "zh-CN"}).get(LOGIN)) == "zh-hans"
    response = english_browser().get(LOGIN)
    assert page_language(response) == "en"
    html = response.content.decode()
    switch = re.search(r'<form method="post" action="/i18n/setlang/".*?</form>', html, re.S).group(0)
    assert re.search(r'<button name="language" value="zh-hans"[^>]*>中文</button>', switch)
    assert re.search(
        r'<button name="language" value="en"[^>]*aria-current="true"[^>]*>English</button>', switch
    )


def test_choosing_a_language_before_logging_in_keeps_the_page_and_where_it_leads():
    browser = english_browser()
    target = f"{LOGIN}?next=/orders/order/"
    response = browser.post("/i18n/setlang/", {"language": "zh-hans", "next": target})
    assert response.status_code == 302 and response["Location"] == target
    page = browser.get(target)
    assert page_language(page) == "zh-hans"
    assert '<input type="hidden" name="next" value="/orders/order/">' in page.content.decode()
    browser.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert page_language(browser.get(LOGIN)) == "en"


def test_after_logging_in_the_persons_own_language_applies(users):
    person = users["quality"]
    assert person.language == "zh-hans"
    browser = english_browser()
    browser.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    response = browser.post(LOGIN, {"username": "quality", "password": PASSWORD})
    assert response.status_code == 302
    assert page_language(browser.get("/")) == "zh-hans"
    person.refresh_from_db()
    assert person.language == "zh-hans"


def test_the_language_chosen_in_the_top_bar_stays_on_the_login_page_after_logging_out(users):
    browser = Client(headers={"accept-language": "zh-CN"})
    browser.post(LOGIN, {"username": "quality", "password": PASSWORD})
    browser.post("/accounts/language/", {"language": "en", "next": "/"})
    assert page_language(browser.get("/")) == "en"
    browser.post("/accounts/logout/")
    assert page_language(browser.get(LOGIN)) == "en"
