"""The session page's session read is built and compiled once per process and shape
(coaching.queries.compiled_once, #11): every later request runs the kept SQL with its own
reader's, practice's and session's ids as parameters. These tests run with the tests' check
(settings.CHECK_COMPILED_QUERIES) off, so they see what production runs: the kept SQL alone."""

import uuid

import pytest
from django.db.models import Value
from django.urls import reverse

from coaching.accounts.models import Membership, User
from coaching.queries import _COMPILED, compiled_once
from tests.factories import MembershipFactory, UserFactory
from tests.sessions.factories import CheckInFactory, SessionFactory, program_for


@pytest.fixture
def kept_sql_only(settings):
    settings.CHECK_COMPILED_QUERIES = False


def _session_with_goal(world, goal, **program):
    session = SessionFactory(program=program_for(world, **program), number=1)
    CheckInFactory(session=session, author=session.program.coach, goal=goal)
    return session


def _run_url(practice, session):
    return reverse("session_run", args=[practice.slug, session.code])


def _kept_session_reads():
    """The kept session reads of a coach's session page (other tests in the process may
    have kept other shapes: an admin who coaches, other columns)."""
    return {
        key: value
        for key, value in _COMPILED.items()
        # (database, vendor, (the read's shape, the reader's roles)): programs.access.get_compiled
        if isinstance(key[2][0], tuple)
        and key[2][0][0] == "session_for_writing"
        and key[2][1] == {Membership.Role.COACH}
    }


def test_each_coach_reads_their_own_session_through_the_kept_sql(world, client_for, kept_sql_only):
    mine = _session_with_goal(world, "goal-of-mine")
    theirs = _session_with_goal(world, "goal-of-theirs", coach=world.other_coach)

    page = client_for(world.coach).get(_run_url(world.practice, mine))
    assert page.status_code == 200
    assert "goal-of-mine" in page.content.decode()
    kept = _kept_session_reads()  # the page's shape (other tests may have kept others)
    assert kept

    # The other coach, with the SQL the first request kept: their session, not the first's.
    page = client_for(world.other_coach).get(_run_url(world.practice, theirs))
    assert page.status_code == 200
    assert "goal-of-theirs" in page.content.decode()
    assert "goal-of-mine" not in page.content.decode()
    assert _kept_session_reads() == kept  # the same compiled query, not a new one

    # Each coach's reach is their own programs: the other's session is not found.
    response = client_for(world.other_coach).get(_run_url(world.practice, mine))
    assert response.status_code == 404
    assert "goal-of-mine" not in response.content.decode()


def test_a_coach_of_another_practice_does_not_reach_the_session(world, client_for, kept_sql_only):
    mine = _session_with_goal(world, "goal-of-mine")
    elsewhere = UserFactory(email="coach@other.test")
    MembershipFactory(practice=world.practice_b, user=elsewhere, role=Membership.Role.COACH)
    assert client_for(world.coach).get(_run_url(world.practice, mine)).status_code == 200

    response = client_for(elsewhere).get(_run_url(world.practice_b, mine))
    assert response.status_code == 404
    assert "goal-of-mine" not in response.content.decode()


def test_an_unknown_session_is_not_found(world, client_for, kept_sql_only):
    _session_with_goal(world, "goal-of-mine")
    url = reverse("session_run", args=[world.practice.slug, uuid.uuid4()])
    response = client_for(world.coach).get(url)
    assert response.status_code == 404


# compiled_once itself, on a small query.


def _members(values):
    return (
        Membership.objects.filter(practice_id=values["practice"], user_id=values["user"])
        .select_related("user")
        .defer("user__password")
        .annotate(marked=Value(7))
    )


def test_it_reads_rows_as_the_orm_does(world, kept_sql_only):
    for user in (world.coach, world.client):  # the second through the kept SQL
        values = {"practice": world.practice.pk, "user": user.pk}
        (kept,) = compiled_once(Membership, "test-members", _members, values)
        (orm,) = _members(values)
        assert (kept.pk, kept.role, kept.user.email, kept.marked) == (
            orm.pk,
            orm.role,
            orm.user.email,
            7,
        )
        assert kept.user.get_deferred_fields() == orm.user.get_deferred_fields() == {"password"}
    assert (
        compiled_once(
            Membership, "test-members", _members, {"practice": world.practice_b.pk, "user": 1}
        )
        == []
    )


def test_it_refuses_a_value_the_sql_does_not_bind(world):
    def written_in(values):  # the user's id written into the SQL's text
        return User.objects.extra(where=[f"id = {values['user']}"])  # noqa: S610

    with pytest.raises(ValueError, match="not bound as parameters"):
        compiled_once(User, "test-unbound", written_in, {"user": world.coach.pk})


def test_it_takes_only_ids(world):
    with pytest.raises(TypeError):
        compiled_once(
            User,
            "test-text",
            lambda v: User.objects.filter(email=v["email"]),
            {"email": "coach@cahaya.test"},
        )


def test_the_check_fails_when_a_shape_is_reused_for_another_query(world, settings):
    settings.CHECK_COMPILED_QUERIES = True
    compiled_once(User, "test-shape", lambda v: User.objects.filter(pk=v["user"]), {"user": 1})
    with pytest.raises(AssertionError, match="kept SQL"):
        compiled_once(
            User,
            "test-shape",
            lambda v: User.objects.filter(pk=v["user"], is_active=True),
            {"user": 1},
        )


def test_it_refuses_what_it_would_not_read(world):
    for shape, rows in [
        ("test-values", lambda v: User.objects.filter(pk=v["user"]).values("email")),
        ("test-prefetch", lambda v: User.objects.filter(pk=v["user"]).prefetch_related("groups")),
    ]:
        with pytest.raises(ValueError, match="model rows only"):
            compiled_once(User, shape, rows, {"user": world.coach.pk})
