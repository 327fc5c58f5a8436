"""What every page costs before its own work (#11): the signed-in request, the gate, the
navigation. One memberships query serves the gate, the practice switcher and the language of a
user who chose none; one query counts both navigation badges."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.access import practice_access_for, request_memberships
from coaching.notifications.models import InAppNotification, Reminder
from ethics import access as gate
from ethics import services as ethics_services
from messaging.models import Message
from sessions.models import CheckIn, ConversationNote
from tests.factories import MembershipFactory, PracticeFactory
from tests.sessions.factories import CheckInFactory, NoteFactory, SessionFactory, program_for


def _queries_on(captured, *tables):
    return [q["sql"] for q in captured if any(f'"{t}"' in q["sql"] for t in tables)]


def test_outside_a_practice_the_navigation_reads_the_memberships_once(world, client_for):
    browser = client_for(world.coach)
    browser.get(reverse("dashboard_coach", args=[world.practice.slug]))  # remembered practice
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(reverse("notification_inbox"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("dashboard_coach", args=[world.practice.slug]) in body  # the practice's nav
    # Before #11: the switcher's practices, then the remembered practice's gate query.
    assert len(_queries_on(captured, "accounts_membership", "accounts_practice")) == 1


def test_a_user_without_a_language_reads_their_first_practice_s_at_no_extra_query(
    world, client_for
):
    world.practice.default_language = "en"
    world.practice.save(update_fields=["default_language"])
    indonesian = PracticeFactory(name="Pertama", slug="pertama", default_language="id")
    user = world.coach
    user.language, user.timezone = "", ""
    user.save(update_fields=["language", "timezone"])
    MembershipFactory(practice=indonesian, user=user, role="coach")
    # The oldest membership decides: make the new practice's the first one.
    user.memberships.filter(practice=indonesian).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    browser = client_for(user)
    browser.get(reverse("dashboard_coach", args=[world.practice.slug]))
    url = reverse("notification_inbox")  # outside the practice: the remembered one's nav
    browser.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"
    body = response.content.decode()
    assert "Pertama" in body and "Cahaya" in body  # both practices in the switcher
    # Before #11: the language's practice, the switcher's practices, the gate's memberships.
    assert len(_queries_on(captured, "accounts_membership", "accounts_practice")) == 1


def test_a_membership_made_during_the_request_is_found_by_the_gate(world):
    request = RequestFactory().get("/")
    request.user = world.coach
    request.session = {}
    assert [m.practice.slug for m in request_memberships(request)] == ["cahaya"]
    later = PracticeFactory(name="Baru", slug="baru")
    MembershipFactory(practice=later, user=world.coach, role="admin")
    access = practice_access_for(request, "baru")  # not in the list read first: asked again
    assert access.practice == later and access.is_admin
    with pytest.raises(Exception) as refused:
        practice_access_for(request, world.practice_b.slug)
    assert refused.typename == "Http404"


def _notify(user, practice, n):
    for _ in range(n):
        reminder = Reminder.objects.create(
            practice=practice,
            kind="test",
            recipient=user,
            object_type="session",
            object_code=uuid.uuid4(),
            occasion=str(uuid.uuid4()),
            due_at=timezone.now(),
            next_attempt_at=timezone.now(),
        )
        InAppNotification.objects.create(reminder=reminder, recipient=user)


def test_both_navigation_badges_are_counted_in_one_query(world, client_for):
    program = program_for(world)
    for text in ("one", "two"):
        Message.objects.create(program=program, author=world.coach, body=text)
    Message.objects.create(program=program, author=world.client, body="mine, not unread")
    _notify(world.client, world.practice, 3)
    browser = client_for(world.client)
    url = reverse("dashboard_client", args=[world.practice.slug])
    browser.get(url)
    with CaptureQueriesContext(connection) as captured:
        body = browser.get(url).content.decode()
    assert 'id="messages-unread">2<' in body
    assert 'aria-label="3 unread">3</span>' in body
    counting = _queries_on(captured, "notifications_inappnotification")
    assert len(counting) == 1 and '"messaging_message"' in counting[0]


def test_an_admin_s_inbox_badge_is_counted_without_messages(world, client_for):
    _notify(world.admin, world.practice, 2)
    body = (
        client_for(world.admin)
        .get(reverse("dashboard_admin", args=[world.practice.slug]))
        .content.decode()
    )
    assert 'aria-label="2 unread">2</span>' in body
    assert 'id="messages-unread"' not in body


def test_scope_defaults_saved_during_a_request_are_read_again(world):
    from coaching.access import PracticeAccess

    admin = PracticeAccess(user=world.admin, practice=world.practice, roles=frozenset({"admin"}))
    gate._path_from_request(None, environ={"PATH_INFO": "/settings/"})  # a request starts
    try:
        assert gate.default_scope(world.practice, CheckIn) == "client"
        ethics_services.scope_defaults_save(access=admin, scopes={"checkin": "private"})
        assert gate.default_scope(world.practice, CheckIn) == "private"
    finally:
        gate._path_clear(None)


def _session_with_other_coachs(world, model_factory, scope):
    program = program_for(world)
    session = SessionFactory(program=program, number=1)
    model_factory(session=session, author=world.other_coach, scope=scope)
    return session


def test_the_session_page_refuses_another_coach_s_private_part_read_with_the_session(
    world, client_for
):
    session = _session_with_other_coachs(world, CheckInFactory, "private")
    response = client_for(world.coach).get(
        reverse("session_run", args=[world.practice.slug, session.code])
    )
    assert response.status_code == 403
    assert "A goal" not in response.content.decode()


def test_the_session_page_logs_another_coach_s_shared_part_read_with_the_session(world, client_for):
    from ethics.models import AccessEvent

    session = _session_with_other_coachs(world, NoteFactory, "client")
    response = client_for(world.coach).get(
        reverse("session_run", args=[world.practice.slug, session.code])
    )
    assert response.status_code == 200
    assert "A note" in response.content.decode()
    note = ConversationNote.objects.get(session=session)
    event = AccessEvent.objects.get(reader=world.coach, object_id=str(note.pk))
    assert event.label == "Session 1 notes" and event.subject_id == world.client.pk


def test_the_memberships_read_follow_the_request_s_user(world):
    request = RequestFactory().get("/")
    request.user = world.coach
    assert {m.role for m in request_memberships(request)} == {"coach"}
    request.user = world.sponsor  # e.g. a sign-in as someone else within the request
    assert {m.role for m in request_memberships(request)} == {"sponsor"}
