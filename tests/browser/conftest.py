"""The browser layer: Playwright's sync API driving Debian's Chromium against a live server.

Never `playwright install`: the browser is the system's /usr/bin/chromium (env CHROMIUM).
Every test under tests/browser is marked `browser`, so `pytest -m browser` selects them and
`-m "not integration and not browser"` leaves them out. Tests get the live server and a
transactional database (the server thread must see the rows the test writes).
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(
        CHROMIUM
    ):
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from
    # a thread with a running loop unless told this is deliberate. Only while browsers run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _sessions_outlast_the_walk(settings):
    """The walks travel days at a time on the server's clock (time_machine) while the browser
    keeps the real one: a session cookie of 12 hours from a travelled 'now' is already expired
    for the browser, and a 30-minute idle limit ends every walk at its first jump. Timeouts have
    their own tests (tests/hardening/test_session_timeouts.py); here they are out of the way."""
    settings.SESSION_ABSOLUTE_TIMEOUT = 365 * 24 * 3600
    settings.SESSION_IDLE_TIMEOUT = 365 * 24 * 3600
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600


@pytest.fixture
def new_page(browser, live_server):
    """new_page() -> a page in a fresh browser context (its own cookies: one per person).

    Relative URLs in page.goto() resolve against the live server.
    """
    contexts = []

    def _new_page(locale="en-US"):
        context = browser.new_context(base_url=live_server.url, locale=locale)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def sign_in(page, email, password):
    """Signs in through allauth's login form; stops at the next page (dashboard or MFA)."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    submit(page, "form:has(input[name=password])")


def submit(page, form_selector):
    """Clicks the form's submit button and waits for the page it leads to."""
    with page.expect_navigation():
        page.locator(f"{form_selector} [type=submit]").first.click()


@pytest.fixture(name="sign_in")
def sign_in_fixture():
    return sign_in
