"""Sessions on shared shop-floor devices (issue 14, item 6): a shift long, ended by closing the
browser; both from the environment."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from gendan.testing import TEST_PASSWORD as PASSWORD

pytestmark = pytest.mark.django_db


def test_a_login_lasts_twelve_hours_and_ends_with_the_browser(users):
    client = Client()
    response = client.post("/accounts/login/", {"username": "merchandiser", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    # No expiry on the cookie: the browser forgets it when it closes.
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    session = Session.objects.get(session_key=cookie.value)
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(hours=11, minutes=59) < remaining <= dt.timedelta(hours=12)


def _setting(name: str, **env: str) -> str:
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "gendan.settings"} | env
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True)
    return result.stdout.strip()


def test_the_deployment_sets_the_length_and_whether_closing_the_browser_ends_it():
    assert _setting("SESSION_COOKIE_AGE", GENDAN_SESSION_HOURS="8") == str(8 * 3600)
    assert _setting("SESSION_EXPIRE_AT_BROWSER_CLOSE", GENDAN_SESSION_EXPIRE_AT_BROWSER_CLOSE="0") == "False"
