"""Objectives are edited and retired from the coach's program page (issue 13: objective_retire
had no view, yet graduation asks a review of every objective not retired)."""

from django.urls import reverse

from programs import services
from programs.models import ProgramRevision
from tests.programs import builders


def _program_page(client_for, user, world, program):
    url = reverse("program_detail", args=[world.practice.slug, program.code])
    return client_for(user).get(url).content.decode()


def _edit_url(world, objective):
    return reverse("objective_edit", args=[world.practice.slug, objective.code])


def test_the_coach_edits_an_objective_twice_and_the_revisions_keep_why(world, client_for):
    program = builders.program(world)
    objective = services.objective_add(program=program, actor=world.coach, text="Delegate")
    coach = client_for(world.coach)
    page = _program_page(client_for, world.coach, world, program)
    assert _edit_url(world, objective) in page
    form = coach.get(_edit_url(world, objective)).content.decode()
    assert "Delegate</textarea>" in form

    for text, reason in [("Delegate two tasks a week", "sharper"), ("Delegate three", "more")]:
        response = coach.post(
            _edit_url(world, objective), {"text": text, "measure": "", "reason": reason}
        )
        assert response.status_code == 302 and response["Location"].endswith("#objectives")
        page = _program_page(client_for, world.coach, world, program)
        assert text in page
    assert "Delegate two tasks a week" not in page.split("Revisions of the theme")[0]
    reasons = list(ProgramRevision.objects.filter(program=program).values_list("reason", flat=True))
    assert reasons[:2] == ["more", "sharper"]
    # The client reads the new wording, with no edit link.
    client_page = _program_page(client_for, world.client, world, program)
    assert "Delegate three" in client_page and _edit_url(world, objective) not in client_page


def test_an_edit_without_a_reason_is_refused_and_keeps_what_was_typed(world, client_for):
    program = builders.program(world)
    objective = services.objective_add(program=program, actor=world.coach, text="Delegate")
    response = client_for(world.coach).post(
        _edit_url(world, objective), {"text": "Typed text", "measure": "", "reason": ""}
    )
    assert response.status_code == 200
    assert "Typed text</textarea>" in response.content.decode()
    assert "Typed text" not in _program_page(client_for, world.coach, world, program)


def test_a_retired_objective_leaves_the_page_and_the_graduation_review(world, client_for):
    program = builders.program(world)
    kept = services.objective_add(program=program, actor=world.coach, text="Delegate")
    retired = services.objective_add(program=program, actor=world.coach, text="Run marathons")
    coach = client_for(world.coach)
    url = reverse("objective_retire", args=[world.practice.slug, retired.code])
    coach.post(url, {"reason": ""})  # refused: say why
    assert "Run marathons" in _program_page(client_for, world.coach, world, program)
    assert coach.post(url, {"reason": "out of scope"}).status_code == 302
    page = _program_page(client_for, world.coach, world, program)
    assert "Run marathons" not in page.split("Revisions of the theme")[0]
    assert "out of scope" in page  # in the revisions, with who and why
    graduation = coach.get(reverse("program_graduate", args=[world.practice.slug, program.code]))
    body = graduation.content.decode()
    assert "Delegate" in body and "Run marathons" not in body
    # A retired objective is not edited again.
    assert coach.get(_edit_url(world, retired)).status_code == 404
    assert kept.code != retired.code


def test_the_drift_link_lands_on_the_objectives(world, client_for):
    from sessions.models import ConversationNote
    from sessions.services import session_part_save

    program = builders.program(world, sessions=1)
    builders.hold_all(program, checkout=False)
    session_part_save(
        instance=ConversationNote(
            session=program.sessions.get(), on_theme="no", drift_reason="objectives"
        ),
        actor=world.coach,
    )
    url = reverse("program_detail", args=[world.practice.slug, program.code])
    page = client_for(world.coach).get(
        reverse("coach_program", args=[world.practice.slug, program.code])
    )
    assert f'href="{url}#objectives"' in page.content.decode()
    assert 'id="objectives"' in _program_page(client_for, world.coach, world, program)
