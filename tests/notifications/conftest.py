from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def program(world):
    from programs.models import Program

    return Program.objects.create(
        practice=world.practice,
        client=world.client,
        coach=world.coach,
        sponsor=world.sponsor,
        theme="CANARY-THEME confidential",
    )


@pytest.fixture
def make_session(program):
    from sessions.models import Session

    def _make(*, starts_in=timedelta(hours=24, minutes=30), **fields):
        number = Session.objects.filter(program=program).count() + 1
        defaults = {
            "program": program,
            "number": number,
            # Whole seconds, as iCalendar has them.
            "starts_at": (timezone.now() + starts_in).replace(microsecond=0),
            "coach": program.coach,
            "client": program.client,
            "place": "Ruang Melati, Jl. Sudirman 1",
        }
        defaults.update(fields)
        return Session.objects.create(**defaults)

    return _make


@pytest.fixture
def due_reminder(world, make_session):
    """A session-upcoming reminder for the client, due now."""
    from sessions.reminders import session_upcoming_schedule

    def _make(**session_fields):
        session = make_session(**session_fields)
        coach_reminder, client_reminder = session_upcoming_schedule(session)
        return client_reminder

    return _make
