"""Messages between a program's client and its coach: coaching content, encrypted at rest,
read only through the gate (ethics.access.messages_visible_to)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from ethics.fields import EncryptedCharField, EncryptedTextField
from programs.models import Program

BODY_MAX_LENGTH = 4000


class Message(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("message"), blank=True)
    created_at = models.DateTimeField(default=now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # An attached file's name (content: encrypted), its type as detected from its first bytes
    # (never from the name) and size; the bytes are in MessageAttachment, read only through
    # the gate (ethics.access.message_attachment_for) so that a thread page never loads them.
    attachment_name = EncryptedCharField(_("attachment"), max_length=200, blank=True)
    attachment_type = models.CharField(max_length=40, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["program", "created_at"], name="message_program_created")]

    def __str__(self):
        return f"Message {self.code}"


class MessageAttachment(models.Model):
    """The bytes of a message's file, base64 inside an encrypted column (so key rotation and
    the canary checks treat it as any other content)."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="+")
    content = EncryptedTextField()

    def __str__(self):
        return f"MessageAttachment {self.pk}"


class ThreadRead(models.Model):
    """Where a reader stopped in a program's thread: the unread count is what came after."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "reader"], name="threadread_once")
        ]

    def __str__(self):
        return f"ThreadRead {self.program_id}/{self.reader_id}"
