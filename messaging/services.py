"""Writes of messages. Callers get the program and the message through the gate
(ethics.access.get_thread_program_for, get_message_for)."""

import base64
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from ethics import access as gate
from sessions import services as session_services
from sessions.models import Session

from .models import BODY_MAX_LENGTH, Message, MessageAttachment, ThreadRead
from .reminders import message_received_schedule

EDIT_WINDOW = timedelta(minutes=10)
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# The types a message may carry, recognised by their first bytes (the name proves nothing).
ATTACHMENT_TYPES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]
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


def attachment_type_of(data):
    """The MIME type of an allowed file, from its content; None for anything else."""
    for magic, mime in ATTACHMENT_TYPES:
        if data.startswith(magic):
            return mime
    return None


def _file_name(raw):
    """Only the file's own name: no folders, no control characters, at most 200 characters."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable()).strip()[:200] or "file"


def check_attachment(upload):
    """(name, type, bytes) of an uploaded file, or a refusal that says why."""
    mb = 1024 * 1024
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("A file can be at most %(max)s MB (this one has %(size)s MB).")
            % {"max": ATTACHMENT_MAX_BYTES // mb, "size": f"{upload.size / mb:.1f}"}
        )
    data = upload.read(ATTACHMENT_MAX_BYTES + 1)
    if len(data) > ATTACHMENT_MAX_BYTES:  # a client may under-declare the size
        raise ValidationError(_("The file is too large."))
    mime = attachment_type_of(data)
    if mime is None:
        raise ValidationError(
            _(
                "Only PDF, PNG and JPEG files can be attached; this file is none of them, "
                "whatever its name says."
            )
        )
    return _file_name(upload.name), mime, data


@transaction.atomic
def message_send(*, access, program, body, attachment=None):
    """A message in the program's thread, with at most one file (PDF, PNG or JPEG up to
    5 MB, its type detected from its content, stored encrypted); its recipient is notified
    (no content)."""
    _party(access, program)
    message = Message(program=program, author=access.user, body=_clean_body(body))
    if attachment is not None:
        name, mime, data = check_attachment(attachment)
        message.attachment_name, message.attachment_type = name, mime
        message.attachment_size = len(data)
    message.save()
    if attachment is not None:
        MessageAttachment.objects.create(
            message=message, content=base64.b64encode(data).decode("ascii")
        )
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
    message.attachment_name = ""
    message.save(update_fields=["body", "deleted_at", "attachment_name"])
    MessageAttachment.objects.filter(message=message).delete()
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
