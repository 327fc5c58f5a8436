"""Finding 1 of #12: why a program is paused is not the sponsor's or the admin's to read."""

from django.urls import reverse

from programs import services
from tests.programs import builders

REASON = "client on sick leave (burnout)"


def _paused(world):
    program = builders.program(world)
    services.program_transition(program=program, actor=world.coach, name="pause", reason=REASON)
    return program


def _page(world, client_for, person, program):
    url = reverse("program_detail", kwargs={"slug": world.practice.slug, "code": program.code})
    response = client_for(person).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_sponsor_and_the_admin_read_paused_and_nothing_more(world, client_for):
    program = _paused(world)
    for person in (world.sponsor, world.admin):
        body = _page(world, client_for, person, program)
        assert "Paused" in body
        assert "sick leave" not in body, person


def test_the_coach_and_the_client_read_the_reason(world, client_for):
    program = _paused(world)
    for person in (world.coach, world.client):
        assert "sick leave" in _page(world, client_for, person, program)


def test_a_referral_pause_does_not_tell_the_sponsor_of_the_referral(world, client_for):
    program = builders.program(world)
    services.program_transition(program=program, actor=world.coach, name="pause", reason="referral")
    body = _page(world, client_for, world.sponsor, program)
    assert "referral" not in body.lower()


def test_the_admin_timeline_shows_the_pause_without_the_coachs_reason(world, client_for):
    program = _paused(world)
    body = _page(world, client_for, world.admin, program)
    assert "Timeline" in body
    assert REASON not in body
    assert REASON in _page(world, client_for, world.coach, program)
