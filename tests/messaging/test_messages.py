"""Messages between a program's client and its coach: what each reads, what each write does."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from coaching.access import PracticeAccess
from coaching.notifications.models import Reminder
from ethics.models import AccessEvent
from messaging import privacy, services
from messaging.models import BODY_MAX_LENGTH, Message
from messaging.reminders import MESSAGE_RECEIVED
from sessions.models import ActionItem
from tests.sessions.factories import held_session, program_for

pytestmark = pytest.mark.django_db


def _access(user, practice, *roles):
    return PracticeAccess(user=user, practice=practice, roles=frozenset(roles))


def _send(world, program, user, body, role):
    return services.message_send(
        access=_access(user, world.practice, role), program=program, body=body
    )


def _thread(world, program):
    return reverse("message_thread", args=[world.practice.slug, program.code])


def _page(response):
    return response.content.decode()


def test_client_sends_the_coach_reads_and_the_read_is_in_the_clients_log(world, client_for):
    program = program_for(world)
    browser = client_for(world.client)
    response = browser.post(
        reverse("message_send", args=[world.practice.slug, program.code]),
        {"body": "I tried the morning walk twice."},
    )
    assert response.status_code == 302
    message = Message.objects.get(program=program)
    assert message.author == world.client
    # Encrypted at rest: the stored column is not the text.
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM messaging_message WHERE id = %s", [message.pk])
        (stored,) = cursor.fetchone()
    assert "morning walk" not in stored
    assert "morning walk" not in str(message)

    coach = client_for(world.coach)
    page = _page(coach.get(_thread(world, program)))
    assert "I tried the morning walk twice." in page
    event = AccessEvent.objects.get(reader=world.coach, object_id=str(message.pk))
    assert event.subject_id == world.client.pk
    # The client's own read of their own message is not logged.
    client_for(world.client).get(_thread(world, program))
    assert not AccessEvent.objects.filter(reader=world.client, object_id=str(message.pk)).exists()
    log = _page(
        client_for(world.client).get(reverse("access_log_mine", args=[world.practice.slug]))
    )
    assert world.coach.display_name in log and "Message" in log


@pytest.mark.parametrize("persona", ["admin", "sponsor", "other_coach"])
def test_nobody_else_reads_the_thread(persona, world, client_for):
    program = program_for(world)
    _send(world, program, world.client, "SECRET-THREAD-TEXT", "client")
    browser = client_for(getattr(world, persona))
    assert browser.get(_thread(world, program)).status_code == 404
    poll = reverse("message_poll", args=[world.practice.slug, program.code])
    assert browser.get(poll).status_code == 404


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("   ", "Write a message first."),
        ("with a \x00 in it", "Null characters are not allowed"),
        ("x" * (BODY_MAX_LENGTH + 1), "at most"),
    ],
)
def test_bad_input_is_refused_keeps_the_text_and_stores_nothing(body, error, world, client_for):
    program = program_for(world)
    response = client_for(world.client).post(
        reverse("message_send", args=[world.practice.slug, program.code]), {"body": body}
    )
    assert response.status_code == 400
    page = _page(response)
    assert error in page
    if body.strip() and "\x00" not in body:
        assert body in page  # what was typed is kept
    assert Message.objects.count() == 0
    assert Reminder.objects.count() == 0


def test_the_service_refuses_nul_and_someone_outside_the_program(world):
    program = program_for(world)
    with pytest.raises(ValidationError):
        _send(world, program, world.client, "a\x00b", "client")
    with pytest.raises(ValidationError):
        _send(world, program, world.other_coach, "hello", "coach")
    with pytest.raises(ValidationError):
        _send(world, program, world.sponsor, "hello", "sponsor")
    assert Message.objects.count() == 0


def test_a_burst_is_one_notification_without_content(world):
    program = program_for(world)
    for text in ["first SECRETBURST", "second SECRETBURST", "third SECRETBURST"]:
        _send(world, program, world.client, text, "client")
    reminders = Reminder.objects.filter(kind=MESSAGE_RECEIVED)
    assert reminders.count() == 1
    reminder = reminders.get()
    assert reminder.recipient == world.coach
    assert reminder.object_label == world.client.display_name
    assert reminder.path == _thread(world, program)
    assert "SECRETBURST" not in reminder.object_label + reminder.occasion + reminder.path
    # The coach's answer notifies the client.
    _send(world, program, world.coach, "an answer", "coach")
    assert Reminder.objects.filter(kind=MESSAGE_RECEIVED, recipient=world.client).count() == 1


def test_the_notification_email_names_the_sender_and_not_the_message(world, mailoutbox):
    from coaching.notifications import tasks

    program = program_for(world)
    _send(world, program, world.client, "SECRETMAILBODY", "client")
    tasks.dispatch_due()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    text = mail.subject + mail.body + "".join(str(a[0]) for a in mail.alternatives)
    assert f"{world.client.display_name} sent you a message." in text
    assert _thread(world, program) in text
    assert "SECRETMAILBODY" not in text


def test_a_message_sent_later_is_another_notification(world):
    program = program_for(world)
    first = _send(world, program, world.client, "one", "client")
    later = Message(program=program, author=world.client, body="two")
    later.created_at = first.created_at + timedelta(minutes=16)
    from messaging.reminders import message_received_schedule

    message_received_schedule(later, world.coach)
    assert Reminder.objects.filter(kind=MESSAGE_RECEIVED, recipient=world.coach).count() == 2


def test_edit_within_ten_minutes_shows_edited(world, client_for):
    program = program_for(world)
    message = _send(world, program, world.client, "typo here", "client")
    browser = client_for(world.client)
    browser.post(
        reverse("message_edit", args=[world.practice.slug, message.code]), {"body": "fixed"}
    )
    message.refresh_from_db()
    assert message.body == "fixed" and message.edited_at is not None
    page = _page(client_for(world.coach).get(_thread(world, program)))
    assert "fixed" in page and "edited" in page and "typo here" not in page


def test_edit_after_ten_minutes_or_by_the_other_party_is_refused(world, client_for):
    program = program_for(world)
    message = _send(world, program, world.client, "original", "client")
    url = reverse("message_edit", args=[world.practice.slug, message.code])
    client_for(world.coach).post(url, {"body": "coach rewrite"})
    message.refresh_from_db()
    assert message.body == "original" and message.edited_at is None
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    response = client_for(world.client).post(url, {"body": "late"}, follow=True)
    assert "ten minutes" in _page(response)
    message.refresh_from_db()
    assert message.body == "original" and message.edited_at is None


def test_delete_for_everyone_blanks_and_leaves_a_trace(world, client_for):
    program = program_for(world)
    message = _send(world, program, world.coach, "SAID TOO MUCH", "coach")
    client_for(world.client).post(
        reverse("message_delete", args=[world.practice.slug, message.code])
    )
    message.refresh_from_db()
    assert message.deleted_at is None  # the client is not its author
    client_for(world.coach).post(
        reverse("message_delete", args=[world.practice.slug, message.code])
    )
    message.refresh_from_db()
    assert message.body == "" and message.deleted_at is not None
    page = _page(client_for(world.client).get(_thread(world, program)))
    assert "SAID TOO MUCH" not in page and "Message deleted" in page


def test_poll_returns_only_newer_messages(world, client_for):
    program = program_for(world)
    old = _send(world, program, world.client, "OLD ONE", "client")
    new = _send(world, program, world.client, "NEW ONE", "client")
    page = _page(
        client_for(world.coach).get(
            reverse("message_poll", args=[world.practice.slug, program.code]),
            {"after": old.pk},
        )
    )
    assert "NEW ONE" in page and "OLD ONE" not in page
    assert f"after={new.pk}" in page and 'hx-trigger="every 15s"' in page
    assert "<script" not in page


def test_unread_badge(world, client_for):
    program = program_for(world)
    dashboard = reverse("dashboard_coach", args=[world.practice.slug])
    coach = client_for(world.coach)
    assert 'id="messages-unread"' not in _page(coach.get(dashboard))
    _send(world, program, world.client, "one", "client")
    _send(world, program, world.client, "two", "client")
    page = _page(coach.get(dashboard))
    assert 'id="messages-unread">2<' in page
    coach.get(_thread(world, program))
    assert 'id="messages-unread"' not in _page(coach.get(dashboard))
    # The sender has no badge for their own messages.
    assert 'id="messages-unread"' not in _page(
        client_for(world.client).get(reverse("dashboard_client", args=[world.practice.slug]))
    )


def test_coach_turns_a_message_into_a_task(world, client_for):
    program = program_for(world)
    session = held_session(program, 1, days_ago=3, content=False)
    message = _send(world, program, world.client, "Remind me to call my manager", "client")
    url = reverse("message_task", args=[world.practice.slug, message.code])
    client_for(world.client).post(url)
    assert not ActionItem.objects.filter(session=session).exists()  # the client cannot
    client_for(world.coach).post(url)
    item = ActionItem.objects.get(session=session)
    assert item.text == "Remind me to call my manager"
    assert item.assignee == ActionItem.Assignee.CLIENT and item.author == world.coach


def test_no_held_session_no_task_and_a_clear_message(world, client_for):
    program = program_for(world)
    message = _send(world, program, world.client, "a task please", "client")
    response = client_for(world.coach).post(
        reverse("message_task", args=[world.practice.slug, message.code]), follow=True
    )
    assert "held session" in _page(response)
    assert ActionItem.objects.count() == 0


def test_export_lists_and_erasure_deletes_the_clients_messages(world):
    program = program_for(world)
    _send(world, program, world.client, "mine EXPORTME", "client")
    _send(world, program, world.coach, "coach's EXPORTME", "coach")
    other = program_for(world, client=world.other_coach)  # another client's program
    _send(world, other, world.coach, "NOT YOURS", "coach")
    section = privacy.export(user=world.client, practice=world.practice)
    texts = [row["text"] for row in section["rows"]]
    assert texts == ["mine EXPORTME", "coach's EXPORTME"]
    privacy.erase(user=world.client, practice=world.practice)
    assert not Message.objects.filter(program=program).exists()
    assert Message.objects.filter(program=other).count() == 1


def test_the_thread_reads_in_indonesian(world, client_for):
    program = program_for(world)
    world.coach.language = "id"
    world.coach.save(update_fields=["language"])
    _send(world, program, world.client, "halo", "client")
    page = _page(client_for(world.coach).get(_thread(world, program), HTTP_ACCEPT_LANGUAGE="id"))
    assert "Kirim" in page and "Jadikan tugas" in page and "Pesan dengan Client" in page


def test_earlier_messages_are_one_link_away(world, client_for):
    from messaging.selectors import PAGE

    program = program_for(world)
    Message.objects.bulk_create(
        Message(program=program, author=world.client, body=f"msg-{i:04d}.") for i in range(PAGE + 5)
    )
    browser = client_for(world.coach)
    page = _page(browser.get(_thread(world, program)))
    assert "msg-0004." not in page and "msg-0005." in page and f"msg-{PAGE + 4:04d}." in page
    first_shown = Message.objects.filter(program=program).order_by("pk")[5].pk
    assert f'href="?before={first_shown}"' in page
    earlier = _page(browser.get(_thread(world, program), {"before": first_shown}))
    assert "msg-0000." in earlier and "msg-0004." in earlier and "msg-0005." not in earlier
    assert "Earlier messages" not in earlier and "Latest messages" in earlier
