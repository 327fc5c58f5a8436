"""The extended translation check (#14): every page each demo person reaches, rendered in
Indonesian, and every reminder email, show no English string of the catalogue.

The catalogue check (scripts/check_translations.py) sees strings marked in the code; this one
sees what reaches the reader, including labels built at run time (a model's name in the
access log, a choice's code, a calendar's name). A page is reached by following the links of
the person's pages from their practice home (GET only, at most PER_NAME pages per URL name,
downloads and sign-out left out)."""

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.urls import Resolver404, resolve

from coaching.accounts.management.commands.demo import PEOPLE
from coaching.accounts.models import Practice, User
from coaching.notifications import registry
from coaching.notifications.models import Reminder
from tests.i18n.english import english_leaks

pytestmark = pytest.mark.django_db

PER_NAME = 1  # a page per URL name and person: each template seen, not every row
SKIP_NAMES = {
    "account_logout",
    "calendar_feed",
    "set_language",
    "data_export_json",
    "icf_hours_export",
    "session_calendar_file",
    "program_certificate_pdf",
}
SKIP_SUFFIXES = (".ics", ".csv", ".json", ".pdf", ".png", ".svg", ".ico")
HREF = re.compile(r'href="(/[^"]*)"')


@pytest.fixture
def demo_in_indonesian(settings):
    with time_machine.travel("2026-11-23 05:00:00+00:00", tick=False):
        call_command("demo", verbosity=0)
    User.objects.update(language="id")
    # Staff pages must not stop at the MFA set-up page.
    Practice.objects.update(require_mfa_for_staff=False)
    return Practice.objects.get(slug="cahaya")


def _walk(browser, start):
    """{url: leaks} for the pages reached from start."""
    seen, per_name, found = set(), Counter(), {}
    queue = deque([start])
    while queue:
        url = urldefrag(queue.popleft())[0]
        if url in seen or url.endswith(SKIP_SUFFIXES):
            continue
        seen.add(url)
        try:
            name = resolve(urlsplit(url).path).url_name
        except Resolver404:
            continue
        if name in SKIP_NAMES or per_name[name] >= PER_NAME:
            continue
        per_name[name] += 1
        response = browser.get(url, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        found[url] = english_leaks(page)
        queue.extend(link.replace("&amp;", "&") for link in HREF.findall(page))
    return found


def test_every_page_a_demo_person_reaches_is_in_indonesian(demo_in_indonesian, client):
    leaks = {}
    visited = 0
    for email, _name, _roles, _org in PEOPLE:
        user = User.objects.get(email=email)
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        pages = _walk(client, "/p/cahaya/")
        visited += len(pages)
        leaks.update({f"{email} {url}": found for url, found in pages.items() if found})
        client.logout()
    import json  # noqa: E401
    import os

    if os.environ.get("LEAKS_OUT"):
        json.dump(leaks, open(os.environ["LEAKS_OUT"], "w"), indent=1)  # noqa: SIM115
    print("VISITED", visited)
    assert visited > 300  # the walk reached the pages (368 on 2026-11-29), not only dashboards
    assert leaks == {}


def test_every_reminder_email_of_the_demo_is_in_indonesian(demo_in_indonesian):
    reminders = list(Reminder.objects.select_related("recipient", "practice"))
    kinds = {r.kind for r in reminders}
    assert len(kinds) >= 6, kinds  # the demo makes reminders of many kinds
    leaks = {}
    for reminder in reminders:
        subject, text, html = registry.render_email(reminder, reminder.recipient)
        found = english_leaks(f"<p>{subject}</p>{html}") + english_leaks(
            "<pre>" + text.replace("<", "&lt;") + "</pre>"
        )
        if found:
            leaks[f"{reminder.kind} to {reminder.recipient.email}"] = sorted(set(found))
    assert leaks == {}
