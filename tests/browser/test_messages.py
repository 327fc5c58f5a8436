"""In a real browser: the client sends a message; the coach, whose thread is open, sees it
arrive without reloading (htmx polling), answers, and turns it into a task; the client's
"who read my records" page lists the coach's read; the admin and the sponsor get 404."""

from sessions.models import ActionItem
from tests.factories import PASSWORD
from tests.sessions.factories import held_session, program_for

ASK = "Can we talk about my manager 7731?"
ANSWER = "Yes, bring one example 7731."


def test_a_message_arrives_without_reload_and_becomes_a_task(world, new_page, sign_in, settings):
    settings.MESSAGES_POLL_SECONDS = 1
    program = program_for(world)
    session = held_session(program, 1, days_ago=3, content=False)
    thread = f"/p/{world.practice.slug}/messages/{program.code}/"

    coach = new_page()
    sign_in(coach, world.coach.email, PASSWORD)
    coach.goto(thread)
    assert ASK not in coach.content()

    client = new_page()
    sign_in(client, world.client.email, PASSWORD)
    client.goto(thread)
    client.fill("textarea#id_body", ASK)
    with client.expect_navigation():
        client.get_by_role("button", name="Send").click()
    assert ASK in client.content()
    # The live server shares one SQLite connection between its threads: one polling page at a
    # time (the client's leaves the thread; the test reads the database only when none polls).
    client.goto(f"/p/{world.practice.slug}/my-sessions/")

    # The coach's page was not reloaded: the poller brings the message in.
    coach.get_by_text(ASK).wait_for(timeout=10_000)
    assert coach.url.endswith(thread)

    coach.fill("textarea#id_body", ANSWER)
    with coach.expect_navigation():
        coach.get_by_role("button", name="Send").click()
    with coach.expect_navigation():
        coach.locator("li", has_text=ASK).get_by_role("button", name="Turn into a task").click()
    assert "Task added to the latest session." in coach.content()
    coach.goto(f"/p/{world.practice.slug}/coach/")
    assert ActionItem.objects.get(session=session).text == ASK

    client.goto(thread)
    assert ANSWER in client.content()
    client.goto(f"/p/{world.practice.slug}/me/who-read-my-records/")
    log = client.content()
    assert world.coach.display_name in log and "Message" in log

    for persona in (world.admin, world.sponsor):
        other = new_page()
        sign_in(other, persona.email, PASSWORD)
        response = other.goto(thread)
        assert response.status == 404
        assert ASK not in other.content()
