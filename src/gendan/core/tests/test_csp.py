"""Content-Security-Policy (issue 14, item 6): every page says scripts and styles come only from
our own files, and no template carries inline script, style or event handlers that it would break."""

import re
from pathlib import Path

import pytest
from django.test import Client

import gendan

pytestmark = pytest.mark.django_db

INLINE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "<style> block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on attribute (evaluated script)": re.compile(r"\shx-on", re.I),
}


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def _assert_strict(response):
    policy = _directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_the_login_page_has_the_policy():
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    _assert_strict(response)


@pytest.mark.parametrize(
    "url", ["/", "/orders/order/", "/orders/order/new/", "/masterdata/customer/", "/notifications/"]
)
def test_the_main_pages_have_the_policy(client_merchandiser, url):
    response = client_merchandiser.get(url)
    assert response.status_code == 200, url
    _assert_strict(response)


def test_the_api_docs_work_under_the_policy_and_only_they_allow_inline_styles(client_admin):
    page = client_admin.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not INLINE["inline <script>"].search(html)  # its start-up script is a file
    policy = _directives(page)
    assert policy["script-src"] == ["'self'"] and "'unsafe-inline'" in policy["style-src"]
    script = client_admin.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


def _templates():
    root = Path(gendan.__file__).parent
    return sorted(p for p in root.rglob("templates/**/*.html"))


def test_no_template_has_inline_script_style_or_event_handlers():
    templates = _templates()
    assert len(templates) > 20
    found = [
        f"{path.relative_to(Path(gendan.__file__).parent)}:{text.count(chr(10), 0, m.start()) + 1}: {what}"
        for path in templates
        for text in [path.read_text(encoding="utf-8")]
        for what, pattern in INLINE.items()
        for m in pattern.finditer(text)
    ]
    assert found == [], "the Content-Security-Policy would block these:\n" + "\n".join(found)
