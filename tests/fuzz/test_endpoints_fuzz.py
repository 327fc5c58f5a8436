"""Every POST endpoint of the authorization matrix and every page's query string, fuzzed.

For each POST entry of tests/authz/matrix_*.py, an allowed persona posts what hypothesis
draws: HTML, unusual unicode, NUL, 100,000-character strings, out-of-range numbers and dates,
other practices' ids and UUIDs, values that are not among a select's options, under the names
of the project's form fields (a random subset each time) and the entry's own. The answer must
never be a 500, and a refused request (a 200 or 400 page, a 403/404, or an error message after
a redirect) must leave the entry's effect snapshot unchanged. Each GET entry gets fuzzed query
parameters and must not answer 500.

Examples share the test's transaction and world (hypothesis runs them in one test call), so an
endpoint's objects are built once per entry; an accepted POST may change the state the next
example meets (a sent proposal cannot be sent again), which fuzzes the refusals too.
FUZZ_EXAMPLES sets the examples per endpoint (default 20, the fast layer's budget); the
closing note's figures were taken with FUZZ_EXAMPLES=200.
"""

import os
import uuid
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.messages import ERROR
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.authz.spec import REFUSED
from tests.authz.test_matrix import ENTRIES
from tests.reauth import mark_recently_authenticated

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

# The names of the fields the project's forms and POST views read.
FIELDS = [
    "reason",
    "text",
    "note",
    "measure",
    "decision",
    "by",
    "starts_at",
    "starts_on",
    "first",
    "count",
    "spacing_days",
    "format",
    "place",
    "video_link",
    "result",
    "rapport",
    "compatible",
    "next",
    "id",
    "version",
    "party",
    "summary",
    "early_reason",
    "coach",
    "role",
    "roles",
    "email",
    "scope",
    "date",
    "goal",
    "hours",
    "category",
    "pro_bono",
    "language",
    "name",
    "slug",
    "timezone",
    "currency",
    "professional",
    "follow_up_on",
    "pause_requested",
    "confirm_close_spacing",
    "assignee",
    "due_on",
    "task-text",
    "task-assignee",
    "task-due_on",
    "task-scope",
    "submission",
    "kind",
    "channel",
    "enabled",
    "description",
    "provider",
]

huge = st.sampled_from(["x" * 100_000, "é" * 100_000, "<b>" * 33_334])
odd_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "<script>alert(1)</script>",
            "'\"><img src=x onerror=1>",
            "=cmd|'/c calc'!A1",
            "\u202e\u200b\ufeff",
            "²",
            "٣",
            "𝟗",
            "Ⅻ",
            "\ud7ff",
            "NaN",
            "-0",
            "1e309",
            "   ",
            "",
        ]
    ),
)
numbers = st.one_of(
    st.integers(min_value=-2, max_value=60).map(str),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["2147483648", "999999999", "-1", "0", "9223372036854775808", "1.5"]),
)
dates = st.one_of(
    st.dates().map(str),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.sampled_from(
        [
            "9999-12-31",
            "0001-01-01",
            "9999-12-31T23:59",
            "0001-01-01T00:00",
            "2026-02-30",
            "2026-13-01",
        ]
    ),
)
ids = st.one_of(st.uuids().map(str), st.integers(min_value=-5, max_value=10**6).map(str))
value = st.one_of(odd_text, numbers, dates, ids, huge)


def _bodies(other_ids):
    field_values = st.one_of(value, st.sampled_from(other_ids))
    return st.dictionaries(st.sampled_from(FIELDS), field_values, max_size=8)


POSTS = sorted(name for name, e in ENTRIES.items() if e.method == "post")
GETS = sorted(name for name, e in ENTRIES.items() if e.method == "get")


# What a person types into an empty box of that type: a valid start that the fuzzer mutates
# (inside the test programs' contract period, 2027-01-04 to 2027-07-03).
FILLED = {
    "date": "2027-02-01",
    "datetime-local": "2027-02-01T09:00",
    "number": "3",
    "email": "someone@example.test",
    "text": "Something",
}


class _FormFields(HTMLParser):
    """The fields of the page's POST forms that post back to the page itself, with the values
    the page fills in (a select's first option): a form as a person would send it."""

    def __init__(self, path):
        super().__init__()
        self.path, self.fields, self._in_form, self._select, self._textarea = (
            path,
            {},
            False,
            None,
            None,
        )

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or self.path
            self._in_form = (a.get("method") or "").lower() == "post" and action == self.path
        elif tag == "option" and self._in_form and self._select:
            if not self.fields[self._select] or "selected" in a:
                self.fields[self._select] = a.get("value", "")
        elif not self._in_form or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            return
        elif tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self.fields.setdefault(a["name"], "")
            else:
                self.fields[a["name"]] = a.get("value") or FILLED.get(a.get("type"), "")
        elif tag == "select":
            self._select = a["name"]
            self.fields.setdefault(a["name"], "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields.setdefault(a["name"], "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def _form_of(client, url):
    response = client.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return None
    parser = _FormFields(url)
    parser.feed(response.content.decode())
    return parser.fields or None


# Reads are logged (a refused form shown again with content logs that read): not a change.
NOT_CHANGES = {"ethics.AccessEvent"}


def _row_counts():
    """How many rows each of the project's tables holds: a refused POST adds or removes none."""
    return {
        model._meta.label: model._default_manager.count()
        for app in ("accounts", "programs", "coaching_sessions", "ethics", "notifications")
        for model in apps.get_app_config(app).get_models()
        if model._meta.label not in NOT_CHANGES
    }


def _allowed_persona(entry):
    allowed = [p for p, status in sorted(entry.expect.items()) if status not in REFUSED]
    return allowed[0] if allowed else None


def _client(world, persona):
    client = Client()
    if persona and persona != "anonymous":
        client.force_login(
            world.persona(persona), backend="allauth.account.auth_backends.AuthenticationBackend"
        )
        mark_recently_authenticated(client, world.persona(persona))
    return client


def _other_practices_ids(world):
    """Ids a fuzzer would try: another practice's and its admin's, as text."""
    return [str(world.practice_b.pk), str(world.outsider.pk), str(uuid.uuid4())]


ERROR_MARKS = ("invalid-feedback", "errorlist", "alert-danger", "was not saved")


def _refused(response):
    """A 4xx, an error message after a redirect, or a page showing a form's errors."""
    if response.status_code in (400, 403, 404):
        return True
    # This request's messages only (earlier, unread ones wait in the same storage).
    added = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    if any(m.level >= ERROR for m in added):
        return True
    text = response.content.decode(errors="replace") if response.status_code == 200 else ""
    return any(mark in text for mark in ERROR_MARKS)


def _fuzz_posts(name, world, url, kwargs, persona, base, effect):
    client = _client(world, persona)
    others = _other_practices_ids(world)
    names = sorted(set(base))

    @FUZZ
    @given(
        changed=st.dictionaries(
            st.sampled_from(names) if names else st.nothing(),
            st.one_of(value, st.sampled_from(others)),
            min_size=1,
            max_size=2,  # one or two boxes wrong, the rest as the page fills them
        )
        if names
        else st.just({}),
        extra=_bodies(others),
        dropped=st.sets(st.sampled_from(names), max_size=1) if names else st.just(set()),
        keep=st.sampled_from([True, True, True, False]),  # mostly the page's form, mutated
    )
    def run(changed, extra, dropped, keep):
        data = {k: v for k, v in base.items() if k not in dropped} if keep else {}
        data.update(changed)
        if not keep:
            data.update(extra)
        before = (_row_counts(), effect(world, kwargs) if effect else None)
        response = client.post(url, data)
        assert response.status_code != 500
        if _refused(response):
            after = (_row_counts(), effect(world, kwargs) if effect else None)
            assert after == before, (name, data)

    run()


@pytest.mark.django_db
@pytest.mark.parametrize("name", POSTS)
def test_post_endpoint_never_fails_and_refusals_change_nothing(name, world):
    """The matrix's POST entries: its data (and the persona's), mutated."""
    entry = ENTRIES[name]
    persona = _allowed_persona(entry)
    kwargs = entry.kwargs(world) if entry.kwargs else {}
    base = entry.data(world) if callable(entry.data) else (entry.data or {})
    base = {**base, **entry.data_for.get(persona, {})}
    url = reverse(name, kwargs=kwargs)
    _fuzz_posts(name, world, url, kwargs, persona, base, entry.effect)


FORM_PAGES = [name for name in GETS if not ENTRIES[name].public]


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORM_PAGES)
def test_form_page_never_fails_and_refusals_change_nothing(name, world):
    """The matrix's GET entries that hold a form posting to themselves (proposal, contract,
    chemistry, schedule, graduation, settings...): the form as the page fills it, mutated."""
    entry = ENTRIES[name]
    persona = _allowed_persona(entry)
    kwargs = entry.kwargs(world) if entry.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    base = _form_of(_client(world, persona), url)
    if base is None:
        # A page without a form of its own: nothing to fuzz here (its query string is fuzzed
        # below). Not a skip: CI runs with REQUIRE_ALL_LAYERS=1, where a skip is a failure.
        return
    _fuzz_posts(name, world, url, kwargs, persona, base, None)


queries = st.dictionaries(
    st.sampled_from(["q", "page", "day", "view", "role", "status", "sort", "id", "next", "kind"]),
    st.one_of(odd_text, numbers, dates, ids),
    max_size=4,
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", GETS)
def test_page_query_strings_never_fail(name, world):
    entry = ENTRIES[name]
    persona = _allowed_persona(entry)
    kwargs = entry.kwargs(world) if entry.kwargs else {}
    url = reverse(name, kwargs=kwargs)
    client = _client(world, persona)

    @settings(FUZZ, max_examples=max(5, EXAMPLES // 4))
    @given(params=queries)
    def run(params):
        assert client.get(url, params).status_code != 500

    run()
