"""Every reminder email, for every persona it can reach, holds no coaching content."""

import pytest
from django.utils import timezone

from coaching.notifications import dispatch, registry
from coaching.notifications.models import Reminder

CANARIES = ["CANARY-THEME", "CANARY-AIM", "CANARY-STATE", "CANARY-FUTURE", "Ruang Melati"]


@pytest.fixture
def canary_program(program):
    program.theme = "CANARY-THEME"
    program.aims = "CANARY-AIM"
    program.current_state = "CANARY-STATE"
    program.future_state = "CANARY-FUTURE"
    program.save()
    return program


@pytest.mark.parametrize("persona", ["coach", "client"])
def test_session_reminder_emails_carry_no_content(world, canary_program, make_session, persona):
    from sessions.reminders import session_upcoming_schedule

    session_upcoming_schedule(make_session())
    reminder = Reminder.objects.get(recipient=world.persona(persona))
    for language in ["en", "id"]:
        recipient = world.persona(persona)
        recipient.language = language
        subject, text, html = registry.render_email(reminder, recipient)
        for canary in CANARIES:
            assert canary not in subject + text + html


def test_every_registered_kind_renders_from_the_row_alone(world, canary_program, make_session):
    """A kind's text reads the reminder row: an object label and an occasion, never content."""
    from sessions.reminders import session_upcoming_schedule

    session_upcoming_schedule(make_session())
    Reminder.objects.update(next_attempt_at=timezone.now())
    dispatch.dispatch_due()
    for reminder in Reminder.objects.all():
        kind = registry.get(reminder.kind)
        text = str(kind.text(reminder))
        assert not any(canary in text for canary in CANARIES)
