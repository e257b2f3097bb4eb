"""Every page has Gendan's icon in the browser tab, and /favicon.ico (which browsers ask for on
their own) answers with it instead of a 404."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_with_the_icon(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0] == "/static/gendan/favicon.ico"
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO file


@pytest.mark.parametrize("page", ["/accounts/login/", "/"])
def test_pages_link_to_the_icon_and_the_icon_loads(client_merchandiser, client, page):
    who = client if page == "/accounts/login/" else client_merchandiser
    html = who.get(page).content.decode()
    links = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', html)
    assert any(link.endswith(".svg") for link in links) and any(link.endswith(".ico") for link in links)
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, link
        assert response["Content-Type"].startswith("image/"), (link, response["Content-Type"])
