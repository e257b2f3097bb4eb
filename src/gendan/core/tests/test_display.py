import datetime as dt

import pytest

from gendan.accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_record_page_shows_its_times_in_the_factorys_time_zone(client_admin, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    user = User.objects.get(username="quality")
    User.objects.filter(pk=user.pk).update(date_joined=dt.datetime(2026, 3, 1, 19, 4, tzinfo=dt.UTC))
    html = client_admin.get(f"/accounts/user/{user.pk}/").content.decode()
    assert "2026-03-02 03:04" in html  # 19:04 UTC is 03:04 the next morning in Shanghai
    assert "2026-03-01 19:04" not in html
