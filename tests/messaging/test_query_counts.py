"""Query counts of the thread page, its poll and the unread badge do not grow with the thread
(pinned at 10, 200 and 1,000 messages, as issue #16 asks)."""

import pytest
from django.urls import reverse

from messaging.models import Message
from messaging.selectors import PAGE
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
COUNTS = {"thread": 12, "poll": 6, "badge_page": 7}


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
    # the page: programs (with client and coach), their unread counts.
    with django_assert_num_queries(COUNTS["badge_page"]):
        response = browser.get(url)
    assert f'id="messages-unread">{size // 2}<' in response.content.decode()
