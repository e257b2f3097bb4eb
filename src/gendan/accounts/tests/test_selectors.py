"""People and departments are read through the accounts selectors: administrators only."""

import pytest

from gendan.accounts.selectors import department_list, user_list

pytestmark = pytest.mark.django_db


def test_only_administrators_read_people_and_departments(users, departments, client_for):
    assert user_list(user=users["admin"]).count() == len(users)
    assert department_list(user=users["admin"], action="change").count() == len(departments)
    for role in ("management", "merchandiser"):
        assert not user_list(user=users[role]).exists()
        assert not department_list(user=users[role]).exists()
        assert client_for(role).get("/accounts/user/").status_code == 403
        assert client_for(role).get(f"/accounts/user/{users[role].pk}/").status_code == 403
    page = client_for("admin").get("/accounts/user/?q=merchandiser").content.decode()
    assert "Merchandiser User" in page and "Production User" not in page
