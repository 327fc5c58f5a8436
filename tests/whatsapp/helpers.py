from django.utils import timezone

from coaching.notifications.models import Reminder
from coaching.notifications.services import reminder_schedule
from coaching.whatsapp import services
from tests.programs import builders

KIND = "message_received"  # a kind with a WhatsApp template, current whenever it falls due


def opted_in(user, phone="0812-3456-7890", kinds=(KIND,)):
    """The user's opt-in at `phone` and their choice of WhatsApp for `kinds`."""
    services.opt_in_give(user=user, phone=phone)
    services.channel_choice_update(user=user, choices=dict.fromkeys(kinds, "whatsapp"))
    return user


def quiet_program(world):
    """A program whose own reminders (a contract waiting, ...) are already done with, so a
    test sees only the reminders it makes."""
    program = builders.program(world, sessions=0)
    Reminder.objects.update(status=Reminder.Status.CANCELLED)
    return program


def due_reminder(world, recipient=None, occasion="message:1", program=None):
    program = program or quiet_program(world)
    return reminder_schedule(
        kind=KIND,
        recipient=recipient or world.client,
        obj=program,
        occasion=occasion,
        due_at=timezone.now(),
    )
