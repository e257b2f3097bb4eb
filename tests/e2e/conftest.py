"""End-to-end tests: Debian's chromium, headless, driven by Playwright against pytest-django's live server.

Playwright's bundled browsers are not used (nor downloaded): the tests launch /usr/bin/chromium and
are skipped when it is not installed. Run them alone with `uv run pytest -m e2e`.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls (creating the
# users) are plain synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("GENDAN_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def compiled_catalogues():
    """Compile the .po catalogues (pure Python) and make Django reload them, as `gendan demo` does."""
    from django.core.management import call_command
    from django.test.signals import language_changed

    call_command("compile_catalogues", verbosity=0)
    # Forget catalogues loaded before they were compiled (what override_settings(LOCALE_PATHS=...) does).
    language_changed(setting="LOCALE_PATHS")


@pytest.fixture(scope="session")
def plain_http_settings():
    """The live server speaks plain HTTP: no redirect to HTTPS, no Secure-only cookies.

    Must be set up before `live_server` (SecurityMiddleware reads its settings when the server starts),
    hence `e2e_server` lists it first."""
    from django.conf import settings

    changes = {
        "SECURE_SSL_REDIRECT": False,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
    }
    saved = {name: getattr(settings, name, None) for name in changes}
    for name, value in changes.items():
        setattr(settings, name, value)
    yield
    for name, value in saved.items():
        setattr(settings, name, value)


@pytest.fixture(scope="session")
def e2e_server(plain_http_settings, compiled_catalogues, live_server):
    return live_server.url


def _fontconfig_env(folder: Path) -> dict[str, str]:
    """Let chromium find the Noto Sans CJK font the project ships (noto-cjk-sans-otc, used for PDFs),
    so screenshots show Chinese even on a machine without CJK system fonts."""
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:
        return {}
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{Path(str(FONT_PATH)).parent}</dir>\n"
        f"  <cachedir>{folder / 'fontcache'}</cachedir>\n"
        "</fontconfig>\n"
    )
    return {"FONTCONFIG_FILE": str(conf)}


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip(f"end-to-end tests need Debian's chromium at {CHROMIUM}, which is not installed")
    from playwright.sync_api import sync_playwright

    env = {**os.environ, **_fontconfig_env(tmp_path_factory.mktemp("fonts"))}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, env=env
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """A factory of pages, each in its own browser context (own cookies), closed after the test."""
    contexts = []

    def make(**context_options):
        context = browser.new_context(**context_options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def people(db):
    """The demo departments and one account per role (password "demo")."""
    from gendan.accounts.demo import build_people

    return build_people().provides["users"]


@pytest.fixture
def login(e2e_server):
    """Log in through the login page, as a person would; returns when the next page has loaded."""

    def do(page, username: str, password: str = "demo") -> None:
        page.goto(f"{e2e_server}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("form button.primary")

    return do
