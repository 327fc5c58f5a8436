"""Graduation's results are visible: the objective reviews on the program page for the coach
and the client (through the gate), and the certificate counts hours (issue 13)."""

import pytest
from django.urls import reverse

from programs import services
from tests.programs import builders


def _graduate(world, *, sessions=3, minutes=None):
    program = builders.program(world, sessions=sessions)
    if minutes:
        program.sessions.update(duration_minutes=minutes)
    delegate = services.objective_add(program=program, actor=world.coach, text="Delegate")
    calm = services.objective_add(program=program, actor=world.coach, text="Stay calm")
    builders.hold_all(program)
    services.objective_review(
        objective=delegate, actor=world.coach, result="achieved", note="Hands off weekly."
    )
    services.objective_review(objective=calm, actor=world.coach, result="partly", note="")
    services.program_graduate(
        program=program, actor=world.coach, summary="Grew a lot.", early_reason="ended early"
    )
    return program


def _get(client_for, user, world, name, program):
    return client_for(user).get(reverse(name, args=[world.practice.slug, program.code]))


@pytest.mark.parametrize("persona", ["coach", "client"])
def test_the_coach_and_the_client_read_the_reviews_on_the_program_page(world, client_for, persona):
    program = _graduate(world)
    body = _get(client_for, world.persona(persona), world, "program_detail", program).content
    body = body.decode()
    assert "Graduation review:</strong> Achieved · Hands off weekly." in body
    assert "Graduation review:</strong> Partly achieved" in body


@pytest.mark.parametrize("persona", ["admin", "sponsor"])
def test_the_admin_and_the_sponsor_do_not_read_them(world, client_for, persona):
    program = _graduate(world)
    body = _get(client_for, world.persona(persona), world, "program_detail", program)
    assert "Hands off weekly." not in body.content.decode()
    assert "Graduation review" not in body.content.decode()


def test_the_certificate_shows_hours_of_coaching(world, client_for):
    program = _graduate(world, sessions=3, minutes=90)
    body = _get(client_for, world.client, world, "program_certificate", program).content.decode()
    assert "4.5 hours of coaching in 3 sessions" in body
    world.client.language = "id"
    world.client.save(update_fields=["language"])
    body = _get(client_for, world.client, world, "program_certificate", program).content.decode()
    assert "4,5 jam coaching dalam 3 sesi" in body


def test_the_certificate_counts_only_held_sessions(world, client_for):
    program = _graduate(world, sessions=2)
    body = _get(client_for, world.admin, world, "program_certificate", program).content.decode()
    assert "2 hours of coaching in 2 sessions" in body
