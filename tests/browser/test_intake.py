"""In a real browser: a client whose language is Indonesian answers the intake their practice
sent when the contract became active; the coach reads it on the preparation page of session 1;
the client's "who read my records" page lists the coach's read."""

from intake.models import Response
from tests.factories import PASSWORD
from tests.intake.builders import questionnaire
from tests.programs import builders

ANSWER = "Saya ingin memimpin tim tanpa takut 9043"
AVOID = "Jangan membahas keluarga 9043"


def test_a_client_answers_the_intake_in_indonesian_and_the_coach_reads_it(world, new_page, sign_in):
    world.client.language = "id"
    world.client.save(update_fields=["language"])
    questionnaire(world)
    program = builders.program(world, sessions=2)
    response = Response.objects.get(client=world.client)
    slug = world.practice.slug

    client = new_page(locale="id-ID")
    sign_in(client, world.client.email, PASSWORD)
    client.goto(f"/p/{slug}/answers/")
    client.locator(f'a[href="/p/{slug}/answers/{response.code}/answer/"]').first.click()
    client.wait_for_url(f"**/answers/{response.code}/answer/")
    assert "Apa yang membawa Anda ke coaching?" in client.content()
    assert "What brings you" not in client.content()
    client.get_by_label("Apa yang membawa Anda ke coaching?").fill(ANSWER)
    client.locator("input[type=radio][value='4']").first.check()
    client.get_by_label("Tidak").check()
    client.get_by_label("Karier").check()
    client.get_by_label("Apa yang harus kita hindari?").fill(AVOID)
    with client.expect_navigation():
        client.locator("form.panel [type=submit]").click()
    assert ANSWER in client.content()
    response.refresh_from_db()
    assert response.submitted_at is not None and response.language == "id"

    coach = new_page()
    sign_in(coach, world.coach.email, PASSWORD)
    first = program.sessions.get(number=1)
    coach.goto(f"/p/{slug}/sessions/{first.code}/prepare/")
    intake = coach.locator("#intake")
    assert ANSWER in intake.inner_text() and AVOID in intake.inner_text()
    # The questions as they were asked, the choices in words.
    assert "What brings you to coaching?" in intake.inner_text()
    assert "Career" in intake.inner_text()

    client.goto(f"/p/{slug}/me/who-read-my-records/")
    rows = client.locator("tbody tr", has_text=world.coach.display_name)
    assert rows.count() >= 1
    assert "Intake answers" in rows.first.inner_text()
