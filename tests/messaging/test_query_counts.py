"""Query counts of the thread page, its poll and the unread badge do not grow with the thread
(pinned at 10, 200 and 1,000 messages, as issue #16 asks)."""

import re

import pytest
from django.urls import reverse

from messaging.models import Message
from messaging.selectors import PAGE, THREADS_PER_PAGE
from tests.sessions.factories import program_for

pytestmark = pytest.mark.django_db


def _thread_with(world, n):
    program = program_for(world)
    Message.objects.bulk_create(
        Message(program=program, author=world.client if i % 2 else world.coach, body=f"m{i}")
        for i in range(n)
    )
    return program


# Every page: 2 for the signed-in request (session, user; allauth's session activity is
# refreshed at most every 5 minutes, #11: it was 5 more on every request), memberships (gate;
# also the nav's practices, #11), and in the base template the unread messages badge and the
# nav inbox count (one query for both, #11), the practice (context processor): 5 (7 before
# #11 folded the nav's practices and its two badges).
# Thread: + the program (gate), the messages (one query, authors joined), one access-log
# INSERT for the ones the coach did not write (executemany, whatever the number), the read
# marker (update_or_create: savepoint, select, update, release) = 12.
# Poll with nothing new: the request's 2, memberships, the program, the messages after the
# mark, the practice (context processor) = 6 (a partial: no nav; no marker, no INSERT).
# Index: + the programs (client and coach joined), their unread counts = 7.
# Index with many threads (#11): the same 7, the programs now as the count of the threads and
# their page of 50 (client and coach joined), and the links name the practice of the request
# (one practice query per thread before: 34 queries for a coach of 25 programs).
COUNTS = {"thread": 12, "poll": 6, "badge_page": 7, "index": 7}


@pytest.mark.parametrize("size", [10, 200, 1000])
def test_thread_page_queries(size, world, client_for, django_assert_num_queries):
    program = _thread_with(world, size)
    browser = client_for(world.coach)
    url = reverse("message_thread", args=[world.practice.slug, program.code])
    browser.get(url)
    with django_assert_num_queries(COUNTS["thread"]):
        response = browser.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    # The page shows the latest PAGE (200) messages; older ones are behind "Earlier messages"
    # (offered whenever the page is full: at exactly 200 the page cannot tell there are none).
    assert page.count('id="m-') == min(size, PAGE)
    assert ("Earlier messages" in page) == (size >= PAGE)


@pytest.mark.parametrize("size", [10, 200, 1000])
def test_poll_queries(size, world, client_for, django_assert_num_queries):
    program = _thread_with(world, size)
    last = Message.objects.filter(program=program).order_by("pk").last()
    browser = client_for(world.coach)
    url = reverse("message_poll", args=[world.practice.slug, program.code])
    browser.get(url, {"after": last.pk})
    # A poll with nothing new: no read marker, no access-log INSERT.
    with django_assert_num_queries(COUNTS["poll"]):
        response = browser.get(url, {"after": last.pk})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 200, 1000])
def test_unread_badge_is_one_query(size, world, client_for, django_assert_num_queries):
    _thread_with(world, size)
    browser = client_for(world.coach)
    url = reverse("message_index", args=[world.practice.slug])
    browser.get(url)
    # The index page: the request's 5 (memberships, the badge and nav inbox in one query);
    # the page: the count of the programs, the page of them (with client and coach), their
    # unread counts.
    with django_assert_num_queries(COUNTS["badge_page"]):
        response = browser.get(url)
    assert f'id="messages-unread">{size // 2}<' in response.content.decode()


@pytest.mark.parametrize("threads", [3, 55])
def test_inbox_queries_do_not_grow_with_the_threads(
    threads, world, client_for, django_assert_num_queries
):
    """The coach's inbox: one thread a program, 50 a page, whatever the caseload (#11)."""
    programs = [program_for(world) for _ in range(threads)]
    Message.objects.bulk_create(
        Message(program=p, author=world.client, body=f"from the client {i}")
        for i, p in enumerate(programs)
    )
    browser = client_for(world.coach)
    url = reverse("message_index", args=[world.practice.slug])
    browser.get(url)
    with django_assert_num_queries(COUNTS["index"]):
        response = browser.get(url)
    page = response.content.decode()
    shown = min(threads, THREADS_PER_PAGE)
    links = re.findall(rf'href="/p/{world.practice.slug}/messages/[0-9a-f-]{{36}}/"', page)
    assert len(links) == shown
    assert page.count("1 new") == shown
    assert ("Page 1 of 2" in page) == (threads > THREADS_PER_PAGE)
    # The newest program first; the oldest is on the second page when there is one.
    assert str(programs[-1].code) in page
    assert (str(programs[0].code) in page) == (threads <= THREADS_PER_PAGE)
    if threads > THREADS_PER_PAGE:
        rest = browser.get(url, {"page": 2}).content.decode()
        assert rest.count("1 new") == threads - THREADS_PER_PAGE
        assert str(programs[0].code) in rest
