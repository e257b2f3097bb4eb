"""API tokens expire and can be revoked, by their user and by an administrator (issue 14, item 1)."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gendan.core.models import AuditEntry
from gendan.testing import TEST_PASSWORD as PASSWORD

pytestmark = pytest.mark.django_db


def _with_token(key: str) -> APIClient:
    client = APIClient(headers={"accept-language": "en"})
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _issue(username: str) -> dict:
    response = APIClient().post("/api/token/", {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    return response.json()


def test_a_token_says_when_it_expires_and_is_refused_after_that_with_a_clear_401(users):
    issued = _issue("quality")
    expires = dt.datetime.fromisoformat(issued["expires"])
    days = settings.GENDAN_API_TOKEN_DAYS
    assert dt.timedelta(days=days, minutes=-1) < expires - timezone.now() <= dt.timedelta(days=days)
    assert _with_token(issued["token"]).get("/api/orders/").status_code == 200

    Token.objects.filter(key=issued["token"]).update(created=timezone.now() - dt.timedelta(days=days + 1))
    response = _with_token(issued["token"]).get("/api/orders/")
    assert response.status_code == 401
    assert "The API token expired on" in response.json()["detail"]

    # Asking again gives a new token that works.
    renewed = _issue("quality")
    assert renewed["token"] != issued["token"]
    assert _with_token(renewed["token"]).get("/api/orders/").status_code == 200


def test_a_user_revokes_his_own_token_through_the_api(users):
    key = _issue("production")["token"]
    client = _with_token(key)
    assert client.delete("/api/token/", REMOTE_ADDR="10.2.2.2").status_code == 204
    assert client.get("/api/orders/").status_code == 401
    assert not Token.objects.filter(user=users["production"]).exists()
    entry = AuditEntry.objects.get(action="token_revoked")
    assert entry.actor == users["production"] and entry.note_en == "From 10.2.2.2"
    assert entry.object_id == str(users["production"].pk)
    # Nothing left to revoke.
    assert APIClient().delete("/api/token/").status_code in (401, 403)


def test_a_user_revokes_his_own_token_on_his_account_page(users, client_production):
    key = _issue("production")["token"]
    page = client_production.get("/accounts/me/")
    assert page.status_code == 200 and "/accounts/me/token/revoke/" in page.content.decode()
    assert "我的账号" in page.content.decode() and "撤销我的 API 令牌" in page.content.decode()
    response = client_production.post("/accounts/me/token/revoke/", follow=True)
    assert response.redirect_chain == [("/accounts/me/", 302)]
    assert _with_token(key).get("/api/orders/").status_code == 401
    assert AuditEntry.objects.filter(action="token_revoked", actor=users["production"]).count() == 1


def test_an_administrator_revokes_anyones_token_on_the_page_and_in_the_api(users, client_admin, api_admin):
    key = _issue("warehouse")["token"]
    detail = client_admin.get(f"/accounts/user/{users['warehouse'].pk}/").content.decode()
    assert f"/accounts/user/{users['warehouse'].pk}/revoke_token/" in detail
    client_admin.post(f"/accounts/user/{users['warehouse'].pk}/revoke_token/")
    assert _with_token(key).get("/api/orders/").status_code == 401

    key = _issue("warehouse")["token"]
    response = api_admin.post(f"/api/users/{users['warehouse'].pk}/revoke-token/")
    assert response.status_code == 204
    assert _with_token(key).get("/api/orders/").status_code == 401
    assert api_admin.post(f"/api/users/{users['warehouse'].pk}/revoke-token/").status_code == 404
    assert AuditEntry.objects.filter(action="token_revoked", actor=users["admin"]).count() == 2


def test_nobody_else_revokes_someone_elses_token(users, api_merchandiser, client_merchandiser):
    key = _issue("warehouse")["token"]
    assert api_merchandiser.post(f"/api/users/{users['warehouse'].pk}/revoke-token/").status_code in (
        403,
        404,
    )
    response = client_merchandiser.post(f"/accounts/user/{users['warehouse'].pk}/revoke_token/")
    assert response.status_code in (403, 404)
    assert _with_token(key).get("/api/orders/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_first_logins_at_once_get_the_same_token(make):
    from gendan.accounts import services
    from gendan.testing import race

    user = make.user(role="quality")
    results = race(2, lambda i: services.token_issue(user=user).key)
    assert results[0] == results[1] and isinstance(results[0], str)


def test_without_credentials_the_api_answers_401_and_names_the_token_scheme(db):
    response = APIClient().get("/api/orders/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
