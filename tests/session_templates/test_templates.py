"""A coach (or the practice) defines session templates; a program's coach chooses one (#17)."""

import pytest
from django.urls import reverse

from session_templates.models import ProgramTemplate, SessionTemplate, TemplatePart
from tests.session_templates.helpers import Kind, coach_template
from tests.sessions.factories import program_for

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Grow with a pause",
    "check_in_min_minutes": "5",
    "check_in_max_minutes": "10",
    "check_out_minutes": "12",
    "check_in_position": "1",
    "check_out_position": "2",
    "note_position": "4",
    "task_position": "5",
    "task_used": "on",
    "ratings_position": "6",
    "extra1_position": "3",
    "extra1_title_en": "A pause",
    "extra1_title_id": "Jeda",
    "extra1_prompts_en": "Breathe together for a minute",
    "check_in_prompts_en": "What is alive for you today?\nWhat do you want from today?",
}


def _create(world, client_for, user, data):
    url = reverse("session_template_create", args=[world.practice.slug])
    return client_for(user).post(url, data)


def test_a_coach_defines_a_template_of_their_own(world, client_for):
    response = _create(world, client_for, world.coach, FORM)
    assert response.status_code == 302
    template = SessionTemplate.objects.get(name="Grow with a pause")
    assert template.owner == world.coach
    assert (template.check_in_min_minutes, template.check_in_max_minutes) == (5, 10)
    parts = [(p.kind, p.position) for p in TemplatePart.objects.filter(template=template)]
    assert parts == [
        ("preparation", 0),
        ("check_in", 1),
        ("check_out", 2),
        ("extra", 3),
        ("note", 4),
        ("task", 5),
    ]  # ratings not used: unticked
    page = client_for(world.coach).get(reverse("session_template_list", args=[world.practice.slug]))
    text = page.content.decode()
    assert "Grow with a pause" in text and "Check-in 5–10 minutes" in text
    # Another coach does not see it; the admin does not either.
    for other in (world.other_coach, world.admin):
        page = client_for(other).get(reverse("session_template_list", args=[world.practice.slug]))
        assert "Grow with a pause" not in page.content.decode()


def test_an_admins_template_is_offered_to_every_coach(world, client_for):
    _create(world, client_for, world.admin, {**FORM, "name": "The institute's way"})
    template = SessionTemplate.objects.get(name="The institute's way")
    assert template.owner is None
    page = client_for(world.other_coach).get(
        reverse("session_template_list", args=[world.practice.slug])
    )
    assert "The institute&#x27;s way" in page.content.decode()
    # A coach uses it but may not change it.
    url = reverse("session_template_edit", args=[world.practice.slug, template.code])
    assert client_for(world.other_coach).get(url).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"note_position": "1"}, "Two parts have position 1; give each its own."),
        (
            {"check_in_min_minutes": "12", "check_in_max_minutes": "10"},
            "The longest check-in is shorter than the shortest.",
        ),
        ({"check_in_max_minutes": "90"}, "Ensure this value is less than or equal to 60."),
        ({"extra1_position": ""}, "Say where this part goes."),
        ({"name": ""}, "This field is required."),
    ],
)
def test_a_bad_template_says_why_saves_nothing_and_keeps_the_input(
    world, client_for, change, message
):
    response = _create(world, client_for, world.coach, {**FORM, **change})
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text
    assert "Breathe together for a minute" in text  # what was typed is still there
    assert not SessionTemplate.objects.exists()


def test_the_coach_chooses_the_programs_template_and_can_go_back_to_the_standard(world, client_for):
    program = program_for(world)
    template = coach_template(world, order=[Kind.CHECK_IN, Kind.NOTE, Kind.CHECK_OUT])
    url = reverse("program_template_choose", args=[world.practice.slug, program.code])
    coach = client_for(world.coach)
    coach.post(url, {"template": str(template.code)})
    assert ProgramTemplate.objects.get(program=program).template == template
    page = coach.get(reverse("coach_program", args=[world.practice.slug, program.code]))
    assert f'<option value="{template.code}" selected>' in page.content.decode()
    coach.post(url, {"template": ""})
    assert not ProgramTemplate.objects.filter(program=program).exists()


def test_a_coach_cannot_choose_another_coachs_template(world, client_for):
    program = program_for(world)
    theirs = coach_template(
        world, order=[Kind.CHECK_IN, Kind.NOTE, Kind.CHECK_OUT], owner=world.other_coach
    )
    url = reverse("program_template_choose", args=[world.practice.slug, program.code])
    response = client_for(world.coach).post(url, {"template": str(theirs.code)}, follow=True)
    assert "Choose one of the templates in the list." in response.content.decode()
    assert not ProgramTemplate.objects.filter(program=program).exists()
