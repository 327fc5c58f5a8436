"""Writes of messages. Callers get the program and the message through the gate
(ethics.access.get_thread_program_for, get_message_for)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from ethics import access as gate
from sessions import services as session_services
from sessions.models import Session

from .models import BODY_MAX_LENGTH, Message, ThreadRead
from .reminders import message_received_schedule

EDIT_WINDOW = timedelta(minutes=10)
TASK_MAX_LENGTH = 500


def _party(access, program):
    """The program's coach or client, in that role; else a refusal."""
    user = access.user
    if program.practice_id != access.practice.pk or not (
        (access.is_coach and program.coach_id == user.pk)
        or (access.is_client and program.client_id == user.pk)
    ):
        raise ValidationError(_("Only the program's client and coach write in its messages."))


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write a message first."))
    if "\x00" in body:
        raise ValidationError(_("The message contains a character that cannot be stored."))
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            _("A message is at most %(max)s characters (this one has %(n)s).")
            % {"max": BODY_MAX_LENGTH, "n": len(body)}
        )
    return body


def _own_live(access, message):
    if message.author_id != access.user.pk:
        raise ValidationError(_("Only its author can change a message."))
    if message.deleted_at is not None:
        raise ValidationError(_("This message was deleted."))


@transaction.atomic
def message_send(*, access, program, body):
    """A message in the program's thread; its recipient is notified (no content)."""
    _party(access, program)
    message = Message(program=program, author=access.user, body=_clean_body(body))
    message.save()
    recipient = program.coach if access.user.pk == program.client_id else program.client
    message_received_schedule(message, recipient)
    thread_mark_read(access=access, program=program)
    return message


@transaction.atomic
def message_edit(*, access, message, body):
    """The author corrects a message within ten minutes of sending it; it shows "edited"."""
    _own_live(access, message)
    if now() - message.created_at > EDIT_WINDOW:
        raise ValidationError(_("A message can be edited for ten minutes after it is sent."))
    message.body = _clean_body(body)
    message.edited_at = now()
    message.save(update_fields=["body", "edited_at"])
    return message


@transaction.atomic
def message_delete(*, access, message):
    """Deleted for everyone: the text is blanked, a "message deleted" trace stays."""
    _own_live(access, message)
    message.body = ""
    message.deleted_at = now()
    message.save(update_fields=["body", "deleted_at"])
    return message


def thread_mark_read(*, access, program):
    """The reader has seen the thread up to now (the unread count starts again from here)."""
    ThreadRead.objects.update_or_create(
        program=program, reader=access.user, defaults={"read_at": now()}
    )


@transaction.atomic
def message_to_task(*, access, message):
    """The coach turns a message into a task for the client on the program's latest held
    session (sessions.services.session_part_save: the client is told it was shared)."""
    program = message.program
    if not (access.is_coach and program.coach_id == access.user.pk):
        raise ValidationError(_("Only the program's coach can turn a message into a task."))
    if message.deleted_at is not None:
        raise ValidationError(_("This message was deleted."))
    session = (
        gate.sessions_for(access)
        .filter(program=program, status=Session.Status.HELD)
        .select_related("program")
        .order_by("-starts_at", "-number")
        .first()
    )
    if session is None:
        raise ValidationError(_("A task belongs to a held session; this program has none yet."))
    item = gate.new_action_item_for(access, session)
    item.text = message.body[:TASK_MAX_LENGTH]
    return session_services.session_part_save(instance=item, actor=access.user)
