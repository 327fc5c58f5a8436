"""Query counts of the busiest pages do not grow with the number of past sessions."""

from datetime import date

import pytest
from django.urls import reverse

from messaging.models import Message
from tests.programs import builders
from tests.session_templates.helpers import Kind, coach_template, use
from tests.sessions.factories import ObjectiveFactory, SessionFactory, held_session, program_for


def _program_with(world, past):
    program = program_for(world)
    objectives = [ObjectiveFactory(program=program) for _ in range(3)]
    for number in range(1, past + 1):
        held_session(program, number, days_ago=7 * (past - number + 1), objectives=objectives)
    upcoming = SessionFactory(program=program, number=past + 1)
    return program, upcoming


@pytest.mark.parametrize("past", [2, 50])
def test_client_dashboard_queries(past, world, client_for, django_assert_num_queries):
    _program_with(world, past)
    browser = client_for(world.client)
    url = reverse("dashboard_client", args=[world.practice.slug])
    browser.get(url)
    # 2 for the signed-in request (session, user; allauth's session activity is refreshed at
    # most every 5 minutes, #11: 5 more before), memberships (gate; also the nav's practices,
    # #11), the nav's unread messages and inbox count (one query, #11); the programs panel:
    # proposals, contracts, programs, chemistry meetings waiting for the client; the sessions
    # panel (selectors.client_panel): programs, sessions, open client tasks, objectives in
    # force, their ratings. No access-log INSERT: the client reading their own record is not
    # logged (#11; it was +3 here). No check-ins or check-outs: the panel does not show them.
    # +1 whether the client answered the data-processing consent (ethics panel, #12).
    # +1 the latest held session's check-out, the dashboard's summary (#14).
    # #11 (g-qb): the programs are read once for both panels (-1), the check-out comes with
    # the sessions (-1), the chemistry meetings only when a contract has no program yet (-1,
    # read with the contracts waiting). So: 2 for the signed-in request, memberships, nav
    # practices, nav unread messages, nav inbox count; proposals waiting, the client's
    # contracts (waiting or without a program), programs with their session counts, sessions
    # with the latest held one's check-out, open client tasks, objectives in force, ratings,
    # the processing consent.
    # #11 (g-coach): whether proposals or contracts wait and the processing consent are
    # counted in one query; the proposals and contracts are read only when some are counted
    # (here none): 12 -> 10.
    # #11 (g-client6): the proposals waiting come in that query too (their rows, none or
    # some: the same count either way), and so do the navigation's unread messages and inbox
    # count (their query of its own in the base template before): 10 -> 9.
    with django_assert_num_queries(COUNTS["dashboard_client"]):
        response = browser.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("waiting", [0, 1, 2])
def test_client_dashboard_asks_as_many_queries_whether_proposals_wait_or_not(
    waiting, world, client_for, django_assert_num_queries
):
    # #11: the proposals waiting for the client were read in a query of their own when the
    # counts query found some (11 queries on those days, 10 on the others); they come in the
    # counts query now. The page lists each one, newest first, with its answer-by date.
    _program_with(world, 2)
    sent = [
        builders.proposal(world, status="sent", expires_on=date(2031, 3, 1 + n))
        for n in range(waiting)
    ]
    builders.proposal(world, status="draft")  # not sent: not waiting
    browser = client_for(world.client)
    url = reverse("dashboard_client", args=[world.practice.slug])
    browser.get(url)
    with django_assert_num_queries(COUNTS["dashboard_client"]):
        response = browser.get(url)
    page = response.content.decode()
    links = [reverse("proposal_detail", args=[world.practice.slug, p.code]) for p in reversed(sent)]
    assert [page.index(link) for link in links] == sorted(page.index(link) for link in links)
    for n in range(waiting):
        assert f"A coaching proposal (answer by March {n + 1}, 2031)" in page
    assert page.count("A coaching proposal (answer by") == waiting
    assert ("Waiting for your answer" in page) == bool(waiting)


@pytest.mark.parametrize("unread", [0, 3])
def test_client_dashboard_counts_the_unread_messages_with_its_own_numbers(
    unread, world, client_for, django_assert_num_queries
):
    # #11: the navigation's badge of unread messages, read in the dashboard's counts query.
    program, _ = _program_with(world, 2)
    Message.objects.bulk_create(
        Message(program=program, author=world.coach, body=f"m{i}") for i in range(unread)
    )
    Message.objects.create(program=program, author=world.client, body="mine: not unread")
    browser = client_for(world.client)
    url = reverse("dashboard_client", args=[world.practice.slug])
    browser.get(url)
    with django_assert_num_queries(COUNTS["dashboard_client"]):
        page = browser.get(url).content.decode()
    badge = f'id="messages-unread">{unread}<'
    assert (badge in page) == bool(unread)
    assert ('id="messages-unread"' in page) == bool(unread)
    # The sessions page reads them with its programs (#11), the same.
    sessions_page = reverse("client_coaching", args=[world.practice.slug])
    with django_assert_num_queries(COUNTS["client_coaching"]):
        other = browser.get(sessions_page).content.decode()
    assert (badge in other) == bool(unread)
    # A page without a count of its own: the navigation's query, the same badge.
    inbox = browser.get(reverse("message_index", args=[world.practice.slug])).content.decode()
    assert (badge in inbox) == bool(unread)


@pytest.mark.parametrize("past", [2, 50])
def test_client_sessions_page_queries(past, world, client_for, django_assert_num_queries):
    _program_with(world, past)
    browser = client_for(world.client)
    url = reverse("client_coaching", args=[world.practice.slug])
    browser.get(url)
    # 2 for the signed-in request, memberships (gate), nav practices, nav unread messages,
    # nav inbox count; programs, sessions with their preparation, check-in, notes and
    # check-out (one query, #11: it was 5), extra parts, tasks, objectives, ratings.
    # #11 (g-client6): the programs (their coach's name) read with the navigation's unread
    # messages and inbox count, in one query (the base template's query before): 10 -> 9.
    with django_assert_num_queries(COUNTS["client_coaching"]):
        response = browser.get(url)
    assert response.status_code == 200
    assert "Take-away of session 1" in response.content.decode()


@pytest.mark.parametrize("past", [2, 50])
def test_coach_program_page_queries(past, world, client_for, django_assert_num_queries):
    program, _ = _program_with(world, past)
    browser = client_for(world.coach)
    url = reverse("coach_program", args=[world.practice.slug, program.code])
    browser.get(url)
    # 2 for the signed-in request, memberships (gate; also the nav's practices), the nav's
    # unread messages and inbox count (one query), program, sessions with their clocks, notes
    # and check-ins (one query, #11), open tasks, objectives, ratings, the chosen coach's
    # chemistry impressions, the coach's session templates marked with the program's choice
    # (one query, #11)
    with django_assert_num_queries(COUNTS["coach_program"]):
        response = browser.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("past", [2, 50])
def test_preparation_page_queries(past, world, client_for, django_assert_num_queries):
    _, upcoming = _program_with(world, past)
    browser = client_for(world.coach)
    url = reverse("session_prepare", args=[world.practice.slug, upcoming.code])
    browser.get(url)
    # 2 for the signed-in request, memberships (gate; also the nav's practices), the nav's
    # unread messages and inbox count (one query), the session with its program's chosen
    # template id (none chosen: the default plan, no query; #17, #11), the previous session
    # with its check-out (one query, #11), its tasks with the earlier open ones (one query,
    # #11), objectives,
    # preparation (#11 g-sess2: read with the session, no query of its own); +1 the
    # practice's default scopes for the new preparation (ethics.PracticeScopeDefault).
    # No access-log INSERT: the coach reads only what they wrote.
    with django_assert_num_queries(COUNTS["session_prepare"]):
        response = browser.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("past", [2, 50])
# The program's template: none (the default plan, no query: its id comes with the session);
# one (+1 query: its parts with the template); one with an extra part too (+1 its note; the
# default scope of a new note is among the defaults read once: +2; it was +3 before #11).
@pytest.mark.parametrize(
    ("order", "extra_queries"),
    [
        (None, 0),
        ([Kind.CHECK_OUT, Kind.CHECK_IN, Kind.NOTE], 1),
        ([Kind.CHECK_IN, (Kind.EXTRA, "Pause"), Kind.NOTE, Kind.CHECK_OUT], 2),
    ],
)
def test_session_page_queries(
    past, order, extra_queries, world, client_for, django_assert_num_queries
):
    program, upcoming = _program_with(world, past)
    if order:
        use(program, coach_template(world, order=order))
    browser = client_for(world.coach)
    url = reverse("session_run", args=[world.practice.slug, upcoming.code])
    browser.get(url)
    # 8 (#11; 25 before): 2 for the signed-in request, memberships (gate; also the nav's
    # practices), the session with its check-in, notes, check-out and preparation, the
    # client's processing consent, the program's chosen template id, the practice's default
    # scopes (for every part without a row) and last time (#14): the previous held session
    # with its check-out (one query, ethics get_session_for_writing; #11: the preparation,
    # the defaults and the previous session were queries of their own), the objectives with
    # their ratings at this session (one query, #11 g-sess2), the program's session clocks
    # (#14); the session's own tasks with the previous session's and the earlier open ones
    # (one query); the navigation's unread messages and in-app notifications (one query). It
    # reads the same with 2 or 50 past sessions.
    with django_assert_num_queries(COUNTS["session_run"] + extra_queries):
        response = browser.get(url)
    assert response.status_code == 200


# +1 each since the navigation shows the unread messages count (messaging/_nav.html, one query);
# the client's dashboard +1 for the data-processing consent check (#12) and -3 access-log
# INSERTs (#11: the client's own reads are not logged).
# #11: 21, 18, 20 before allauth's session activity was throttled (5 queries a request); the
# preparation page 15 -> 14: get_session_for joins the program's client (the page head).
# #17: session_prepare +1 for the program's session template; coach_program +3: the coach's
# session templates, the program's chosen one, the sessions' clocks (check-in/out lengths).
# #14: dashboard_client +1, the latest held session's check-out (the summary).
# #11 (g-qb): dashboard_client 17 -> 14 (programs once, check-out with the sessions,
# chemistry meetings read with the contracts); client_coaching pinned at 12 (16 before: the
# four one-per-session parts were four queries).
# #11 (g-qa): every page -1, the navigation's practices come from the gate's
# memberships query, and -1 for a coach's or a client's page, the unread messages and the
# inbox count in one query; coach_program -2 more (the chosen template marked in the
# templates' query, the clocks read with the sessions); session_run -10 more (the
# session's parts, consent and template with the session, the scope defaults once, its own
# tasks with last time's).
# #11 (g-sess): session_prepare 13 -> 11 (the template's id read with the session, the
# previous session's tasks and the earlier open ones in one query); session_prepare 11 -> 10
# and session_run 13 -> 12: the previous session read with its check-out.
# #11 (g-coach): coach_program 12 -> 10, the notes and check-ins read with the sessions;
# dashboard_client 12 -> 10 (waiting proposals/contracts and consent in the counts query).
# #11 (g-sess2): session_prepare 10 -> 9, the preparation read with the session; session_run
# 12 -> 11, the ratings read with the objectives.
# #11 (g-sess6): session_run 11 -> 10, the preparation read with the session.
# #11 (stop 26): session_run 10 -> 8, the previous held session and its check-out read with
# the session (a nested JSON row), and the practice's default scopes.
COUNTS = {
    "client_coaching": 9,
    "dashboard_client": 9,
    "coach_program": 10,
    "session_prepare": 9,
    "session_run": 8,
}
