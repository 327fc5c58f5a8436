"""The coach's programs (#11, g-coach2): the dashboard lists the first few, running ones with
the soonest next session first, with the counts by status and a link to the paged list of
them all, which filters by status."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from programs.dashboard import COACH_PANEL_ROWS
from programs.models import Program
from programs.selectors import COACH_PROGRAMS_PAGE_SIZE
from tests.factories import MembershipFactory, UserFactory
from tests.sessions.factories import SessionFactory, program_for

JAKARTA = ZoneInfo("Asia/Jakarta")
MORNING = datetime(2026, 12, 2, 8, 0, tzinfo=JAKARTA)


def _client(world, name):
    user = UserFactory(full_name=name)
    MembershipFactory(practice=world.practice, user=user)
    return user


def _programs(world, n, *, status=Program.Status.ACTIVE, prefix="Client"):
    """n programs of the world's coach, oldest first, each with its own client."""
    return [
        program_for(
            world,
            client=_client(world, f"{prefix} {i:02d}"),
            status=status,
            created_at=MORNING - timedelta(days=100 - i),
        )
        for i in range(n)
    ]


def _panel(body):
    start = body.index('<h2 class="h5">Programs</h2>')
    return body[start : body.index("</section>", start)]


def _names(html):
    return re.findall(r'/p/cahaya/programs/[0-9a-f-]{36}/">([^<]+)</a>', html)


@time_machine.travel(MORNING, tick=False)
def test_the_dashboard_lists_the_running_programs_with_the_soonest_session_first(world, client_for):
    running = _programs(world, COACH_PANEL_ROWS + 1)
    ended = _programs(world, 3, status=Program.Status.GRADUATED, prefix="Graduate")
    # The oldest running program has the soonest session; one has none scheduled.
    SessionFactory(program=running[0], number=1, starts_at=MORNING + timedelta(days=1))
    SessionFactory(program=running[1], number=1, starts_at=MORNING + timedelta(days=3))
    body = client_for(world.coach).get(reverse("dashboard_coach", args=["cahaya"]))
    panel = _panel(body.content.decode())
    names = _names(panel)
    assert len(names) == COACH_PANEL_ROWS
    # Next session first, then the others newest first; the graduated ones wait on the list.
    assert names[:3] == ["Client 00", "Client 01", "Client 10"]
    assert not any(name.startswith("Graduate") for name in names)
    counts = " ".join(re.search(r'id="program-counts">(.*?)</p>', panel, re.S)[1].split())
    assert counts.startswith("14 programs · Active 11 · Graduated 3")
    see_all = reverse("coach_program_list", args=["cahaya"])
    assert f'<a href="{see_all}">See all 14 programs</a>' in panel
    assert len(ended) == 3


@time_machine.travel(MORNING, tick=False)
def test_the_dashboard_lists_every_program_without_a_link_when_they_fit(world, client_for):
    _programs(world, 3)
    body = client_for(world.coach).get(reverse("dashboard_coach", args=["cahaya"]))
    panel = _panel(body.content.decode())
    assert sorted(_names(panel)) == ["Client 00", "Client 01", "Client 02"]
    assert reverse("coach_program_list", args=["cahaya"]) not in panel


def _list(client_for, user, query=""):
    response = client_for(user).get(reverse("coach_program_list", args=["cahaya"]) + query)
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(MORNING, tick=False)
def test_the_coachs_list_pages_every_program_newest_first(world, client_for):
    n = COACH_PROGRAMS_PAGE_SIZE + 2
    _programs(world, n)
    first = _list(client_for, world.coach)
    names = _names(first)
    assert len(names) == COACH_PROGRAMS_PAGE_SIZE
    assert names[0] == f"Client {n - 1:02d}" and names[-1] == "Client 02"
    assert "Page 1 of 2" in first
    second = _list(client_for, world.coach, "?page=2")
    assert _names(second) == ["Client 01", "Client 00"]
    # A page that is not a number or is past the end: a page still shows, not an error.
    assert _names(_list(client_for, world.coach, "?page=abc")) == names
    assert _names(_list(client_for, world.coach, "?page=99")) == ["Client 01", "Client 00"]


@time_machine.travel(MORNING, tick=False)
def test_the_coachs_list_filters_by_status_with_the_counts(world, client_for):
    _programs(world, 2)
    _programs(world, 1, status=Program.Status.PAUSED, prefix="Paused")
    body = _list(client_for, world.coach, "?status=paused")
    assert _names(body) == ["Paused 00"]
    assert "<strong>1 Paused</strong>" in body and "<strong>2</strong> Active" in body
    assert '<a href="?">All 3</a>' in body
    # An unknown status lists them all.
    assert len(_names(_list(client_for, world.coach, "?status=nonsense"))) == 3


@time_machine.travel(MORNING, tick=False)
def test_the_coachs_list_shows_only_their_own_programs(world, client_for):
    _programs(world, 2)
    assert _names(_list(client_for, world.other_coach)) == []
    assert "No programs yet." in _list(client_for, world.other_coach)


@pytest.mark.parametrize("size", [1, 30])
def test_the_coachs_list_costs_the_same_at_two_sizes(
    size, world, client_for, django_assert_num_queries
):
    programs = _programs(world, size)
    for program in programs:
        SessionFactory(program=program, number=1, starts_at=MORNING + timedelta(days=1))
    browser = client_for(world.coach)
    url = reverse("coach_program_list", args=["cahaya"])
    browser.get(url)
    # 2 for the signed-in request (#11), memberships (gate; also the nav's practices); the
    # counts by status (one GROUP BY, the pager's total too); the page of programs with their
    # figures as subqueries; nav unread messages and inbox count (one query).
    with django_assert_num_queries(6):
        body = browser.get(url).content.decode()
    assert len(_names(body)) == min(size, COACH_PROGRAMS_PAGE_SIZE)
