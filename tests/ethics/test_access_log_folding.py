"""Repeated reads of the same item by the same reader within one fold window are one row of the
access log (#11; the window and why: ethics/README.md); other readers, other items and reads in
a later window are rows of their own, and the client's "who has read my records" page shows
each reader and each window's time."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from coaching.access import PracticeAccess, Role
from ethics import access as gate
from ethics.models import AccessEvent
from sessions.models import Scope
from tests.ethics import helpers
from tests.ethics.exports import prepare_export
from tests.sessions.factories import CheckOutFactory, SessionFactory, program_for

WINDOW = AccessEvent.FOLD_SECONDS
# The first second of a window, so that "within the window" does not cross into the next.
START = datetime.fromtimestamp(
    datetime(2026, 12, 21, 3, 0, tzinfo=UTC).timestamp() // WINDOW * WINDOW, tz=UTC
)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def checkout(world, clock):
    """A check-out the client wrote, shared with the sponsor under consent: the coach and the
    sponsor are both readers whose reads are logged."""
    program = program_for(world)
    session = SessionFactory(
        program=program, number=1, status="held", starts_at=timezone.now() - timedelta(days=3)
    )
    helpers.consent_for(world)
    return CheckOutFactory(
        session=session, author=world.client, take_aways="t", scope=Scope.SPONSOR
    )


def _sponsor_reads(world, client_for, checkout):
    url = reverse("sponsor_program", args=[world.practice.slug, checkout.session.program.code])
    assert client_for(world.sponsor).get(url).status_code == 200


def _coach_reads(world, client_for, checkout):
    url = reverse("session_run", args=[world.practice.slug, checkout.session.code])
    assert client_for(world.coach).get(url).status_code == 200


def _rows(reader, checkout):
    return list(
        AccessEvent.objects.filter(reader=reader, object_id=str(checkout.pk)).order_by("at")
    )


def test_two_reads_within_the_window_are_one_row(world, client_for, checkout, clock):
    _sponsor_reads(world, client_for, checkout)
    clock.shift(WINDOW - 1)
    _sponsor_reads(world, client_for, checkout)
    [row] = _rows(world.sponsor, checkout)
    assert row.at == START  # the first read's time
    assert row.label == "Session 1 check-out"


def test_a_read_after_the_window_is_a_second_row_and_a_third_window_a_third(
    world, client_for, checkout, clock
):
    _sponsor_reads(world, client_for, checkout)
    clock.shift(WINDOW)
    _sponsor_reads(world, client_for, checkout)
    clock.shift(WINDOW + 30)
    _sponsor_reads(world, client_for, checkout)
    times = [row.at for row in _rows(world.sponsor, checkout)]
    assert times == [START + timedelta(seconds=s) for s in (0, WINDOW, 2 * WINDOW + 30)]


def test_reads_by_two_readers_are_two_rows_and_the_client_sees_both(
    world, client_for, checkout, clock
):
    _sponsor_reads(world, client_for, checkout)
    clock.shift(60)
    _coach_reads(world, client_for, checkout)
    _sponsor_reads(world, client_for, checkout)
    _coach_reads(world, client_for, checkout)
    assert len(_rows(world.sponsor, checkout)) == 1
    assert len(_rows(world.coach, checkout)) == 1
    clock.shift(WINDOW)
    _sponsor_reads(world, client_for, checkout)
    page = client_for(world.client).get(
        reverse("access_log_mine", kwargs={"slug": world.practice.slug})
    )
    body = page.content.decode()
    rows = [r for r in body.split("<tr>") if "Session 1 check-out" in r]
    assert len(rows) == 3  # the sponsor twice (two windows), the coach once
    assert sum(world.sponsor.display_name in r for r in rows) == 2
    assert sum(world.coach.display_name in r for r in rows) == 1


def test_the_same_item_twice_in_one_request_is_one_row(world, checkout):
    """Outside the middleware too: the batch itself is folded before the INSERT."""
    access = PracticeAccess(
        user=world.sponsor, practice=world.practice, roles=frozenset({Role.SPONSOR})
    )
    token = gate.collect_events()
    for _ in range(2):
        parts = gate.check_outs_visible_to(access, sessions=[checkout.session])
        assert [p.pk for p in parts] == [checkout.pk]
    assert gate.write_events(token) == 2  # both reads were collected
    assert len(_rows(world.sponsor, checkout)) == 1


def test_exports_are_never_folded(world, client_for, clock):
    url = reverse("data_export_page", kwargs={"slug": world.practice.slug})
    client = client_for(world.client)
    prepare_export(client, world.practice)  # the preparation is an export too (#11)
    prepared = AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).count()
    assert prepared == 1
    for _ in range(2):
        assert client.get(url).status_code == 200
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).count() == prepared + 2


@contextmanager
def _access_log_inserts():
    """The INSERTs into the access log sent meanwhile (an execute wrapper: the test client's
    request_started signal empties connection.queries, which CaptureQueriesContext reads)."""
    sent = []

    def watch(execute, sql, params, many, context):
        sent.append(sql.startswith('INSERT INTO "ethics_accessevent"'))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield sent


def _inserts(sent):
    return sum(sent)


def test_a_committed_read_is_not_inserted_again_in_its_window_and_is_in_the_next(
    world, client_for, checkout, clock, django_capture_on_commit_callbacks
):
    """The process remembers the reads it wrote once they are committed (#11: every reload of
    the coach's session page sent an INSERT the unique key then skipped)."""
    inserts = []
    for shift in (0, 60, WINDOW, 60, 60):
        clock.shift(shift)
        with django_capture_on_commit_callbacks(execute=True), _access_log_inserts() as captured:
            _coach_reads(world, client_for, checkout)
        inserts.append(_inserts(captured))
    assert inserts == [1, 0, 1, 0, 0]
    times = [row.at for row in _rows(world.coach, checkout)]
    assert times == [START, START + timedelta(seconds=60 + WINDOW)]
    # Another reader of the same item in the same window is still written.
    with django_capture_on_commit_callbacks(execute=True), _access_log_inserts() as captured:
        _sponsor_reads(world, client_for, checkout)
    assert _inserts(captured) == 1
    assert len(_rows(world.sponsor, checkout)) == 1


def test_a_read_whose_commit_never_came_is_inserted_again(
    world, client_for, checkout, clock, django_capture_on_commit_callbacks
):
    """Remembered only on commit: a rolled-back INSERT (here, its commit callbacks never run)
    leaves the next read to write the row again."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _coach_reads(world, client_for, checkout)
    assert len(callbacks) == 1
    with _access_log_inserts() as captured:
        _coach_reads(world, client_for, checkout)
    assert _inserts(captured) == 1
    assert len(_rows(world.coach, checkout)) == 1  # the unique key folded it
