"""The practice's list of requests to move a session (#11): a page of 25 of one status,
waiting for an answer first, the others under their own tab with their counts, the decided
history paged; the same number of queries whatever the number of requests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from sessions import rescheduling
from sessions.models import RescheduleRequest
from tests.programs import builders

JAKARTA = ZoneInfo("Asia/Jakarta")
ASKED = datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA)
TIME = datetime(2027, 3, 1, 9, 0, tzinfo=JAKARTA)


def _requests(world, n, *, refused=0):
    """n requests about the sessions of one program (numbers 1..n), asked a day apart; the
    first `refused` of them refused by the admin."""
    program = builders.program(world, sessions=n)
    made = []
    for number in range(1, n + 1):
        with time_machine.travel(ASKED + timedelta(days=number), tick=False):
            made.append(
                rescheduling.reschedule_request_create(
                    session=program.sessions.get(number=number),
                    actor=world.client,
                    reason="travel",
                    times=[TIME + timedelta(days=number)],
                )
            )
    for request in made[:refused]:
        rescheduling.reschedule_request_refuse(request=request, actor=world.admin)
    return made


def _list(browser, world, **query):
    url = reverse("reschedule_request_list", args=[world.practice.slug])
    response = browser.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def _shown(body):
    return body.count('data-testid="move-request"')


def test_the_waiting_requests_come_first_and_the_answered_have_their_own_tab(world, client_for):
    made = _requests(world, 3, refused=1)
    assert {r.practice for r in RescheduleRequest.objects.all()} == {world.practice}
    browser = client_for(world.admin)
    body = _list(browser, world)
    assert _shown(body) == 2
    assert body.count("Accept and move") == 2
    assert 'href="?status=pending">Waiting for an answer <span class="badge text-bg-light">2' in (
        body
    )
    assert 'href="?status=refused">Refused <span class="badge text-bg-light">1' in body
    answered = _list(browser, world, status="refused")
    assert _shown(answered) == 1
    assert "Accept and move" not in answered
    assert "Session 1 · Refused (Admin," in answered
    assert made[0].session.client.display_name in answered


def test_a_page_holds_the_newest_and_the_next_page_the_rest(world, client_for, monkeypatch):
    monkeypatch.setattr(rescheduling, "REQUESTS_PER_PAGE", 2)
    _requests(world, 3)
    browser = client_for(world.admin)
    first = _list(browser, world)
    assert "Session 3 ·" in first and "Session 2 ·" in first and "Session 1 ·" not in first
    assert "Page 1 of 2" in first and "Older" in first
    second = _list(browser, world, page=2)
    assert "Session 1 ·" in second and "Session 3 ·" not in second
    assert _shown(second) == 1


def test_the_answered_history_is_paged_too(world, client_for, monkeypatch):
    monkeypatch.setattr(rescheduling, "REQUESTS_PER_PAGE", 2)
    _requests(world, 3, refused=3)
    browser = client_for(world.admin)
    assert "No request is waiting." in _list(browser, world)
    first = _list(browser, world, status="refused")
    assert _shown(first) == 2 and "Page 1 of 2" in first
    second = _list(browser, world, status="refused", page=2)
    assert _shown(second) == 1 and "Session 1 · Refused" in second


def test_a_bad_status_or_page_shows_the_first_page_of_the_waiting(world, client_for):
    _requests(world, 2)
    body = _list(client_for(world.admin), world, status="nope", page="x")
    assert _shown(body) == 2 and "Accept and move" in body


def test_another_practices_admin_sees_none_of_them(world, client_for):
    _requests(world, 2)
    url = reverse("reschedule_request_list", args=[world.practice_b.slug])
    body = client_for(world.outsider).get(url).content.decode()
    assert "No request is waiting." in body
    assert _shown(body) == 0


@pytest.mark.parametrize("n", [2, 6])
def test_the_list_costs_the_same_at_two_sizes(n, world, client_for, django_assert_num_queries):
    _requests(world, n, refused=n // 2)
    browser = client_for(world.scheduler)
    url = reverse("reschedule_request_list", args=[world.practice.slug])
    browser.get(url)
    # 2 for the signed-in request (session, user), memberships (gate; also the nav's
    # practices), the nav's unread notifications; the count of each status (one GROUP BY),
    # the page's requests with their sessions and people (one query).
    with django_assert_num_queries(6):
        assert browser.get(url).status_code == 200
    with django_assert_num_queries(6):
        assert browser.get(url, {"status": "refused"}).status_code == 200


def test_each_request_reads_as_before_in_the_readers_language_and_time(world, client_for):
    """The rows' lines are built once per list (#11), not per row by the template's tags: the
    same words in Indonesian, the times in the reader's time zone, the names escaped."""
    made = _requests(world, 1)
    client = made[0].session.client
    client.full_name = "Ana <b>Tebal</b>"
    client.save(update_fields=["full_name"])
    world.admin.language, world.admin.timezone = "id", "Asia/Jakarta"
    world.admin.save(update_fields=["language", "timezone"])
    body = _list(client_for(world.admin), world)
    coach = made[0].session.coach.display_name
    assert f"Ana &lt;b&gt;Tebal&lt;/b&gt; bersama {coach} · Sesi 1 · " in body
    assert "<b>Tebal</b>" not in body
    assert "Diminta oleh klien: Perjalanan" in body
    # The proposed time (9:00 in Jakarta, a day after TIME), in the reader's zone and words.
    assert '<input type="radio" name="choice" value="0" checked> 2 Maret 2027, 09.00' in body
    assert "Terima dan pindahkan" in body
