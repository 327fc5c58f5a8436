"""The "message_received" reminder kind (registered in MessagingConfig.ready()).

One reminder per recipient per program per 15-minute window (the occasion is the window's
start), so a burst of messages is one notification. It says who wrote and links to the thread;
it never carries the message.
"""

from datetime import timedelta

from django.utils.timezone import now
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coaching.notifications import registry
from coaching.notifications.services import reminder_schedule

MESSAGE_RECEIVED = "message_received"
WINDOW = timedelta(minutes=15)


def _describe(program, recipient):
    sender = program.client if recipient.pk == program.coach_id else program.coach
    return registry.Description(
        practice=program.practice,
        label=sender.display_name,
        path=registry.reverse_first(
            [("message_thread", {"slug": program.practice.slug, "code": program.code})]
        ),
    )


def _text(reminder):
    return gettext("%(name)s sent you a message.") % {"name": reminder.object_label}


def window_occasion(moment):
    start = moment.replace(second=0, microsecond=0)
    start -= timedelta(minutes=start.minute % int(WINDOW.total_seconds() // 60))
    return f"message:{start.isoformat()}"


def message_received_schedule(message, recipient):
    """Inside the transaction that saves the message: the recipient's notification."""
    return reminder_schedule(
        kind=MESSAGE_RECEIVED,
        recipient=recipient,
        obj=message.program,
        occasion=window_occasion(message.created_at),
        due_at=now(),
    )


registry.register(
    registry.Kind(
        name=MESSAGE_RECEIVED,
        label=_("Someone sent you a message"),
        describe=_describe,
        text=_text,
    )
)
