"""Brute force (issue 14, item 1): wrong passwords are counted per user name and per address, on
the login page and on the API token endpoint alike; past the limit even the right password is
refused for the cool-off time, with a message that says so and when to retry."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gendan.core.models import AuditEntry
from gendan.testing import TEST_PASSWORD as PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
LIMIT = settings.GENDAN_LOGIN_FAILURES
ADDRESS_LIMIT = settings.GENDAN_LOGIN_ADDRESS_FAILURES


def _page_login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _api_login(username, password, address="10.0.0.1"):
    return APIClient().post(
        "/api/token/", {"username": username, "password": password}, REMOTE_ADDR=address, format="json"
    )


def test_the_limit_is_a_setting_of_a_few_failures():
    assert 3 <= LIMIT <= 10 and dt.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME


def test_after_the_limit_the_right_password_is_refused_with_a_message_saying_when_to_retry(users):
    client = Client(headers={"accept-language": "en"})
    for _ in range(LIMIT - 1):
        assert _page_login(client, "quality", "wrong").status_code == 200
    assert _page_login(client, "quality", "wrong").status_code == 429  # the last one allowed
    response = _page_login(client, "quality", PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "this account is locked after 5 failed logins" in html
    assert "Try again after" in html and "(in 15 minutes)" in html
    assert "_auth_user_id" not in client.session
    # In Chinese too.
    response = _page_login(Client(), "quality", PASSWORD, address="10.0.0.9")
    assert response.status_code == 429 and "已锁定" in response.content.decode()


def test_one_person_mistyping_on_the_workshop_address_does_not_lock_out_his_colleagues(users):
    # A workshop's PCs often reach Gendan through one address (NAT, a proxy): the address gets
    # more tries than a name, so only the mistyped account is locked.
    assert ADDRESS_LIMIT >= 4 * LIMIT
    for _ in range(LIMIT):
        _page_login(Client(), "warehouse", "wrong", address="10.0.0.6")
    assert _page_login(Client(), "warehouse", PASSWORD, address="10.0.0.6").status_code == 429
    assert _page_login(Client(), "logistics", PASSWORD, address="10.0.0.6").status_code == 302
    assert _page_login(Client(), "admin", PASSWORD, address="10.0.0.6").status_code == 302


def test_an_address_trying_many_names_is_locked_out_for_every_name(users):
    client = Client(headers={"accept-language": "en"})
    for i in range(ADDRESS_LIMIT):
        _page_login(client, f"guess{i % 7}", "wrong", address="10.0.0.7")
    response = _page_login(client, "management", PASSWORD, address="10.0.0.7")
    assert response.status_code == 429
    assert "from this address" in response.content.decode()
    # Another address is not affected.
    assert _page_login(Client(), "management", PASSWORD, address="10.0.0.8").status_code == 302


def test_the_api_token_endpoint_is_protected_the_same_way(users):
    for _ in range(25):
        response = _api_login("admin", "wrong")
        assert response.status_code in (400, 429)
    response = _api_login("admin", PASSWORD)
    assert response.status_code == 429
    assert "locked" in response.json()["detail"] or "锁定" in response.json()["detail"]
    assert not Token.objects.filter(user=users["admin"]).exists()
    # The page shares the count: the account is locked there too.
    assert _page_login(Client(), "admin", PASSWORD, address="10.0.0.2").status_code == 429


def test_the_lock_ends_after_the_cool_off_or_when_an_administrator_unlocks(users):
    for _ in range(LIMIT):
        _page_login(Client(), "purchasing", "wrong")
    assert _page_login(Client(), "purchasing", PASSWORD).status_code == 429
    call_command("axes_reset_username", "purchasing")
    call_command("axes_reset_ip", "10.0.0.1")
    assert _page_login(Client(), "purchasing", PASSWORD).status_code == 302

    for _ in range(LIMIT):
        _page_login(Client(), "purchasing", "wrong")
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert _page_login(Client(), "purchasing", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(users):
    for _ in range(LIMIT - 1):
        _page_login(Client(), "logistics", "wrong")
    assert _page_login(Client(), "logistics", PASSWORD).status_code == 302
    for _ in range(LIMIT - 1):
        _page_login(Client(), "logistics", "wrong")
    assert _page_login(Client(), "logistics", PASSWORD).status_code == 302


def test_logging_in_as_oneself_does_not_wipe_the_count_of_a_colleagues_wrong_passwords(users):
    # From one desk: guesses at the manager's password, each followed by a login as oneself.
    for _ in range(LIMIT):
        _page_login(Client(), "management", "wrong", address="10.0.0.5")
        assert _page_login(Client(), "quality", PASSWORD, address="10.0.0.5").status_code == 302
    assert _page_login(Client(), "management", PASSWORD, address="10.0.0.5").status_code == 429


def test_failed_and_successful_logins_are_audited_with_the_address(users):
    _page_login(Client(), "quality", "wrong", address="10.1.1.1")
    _page_login(Client(), "ghost", "wrong", address="10.1.1.2")
    _page_login(Client(), "quality", PASSWORD, address="10.1.1.3")
    _api_login("quality", "wrong", address="10.1.1.4")
    _api_login("quality", PASSWORD, address="10.1.1.5")
    entries = AuditEntry.objects.filter(action__startswith="login").order_by("id")
    seen = [(e.action, e.actor_name, e.source, e.note_en or e.note) for e in entries]
    assert seen == [
        ("login_failed", "quality", "web", "From 10.1.1.1"),
        ("login_failed", "ghost", "web", "From 10.1.1.2"),
        ("login", "quality", "web", "From 10.1.1.3"),
        ("login_failed", "quality", "api", "From 10.1.1.4"),
        ("login", "quality", "api", "From 10.1.1.5"),
    ]
    assert entries[2].actor == users["quality"] and entries[0].actor is None
    assert entries[0].object_id == str(users["quality"].pk) and entries[1].object_id == ""
    assert entries[0].note == "来自 10.1.1.1"


def test_behind_a_proxy_the_forwarded_address_counts(users, settings):
    settings.GENDAN_PROXY_COUNT = 1
    Client().post(
        LOGIN,
        {"username": "quality", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",
    )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


def test_an_administrator_unlocks_a_user_on_his_page(users, client_admin, client_merchandiser):
    for _ in range(LIMIT):
        _page_login(Client(), "quality", "wrong", address=f"10.3.3.{_}")
    assert _page_login(Client(), "quality", PASSWORD, address="10.3.3.99").status_code == 429
    detail = f"/accounts/user/{users['quality'].pk}/"
    assert f"{detail}unlock_login/" in client_admin.get(detail).content.decode()
    assert client_merchandiser.post(f"{detail}unlock_login/").status_code in (403, 404)
    client_admin.post(f"{detail}unlock_login/")
    assert _page_login(Client(), "quality", PASSWORD, address="10.3.3.99").status_code == 302
    assert f"{detail}unlock_login/" not in client_admin.get(detail).content.decode()
    entry = AuditEntry.objects.get(action="login_unlocked")
    assert entry.actor == users["admin"] and entry.object_id == str(users["quality"].pk)


def test_the_audit_pages_show_login_entries(users, client_admin):
    _page_login(Client(), "ghost", "wrong", address="10.4.4.4")
    _page_login(Client(), "quality", PASSWORD, address="10.4.4.5")
    page = client_admin.get("/audit/", headers={"accept-language": "en"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "ghost" in html and "10.4.4.4" in html
    history = client_admin.get(f"/accounts/user/{users['quality'].pk}/history/")
    assert history.status_code == 200 and "10.4.4.5" in history.content.decode()
