"""R-0.8: the administrator manages users and departments; a deactivated person can no longer log in."""

import pytest
from django.test import Client

from gendan.accounts.models import Department, User
from gendan.core.models import AuditEntry
from gendan.testing import TEST_PASSWORD as PASSWORD

pytestmark = pytest.mark.django_db


def can_log_in(username, password):
    return Client().login(username=username, password=password)


def test_admin_creates_a_user_on_the_page(client_admin, departments):
    response = client_admin.post(
        "/accounts/user/new/",
        {
            "username": "lihua",
            "display_name": "李华",
            "department": departments["quality"].pk,
            "role": "quality",
            "language": "zh-hans",
            "password": "Quality-Check-77",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="lihua")
    assert (user.role, user.department, user.display_name) == ("quality", departments["quality"], "李华")
    assert user.check_password("Quality-Check-77")
    assert can_log_in("lihua", "Quality-Check-77")
    entry = AuditEntry.objects.get(object_id=str(user.pk), action="create")
    assert "password" not in entry.changes
    assert "Quality-Check-77" not in str(entry.changes)
    # The detail page never shows the password hash.
    html = client_admin.get(f"/accounts/user/{user.pk}/").content.decode()
    assert user.password not in html and "md5$" not in html


def test_page_refuses_a_weak_password(client_admin):
    response = client_admin.post(
        "/accounts/user/new/", {"username": "weak", "role": "quality", "language": "en", "password": "123"}
    )
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(username="weak").exists()


def test_edit_without_password_keeps_it_and_with_password_resets_it(client_admin, users):
    user = users["logistics"]
    data = {"username": "logistics", "display_name": "物流", "role": "logistics", "language": "zh-hans"}
    assert client_admin.post(f"/accounts/user/{user.pk}/edit/", data).status_code == 302
    assert can_log_in("logistics", PASSWORD)
    assert (
        client_admin.post(f"/accounts/user/{user.pk}/edit/", data | {"password": "New-Pass-2026"}).status_code
        == 302
    )
    assert can_log_in("logistics", "New-Pass-2026") and not can_log_in("logistics", PASSWORD)
    assert AuditEntry.objects.filter(object_id=str(user.pk), action="password_reset").exists()


def test_admin_creates_a_user_through_the_api_and_the_password_is_write_only(api_admin, departments):
    response = api_admin.post(
        "/api/users/",
        {
            "username": "wang",
            "display_name": "王工",
            "role": "production",
            "department": departments["production"].pk,
            "password": "Lathe-Turning-99",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert "password" not in body
    assert body["is_active"] is True
    assert can_log_in("wang", "Lathe-Turning-99")
    for url in (f"/api/users/{body['id']}/", "/api/users/"):
        text = api_admin.get(url).content.decode()
        assert "password" not in text and "Lathe-Turning-99" not in text
    history = api_admin.get(f"/api/users/{body['id']}/history/").content.decode()
    assert "Lathe-Turning-99" not in history and "md5$" not in history


def test_api_refuses_a_weak_password(api_admin):
    response = api_admin.post(
        "/api/users/", {"username": "weak", "role": "quality", "password": "123"}, format="json"
    )
    assert response.status_code == 400
    assert "password" in response.json()
    assert not User.objects.filter(username="weak").exists()


def test_non_admin_cannot_create_users(api_for, client_for):
    response = api_for("management").post(
        "/api/users/", {"username": "x", "role": "admin", "password": "Whatever-123"}, format="json"
    )
    assert response.status_code == 403
    response = client_for("management").post(
        "/accounts/user/new/",
        {"username": "x", "role": "admin", "language": "en", "password": "Whatever-123"},
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="x").exists()


def test_deactivated_user_cannot_log_in_and_loses_their_session(client_admin, client_for, users):
    victim = users["warehouse"]
    session = client_for("warehouse")
    assert session.get("/").status_code == 200
    response = client_admin.post(f"/accounts/user/{victim.pk}/archive/")
    assert response.status_code == 302
    victim.refresh_from_db()
    assert victim.is_active is False
    assert not can_log_in("warehouse", PASSWORD)
    response = session.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    entry = AuditEntry.objects.get(object_id=str(victim.pk), action="archive")
    assert entry.changes == {"is_active": [True, False]}
    # The default user list shows active people; the archive filter shows the deactivated one.
    names = [u.username for u, _v in client_admin.get("/accounts/user/?archived=archived").context["rows"]]
    assert names == ["warehouse"]
    # Restored, they can log in again.
    client_admin.post(f"/accounts/user/{victim.pk}/restore/")
    assert can_log_in("warehouse", PASSWORD)


def test_deactivate_through_the_api_and_twice_is_a_conflict(api_admin, users):
    victim = users["purchasing"]
    response = api_admin.post(f"/api/users/{victim.pk}/archive/")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert not can_log_in("purchasing", PASSWORD)
    assert api_admin.post(f"/api/users/{victim.pk}/archive/").status_code == 409
    assert AuditEntry.objects.filter(object_id=str(victim.pk), action="archive").count() == 1


def test_login_page_logs_in_and_applies_the_users_language(users):
    users["quality"].language = "en"
    users["quality"].save()
    client = Client()
    response = client.post("/accounts/login/", {"username": "quality", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert '<html lang="en">' in client.get("/").content.decode()
    response = Client().post("/accounts/login/", {"username": "quality", "password": "nope"})
    assert response.status_code == 200 and "msg-error" in response.content.decode()


def test_admin_manages_departments(client_admin, users):
    response = client_admin.post(
        "/accounts/department/new/",
        {
            "code": "PKG",
            "name": "包装部",
            "kind": "production",
            "ack_timeout_hours": 24,
            "change_approval": "manager",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    department = Department.objects.get(code="PKG")
    response = client_admin.post(f"/accounts/department/{department.pk}/archive/")
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.is_archived
    assert AuditEntry.objects.filter(object_id=str(department.pk), action="archive").exists()
    client_admin.post(f"/accounts/department/{department.pk}/restore/")
    department.refresh_from_db()
    assert not department.is_archived


def test_admin_cannot_deactivate_their_own_account(client_admin, api_admin, users):
    admin = users["admin"]
    response = client_admin.post(f"/accounts/user/{admin.pk}/archive/", follow=True)
    assert "msg-error" in response.content.decode()
    assert api_admin.post(f"/api/users/{admin.pk}/archive/").status_code == 400
    admin.refresh_from_db()
    assert admin.is_active
    assert can_log_in("admin", PASSWORD)
